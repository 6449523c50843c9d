package sim

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

func priceFile(t *testing.T, s *scenario.Scenario, file []byte) (*PricedClaims, []PricedClaim, *claims.Reader) {
	t.Helper()
	var first *claims.Reader
	open := func() (*claims.Reader, error) {
		r, err := claims.NewReader(bytes.NewReader(file), "claims.csv")
		if first == nil {
			first = r
		}
		return r, err
	}
	var cs []PricedClaim
	pc, err := PriceClaims(s, open, func(c *PricedClaim) error {
		cs = append(cs, *c)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, len(cs), pc.Priced)
	return pc, cs, first
}

// Five claims priced under county-drg (250,000 enrollees: base rate
// 7564.28, so that stroke, RW 1.157, is paid 8755.00 at the county
// hospital, k_h 1; the group's mean charges 8500, high outliers above 2 ×
// the mean paid 80% of the excess; readmissions within 15 days halve the
// first stay; a transfer is paid min(1, charges ÷ mean) of the base
// payment; visits by fee-for-service), by hand.
func TestPriceClaimsWorked(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "county-drg.yaml", nil)
	require.NoError(t, err)
	file := strings.Join(claims.Columns, ",") + "\n" +
		"village-chengguan,village,outpatient,,34,F,2025-02-03,2025-02-03,0,50,25,25,0,\n" +
		"county-peoples-hospital,county,inpatient,stroke,71,M,2025-03-02,2025-03-11,9,8000,4992,3008,0,\n" +
		"thc-chengguan,township,inpatient,stroke,80,F,2025-04-01,2025-04-10,9,60000,47388,12612,0,\n" +
		"county-peoples-hospital,county,inpatient,stroke,71,M,2025-03-21,2025-03-30,9,8000,4992,3008,0,10\n" +
		"county-peoples-hospital,county,inpatient,stroke,66,F,2025-05-01,2025-05-05,4,3000,1677,1323,1,\n" +
		"nowhere-hospital,county,inpatient,stroke,66,F,2025-05-01,2025-05-05,4,3000,1677,1323,0,\n"
	pc, cs, r := priceFile(t, s, []byte(file))
	assert.Empty(t, r.Errors())
	require.Len(t, pc.Rejected, 1)
	assert.Equal(t, 1, pc.Unpriced)
	assert.Equal(t, "claims.csv:7:1", pc.Rejected[0].Pos.String(), "an unknown provider: %v", pc.Rejected[0])

	want := []struct {
		row                    int
		payment, revenue, fund float64
		flags                  uint16
	}{
		{2, 50, 50, 25, 0},       // FFS: the charges; the fund pays 50 − 25
		{3, 8755, 8755, 5747, 0}, // 7564.28 × 1.157 × 1; 8755 − 3008
		{4, 38777.50, 38777.50, 26165.50, payment.HighOutlier}, // 8755 × k_h 0.5 = 4377.50, + (60000 − 2 × 8500) × 0.8 = 34400
		{5, 4377.50, 4377.50, 1369.50, payment.Readmission},    // 8755 − 0.5 × 8755 (the first stay, priced as this one); − 3008
		{6, 3090, 3090, 1767, payment.Incomplete},              // 8755 × min(1, 3000 ÷ 8500); − 1323
	}
	require.Len(t, cs, len(want))
	for i, w := range want {
		c := cs[i]
		assert.Equal(t, w.row, c.Row)
		if math.Abs(c.Payment-w.payment) > 0.005 || math.Abs(c.Settled-w.revenue) > 0.005 || math.Abs(c.SettledFund-w.fund) > 0.005 {
			t.Errorf("row %d: payment, revenue, fund = %.2f, %.2f, %.2f, want %.2f, %.2f, %.2f", c.Row, c.Payment, c.Settled, c.SettledFund, w.payment, w.revenue, w.fund)
		}
		if got := c.Flags & (payment.HighOutlier | payment.LowOutlier | payment.Incomplete | payment.Readmission); got != w.flags {
			t.Errorf("row %d: flags %b, want %b", c.Row, got, w.flags)
		}
	}
	byName := map[string]ProviderTotal{}
	for _, p := range pc.Providers {
		byName[p.Provider] = p
	}
	h := byName["county-peoples-hospital"]
	assert.Equal(t, 3, h.Cases)
	assert.InDelta(t, 16222.50, h.Revenue, 0.005) // 8755 + 4377.50 + 3090
	assert.InDelta(t, 19000, h.FFS, 0.005)        // 8000 + 8000 + 3000, fund + patients
	assert.InDelta(t, -2777.50, h.Gain(), 0.005)  // 16222.50 − 19000
	assert.InDelta(t, 8883.50, h.FundPays, 0.005) // 5747 + 1369.50 + 1767
	// CMI: the county's stays weigh RW 1.157, the township's 1.157 × 0.5;
	// the mean over the four is 1.157 × 3.5 ÷ 4.
	assert.InDelta(t, 1/(3.5/4), h.CMI, 1e-9)
	assert.InDelta(t, 0.5/(3.5/4), byName["thc-chengguan"].CMI, 1e-9)
	assert.Len(t, pc.Providers, 3)
}

// Generated claims of a small county priced under county-drg and
// county-dip: every claim priced, the providers' sums are the sums of
// their claims, and agree with the rules' own year-end settlement.
func TestPriceClaimsCounty(t *testing.T) {
	sets := []string{"population.size=20000", "years=1"}
	file := generate(t, "county-ffs.yaml", 2, sets...)
	for _, name := range []string{"county-drg.yaml", "county-dip.yaml"} {
		t.Run(name, func(t *testing.T) {
			s := loadResponses(t, name, sets...)
			pc, cs, r := priceFile(t, s, file)
			assert.Empty(t, r.Errors())
			assert.Empty(t, pc.Rejected)
			assert.Zero(t, pc.Unpriced)
			assert.Equal(t, r.Summary().Rows, len(cs))
			type sums struct{ cases, charges, ffs, revenue, fund, booked float64 }
			by := map[string]*sums{}
			settledInPoints := 0
			for _, c := range cs {
				x := by[c.Provider]
				if x == nil {
					x = &sums{}
					by[c.Provider] = x
				}
				x.cases++
				x.charges += c.Charges
				x.ffs += c.FFS
				x.revenue += c.Settled
				x.fund += c.SettledFund
				x.booked += c.Revenue
				if c.Settled != c.Revenue {
					settledInPoints++
				}
			}
			require.Len(t, pc.Providers, len(by))
			for _, p := range pc.Providers {
				x := by[p.Provider]
				assert.Equal(t, x.cases, float64(p.Cases), p.Provider)
				assert.InDelta(t, x.charges, p.Charges, 1e-6*x.charges, p.Provider)
				assert.InDelta(t, x.ffs, p.FFS, 1e-6*x.ffs, p.Provider)
				assert.InDelta(t, x.revenue, p.Revenue, 1e-6*x.revenue, p.Provider)
				assert.InDelta(t, x.fund, p.FundPays, 1e-6*x.revenue, p.Provider)
				// The rules' year-end settlement moves each provider's
				// revenue from what was booked to what its claims settle at.
				assert.InDelta(t, x.booked+p.SettledBy, p.Revenue, 1e-6*x.revenue, p.Provider)
			}
			if name == "county-dip.yaml" {
				assert.Positive(t, settledInPoints, "DIP settles its scored cases at the settled point value")
			}
		})
	}
}

// A generated county's claims with 1% of the rows malformed: every bad row
// reported, every good one priced, none lost.
func TestPriceClaimsMalformed(t *testing.T) {
	sets := []string{"population.size=5000", "years=1"}
	lines := strings.Split(strings.TrimSuffix(string(generate(t, "county-ffs.yaml", 1, sets...)), "\n"), "\n")
	n := len(lines) - 1
	bad := map[int]bool{}
	for row := 2; row <= n+1; row += 100 {
		f := strings.Split(lines[row-1], ",")
		f[[]int{5, 9, 10}[row%3]-1] = "x" // age, los or charges
		lines[row-1] = strings.Join(f, ",")
		bad[row] = true
	}
	lines[50] = "nowhere," + strings.SplitN(lines[50], ",", 2)[1] // row 51: a provider the scenario has not
	s := loadResponses(t, "county-dip.yaml", sets...)
	pc, cs, r := priceFile(t, s, []byte(strings.Join(lines, "\n")+"\n"))
	sum := r.Summary()
	assert.Equal(t, n, sum.Rows)
	assert.Equal(t, len(bad), sum.Rejected)
	assert.Equal(t, 1, pc.Unpriced)
	assert.Equal(t, n, len(cs)+sum.Rejected+pc.Unpriced, "every row priced or reported")
	reported := map[int]bool{}
	for _, e := range r.Errors() {
		assert.True(t, bad[e.Pos.Row], "%v: a good row reported", e)
		reported[e.Pos.Row] = true
	}
	assert.Len(t, reported, len(bad))
	require.Len(t, pc.Rejected, 1)
	assert.Equal(t, "claims.csv:51:1", pc.Rejected[0].Pos.String())
	for _, c := range cs {
		if bad[c.Row] || c.Row == 51 {
			t.Errorf("row %d: a rejected row priced", c.Row)
		}
	}
}
