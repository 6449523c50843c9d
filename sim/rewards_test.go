package sim

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// tunnel is a three-cycle model whose persons all move the same way: a, b
// and c in turn, then dead, so that each convention's totals can be worked
// by hand. Its rewards block is filled in by the test.
const tunnel = `
version: 1
name: tunnel
years: 3
cycle: year
discount_rate: 0.5 # unused: both rates are given
rewards: %s
population:
  size: 10
  age_bands:
    - {name: all, from: 0, to: 120, weight: 1, mortality: 0}
conditions:
  - name: course
    states:
      - {name: a, cost: 100, utility: 1}
      - {name: b, cost: 200, utility: 0.5}
      - {name: c, cost: 300, utility: 0.25}
      - {name: dead, dead: true}
    transitions:
      - {from: a, to: b, prob: 1}
      - {from: b, to: c, prob: 1}
      - {from: c, to: dead, prob: 1}
tiers:
  - {name: clinic, outpatient: true, visit_charges: 1}
benefit:
  inpatient_ceiling: 1
  tiers: [{tier: clinic}]
payment:
  - {method: ffs}
`

// TestRewardConventions works each timing through the tunnel by hand, as a
// microsimulation and as a cohort (the same, for nobody's course is left to
// chance). The
// states held at t = 0, 1, 2, 3 are a, b, c and dead: life-years 1, 1, 1, 0
// a year, QALYs 1, 0.5, 0.25, 0, state costs 100, 200, 300, 0. Effects are
// discounted at 5%, costs at 10%: d(t) = 1.05^−t and 1.1^−t.
func TestRewardConventions(t *testing.T) {
	e := func(t float64) float64 { return math.Pow(1.05, -t) }
	c := func(t float64) float64 { return math.Pow(1.1, -t) }
	half := func(start, end float64) float64 { return (start + end) / 2 }
	type totals struct{ ly, qaly, cost float64 }
	cases := []struct {
		timing       string
		undisc, disc totals
	}{
		// The points t = 0, 1, 2, at the start of the three cycles.
		{"start", totals{3, 1.75, 600},
			totals{1 + e(1) + e(2), 1 + 0.5*e(1) + 0.25*e(2), 100 + 200*c(1) + 300*c(2)}},
		// The points t = 1, 2, 3, at their ends.
		{"end", totals{2, 0.75, 500},
			totals{e(1) + e(2), 0.5*e(1) + 0.25*e(2), 200*c(1) + 300*c(2)}},
		// t = 0 … 3, the first and the last halved.
		{"half_cycle", totals{0.5 + 1 + 1 + 0, 0.5 + 0.5 + 0.25 + 0, 50 + 200 + 300 + 0},
			totals{0.5 + e(1) + e(2), 0.5 + 0.5*e(1) + 0.25*e(2), 50 + 200*c(1) + 300*c(2)}},
		// Each cycle the mean of its start and its end, at its middle.
		{"life_table", totals{half(1, 1) + half(1, 1) + half(1, 0), half(1, 0.5) + half(0.5, 0.25) + half(0.25, 0), half(100, 200) + half(200, 300) + half(300, 0)},
			totals{half(1, 1)*e(0.5) + half(1, 1)*e(1.5) + half(1, 0)*e(2.5),
				half(1, 0.5)*e(0.5) + half(0.5, 0.25)*e(1.5) + half(0.25, 0)*e(2.5),
				half(100, 200)*c(0.5) + half(200, 300)*c(1.5) + half(300, 0)*c(2.5)}},
	}
	for _, tc := range cases {
		s, err := scenario.Parse("tunnel.yaml", fmt.Appendf(nil, tunnel,
			"{timing: "+tc.timing+", discount_costs: 0.1, discount_effects: 0.05}"), nil)
		require.NoError(t, err)
		for _, mode := range []string{Microsimulation, Cohort} {
			sum, err := Run(context.Background(), s, Options{Seed: 1, Workers: 1, Mode: mode})
			require.NoError(t, err)
			check := func(what string, got report.Discounted, want totals) {
				t.Helper()
				for _, f := range []struct {
					name      string
					got, want float64
				}{{"life-years", got.LifeYears, want.ly}, {"QALYs", *got.QALYs, want.qaly}, {"state costs", got.StateCosts, want.cost}} {
					if math.Abs(f.got-f.want) > 1e-9*max(1, f.want) {
						t.Errorf("%s, %s: %s %s per person = %v, want %v", mode, tc.timing, what, f.name, f.got, f.want)
					}
				}
			}
			check("undiscounted", sum.Overall.PerPersonUndiscounted, tc.undisc)
			check("discounted", sum.Overall.PerPerson, tc.disc)
		}
	}
}

// stepped is a two-cycle model of one state whose cost is 100 a year in the
// first year and 200 from the second (cost_by_run_years), nobody dying.
const stepped = `
version: 1
name: stepped
years: 2
cycle: year
rewards: %s
population:
  size: 10
  age_bands:
    - {name: all, from: 0, to: 120, weight: 1, mortality: 0}
conditions:
  - name: course
    states:
      - {name: on, cost: 100, cost_by_run_years: [{years: 1, cost: 200}]}
      - {name: off}
    transitions:
      - {from: on, to: off, prob: 0}
tiers:
  - {name: clinic, outpatient: true, visit_charges: 1}
benefit:
  inpatient_ceiling: 1
  tiers: [{tier: clinic}]
payment:
  - {method: ffs}
`

// TestRewardCostSteps: a point of time counts towards the cycle it starts
// at that cycle's cost and towards the one it ends at that one's, so that
// every timing prices the first year at 100 and the second at 200, also
// where a point is shared (t = 1). Costs discounted at 10%: c(t) = 1.1^−t.
func TestRewardCostSteps(t *testing.T) {
	c := func(t float64) float64 { return math.Pow(1.1, -t) }
	cases := []struct {
		timing       string
		undisc, disc float64
	}{
		{"start", 300, 100 + 200*c(1)},
		{"end", 300, 100*c(1) + 200*c(2)},
		// t = 0: ½ of year 1's 100; t = 1: ½ of 100 (the year it ends) + ½ of 200 (the one it starts); t = 2: ½ of 200.
		{"half_cycle", 300, 50 + (50+100)*c(1) + 100*c(2)},
		{"life_table", 300, 100*c(0.5) + 200*c(1.5)},
	}
	for _, tc := range cases {
		s, err := scenario.Parse("stepped.yaml", fmt.Appendf(nil, stepped, "{timing: "+tc.timing+", discount_costs: 0.1}"), nil)
		require.NoError(t, err)
		for _, mode := range []string{Microsimulation, Cohort} {
			sum, err := Run(context.Background(), s, Options{Seed: 1, Workers: 1, Mode: mode})
			require.NoError(t, err)
			if got := sum.Overall.PerPersonUndiscounted.StateCosts; math.Abs(got-tc.undisc) > 1e-9 {
				t.Errorf("%s, %s: undiscounted state costs %v, want %v", mode, tc.timing, got, tc.undisc)
			}
			if got := sum.Overall.PerPerson.StateCosts; math.Abs(got-tc.disc) > 1e-9 {
				t.Errorf("%s, %s: discounted state costs %v, want %v", mode, tc.timing, got, tc.disc)
			}
		}
	}
}

// TestCostCategoriesAddUp: teaching/hiv-briggs keeps its state costs in
// two categories, medical and drug. In cohort mode, in one
// microsimulation and in the mean of three, every total of the summary
// (discounted, undiscounted, per person) is exactly the sum of its
// categories in the summary's order; and the drug category is what the
// same run costs with the medical costs set to 0 (the categories are
// priced apart, not apportioned).
func TestCostCategoriesAddUp(t *testing.T) {
	noMedical := []string{"conditions.hiv.states.A.cost.medical=0", "conditions.hiv.states.B.cost.medical=0", "conditions.hiv.states.C.cost.medical=0"}
	for _, mode := range []struct {
		name string
		opt  Options
		reps int
	}{{"cohort", Options{Mode: Cohort}, 1}, {"microsimulation", Options{Seed: 3}, 1}, {"3 replicates", Options{Seed: 3}, 3}} {
		run := func(sets ...string) *report.Summary {
			s, err := scenario.LoadFS(scenarios.FS, "teaching/hiv-briggs.yaml", append([]string{"population.size=2000"}, sets...))
			require.NoError(t, err)
			sum, err := RunReplicates(context.Background(), s, mode.opt, mode.reps)
			require.NoError(t, err)
			return sum
		}
		sum, drugOnly := run(), run(noMedical...)
		require.Equal(t, []string{"medical", "drug"}, sum.CostCategories, mode.name)
		o, d := &sum.Overall, &drugOnly.Overall
		for _, f := range []struct {
			name      string
			got, drug report.Discounted
		}{{"discounted", o.Discounted, d.Discounted}, {"undiscounted", o.Undiscounted, d.Undiscounted},
			{"per person", o.PerPerson, d.PerPerson}, {"per person undiscounted", o.PerPersonUndiscounted, d.PerPersonUndiscounted}} {
			total := 0.0
			for _, name := range sum.CostCategories {
				total += f.got.StateCostsBy[name]
			}
			if total != f.got.StateCosts || f.got.StateCostsBy["medical"] <= 0 || f.got.StateCostsBy["drug"] <= 0 {
				t.Errorf("%s, %s: categories %v sum to %v, total %v; want them positive and summing exactly to the total", mode.name, f.name, f.got.StateCostsBy, total, f.got.StateCosts)
			}
			if got, want := f.got.StateCostsBy["drug"], f.drug.StateCosts; math.Abs(got-want) > 1e-12*want {
				t.Errorf("%s, %s: drug %v, the total without medical costs %v; want them equal", mode.name, f.name, got, want)
			}
		}
	}
}
