package respond_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
)

// upliftCounty is the small county of testdata/bad/base/ok.yaml with its
// township and county in a community keeping alpha of its surplus, an
// uplift of gain 0.02, scale ¥20 and depreciation 0.2, no pull into the
// community and no price in the choice of tier (so that a tier's admission
// utility is severity × capability).
func upliftCounty(t *testing.T, alpha string) *respond.Uplift {
	t.Helper()
	s, err := scenario.Load("../../testdata/bad/base/ok.yaml", []string{"responses={pull: 0}", "choice.price_sensitivity=0",
		"consortia=[{name: community, tiers: [township, county], budget: {per_capita: 1000, growth: 0.03, surplus_share: " + alpha +
			", tier_shares: {county: 0.7, township: 0.3}, overspend_share: 0.6, overspend_cap: 0.08}}]",
		"uplift={tiers: [township, county], gain: 0.02, scale: 20, depreciation: 0.2}"})
	require.NoError(t, err)
	w, err := sim.Compile(s)
	require.NoError(t, err)
	u := respond.NewUplift(w.Model)
	require.NotNil(t, u)
	return u
}

// TestUpliftDecideWorkedExample: 100 strokes among 10,000 enrollees
// (severity 1.5, treated at the county for ¥20,000 or outside for ¥45,000).
// First contacts: township (capability 1, referred up to the county),
// county (2), outside (3) in the odds e^1.5 : e^3 : e^4.5, shares 0.039113,
// 0.175290, 0.785597. What a stay costs the budget (α = 1): at the county
// 0.7 × (20,000 − 600) = 13,580, outside 0.5 × (45,000 − 1,500) = 21,750;
// the mean, −19,998.33. A unit of the county's capability is worth
// 0.01 × 1.5 × 0.175290 × (−13,580 + 19,998.33) = ¥16.876 per enrollee a
// year, the township's 0.01 × 1.5 × 0.039113 × 6,418.33 = ¥3.7656.
// Investment: county 20 × (0.02 × 16.876 ÷ 0.2 − 1) = ¥13.752; township
// 0.02 × 3.7656 ÷ 0.2 = 0.377 < 1, nothing. The county's stock: 0.02 × 20 ×
// ln(1 + 13.752 ÷ 20) = 0.20932. A year later with no strokes it has worn
// to 0.8 × 0.20932. Keeping no saving (α = 0) a stay costs the consortium
// nothing and it invests nothing.
func TestUpliftDecideWorkedExample(t *testing.T) {
	u := upliftCounty(t, "1")
	ch := &u.Model().Choice
	cases := []float64{0, 100} // pneumonia, stroke
	inv, stock := u.Decide(ch, cases, 10000, 1)
	const township, county = 1, 2
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("county's value", u.Value[county], 16.87607, 1e-4)
	near("township's value", u.Value[township], 3.76556, 1e-4)
	near("county's investment", u.Invest[county], 13.75214, 1e-4)
	near("township's investment", u.Invest[township], 0, 0)
	near("investment per enrollee", inv, 13.75214, 1e-4)
	near("county's stock", stock[county], 0.209325, 1e-5)
	_, stock = u.Decide(ch, []float64{0, 0}, 10000, 2)
	near("county's stock a year later", stock[county], 0.8*0.209325, 1e-5)

	none := upliftCounty(t, "0")
	inv, stock = none.Decide(&none.Model().Choice, cases, 10000, 1)
	near("investment keeping no saving", inv, 0, 0)
	near("county's stock keeping no saving", stock[county], 0, 0)
}
