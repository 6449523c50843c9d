package respond_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
)

// incentiveCounty is a tiny pool for hand-computing incentives. Its numbers
// are chosen so that a patient's share o of a mild episode (mild = 0.5 of the
// average episode's charges, set explicitly below) is round:
//
//	tier      visit  ccr   outpatient       o(visit)            mean stay  inpatient          o(stay)
//	village    40    0.9   ratio 0.6        1−0.6 = 0.4         —          —                  —
//	township   80    0.8   ratio 0.5        1−0.5 = 0.5         3000       ded 300, 0.8       mild 1500: 1 − 0.8(1500−300)/1500 = 0.36
//	county    200    0.75  ratio 0.4        1−0.4 = 0.6         8000       ded 800, 0.7, 0.9  mild 4000: 1 − 0.7(0.9·4000−800)/4000 = 0.51
//	outside   300    1     ratio 0          1                   16000      ded 0, 0.5         0.5
//
// The county's mean stay is the unweighted mean over the groups it treats:
// (6000 + 10000) ÷ 2 = 8000; the outside's (12000 + 20000) ÷ 2 = 16000.
const incentiveCounty = `
version: 1
name: incentives
description: a tiny pool for hand-computed incentives
seed: 1
start_year: 2025
years: 3
population:
  size: 1000
  male_share: 0.5
  age_bands:
    - {name: all, from: 0, to: 120, weight: 1, mortality: 0.01, visits: 4, admissions: 0.1}
  townships:
    - {name: east, weight: 0.6}
    - {name: west, weight: 0.4}
  admissions: {medical: 0.7, surgical: 0.3}
conditions:
  - name: hypertension
    states:
      - name: none
      - name: undiagnosed
      - {name: uncontrolled, diagnosed: true, visits: 4}
      - {name: controlled, diagnosed: true, controlled: true, visits: 4}
      - {name: stroke, diagnosed: true, complication: true, visits: 6}
      - {name: dead, dead: true}
    initial:
      - band: all
        states: {none: 0.7, undiagnosed: 0.1, uncontrolled: 0.1, controlled: 0.1}
    transitions:
      - {from: none, to: undiagnosed, rate: 0.02}
      - {from: undiagnosed, to: uncontrolled, rate: 0.1}
      - {from: uncontrolled, to: controlled, rate: 0.2}
      - {from: controlled, to: uncontrolled, rate: 0.3}
      - {from: uncontrolled, to: stroke, rate: 0.02, admit: medical}
      - {from: stroke, to: dead, rate: 0.05}
    management: {initial: 0.3, enrol: 0.2, drop: 0.1}
tiers:
  - {name: village, primary: true, in_county: true, outpatient: true, visit_charges: 40, cost_to_charge: 0.9, capability: 0}
  - {name: township, primary: true, in_county: true, outpatient: true, visit_charges: 80, bed_day_charges: 200, cost_to_charge: 0.8, capability: 1}
  - {name: county, in_county: true, outpatient: true, visit_charges: 200, cost_to_charge: 0.75, capability: 2}
  - {name: outside, outpatient: true, visit_charges: 300, capability: 3}
groups:
  - name: medical
    severity: 0.5
    by_tier:
      - {tier: township, charges: 3000, los: 6}
      - {tier: county, charges: 6000, los: 8}
      - {tier: outside, charges: 12000, los: 9}
    rehab: {share: 0.2, tier: township, los: 20}
  - name: surgical
    severity: 1
    by_tier:
      - {tier: county, charges: 10000, los: 8}
      - {tier: outside, charges: 20000, los: 10}
choice: {price_sensitivity: 0.3}
benefit:
  inpatient_ceiling: 200000
  outpatient_ceiling: 5000
  tiers:
    - tier: village
      outpatient: {ratio: 0.6}
    - tier: township
      outpatient: {ratio: 0.5}
      inpatient: {deductible: 300, ratio: 0.8}
      long_stay: {ratio: 0.8}
    - tier: county
      outpatient: {ratio: 0.4}
      inpatient: {deductible: 800, ratio: 0.7, eligible: 0.9}
    - tier: outside
      inpatient: {ratio: 0.5}
fund: {individual: 400, subsidy: 700, growth: 0, opening_balance: 1000000}
payment:
  - {name: everything, method: ffs}
`

// Providers of incentiveCounty: one per tier, named after it.
const (
	pVillage = iota
	pTownship
	pCounty
	pOutside
)

// Payment bindings and consortia of incentiveCounty's variants, as --set
// values: outpatients and rehab by item (outFFS), outside stays by item
// (outsideI), township and county stays by DRG (drg) or DIP (dipIn); or
// primary outpatients per capita (capOut) and the rest by item (ffsRest).
// budget is a consortium of the in-county tiers keeping α = 0.6 of its surplus.
const (
	capOut   = `{name: cap, method: capitation, tiers: [village, township], services: [outpatient], capitation: {rates: [{tier: village, rate: 50}, {tier: township, rate: 80}]}}`
	ffsRest  = `{name: rest, method: ffs, tiers: [county, outside], services: [outpatient]}, {name: stays, method: ffs, services: [inpatient, long_stay]}`
	outFFS   = `{name: out, method: ffs, services: [outpatient, long_stay]}`
	outsideI = `{name: outside, method: ffs, tiers: [outside], services: [inpatient]}`
	drgIn    = `{name: drg, method: drg, tiers: [township, county], services: [inpatient], drg: {base_rate: 6000%s}}`
	dipIn    = `{name: dip, method: dip, tiers: [township, county], services: [inpatient], dip: {budget: {last_year: 5000000}, fund_ratio: 0.6}}`
	budget   = `[{name: community, tiers: [village, township, county], budget: {per_capita: 1000, surplus_share: 0.6, tier_shares: {county: 0.6, township: 0.3, village: 0.1}}}]`
)

// county04 gives the county's stays o = 0.4 (ratio 0.6, no deductible) and
// budgetAll is budget keeping the whole surplus (α = 1), for the worked
// example of docs/responses.md.
var (
	county04  = "benefit.tiers.county.inpatient={ratio: 0.6}"
	budgetAll = strings.Replace(budget, "surplus_share: 0.6", "surplus_share: 1", 1)
)

// compiled is a compiled scenario and its providers' responses.
type compiled struct {
	*model.Model
	Plan *respond.Plan
}

// RehabAt is the Threshold of a down-referral after a stay in group g at
// provider p.
func (c compiled) RehabAt(g, p int) uint64 { return c.Plan.RehabAt(g, p) }

// compileIncentives parses incentiveCounty with sets and compiles it.
func compileIncentives(t *testing.T, sets ...string) compiled {
	t.Helper()
	s, err := scenario.Parse("incentives.yaml", []byte(incentiveCounty), sets)
	require.NoError(t, err)
	w, err := sim.Compile(s)
	require.NoError(t, err)
	return compiled{w.Model, w.Plan}
}

// bindings returns the --set of a payment list.
func bindings(bindings ...string) string {
	return "payment=[" + strings.Join(bindings, ", ") + "]"
}

// TestIncentiveWorkedExamples checks the incentives of Compile against hand
// computations (docs/responses.md §2, "The incentive a provider faces"). For each service the
// code takes rCase (revenue of a mild episode ÷ the average's charges),
// rDay (revenue of one more day ÷ its charges), rWeight and rSplit; inside a
// budget each is reduced by α × (what the fund pays of it); the incentive is
// rCase − mild and rDay − 1 against fee for service, rCase − ccr·mild and
// rDay − ccr against need.
func TestIncentiveWorkedExamples(t *testing.T) {
	const mild = "responses.mild=0.5"
	cases := []struct {
		name string
		sets []string
		prov int
		want respond.Incentive
	}{
		// Fee for service against a fee-for-service baseline: nothing changes.
		{"ffs village, baseline ffs", []string{mild}, pVillage, respond.Incentive{}},
		{"ffs township, baseline ffs", []string{mild}, pTownship, respond.Incentive{}},
		{"ffs county, baseline ffs", []string{mild}, pCounty, respond.Incentive{}},
		// Against need, fee for service earns its margin 1 − ccr:
		// Visit = mild(1 − ccr), Stay = mild(1 − ccr), Day = 1 − ccr.
		{"ffs village, baseline need", []string{mild, "responses.baseline=need"}, pVillage,
			respond.Incentive{Visit: 0.05}}, // 0.5·(1−0.9); the village treats no group: no Stay or Day
		{"ffs township, baseline need", []string{mild, "responses.baseline=need"}, pTownship,
			respond.Incentive{Visit: 0.1, Stay: 0.1, Day: 0.2}}, // 0.5·0.2, 0.5·0.2, 1−0.8
		{"ffs county, baseline need", []string{mild, "responses.baseline=need"}, pCounty,
			respond.Incentive{Visit: 0.125, Stay: 0.125, Day: 0.25}}, // 0.5·0.25, 0.5·0.25, 1−0.75
		{"ffs outside, baseline need", []string{mild, "responses.baseline=need"}, pOutside,
			respond.Incentive{}}, // ccr 1: no margin

		// DRG rate: a case pays its price whatever it costs (rCase 1), a day
		// pays nothing (rDay 0): Stay = 1 − 0.5, Day = 0 − 1, Weight 1, Split 1.
		{"drg township", []string{mild, bindings(outFFS, outsideI, drg(""))}, pTownship,
			respond.Incentive{Stay: 0.5, Day: -1, Weight: 1, Split: 1}},
		{"drg county", []string{mild, bindings(outFFS, outsideI, drg(""))}, pCounty,
			respond.Incentive{Stay: 0.5, Day: -1, Weight: 1, Split: 1}},
		{"drg leaves the ffs outside alone", []string{mild, bindings(outFFS, outsideI, drg(""))}, pOutside,
			respond.Incentive{}},
		// The readmission rule halves the first part of a split stay: Split 0.5.
		{"drg with readmission rule", []string{mild, bindings(outFFS, outsideI, drg(", readmission: {days: 15}"))}, pCounty,
			respond.Incentive{Stay: 0.5, Day: -1, Weight: 1, Split: 0.5}},
		// A low-cost threshold above mild pays a mild case by its cost: rCase = mild, Stay 0.
		{"drg with low outlier above mild", []string{mild, bindings(outFFS, outsideI, drg(", low_outlier: {below: 0.6}"))}, pCounty,
			respond.Incentive{Stay: 0, Day: -1, Weight: 1, Split: 1}},
		// ... and one below mild leaves it a full case.
		{"drg with low outlier below mild", []string{mild, bindings(outFFS, outsideI, drg(", low_outlier: {below: 0.4}"))}, pCounty,
			respond.Incentive{Stay: 0.5, Day: -1, Weight: 1, Split: 1}},

		// DIP: as DRG; its ultra-low threshold is 0.5 of the standard, so a mild
		// case of 0.6 is a full case (Stay 1 − 0.6) and one of 0.4 is paid by cost (Stay 0).
		{"dip, mild 0.6", []string{"responses.mild=0.6", bindings(outFFS, outsideI, dipIn)}, pCounty,
			respond.Incentive{Stay: 0.4, Day: -1, Weight: 1, Split: 1}},
		{"dip, mild 0.4", []string{"responses.mild=0.4", bindings(outFFS, outsideI, dipIn)}, pTownship,
			respond.Incentive{Stay: 0, Day: -1, Weight: 1, Split: 1}},

		// Capitation of outpatients: the provider keeps every yuan it does not
		// spend (retention 1) and earns only the patient's share o of a mild
		// visit: Visit = o·mild − mild.
		{"capitation village", []string{mild, bindings(capOut, ffsRest)}, pVillage,
			respond.Incentive{Visit: -0.3, Retention: 1}}, // 0.4·0.5 − 0.5
		{"capitation township", []string{mild, bindings(capOut, ffsRest)}, pTownship,
			respond.Incentive{Visit: -0.25, Retention: 1}}, // 0.5·0.5 − 0.5; its stays are paid by item outside any budget: 0
		{"ffs county beside capitation", []string{mild, bindings(capOut, ffsRest)}, pCounty,
			respond.Incentive{}},

		// A member of a consortium keeping α = 0.6 of its surplus, paid
		// internally by DRG for stays and by item for visits. Each yuan the
		// fund pays (all but the patient's share) costs it α:
		//   stay: rCase = 1 − α(1 − o·mild), rDay = 0 − α·max(0, 0 − o) = 0,
		//         rWeight = rSplit = 1 − α = 0.4;
		//   visit: rCase = mild − α(mild − o·mild), so Visit = −α·mild(1 − o).
		// Township (o = 0.36 stay, 0.5 visit):
		//   Stay = 1 − 0.6(1 − 0.18) − 0.5 = 0.008, Day = −1,
		//   Visit = −0.6·0.5·0.5 = −0.15.
		{"drg member township", []string{mild, "consortia=" + budget, bindings(outFFS, outsideI, drg(""))}, pTownship,
			respond.Incentive{Visit: -0.15, Stay: 0.008, Day: -1, Weight: 0.4, Split: 0.4, Retention: 0.6}},
		// County (o = 0.51 stay, 0.6 visit):
		//   Stay = 1 − 0.6(1 − 0.255) − 0.5 = 0.053, Visit = −0.6·0.5·0.4 = −0.12.
		{"drg member county", []string{mild, "consortia=" + budget, bindings(outFFS, outsideI, drg(""))}, pCounty,
			respond.Incentive{Visit: -0.12, Stay: 0.053, Day: -1, Weight: 0.4, Split: 0.4, Retention: 0.6}},
		// Village (o = 0.4): Visit = −0.6·0.5·0.6 = −0.18.
		{"ffs member village", []string{mild, "consortia=" + budget, bindings(outFFS, outsideI, drg(""))}, pVillage,
			respond.Incentive{Visit: -0.18, Retention: 0.6}},
		// The outside is no member: paid by the fund, by item, it keeps nothing.
		{"outside the consortium", []string{mild, "consortia=" + budget, bindings(outFFS, outsideI, drg(""))}, pOutside,
			respond.Incentive{}},
		// A member paid by item for its stays too:
		//   rCase = mild − α(mild − o·mild) → Stay = −α·mild(1 − o),
		//   rDay = 1 − α(1 − o)              → Day = −α(1 − o).
		// Township: Stay = −0.6·0.5·0.64 = −0.192, Day = −0.6·0.64 = −0.384.
		{"ffs member township", []string{mild, "consortia=" + budget}, pTownship,
			respond.Incentive{Visit: -0.15, Stay: -0.192, Day: -0.384, Retention: 0.6}},
		// County: Stay = −0.6·0.5·0.49 = −0.147, Day = −0.6·0.49 = −0.294.
		{"ffs member county", []string{mild, "consortia=" + budget}, pCounty,
			respond.Incentive{Visit: -0.12, Stay: -0.147, Day: -0.294, Retention: 0.6}},
		// docs/responses.md's worked example: a county hospital with o = 0.4 for
		// a mild stay (ratio 0.6, no deductible) and μ = 0.5, in a community
		// keeping α = 1. Paid by item out of the budget: rCase = 0.5 − (0.5 −
		// 0.2) = 0.2, Stay = −0.3; rDay = 1 − (1 − 0.4) = 0.4, Day = −0.6.
		{"docs: ffs member, α 1", []string{mild, county04, "consortia=" + budgetAll}, pCounty,
			respond.Incentive{Visit: -0.2, Stay: -0.3, Day: -0.6, Retention: 1}}, // Visit: −1·0.5·(1 − 0.6)
		// Paid by DRG outside any consortium: Stay = 1 − 0.5, Day = −1.
		{"docs: drg, no consortium", []string{mild, county04, bindings(outFFS, outsideI, drg(""))}, pCounty,
			respond.Incentive{Stay: 0.5, Day: -1, Weight: 1, Split: 1}},
		// Paid by DRG inside the budget: Stay = 1 − (1 − 0.2) − 0.5 = −0.3,
		// Day = −1, Weight = Split = 0.
		{"docs: drg member, α 1", []string{mild, county04, "consortia=" + budgetAll, bindings(outFFS, outsideI, drg(""))}, pCounty,
			respond.Incentive{Visit: -0.2, Stay: -0.3, Day: -1, Retention: 1}},
		// Against need, the member's ffs stay nets its cost: Stay = rCase − ccr·mild
		// = 0.5 − 0.6·0.5·0.49 − 0.75·0.5 = −0.022, Day = 1 − 0.294 − 0.75 = −0.044.
		{"ffs member county, baseline need", []string{mild, "responses.baseline=need", "consortia=" + budget}, pCounty,
			respond.Incentive{Visit: 0.005, Stay: -0.022, Day: -0.044, Retention: 0.6}}, // Visit: 0.5 − 0.12 − 0.375
	}
	for _, c := range cases {
		m := compileIncentives(t, append([]string{"responses={}"}, c.sets...)...)
		require.True(t, m.Plan.On, c.name)
		got := m.Plan.Incentive[c.prov]
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"Visit", got.Visit, c.want.Visit}, {"Stay", got.Stay, c.want.Stay}, {"Day", got.Day, c.want.Day},
			{"Weight", got.Weight, c.want.Weight}, {"Split", got.Split, c.want.Split},
			{"Retention", got.Retention, c.want.Retention},
		} {
			assert.InDelta(t, f.want, f.got, 1e-12, "%s: incentive(%s).%s = %v, want %v", c.name, m.ProvNames[c.prov], f.name, f.got, f.want)
		}
	}
}

// drg is the DRG binding of the township and county stays, with extra DRG
// settings appended to its drg block.
func drg(extra string) string { return strings.Replace(drgIn, "%s", extra, 1) }

// TestResponsesFollowIncentive checks what the compiled responses make of
// an incentive: thresholds and factors from the documented formulas.
func TestResponsesFollowIncentive(t *testing.T) {
	m := compileIncentives(t, "responses={mild: 0.5, induced: 0.2, withheld: 0.3, los: 0.1, los_charges: 0.4, upcoding: 0.01, split: 0.04, readmission: 0.05}",
		bindings(outFFS, outsideI, drg(", readmission: {days: 15}")))
	r := m.Plan
	// DRG county: Stay 0.5, Day −1, Weight 1, Split 0.5.
	cases := []struct {
		name      string
		got, want float64
	}{
		{"induced stay", prob(r.InduceStay[pCounty]), 0.2 * 0.5},                            // induced × Stay
		{"withheld stay", prob(r.WithholdStay[pCounty]), 0},                                 // Stay > 0: nothing withheld
		{"split", prob(r.Split[pCounty]), 0.04 * 0.5},                                       // split × Split
		{"readmission", prob(r.Readmit[pCounty]), 0.05 * 1},                                 // readmission × −Day
		{"LOS factor", r.LOS[pCounty], math.Exp(-0.1)},                                      // e^(los·Day)
		{"stay charges factor", r.StayCharges[pCounty], 1 + 0.4*(math.Exp(-0.1)-1)},         // 1 + los_charges(LOS − 1)
		{"ffs outside LOS factor", r.LOS[pOutside], 1},                                      // Day 0
		{"ffs village induced visits", prob(r.InduceVisit[pVillage]), 0},                    // Visit 0
		{"coding, first year", r.Coding.At(0, pCounty), 1.01},                               // (1 + 0.01·1)^1
		{"coding, last year", r.Coding.At(3*12-1, pCounty), 1.01 * 1.01 * 1.01},             // (1 + 0.01·1)^3
		{"coding of the ffs outside", r.Coding.At(3*12-1, pOutside), 1},                     // Weight 0
		{"coding, second year starts at cycle 12", r.Coding.At(12, pTownship), 1.01 * 1.01}, // (1.01)^2
	}
	for _, c := range cases {
		assert.InDelta(t, c.want, c.got, 1e-12, "%s = %v, want %v", c.name, c.got, c.want)
	}

	// A member of the budget (α = 0.6) paid by item withholds: Visit −0.15 at the township.
	m = compileIncentives(t, "responses={mild: 0.5, induced: 0.2, withheld: 0.3}", "consortia="+budget)
	assert.InDelta(t, 0.3*0.15, prob(m.Plan.WithholdVisit[pTownship]), 1e-12, "withheld visits at the member township: withheld × −Visit")
	assert.Zero(t, m.Plan.InduceVisit[pTownship], "induced visits at the member township")
	assert.Zero(t, m.Plan.WithholdVisit[pOutside], "withheld visits outside the consortium")
	assert.Nil(t, m.Plan.Coding, "no coding drift without a coding incentive")
}

// TestPreventionEffortTables checks that effort reaches the condition's
// tables: the township levels, the enrolment rate and the transition rows.
func TestPreventionEffortTables(t *testing.T) {
	// A community keeping its whole surplus (α = 1) bears all its residents'
	// care: effort min(1, 0.6·1) = 0.6 in both townships.
	m := compileIncentives(t, "responses={prevention: {effort: 0.6, enrolment: 0.5, screening: 0.4, control: 0.2, complications: 0.1}}",
		"consortia="+budgetAll)
	c := &m.Cond[0]
	assert.Equal(t, []float64{0, 0.6}, c.Effort, "effort levels")
	assert.Equal(t, []uint8{1, 1}, c.Level, "every township at level 1")
	// Enrolment 0.2 a year × (1 + 0.6·0.5) = 0.26 a year, monthly.
	assert.Equal(t, model.Threshold(model.RateToProb(0.2, 1.0/12)), c.Enrol[0], "enrolment without effort")
	assert.Equal(t, model.Threshold(model.RateToProb(0.26, 1.0/12)), c.Enrol[1], "enrolment at effort 0.6")
	// Row of a managed uncontrolled patient (state 2): leave = 1 −
	// e^(−(0.2·1.12 + 0.02·0.94)/12); control 1 + 0.6·0.2 = 1.12, stroke 1 −
	// 0.6·0.1 = 0.94. An unmanaged one gains control as often, but its
	// strokes are not prevented: 0.2·1.12 + 0.02.
	row := c.Trans[1][c.TransRow(0, 1, 0, 0, 2):]
	want := model.RateToProb(0.2*1.12+0.02*0.94, 1.0/12)
	assert.InDelta(t, want, float64(row[0])/0x1p32, 1e-9, "leave uncontrolled at effort 0.6, managed")
	row = c.Trans[1][c.TransRow(0, 0, 0, 0, 2):]
	assert.InDelta(t, model.RateToProb(0.2*1.12+0.02, 1.0/12), float64(row[0])/0x1p32, 1e-9, "leave uncontrolled at effort 0.6, unmanaged")
	row0 := c.Trans[0][c.TransRow(0, 0, 0, 0, 2):]
	assert.InDelta(t, model.RateToProb(0.2+0.02, 1.0/12), float64(row0[0])/0x1p32, 1e-9, "leave uncontrolled without effort")

	// No responses: no effort anywhere, whatever the payment.
	m = compileIncentives(t, bindings(capOut, ffsRest))
	assert.Equal(t, []float64{0}, m.Cond[0].Effort, "effort levels without responses")
	assert.False(t, m.Plan.On)
}

// TestReferralAgreement: a loose consortium's referral agreement is a rule,
// in force without any responses block: its pull is added to the member
// tiers' utilities in the choice of tier, and its down raises the share of
// stays referred down at members.
func TestReferralAgreement(t *testing.T) {
	loose := "consortia=[{name: alliance, tiers: [township, county], referral: {pull: 0.4, down: 0.5}}]"
	off := compileIncentives(t)
	on := compileIncentives(t, loose)
	require.False(t, on.Plan.On, "no responses block")

	// The medical group's rehab share 0.2 becomes 0.2·(1 + 0.5) = 0.3 at the
	// member township and county, and stays 0.2 outside.
	g := 0
	for _, c := range []struct {
		prov  int
		share float64
	}{{pTownship, 0.3}, {pCounty, 0.3}, {pOutside, 0.2}} {
		assert.InDelta(t, c.share, prob(on.RehabAt(g, c.prov)), 1e-12, "RehabAt(medical, %s) with the agreement", on.ProvNames[c.prov])
		assert.InDelta(t, 0.2, prob(off.RehabAt(g, c.prov)), 1e-12, "RehabAt(medical, %s) without it", off.ProvNames[c.prov])
	}

	// Visits: the log-odds of the member township against the village (no
	// member) rise by exactly the pull; the county against the outside too;
	// two members keep their odds.
	for kind := 0; kind < 2; kind++ {
		pOff, pOn := shares(off.VisitCum[kind]), shares(on.VisitCum[kind])
		logOdds := func(p []float64, a, b int) float64 { return math.Log(p[a] / p[b]) }
		assert.InDelta(t, 0.4, logOdds(pOn, 1, 0)-logOdds(pOff, 1, 0), 1e-9, "visits kind %d: township vs village", kind)
		assert.InDelta(t, 0.4, logOdds(pOn, 2, 3)-logOdds(pOff, 2, 3), 1e-9, "visits kind %d: county vs outside", kind)
		assert.InDelta(t, 0, logOdds(pOn, 2, 1)-logOdds(pOff, 2, 1), 1e-9, "visits kind %d: county vs township", kind)
	}
	// Admissions of the medical group (treatable at township, county, outside).
	nt := on.NTier
	aOff, aOn := shares(off.AdmCum[g*nt:(g+1)*nt]), shares(on.AdmCum[g*nt:(g+1)*nt])
	assert.InDelta(t, 0.4, math.Log(aOn[2]/aOn[3])-math.Log(aOff[2]/aOff[3]), 1e-9, "admissions: county vs outside")

	// Responses on, with pull and down-referral switched off: the agreement
	// alone still binds, and nothing else moves (FFS baseline, FFS payment).
	both := compileIncentives(t, loose, "responses={pull: 0, down_referral: 0}")
	assert.Equal(t, on.VisitCum, both.VisitCum, "visit choice with responses that add no pull")
	assert.Equal(t, on.AdmCum, both.AdmCum, "admission choice with responses that add no pull")
	assert.InDelta(t, 0.3, prob(both.RehabAt(g, pCounty)), 1e-12, "RehabAt with responses that add no down-referral")
}

// TestConsortiumPull: the budget's pull adds pull × retention to the members'
// utility, on top of any referral agreement.
func TestConsortiumPull(t *testing.T) {
	off := compileIncentives(t, "consortia="+budget)
	on := compileIncentives(t, "consortia="+budget, "responses={pull: 0.5, down_referral: 1}")
	// α = 0.6: pull 0.5·0.6 = 0.3 on every member tier, none outside.
	p0, p1 := shares(off.VisitCum[0]), shares(on.VisitCum[0])
	assert.InDelta(t, 0.3, math.Log(p1[2]/p1[3])-math.Log(p0[2]/p0[3]), 1e-9, "county vs outside visits")
	// Down-referral: 0.2·(1 + 1·0.6) = 0.32 at the members.
	assert.InDelta(t, 0.32, prob(on.RehabAt(0, pCounty)), 1e-12, "RehabAt(medical, county) under the budget")
	assert.InDelta(t, 0.2, prob(on.RehabAt(0, pOutside)), 1e-12, "RehabAt(medical, outside) under the budget")
}

// prob is the probability of a Threshold.
func prob(th uint64) float64 { return float64(th) / 0x1p64 }

// shares turns cumulative choice Thresholds into probabilities.
func shares(cum []uint64) []float64 {
	p := make([]float64, len(cum))
	prev := 0.0
	for i, c := range cum {
		x := float64(c) / 0x1p64
		p[i] = x - prev
		prev = x
	}
	return p
}

// TestPullNeedsConsortium: the consortium's pull (responses.pull) is
// "utility added to a consortium member tier ... per unit of the share of
// savings the consortium keeps" (scenario.Responses.Pull). A provider paid
// per capita outside any consortium keeps every yuan it saves (retention 1),
// but it has no consortium and no outside care charged to it: the patients'
// choice of its tier must not change with pull.
func TestPullNeedsConsortium(t *testing.T) {
	noPull := compileIncentives(t, "responses={pull: 0}", bindings(capOut, ffsRest))
	pull := compileIncentives(t, "responses={pull: 0.5}", bindings(capOut, ffsRest))
	require.Empty(t, pull.S.Consortia)
	assert.Equal(t, noPull.VisitCum, pull.VisitCum, "visit choice with pull 0.5 and no consortium, want as with pull 0")
	assert.Equal(t, noPull.AdmCum, pull.AdmCum, "admission choice with pull 0.5 and no consortium, want as with pull 0")
}

// TestCapitationRetentionStaysWithItsService: a member township of the
// budget (α = 0.6) paid per capita for its outpatients and by DRG for its
// stays. A yuan the budget saves on its stays goes to the consortium's
// surplus, of which the consortium keeps α: the stay incentive should be the
// DRG member's of TestIncentiveWorkedExamples (Stay 0.008, Weight = Split =
// 1 − α = 0.4), as it is for the same township paid by item for visits, and
// as outside any budget it is a DRG provider's (Weight 1).
func TestCapitationRetentionStaysWithItsService(t *testing.T) {
	capDRG := []string{"responses={mild: 0.5}", "consortia=" + budget,
		bindings(capOut, `{name: rest, method: ffs, tiers: [county, outside], services: [outpatient]}`,
			`{name: rehab, method: ffs, services: [long_stay]}`, outsideI, drg(""))}
	got := compileIncentives(t, capDRG...).Plan.Incentive[pTownship]
	assert.InDelta(t, 0.008, got.Stay, 1e-12, "incentive(township).Stay, capitated visits, DRG stays, α 0.6")
	assert.InDelta(t, 0.4, got.Weight, 1e-12, "incentive(township).Weight, capitated visits, DRG stays, α 0.6")
	assert.InDelta(t, 0.4, got.Split, 1e-12, "incentive(township).Split, capitated visits, DRG stays, α 0.6")
}

// TestProtocolEffort: a loose consortium's shared protocol gives its primary
// members' townships the protocol's effort for its condition, whatever they
// are paid (here by item: no retention, no effort of their own).
func TestProtocolEffort(t *testing.T) {
	m := compileIncentives(t, "responses={prevention: {effort: 1}}",
		"consortia=[{name: alliance, tiers: [township], protocols: [{condition: hypertension, effort: 0.4}]}]")
	c := &m.Cond[0]
	assert.Equal(t, []float64{0, 0.4}, c.Effort, "effort levels under the protocol")
	assert.Equal(t, []uint8{1, 1}, c.Level, "both townships follow the protocol")
	for p := range m.Plan.Incentive {
		assert.Zero(t, m.Plan.Incentive[p].Retention, "retention of %s paid by item", m.ProvNames[p])
	}
	// A township's effort is the larger of the protocol's and its own:
	// outpatient capitation bears only the visits' part of a complication's
	// cost, 480 ÷ 7,280 at the township (TestRiskBorne), below the protocol.
	m = compileIncentives(t, "responses={prevention: {effort: 1}}", bindings(capOut, ffsRest),
		"consortia=[{name: alliance, tiers: [township], protocols: [{condition: hypertension, effort: 0.4}]}]")
	assert.Equal(t, []float64{0, 0.4}, m.Cond[0].Effort, "effort levels under the protocol and outpatient capitation")
}

// TestPerDiemDayIncentive: a per-diem rule pays by the day, so its
// incentive is its day rate against a day's charges (docs/responses.md §2).
// The county's stays average ¥8,000 over 8 days: ¥1,000 a day; the
// township's rehabilitation stays 20 days at ¥200 a bed-day.
func TestPerDiemDayIncentive(t *testing.T) {
	perDiem := func(pd string) string {
		return bindings(outFFS,
			`{name: stays, method: ffs, tiers: [township, outside], services: [inpatient]}`,
			`{name: bed-days, method: per_diem, tiers: [county], services: [inpatient], per_diem: {`+pd+`}}`)
	}
	cases := []struct {
		name      string
		sets      []string
		stay, day float64
	}{
		// Rate = a day's charges: fee for service's incentive, no response.
		{"rate 1000", []string{perDiem("rates: [{tier: county, rate: 1000}]")}, 0, 0},
		// Rate 2000: r_day = 2000 ÷ 1000 = 2, Day = 2 − 1 = 1; a mild stay of
		// 4 days pays 8000, r_case = 0.5 × 2 = 1, Stay = 1 − 0.5 = 0.5.
		{"rate 2000", []string{perDiem("rates: [{tier: county, rate: 2000}]")}, 0.5, 1},
		// Against need (κ = 0.75): Stay = 1 − 0.75 × 0.5, Day = 2 − 0.75.
		{"rate 2000, need", []string{perDiem("rates: [{tier: county, rate: 2000}]"), "responses.baseline=need"}, 0.625, 1.25},
		// A day cap of 5 below the average 8 days: the next day pays nothing,
		// Day = 0 − 1; a mild stay's first days still pay.
		{"day cap 5", []string{perDiem("rates: [{tier: county, rate: 2000}], day_cap: 5")}, 0.5, -1},
		// Beyond a threshold of 4 days at half the rate: r_day = 1000 ÷ 1000.
		{"threshold 4, after 0.5", []string{perDiem("rates: [{tier: county, rate: 2000}], threshold: 4, after: 0.5")}, 0.5, 0},
		// A threshold at the average 8 days: the 9th day is already at half
		// the rate, as package perdiem pays it.
		{"threshold 8, after 0.5", []string{perDiem("rates: [{tier: county, rate: 2000}], threshold: 8, after: 0.5")}, 0.5, 0},
		// A day cap of 3 below the mild stay's 4 days: it is paid 3 days,
		// r_case = 6000 ÷ 8000, Stay = 0.75 − 0.5.
		{"day cap 3", []string{perDiem("rates: [{tier: county, rate: 2000}], day_cap: 3")}, 0.25, -1},
	}
	for _, c := range cases {
		got := compileIncentives(t, append([]string{"responses={mild: 0.5}"}, c.sets...)...).Plan.Incentive[pCounty]
		assert.InDelta(t, c.stay, got.Stay, 1e-12, "%s: Stay", c.name)
		assert.InDelta(t, c.day, got.Day, 1e-12, "%s: Day", c.name)
		assert.Zero(t, got.Weight+got.Split, "%s: no case payment to code up or split", c.name)
	}

	// A rich per-diem (Day +1) with a day cap of 9 against the average 8
	// days: at los 1 the factor exp(1) is cut to the 9 ÷ 8 days still paid.
	m := compileIncentives(t, "responses={mild: 0.5, los: 1}", perDiem("rates: [{tier: county, rate: 2000}], day_cap: 9"))
	assert.InDelta(t, 9.0/8, m.Plan.LOS[pCounty], 1e-12, "county's stay factor under a day cap of 9")

	// DRG bound to long stays pays them per case: a day more earns nothing.
	m = compileIncentives(t, "responses={mild: 0.5}", bindings(
		`{name: out, method: ffs, services: [outpatient]}`, `{name: stays, method: ffs, services: [inpatient]}`,
		`{name: rehab, method: drg, services: [long_stay], drg: {base_rate: 3000}}`))
	assert.InDelta(t, -1, m.Plan.Incentive[pTownship].LongDay, 1e-12, "township LongDay under DRG")

	// Rehabilitation stays at the township by the day at ¥300 against ¥200
	// of charges: LongDay = 1.5 − 1, and the long stays lengthen by
	// exp(los × 0.5).
	m = compileIncentives(t, "responses={mild: 0.5, los: 0.1}", bindings(
		`{name: out, method: ffs, services: [outpatient]}`, `{name: stays, method: ffs, services: [inpatient]}`,
		`{name: rehab, method: per_diem, tiers: [township], services: [long_stay], per_diem: {rates: [{tier: township, rate: 300}]}}`, `{name: other rehab, method: ffs, tiers: [village, county, outside], services: [long_stay]}`))
	assert.InDelta(t, 0.5, m.Plan.Incentive[pTownship].LongDay, 1e-12, "township LongDay")
	assert.InDelta(t, math.Exp(0.05), m.Plan.LongLOS[pTownship], 1e-12, "township long stays' factor")
	assert.Zero(t, m.Plan.Incentive[pTownship].Day, "township's acute stays are paid by item")
}

// TestRiskBorne: effort follows the share of a complication's cost that
// falls on the primary provider's side. A stroke of incentiveCounty costs
// its onset admission (medical, ¥6,000 at the county, its reference tier)
// and its rehabilitation (0.2 × 20 days × ¥200 = ¥800), and a year of 6
// visits: ¥240 at the village, ¥480 at the township. Capitation of the
// primary outpatients bears the visits' part: 240 ÷ 7,040 at the village,
// 480 ÷ 7,280 at the township, whose effort (the larger) each township
// takes; capitation of every service a primary tier gives adds the
// township's stays and rehabilitation, all of the cost; a community bears
// all of it at its surplus share.
func TestRiskBorne(t *testing.T) {
	const effort = "responses={prevention: {effort: 1}}"
	capAll := `{name: cap, method: capitation, tiers: [village, township], capitation: {rates: [{tier: village, rate: 50}, {tier: township, rate: 80}]}}`
	rest := `{name: rest, method: ffs, tiers: [county, outside]}`
	cases := []struct {
		name string
		sets []string
		want float64
	}{
		{"outpatient capitation", []string{effort, bindings(capOut, ffsRest)}, 480.0 / 7280},
		{"capitation of every service", []string{effort, bindings(capAll, rest)}, 1},
		{"a community keeping 60% of its surplus", []string{effort, "consortia=" + budget}, 0.6},
		{"fee for service", []string{effort}, 0},
	}
	for _, c := range cases {
		m := compileIncentives(t, c.sets...)
		got := m.Plan.Effort[0] // the condition's effort in the first township
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: effort %v, want %v", c.name, got, c.want)
		}
	}
}

// TestExpectingPlan checks the plan of a year whose members expect a yuan
// more of their care to cost their side 0.5 of it (payment.Forecaster: an
// overspend the fund shares at β = 0.5, say), against hand computations;
// a surplus year's costs α = 0.6 (the "drg member" cases of
// TestIncentiveWorkedExamples). Retention stays α: what the side keeps of
// a saving it plans for over years.
func TestExpectingPlan(t *testing.T) {
	m := compileIncentives(t, "responses={mild: 0.5, upcoding: 0.1, upcoding_cap: 0.5}", "consortia="+budget, bindings(outFFS, outsideI, drg("")))
	half := m.Plan.Expecting(m.Plan, 1, 0.5)
	want := map[int]respond.Incentive{
		// Township (o = 0.36 stay, 0.5 visit): Stay = 1 − 0.5(1 − 0.18) − 0.5 = 0.09,
		// Visit = −0.5·0.5·0.5 = −0.125, Weight = Split = 1 − 0.5.
		pTownship: {Visit: -0.125, Stay: 0.09, Day: -1, Weight: 0.5, Split: 0.5, Retention: 0.6},
		// County (o = 0.51 stay, 0.6 visit): Stay = 1 − 0.5(1 − 0.255) − 0.5 = 0.1275,
		// Visit = −0.5·0.5·0.4 = −0.1.
		pCounty: {Visit: -0.1, Stay: 0.1275, Day: -1, Weight: 0.5, Split: 0.5, Retention: 0.6},
		// Village (o = 0.4): Visit = −0.5·0.5·0.6 = −0.15.
		pVillage: {Visit: -0.15, Retention: 0.6},
		pOutside: {},
	}
	for p, w := range want {
		got := half.Incentive[p]
		assert.InDelta(t, w.Visit, got.Visit, 1e-12, "%s Visit", m.ProvNames[p])
		assert.InDelta(t, w.Stay, got.Stay, 1e-12, "%s Stay", m.ProvNames[p])
		assert.InDelta(t, w.Day, got.Day, 1e-12, "%s Day", m.ProvNames[p])
		assert.InDelta(t, w.Weight, got.Weight, 1e-12, "%s Weight", m.ProvNames[p])
		assert.InDelta(t, w.Split, got.Split, 1e-12, "%s Split", m.ProvNames[p])
		assert.InDelta(t, w.Retention, got.Retention, 1e-12, "%s Retention", m.ProvNames[p])
	}
	// The compiled plan is the surplus year's (α); effort and pull are shared.
	assert.InDelta(t, 0.053, m.Plan.Incentive[pCounty].Stay, 1e-12, "county Stay in a surplus year")
	assert.Equal(t, m.Plan.Effort, half.Effort)
	assert.Equal(t, m.Plan.Pull, half.Pull)
	// Its thresholds follow its incentives: the county induces admissions
	// (Stay > 0) where the surplus year's withholds them.
	assert.Greater(t, half.InduceStay[pCounty], m.Plan.InduceStay[pCounty])
	assert.Zero(t, half.WithholdStay[pCounty])
	// Coding: the county's weight incentive is 1 − 0.6 = 0.4 in a surplus
	// year, 0.5 at the margin 0.5. Year 0 keeps the surplus plan's 1.04;
	// year 1 compounds it by 1.05, year 2 again: 1.092, 1.1466; capped at 1.5.
	cd := half.Coding
	require.NotNil(t, cd)
	n := m.NProv
	assert.InDelta(t, 1.04, cd.Factor[0*n+pCounty], 1e-12, "year 0")
	assert.InDelta(t, 1.04*1.05, cd.Factor[1*n+pCounty], 1e-12, "year 1")
	assert.InDelta(t, 1.04*1.05*1.05, cd.Factor[2*n+pCounty], 1e-12, "year 2")
	// Down-referrals follow the margin: the medical group's rehab share 0.2 ×
	// (1 + down_referral 0.3 × m), 0.236 at α = 0.6, 0.23 at 0.5.
	assert.InDelta(t, 0.236, prob(m.Plan.RehabAt(0, pCounty)), 1e-9, "down-referrals at α")
	assert.InDelta(t, 0.23, prob(half.RehabAt(0, pCounty)), 1e-9, "down-referrals at 0.5")
	// The coding cap holds from the year on: with upcoding_cap 0.08 the
	// county's 1.04 of year 0 would become 1.092 in year 1: 1.08.
	capped := compileIncentives(t, "responses={mild: 0.5, upcoding: 0.1, upcoding_cap: 0.08}", "consortia="+budget, bindings(outFFS, outsideI, drg("")))
	cc := capped.Plan.Expecting(capped.Plan, 1, 0.5).Coding
	assert.InDelta(t, 1.04, cc.Factor[0*n+pCounty], 1e-12, "capped, year 0")
	assert.InDelta(t, 1.08, cc.Factor[1*n+pCounty], 1e-12, "capped, year 1")
	assert.InDelta(t, 1.08, cc.Factor[2*n+pCounty], 1e-12, "capped, year 2")
	// Planned at α the plan is the compiled one.
	same := m.Plan.Expecting(m.Plan, 0, 0.6)
	assert.Equal(t, m.Plan.Incentive, same.Incentive)
	assert.Equal(t, m.Plan.Coding.Factor, same.Coding.Factor)

	// Without a budget there is nothing to expect.
	plain := compileIncentives(t, "responses={mild: 0.5}", bindings(outFFS, outsideI, drg("")))
	assert.Same(t, plain.Plan, plain.Plan.Expecting(plain.Plan, 1, 0.5))
}

// TestAuditedCoding is docs/mechanisms.md §1's worked example of an audit's
// effect on coding: a detected case is paid at its true weight, so a coded
// factor f is paid as 1 + (1 − d)(f − 1); the providers' drift goes on
// from the factors they code at, not from the audited ones.
func TestAuditedCoding(t *testing.T) {
	const resp = "responses={mild: 0.5, upcoding: 0.01}"
	pay := bindings(outFFS, outsideI, drg(""))
	m := compileIncentives(t, resp, pay, "supervision={detection: 0.3, since: 2026}")
	plain := compileIncentives(t, resp, pay)
	n := m.NProv
	cases := []struct {
		name      string
		got, want float64
	}{
		{"2025, before the audit", m.Plan.Coding.Factor[0*n+pCounty], 1.01},      // as coded
		{"2026", m.Plan.Coding.Factor[1*n+pCounty], 1 + 0.7*(1.01*1.01-1)},       // 1.01407
		{"2027", m.Plan.Coding.Factor[2*n+pCounty], 1 + 0.7*(1.01*1.01*1.01-1)},  // 1.0212107
		{"the ffs outside codes nothing", m.Plan.Coding.Factor[2*n+pOutside], 1}, // 1 + 0.7 × 0
		{"the incentive reports the coded factor paid", m.Plan.Coding.At(3*12-1, pCounty), 1 + 0.7*(1.01*1.01*1.01-1)},
	}
	for _, c := range cases {
		assert.InDelta(t, c.want, c.got, 1e-12, "%s = %v, want %v", c.name, c.got, c.want)
	}
	// Without detection the coding is the providers' own, the same table.
	zero := compileIncentives(t, resp, pay, "supervision={detection: 0, cost_per_enrollee: 5}")
	assert.Same(t, zero.Plan.Coding, zero.Plan.Drift(), "detection 0 audits nothing")
	assert.Equal(t, plain.Plan.Coding.Factor, zero.Plan.Coding.Factor)

	// Inside a budget the drift of a year planned at margin 0.5 compounds
	// from the coded 1.04 of the first year (weight incentive 0.4, upcoding
	// 0.1), not from the audited 1.028: 1.04 × 1.05 = 1.092, paid at
	// 1 + 0.7 × 0.092 = 1.0644.
	b := compileIncentives(t, "responses={mild: 0.5, upcoding: 0.1, upcoding_cap: 0.5}", "consortia="+budget, pay, "supervision={detection: 0.3}")
	half := b.Plan.Expecting(b.Plan, 1, 0.5)
	assert.InDelta(t, 1+0.7*0.04, half.Coding.Factor[0*n+pCounty], 1e-12, "2025 in the budget")
	assert.InDelta(t, 1+0.7*(1.04*1.05-1), half.Coding.Factor[1*n+pCounty], 1e-12, "2026 in the budget")
}
