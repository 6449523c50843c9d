package diff

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
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

// TestCurrency: a summary without a currency counts in yuan, so a baseline
// from before the field compares with a CNY summary without a difference;
// summaries in two currencies are refused.
func TestCurrency(t *testing.T) {
	cny := strings.Replace(old, `"schema": "paysim.summary/v1", `, `"schema": "paysim.summary/v1", "currency": "CNY", `, 1)
	usd := strings.Replace(cny, `"CNY"`, `"USD"`, 1)
	d, n, err := Compare([]byte(old), []byte(cny), &Tolerances{})
	if err != nil || len(d) != 0 || n != 11 {
		t.Errorf("Compare(no currency, CNY) = %v, %d figures, %v; want no difference among 11 figures", d, n, err)
	}
	if _, _, err := Compare([]byte(cny), []byte(usd), &Tolerances{}); err == nil || !strings.Contains(err.Error(), "old counts money in CNY, new in USD") {
		t.Errorf("Compare(CNY, USD) error = %v, want the two currencies named", err)
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

// TestProvidersByName: providers of one tier are told apart, so a township
// centre whose fund payments doubled is reported, by its own path.
func TestProvidersByName(t *testing.T) {
	const a = `{"yearly": [{"year": 2025, "payment": {"providers": [
	  {"provider": "thc-east", "tier": "township", "fund_paid": 100},
	  {"provider": "thc-west", "tier": "township", "fund_paid": 100}]}}]}`
	b := strings.Replace(a, `"provider": "thc-west", "tier": "township", "fund_paid": 100`, `"provider": "thc-west", "tier": "township", "fund_paid": 200`, 1)
	d, n, err := Compare([]byte(a), []byte(b), &Tolerances{})
	if err != nil || len(d) != 1 || d[0].Path != "yearly.2025.payment.providers.thc-west.fund_paid" || !d[0].Beyond {
		t.Errorf("Compare = %v (%d figures, %v); want yearly.2025.payment.providers.thc-west.fund_paid beyond tolerance", d, n, err)
	}
	if n != 7 { // year; per provider: provider, tier, fund_paid
		t.Errorf("%d figures compared, want 7", n)
	}
}

// TestDuplicateItems: two items of a list that would share a path are an
// error, never a silent overwrite.
func TestDuplicateItems(t *testing.T) {
	const a = `{"tiers": [{"tier": "county", "visits": 1}, {"tier": "county", "visits": 2}]}`
	if _, _, err := Compare([]byte(a), []byte(a), &Tolerances{}); err == nil || !strings.Contains(err.Error(), `"county"`) {
		t.Errorf("Compare with two county tiers: %v; want an error naming them", err)
	}
}

// TestNegativeTolerance: a negative or NaN tolerance is refused.
func TestNegativeTolerance(t *testing.T) {
	for _, tol := range []*Tolerances{
		{Default: Tol{RTol: -0.01}},
		{Metrics: []Rule{{Path: "yearly.*", Tol: Tol{ATol: math.NaN()}}}},
	} {
		if _, _, err := Compare([]byte(old), []byte(old), tol); err == nil {
			t.Errorf("Compare with tolerance %+v: no error", tol)
		}
	}
}

// TestEveryLeafIsCompared perturbs each numeric leaf of a real summary, one
// at a time, and wants exactly that leaf reported beyond tolerance.
func TestEveryLeafIsCompared(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "library", "county-global-budget.summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(base, &doc); err != nil {
		t.Fatal(err)
	}
	leaves := 0
	countLeaves(doc, &leaves)
	if leaves < 500 {
		t.Fatalf("%d numeric leaves in the fixture; want a summary with providers, rules and a budget", leaves)
	}
	tol := &Tolerances{Default: Tol{RTol: 1e-6, ATol: 1e-9}}
	for k := 0; k < leaves; k++ {
		var v any
		_ = json.Unmarshal(base, &v)
		i := k
		path := perturb(&v, "", &i)
		moved, _ := json.Marshal(v)
		d, _, err := Compare(base, moved, tol)
		if err != nil {
			t.Fatal(err)
		}
		seg := path[strings.LastIndex(path, ".")+1:]
		switch {
		case slices.Contains(identity, path):
			if len(d) != 0 {
				t.Errorf("%s names the run; %d differences, want none", path, len(d))
			}
			continue
		case slices.Contains(keys, seg):
			continue // the item's name: changing it renames the item
		}
		if len(d) != 1 || d[0].Path != path || !d[0].Beyond {
			t.Fatalf("leaf %d (%s) perturbed: %d differences (first %v); want exactly that path beyond tolerance", k, path, len(d), d[:min(len(d), 2)])
		}
	}
}

// countLeaves counts the numeric leaves of a decoded JSON value.
func countLeaves(v any, n *int) {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			countLeaves(e, n)
		}
	case []any:
		for _, e := range x {
			countLeaves(e, n)
		}
	case float64:
		*n++
	}
}

// perturb changes the *i-th numeric leaf of *v (in the order countLeaves
// and flatten visit maps: sorted keys) by 1% + 1 and returns its path as
// Compare names it.
func perturb(v *any, prefix string, i *int) string {
	join := func(seg string) string {
		if prefix == "" {
			return seg
		}
		return prefix + "." + seg
	}
	switch x := (*v).(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			e := x[k]
			if p := perturb(&e, join(k), i); p != "" {
				x[k] = e
				return p
			}
		}
	case []any:
		for j := range x {
			seg := strconv.Itoa(j)
			if m, ok := x[j].(map[string]any); ok {
				for _, k := range keys {
					if id, ok := m[k]; ok {
						seg = text(id)
						break
					}
				}
			}
			if p := perturb(&x[j], join(seg), i); p != "" {
				return p
			}
		}
	case float64:
		if *i == 0 {
			*v = x*1.01 + 1
			return prefix
		}
		*i--
	}
	return ""
}

// TestAmbiguousPaths: two leaves at one dotted path, and a tolerance
// pattern that cannot match, are refused.
func TestAmbiguousPaths(t *testing.T) {
	const a = `{"a.b": 1, "a": {"b": 2}}`
	if _, _, err := Compare([]byte(a), []byte(a), &Tolerances{}); err == nil || !strings.Contains(err.Error(), `"a.b"`) {
		t.Errorf("Compare with two figures at a.b: %v; want an error naming the path", err)
	}
	tol := &Tolerances{Metrics: []Rule{{Path: "yearly.[.x", Tol: Tol{RTol: 1}}}}
	if _, _, err := Compare([]byte(old), []byte(old), tol); err == nil {
		t.Error("Compare with a malformed pattern: no error")
	}
}
