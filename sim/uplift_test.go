package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// The uplift technology of semi-tight-consortium.yaml, for every form.
const upliftTech = "uplift={tiers: [township, county], gain: 0.012, scale: 20, depreciation: 0.2}"

// runForm runs a library scenario at 25,000 persons for 5 years, three
// replicates on the scenario's seed (common random numbers across forms),
// with responses on and sets.
func runForm(t *testing.T, name string, sets ...string) *report.Summary {
	t.Helper()
	s, err := scenario.LoadFS(scenarios.FS, name, append([]string{"population.size=25000", "years=5", "responses.enabled=true"}, sets...))
	require.NoError(t, err)
	sum, err := RunReplicates(context.Background(), s, Options{Seed: s.Seed, Workers: 2}, 3)
	require.NoError(t, err)
	return sum
}

// upliftFigures are a run's figures of where patients go and of the uplift.
type upliftFigures struct {
	inCounty     float64 // the in-county admission share, mean of the years
	down         float64 // referrals down, all years
	invest       float64 // investment per enrollee, all years
	township     float64 // the township's capability in the last year
	inCountyGain float64 // the in-county share's change from the first year to the last
}

func formFigures(sum *report.Summary) upliftFigures {
	var f upliftFigures
	ys := sum.Yearly
	for i := range ys {
		y := &ys[i]
		f.inCounty += y.Utilisation.InCountyAdmissionShare / float64(len(ys))
		f.down += float64(y.Utilisation.ReferralsDown)
		if c := y.Capability; c != nil {
			f.invest += c.InvestmentPerEnrollee
			for _, tc := range c.Tiers {
				if tc.Tier == "township" {
					f.township = tc.Capability
				}
			}
		}
	}
	f.inCountyGain = ys[len(ys)-1].Utilisation.InCountyAdmissionShare - ys[0].Utilisation.InCountyAdmissionShare
	return f
}

// TestUpliftRanksForms: under one uplift technology and one referral
// agreement (loose-consortium's: pull 0.2, down 0.3), the tight community
// (county-global-budget, keeping all of a surplus), the semi-tight one
// (keeping half) and the loose one (no budget) invest in their tiers'
// capability by what they keep of the saving — the loose one nothing — and
// rank tight > semi-tight > loose on the in-county admission share and the
// referrals down over five years; the uplift itself widens the gaps: the
// in-county share grows most where the community keeps most.
func TestUpliftRanksForms(t *testing.T) {
	agreement := "consortia.county-medical-community.referral={pull: 0.2, down: 0.3}"
	tight := formFigures(runForm(t, "county-global-budget.yaml", upliftTech, agreement))
	semi := formFigures(runForm(t, "semi-tight-consortium.yaml", upliftTech))
	loose := formFigures(runForm(t, "loose-consortium.yaml", upliftTech))
	t.Logf("tight %+v\nsemi  %+v\nloose %+v", tight, semi, loose)

	assert.Greater(t, tight.invest, semi.invest, "investment per enrollee: tight > semi-tight")
	assert.Greater(t, semi.invest, 0.0, "investment per enrollee: semi-tight > 0")
	assert.Zero(t, loose.invest, "investment per enrollee: loose keeps no saving")
	assert.Greater(t, tight.township, semi.township, "township capability in the fifth year: tight > semi-tight")
	assert.Greater(t, semi.township, 1.0, "township capability in the fifth year: semi-tight above its own 1")

	assert.Greater(t, tight.inCounty, semi.inCounty, "in-county admission share: tight > semi-tight")
	assert.Greater(t, semi.inCounty, loose.inCounty, "in-county admission share: semi-tight > loose")
	assert.Greater(t, tight.down, semi.down, "referrals down: tight > semi-tight")
	assert.Greater(t, semi.down, loose.down, "referrals down: semi-tight > loose")
	assert.Greater(t, tight.inCountyGain, semi.inCountyGain, "in-county share's growth: tight > semi-tight")
	assert.Greater(t, semi.inCountyGain, loose.inCountyGain, "in-county share's growth: semi-tight > loose")
}

// TestUpliftOffIsIdentical: an uplift whose gain is 0 gives the very
// summary of none, and one the consortium does not invest in (a loose
// consortium keeps no saving) the same figures but for the capability it
// reports.
func TestUpliftOffIsIdentical(t *testing.T) {
	without := runResponses(t, "county-global-budget.yaml", "responses.enabled=true")
	off := runResponses(t, "county-global-budget.yaml", "responses.enabled=true", "uplift={tiers: [township, county], gain: 0, scale: 20, depreciation: 0.2}")
	sameFigures(t, without, off, "uplift gain 0")

	loose := runResponses(t, "loose-consortium.yaml")
	idle := runResponses(t, "loose-consortium.yaml", upliftTech)
	for i := range idle.Yearly {
		c := idle.Yearly[i].Capability
		require.NotNil(t, c, "a loose consortium's uplift is reported")
		assert.Zero(t, c.Investment, "a loose consortium invests nothing")
		idle.Yearly[i].Capability = nil
	}
	sameFigures(t, loose, idle, "an uplift nobody invests in")
}

// TestUpliftBooksTheInvestment: the tight community's investment is the
// year's investment per enrollee × its enrollees at the year's start, and
// its budget books it (sim/payment/budget has the members' share of it).
func TestUpliftBooksTheInvestment(t *testing.T) {
	sum := runResponses(t, "county-global-budget.yaml", "responses.enabled=true", upliftTech)
	invested := 0.0
	for i := range sum.Yearly {
		y := &sum.Yearly[i]
		b := y.Payment.Budget
		require.NotNil(t, b)
		assert.InDelta(t, y.Capability.InvestmentPerEnrollee*b.Enrollees, y.Capability.Investment, 1e-6, "year %d: investment", y.Year)
		assert.InDelta(t, y.Capability.Investment, b.Investment, 1e-6, "year %d: the budget books the investment", y.Year)
		invested += b.Investment
	}
	assert.Zero(t, sum.Yearly[0].Capability.Investment, "nothing is invested before a year is seen")
	assert.Greater(t, invested, 0.0, "the tight community invests")
}
