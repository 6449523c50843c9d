package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/capitation"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// eachVisit is a rule without payment.Linear: the engine books its visits
// one by one. It prices and settles the year as the rule does.
type eachVisit struct{ payment.Rule }

func (e eachVisit) Price(c *payment.Case, explain bool) payment.Price {
	return e.Rule.(payment.Pricer).Price(c, explain)
}

func (e eachVisit) YearEnd(year, binding int, tot *payment.Settlement, out *payment.YearEnd) {
	if ye, ok := e.Rule.(payment.YearEnder); ok {
		ye.YearEnd(year, binding, tot, out)
	}
}

// TestCountedVisitsAsBooked: the visits that linear rules count (payment.
// Linear) give the figures of the same visits booked one by one — the same
// counts, and the same money up to the order of its sums — by tier,
// provider and rule, every year, with a capitation rule, a deductible on
// visits, a ceiling that binds and every response; and the episodes'
// export lists every counted visit, priced as the rule prices each.
func TestCountedVisitsAsBooked(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "semi-tight-consortium.yaml", []string{"population.size=5000", "years=2",
		"benefit.tiers.village.outpatient.deductible=15", "benefit.tiers.county.outpatient.deductible=30",
		"benefit.outpatient_ceiling=150", "responses.enabled=true"})
	require.NoError(t, err)
	run := func(wrap bool, episodes func(int, []payment.Event) error) []*tally.Year {
		w, err := Compile(s)
		require.NoError(t, err)
		rules := w.Rules
		require.True(t, slices.ContainsFunc(rules, func(r payment.Rule) bool { _, ok := r.(*capitation.Rule); return ok }), "no capitation rule")
		if wrap {
			rules = make([]payment.Rule, len(w.Rules))
			for b, r := range w.Rules {
				rules[b] = r
				if _, ok := r.(payment.Linear); ok {
					rules[b] = eachVisit{r}
				}
			}
		}
		e, err := engine.New(context.Background(), w.Model, w.Plan, rules, engine.Options{Seed: 3, Workers: 2, Payer: w.Payer, Episodes: episodes})
		require.NoError(t, err)
		var ys []*tally.Year
		require.NoError(t, e.Run(context.Background(), func(y *tally.Year) error { ys = append(ys, y); return nil }))
		return ys
	}
	// What each export lists of the visits: how many, and the fund's
	// payments for them by provider.
	export := func(n *int64, fund map[uint16]float64) func(int, []payment.Event) error {
		return func(_ int, evs []payment.Event) error {
			for i := range evs {
				if evs[i].Service == payment.Outpatient {
					*n++
					fund[evs[i].Provider] += evs[i].FundPaid
				}
			}
			return nil
		}
	}
	var nCounted, nEach int64
	fundCounted, fundEach := map[uint16]float64{}, map[uint16]float64{}
	counted, each, plain := run(false, export(&nCounted, fundCounted)), run(true, export(&nEach, fundEach)), run(false, nil)
	close := func(what string, x, y []float64) {
		t.Helper()
		require.Len(t, y, len(x), what)
		for i := range x {
			assert.InDelta(t, y[i], x[i], 1e-9*max(1, math.Abs(y[i])), "%s[%d]", what, i)
		}
	}
	var visits int64
	for y := range counted {
		a, b := counted[y], each[y]
		assert.Equal(t, plain[y].Counts, a.Counts, "year %d: the export changes no figure", y)
		assert.Positive(t, a.Counts.WithheldVisits, "year %d: no visit withheld", y)
		assert.Positive(t, a.Counts.OOP[0], "year %d: no patient paid at the village", y)
		assert.Equal(t, b.Counts.Visits, a.Counts.Visits, "year %d visits by tier", y)
		assert.Equal(t, b.Counts.ChronicVisits, a.Counts.ChronicVisits, "year %d", y)
		assert.Equal(t, b.Counts.WithheldVisits, a.Counts.WithheldVisits, "year %d", y)
		for name, x := range map[string][2][]float64{"charges": {a.Counts.Charges, b.Counts.Charges}, "covered": {a.Counts.Covered, b.Counts.Covered},
			"oop": {a.Counts.OOP, b.Counts.OOP}, "fund": {a.Counts.FundPaid, b.Counts.FundPaid}, "revenue": {a.Counts.Revenue, b.Counts.Revenue},
			"provider revenue": {a.Set.Revenue, b.Set.Revenue}, "provider fund": {a.Set.FundPaid, b.Set.FundPaid},
			"provider cases": {a.Set.Cases, b.Set.Cases}, "provider cost": {a.Set.Cost, b.Set.Cost}} {
			close(fmt.Sprintf("year %d %s", y, name), x[0], x[1])
		}
		for r := range a.Set.Rules {
			assert.Equal(t, b.Set.Rules[r].Cases, a.Set.Rules[r].Cases, "year %d rule %d cases", y, r)
			close(fmt.Sprintf("year %d rule %d patients' share by provider", y, r), a.Set.Rules[r].ProvOOP, b.Set.Rules[r].ProvOOP)
		}
		assert.InDelta(t, b.Payout, a.Payout, 1e-9*b.Payout, "year %d payout", y)
		visits += tally.SumInt(a.Counts.Visits)
	}
	assert.Equal(t, visits, nCounted, "visits exported")
	assert.Equal(t, nEach, nCounted, "visits exported")
	require.NotEmpty(t, fundEach)
	for p, f := range fundEach {
		assert.InDelta(t, f, fundCounted[p], 1e-9*max(1, f), "fund's payments for provider %d's visits exported", p)
	}
}
