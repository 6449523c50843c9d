package sim

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// The uplift technology of semi-tight-consortium.yaml, for every form.
const upliftTech = "uplift={tiers: [township, county], gain: 0.012, scale: 20, depreciation: 0.2}"

// upliftReps is how many replicates the ranking of forms is taken over.
const upliftReps = 8

// runForm runs a library scenario at 25,000 persons for 5 years,
// upliftReps replicates on the scenario's seed (common random numbers
// across forms: replicate r of every form draws the same persons), with
// responses on and sets, and returns each replicate's figures.
func runForm(t *testing.T, name string, sets ...string) []upliftFigures {
	t.Helper()
	s, err := scenario.LoadFS(scenarios.FS, name, append([]string{"population.size=25000", "years=5", "responses.enabled=true"}, sets...))
	require.NoError(t, err)
	reps, err := RunRange(context.Background(), s, Options{Seed: s.Seed, Workers: 2}, 0, upliftReps)
	require.NoError(t, err)
	figs := make([]upliftFigures, len(reps))
	for r, sum := range reps {
		figs[r] = formFigures(sum)
	}
	return figs
}

// upliftFigures are a run's figures of where patients go and of the uplift.
type upliftFigures struct {
	inCounty     float64 // the in-county admission share, mean of the years
	down         float64 // referrals down, all years
	invest       float64 // investment per enrollee, all years
	township     float64 // the township's capability in the last year
	county       float64 // the county's capability in the last year
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
				switch tc.Tier {
				case "township":
					f.township = tc.Capability
				case "county":
					f.county = tc.Capability
				}
			}
		}
	}
	f.inCountyGain = ys[len(ys)-1].Utilisation.InCountyAdmissionShare - ys[0].Utilisation.InCountyAdmissionShare
	return f
}

// meanCI is the mean of xs and the half-width of its 95% interval
// (1.96 standard errors).
func meanCI(xs []float64) (mean, half float64) {
	n := float64(len(xs))
	for _, x := range xs {
		mean += x / n
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, 1.96 * math.Sqrt(ss/(n-1)/n)
}

// ranks asserts that figure f of a is above b's on the mean of the
// replicates' paired differences, by more than its 95% interval.
func ranks(t *testing.T, what string, a, b []upliftFigures, f func(upliftFigures) float64) {
	t.Helper()
	d := make([]float64, len(a))
	for r := range a {
		d[r] = f(a[r]) - f(b[r])
	}
	mean, half := meanCI(d)
	assert.Greater(t, mean-half, 0.0, "%s: difference %.4g ± %.2g", what, mean, half)
}

// logForms logs each form's figures, mean ± 95% interval over replicates.
func logForms(t *testing.T, forms map[string][]upliftFigures) {
	t.Helper()
	for _, name := range []string{"tight", "semi-tight", "loose"} {
		figs := forms[name]
		line := name
		for _, x := range []struct {
			what string
			f    func(upliftFigures) float64
		}{{"invest", func(f upliftFigures) float64 { return f.invest }},
			{"township", func(f upliftFigures) float64 { return f.township }},
			{"county", func(f upliftFigures) float64 { return f.county }},
			{"in-county", func(f upliftFigures) float64 { return f.inCounty }},
			{"gain", func(f upliftFigures) float64 { return f.inCountyGain }},
			{"down", func(f upliftFigures) float64 { return f.down }}} {
			xs := make([]float64, len(figs))
			for r := range figs {
				xs[r] = x.f(figs[r])
			}
			m, h := meanCI(xs)
			line += fmt.Sprintf("  %s %.4g ± %.2g", x.what, m, h)
		}
		t.Log(line)
	}
}

// runForms runs the three forms under one uplift technology and one
// referral agreement (loose-consortium's: pull 0.2, down 0.3; the tight
// community, county-global-budget, is given it), each budget's keys
// changed by budget (key=value of consortia.county-medical-community.budget).
func runForms(t *testing.T, budget ...string) map[string][]upliftFigures {
	agreement := "consortia.county-medical-community.referral={pull: 0.2, down: 0.3}"
	var sets []string
	for _, kv := range budget {
		sets = append(sets, "consortia.county-medical-community.budget."+kv)
	}
	forms := map[string][]upliftFigures{
		"tight":      runForm(t, "county-global-budget.yaml", append([]string{upliftTech, agreement}, sets...)...),
		"semi-tight": runForm(t, "semi-tight-consortium.yaml", sets...),
		"loose":      runForm(t, "loose-consortium.yaml", upliftTech),
	}
	logForms(t, forms)
	return forms
}

// TestUpliftRanksForms: the tight community (county-global-budget: its
// members' investment decided as one), the semi-tight one (the same
// retained share α = 1, each member tier deciding for itself) and the
// loose one (no budget: each member for its own margin), 25,000 persons,
// five years, eight replicates on common random numbers. Each ranking
// asserted holds on the mean paired difference by more than its 95%
// interval.
//
// Under the default budget, rebased each year on the year's spending, a
// saving is kept one year and the members' margins, kept as long as a unit
// of capability lasts, weigh more: the county hospital invests for the
// patients it draws (from outside and, in a loose consortium, from the
// townships, whose margin a unified community counts and a loose county
// hospital does not), and the loose one invests the most. The budget's
// responses and the referral agreement keep the down-referrals of the
// communities above the loose one's.
//
// Under a budget set by income (以收定支), a saving is kept while the unit
// lasts: the tight community invests in the township, whose stays cost
// the budget least, and the semi-tight one, whose township keeps a third
// of the saving it brings, less: tight > semi-tight on investment, on the
// township's capability and on the in-county share's growth, and tight >
// semi-tight > loose on the in-county share and the referrals down. (Each
// held at the scenario's seed and at 777, 12345 and 4242.)
func TestUpliftRanksForms(t *testing.T) {
	t.Run("base spending", func(t *testing.T) {
		f := runForms(t)
		down := func(f upliftFigures) float64 { return f.down }
		ranks(t, "referrals down: tight > loose", f["tight"], f["loose"], down)
		ranks(t, "referrals down: semi-tight > loose", f["semi-tight"], f["loose"], down)
		inCounty := func(f upliftFigures) float64 { return f.inCounty }
		ranks(t, "in-county admission share: tight > loose", f["tight"], f["loose"], inCounty)
		ranks(t, "in-county admission share: semi-tight > loose", f["semi-tight"], f["loose"], inCounty)
		ranks(t, "investment: loose > tight", f["loose"], f["tight"], func(f upliftFigures) float64 { return f.invest })
		for _, m := range f["loose"] {
			assert.Greater(t, m.invest, 0.0, "a loose consortium invests for its margin")
		}
	})
	t.Run("base income", func(t *testing.T) {
		f := runForms(t, "base=income", "per_capita=0", "growth=0", "income_share=0.9")
		ranks(t, "investment: tight > semi-tight", f["tight"], f["semi-tight"], func(f upliftFigures) float64 { return f.invest })
		ranks(t, "township capability: tight > semi-tight", f["tight"], f["semi-tight"], func(f upliftFigures) float64 { return f.township })
		ranks(t, "referrals down: tight > semi-tight", f["tight"], f["semi-tight"], func(f upliftFigures) float64 { return f.down })
		ranks(t, "referrals down: semi-tight > loose", f["semi-tight"], f["loose"], func(f upliftFigures) float64 { return f.down })
		inCounty := func(f upliftFigures) float64 { return f.inCounty }
		ranks(t, "in-county admission share: tight > semi-tight", f["tight"], f["semi-tight"], inCounty)
		ranks(t, "in-county admission share: semi-tight > loose", f["semi-tight"], f["loose"], inCounty)
		ranks(t, "in-county share's growth: tight > semi-tight", f["tight"], f["semi-tight"], func(f upliftFigures) float64 { return f.inCountyGain })
	})
}

// TestUpliftOffIsIdentical: an uplift whose gain is 0 gives the very
// summary of none, for a community that would invest and for a loose
// consortium.
func TestUpliftOffIsIdentical(t *testing.T) {
	off := "uplift={tiers: [township, county], gain: 0, scale: 20, depreciation: 0.2}"
	without := runResponses(t, "county-global-budget.yaml", "responses.enabled=true")
	sameFigures(t, without, runResponses(t, "county-global-budget.yaml", "responses.enabled=true", off), "uplift gain 0")
	sameFigures(t, runResponses(t, "loose-consortium.yaml"), runResponses(t, "loose-consortium.yaml", off), "a loose consortium's uplift gain 0")
}

// incomeBudget makes county-global-budget's budget follow the fund's
// income (以收定支), under which its community keeps a saving and invests.
var incomeBudget = []string{"consortia.county-medical-community.budget.base=income", "consortia.county-medical-community.budget.per_capita=0",
	"consortia.county-medical-community.budget.growth=0", "consortia.county-medical-community.budget.income_share=0.9"}

// TestUpliftBooksTheInvestment: the tight community's investment (under a
// budget set by income, where it invests) is the year's investment per
// enrollee × its enrollees at the year's start, its budget books it
// (sim/payment/budget has the members' share of it), and it is at most
// the surplus the community retained the year before (国卫基层发〔2023〕41号:
// a retained surplus pays for it), nothing after an overspend.
func TestUpliftBooksTheInvestment(t *testing.T) {
	sum := runResponses(t, "county-global-budget.yaml", append([]string{"years=5", "responses.enabled=true", upliftTech}, incomeBudget...)...)
	invested, binds := 0.0, 0
	for i := range sum.Yearly {
		y := &sum.Yearly[i]
		b := y.Payment.Budget
		require.NotNil(t, b)
		assert.InDelta(t, y.Capability.InvestmentPerEnrollee*b.Enrollees, y.Capability.Investment, 1e-6, "year %d: investment", y.Year)
		assert.InDelta(t, y.Capability.Investment, b.Investment, 1e-6, "year %d: the budget books the investment", y.Year)
		if i > 0 {
			assert.LessOrEqual(t, b.Investment, max(0, sum.Yearly[i-1].Payment.Budget.Retained)+1e-6, "year %d: investment within last year's retained surplus", y.Year)
		}
		invested += b.Investment
		if i > 0 && b.Investment > 0 && math.Abs(b.Investment-sum.Yearly[i-1].Payment.Budget.Retained) < 1e-6 {
			binds++
		}
	}
	assert.Positive(t, binds, "the retained surplus limits the investment in some year")
	assert.Zero(t, sum.Yearly[0].Capability.Investment, "nothing is invested before a year is seen")
	assert.Greater(t, invested, 0.0, "the tight community invests")
}
