package diff

import (
	"strings"
	"testing"
)

const old = `{"schema": "paysim.summary/v1", "yearly": [
  {"year": 2025, "fund": {"payout": 1000, "reserve_months": 6.0}, "tiers": [{"tier": "county", "visits": 100}]},
  {"year": 2026, "fund": {"payout": 1100, "reserve_months": null}, "tiers": [{"tier": "county", "visits": 110}]}]}`

func TestCompareIdentical(t *testing.T) {
	d, n, err := Compare([]byte(old), []byte(old), &Tolerances{})
	if err != nil || len(d) != 0 || n != 11 { // schema, and per year: year, payout, reserve, tier, visits
		t.Errorf("Compare(same) = %v, %d figures, %v; want no difference among 11 figures", d, n, err)
	}
}

func TestCompareTolerances(t *testing.T) {
	moved := strings.NewReplacer(`"payout": 1000`, `"payout": 1010`, `"visits": 110`, `"visits": 111`,
		`"reserve_months": 6.0`, `"reserve_months": 6.5`, `"schema": "paysim.summary/v1", `, ``).Replace(old)
	tol := &Tolerances{Default: Tol{RTol: 0.01}, Metrics: []Rule{{Path: "yearly.*.fund.reserve_months", Tol: Tol{ATol: 0.25}}}}
	d, _, err := Compare([]byte(old), []byte(moved), tol)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, x := range d {
		got[x.Path] = x.Beyond
	}
	want := map[string]bool{
		"yearly.2025.fund.payout":         false, // 10 ≤ 0.01 × 1000
		"yearly.2026.tiers.county.visits": false, // 1 ≤ 0.01 × 110 = 1.1
		"yearly.2025.fund.reserve_months": true,  // 0.5 > atol 0.25 (the rule replaces the default)
		"schema":                          true,  // only in old
	}
	if len(got) != len(want) {
		t.Errorf("differences %v, want %v", d, want)
	}
	for p, b := range want {
		if g, ok := got[p]; !ok || g != b {
			t.Errorf("%s: beyond = %v (present %v), want %v", p, g, ok, b)
		}
	}
}

func TestTolerancesLastRuleWins(t *testing.T) {
	tol := &Tolerances{Default: Tol{RTol: 1}, Metrics: []Rule{
		{Path: "yearly.*.fund.*", Tol: Tol{RTol: 0.1}},
		{Path: "yearly.2025.fund.payout", Tol: Tol{ATol: 5}},
	}}
	if got := tol.For("yearly.2025.fund.payout"); got != (Tol{ATol: 5}) {
		t.Errorf("For(payout 2025) = %+v, want atol 5", got)
	}
	if got := tol.For("yearly.2026.fund.payout"); got != (Tol{RTol: 0.1}) {
		t.Errorf("For(payout 2026) = %+v, want rtol 0.1", got)
	}
	if got := tol.For("overall.payout"); got != (Tol{RTol: 1}) {
		t.Errorf("For(overall) = %+v, want the default", got)
	}
}
