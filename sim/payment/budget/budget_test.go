package budget

import (
	"math"
	"testing"

	"github.com/paysim/paysim/sim/payment"
)

// p is the budget of the worked examples: growth 5%, reserve 8%, public
// health ¥100 a head, α = 0.6, β = 0.5, cap 10% of G.
var p = Params{PerCapita: 1000, Growth: 0.05, RiskReserve: 0.08, PublicHealth: 100,
	Advance: 1, Alpha: 0.6, Beta: 0.5, Cap: 0.1}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestOpen(t *testing.T) {
	y := New(p).open(0, 10000)
	// b = 1000 × 1.05 = 1050; insurance = 10000 × 1050 × 0.92 = 9,660,000;
	// public health = 10000 × 100 = 1,000,000; G = 10,660,000.
	if !near(y.PerCapita, 1050) || !near(y.Insurance, 9660000) || !near(y.PublicHealth, 1e6) || !near(y.G, 10660000) {
		t.Errorf("Open(10000) = %+v, want b 1050, insurance 9,660,000, public health 1,000,000, G 10,660,000", y)
	}
	// monthly advance = 9,660,000 / 12 = 805,000
	if a := New(p).advance(&y, 12); !near(a, 805000) {
		t.Errorf("Advance = %v, want 805000", a)
	}
}

func TestCloseSurplus(t *testing.T) {
	b := New(p)
	y := b.open(0, 10000)
	y.Advanced, y.Internal, y.Outside = 9660000, 7000000, 2000000
	b.settle(&y)
	// S = 10,660,000 − 9,000,000 = 1,660,000; retained = 0.6 S = 996,000;
	// fund keeps 664,000; transfer = 7,000,000 + 996,000 − 9,660,000 − 1,000,000
	// = −2,664,000 (returned); outlay = 9,660,000 + 2,000,000 − 2,664,000 = 8,996,000
	// = G − (1 − α)S − public health.
	if !near(y.Surplus, 1660000) || !near(y.Retained, 996000) || !near(y.FundKept, 664000) ||
		!near(y.Transfer, -2664000) || !near(y.FundOutlay, 8996000) {
		t.Errorf("Close(surplus) = %+v", y)
	}
	// next year's base: spending 9,000,000 / 0.92 / 10000 = 978.2609 before
	// the reserve; b = 978.2609 × 1.05 = 1027.1739. The surplus the
	// consortium keeps does not raise it.
	if n := b.open(1, 10000); !near(n.PerCapita, 9000000/0.92/10000*1.05) {
		t.Errorf("next per-capita = %v, want 1027.1739", n.PerCapita)
	}
	// Spending of exactly the insurance budget grows the base by the growth
	// cap (without public-health money, which the base does not follow).
	q := p
	q.PublicHealth = 0
	b2 := New(q)
	y2 := b2.open(0, 10000)
	y2.Advanced, y2.Internal, y2.Outside = y2.Insurance, y2.G-2000000, 2000000 // S = 0
	b2.settle(&y2)
	if n := b2.open(0, 10000); !near(n.PerCapita, 1050*1.05) { // 1000 → 1050 → 1102.5
		t.Errorf("per-capita after a break-even year = %v, want 1102.5", n.PerCapita)
	}
}

func TestCloseOverspend(t *testing.T) {
	cases := []struct {
		name                             string
		internal, outside                float64
		wantS, wantCovered, wantRetained float64
	}{
		// S = 10,660,000 − 11,000,000 = −340,000 < cap 1,066,000: fund covers 170,000, consortium bears 170,000
		{"under the cap", 9000000, 2000000, -340000, 170000, -170000},
		// S = −2,340,000; covered = 0.5 × min(2,340,000, 1,066,000) = 533,000; borne 1,807,000
		{"beyond the cap", 11000000, 2000000, -2340000, 533000, -1807000},
		// S = 0 exactly: nothing to share, nothing to cover
		{"break-even", 8660000, 2000000, 0, 0, 0},
	}
	for _, c := range cases {
		b := New(p)
		y := b.open(0, 10000)
		y.Advanced, y.Internal, y.Outside = 9660000, c.internal, c.outside
		b.settle(&y)
		if !near(y.Surplus, c.wantS) || !near(y.FundCovered, c.wantCovered) || !near(y.Retained, c.wantRetained) {
			t.Errorf("%s: S %v covered %v retained %v; want %v %v %v", c.name, y.Surplus, y.FundCovered, y.Retained, c.wantS, c.wantCovered, c.wantRetained)
		}
		// The consortium ends with what it paid its members plus its result.
		if got := y.Advanced + y.PublicHealth + y.Transfer; !near(got, y.Internal+y.Retained) {
			t.Errorf("%s: consortium received %v, want internal + retained = %v", c.name, got, y.Internal+y.Retained)
		}
		// The fund spends G + what it covers: (advances + outside + transfer) = insurance part of G + covered.
		if !near(y.FundOutlay, y.Insurance+y.FundCovered) {
			t.Errorf("%s: fund outlay %v, want insurance part of G + covered = %v", c.name, y.FundOutlay, y.Insurance+y.FundCovered)
		}
	}
}

// TestPayer routes a cycle and a year-end through the budget of p, with
// providers 0 and 1 members of tier 0 (revenue 300 and 100), 2 a member of
// tier 1 and 3 outside the consortium; tier shares 0.4 and 0.6.
func TestPayer(t *testing.T) {
	q := p
	q.Member, q.Tier, q.TierShare, q.CyclesPerYear = []bool{true, true, true, false}, []int{0, 0, 1, 1}, []float64{0.4, 0.6}, 12
	b := New(q)
	b.Open(0, 10000)
	// Members' 350 are paid out of the budget; the fund pays the other's 50
	// and the advance, 9,660,000 ÷ 12 = 805,000.
	if got := b.Cycle([]float64{100, 50, 200, 50}); !near(got, 805050) {
		t.Errorf("Cycle = %v, want 805,050", got)
	}
	payout, share := b.Close([]payment.Transfer{{Provider: 0, Amount: 10}, {Provider: 3, Amount: 20}}, []float64{300, 100, 700, 50})
	y := b.Year()
	// Internal 360, outside 70: S = 10,660,000 − 430 = 10,659,570, retained
	// 0.6 S = 6,395,742; transfer = 360 + 6,395,742 − 805,000 − 1,000,000 =
	// 4,591,102; the fund pays it and the outside transfer of 20.
	if !near(y.Internal, 360) || !near(y.Outside, 70) || !near(y.Retained, 6395742) || !near(y.Transfer, 4591102) || !near(payout, 4591122) {
		t.Errorf("Close: internal %v outside %v retained %v transfer %v payout %v; want 360, 70, 6,395,742, 4,591,102, 4,591,122",
			y.Internal, y.Outside, y.Retained, y.Transfer, payout)
	}
	// Tier 0 gets 0.4 of the result, split 3:1 by revenue; tier 1 0.6.
	want := []float64{6395742 * 0.4 * 0.75, 6395742 * 0.4 * 0.25, 6395742 * 0.6, 0}
	for i := range want {
		if !near(share[i], want[i]) {
			t.Errorf("share[%d] = %v, want %v", i, share[i], want[i])
		}
	}
	// The fund's outlay is what it paid in the cycle and at the year's end.
	if !near(y.FundOutlay, 805050+payout) || !near(y.Reserve, 840000) { // reserve 10000 × 1050 × 0.08
		t.Errorf("fund outlay %v, reserve %v; want the payouts 805,050 + %v, 840,000", y.FundOutlay, y.Reserve, payout)
	}
}

// TestShareWithoutRevenue: members of a tier that earned nothing share its
// part of the result equally.
func TestShareWithoutRevenue(t *testing.T) {
	q := p
	q.Member, q.Tier, q.TierShare, q.CyclesPerYear = []bool{true, true, false}, []int{0, 0, 0}, []float64{1}, 12
	b := New(q)
	b.Open(0, 10000)
	b.Cycle([]float64{0, 0, 0})
	_, share := b.Close(nil, []float64{0, 0, 500})
	r := b.Year().Retained
	if !(r > 0) || !near(share[0], r/2) || !near(share[1], r/2) || share[2] != 0 {
		t.Errorf("shares %v of a result of %v; want half each to the members, none outside", share, r)
	}
}

// TestIncomeBase: under 以收定支 the base of each year is the budget's share
// of that year's fund income per enrollee, whatever was spent before.
func TestIncomeBase(t *testing.T) {
	q := p
	q.Income = []float64{1000, 1030}
	b := New(q)
	y := b.open(1, 10000)
	y.Internal = 20000000 // an overspend does not move next year's base
	b.settle(&y)
	// b = 1030; insurance = 10000 × 1030 × 0.92 = 9,476,000.
	if n := b.open(1, 10000); !near(n.PerCapita, 1030) || !near(n.Insurance, 9476000) {
		t.Errorf("open(1) under base income = %+v, want b 1030, insurance 9,476,000", n)
	}
}

// TestForecast: the members' forecast of the coming year, with p's budget
// (α 0.6, β 0.5, cap 10%, growth 5%, reserve 8%, public health ¥100) and a
// forecast error of 4% of the budget. Φ is the standard normal CDF; d the
// forecast overspend as a share of the budget; margin = α(1 − Φ(d/σ)) +
// (1 − β)(Φ(d/σ) − Φ((d − cap)/σ)) + Φ((d − cap)/σ).
func TestForecast(t *testing.T) {
	q := p
	q.ForecastSD = 0.04
	b := New(q)
	check := func(when string, over, margin float64) {
		t.Helper()
		if o, m := b.Forecast(); !near(o, over) || !near(m, margin) {
			t.Errorf("%s: Forecast() = %v, %v; want %v, %v", when, o, m, over, margin)
		}
	}
	// The first year: a budget set at the spending expected, d = 0:
	// Φ(0) = 0.5, Φ(−0.1/0.04) = 0.0062097; margin 0.3 + 0.5·0.4937903 + 0.0062097.
	check("first year", 0.5, 0.553104833)
	// Spending ¥900 a head: next b = 900/0.92 × 1.05, G a head = 900 × 1.05 + 100
	// = 1045; forecast spending, grown as the budget (no history yet), 945:
	// d = 945/1045 − 1 = −0.0956938, Φ(d/0.04) = 0.0083706.
	y := b.open(0, 10000)
	y.Advanced, y.Internal, y.Outside = y.Insurance, 7000000, 2000000
	b.Open(0, 10000)
	b.y = y
	b.settle(&b.y)
	check("after a surplus", 0.008370560, 0.599163193)
	// Spending ¥1,080 a head, 20% more: G a head = 1080 × 1.05 + 100 = 1234,
	// forecast 1080 × 1.2 = 1296: d = 0.0502431, Φ(d/0.04) = 0.8954561,
	// Φ((d − 0.1)/0.04) = 0.1067654.
	b.Open(1, 10000)
	b.y.Internal, b.y.Outside = 8800000, 2000000
	b.settle(&b.y)
	check("after growing spending", 0.895456117, 0.563836437)

	// A sure forecast: the sign of d decides; without a share of the
	// overspend the margin is α in a surplus and 1 in an overspend.
	q.ForecastSD, q.Beta = 0, 0
	b = New(q)
	check("sure, first year", 0, 0.6)
	b.Open(0, 10000)
	b.y.Internal, b.y.Outside = 9000000, 2000000 // ¥1,100 a head: d = 1155/1255 − 1 < 0
	b.settle(&b.y)
	check("sure, surplus", 0, 0.6)
	b.Open(1, 10000)
	b.y.Internal, b.y.Outside = 11000000, 2000000 // ¥1,300 a head, +18%: d = 1534/1465 − 1 > 0
	b.settle(&b.y)
	check("sure, overspend", 1, 1)
}
