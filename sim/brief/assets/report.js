// Draws the report's charts: each entry of PAYSIM.charts is an ECharts
// option built by paysim, with the formats of its numbers. window.__paysim
// counts the charts drawn and the errors met, for the browser test.
(function () {
  'use strict';
  var state = { charts: PAYSIM.charts.length, rendered: 0, errors: 0 };
  window.__paysim = state;
  window.addEventListener('error', function () { state.errors++; });

  var zh = PAYSIM.lang === 'zh';
  var numberLocale = zh ? 'zh-CN' : 'en-US';

  function fixed(v, d) {
    return v.toLocaleString(numberLocale, { minimumFractionDigits: d, maximumFractionDigits: d });
  }

  // fmt writes a value in a format: pct (a share, in %), n0 to n3 (that
  // many decimals, grouped).
  function fmt(f, v) {
    if (v === null || v === undefined || typeof v !== 'number' || isNaN(v)) return '–';
    switch (f) {
      case 'pct': return fixed(100 * v, 1) + '%';
      case 'n0': return fixed(v, 0);
      case 'n1': return fixed(v, 1);
      case 'n2': return fixed(v, 2);
      case 'n3': return fixed(v, 3);
    }
    return String(v);
  }

  // axisFmt is fmt for axis labels: shares in whole percents, other
  // numbers grouped, with the decimals of the ticks ECharts chose; off is
  // added to the value first (a tornado's base), whose ticks are then the
  // multiples of the axis's step that ECharts rounded.
  function axisFmt(f, off, step) {
    return function (v) {
      if (off) v += off;
      if (off && step) v = Math.round(v / step) * step;
      if (f === 'pct') return fixed(100 * v, 0) + '%';
      return v.toLocaleString(numberLocale, { maximumFractionDigits: 4 });
    };
  }

  // valueOf is the plotted value of a data item: a number, {value, half},
  // or [x, y].
  function valueOf(d) {
    if (Array.isArray(d)) return d[d.length - 1];
    if (d !== null && typeof d === 'object') return d.value;
    return d;
  }

  var esc = echarts.format.encodeHTML;

  // axisTip lists every series at the pointed year (or x), in its format,
  // with ± the half-width of its 95% interval where it has one.
  function axisTip(c) {
    return function (params) {
      if (!params.length) return '';
      var head = params[0].axisValueLabel;
      if (c.xFormats && c.xFormats[0]) head = fmt(c.xFormats[0], params[0].axisValue);
      var out = [esc(String(head))];
      params.forEach(function (p) {
        var f = c.formats[p.seriesIndex];
        if (!f) return;
        var v = valueOf(p.data);
        if (v === null || v === undefined) return;
        var s = p.marker + esc(p.seriesName) + ': <b>' + fmt(f, v) + '</b>';
        if (p.data && typeof p.data === 'object' && p.data.half != null) s += ' ± ' + fmt(f, p.data.half);
        out.push(s);
      });
      return out.join('<br>');
    };
  }

  function itemTip(p) {
    if (p.data && p.data.tip) return p.data.tip;
    return esc(p.seriesName) + ': ' + esc(String(valueOf(p.data)));
  }

  function list(x) { return x === undefined ? [] : Array.isArray(x) ? x : [x]; }

  var drawn = [];
  PAYSIM.charts.forEach(function (c) {
    try {
      var el = document.getElementById(c.id);
      var chart = echarts.init(el, null, { renderer: 'svg', locale: zh ? 'ZH' : 'EN' });
      var o = c.option;
      o.animation = false;
      o.tooltip = c.tooltip === 'item'
        ? { trigger: 'item', confine: true, formatter: itemTip }
        : { trigger: 'axis', confine: true, formatter: axisTip(c) };
      list(o.yAxis).forEach(function (a, i) {
        var f = (c.axisFormats || [])[i];
        if (f) a.axisLabel = Object.assign({}, a.axisLabel, { formatter: axisFmt(f) });
      });
      list(o.xAxis).forEach(function (a, i) {
        var f = (c.xFormats || [])[i];
        if (f) a.axisLabel = Object.assign({}, a.axisLabel, { formatter: axisFmt(f, c.xOffset, a.interval) });
      });
      chart.setOption(o);
      drawn.push(chart);
      state.rendered++;
    } catch (e) {
      state.errors++;
      console.error('chart ' + c.id + ' (' + c.key + '): ' + e);
    }
  });
  window.addEventListener('resize', function () {
    drawn.forEach(function (ch) { ch.resize(); });
  });
})();
