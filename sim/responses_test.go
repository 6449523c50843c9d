package sim

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// The responses of these tests, every parameter given so that the tests do
// not move with the documented defaults. allResponses switches each one on
// (upcoding small enough to stay under the default 5% cap in three years:
// 1.01³ ≈ 1.03);
// noResponses keeps the block but sets every response to 0. onlyX runs
// start from noResponses and switch one response back on with a further set.
const (
	allResponses = "responses={mild: 0.5, induced: 0.1, withheld: 0.1, los: 0.1, los_charges: 0.4, upcoding: 0.01, " +
		"split: 0.05, readmission: 0.03, pull: 0.3, down_referral: 0.5, " +
		"prevention: {effort: 1, screening: 0.5, enrolment: 1, control: 0.5, complications: 0.3}}"
	noResponses = "responses={mild: 0.5, induced: 0, withheld: 0, los: 0, los_charges: 0.4, upcoding: 0, " +
		"split: 0, readmission: 0, pull: 0, down_referral: 0, " +
		"prevention: {effort: 0, screening: 0.5, enrolment: 1, control: 0.5, complications: 0.3}}"
	// memberBudget makes county-drg's village, township and county providers
	// a tight consortium keeping α = 0.8 of its surplus, still paid by
	// county-drg's rules (DRG stays, bed-day rehab, outpatients by item).
	memberBudget = "consortia=[{name: community, tiers: [village, township, county], budget: {per_capita: 1080, growth: 0.03, " +
		"risk_reserve: 0.08, surplus_share: 0.8, tier_shares: {county: 0.6, township: 0.3, village: 0.1}, " +
		"overspend_share: 0.6, overspend_cap: 0.08}}]"
)

// runResponses runs a library scenario at 30,000 persons for 3 years with
// sets, on the scenario's seed: every run of a test is paired with the others
// on the same random numbers.
func runResponses(t *testing.T, name string, sets ...string) *report.Summary {
	t.Helper()
	s := loadResponses(t, name, sets...)
	sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: 2})
	require.NoError(t, err)
	return sum
}

// loadResponses loads a library scenario at 30,000 persons for 3 years with sets.
func loadResponses(t *testing.T, name string, sets ...string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.LoadFS(scenarios.FS, name, append([]string{"population.size=30000", "years=3"}, sets...))
	require.NoError(t, err)
	return s
}

// figures is the JSON of a summary without its incentives (which only a run
// with responses reports): two runs with the same figures have the same figures.
func figures(t *testing.T, sum *report.Summary) string {
	t.Helper()
	c := *sum
	c.Incentives = nil
	b, err := json.Marshal(&c)
	require.NoError(t, err)
	return string(b)
}

// sameFigures asserts that two runs reported the same figures.
func sameFigures(t *testing.T, want, got *report.Summary, format string, args ...any) {
	t.Helper()
	if figures(t, want) != figures(t, got) {
		t.Errorf(format+": figures differ, want identical", args...)
	}
}

// named returns the item of items whose name is name, failing the test
// without one; what names the kind of item in the message.
func named[T any](t *testing.T, items []T, name func(T) string, want, what string) T {
	t.Helper()
	for _, x := range items {
		if name(x) == want {
			return x
		}
	}
	t.Fatalf("no %s %s", what, want)
	var zero T
	return zero
}

// tier returns a year's figures of the named tier.
func tier(t *testing.T, y *report.Year, name string) report.TierYear {
	t.Helper()
	return named(t, y.Tiers, func(x report.TierYear) string { return x.Tier }, name, "tier")
}

// rule returns a year's figures of the named payment binding.
func rule(t *testing.T, y *report.Year, name string) report.RuleYear {
	t.Helper()
	return named(t, y.Payment.Rules, func(x report.RuleYear) string { return x.Name }, name, "payment rule")
}

// incentive returns the incentive of the named provider.
func incentive(t *testing.T, sum *report.Summary, provider string) report.ProviderIncentive {
	t.Helper()
	return named(t, sum.Incentives, func(x report.ProviderIncentive) string { return x.Provider }, provider, "incentive of provider")
}

// total sums a figure over the years of a run.
func total(sum *report.Summary, f func(y *report.Year) float64) float64 {
	x := 0.0
	for i := range sum.Yearly {
		x += f(&sum.Yearly[i])
	}
	return x
}

// newComplications sums the year's entries into complication states over
// the conditions.
func newComplications(y *report.Year) float64 {
	n := int64(0)
	for _, c := range y.Health.Conditions {
		n += c.NewComplications
	}
	return float64(n)
}

// TestResponsesOffAreAccounting: a responses block switched off (enabled:
// false) gives the very summary of no block, and one whose every response is
// 0 gives the same figures: the responses are all there is to it.
func TestResponsesOffAreAccounting(t *testing.T) {
	for _, name := range []string{"county-ffs.yaml", "county-drg.yaml", "county-dip.yaml", "county-global-budget.yaml"} {
		off := runResponses(t, name)
		disabled := runResponses(t, name, allResponses, "responses.enabled=false")
		assert.Nil(t, disabled.Incentives, "%s: incentives with responses disabled", name)
		if a, b := figures(t, off), figures(t, disabled); a != b {
			t.Errorf("%s: summary with responses enabled: false differs from the one without a responses block", name)
		}
		zero := runResponses(t, name, noResponses)
		require.NotEmpty(t, zero.Incentives, "%s: incentives with responses on", name)
		sameFigures(t, off, zero, "%s: every response 0 vs no responses block", name)
	}
}

// TestDRGResponses: under DRG the county's hospitals shorten stays, admit
// more (induced mild cases), bill some stays as two, readmit after early
// discharges and code their cases heavier each year (MODEL §4).
func TestDRGResponses(t *testing.T) {
	const scen = "county-drg.yaml"
	off := runResponses(t, scen)
	on := runResponses(t, scen, allResponses)
	for i := range on.Yearly {
		yOff, yOn := &off.Yearly[i], &on.Yearly[i]
		r := yOn.Responses
		t.Logf("%d: LOS %.3f → %.3f, admissions %d → %d, responses %+v", yOn.Year, yOff.Utilisation.MeanLOS, yOn.Utilisation.MeanLOS,
			yOff.Utilisation.Admissions, yOn.Utilisation.Admissions, r)
		assert.Less(t, yOn.Utilisation.MeanLOS, yOff.Utilisation.MeanLOS, "%d: mean LOS with DRG responses", yOn.Year)
		assert.Less(t, tier(t, yOn, "county").MeanLOS, tier(t, yOff, "county").MeanLOS, "%d: county mean LOS with DRG responses", yOn.Year)
		assert.Greater(t, yOn.Utilisation.Admissions, yOff.Utilisation.Admissions, "%d: admissions with DRG responses", yOn.Year)
		assert.Positive(t, r.InducedAdmissions, "%d: induced admissions", yOn.Year)
		assert.Positive(t, r.SplitAdmissions, "%d: split admissions", yOn.Year)
		assert.Positive(t, r.AddedReadmissions, "%d: added readmissions", yOn.Year)
		// Outpatients stay on fee for service, the baseline: no visit responses;
		// a case price above a mild case's cost withholds no admission.
		assert.Zero(t, r.InducedVisits+r.WithheldVisits+r.WithheldAdmissions, "%d: induced and withheld visits, withheld admissions", yOn.Year)
		assert.Zero(t, r.PreventionEffort, "%d: prevention effort without a budget", yOn.Year)
	}
	// The DRG providers' coding factor after three years: (1 + 0.01 × Weight 1)³;
	// their stays e^(0.1 × Day −1). The outside is paid by item: neither.
	for _, p := range []string{"county-peoples-hospital", "thc-chengguan"} {
		in := incentive(t, on, p)
		assert.InDelta(t, math.Pow(1.01, 3), in.Coding, 1e-12, "coding factor of %s in the last year", p)
		assert.InDelta(t, math.Exp(-0.1), in.LOSFactor, 1e-12, "LOS factor of %s", p)
	}
	assert.Equal(t, 1.0, incentive(t, on, "tertiary-outside").Coding, "coding factor of the outside hospital")
	assert.Equal(t, 1.0, incentive(t, on, "tertiary-outside").LOSFactor, "LOS factor of the outside hospital")
}

// TestDRGCodingGrows: the coding factor grows by year, and DRG pays more per
// case for it, at most by as much: switching upcoding off changes no episode
// (it draws no random number), so the two runs price the same cases. From
// the second year the base rate, re-derived from the year before's coded
// weights, takes back part of the drift.
func TestDRGCodingGrows(t *testing.T) {
	const scen = "county-drg.yaml"
	s := loadResponses(t, scen, allResponses)
	w, err := Compile(s)
	require.NoError(t, err)
	m := w.Model
	county := -1
	for p, name := range m.ProvNames {
		if name == "county-peoples-hospital" {
			county = p
		}
	}
	prev := 1.0
	for y := 0; y < s.Years; y++ {
		f := w.Plan.Coding.At(y*m.CyclesPerYear, county)
		assert.InDelta(t, math.Pow(1.01, float64(y+1)), f, 1e-12, "coding factor of the county hospital in year %d", y)
		assert.Greater(t, f, prev, "coding factor of year %d, want above the year before's", y)
		prev = f
	}

	on := runResponses(t, scen, allResponses)
	flat := runResponses(t, scen, allResponses, "responses.upcoding=0")
	assert.Equal(t, 1.0, incentive(t, flat, "county-peoples-hospital").Coding, "coding factor with upcoding 0")
	prevRatio := 1.0
	for i := range on.Yearly {
		yOn, yFlat := &on.Yearly[i], &flat.Yearly[i]
		assert.Equal(t, yFlat.Utilisation, yOn.Utilisation, "%d: care with and without upcoding", yOn.Year)
		assert.Equal(t, yFlat.Responses, yOn.Responses, "%d: responses with and without upcoding", yOn.Year)
		assert.Equal(t, yFlat.Health, yOn.Health, "%d: health with and without upcoding", yOn.Year)
		assert.Equal(t, yFlat.Cost.Charges, yOn.Cost.Charges, "%d: charges with and without upcoding", yOn.Year)
		rOn, rFlat := rule(t, yOn, "drg-in-county"), rule(t, yFlat, "drg-in-county")
		require.Equal(t, rFlat.Cases, rOn.Cases, "%d: DRG cases", yOn.Year)
		ratio := (rOn.Revenue / float64(rOn.Cases)) / (rFlat.Revenue / float64(rFlat.Cases))
		t.Logf("%d: DRG revenue per case %.1f → %.1f (× %.4f)", yOn.Year, rFlat.Revenue/float64(rFlat.Cases), rOn.Revenue/float64(rOn.Cases), ratio)
		// Outlier extras and stays priced by item outside the window do not
		// scale with the weight: the ratio is above 1 and at most the factor;
		// from the second year the lower base rate takes part of it back.
		assert.Greater(t, ratio, 1.0, "%d: DRG payment per case with upcoding ÷ without, want above 1", yOn.Year)
		assert.LessOrEqual(t, ratio, math.Pow(1.01, float64(i+1))+1e-12, "%d: DRG payment per case ratio, want at most the coding factor", yOn.Year)
		if i > 0 {
			assert.Less(t, ratio, prevRatio*1.01, "%d: DRG payment per case ratio, want below the year before's × the coding growth", yOn.Year)
		}
		assert.Greater(t, yOn.Fund.Payout, yFlat.Fund.Payout, "%d: fund payout with upcoding", yOn.Year)
		prevRatio = ratio
	}
}

// TestDRGResponsesOneByOne switches each DRG response on alone (from
// noResponses) and checks that it moves its own figure and no other
// response's, then that setting it to 0 in the full set removes exactly its
// own count.
func TestDRGResponsesOneByOne(t *testing.T) {
	const scen = "county-drg.yaml"
	off := runResponses(t, scen)
	type counts = report.Responses
	cases := []struct {
		name, on, zero string
		check          func(t *testing.T, yOff, yOn *report.Year)
		count          func(r counts) int64 // the response's own count; nil: none
	}{
		{"los", "responses.los=0.1", "responses.los=0", func(t *testing.T, yOff, yOn *report.Year) {
			// Shorter stays draw no random number: the same admissions, shorter.
			for _, name := range []string{"township", "county", "outside"} {
				a, b := tier(t, yOff, name), tier(t, yOn, name)
				assert.Equal(t, a.Admissions, b.Admissions, "%d %s: admissions with LOS response only", yOn.Year, name)
				if name == "outside" { // paid by item: no bed-day incentive
					assert.Equal(t, a.MeanLOS, b.MeanLOS, "%d outside: mean LOS with LOS response only", yOn.Year)
					continue
				}
				assert.Less(t, b.MeanLOS, a.MeanLOS, "%d %s: mean LOS with LOS response only", yOn.Year, name)
				assert.Less(t, b.Charges, a.Charges, "%d %s: charges with LOS response only", yOn.Year, name)
			}
		}, nil},
		{"induced", "responses.induced=0.1", "responses.induced=0", func(t *testing.T, yOff, yOn *report.Year) {
			assert.Greater(t, yOn.Utilisation.Admissions, yOff.Utilisation.Admissions, "%d: admissions with induced admissions only", yOn.Year)
		}, func(r counts) int64 { return r.InducedAdmissions }},
		{"split", "responses.split=0.05", "responses.split=0", func(t *testing.T, yOff, yOn *report.Year) {
			assert.Greater(t, yOn.Utilisation.Admissions, yOff.Utilisation.Admissions, "%d: admissions with split admissions only", yOn.Year)
		}, func(r counts) int64 { return r.SplitAdmissions }},
		{"readmission", "responses.readmission=0.03", "responses.readmission=0", func(t *testing.T, yOff, yOn *report.Year) {
			assert.Greater(t, yOn.Utilisation.Admissions, yOff.Utilisation.Admissions, "%d: admissions with readmissions only", yOn.Year)
		}, func(r counts) int64 { return r.AddedReadmissions }},
		{"upcoding", "responses.upcoding=0.01", "responses.upcoding=0", func(t *testing.T, yOff, yOn *report.Year) {
			// Coding draws no random number: the same care, dearer.
			assert.Equal(t, yOff.Utilisation, yOn.Utilisation, "%d: care with upcoding only", yOn.Year)
			assert.Equal(t, yOff.Health, yOn.Health, "%d: health with upcoding only", yOn.Year)
			assert.Greater(t, rule(t, yOn, "drg-in-county").Revenue, rule(t, yOff, "drg-in-county").Revenue, "%d: DRG revenue with upcoding only", yOn.Year)
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			only := runResponses(t, scen, noResponses, c.on)
			for i := range only.Yearly {
				yOff, yOn := &off.Yearly[i], &only.Yearly[i]
				c.check(t, yOff, yOn)
				r := yOn.Responses
				own := int64(0)
				if c.count != nil {
					own = c.count(r)
					assert.Positive(t, own, "%d: %s count with %s only", yOn.Year, c.name, c.name)
				}
				others := r.InducedVisits + r.WithheldVisits + r.InducedAdmissions + r.WithheldAdmissions + r.SplitAdmissions + r.AddedReadmissions - own
				assert.Zero(t, others, "%d: other responses' counts with %s only (%+v)", yOn.Year, c.name, r)
			}
			// Back to 0: the very figures of the run without responses.
			sameFigures(t, off, runResponses(t, scen, noResponses, c.on, c.zero), "%s on then 0", c.name)
			// All on but this one: its own count vanishes, the others stay.
			rest := runResponses(t, scen, allResponses, c.zero)
			for i := range rest.Yearly {
				r := rest.Yearly[i].Responses
				if c.count != nil {
					assert.Zero(t, c.count(r), "%d: %s count with all responses but %s", rest.Yearly[i].Year, c.name, c.name)
				}
				assert.Positive(t, r.InducedAdmissions+r.SplitAdmissions+r.AddedReadmissions, "%d: the other responses with all but %s", rest.Yearly[i].Year, c.name)
			}
		})
	}
	// The LOS factor and the coding factor of a DRG hospital are 1 when their
	// response is 0.
	noLOS := runResponses(t, scen, allResponses, "responses.los=0")
	assert.Equal(t, 1.0, incentive(t, noLOS, "county-peoples-hospital").LOSFactor, "LOS factor with los 0")
}

// TestDIPUpcodingLowersPointValue: under DIP, heavier coding of the same
// cases earns more points from the same fund, so the settled point value
// falls (the points race); the care itself is the same.
func TestDIPUpcodingLowersPointValue(t *testing.T) {
	const scen = "county-dip.yaml"
	off := runResponses(t, scen)
	up := runResponses(t, scen, noResponses, "responses.upcoding=0.01")
	for i := range up.Yearly {
		yOff, yUp := &off.Yearly[i], &up.Yearly[i]
		assert.Equal(t, yOff.Utilisation, yUp.Utilisation, "%d: care with DIP upcoding only", yUp.Year)
		rOff, rUp := rule(t, yOff, "dip-inpatient"), rule(t, yUp, "dip-inpatient")
		assert.Greater(t, rUp.Points, rOff.Points, "%d: DIP points with upcoding", yUp.Year)
		assert.Less(t, rUp.Values["point_value_settled"], rOff.Values["point_value_settled"], "%d: settled point value with upcoding", yUp.Year)
	}
}

// TestFFSResponses: fee for service against its own baseline changes
// nothing; against need, its margin over cost (cost_to_charge < 1) induces
// visits and admissions and lengthens stays.
func TestFFSResponses(t *testing.T) {
	const scen = "county-ffs.yaml"
	off := runResponses(t, scen)
	same := runResponses(t, scen, allResponses)
	sameFigures(t, off, same, "county-ffs with every response on, baseline fee_for_service")
	for _, in := range same.Incentives {
		assert.Equal(t, report.ProviderIncentive{Provider: in.Provider, Tier: in.Tier, LOSFactor: 1, LongLOSFactor: 1, Coding: 1}, in,
			"incentive of %s under fee for service against fee for service", in.Provider)
	}

	s := loadResponses(t, scen)
	for _, tr := range s.Tiers {
		require.NotNil(t, tr.CostToCharge, "tier %s cost_to_charge", tr.Name)
		require.Less(t, *tr.CostToCharge, 1.0, "tier %s cost_to_charge: the test needs a margin", tr.Name)
	}
	need := runResponses(t, scen, allResponses, "responses.baseline=need")
	for i := range need.Yearly {
		r := need.Yearly[i].Responses
		assert.Positive(t, r.InducedVisits, "%d: induced visits under FFS against need", need.Yearly[i].Year)
		assert.Positive(t, r.InducedAdmissions, "%d: induced admissions under FFS against need", need.Yearly[i].Year)
		assert.Zero(t, r.WithheldVisits+r.WithheldAdmissions+r.SplitAdmissions+r.AddedReadmissions,
			"%d: withheld, split and readmitted under FFS against need", need.Yearly[i].Year)
		assert.Greater(t, need.Yearly[i].Utilisation.Visits, off.Yearly[i].Utilisation.Visits, "%d: visits", need.Yearly[i].Year)
	}
	// County hospital: Visit = mild(1 − ccr) = 0.5 × 0.1, Day = 1 − 0.9.
	in := incentive(t, need, "county-peoples-hospital")
	assert.InDelta(t, 0.05, in.Visit, 1e-12, "county visit incentive against need")
	assert.InDelta(t, 0.1, in.Day, 1e-12, "county bed-day incentive against need")
	assert.InDelta(t, math.Exp(0.1*0.1), in.LOSFactor, 1e-12, "county LOS factor against need")

	// Longer stays alone (induced mild stays would shorten the mean): the
	// same admissions, each at least as long, at every tier.
	longer := runResponses(t, scen, noResponses, "responses.baseline=need", "responses.los=0.1")
	for i := range longer.Yearly {
		yOff, yOn := &off.Yearly[i], &longer.Yearly[i]
		assert.Equal(t, yOff.Utilisation.Admissions, yOn.Utilisation.Admissions, "%d: admissions with longer stays only", yOn.Year)
		assert.Greater(t, yOn.Utilisation.MeanLOS, yOff.Utilisation.MeanLOS, "%d: mean LOS under FFS against need", yOn.Year)
		for _, name := range []string{"township", "county", "outside"} {
			assert.GreaterOrEqual(t, tier(t, yOn, name).MeanLOS, tier(t, yOff, name).MeanLOS, "%d %s: mean LOS under FFS against need", yOn.Year, name)
		}
	}
}

// TestGlobalBudgetResponses: a consortium keeping its surplus (county-global-
// budget, α = 1) puts effort into prevention (more enrolled, better
// controlled, fewer complications), keeps patients in the county, refers
// more stays down, and withholds marginal care.
func TestGlobalBudgetResponses(t *testing.T) {
	const scen = "county-global-budget.yaml"
	off := runResponses(t, scen)
	on := runResponses(t, scen, allResponses)
	for i := range on.Yearly {
		yOff, yOn := &off.Yearly[i], &on.Yearly[i]
		r := yOn.Responses
		t.Logf("%d: in-county %.4f → %.4f, down %d → %d, responses %+v", yOn.Year, yOff.Utilisation.InCountyAdmissionShare,
			yOn.Utilisation.InCountyAdmissionShare, yOff.Utilisation.ReferralsDown, yOn.Utilisation.ReferralsDown, r)
		assert.InDelta(t, 1.0, r.PreventionEffort, 1e-12, "%d: prevention effort min(1, 1 × retention 1)", yOn.Year)
		assert.Greater(t, yOn.Utilisation.InCountyAdmissionShare, yOff.Utilisation.InCountyAdmissionShare, "%d: in-county admission share", yOn.Year)
		assert.Positive(t, r.WithheldVisits, "%d: withheld visits", yOn.Year)
		if restrains(yOn) { // split stays need a margin below 1 (TestPlanOnForecast)
			assert.Positive(t, r.WithheldAdmissions, "%d: withheld admissions", yOn.Year)
			assert.Zero(t, r.InducedAdmissions+r.InducedVisits, "%d: induced care under a budget that restrains", yOn.Year)
		}
		for name, c := range yOn.Health.Conditions {
			cOff := yOff.Health.Conditions[name]
			t.Logf("   %s: managed %.4f → %.4f, control %.4f → %.4f, new complications %d → %d", name, cOff.ManagedShare, c.ManagedShare,
				cOff.ControlRate, c.ControlRate, cOff.NewComplications, c.NewComplications)
			assert.InDelta(t, 1.0, c.Effort, 1e-12, "%d %s: effort", yOn.Year, name)
			assert.Greater(t, c.ManagedShare, cOff.ManagedShare, "%d %s: managed share", yOn.Year, name)
			assert.Greater(t, c.ControlRate, cOff.ControlRate, "%d %s: control rate", yOn.Year, name)
		}
	}
	assert.Less(t, total(on, newComplications), total(off, newComplications), "new complications over the years and conditions")
	// Referred down per stay, over 100,000 persons: about 110 stays are
	// referred down in 30,000 persons' three years, too few for the few
	// percent more that every response together gives (down-referral
	// alone: TestGlobalBudgetResponsesOneByOne).
	off, on = runResponses(t, scen, "population.size=100000"), runResponses(t, scen, allResponses, "population.size=100000")
	down := func(y *report.Year) float64 { return float64(y.Utilisation.ReferralsDown) }
	stays := func(y *report.Year) float64 { return float64(y.Utilisation.Admissions) }
	t.Logf("referred down: %v of %v stays → %v of %v", total(off, down), total(off, stays), total(on, down), total(on, stays))
	assert.Greater(t, total(on, down)/total(on, stays), total(off, down)/total(off, stays), "stays referred down over the years")
}

// TestGlobalBudgetResponsesOneByOne switches each budget response on alone
// and checks its direction; set back to 0, the run is the run without them.
func TestGlobalBudgetResponsesOneByOne(t *testing.T) {
	const scen = "county-global-budget.yaml"
	off := runResponses(t, scen)

	t.Run("prevention", func(t *testing.T) {
		on := runResponses(t, scen, noResponses, "responses.prevention.effort=1")
		for i := range on.Yearly {
			yOff, yOn := &off.Yearly[i], &on.Yearly[i]
			for name, c := range yOn.Health.Conditions {
				cOff := yOff.Health.Conditions[name]
				assert.Greater(t, c.ManagedShare, cOff.ManagedShare, "%d %s: managed share with prevention only", yOn.Year, name)
				assert.Greater(t, c.ControlRate, cOff.ControlRate, "%d %s: control rate with prevention only", yOn.Year, name)
			}
			assert.Zero(t, yOn.Responses.WithheldAdmissions+yOn.Responses.WithheldVisits, "%d: withheld care with prevention only", yOn.Year)
		}
		assert.Less(t, total(on, newComplications), total(off, newComplications), "new complications with prevention only")
		sameFigures(t, off, runResponses(t, scen, noResponses, "responses.prevention.effort=1", "responses.prevention.effort=0"), "prevention effort 1 then 0")
	})
	t.Run("pull", func(t *testing.T) {
		// The pull moves patients between tiers and draws no random number:
		// the same visits and admissions, more of them in the county.
		on := runResponses(t, scen, noResponses, "responses.pull=0.3")
		for i := range on.Yearly {
			yOff, yOn := &off.Yearly[i], &on.Yearly[i]
			assert.Equal(t, yOff.Utilisation.Admissions, yOn.Utilisation.Admissions, "%d: admissions with pull only", yOn.Year)
			assert.Equal(t, yOff.Utilisation.Visits, yOn.Utilisation.Visits, "%d: visits with pull only", yOn.Year)
			assert.Equal(t, yOff.Health, yOn.Health, "%d: health with pull only", yOn.Year)
			assert.Greater(t, yOn.Utilisation.InCountyAdmissionShare, yOff.Utilisation.InCountyAdmissionShare, "%d: in-county admission share with pull only", yOn.Year)
			assert.Less(t, tier(t, yOn, "outside").Visits, tier(t, yOff, "outside").Visits, "%d: outside visits with pull only", yOn.Year)
		}
		sameFigures(t, off, runResponses(t, scen, noResponses, "responses.pull=0.3", "responses.pull=0"), "pull 0.3 then 0")
	})
	t.Run("down_referral", func(t *testing.T) {
		on := runResponses(t, scen, noResponses, "responses.down_referral=1")
		down := func(y *report.Year) float64 { return float64(y.Utilisation.ReferralsDown) }
		assert.Greater(t, total(on, down), total(off, down), "referrals down with down-referral only")
		sameFigures(t, off, runResponses(t, scen, noResponses, "responses.down_referral=1", "responses.down_referral=0"), "down_referral 1 then 0")
	})
	t.Run("withheld", func(t *testing.T) {
		on := runResponses(t, scen, noResponses, "responses.withheld=0.1")
		for i := range on.Yearly {
			yOff, yOn := &off.Yearly[i], &on.Yearly[i]
			assert.Positive(t, yOn.Responses.WithheldVisits, "%d: withheld visits", yOn.Year)
			assert.Less(t, yOn.Utilisation.Visits, yOff.Utilisation.Visits, "%d: visits with withheld care only", yOn.Year)
			if restrains(yOn) {
				assert.Positive(t, yOn.Responses.WithheldAdmissions, "%d: withheld admissions", yOn.Year)
				assert.Less(t, yOn.Utilisation.Admissions, yOff.Utilisation.Admissions, "%d: admissions with withheld care only", yOn.Year)
			}
		}
		sameFigures(t, off, runResponses(t, scen, noResponses, "responses.withheld=0.1", "responses.withheld=0"), "withheld 0.1 then 0")
	})
}

// TestResponsesFollowTheIncentive: responses come from the incentive a
// provider faces, not from the name of its rule. The county's hospitals paid
// by DRG inside a consortium keeping α = 0.8 of its surplus respond both as
// DRG hospitals (shorter stays, split stays, heavier coding: Weight = Split =
// 1 − α) and as budget holders (withheld admissions and visits, prevention
// effort); paid by the same DRG outside any consortium, only as DRG hospitals.
func TestResponsesFollowTheIncentive(t *testing.T) {
	const scen = "county-drg.yaml"
	drgOff := runResponses(t, scen)
	drg := runResponses(t, scen, allResponses)
	memberOff := runResponses(t, scen, memberBudget)
	member := runResponses(t, scen, memberBudget, allResponses)

	hospital := "county-peoples-hospital"
	inDRG, inMember := incentive(t, drg, hospital), incentive(t, member, hospital)
	t.Logf("DRG: %+v\nmember: %+v", inDRG, inMember)
	assert.Equal(t, 0.0, inDRG.Retention, "retention of the DRG hospital outside any consortium")
	assert.InDelta(t, 0.8, inMember.Retention, 1e-12, "retention of the member hospital")
	assert.InDelta(t, 1, inDRG.Weight, 1e-12, "coding incentive outside any consortium")
	assert.InDelta(t, 0.2, inMember.Weight, 1e-12, "coding incentive of the member: 1 − α")
	assert.InDelta(t, 0.1, inMember.Split, 1e-12, "split incentive of the member: (1 − α) × 0.5 of the readmission rule")
	assert.Less(t, inMember.Stay, 0.0, "admission incentive of the member: α is high enough to withhold")
	assert.Greater(t, inDRG.Stay, 0.0, "admission incentive outside any consortium")
	assert.Greater(t, inMember.Coding, 1.0, "coding factor of the member")

	for i := range drg.Yearly {
		y := drg.Yearly[i].Year
		// Both: the DRG responses.
		for _, c := range []struct {
			name    string
			off, on *report.Summary
		}{{"DRG", drgOff, drg}, {"member", memberOff, member}} {
			yOff, yOn := &c.off.Yearly[i], &c.on.Yearly[i]
			assert.Less(t, tier(t, yOn, "county").MeanLOS, tier(t, yOff, "county").MeanLOS, "%d %s: county mean LOS", y, c.name)
			assert.Positive(t, yOn.Responses.SplitAdmissions, "%d %s: split admissions", y, c.name)
		}
		// Only the member: the budget's responses.
		rDRG, rMember := drg.Yearly[i].Responses, member.Yearly[i].Responses
		assert.Zero(t, rDRG.PreventionEffort, "%d DRG: prevention effort", y)
		assert.Zero(t, rDRG.WithheldAdmissions+rDRG.WithheldVisits, "%d DRG: withheld care", y)
		assert.Positive(t, rMember.PreventionEffort, "%d member: prevention effort", y)
		assert.Positive(t, rMember.WithheldVisits, "%d member: withheld visits", y)
		if restrains(&member.Yearly[i]) {
			assert.Positive(t, rMember.WithheldAdmissions, "%d member: withheld admissions", y)
		}
	}
}

// TestResponsesDeterministicWorkers: with every response on, the same
// scenario and seed give the same summary whatever the number of workers.
func TestResponsesDeterministicWorkers(t *testing.T) {
	s := loadResponses(t, "county-drg.yaml", memberBudget, allResponses, "population.size=20000", "years=2")
	var want []byte
	for _, w := range []int{1, 2, 3} {
		sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: w})
		require.NoError(t, err)
		got, err := json.Marshal(sum)
		require.NoError(t, err)
		if want == nil {
			want = got
			continue
		}
		if string(got) != string(want) {
			t.Errorf("summary with %d workers differs from 1 worker", w)
		}
	}
}

// TestReferralAgreementWithoutResponses: a loose consortium's referral
// agreement is a rule, in force without a responses block. Its pull keeps
// admissions at the member township and county hospitals (and, drawing no
// random number, changes no episode's count), its down raises the share of
// stays referred down to rehab.
func TestReferralAgreementWithoutResponses(t *testing.T) {
	const scen = "county-drg.yaml"
	off := runResponses(t, scen)
	pull := runResponses(t, scen, "consortia=[{name: alliance, tiers: [township, county], referral: {pull: 0.5}}]")
	assert.Nil(t, pull.Incentives, "incentives without a responses block")
	for i := range pull.Yearly {
		yOff, yOn := &off.Yearly[i], &pull.Yearly[i]
		assert.Equal(t, yOff.Utilisation.Admissions, yOn.Utilisation.Admissions, "%d: admissions with the agreement's pull", yOn.Year)
		assert.Equal(t, yOff.Utilisation.Visits, yOn.Utilisation.Visits, "%d: visits with the agreement's pull", yOn.Year)
		assert.Greater(t, yOn.Utilisation.InCountyAdmissionShare, yOff.Utilisation.InCountyAdmissionShare, "%d: in-county admission share with the agreement's pull", yOn.Year)
		assert.Zero(t, yOn.Responses, "%d: responses without a responses block", yOn.Year)
	}
	down := runResponses(t, scen, "consortia=[{name: alliance, tiers: [township, county], referral: {down: 1}}]")
	referred := func(y *report.Year) float64 { return float64(y.Utilisation.ReferralsDown) }
	assert.Greater(t, total(down, referred), total(off, referred), "referrals down with the agreement's down")
}

// TestResponsesConservationRandom runs random scenarios with random
// responses (and a loose consortium where there is no budget) and checks
// the identities of MODEL §6 that hold whatever providers do; the engine
// checks the fund's on every cycle and fails the run when one breaks.
func TestResponsesConservationRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	denied := 0 // years in which an audit denied claims
	for i := 0; i < 30; i++ {
		s := randomScenario(r)
		x := func() *float64 { return ptr(0.5 * r.Float64()) }
		s.Responses = &scenario.Responses{Mild: ptr(0.1 + 0.9*r.Float64()), Induced: x(), Withheld: x(), LOS: x(),
			LOSCharges: ptr(r.Float64()), Upcoding: x(), Split: x(), Readmission: x(), Pull: x(), DownReferral: x(),
			Prevention: scenario.Prevention{Effort: ptr(r.Float64()), Screening: x(), Enrolment: x(), Control: x(), Complications: ptr(r.Float64())}}
		if r.IntN(2) == 0 {
			s.Responses.Baseline = scenario.BaselineNeed
		}
		if len(s.Consortia) == 0 {
			c := scenario.Consortium{Name: "alliance", Referral: scenario.Referral{Pull: r.Float64(), Down: r.Float64()}}
			for _, tr := range s.Tiers {
				c.Tiers = append(c.Tiers, tr.Name)
			}
			for _, cond := range s.Conditions {
				c.Protocols = append(c.Protocols, scenario.Protocol{Condition: cond.Name, Effort: r.Float64()})
			}
			s.Consortia = []scenario.Consortium{c}
		}
		require.NoError(t, s.Validate(), "random scenario %d", i)
		sum, err := Run(context.Background(), s, Options{Seed: uint64(i), Workers: 1 + i%3})
		require.NoError(t, err, "random scenario %d", i)
		require.Len(t, sum.Incentives, len(s.Providers), "random scenario %d: incentives", i)
		balance := s.Fund.OpeningBalance
		alive := int64(s.Population.Size)
		for _, y := range sum.Yearly {
			balance += y.Fund.Income - y.Fund.Payout
			assert.True(t, ledger.Close(balance, y.Fund.Balance), "scenario %d year %d: balance %v, want opening + income − payout = %v", i, y.Year, y.Fund.Balance, balance)
			assert.True(t, ledger.Close(y.Cost.Charges, y.Cost.FundCovered+y.Cost.OOP), "scenario %d year %d: charges %v ≠ covered %v + OOP %v", i, y.Year, y.Cost.Charges, y.Cost.FundCovered, y.Cost.OOP)
			assert.True(t, ledger.Close(y.Fund.Payout, y.Cost.FundPaid+y.Fund.Premium), "scenario %d year %d: payout %v ≠ fund paid for care %v + premium %v", i, y.Year, y.Fund.Payout, y.Cost.FundPaid, y.Fund.Premium)
			var adms int64
			for _, tier := range y.Tiers {
				adms += tier.Admissions
			}
			assert.Equal(t, y.Utilisation.Admissions, adms, "scenario %d year %d: admissions by tier", i, y.Year)
			if sv := y.Supervision; sv != nil {
				// Each denied claim's cost is borne by the provider that gave the care.
				var borne float64
				for _, pr := range y.Payment.Providers {
					borne += pr.DeniedCost
				}
				assert.True(t, ledger.Close(borne, sv.DeniedCost), "scenario %d year %d: providers bear %v of denied cost %v", i, y.Year, borne, sv.DeniedCost)
				if sv.DeniedVisits+sv.DeniedAdmissions > 0 {
					denied++
				}
			}
			alive += y.Health.Entrants + y.Health.Joined - y.Health.Left - y.Health.Deaths
			assert.Equal(t, alive, y.Health.Alive, "scenario %d year %d: enrolled = start + entrants + joined − left − deaths", i, y.Year)
			assert.GreaterOrEqual(t, y.Responses.PreventionEffort, 0.0, "scenario %d year %d: effort", i, y.Year)
			assert.LessOrEqual(t, y.Responses.PreventionEffort, 1.0, "scenario %d year %d: effort", i, y.Year)
		}
	}
	assert.Positive(t, denied, "years with claims denied: the identity above was checked on none")
}

// TestInducedAdmissionWithoutBackgroundMix: a scenario whose admissions all
// come from its conditions' events has no background case mix (population.
// admissions is required only when a band has background admissions). An
// induced admission draws its group from that mix: with none, the run must
// not panic (it may induce nothing).
func TestInducedAdmissionWithoutBackgroundMix(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "teaching/small-county.yaml", []string{"years=1",
		"population.age_bands.young.admissions=0", "population.age_bands.middle.admissions=0", "population.age_bands.old.admissions=0",
		"population.admissions=null",
		"payment=[{method: ffs, services: [outpatient, long_stay]}, {method: drg, services: [inpatient], drg: {base_rate: 5000}}]",
		"responses={induced: 0.5}"})
	require.NoError(t, err)
	require.Empty(t, s.Population.Admissions)
	_, err = Run(context.Background(), s, Options{Seed: s.Seed, Workers: 2})
	assert.NoError(t, err)
}

// TestResponseOffKeepsOtherDraws: docs/responses.md §1 says "Turning a
// response off leaves the random draws of everything else as they were". With
// every response on in county-drg, switching off one that adds episodes must
// then leave what it does not touch alone: the visits (outpatients are paid
// by item, the baseline: no visit responses), health, and the other
// responses' counts.
func TestResponseOffKeepsOtherDraws(t *testing.T) {
	const scen = "county-drg.yaml"
	all := runResponses(t, scen, allResponses)
	for _, c := range []struct {
		name string
		own  func(r report.Responses) int64
	}{
		{"induced", func(r report.Responses) int64 { return r.InducedAdmissions }},
		{"split", func(r report.Responses) int64 { return r.SplitAdmissions }},
		{"readmission", func(r report.Responses) int64 { return r.AddedReadmissions }},
	} {
		off := runResponses(t, scen, allResponses, "responses."+c.name+"=0")
		for i := range all.Yearly {
			yAll, yOff := &all.Yearly[i], &off.Yearly[i]
			assert.Equal(t, yAll.Utilisation.Visits, yOff.Utilisation.Visits, "%d: visits with %s off", yAll.Year, c.name)
			assert.Equal(t, yAll.Health, yOff.Health, "%d: health with %s off", yAll.Year, c.name)
			rAll, rOff := yAll.Responses, yOff.Responses
			assert.Equal(t, rAll.InducedAdmissions+rAll.SplitAdmissions+rAll.AddedReadmissions-c.own(rAll),
				rOff.InducedAdmissions+rOff.SplitAdmissions+rOff.AddedReadmissions, "%d: the other responses' counts with %s off", yAll.Year, c.name)
		}
	}
}

// TestPerDiemLongStays: county-drg pays township rehabilitation ¥300 a
// bed-day, its charges; at ¥450 a day the township gains on every day more
// (LongDay 0.5) and keeps its rehabilitation patients longer, at ¥300 it
// keeps them as long as without responses.
func TestPerDiemLongStays(t *testing.T) {
	const scen = "county-drg.yaml"
	rich := "payment.rehab-per-diem.per_diem.rates=[{tier: township, rate: 450}]"
	days := func(sum *report.Summary) float64 {
		return total(sum, func(y *report.Year) float64 { return float64(tier(t, y, "township").LongStayDays) })
	}
	stays := func(sum *report.Summary) float64 {
		return total(sum, func(y *report.Year) float64 { return float64(tier(t, y, "township").LongStays) })
	}
	onlyLOS := strings.Replace(noResponses, "los: 0,", "los: 0.1,", 1)
	off, on := runResponses(t, scen, rich), runResponses(t, scen, rich, onlyLOS)
	assert.InDelta(t, 0.5, incentive(t, on, "thc-chengguan").LongDay, 1e-12, "LongDay at ¥450 a day")
	assert.Equal(t, stays(off), stays(on), "township long stays: the same stays, longer")
	// Days are whole, so the ratio of their sums is near exp(0.1 × 0.5).
	assert.InEpsilon(t, math.Exp(0.05), days(on)/days(off), 0.01, "township long-stay days at ¥450 a day, with the LOS response against without")
	same := runResponses(t, scen, allResponses, "responses.los=0")
	flat := runResponses(t, scen, allResponses)
	assert.Equal(t, days(same), days(flat), "long-stay days at ¥300 a day: no response")
}

// restrains reports whether the budget's members planned year y at a
// margin that makes the county hospital, paid by DRG inside the budget,
// withhold a marginal stay: m(1 − o·μ) > 1 − μ, m > 0.5 ÷ (1 − 0.5·o) ≈ 0.67
// for its patients' share o ≈ 0.5 of a mild stay (TestPlanOnForecast); the
// default budget plans near 0.70.
func restrains(y *report.Year) bool { return y.Payment.Budget.MarginCost >= 0.69 }

// TestPlanOnForecast: members plan each year on a forecast of its result,
// made at the end of the year before under the budget's own rules. With a
// sure forecast (forecast_sd 0): pooled public-health money whose work
// costs the members nothing (public_health_work 0) makes every year a
// forecast surplus, planned at α = 1 (a yuan more costs the community all
// of it: stays withheld, none induced or split); a budget that does not grow
// (growth 0) is an even chance in its first two years (d = 0: margin
// (α + 1 − β) ÷ 2 = 0.7) and a forecast overspend within the cap after,
// planned at 1 − β = 0.4 (the county hospital gains by admitting: stays
// induced and split, none withheld). With the default forecast error the
// margin lies between α(1 − p) + (1 − β)p and α(1 − p) + p for the
// forecast probability p of an overspend.
func TestPlanOnForecast(t *testing.T) {
	const scen = "county-global-budget.yaml"
	sure := "consortia.0.budget.forecast_sd=0"
	surplus := runResponses(t, scen, allResponses, sure, "consortia.0.budget.public_health=94", "consortia.0.budget.public_health_work=0", "years=4")
	for _, y := range surplus.Yearly {
		b, r := y.Payment.Budget, y.Responses
		require.Zero(t, b.OverspendForecast, "%d: pooled public health at no cost, a forecast surplus", y.Year)
		assert.Equal(t, 1.0, b.MarginCost, "%d: margin α", y.Year)
		assert.Positive(t, r.WithheldAdmissions, "%d: withheld admissions", y.Year)
		assert.Zero(t, r.InducedAdmissions+r.SplitAdmissions, "%d: induced and split", y.Year)
	}
	flat := runResponses(t, scen, allResponses, sure, "consortia.0.budget.growth=0", "years=4")
	for i, y := range flat.Yearly {
		b, r := y.Payment.Budget, y.Responses
		if i < 2 {
			assert.Equal(t, 0.5, b.OverspendForecast, "%d: d = 0, an even chance", y.Year)
			assert.InDelta(t, 0.7, b.MarginCost, 1e-12, "%d: margin (α + 1 − β) ÷ 2", y.Year)
			continue
		}
		require.Equal(t, 1.0, b.OverspendForecast, "%d: a budget that does not grow, a forecast overspend", y.Year)
		assert.InDelta(t, 0.4, b.MarginCost, 1e-12, "%d: within the cap, 1 − β", y.Year)
		assert.Zero(t, r.WithheldAdmissions, "%d: withheld admissions", y.Year)
		assert.Positive(t, r.InducedAdmissions, "%d: induced admissions", y.Year)
		assert.Positive(t, r.SplitAdmissions, "%d: split stays", y.Year)
	}
	mixed := runResponses(t, scen, allResponses, "years=4")
	for _, y := range mixed.Yearly {
		b := y.Payment.Budget
		p := b.OverspendForecast
		lo, hi := (1-p)+0.4*p, 1.0
		assert.True(t, p > 0 && p < 1, "%d: a forecast with an error is never sure", y.Year)
		assert.True(t, b.MarginCost >= lo-1e-12 && b.MarginCost <= hi, "%d: margin %v outside [%v, %v]", y.Year, b.MarginCost, lo, hi)
	}
	// Without responses the forecast is made and reported alike, and no one acts on it.
	off := runResponses(t, scen, "years=4")
	for _, y := range off.Yearly {
		assert.Positive(t, y.Payment.Budget.MarginCost, "%d: margin reported", y.Year)
		assert.Zero(t, y.Responses.InducedAdmissions+y.Responses.WithheldAdmissions, "%d: no responses", y.Year)
	}
}
