package study

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMeasure is a worked example of a study's figure over a waterfall of
// two arms (a mechanism off, then on) and three replicates. The fund's
// payout, before → after:
//
//	replicate  off           on
//	0          100 → 110     100 → 99
//	1          100 → 112     100 → 100
//	2          100 → 108     100 → 95
//
// Changes off: +10%, +12%, +8% (mean +10%); on: −1%, 0%, −5% (mean −2%,
// sample SD √7 %). The mechanism's contributions −11%, −12%, −13% (mean
// −12%, SD 1%). With t(2) = 4.303: the model's change −2% ± 4.303 × √7 ÷
// √3 % (±6.57%), the chance 1.96 × 2% (the SD of the changes with the
// mechanism off), the mechanism's step −12% ± 4.303 × 1 ÷ √3 %.
func TestMeasure(t *testing.T) {
	fi := slices.IndexFunc(compareFigures, func(c compareFigure) bool { return c.metric == "fund.payout" })
	run := func(before, after float64) CompareRun {
		f := make(Figures, len(compareFigures))
		f[fi] = []float64{before, after}
		return CompareRun{Figures: f}
	}
	runs := [][]CompareRun{
		{run(100, 110), run(100, 99)},
		{run(100, 112), run(100, 100)},
		{run(100, 108), run(100, 95)},
	}
	obs := -0.0913
	spec := &CaseSpec{Before: 2023, After: 2024, Figures: []CaseFigureSpec{{Metric: "fund.payout", Label: "payout", Observed: &obs}}}
	c := measure(spec, []string{"without the mechanisms", "+ budget"}, 2023, runs)
	require.Len(t, c.Results, 1)
	f := c.Results[0]
	const t2 = 4.302652729749464
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("change", f.Change, -0.02)
	near("half-width", f.Half, t2*math.Sqrt(7)/100/math.Sqrt(3))
	near("chance", f.Chance, 1.96*0.02)
	near("step 0", f.Steps[0].Change, 0.10)
	near("step 0 half-width", f.Steps[0].Half, t2*0.02/math.Sqrt(3))
	near("step 1", f.Steps[1].Change, -0.12)
	near("step 1 half-width", f.Steps[1].Half, t2*0.01/math.Sqrt(3))
	near("steps add up", f.Steps[0].Change+f.Steps[1].Change, f.Change)
	// −9.13% lies 19.13% from the +10% with the mechanism off, outside its
	// chance (±3.92%); 7.13% from the model's −2%, within √(spread² +
	// half²) = √(10.37² + 6.57²): consistent (spread 1.96 × √7 %).
	near("baseline", f.Baseline, 0.10)
	near("spread", f.Spread, 1.96*math.Sqrt(7)/100)
	if f.Verdict != VerdictConsistent {
		t.Errorf("verdict %q, want %q", f.Verdict, VerdictConsistent)
	}
}

// TestVerdict: the observed change against the model's and chance.
func TestVerdict(t *testing.T) {
	x := func(v float64) *float64 { return &v }
	model := func(change, half, spread, baseline, chance float64) *CaseFigure {
		return &CaseFigure{Change: change, Half: half, Spread: spread, Baseline: baseline, Chance: chance}
	}
	for _, c := range []struct {
		observed *float64
		r        *CaseFigure
		want     string
	}{
		{nil, model(-0.05, 0.01, 0.02, 0, 0.02), VerdictUnobserved},
		{x(0.015), model(-0.05, 0.01, 0.02, 0, 0.02), VerdictChance},     // a district could see it with nothing changed
		{x(0.035), model(-0.05, 0.01, 0.02, 0.02, 0.02), VerdictChance},  // around the drift with nothing changed
		{x(-0.07), model(-0.05, 0.01, 0.02, 0, 0.02), VerdictConsistent}, // 0.02 apart, within √(0.02² + 0.01²)
		{x(-0.09), model(-0.05, 0.01, 0.02, 0, 0.02), VerdictDirection},  // 0.04 apart: the direction only
		{x(-0.09), model(0.05, 0.01, 0.02, 0, 0.02), VerdictNot},         // the other direction
		{x(-0.09), model(-0.005, 0.01, 0.02, 0, 0.02), VerdictNot},       // no change, within the model's interval
		{x(0.09), model(0.06, 0.01, 0.001, 0, 0.02), VerdictDirection},   // a rise; the scenario's own spread is small
		{x(0.09), model(0.06, 0.01, 0.03, 0, 0.02), VerdictConsistent},   // the same, with a wide spread
	} {
		if got := verdict(c.observed, c.r); got != c.want {
			t.Errorf("verdict(%v, %+v) = %q, want %q", c.observed, *c.r, got, c.want)
		}
	}
}
