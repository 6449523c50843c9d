package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPriceWorkedExamples reproduces the rules' worked examples (the hand
// computations in sim/payment/*/…_test.go) from the command line.
func TestPriceWorkedExamples(t *testing.T) {
	drg := filepath.Join("..", "..", "testdata", "price", "drg-fixture.yaml")
	dip := filepath.Join("..", "..", "testdata", "price", "dip-fixture.yaml")
	cases := []struct {
		name string
		args []string
		want float64
	}{
		// DRG rate method, base rate 10,000.
		{"drg base", []string{drg, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "6000"}, 8000},                                                                                       // 10000 × 0.8 × 1
		{"drg tier coefficient", []string{drg, "--group", "pneumonia", "--tier", "b", "--los", "5", "--charges", "6000"}, 9600},                                                                           // 10000 × 0.8 × 1.2
		{"drg high outlier", []string{drg, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "20000"}, 9800},                                                                              // 8000 + (20000 − 3 × 6000) × 0.9
		{"drg low-cost case", []string{drg, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "1200"}, 1600},                                                                              // 8000 × 1200 ÷ 6000
		{"drg low-cost case without k_h", []string{drg, "--group", "pneumonia", "--tier", "b", "--los", "5", "--charges", "1500"}, 2000},                                                                  // 10000 × 0.8 × 1500 ÷ 6000, not × 1.2
		{"drg per-diem transfer", []string{drg, "--group", "pneumonia", "--tier", "a", "--los", "2", "--charges", "3000", "--transfer"}, 4800},                                                            // 8000 × round4(3 ÷ 5)
		{"drg special-pay transfer", []string{drg, "--group", "stroke", "--tier", "a", "--los", "3", "--charges", "9000", "--transfer"}, 17500},                                                           // 25000 × (0.5 + round4(0.5 × 4 ÷ 10))
		{"drg transfer, not on the list", []string{drg, "--group", "chemo", "--tier", "a", "--los", "1", "--charges", "7000", "--transfer"}, 10000},                                                       // the full 10000 × 1 × 1
		{"drg transfer fraction rounded", []string{drg, "--group", "pneumonia", "--tier", "a", "--los", "1", "--charges", "3000", "--transfer", "--set", "payment.drg.drg.groups[0].gmlos=3"}, 5333.6},    // 8000 × round4(2 ÷ 3) = 8000 × 0.6667
		{"drg china incomplete stay without k_h", []string{drg, "--group", "pneumonia", "--tier", "b", "--los", "2", "--charges", "4800", "--transfer", "--set", "payment.drg.drg.transfer=china"}, 6400}, // 8000 × 4800 ÷ 6000, not × 1.2
		{"drg readmission", []string{drg, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "6000", "--readmit-days", "3", "--prev-revenue", "8000"}, 4000},                               // 8000 − 0.5 × 8000
		// DIP at point value 100: pneumonia 80 points, s = 8000, b = 6000; classes
		// at 0.5 b = 3000, 2 b = 12000, 5 b = 30000.
		{"dip within the standard", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "6000", "--point-value", "100"}, 8000}, // 80 × 100
		{"dip low", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "2900", "--point-value", "100"}, 80 * 2900.0 / 6000 * 100},
		{"dip below 0.5 s, not 0.5 b", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "3500", "--point-value", "100"}, 8000}, // normal: 80 × 100
		{"dip high", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "20000", "--point-value", "100"}, 80 * (20000.0/6000 - 1) * 100},
		{"dip above 2 b, not 2 s", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "13000", "--point-value", "100"}, 80 * (13000.0/6000 - 1) * 100}, // 9333.33
		{"dip outside the window", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "2", "--charges", "5000", "--point-value", "100"}, 5000},                           // LOS 2 < 3: by item
		{"dip review", []string{dip, "--group", "pneumonia", "--tier", "a", "--los", "5", "--charges", "35000", "--point-value", "100"}, 35000},                                     // > 5 b (not 5 s): by item
		// US IPPS FY2025: k_h = 0.676 × 1.05 + 0.324 = 1.0338; P = 6624.39 × 1.9 × 1.0338 = 13011.76.
		// Cost 300000 × 0.25 = 75000 > threshold 13011.76 + 46217 × 1.0338 = 60790.89:
		// outlier 0.8 × (75000 − 60790.89) = 11367.28.
		{"ipps fixed-loss outlier", []string{"teaching/us-ipps", "--group", "sepsis", "--tier", "hospital", "--los", "6", "--charges", "300000"}, 24379.04},
		// Special-pay transfer after 1 day, GMLOS 2.4: P × (0.5 + round4(0.5 × 2 ÷ 2.4)) = 13011.76 × 0.9167
		// (unrounded 0.91667: 11927.45).
		{"ipps special-pay transfer", []string{"teaching/us-ipps", "--group", "hip_replacement", "--tier", "hospital", "--los", "1", "--charges", "60000", "--transfer"}, 11927.88},
		// Post-acute transfer after 2 days, GMLOS 4.5: P × round4(3 ÷ 4.5) = 13011.76 × 0.6667.
		{"ipps post-acute transfer", []string{"teaching/us-ipps", "--group", "sepsis", "--tier", "hospital", "--los", "2", "--charges", "30000", "--transfer"}, 8674.94},
		// Burns are not on the post-acute list: the full 6624.39 × 5 × 1.0338 (cost 50000 below the
		// threshold 34241.47 + 46217 × 1.0338 = 82020.61).
		{"ipps transfer, not on the list", []string{"teaching/us-ipps", "--group", "burns", "--tier", "hospital", "--los", "2", "--charges", "200000", "--transfer"}, 34241.47},
		// Per-diem: township rehabilitation at ¥300 a day, at most 60 days.
		{"per-diem day cap", []string{"county-drg", "--group", "stroke", "--tier", "township", "--service", "long_stay", "--los", "70", "--charges", "21000"}, 18000},
	}
	for _, c := range cases {
		code, out, stderr := paysim(t, context.Background(), append(append([]string{"price"}, c.args...), "--format", "json")...)
		require.Equal(t, 0, code, "%s: %s", c.name, stderr)
		var q struct {
			Payment  float64 `json:"payment"`
			OOP      float64 `json:"patient_oop"`
			FundPays float64 `json:"fund_pays"`
			Steps    []struct {
				Name string `json:"name"`
			} `json:"adjustments"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &q), c.name)
		if math.Abs(q.Payment-c.want) > 0.006 { // the hand computations keep cents
			t.Errorf("%s: paysim price = %v, want %v", c.name, q.Payment, c.want)
		}
		if math.Abs(q.FundPays-max(0, q.Payment-q.OOP)) > 1e-6 || len(q.Steps) == 0 {
			t.Errorf("%s: fund pays %v with OOP %v and %d steps; want payment − OOP and the steps", c.name, q.FundPays, q.OOP, len(q.Steps))
		}
	}
}

func TestPriceTable(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "price", "county-drg", "--group", "stroke", "--tier", "county", "--los", "9", "--charges", "8000")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"rule: drg (drg-in-county)", "base payment", "fund pays"} {
		if !strings.Contains(out, want) {
			t.Errorf("price table lacks %q:\n%s", want, out)
		}
	}
}

// TestPriceCurrency: a case is priced in its scenario's currency.
func TestPriceCurrency(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "price", "teaching/us-ipps", "--group", "sepsis", "--tier", "hospital", "--los", "5", "--charges", "60000")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "charges $60000.00")
	code, out, stderr = paysim(t, context.Background(), "price", "teaching/us-ipps", "--group", "sepsis", "--tier", "hospital", "--los", "5", "--charges", "60000", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"currency": "USD"`)
}

func TestPriceBadRequest(t *testing.T) {
	code, _, stderr := paysim(t, context.Background(), "price", "county-drg", "--group", "nosuch", "--tier", "county", "--charges", "1")
	if code != 2 || !strings.Contains(stderr, `group "nosuch"`) {
		t.Errorf("price of an unknown group: exit %d, %q; want 2 and the group named", code, stderr)
	}
	// A point value means nothing to a DRG paid by the rate method.
	code, _, stderr = paysim(t, context.Background(), "price", "county-drg", "--group", "stroke", "--tier", "county", "--los", "9", "--charges", "8000", "--point-value", "50")
	if code != 2 || !strings.Contains(stderr, "prices no points") {
		t.Errorf("price --point-value under the rate method: exit %d, %q; want 2, prices no points", code, stderr)
	}
}

// TestPriceFlags: a missing or impossible flag is a usage error (exit 2)
// that names the flag.
func TestPriceFlags(t *testing.T) {
	base := []string{"price", "county-drg", "--group", "stroke", "--tier", "county", "--los", "9", "--charges", "8000"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no charges", []string{"price", "county-drg", "--tier", "county"}, "needs --charges"},
		{"no tier", []string{"price", "county-drg", "--charges", "100"}, "needs --tier"},
		{"negative charges", append(base, "--charges", "-1"), "--charges -1"},
		{"NaN charges", append(base, "--charges", "NaN"), "--charges NaN"},
		{"infinite charges", append(base, "--charges", "Inf"), "--charges +Inf"},
		{"charges past the bound", append(base, "--charges", "1.79e308"), "--charges 1.79e+308"},
		{"a point value past the bound", append(base, "--point-value", "1e308"), "--point-value 1e+308"},
		{"a stay past a uint16", append(base, "--los", "70000"), "--los 70000"},
		{"negative stay", append(base, "--los", "-2"), "--los -2"},
		{"negative earlier revenue", append(base, "--readmit-days", "3", "--prev-revenue", "-5"), "--prev-revenue -5"},
		{"readmission before discharge", append(base, "--readmit-days", "-4"), "--readmit-days -4"},
	}
	for _, c := range cases {
		code, _, stderr := paysim(t, context.Background(), c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", c.name, code, stderr, c.want)
		}
	}
}
