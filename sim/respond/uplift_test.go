package respond_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
)

// upliftCounty is the small county of testdata/bad/base/ok.yaml (discount
// rate 3%, the county's resource cost 0.8 of its charges, the township's
// and outside's 1) with its township and county in a community of the
// given budget and decides keys, an uplift of gain 0.05, scale ¥20 and
// depreciation 0.2, no pull into the community and no price in the choice
// of tier (so that a tier's admission utility is severity × capability).
func upliftCounty(t *testing.T, community string) *respond.Uplift {
	t.Helper()
	s, err := scenario.Load("../../testdata/bad/base/ok.yaml", []string{"responses={pull: 0}", "choice.price_sensitivity=0",
		"consortia=[{name: community, tiers: [township, county]" + community + "}]",
		"uplift={tiers: [township, county], gain: 0.05, scale: 20, depreciation: 0.2}"})
	require.NoError(t, err)
	w, err := sim.Compile(s)
	require.NoError(t, err)
	u := respond.NewUplift(w.Model)
	require.NotNil(t, u)
	return u
}

// upliftBudget is a budget keeping the whole surplus, rebased on spending, its
// result split county 0.7, township 0.3.
const upliftBudget = ", budget: {per_capita: 1000, growth: 0.03, surplus_share: 1, tier_shares: {county: 0.7, township: 0.3}, overspend_share: 0.6, overspend_cap: 0.08}"

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestUpliftDecideWorkedExample: 100 strokes among 10,000 enrollees
// (severity 1.5, treated at the county for ¥20,000 or outside for
// ¥45,000). First contacts: township (capability 1, referred up to the
// county), county (2), outside (3) in the odds e^1.5 : e^3 : e^4.5, shares
// 0.039113, 0.175290, 0.785597. The fund's part of a stay: at the county
// 0.7 × (20,000 − 600) = 13,580, outside 0.5 × (45,000 − 1,500) = 21,750;
// the county's margin on a stay 20,000 × (1 − 0.8) = 4,000. A saving is
// kept one year, 1 ÷ 1.03 (base spending); a margin while a unit lasts,
// 1 ÷ (0.2 + 0.03) = 4.3478.
//
// The community deciding as one (α = 1): a stay at the county is worth
// −13,580 ÷ 1.03 + 4,000 × 4.3478 = 4,206.84, one outside −21,116.50, the
// mean −15,687.10; a unit of the county's capability 0.01 × 1.5 ×
// 0.175290 × (4,206.84 + 15,687.10) = ¥52.308 per enrollee, the
// township's ¥11.672. Investment: county 20 × (0.05 × 52.308 − 1) =
// ¥32.308, township 0.05 × 11.672 = 0.58 < 1, nothing; the county's stock
// 0.05 × 20 × ln(1 + 32.308 ÷ 20) = 0.96142, a year later 0.8 × that.
//
// Each member deciding (the county keeps 0.7 of α × the saving, the
// township 0.3): the county values its capability at ¥47.393 and invests
// ¥27.393; the township, which keeps 0.3 of the saving and treats no
// stroke, at ¥1.097. Without a budget (a loose consortium, each member for
// its margin): the county at 0.01 × 1.5 × 0.175290 × (17,391.30 −
// 3,728.75) = ¥35.924 and invests ¥15.924; the township at nothing.
//
// Limited by a retained surplus of ¥10 per enrollee, the community
// invests ¥10 in the county, stock 0.05 × 20 × ln 1.5 = 0.40547.
func TestUpliftDecideWorkedExample(t *testing.T) {
	const township, county = 1, 2
	cases := []float64{0, 100} // pneumonia, stroke
	for _, c := range []struct {
		name, community                 string
		vTownship, vCounty, iCounty, st float64
	}{
		{"community", upliftBudget, 11.67155, 52.30826, 32.30826, 0.961422},
		{"members", upliftBudget + ", decides: members", 1.09676, 47.39290, 27.39290, 0.862740},
		{"no budget", "", 0, 35.92372, 15.92372, 0.585666},
	} {
		u := upliftCounty(t, c.community)
		ch := &u.Model().Choice
		inv, stock := u.Decide(ch, cases, 10000, 1, math.Inf(1))
		near(t, c.name+": township's value", u.Value[township], c.vTownship, 1e-4)
		near(t, c.name+": county's value", u.Value[county], c.vCounty, 1e-4)
		near(t, c.name+": township's investment", u.Invest[township], 0, 0)
		near(t, c.name+": county's investment", u.Invest[county], c.iCounty, 1e-4)
		near(t, c.name+": investment per enrollee", inv, c.iCounty, 1e-4)
		near(t, c.name+": county's stock", stock[county], c.st, 1e-5)
		_, stock = u.Decide(ch, []float64{0, 0}, 10000, 2, math.Inf(1))
		near(t, c.name+": county's stock a year later", stock[county], 0.8*c.st, 1e-5)
	}

	u := upliftCounty(t, upliftBudget)
	inv, stock := u.Decide(&u.Model().Choice, cases, 10000, 1, 10)
	near(t, "investment limited by the retained surplus", inv, 10, 1e-9)
	near(t, "county's stock so limited", stock[county], 0.405465, 1e-5)
	inv, _ = upliftCounty(t, upliftBudget).Decide(&u.Model().Choice, cases, 10000, 1, -5)
	near(t, "investment after an overspend", inv, 0, 0)
	// Each member decides within its tier's share of the surplus: the
	// county 0.7 × 10.
	m := upliftCounty(t, upliftBudget+", decides: members")
	inv, _ = m.Decide(&m.Model().Choice, cases, 10000, 1, 10)
	near(t, "a member's investment limited by its tier's share", inv, 7, 1e-9)
}

// TestUpliftHorizons: a margin counts while a unit of capability lasts,
// 1 ÷ (δ + r); a budget's saving as long under base income, and one year,
// 1 ÷ (1 + r), under base spending, which takes it back the next year.
func TestUpliftHorizons(t *testing.T) {
	s := &scenario.Scenario{DiscountRate: 0.03}
	saving, lasting := respond.Horizons(s, nil, 0.2)
	near(t, "margin", lasting, 1/0.23, 1e-12)
	near(t, "no budget: saving", saving, 1/0.23, 1e-12)
	saving, _ = respond.Horizons(s, &scenario.Budget{}, 0.2)
	near(t, "base spending: saving", saving, 1/1.03, 1e-12)
	saving, _ = respond.Horizons(s, &scenario.Budget{Base: scenario.BaseIncome}, 0.2)
	near(t, "base income: saving", saving, 1/0.23, 1e-12)
}
