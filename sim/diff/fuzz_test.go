package diff

import (
	"testing"
)

// FuzzCompare: any two inputs are compared or refused, never a panic; an
// input compared with itself moves nothing.
func FuzzCompare(f *testing.F) {
	providers := `{"yearly": [{"year": 2025, "payment": {"providers": [{"provider": "a", "tier": "t", "fund_paid": 1},
	  {"provider": "b", "tier": "t", "fund_paid": 2}], "rules": [{"name": "r", "values": {"x": 1}}]}}]}`
	f.Add([]byte(providers), []byte(providers), 0.01)
	f.Add([]byte(old), []byte(`{"yearly": [{"year": 2025}, {"year": 2025}]}`), 0.0)
	f.Add([]byte(`[1, {"tier": "a"}, {"tier": "a"}]`), []byte(`null`), -1.0)
	f.Fuzz(func(t *testing.T, a, b []byte, rtol float64) {
		tol := &Tolerances{Default: Tol{RTol: rtol}}
		if _, _, err := Compare(a, b, tol); err != nil {
			return
		}
		if d, _, err := Compare(a, a, tol); err != nil || len(d) != 0 {
			t.Fatalf("an input against itself: %v, %v; want no difference", d, err)
		}
	})
}
