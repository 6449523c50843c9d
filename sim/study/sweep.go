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
// their swing, widest first.
type Tornado struct {
	Outcome string  `json:"outcome"`
	Base    float64 `json:"base"`
	Bars    []Bar   `json:"bars"`
}

// Bar is one parameter's line of a tornado table.
type Bar struct {
	Path   string  `json:"path"`
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	AtLow  float64 `json:"at_low"`  // the outcome with the parameter at Low
	AtHigh float64 `json:"at_high"` // … at High
	Swing  float64 `json:"swing"`   // |AtHigh − AtLow|
}

// MarshalJSON writes NaN outcomes (an ICER without an increment of
// effect) as null.
func (b Bar) MarshalJSON() ([]byte, error) {
	type bar struct {
		Path   string   `json:"path"`
		Low    float64  `json:"low"`
		High   float64  `json:"high"`
		AtLow  *float64 `json:"at_low"`
		AtHigh *float64 `json:"at_high"`
		Swing  *float64 `json:"swing"`
	}
	return json.Marshal(bar{b.Path, b.Low, b.High, finite(b.AtLow), finite(b.AtHigh), finite(b.Swing)})
}

func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
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
