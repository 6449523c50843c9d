package sim

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/report"
)

// The mechanisms of docs/mechanisms.md switched on, and at zero.
const (
	audit        = "supervision={detection: 0.5, cost_per_enrollee: 2}"
	auditAtZero  = "supervision={detection: 0, cost_per_enrollee: 0}"
	contracts    = "contracts={fee: 120, fund_share: 0.7}"
	contractZero = "contracts={fee: 0, fund_share: 0.7}"
)

// summaryBytes is the JSON of a whole summary, incentives included.
func summaryBytes(t *testing.T, sum *report.Summary) string {
	t.Helper()
	b, err := json.Marshal(sum)
	require.NoError(t, err)
	return string(b)
}

// TestMechanismsAtZero: each mechanism at zero gives the bytes of the run
// without its block, on a DRG county with every response on and on a
// budget that pools public-health funds.
func TestMechanismsAtZero(t *testing.T) {
	drg := summaryBytes(t, runResponses(t, "county-drg.yaml", allResponses))
	for _, set := range []string{auditAtZero, contractZero} {
		assert.Equal(t, drg, summaryBytes(t, runResponses(t, "county-drg.yaml", allResponses, set)), "county-drg with %s", set)
	}
	pooled := "consortia[0].budget.public_health=94"
	budget := summaryBytes(t, runResponses(t, "county-global-budget.yaml", allResponses, pooled))
	assert.Equal(t, budget, summaryBytes(t, runResponses(t, "county-global-budget.yaml", allResponses, pooled,
		"consortia[0].budget.prevention_cost=0", auditAtZero, contractZero, "consortia[0].budget.staff_share=0",
		"uplift={tiers: [township, county], gain: 0, scale: 20, depreciation: 0.2}")), "county-global-budget with every mechanism at zero")
}

// TestSupervisionMovesWhatItDetects: an audit detecting half the
// unjustified claims on a DRG county (rate method, every response on) pays
// upcoded cases at a lower coded weight and denies half the induced
// admissions; nothing else about care moves, since the audit draws from a
// stream of its own. Before its since year the run is the run without it.
func TestSupervisionMovesWhatItDetects(t *testing.T) {
	base := runResponses(t, "county-drg.yaml", allResponses)
	sv := runResponses(t, "county-drg.yaml", allResponses, audit)
	county := named(t, sv.Incentives, func(p report.ProviderIncentive) string { return p.Provider }, "county-peoples-hospital", "incentive")
	county0 := named(t, base.Incentives, func(p report.ProviderIncentive) string { return p.Provider }, "county-peoples-hospital", "incentive")
	// The coded weight paid in the last year: 1.01³ as coded, 1 + 0.5 ×
	// (1.01³ − 1) after the audit.
	assert.InDelta(t, 1.01*1.01*1.01, county0.Coding, 1e-12, "coded weight without the audit")
	assert.InDelta(t, 1+0.5*(1.01*1.01*1.01-1), county.Coding, 1e-12, "coded weight paid after the audit")
	denied := int64(0)
	for i, y := range sv.Yearly {
		b := base.Yearly[i]
		a := y.Supervision
		require.NotNil(t, a, "year %d: supervision", y.Year)
		// Every induced admission is drawn as before; the audit denies some.
		assert.Equal(t, b.Responses.InducedAdmissions, y.Responses.InducedAdmissions+a.DeniedAdmissions, "year %d: induced admissions paid + denied", y.Year)
		assert.Equal(t, b.Responses.InducedVisits, y.Responses.InducedVisits+a.DeniedVisits, "year %d: induced visits paid + denied", y.Year)
		assert.Less(t, y.Responses.InducedAdmissions, b.Responses.InducedAdmissions, "year %d: induced admissions paid", y.Year)
		denied += a.DeniedAdmissions
		// The denied claims are billed to no one: the charges fall by theirs,
		// and the providers bear their resource cost (county cost-to-charge 0.8).
		assert.True(t, ledger.Close(b.Cost.Charges-y.Cost.Charges, a.DeniedCharges), "year %d: charges fall by %v, want the denied %v", y.Year, b.Cost.Charges-y.Cost.Charges, a.DeniedCharges)
		// Each provider bears its denied claims' charges × its tier's
		// cost-to-charge (county-ffs's: village and township 0.95, county
		// 0.90, outside 0.85): Σ denied cost ÷ ratio = the denied charges.
		ratio := map[string]float64{"village": 0.95, "township": 0.95, "county": 0.90, "outside": 0.85}
		charges := 0.0
		for _, pr := range y.Payment.Providers {
			charges += pr.DeniedCost / ratio[pr.Tier]
		}
		assert.Positive(t, a.DeniedCost, "year %d: denied cost", y.Year)
		assert.InDelta(t, a.DeniedCharges, charges, 1e-6*a.DeniedCharges, "year %d: denied cost = charges × cost-to-charge", y.Year)
		assert.Equal(t, b.Utilisation.Visits, y.Utilisation.Visits, "year %d: visits", y.Year)
		assert.Equal(t, b.Health.Deaths, y.Health.Deaths, "year %d: deaths", y.Year)
		// The audit's cost is the government's, not the fund's.
		assert.InDelta(t, 2*y.Fund.Enrollees, a.Cost, 0.02*a.Cost, "year %d: audit cost ≈ ¥2 × enrollees", y.Year)
		assert.Equal(t, 0.5, a.Detection)
	}
	assert.InDelta(t, 2*30000, sv.Yearly[0].Supervision.Cost, 1e-9, "the first year's cost: ¥2 × 30,000 at its start")
	// The fund pays less in the first year. county-drg re-bases its rate on
	// a budget path (next year's budget ÷ this year's coded weight): the
	// weight the audit took off raises next year's rate, which gives the
	// saving back (docs/mechanisms.md §1).
	assert.Less(t, sv.Yearly[0].Fund.Payout, base.Yearly[0].Fund.Payout, "2025 payout")
	rate := func(y report.Year) float64 {
		return named(t, y.Payment.Rules, func(r report.RuleYear) string { return r.Name }, "drg-in-county", "rule").Values["base_rate"]
	}
	assert.Equal(t, rate(base.Yearly[0]), rate(sv.Yearly[0]), "2025 base rate")
	assert.Greater(t, rate(sv.Yearly[1]), rate(base.Yearly[1]), "2026 base rate, re-based on the audited weight")
	assert.Positive(t, denied)

	// In force from the second year: the first is the run without it.
	later := runResponses(t, "county-drg.yaml", allResponses, audit, "supervision.since=2026")
	first := later.Yearly[0]
	require.NotNil(t, first.Supervision)
	assert.Zero(t, first.Supervision.Detection)
	assert.Zero(t, first.Supervision.Cost)
	first.Supervision = nil
	b0, err := json.Marshal(base.Yearly[0])
	require.NoError(t, err)
	l0, err := json.Marshal(first)
	require.NoError(t, err)
	assert.Equal(t, string(b0), string(l0), "2025, before the audit")
	assert.Less(t, later.Yearly[1].Fund.Payout, base.Yearly[1].Fund.Payout, "2026, under the audit")
}

// TestContractsPaid: family-doctor contracts on the fee-for-service county
// pay ¥120 per managed person-year to the township health centres, 70% from
// the fund; care does not move, so the payout rises by the fund's share
// exactly and the townships' revenue by the whole fee.
func TestContractsPaid(t *testing.T) {
	base := runResponses(t, "county-ffs.yaml")
	ct := runResponses(t, "county-ffs.yaml", contracts)
	for i, y := range ct.Yearly {
		b := base.Yearly[i]
		c := y.Contracts
		require.NotNil(t, c, "year %d: contracts", y.Year)
		assert.Positive(t, c.PersonYears)
		assert.Less(t, c.PersonYears, y.Fund.Enrollees, "year %d: contracted person-years", y.Year)
		assert.InDelta(t, 120*c.PersonYears, c.Fees, 1e-6, "year %d: fees = 120 × person-years", y.Year)
		assert.InDelta(t, 0.7*c.Fees, c.FundPaid, 1e-6, "year %d: the fund's 70%%", y.Year)
		assert.InDelta(t, 0.3*c.Fees, c.PaidByPersons, 1e-6, "year %d: the persons' 30%%", y.Year)
		assert.True(t, ledger.Close(y.Fund.Payout-b.Fund.Payout, c.FundPaid), "year %d: payout rises by %v, want the fund's share %v", y.Year, y.Fund.Payout-b.Fund.Payout, c.FundPaid)
		town := named(t, y.Tiers, func(x report.TierYear) string { return x.Tier }, "township", "tier")
		town0 := named(t, b.Tiers, func(x report.TierYear) string { return x.Tier }, "township", "tier")
		assert.True(t, ledger.Close(town.Revenue-town0.Revenue, c.Fees), "year %d: township revenue rises by the fees", y.Year)
		assert.Equal(t, b.Utilisation, y.Utilisation, "year %d: care", y.Year)
		assert.Equal(t, b.Cost.Charges, y.Cost.Charges, "year %d: charges", y.Year)
	}
}

// TestPreventionCostLowersSurplus: the community of county-global-budget
// pooling ¥94 of public-health funds a head. The package they pay for is
// done by the members at its cost, ¥94 a head by default: pooling then
// leaves the surplus as it was, money in and work out. With the managed
// patients' work charged on top at ¥40 a managed person-year, and responses
// off so that care does not move, each year's surplus falls by that work
// exactly, and with α = 1 the members retain that much less; the
// contracted person-years are the managed person-years the work is
// charged on.
func TestPreventionCostLowersSurplus(t *testing.T) {
	pooled := "consortia[0].budget.public_health=94"
	none := runResponses(t, "county-global-budget.yaml")
	base := runResponses(t, "county-global-budget.yaml", pooled)
	for i, y := range base.Yearly {
		b, n := y.Payment.Budget, none.Yearly[i].Payment.Budget
		assert.InDelta(t, 94*b.Enrollees, b.Prevention, 1e-6, "year %d: the package = 94 × enrollees", y.Year)
		assert.True(t, ledger.Close(b.Budget-n.Budget, b.Prevention), "year %d: the budget grows by the pooled funds", y.Year)
		assert.True(t, ledger.Close(n.Surplus, b.Surplus), "year %d: pooling with the package's work leaves the surplus", y.Year)
	}
	pc := runResponses(t, "county-global-budget.yaml", pooled, "consortia[0].budget.prevention_cost=40", contracts)
	for i, y := range pc.Yearly {
		b, b0 := y.Payment.Budget, base.Yearly[i].Payment.Budget
		require.NotNil(t, b)
		assert.Positive(t, b.ManagedPersonYears)
		assert.InDelta(t, y.Contracts.PersonYears, b.ManagedPersonYears, 1e-9, "year %d: managed person-years", y.Year)
		assert.InDelta(t, 40*b.ManagedPersonYears, b.Prevention-b0.Prevention, 1e-6, "year %d: prevention = the package + 40 × managed person-years", y.Year)
		// Contracts are paid out of the budget (the township is a member):
		// its spending rises by the fund's share of the fees.
		assert.True(t, ledger.Close(b.Spending-b0.Spending, y.Contracts.FundPaid), "year %d: spending rises by the contracts' fund share", y.Year)
		if i == 0 { // later budgets follow the spending, contracts included
			assert.True(t, ledger.Close(b0.Surplus-b.Surplus, b.Prevention-b0.Prevention+y.Contracts.FundPaid), "year %d: surplus falls by prevention %v + contract fund %v", y.Year, b.Prevention-b0.Prevention, y.Contracts.FundPaid)
		}
		assert.Less(t, b.Retained, b0.Retained, "year %d: retained", y.Year)
	}
	// Without contracts, only the managed patients' work moves the surplus,
	// and the members bear it whole (α = 1); budgets follow spending, which
	// the work does not raise.
	only := runResponses(t, "county-global-budget.yaml", pooled, "consortia[0].budget.prevention_cost=40")
	for i, y := range only.Yearly {
		b, b0 := y.Payment.Budget, base.Yearly[i].Payment.Budget
		assert.Equal(t, b0.Budget, b.Budget, "year %d: the budget", y.Year)
		assert.True(t, ledger.Close(b0.Surplus-b.Surplus, b.Prevention-b0.Prevention), "year %d: surplus falls by the prevention", y.Year)
		d := b.Prevention - b0.Prevention
		switch {
		case b0.Surplus >= 0 && b.Surplus >= 0:
			assert.True(t, ledger.Close(b0.Retained-b.Retained, d), "year %d: α = 1: retained falls by the prevention", y.Year)
		case b0.Surplus < 0 && b.Surplus < 0: // an overspend within the cap: the fund covers β = 0.6 of it
			assert.True(t, ledger.Close(b0.Retained-b.Retained, 0.4*d), "year %d: retained falls by 1 − β of the prevention", y.Year)
		default:
			assert.Less(t, b.Retained, b0.Retained, "year %d: retained", y.Year)
		}
	}
}
