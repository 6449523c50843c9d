package study

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// Outcome is one checked expectation in one year.
type Outcome struct {
	Index   int          // in the scenario's expect list
	Pos     scenario.Pos // where the expectation is written
	Metric  string
	Year    int     // calendar year; 0 for a figure of the whole run
	Value   float64 // the figure
	Missing bool    // the figure has no value that year (a reserve with no payout)
	Want    string  // the bound, for people
	OK      bool
}

func (o Outcome) String() string {
	where := ""
	if o.Year != 0 {
		where = fmt.Sprintf(" in %d", o.Year)
	}
	got := strconv.FormatFloat(o.Value, 'g', 6, 64)
	if o.Missing {
		got = "no value"
	}
	verdict := "met"
	if !o.OK {
		verdict = "FAILED"
	}
	return fmt.Sprintf("%s: expect[%d] %s%s is %s, want %s: %s", o.Pos, o.Index, o.Metric, where, got, o.Want, verdict)
}

// ExpectationError is the failure of some of a scenario's expectations.
type ExpectationError struct{ Failed []Outcome }

func (e *ExpectationError) Error() string {
	lines := make([]string, len(e.Failed))
	for i, o := range e.Failed {
		lines[i] = o.String()
	}
	return fmt.Sprintf("%d expectation(s) failed:\n%s", len(e.Failed), strings.Join(lines, "\n"))
}

// Expect checks the scenario's expectations against a summary of its run and
// returns every outcome; the error is an *ExpectationError when some failed,
// or a *scenario.Error when an expectation names no figure of the summary.
func Expect(s *scenario.Scenario, sum *report.Summary) ([]Outcome, error) {
	if len(s.Expect) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(sum)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	yearly, _ := doc["yearly"].([]any)
	var out []Outcome
	var failed []Outcome
	for i, e := range s.Expect {
		pos := s.At(fmt.Sprintf("expect[%d]", i))
		path := strings.Split(e.Metric, ".")
		var years []int // indexes into yearly; nil: a figure of the summary
		if _, ok := lookup(doc, path); !ok || len(e.Years) > 0 {
			years = yearIndexes(e.Years, sum)
		}
		check := func(year int, v any) {
			o := Outcome{Index: i, Pos: pos, Metric: e.Metric, Year: year}
			o.Value, o.Missing = number(v)
			o.Want, o.OK = bound(e, o.Value)
			o.OK = o.OK && !o.Missing
			out = append(out, o)
			if !o.OK {
				failed = append(failed, o)
			}
		}
		if years == nil {
			v, _ := lookup(doc, path)
			check(0, v)
			continue
		}
		for _, yi := range years {
			y, _ := yearly[yi].(map[string]any)
			v, ok := lookup(y, path)
			if !ok {
				return nil, &scenario.Error{Pos: s.At(fmt.Sprintf("expect[%d].metric", i)),
					Msg: fmt.Sprintf("expect[%d].metric: %q is no figure of summary.json (a year's or the whole run's); see docs/output.md", i, e.Metric)}
			}
			check(sum.Yearly[yi].Year, v)
		}
	}
	if len(failed) > 0 {
		return out, &ExpectationError{Failed: failed}
	}
	return out, nil
}

// yearIndexes turns an expectation's years into indexes of the summary's
// yearly list (all of them by default).
func yearIndexes(years []string, sum *report.Summary) []int {
	var idx []int
	if len(years) == 0 {
		years = []string{"all"}
	}
	for _, y := range years {
		switch y {
		case "all":
			for i := range sum.Yearly {
				idx = append(idx, i)
			}
		case "last":
			idx = append(idx, len(sum.Yearly)-1)
		default:
			n, _ := strconv.Atoi(y) // validated
			for i, yr := range sum.Yearly {
				if yr.Year == n {
					idx = append(idx, i)
				}
			}
		}
	}
	return idx
}

// lookup follows a dotted path through decoded JSON.
func lookup(v any, path []string) (any, bool) {
	for _, seg := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

// number reads a JSON number; null or anything else is missing.
func number(v any) (float64, bool) {
	if f, ok := v.(float64); ok {
		return f, false
	}
	return 0, true
}

// bound says what an expectation wants and whether x meets it.
func bound(e scenario.Expectation, x float64) (string, bool) {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	switch {
	case e.Near != nil:
		tol := e.RTol * math.Abs(*e.Near)
		return fmt.Sprintf("%s ± %s%%", f(*e.Near), f(100*e.RTol)), math.Abs(x-*e.Near) <= tol
	case e.Min != nil && e.Max != nil:
		return fmt.Sprintf("%s to %s", f(*e.Min), f(*e.Max)), x >= *e.Min && x <= *e.Max
	case e.Min != nil:
		return "at least " + f(*e.Min), x >= *e.Min
	default:
		return "at most " + f(*e.Max), x <= *e.Max
	}
}
