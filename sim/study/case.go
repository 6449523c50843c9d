package study

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// CaseSpec is what a comparison needs of a measured study
// (scenario.Measured): its years, its figures with their observed
// changes, and the names of its waterfall's steps, the comparison's arms in
// order (every mechanism off, then each switched on).
type CaseSpec struct {
	Source  string           `json:"source,omitempty"`
	Before  int              `json:"before"`
	After   int              `json:"after"`
	Figures []CaseFigureSpec `json:"figures"`
}

// CaseFigureSpec is one figure of a study.
type CaseFigureSpec struct {
	Metric   string   `json:"metric"`
	Label    string   `json:"label"`
	Observed *float64 `json:"observed"`
}

// NewCaseSpec is the spec of s's measured study, or nil without one, or an
// error naming a figure whose metric paysim compare does not report.
func NewCaseSpec(s *scenario.Scenario) (*CaseSpec, error) {
	m := s.Measured
	if m == nil {
		return nil, nil
	}
	spec := &CaseSpec{Source: m.Source, Before: m.Before, After: m.After}
	for i, f := range m.Figures {
		k := slices.IndexFunc(compareFigures, func(c compareFigure) bool { return c.metric == f.Metric })
		if k < 0 {
			return nil, &scenario.Error{Pos: s.At(fmt.Sprintf("measured.figures[%d].metric", i)),
				Msg: fmt.Sprintf("measured.figures[%d].metric: %q is not a figure paysim compare reports; want one of %s", i, f.Metric, metricList())}
		}
		label := f.Label
		if label == "" {
			label = compareFigures[k].label
		}
		spec.Figures = append(spec.Figures, CaseFigureSpec{Metric: f.Metric, Label: label, Observed: f.Observed})
	}
	return spec, nil
}

// metricList lists the compare metrics for messages.
func metricList() string {
	names := make([]string, len(compareFigures))
	for i, f := range compareFigures {
		names[i] = f.metric
	}
	return strings.Join(names, ", ")
}

// Case is a measured study beside the model: for each figure, the change
// the study observed, the model's change from Before to After in the last
// arm (the scenario as written) with the 95% interval of its mean, the
// chance variation of one district's change (1.96 × the replicates'
// standard deviation: what a district of this size could see with nothing
// changed but chance), and the waterfall of the model's change over the
// arms.
type Case struct {
	CaseSpec
	Results []CaseFigure `json:"results"`
}

// CaseFigure is one figure's result. The changes are fractions (−0.05 for
// −5%); Steps[0] is the change with every mechanism off, Steps[k] the
// contribution of switching on mechanism k, each with its paired 95%
// interval; they add up to Change.
type CaseFigure struct {
	Metric   string   `json:"metric"`
	Label    string   `json:"label"`
	Observed *float64 `json:"observed"`
	Change   float64  `json:"change"`
	Half     float64  `json:"half_width_95"`
	// Baseline is the mean change with every mechanism off, and Chance
	// 1.96 × the standard deviation of one replicate's change there: the
	// band a district's change falls in with nothing changed. Spread is the
	// same of the scenario as written, around Change.
	Baseline float64    `json:"baseline"`
	Chance   float64    `json:"chance_95"`
	Spread   float64    `json:"spread_95"`
	Verdict  string     `json:"verdict"`
	Steps    []CaseStep `json:"steps"`
}

// CaseStep is a step of a waterfall.
type CaseStep struct {
	Name   string  `json:"name"`
	Change float64 `json:"change"`
	Half   float64 `json:"half_width_95"`
}

// The verdicts on a study's figure.
const (
	// VerdictChance: the observed change lies within chance of the change
	// with nothing changed (Baseline ± Chance): one district could see it
	// by chance alone, so the study cannot show it, and the model need
	// not explain it.
	VerdictChance = "within chance"
	// VerdictConsistent: the observed change lies within the model's
	// change ± √(spread² + half²), the spread of one district's change
	// around the model's and the uncertainty of the model's mean.
	VerdictConsistent = "consistent"
	// VerdictDirection: not consistent, but the model's change has the
	// observed direction and its interval excludes no change.
	VerdictDirection = "direction only"
	// VerdictNot: none of these.
	VerdictNot = "not reproduced"
	// VerdictUnobserved: the study reports no change for the figure.
	VerdictUnobserved = "not observed"
	// VerdictUndefined: the figure has no value in a replicate (no
	// person-time at 30–69, say): nothing is computed for it.
	VerdictUndefined = "undefined"
)

// measure computes the case of spec from the runs of the arms names,
// runs[r][k] replicate r of arm k, with the comparison's first year start.
func measure(spec *CaseSpec, names []string, start int, runs [][]CompareRun) *Case {
	c := &Case{CaseSpec: *spec}
	before, after := spec.Before-start, spec.After-start
	for _, f := range spec.Figures {
		fi := slices.IndexFunc(compareFigures, func(c compareFigure) bool { return c.metric == f.Metric })
		// change[k][r]: arm k's relative change in replicate r.
		change := make([][]float64, len(names))
		for k := range names {
			for _, rep := range runs {
				ys := rep[k].Figures[fi]
				change[k] = append(change[k], ys[after]/ys[before]-1)
			}
		}
		last := change[len(names)-1]
		t := report.T95(len(last))
		res := CaseFigure{Metric: f.Metric, Label: f.Label, Observed: f.Observed}
		if slices.ContainsFunc(slices.Concat(change...), func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }) {
			res.Verdict = VerdictUndefined
			c.Results = append(c.Results, res)
			continue
		}
		res.Change, res.Half = report.MeanHalfWidth(last, t)
		res.Baseline, _ = report.MeanHalfWidth(change[0], t)
		if len(last) > 1 { // sample standard deviations
			res.Chance = 1.96 * stat.StdDev(change[0], nil)
			res.Spread = 1.96 * stat.StdDev(last, nil)
		}
		for k, name := range names {
			d := slices.Clone(change[k])
			if k > 0 {
				for r := range d {
					d[r] -= change[k-1][r]
				}
			}
			m, h := report.MeanHalfWidth(d, t)
			res.Steps = append(res.Steps, CaseStep{Name: name, Change: m, Half: h})
		}
		res.Verdict = verdict(f.Observed, &res)
		c.Results = append(c.Results, res)
	}
	return c
}

// verdict judges an observed change against the model's result r.
func verdict(observed *float64, r *CaseFigure) string {
	switch {
	case observed == nil:
		return VerdictUnobserved
	case math.Abs(*observed-r.Baseline) <= r.Chance:
		return VerdictChance
	case math.Abs(*observed-r.Change) <= math.Hypot(r.Spread, r.Half):
		return VerdictConsistent
	case math.Signbit(*observed) == math.Signbit(r.Change) && math.Abs(r.Change) > r.Half:
		return VerdictDirection
	}
	return VerdictNot
}
