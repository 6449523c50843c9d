package brief

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/study"
)

// metricSpec is how the report shows one figure of compare.json: the unit
// its label takes (millions of the currency, the currency, or none), the
// format of its values, and the target or warning lines drawn with it.
type metricSpec struct {
	unit   string // "millions", "money" or ""
	format string
	refs   []ref
}

type ref struct {
	y   float64
	key string // the catalogue's label of the line
}

// metrics are compare.json's figures (docs/output.md). A figure not listed
// here is shown under its own label with one decimal.
var metrics = map[string]metricSpec{
	"fund.payout":                           {unit: "millions", format: "n1"},
	"fund.payout_per_enrollee":              {unit: "money", format: "n0"},
	"fund.balance":                          {unit: "millions", format: "n1"},
	"fund.reserve_months":                   {format: "n1", refs: []ref{{reserveLow, "ref.reserve_low"}, {reserveHigh, "ref.reserve_high"}}},
	"cost.oop":                              {unit: "millions", format: "n1"},
	"cost.oop_share":                        {format: "pct"},
	"cost.fund_covered":                     {unit: "millions", format: "n1"},
	"utilisation.admissions_per_100":        {format: "n1"},
	"utilisation.mean_los":                  {format: "n2"},
	"utilisation.referrals_down":            {format: "n0"},
	"utilisation.in_county_admission_share": {format: "pct", refs: []ref{{inCountyTarget, "ref.admissions_target"}}},
	"utilisation.primary_outpatient_share":  {format: "pct", refs: []ref{{primaryTarget, "ref.visits_target"}}},
	"health.control_rate":                   {format: "pct"},
	"health.new_complications":              {format: "n0"},
	"health.complications":                  {format: "n0"},
	"health.deaths":                         {format: "n0"},
	"health.premature_deaths":               {format: "n0"},
	"health.crude_death_rate":               {format: "n2"},
}

// metricLabel is the label of a compare.json figure in l, with its unit.
func metricLabel(l Lang, c *Comparison, metric, fallback string) string {
	spec, ok := metrics[metric]
	if !ok || !l.has("metric."+metric) {
		return fallback
	}
	switch spec.unit {
	case "millions":
		return l.t("metric."+metric, l.millions(c.Currency))
	case "money":
		return l.t("metric."+metric, l.money(c.Currency))
	}
	return l.t("metric." + metric)
}

// compareCharts are the charts of one comparison: for each figure, each
// scenario's path with its 95% interval and, below, each scenario's paired
// difference to the first with its interval; then the strategies'
// cost-effectiveness plane and acceptability curve when it has them.
func compareCharts(l Lang, ids *chartID, c *Comparison) []chart {
	var out []chart
	var metricOrder []string
	byMetric := map[string][]CompareRow{}
	for _, r := range c.Rows {
		if r.Year == 0 {
			continue // the whole run's totals: in the workbook
		}
		if _, ok := byMetric[r.Metric]; !ok {
			metricOrder = append(metricOrder, r.Metric)
		}
		byMetric[r.Metric] = append(byMetric[r.Metric], r)
	}
	for _, m := range metricOrder {
		if ch, ok := pathChart(l, ids, c, m, byMetric[m]); ok {
			out = append(out, ch)
		}
	}
	if e := c.Economics; e != nil && len(e.Strategies) > 1 && e.Strategies[0].Cost+e.Strategies[0].Effect != 0 {
		out = append(out, cePlane(l, ids, c, e))
		if len(e.WTP) > 0 {
			out = append(out, ceac(l, ids, c, e))
		}
	}
	return out
}

// pathChart is one figure's chart, or false when no scenario has it (a
// Markov model's fund).
func pathChart(l Lang, ids *chartID, c *Comparison, metric string, rows []CompareRow) (chart, bool) {
	some := false
	for _, r := range rows {
		for _, m := range r.Mean {
			some = some || (m != nil && *m != 0)
		}
	}
	if !some {
		return chart{}, false
	}
	spec, ok := metrics[metric]
	if !ok {
		spec.format = "n1"
	}
	x := make([]string, len(rows))
	for i, r := range rows {
		x[i] = strconv.Itoa(r.Year)
	}
	col := func(f func(CompareRow) (*float64, *float64)) ([]any, []any, []any) {
		mean, lo, hi := make([]any, len(rows)), make([]any, len(rows)), make([]any, len(rows))
		for i, r := range rows {
			m, h := f(r)
			if m == nil {
				continue
			}
			mean[i], lo[i], hi[i] = withHalf(*m, opt(h)), *m, *m
			if h != nil {
				lo[i], hi[i] = *m-*h, *m+*h
			}
		}
		return mean, lo, hi
	}
	var series []any
	var formats []string
	var legend []string
	for k, name := range c.Scenarios {
		mean, lo, hi := col(func(r CompareRow) (*float64, *float64) { return r.Mean[k], r.Half[k] })
		s := line(name, mean, k)
		if k == 0 {
			for _, rf := range spec.refs {
				if s["markLine"] == nil {
					refLine(s, warnColor)
				}
				ml := s["markLine"].(obj)
				ml["data"] = append(ml["data"].([]obj), at(rf.y, l.t(rf.key)))
			}
		}
		series = append(series, s)
		formats = append(formats, spec.format)
		for _, bs := range band(name, lo, hi, k, 0, 0) {
			series = append(series, bs)
			formats = append(formats, "")
		}
		legend = append(legend, name)
	}
	for k, name := range c.Scenarios[1:] {
		k++
		d, lo, hi := col(func(r CompareRow) (*float64, *float64) { return r.Delta[k], r.DeltaHalf[k] })
		s := line(name, d, k)
		s["xAxisIndex"], s["yAxisIndex"] = 1, 1
		if k == 1 {
			refLine(s, targetColor, at(0, ""))
		}
		series = append(series, s)
		formats = append(formats, spec.format)
		for _, bs := range band(name, lo, hi, k, 1, 1) {
			series = append(series, bs)
			formats = append(formats, "")
		}
	}
	label := metricLabel(l, c, metric, rows[0].Label)
	option := obj{
		"legend": obj{"data": legend, "top": 0, "type": "scroll"},
		"title": []any{
			obj{"text": l.t("panel.paths"), "left": 8, "top": 28, "textStyle": obj{"fontSize": 12, "fontWeight": "normal"}},
			obj{"text": l.t("panel.delta", c.Scenarios[0]), "left": 8, "top": "63%", "textStyle": obj{"fontSize": 12, "fontWeight": "normal"}},
		},
		"grid":    []any{obj{"left": 72, "right": 32, "top": 56, "height": "44%"}, obj{"left": 72, "right": 32, "top": "70%", "bottom": 28}},
		"xAxis":   []any{obj{"type": "category", "data": x, "gridIndex": 0}, obj{"type": "category", "data": x, "gridIndex": 1}},
		"yAxis":   []any{obj{"type": "value", "gridIndex": 0, "scale": true}, obj{"type": "value", "gridIndex": 1, "scale": true}},
		"series":  series,
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 22},
	}
	return chart{ID: ids.next(), Key: "compare:" + metric, Title: label, Note: l.t("note.compare", c.Replicates, c.Scenarios[0]),
		Height: compareHeight, Option: option, Formats: formats, AxisFormats: []string{spec.format, spec.format}, Tooltip: "axis"}, true
}

// effectUnit is the unit of the strategies' effect: QALYs or life-years.
func effectUnit(l Lang, e *study.Economics) string {
	if e.Effect == "life_years" {
		return l.t("unit.life_years")
	}
	return l.t("unit.qalys")
}

// cePlane: each strategy's mean cost against its mean effect per person,
// the efficiency frontier joining the strategies on it.
func cePlane(l Lang, ids *chartID, c *Comparison, e *study.Economics) chart {
	money := l.money(c.Currency)
	var points []any
	type pt struct{ cost, effect float64 }
	var frontier []pt
	for i, s := range e.Strategies {
		tip := fmt.Sprintf("<b>%s</b><br>%s: %s%s ± %s<br>%s: %s ± %s<br>%s", html.EscapeString(s.Name),
			l.t("series.cost"), money, group(s.Cost), group(s.CostHalf),
			effectUnit(l, e), strconv.FormatFloat(s.Effect, 'f', 3, 64), strconv.FormatFloat(s.EffectHalf, 'f', 3, 64),
			html.EscapeString(status(l, s, money)))
		points = append(points, obj{"name": s.Name, "value": []any{val(s.Effect), val(s.Cost)}, "tip": tip,
			"itemStyle": obj{"color": color(i)}})
		if s.Status == study.Frontier {
			frontier = append(frontier, pt{s.Cost, s.Effect})
		}
	}
	slices.SortFunc(frontier, func(a, b pt) int {
		switch {
		case a.cost < b.cost:
			return -1
		case a.cost > b.cost:
			return 1
		}
		return 0
	})
	var fr []any
	for _, p := range frontier {
		fr = append(fr, []any{p.effect, p.cost})
	}
	option := obj{
		"legend": obj{"data": []string{l.t("series.strategies"), l.t("series.frontier")}, "top": 0},
		"grid":   obj{"left": 88, "right": 120, "top": 48, "bottom": 56},
		"xAxis":  obj{"type": "value", "scale": true, "name": effectUnit(l, e), "nameLocation": "middle", "nameGap": 30},
		"yAxis":  obj{"type": "value", "scale": true, "name": l.t("unit.cost_per_person", money)},
		"series": []any{
			obj{"name": l.t("series.frontier"), "type": "line", "data": fr, "symbol": "none", "silent": true,
				"lineStyle": obj{"type": "dashed", "color": targetColor}, "itemStyle": obj{"color": targetColor}},
			obj{"name": l.t("series.strategies"), "type": "scatter", "data": points, "symbolSize": 14,
				"label": obj{"show": true, "formatter": "{b}", "position": "right"}},
		},
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 0},
	}
	return chart{ID: ids.next(), Key: "ce_plane", Title: l.t("chart.ce_plane"), Note: l.t("note.ce_plane", perspective(l, e)),
		Height: economicsHeight, Option: option, Formats: []string{"", "n0"}, AxisFormats: []string{"n0"}, XFormats: []string{"n2"}, Tooltip: "item"}
}

// ceac: the cost-effectiveness acceptability curve: at each willingness to
// pay, the share of replicates in which each strategy has the highest net
// monetary benefit.
func ceac(l Lang, ids *chartID, c *Comparison, e *study.Economics) chart {
	order := make([]int, len(e.WTP))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case e.WTP[a] < e.WTP[b]:
			return -1
		case e.WTP[a] > e.WTP[b]:
			return 1
		}
		return 0
	})
	var series []any
	var formats []string
	var legend []string
	for k, s := range e.Strategies {
		var data []any
		for _, i := range order {
			if i < len(s.ProbBest) {
				data = append(data, []any{e.WTP[i], val(s.ProbBest[i])})
			}
		}
		ls := line(s.Name, data, k)
		ls["symbolSize"] = 7
		series = append(series, ls)
		formats = append(formats, "pct")
		legend = append(legend, s.Name)
	}
	money := l.money(c.Currency)
	option := obj{
		"legend":  obj{"data": legend, "top": 0, "type": "scroll"},
		"grid":    obj{"left": 72, "right": 40, "top": 48, "bottom": 56},
		"xAxis":   obj{"type": "value", "name": l.t("unit.wtp", money, effectUnit(l, e)), "nameLocation": "middle", "nameGap": 30},
		"yAxis":   obj{"type": "value", "min": 0, "max": 1, "name": l.t("unit.prob_cost_effective")},
		"series":  series,
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 0},
	}
	return chart{ID: ids.next(), Key: "ceac", Title: l.t("chart.ceac"), Note: l.t("note.ceac", c.Replicates),
		Height: economicsHeight, Option: option, Formats: formats, AxisFormats: []string{"pct"}, XFormats: []string{"n0"}, Tooltip: "axis"}
}

// status says where a strategy stands: on the frontier with its ICER, or
// dominated by which.
func status(l Lang, s study.StrategyCE, money string) string {
	switch {
	case s.ICER != nil:
		return l.t("status.icer", money+group(*s.ICER), s.Against)
	case s.Status == study.Frontier:
		return l.t("status.frontier")
	case s.Against != "":
		return l.t("status."+strings.ReplaceAll(string(s.Status), " ", "_"), s.Against)
	}
	return string(s.Status)
}

func perspective(l Lang, e *study.Economics) string {
	if e.Perspective == study.Payer {
		return l.t("perspective.payer")
	}
	return l.t("perspective.health_system")
}

// group writes x rounded to a whole number with thousands separators.
func group(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return report.Group(int64(math.Round(x)))
}
