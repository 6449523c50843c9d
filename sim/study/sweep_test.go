package study

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim"
)

// TestSweep: an outcome 10 + 2a − 5b + 0·c, with a in [0, 1], b in [1, 3]
// and c in [0, 100] around the base 10: a swings 2, b 10, c 0; the bars come
// widest first with the outcome at each end.
func TestSweep(t *testing.T) {
	outcome := func(sets []string) (float64, error) {
		v := map[string]float64{"a": 0, "b": 0, "c": 0}
		for _, s := range sets {
			k, x, _ := strings.Cut(s, "=")
			v[k], _ = strconv.ParseFloat(x, 64)
		}
		return 10 + 2*v["a"] - 5*v["b"], nil
	}
	tor, err := Sweep("y", []Range{{"a", 0, 1}, {"b", 1, 3}, {"c", 0, 100}}, outcome)
	require.NoError(t, err)
	assert.Equal(t, 10.0, tor.Base)
	want := []Bar{{"b", 1, 3, 5, -5, 10}, {"a", 0, 1, 10, 12, 2}, {"c", 0, 100, 10, 10, 0}}
	assert.Equal(t, want, tor.Bars)
}

// TestParseRange: path=low,high, and what is not.
func TestParseRange(t *testing.T) {
	r, err := ParseRange("conditions.x.transitions.a->b.prob=0.1, 0.2")
	require.NoError(t, err)
	assert.Equal(t, Range{"conditions.x.transitions.a->b.prob", 0.1, 0.2}, r)
	for _, bad := range []string{"x", "x=1", "=1,2", "x=a,2", "x=1,NaN", "x=1,Inf"} {
		_, err := ParseRange(bad)
		assert.Error(t, err, bad)
	}
}

// TestRanges: a uniform's bounds; a normal's 2.5% and 97.5% quantiles,
// mean ± 1.959964 sd.
func TestRanges(t *testing.T) {
	s := loadLibrary(t, "teaching/markov-4state.yaml",
		"uncertain=[{set: discount_rate, distribution: uniform, min: 0, max: 0.05}, {set: conditions.sick-sicker.states.sick.cost, distribution: normal, mean: 4000, sd: 100}]")
	r := Ranges(s)
	require.Len(t, r, 2)
	assert.Equal(t, Range{"discount_rate", 0, 0.05}, r[0])
	assert.InDelta(t, 4000-195.9964, r[1].Low, 1e-3)
	assert.InDelta(t, 4000+195.9964, r[1].High, 1e-3)
}

// TestFigure reads a yearly figure in the year asked (the last by default)
// and a figure below the summary.
func TestFigure(t *testing.T) {
	s := loadLibrary(t, "county-ffs.yaml", "population.size=500", "years=2")
	sum, err := sim.Run(context.Background(), s, sim.Options{Seed: 1, Workers: 1})
	require.NoError(t, err)
	x, err := Figure(sum, "fund.payout", 0)
	require.NoError(t, err)
	assert.Equal(t, sum.Yearly[1].Fund.Payout, x)
	x, err = Figure(sum, "fund.payout", 2025)
	require.NoError(t, err)
	assert.Equal(t, sum.Yearly[0].Fund.Payout, x)
	x, err = Figure(sum, "overall.per_person.life_years", 0)
	require.NoError(t, err)
	assert.Equal(t, sum.Overall.PerPerson.LifeYears, x)
	_, err = Figure(sum, "overall.per_person.qalys", 0)
	assert.Error(t, err, "no utilities: no QALYs")
	_, err = Figure(sum, "fund.nothing", 0)
	assert.Error(t, err)
	assert.False(t, math.IsNaN(x))
}

// TestUnit: the unit of a strategy's increment follows its effect; a
// figure of summary.json takes its name's.
func TestUnit(t *testing.T) {
	for _, c := range []struct{ outcome, effect, want string }{
		{"icer", "qalys", UnitMoneyPerQALY},
		{"icer", "life_years", UnitMoneyPerLY},
		{"d_cost", "qalys", UnitMoney},
		{"nmb", "life_years", UnitMoney},
		{"d_effect", "qalys", UnitQALYs},
		{"d_effect", "life_years", UnitLifeYears},
		{"overall.per_person.qalys", "", UnitQALYs},
		{"overall.per_person.life_years", "", UnitLifeYears},
		{"fund.payout", "", UnitMoney},
		{"fund.payout_per_enrollee", "", UnitMoney},
		{"payment.budget.surplus", "", UnitMoney},
		{"fund.reserve_months", "", UnitMonths},
		{"utilisation.mean_los", "", UnitDays},
		{"utilisation.primary_outpatient_share", "", UnitShare},
		{"health.conditions.diabetes.control_rate", "", UnitShare},
		{"health.conditions.diabetes.prevalence", "", UnitShare},
		{"health.crude_death_rate", "", ""}, // per 1,000
		{"utilisation.admissions", "", ""},  // a count
	} {
		if got := Unit(c.outcome, c.effect); got != c.want {
			t.Errorf("Unit(%q, %q) = %q, want %q", c.outcome, c.effect, got, c.want)
		}
	}
}
