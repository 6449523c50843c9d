package brief

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paysim/paysim/sim/study"
)

// sweepOutcome is the name of a sweep's outcome in l: a strategy's
// increment against the reference, or a figure of summary.json (in a
// year).
func sweepOutcome(l Lang, s *Sweep) string {
	switch s.Metric {
	case "icer", "d_cost", "d_effect", "nmb":
		return l.t("label.outcome_"+s.Metric, s.Strategy, s.Reference)
	}
	if s.Year != 0 {
		return l.t("label.outcome_year", s.Metric, s.Year)
	}
	return s.Metric
}

// sweepUnit is the unit of a sweep's outcome in l, or "" when sweep.json
// names none.
func sweepUnit(l Lang, s *Sweep) string {
	money := l.money(s.Currency)
	switch s.Unit {
	case study.UnitMoney:
		return money
	case study.UnitMoneyPerQALY:
		return l.t("unit.per_qaly", money)
	case study.UnitMoneyPerLY:
		return l.t("unit.per_life_year", money)
	case study.UnitQALYs:
		return l.t("unit.qalys")
	case study.UnitLifeYears:
		return l.t("unit.life_years")
	case study.UnitShare:
		return "%"
	case study.UnitMonths:
		return l.t("unit.months")
	case study.UnitDays:
		return l.t("unit.days")
	}
	return ""
}

// sweepFormat is the format of a sweep's outcome: by its unit, or, for a
// figure without one, by the size of its base value.
func sweepFormat(s *Sweep) string {
	switch s.Unit {
	case study.UnitMoney, study.UnitMoneyPerQALY, study.UnitMoneyPerLY:
		return "n0"
	case study.UnitQALYs, study.UnitLifeYears:
		return "n3"
	case study.UnitShare:
		return "pct"
	case study.UnitMonths:
		return "n1"
	case study.UnitDays:
		return "n2"
	}
	switch b := math.Abs(deref(s.Base)); {
	case b >= 100:
		return "n0"
	case b >= 1:
		return "n2"
	}
	return "n3"
}

func deref(x *float64) float64 {
	if x == nil {
		return 0
	}
	return *x
}

// formatted writes x in a chart format as the page's tooltips do: pct (a
// share, in %), n0 (whole, grouped), n1…n3 (decimals); "–" for no value.
func formatted(format string, x *float64) string {
	if x == nil {
		return "–"
	}
	switch format {
	case "pct":
		return strconv.FormatFloat(100**x, 'f', 1, 64) + "%"
	case "n1", "n2", "n3":
		return strconv.FormatFloat(*x, 'f', int(format[1]-'0'), 64)
	}
	return group(*x)
}

// tornado is a sweep's chart: for each parameter, widest swing first, a
// bar from the base value to the outcome with the parameter at the low end
// of its range and one to the outcome at the high end, the range in the
// parameter's label. The bars are drawn as differences to the base on an
// axis whose labels add the base back (xOffset); each bar's end is
// labelled with the outcome itself.
func tornado(l Lang, ids *chartID, s *Sweep) chart {
	format := sweepFormat(s)
	base := deref(s.Base) // no base value (an ICER without an increment): the bars start at 0
	var names []string
	var low, high []any
	width := 0
	end := func(at *float64, edge float64, side string) any {
		if at == nil {
			return nil
		}
		d := *at - base
		pos := "right"
		if d < 0 {
			pos = "left"
		}
		return obj{"value": d, "label": obj{"show": true, "position": pos, "formatter": formatted(format, at)},
			"tip": fmt.Sprintf("<b>%s</b><br>%s", html.EscapeString(side), l.t("label.sweep_tip", g(edge), formatted(format, at), formatted(format, s.Base)))}
	}
	for _, b := range s.Bars {
		name := l.t("label.range", b.Path, g(b.Low), g(b.High))
		width = max(width, utf8.RuneCountInString(name))
		names = append(names, name)
		low = append(low, end(b.AtLow, b.Low, b.Path))
		high = append(high, end(b.AtHigh, b.High, b.Path))
	}
	lo, hi := bar(l.t("series.at_low"), low, 0), bar(l.t("series.at_high"), high, 3)
	hi["barGap"] = "-100%" // the two bars of a parameter on one line, from the base to each side
	lo["barMaxWidth"], hi["barMaxWidth"] = 28, 28
	lo["markLine"] = obj{"silent": true, "symbol": "none", "lineStyle": obj{"type": "solid", "color": targetColor, "width": 1.5},
		"data":  []obj{{"xAxis": 0, "label": obj{"formatter": l.t("label.base", formatted(format, s.Base))}}},
		"label": obj{"position": "start", "color": targetColor}} // the axis is inverse: at the top
	left := min(24+7*width, 480) // px: the parameters' labels, up to a part of the width
	unit := sweepUnit(l, s)
	axisName := sweepOutcome(l, s)
	if unit != "" {
		axisName = l.t("col.unit", axisName, unit)
	}
	xAxis := obj{"type": "value", "name": axisName, "nameLocation": "middle", "nameGap": 30, "scale": false}
	if lo, hi, step, ok := ticks(s, base); ok {
		// Ticks at round outcomes, not at round differences to the base.
		xAxis["min"], xAxis["max"], xAxis["interval"] = lo-base, hi-base, step
	}
	option := obj{
		"legend": obj{"data": []string{l.t("series.at_low"), l.t("series.at_high")}, "top": 0},
		"grid":   obj{"left": left, "right": 72, "top": 48, "bottom": 56},
		"xAxis":  xAxis,
		"yAxis": obj{"type": "category", "data": names, "inverse": true,
			"axisLabel": obj{"width": left - 16, "overflow": "truncate", "interval": 0}},
		"series":  []any{lo, hi},
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 0},
	}
	how := sweepMeta(l, s)
	return chart{ID: ids.next(), Key: "tornado", Title: l.t("chart.tornado", sweepOutcome(l, s)),
		Note:   l.t("note.tornado", formatted(format, s.Base), how),
		Height: max(defaultHeight, 140+44*len(s.Bars)), Option: option, Formats: []string{format, format}, XFormats: []string{format},
		XOffset: base, Tooltip: "item"}
}

// ticks are the ends and the step of a tornado's axis, in outcomes: round
// numbers around the base and every outcome, about five steps apart; false
// when the outcomes do not spread.
func ticks(s *Sweep, base float64) (lo, hi, step float64, ok bool) {
	lo, hi = base, base
	for _, b := range s.Bars {
		for _, x := range []*float64{b.AtLow, b.AtHigh} {
			if x != nil {
				lo, hi = min(lo, *x), max(hi, *x)
			}
		}
	}
	if !(hi > lo) {
		return 0, 0, 0, false
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step, true
}

// sweepMeta says how a sweep's outcomes were computed.
func sweepMeta(l Lang, s *Sweep) string {
	if s.Mode == "cohort" {
		return l.t("meta.sweep_cohort")
	}
	return l.t("meta.sweep", s.Seed, s.Replicates)
}

// g writes a parameter's value as the table does: six significant digits.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// fmtParam is the workbook's format of a parameter's value: as many
// decimals as it has, up to six.
const fmtParam = "#,##0.0#####"

// sweepSheet is the table of sweeps: one row per parameter, widest swing
// first, with the outcome at the base and at each end of its range in the
// outcome's unit.
func sweepSheet(l Lang, sweeps []*Sweep) *sheet {
	type barOf struct {
		s *Sweep
		b study.SweepBar
	}
	var bars []barOf
	var formats []string
	for _, s := range sweeps {
		f := fmtGeneral
		switch sweepFormat(s) {
		case "pct":
			f = fmtShare
		case "n0":
			f = fmtWhole
		case "n1":
			f = fmtDec1
		case "n2":
			f = fmtDec2
		case "n3":
			f = fmtDec3
		}
		for _, b := range s.Bars {
			bars = append(bars, barOf{s, b})
			formats = append(formats, f)
		}
	}
	num := func(x *float64) any {
		if x == nil {
			return nil
		}
		return *x
	}
	sh := &sheet{key: "sweep", rowFormats: formats}
	addRows(sh, []column[barOf]{
		{l.head("scenario", ""), "", func(b barOf) any { return b.s.Scenario }},
		{l.head("outcome", ""), "", func(b barOf) any { return sweepOutcome(l, b.s) }},
		{l.head("outcome_unit", ""), "", func(b barOf) any { return sweepUnit(l, b.s) }},
		{l.head("parameter", ""), "", func(b barOf) any { return b.b.Path }},
		{l.head("low", ""), fmtParam, func(b barOf) any { return b.b.Low }},
		{l.head("high", ""), fmtParam, func(b barOf) any { return b.b.High }},
		{l.head("base", ""), fmtGeneral, func(b barOf) any { return num(b.s.Base) }},
		{l.head("at_low", ""), fmtGeneral, func(b barOf) any { return num(b.b.AtLow) }},
		{l.head("at_high", ""), fmtGeneral, func(b barOf) any { return num(b.b.AtHigh) }},
		{l.head("swing", ""), fmtGeneral, func(b barOf) any { return num(b.b.Swing) }},
	}, bars)
	return sh
}
