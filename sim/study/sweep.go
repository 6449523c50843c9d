package study

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// Range is the range of one parameter in a one-way sensitivity analysis.
type Range struct {
	Path      string  `json:"path"` // as --set takes it
	Low, High float64 `json:"-"`
}

// Ranges are the ranges of a scenario's uncertain parameters: a uniform's
// bounds, or the 2.5% and 97.5% quantiles of any other distribution.
func Ranges(s *scenario.Scenario) []Range {
	var out []Range
	for _, u := range s.Uncertain {
		r := Range{Path: u.Set}
		if u.Distribution == "uniform" {
			r.Low, r.High = *u.Min, *u.Max
		} else {
			r.Low, r.High = quantile(u, 0.025), quantile(u, 0.975)
		}
		out = append(out, r)
	}
	return out
}

// ParseRange reads path=low,high.
func ParseRange(s string) (Range, error) {
	path, vals, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(vals, ",")
	if !ok || !ok2 || strings.TrimSpace(path) == "" {
		return Range{}, fmt.Errorf("%q: want path=low,high", s)
	}
	l, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil || math.IsNaN(l) || math.IsNaN(h) || math.IsInf(l, 0) || math.IsInf(h, 0) {
		return Range{}, fmt.Errorf("%q: want two numbers, low and high", s)
	}
	return Range{Path: strings.TrimSpace(path), Low: l, High: h}, nil
}

// Tornado is a one-way sensitivity analysis: an outcome at the base and
// with each parameter alone at each end of its range, the bars ordered by
// their swing, widest first. An outcome without a value (an ICER without an
// increment of effect) is NaN.
type Tornado struct {
	Outcome string
	Base    float64
	Bars    []Bar
}

// Bar is one parameter's line of a tornado table.
type Bar struct {
	Path   string
	Low    float64
	High   float64
	AtLow  float64 // the outcome with the parameter at Low
	AtHigh float64 // … at High
	Swing  float64 // |AtHigh − AtLow|
}

// SweepSchema names the version of sweep.json.
const SweepSchema = "paysim.sweep/v1"

// SweepFile is a tornado as sweep.json holds it (docs/output.md): what was
// swept, and the outcome at the base and at each end of each range, nil
// where it has no value.
type SweepFile struct {
	Schema      string     `json:"schema"`
	Scenario    string     `json:"scenario"`
	Outcome     string     `json:"outcome"` // as the table's first line names it
	Metric      string     `json:"metric"`  // --outcome: icer, d_cost, d_effect, nmb, or a path of summary.json
	Strategy    string     `json:"strategy,omitempty"`
	Reference   string     `json:"reference,omitempty"`
	Perspective string     `json:"perspective,omitempty"`
	WTP         *float64   `json:"wtp,omitempty"`
	Year        int        `json:"year,omitempty"` // a yearly figure's year; 0: the last
	Unit        string     `json:"unit"`           // see Unit
	Currency    string     `json:"currency"`       // ISO 4217 code
	Seed        uint64     `json:"seed"`
	Replicates  int        `json:"replicates"`
	Mode        string     `json:"mode"`
	Base        *float64   `json:"base"`
	Bars        []SweepBar `json:"bars"`
}

// SweepBar is a Bar of sweep.json.
type SweepBar struct {
	Path   string   `json:"path"`
	Low    float64  `json:"low"`
	High   float64  `json:"high"`
	AtLow  *float64 `json:"at_low"`
	AtHigh *float64 `json:"at_high"`
	Swing  *float64 `json:"swing"`
}

// File is t as sweep.json holds it, with what head says of the sweep.
func (t *Tornado) File(head SweepFile) *SweepFile {
	f := head
	f.Schema, f.Outcome, f.Base, f.Bars = SweepSchema, t.Outcome, finite(t.Base), make([]SweepBar, len(t.Bars))
	for i, b := range t.Bars {
		f.Bars[i] = SweepBar{b.Path, b.Low, b.High, finite(b.AtLow), finite(b.AtHigh), finite(b.Swing)}
	}
	return &f
}

func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// The units of a sweep's outcome, as sweep.json names them: an amount of
// the currency, per QALY or per life-year of effect, QALYs, life-years, a
// share in [0, 1], months, days; "" for a figure whose unit paysim does not
// name (a count, a rate: docs/output.md gives it).
const (
	UnitMoney        = "money"
	UnitMoneyPerQALY = "money/qaly"
	UnitMoneyPerLY   = "money/life_year"
	UnitQALYs        = "qalys"
	UnitLifeYears    = "life_years"
	UnitShare        = "share"
	UnitMonths       = "months"
	UnitDays         = "days"
)

// Unit is the unit of a sweep's outcome: of a strategy's increment
// (outcome icer, d_cost, d_effect or nmb) when effect is its effect (qalys
// or life_years), else of a figure of summary.json, by its name.
func Unit(outcome, effect string) string {
	perEffect, eff := UnitMoneyPerLY, UnitLifeYears
	if effect == "qalys" {
		perEffect, eff = UnitMoneyPerQALY, UnitQALYs
	}
	switch outcome {
	case "icer":
		return perEffect
	case "d_cost", "nmb":
		return UnitMoney
	case "d_effect":
		return eff
	}
	path := strings.Split(outcome, ".")
	switch name := path[len(path)-1]; {
	case name == "qalys":
		return UnitQALYs
	case name == "life_years":
		return UnitLifeYears
	case name == "reserve_months":
		return UnitMonths
	case name == "mean_los":
		return UnitDays
	case strings.HasSuffix(name, "_share"), strings.HasSuffix(name, "prevalence"), strings.HasSuffix(name, "_rate") && name != "crude_death_rate",
		name == "detection", name == "overspend_forecast":
		return UnitShare
	case moneyFigures[name]:
		return UnitMoney
	}
	return ""
}

// moneyFigures are the names of summary.json's amounts of money.
var moneyFigures = map[string]bool{
	"income": true, "payout": true, "premium": true, "balance": true, "payout_per_enrollee": true,
	"resource_cost": true, "charges": true, "fund_paid": true, "fund_covered": true, "oop": true,
	"charges_per_enrollee": true, "revenue": true, "margin": true, "state_costs": true,
	"per_capita": true, "insurance": true, "risk_reserve": true, "public_health": true, "budget": true,
	"advanced": true, "internal": true, "outside": true, "spending": true, "surplus": true, "retained": true,
	"fund_kept": true, "transfer": true, "fund_outlay": true, "prevention": true, "investment": true,
	"investment_per_enrollee": true, "cost": true, "cost_per_enrollee": true, "fees": true,
	"paid_by_persons": true, "outlier_payment": true, "settlement": true, "denied_charges": true, "denied_cost": true,
}

// Sweep evaluates outcome at the base (no sets) and with each range's
// parameter at its low and its high value, the others at the base.
func Sweep(name string, ranges []Range, outcome func(sets []string) (float64, error)) (*Tornado, error) {
	base, err := outcome(nil)
	if err != nil {
		return nil, err
	}
	t := &Tornado{Outcome: name, Base: base}
	at := func(r Range, v float64) (float64, error) {
		x, err := outcome([]string{r.Path + "=" + strconv.FormatFloat(v, 'g', -1, 64)})
		if err != nil {
			return 0, fmt.Errorf("%s at %g: %w", r.Path, v, err)
		}
		return x, nil
	}
	for _, r := range ranges {
		b := Bar{Path: r.Path, Low: r.Low, High: r.High}
		if b.AtLow, err = at(r, r.Low); err != nil {
			return nil, err
		}
		if b.AtHigh, err = at(r, r.High); err != nil {
			return nil, err
		}
		b.Swing = math.Abs(b.AtHigh - b.AtLow)
		t.Bars = append(t.Bars, b)
	}
	slices.SortStableFunc(t.Bars, func(a, b Bar) int {
		switch sa, sb := orZero(a.Swing), orZero(b.Swing); {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	return t, nil
}

func orZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// Figure reads a figure of a summary: a path below a year's object in year
// (a calendar year; 0: the last) or, failing that, below the summary
// (overall.per_person.qalys).
func Figure(sum *report.Summary, metric string, year int) (float64, error) {
	b, err := json.Marshal(sum)
	if err != nil {
		return 0, err
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		return 0, err
	}
	path := strings.Split(metric, ".")
	if len(sum.Yearly) > 0 {
		yi := len(sum.Yearly) - 1
		for i, y := range sum.Yearly {
			if y.Year == year {
				yi = i
			}
		}
		years, _ := root["yearly"].([]any)
		if v, ok := lookup(years[yi], path); ok {
			if x, missing := number(v); !missing {
				return x, nil
			}
		}
	}
	if v, ok := lookup(root, path); ok {
		if x, missing := number(v); !missing {
			return x, nil
		}
	}
	return 0, fmt.Errorf("%s is no number of the summary; want a path below a year (fund.payout) or below the summary (overall.per_person.qalys), see docs/output.md", metric)
}

// Incremental reads an outcome of strategy k against the reference (the
// first) from a comparison's economics: icer (Δ cost ÷ Δ effect), d_cost,
// d_effect, or nmb (λ·Δ effect − Δ cost at wtp).
func (c *Comparison) Incremental(outcome string, k int, wtp float64) (float64, error) {
	e := c.Economics
	if e == nil || k <= 0 || k >= len(e.Strategies) {
		return 0, fmt.Errorf("no strategy %d to compare with the reference", k)
	}
	a, s := e.Strategies[0], e.Strategies[k]
	dc, de := s.Cost-a.Cost, s.Effect-a.Effect
	switch outcome {
	case "icer":
		return dc / de, nil
	case "d_cost":
		return dc, nil
	case "d_effect":
		return de, nil
	case "nmb":
		return wtp*de - dc, nil
	}
	return 0, fmt.Errorf("outcome %q: want icer, d_cost, d_effect or nmb", outcome)
}
