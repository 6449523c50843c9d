package drg

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/scenario"
)

// The worked examples of testdata/weights.yaml, per person in the first year:
//
//	background: pneumonia (0.6 × 0.1 + 0.4 × 0.3) × 0.75 = 0.135,
//	            stroke    0.18 × 0.25 = 0.045;
//	condition:  the old band's sick half, 0.4 × 0.5 = 0.2, has strokes at 0.1 a
//	            year (0.02) and dies admitted as a stroke at 0.02 × 2 (0.008);
//	            the young band starts in none, which admits nothing.
//
// So 135 pneumonia and 73 stroke admissions for 1,000 persons.
func TestExpectedCases(t *testing.T) {
	c := care(t)
	got := c.ExpectedCases()
	want := []float64{0.135, 0.073}
	for g := range want {
		if math.Abs(got[g]-want[g]) > 1e-12 {
			t.Errorf("ExpectedCases[%s] = %v, want %v", c.GroupNames[g], got[g], want[g])
		}
	}
}

// TestBuildWeights: RW_g = mean_g ÷ the case-weighted mean cost Σ n_g mean_g ÷
// Σ n_g; base_rate = (1 + growth) × Σ n_g mean_g ÷ Σ n_g RW_g.
func TestBuildWeights(t *testing.T) {
	cases := []struct {
		name     string
		sets     []string
		rw       []float64
		baseRate float64
	}{
		// Expected cases 135 and 73: M = (135 × 6000 + 73 × 20000) ÷ 208 =
		// 2,270,000 ÷ 208 = 10,913.46; RW 6000 ÷ M, 20000 ÷ M (the mean of
		// group means, 13,000, would give 0.4615 and 1.5385); base rate
		// 1.02 × M = 11,131.73.
		{name: "expected cases", rw: []float64{6000 / (2270000.0 / 208), 20000 / (2270000.0 / 208)},
			baseRate: 1.02 * 2270000 / 208},
		// Last year's cases 300 and 100: M = (1,800,000 + 2,000,000) ÷ 400 =
		// 9,500; RW 0.6316 and 2.1053; base rate 1.02 × 9500 = 9,690.
		{name: "given cases", sets: []string{"payment.drg.drg.groups=[{group: pneumonia, cases: 300}, {group: stroke, cases: 100}]"},
			rw: []float64{6000.0 / 9500, 20000.0 / 9500}, baseRate: 9690},
		// One count given: stroke 100 cases, pneumonia expected 135: M =
		// (810,000 + 2,000,000) ÷ 235 = 11,957.45.
		{name: "one count given", sets: []string{"payment.drg.drg.groups=[{group: stroke, cases: 100}]"},
			rw: []float64{6000 / (2810000.0 / 235), 20000 / (2810000.0 / 235)}, baseRate: 1.02 * 2810000 / 235},
		// Pneumonia's RW given as 1: stroke's is 20000 ÷ M = 1.8326; base rate
		// 1.02 × 2,270,000 ÷ (135 × 1 + 73 × 1.8326) = 8,614.40.
		{name: "a weight given", sets: []string{"payment.drg.drg.groups=[{group: pneumonia, rw: 1}]"},
			rw:       []float64{1, 20000 / (2270000.0 / 208)},
			baseRate: 1.02 * 2270000 / (135 + 73*20000/(2270000.0/208))},
		// A base rate given with the budget: the first year's, re-derived later.
		{name: "base rate given", sets: []string{"payment.drg.drg.base_rate=9000"},
			rw: []float64{6000 / (2270000.0 / 208), 20000 / (2270000.0 / 208)}, baseRate: 9000},
	}
	for _, tc := range cases {
		r := build(t, tc.sets...)
		for g, w := range tc.rw {
			if math.Abs(r.p.RW[g]-w) > 1e-9 {
				t.Errorf("%s: RW[%d] = %v, want %v", tc.name, g, r.p.RW[g], w)
			}
		}
		if math.Abs(r.p.BaseRate-tc.baseRate) > 1e-6 || !r.p.Rebase {
			t.Errorf("%s: base rate %v, rebase %v; want %v, true", tc.name, r.p.BaseRate, r.p.Rebase, tc.baseRate)
		}
	}
}

func care(t *testing.T, sets ...string) *model.Care {
	t.Helper()
	s, err := scenario.Load("testdata/weights.yaml", sets)
	require.NoError(t, err)
	c, err := model.CompileCare(s)
	require.NoError(t, err)
	return c
}

func build(t *testing.T, sets ...string) *Rule {
	t.Helper()
	c := care(t, sets...)
	return Build(c, 1).(*Rule)
}

// TestBuildMeanTier: a mean taken at the reference tier is re-derived
// there; a mean the scenario gives, over the binding's tiers.
func TestBuildMeanTier(t *testing.T) {
	if got := build(t).p.MeanTier; len(got) != 2 || got[0] != 0 || got[1] != 0 {
		t.Errorf("MeanTier of means taken at the county (tier 0) = %v, want [0 0]", got)
	}
	r := build(t, "payment.drg.drg.groups=[{group: stroke, mean: 21000}]")
	if got := r.p.MeanTier; got[0] != 0 || got[1] != -1 || r.p.Mean[1] != 21000 {
		t.Errorf("MeanTier with stroke's mean given = %v (mean %v), want [0 -1] (21000)", got, r.p.Mean[1])
	}
}

// TestBuildRebasedProcurement: a cut of 40% × 50% on stroke's stays from
// 2026, re-based from 2027, and a cut of 10% × 20% on every charge from
// 2027, never re-based. The stays' charge factors follow both cuts at once;
// the rule's prices only the re-based one, from 2027, weighted by the
// groups' spending n_g × mean_g: (135 × 6000 + 73 × 20000 × 0.8) ÷
// (135 × 6000 + 73 × 20000) = 1,978,000 ÷ 2,270,000.
func TestBuildRebasedProcurement(t *testing.T) {
	sets := []string{"years=3", "trends.shocks=[" +
		"{name: stents, year: 2026, groups: [stroke], share: 0.4, cut: 0.5, rebased_from: 2027}, " +
		"{name: drugs, year: 2027, share: 0.1, cut: 0.2}]"}
	c := care(t, sets...)
	want := [][]float64{{1, 1}, {1, 0.8}, {0.98, 0.8 * 0.98}} // by year: pneumonia, stroke at the county
	for y, w := range want {
		got := c.StayCharges(y)
		for g := range w {
			if math.Abs(got[g]-w[g]) > 1e-12 {
				t.Errorf("year %d: %s's stay charge factor %v, want %v", 2025+y, c.GroupNames[g], got[g], w[g])
			}
		}
	}
	if v := c.Charges(1)[1]; v != 1 { // a group's cut leaves the service's factor
		t.Errorf("2026: the inpatient charge factor %v, want 1", v)
	}
	r := Build(c, 1).(*Rule)
	wantR := []float64{1, 1, 1978000.0 / 2270000}
	require.Len(t, r.p.Rebased, 3)
	for y, w := range wantR {
		if math.Abs(r.p.Rebased[y]-w) > 1e-12 {
			t.Errorf("year %d: re-based factor %v, want %v", 2025+y, r.p.Rebased[y], w)
		}
	}
	if r := build(t, "years=3", "trends.shocks=[{name: stents, year: 2026, groups: [stroke], share: 0.4, cut: 0.5}]"); r.p.Rebased != nil {
		t.Errorf("no shock re-based: factors %v, want none", r.p.Rebased)
	}
}
