package study

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// TestIncrements works the textbook procedure by hand on five strategies
// (cost, effect): A (1000, 5.0), B (3000, 5.5), C (2500, 5.4), D (4000, 6.0),
// E (10000, 6.2), F (4000, 5.9).
//
// In cost order A, C, B, D, F, E. F costs as much as D and is less
// effective: dominated by D. No other is dominated: each is more effective
// than every cheaper one. ICERs along A, C, B, D, E: A→C 1500/0.4 = 3750,
// C→B 500/0.1 = 5000, B→D 1000/0.5 = 2000: B's exceeds the next, so B is
// extendedly dominated (against C). Then A→C 3750, C→D 1500/0.6 = 2500: C
// is extendedly dominated (against A). Then A→D 3000/1.0 = 3000, D→E
// 6000/0.2 = 30000: rising. The frontier is A, D, E.
func TestIncrements(t *testing.T) {
	cost := []float64{1000, 3000, 2500, 4000, 10000, 4000}
	effect := []float64{5.0, 5.5, 5.4, 6.0, 6.2, 5.9}
	got := Increments(cost, effect)
	want := []struct {
		status  Status
		against int
		icer    float64
	}{
		{Frontier, -1, math.NaN()},
		{Extended, 2, math.NaN()},
		{Extended, 0, math.NaN()},
		{Frontier, 0, 3000},
		{Frontier, 3, 30000},
		{Dominated, 3, math.NaN()},
	}
	for i, w := range want {
		g := got[i]
		if g.Status != w.status || g.Against != w.against || !(math.Abs(g.ICER-w.icer) < 1e-6 || math.IsNaN(g.ICER) && math.IsNaN(w.icer)) {
			t.Errorf("strategy %c: %+v; want %s against %d, ICER %v", 'A'+i, g, w.status, w.against, w.icer)
		}
	}
	// Increments against the frontier strategy before: E − D = 6000, 0.2.
	if got[4].DCost != 6000 || math.Abs(got[4].DEffect-0.2) > 1e-12 {
		t.Errorf("E: increments %v, %v; want 6000, 0.2", got[4].DCost, got[4].DEffect)
	}
	// F against D, which dominates it: 0 more cost, 0.1 less effect.
	if got[5].DCost != 0 || math.Abs(got[5].DEffect+0.1) > 1e-12 {
		t.Errorf("F: increments %v, %v; want 0, −0.1", got[5].DCost, got[5].DEffect)
	}
}

// TestIncrementsTies: equal strategies are one frontier strategy and an
// equivalent; a cheaper, more effective strategy dominates.
func TestIncrementsTies(t *testing.T) {
	got := Increments([]float64{100, 100, 50}, []float64{2, 2, 3})
	if got[2].Status != Frontier || got[0].Status != Dominated || got[1].Status != Dominated {
		t.Errorf("a cheaper, better strategy: %+v", got)
	}
	got = Increments([]float64{100, 100}, []float64{2, 2})
	if got[0].Status != Frontier || got[1].Status != Equivalent || got[1].Against != 0 {
		t.Errorf("two equal strategies: %+v", got)
	}
}

// TestEconomics: compare's cost-effectiveness of two arms of the textbook
// model works from the per-person discounted figures of each replicate:
// the increments are the differences of the means, the ICER their ratio,
// the net monetary benefit λ·QALYs − cost, and at each λ the shares of
// replicates in which each arm is best sum to 1.
func TestEconomics(t *testing.T) {
	soc := loadLibrary(t, "teaching/markov-4state.yaml", "population.size=2000")
	trt := loadLibrary(t, "teaching/markov-4state.yaml", "population.size=2000",
		"conditions.sick-sicker.states.sick.cost=16000", "conditions.sick-sicker.states.sick.utility=0.95")
	trt.Name = "treatment"
	c, err := Compare(context.Background(), []*scenario.Scenario{soc, trt}, sim.Options{Seed: 3, Workers: 2}, 4)
	require.NoError(t, err)
	e := c.Economics
	require.NotNil(t, e)
	assert.Equal(t, HealthSystem, e.Perspective)
	assert.Equal(t, "qalys", e.Effect)
	a, b := e.Strategies[0], e.Strategies[1]
	assert.Equal(t, Frontier, a.Status)
	assert.Nil(t, a.ICER)
	require.Equal(t, Frontier, b.Status, "treatment costs more and gives more QALYs")
	assert.Equal(t, "markov-4state", b.Against)
	assert.InDelta(t, b.Cost-a.Cost, b.DCost, 1e-6)
	assert.InDelta(t, b.Effect-a.Effect, b.DEffect, 1e-9)
	require.NotNil(t, b.ICER)
	assert.InDelta(t, b.DCost/b.DEffect, *b.ICER, 1e-6)

	wtp := []float64{0, 1e6}
	c.Evaluate(Payer, wtp)
	e = c.Economics
	assert.Equal(t, Payer, e.Perspective)
	for i, l := range wtp {
		sum := 0.0
		for _, s := range e.Strategies {
			assert.InDelta(t, l*s.Effect-s.Cost, s.NMB[i], 1e-6, "%s NMB at %v", s.Name, l)
			sum += s.ProbBest[i]
		}
		assert.InDelta(t, 1, sum, 1e-12, "P(best) at %v", l)
	}
	// At λ = 0 the cheaper arm is best in every replicate; at 10⁶ per QALY
	// the more effective one.
	assert.Equal(t, []float64{1, 0}, e.Strategies[0].ProbBest)
	assert.Equal(t, []float64{0, 1}, e.Strategies[1].ProbBest)
}

// TestEvaluatePSA works EVPI and the acceptability frontier by hand: two
// strategies of cost 0 and effects A 10, 0, 10, 0 and B 0, 10, 0, 10 over
// four replicates that drew their parameters. At λ = 1 both have a mean net
// monetary benefit of 5: the optimal is the first, A, best in 2 of 4
// replicates; with perfect information the best is worth 10 in every
// replicate, so EVPI = 10 − 5 = 5. At λ = 0 every NMB is 0 and EVPI 0.
func TestEvaluatePSA(t *testing.T) {
	zero := []float64{0, 0, 0, 0}
	c := &Comparison{
		Draws: &report.Draws{Paths: []string{"x"}, Values: [][]float64{{1}, {2}, {3}, {4}}},
		draws: &ceDraws{names: []string{"A", "B"},
			stateCosts: [][]float64{zero, zero}, charges: [][]float64{zero, zero}, fundPaid: [][]float64{zero, zero},
			lifeYears: [][]float64{{10, 0, 10, 0}, {0, 10, 0, 10}}},
	}
	c.Evaluate(HealthSystem, []float64{1, 0})
	e := c.Economics
	assert.Equal(t, "life_years", e.Effect)
	assert.Equal(t, []string{"A", "A"}, e.Optimal)
	assert.Equal(t, []float64{0.5, 1}, e.OptimalProb)
	assert.Equal(t, []float64{5, 0}, e.EVPI)
	assert.Equal(t, []float64{0.5, 1}, e.Strategies[0].ProbBest)
	assert.Equal(t, []float64{0.5, 0}, e.Strategies[1].ProbBest)

	// Without draws the spread is Monte Carlo noise: no EVPI.
	c.Draws = nil
	c.Evaluate(HealthSystem, []float64{1})
	assert.Nil(t, c.Economics.EVPI)
}

// loadArmsOf loads a library scenario's strategies as compare does: each
// the scenario with the strategy's sets applied.
func loadArmsOf(t *testing.T, name string) []*scenario.Scenario {
	t.Helper()
	base := loadLibrary(t, name)
	var arms []*scenario.Scenario
	for _, st := range base.Strategies {
		a := loadLibrary(t, name, st.Set...)
		a.Name = st.Name
		arms = append(arms, a)
	}
	return arms
}

// published are a textbook model's published results per strategy, in
// the order of its strategies, and its ICER (the second against the first).
type published struct {
	effect string // qalys or life_years
	cost   []float64
	eff    []float64
	icer   float64
}

// checkExact runs the strategies of a library scenario as cohorts and
// checks the published costs, effects and ICER to 1e-6 of each.
func checkExact(t *testing.T, name string, p published) {
	t.Helper()
	c, err := Compare(context.Background(), loadArmsOf(t, name), sim.Options{Seed: 1, Mode: sim.Cohort}, 1)
	require.NoError(t, err)
	e := c.Economics
	require.Equal(t, p.effect, e.Effect)
	for k := range p.cost {
		s := e.Strategies[k]
		assert.InEpsilon(t, p.cost[k], s.Cost, 1e-6, "%s cost", s.Name)
		assert.InEpsilon(t, p.eff[k], s.Effect, 1e-6, "%s %s", s.Name, p.effect)
	}
	require.NotNil(t, e.Strategies[1].ICER)
	assert.InEpsilon(t, p.icer, *e.Strategies[1].ICER, 1e-6, "ICER")
}

// checkDrawn runs the strategies of a library scenario as 8 replicates of
// persons simulated persons each and checks that the mean costs and
// effects lie within 4 Monte Carlo standard errors of the published ones.
func checkDrawn(t *testing.T, name string, persons int, p published) {
	t.Helper()
	arms := loadArmsOf(t, name)
	for _, a := range arms {
		a.Population.Size = persons
	}
	c, err := Compare(context.Background(), arms, sim.Options{Seed: 7, Workers: 2}, 8)
	require.NoError(t, err)
	tq := report.T95(8)
	for k := range p.cost {
		s := c.Economics.Strategies[k]
		t.Logf("%s: cost %.3f ± %.3f, %s %.5f ± %.5f (95%%)", s.Name, s.Cost, s.CostHalf, p.effect, s.Effect, s.EffectHalf)
		assert.LessOrEqual(t, math.Abs(s.Cost-p.cost[k]), 4*s.CostHalf/tq, "%s cost %v against %v", s.Name, s.Cost, p.cost[k])
		assert.LessOrEqual(t, math.Abs(s.Effect-p.eff[k]), 4*s.EffectHalf/tq, "%s %s %v against %v", s.Name, p.effect, s.Effect, p.eff[k])
	}
}

// hivPublished are the results of Briggs, Claxton & Sculpher, Decision
// Modelling for Health Economic Evaluation (2006), Example 2.5, the HIV
// model, as heemod's tests/testthat/test_dmhee.R quotes them from the
// book's spreadsheet: monotherapy £44,663.4535637 and 7.9912066
// life-years, combination £50,601.6513312 and 8.9373889, ICER £6,275.95560
// per life-year gained.
var hivPublished = published{effect: "life_years",
	cost: []float64{44663.4535637, 50601.6513312}, eff: []float64{7.9912066, 8.9373889}, icer: 6275.95560}

// TestPublishedBriggsHIV reproduces a published model exactly in cohort
// mode.
func TestPublishedBriggsHIV(t *testing.T) { checkExact(t, "teaching/hiv-briggs.yaml", hivPublished) }

// TestBriggsHIVMicrosimulation: the microsimulation of the same model
// scatters around the published figures within 4 Monte Carlo standard
// errors (8 replicates of 5,000 persons).
func TestBriggsHIVMicrosimulation(t *testing.T) {
	checkDrawn(t, "teaching/hiv-briggs.yaml", 5000, hivPublished)
}

// thrPublished are the results of the same book's Example 3.5, the total
// hip replacement model, as heemod's tests/testthat/test_dmhee.R ("Exactly
// match THR model") quotes them from the book's spreadsheet: per patient,
// the standard prosthesis £512.434658 and 14.6531896 QALYs, the new one
// £610.311818 and 14.69770986, ICER £2,198.486665 per QALY gained.
var thrPublished = published{effect: "qalys",
	cost: []float64{512.434658, 610.311818}, eff: []float64{14.6531896, 14.69770986}, icer: 2198.486665}

// TestPublishedBriggsTHR reproduces the second published model exactly in
// cohort mode: states counted at the start of each of 61 cycles (t = 0 …
// 60), costs at 6% and QALYs at 1.5%, mortality by age band as the cohort
// ages, revision by a Weibull hazard since the operation.
func TestPublishedBriggsTHR(t *testing.T) { checkExact(t, "teaching/thr-briggs.yaml", thrPublished) }

// TestBriggsTHRMicrosimulation: the microsimulation of the THR model
// scatters around the published figures within 4 Monte Carlo standard
// errors (8 replicates of 10,000 persons).
func TestBriggsTHRMicrosimulation(t *testing.T) {
	checkDrawn(t, "teaching/thr-briggs.yaml", 10000, thrPublished)
}

// TestBriggsTHRRevisionSteps: the by_run_years factors of the revision of
// the primary prosthesis in teaching/thr-briggs are the source's Weibull
// probabilities, 1 − exp(λ·(t^γ − (t + 1)^γ)) in the cycle from t to t + 1,
// λ = exp(−5.490935 − 0.0367022 × 60), γ = exp(0.3740968), and λ ×
// exp(−1.344474) for the new prosthesis.
func TestBriggsTHRRevisionSteps(t *testing.T) {
	lambda, gamma := math.Exp(-5.490935-0.0367022*60), math.Exp(0.3740968)
	arms := loadArmsOf(t, "teaching/thr-briggs.yaml")
	for k, l := range []float64{lambda, lambda * math.Exp(-1.344474)} {
		var steps []scenario.Step
		for _, tr := range arms[k].Conditions[0].Transitions {
			if tr.From == "success_p" && tr.To == "revision" {
				steps = tr.ByRunYears
			}
		}
		require.Len(t, steps, 61, arms[k].Name)
		for i, st := range steps {
			x := float64(i)
			want := -math.Expm1(l * (math.Pow(x, gamma) - math.Pow(x+1, gamma)))
			if st.Years != x || math.Abs(st.Factor-want) > 1e-12*want {
				t.Errorf("%s: step %d = {%v, %v}, want {%v, %v}", arms[k].Name, i, st.Years, st.Factor, x, want)
			}
		}
	}
}

// TestCostCategoriesInEconomics: a strategy's cost in compare's economics,
// discounted and not, is exactly the sum of its categories in
// Economics.CostCategories' order:
// the state cost categories, then care, the charges from the health
// system's perspective and what the fund paid from the payer's.
// teaching/small-county with drugs for the uncontrolled and the
// controlled, against the same with the controlled's drug dearer.
func TestCostCategoriesInEconomics(t *testing.T) {
	sets := []string{"population.size=2000", "years=2",
		"conditions.hypertension.states.uncontrolled.cost.drug=300", "conditions.hypertension.states.controlled.cost.drug=500"}
	a := loadLibrary(t, "teaching/small-county.yaml", sets...)
	b := loadLibrary(t, "teaching/small-county.yaml", append(sets, "conditions.hypertension.states.controlled.cost.drug=900")...)
	b.Name = "dearer"
	c, err := Compare(context.Background(), []*scenario.Scenario{a, b}, sim.Options{Seed: 5}, 2)
	require.NoError(t, err)
	for _, p := range []Perspective{HealthSystem, Payer} {
		c.Evaluate(p, nil)
		e := c.Economics
		require.Equal(t, []string{"drug", scenario.CareCategory}, e.CostCategories)
		for k, s := range e.Strategies {
			total, undiscounted := 0.0, 0.0
			for _, name := range e.CostCategories {
				total += s.CostBy[name]
				undiscounted += s.UndiscountedCostBy[name]
			}
			if total != s.Cost || undiscounted != s.UndiscountedCost {
				t.Errorf("%s, %s: categories %v sum to %v, undiscounted %v to %v; want exactly the costs %v and %v",
					p, s.Name, s.CostBy, total, s.UndiscountedCostBy, undiscounted, s.Cost, s.UndiscountedCost)
			}
			assert.Greater(t, s.UndiscountedCostBy["drug"], s.CostBy["drug"], "%s, %s: drug undiscounted", p, s.Name)
			care := c.draws.charges[k]
			if p == Payer {
				care = c.draws.fundPaid[k]
			}
			assert.InEpsilon(t, (care[0]+care[1])/2, s.CostBy[scenario.CareCategory], 1e-12, "%s, %s: care", p, s.Name)
			assert.Positive(t, s.CostBy["drug"], "%s, %s: drug", p, s.Name)
		}
		assert.Greater(t, e.Strategies[1].CostBy["drug"], e.Strategies[0].CostBy["drug"], "%s: the dearer drug", p)
	}
}
