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
// forecast overspend as a share of the budget G; margin = α(1 − Φ(d/σ)) +
// (1 − β)(Φ(d/σ) − Φ((d − cap)/σ)) + Φ((d − cap)/σ). Spending is forecast
// to grow at the geometric mean of the growth observed since the first year
// and of a prior year at the growth cap.
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
	year := func(y int, perHead float64) {
		b.Open(y, 10000)
		b.y.Internal, b.y.Outside = perHead*10000-2000000, 2000000
		b.settle(&b.y)
	}
	// The first year: last year's spending 1000 × 0.92 = 920 a head grown 5%
	// to 966, against G = 1000 × 1.05 × 0.92 + 100 = 1066 a head (the pooled
	// public-health money is a surplus): d = −0.0938086, Φ(d/0.04) = 0.0095080.
	check("first year", 0.009508036, 0.599049513)
	// Spending ¥900 a head: next b = 900/0.92 × 1.05, G a head = 900 × 1.05 + 100
	// = 1045; spending forecast at the prior's 5%, 945: d = −0.0956938,
	// Φ(d/0.04) = 0.0083706.
	year(0, 900)
	check("after a surplus", 0.008370560, 0.599163193)
	// Spending ¥1,080 a head, 20% more: growth √(1.05 × 1.2) − 1 = 0.1224972,
	// forecast 1080 × 1.1224972 = 1212.30 against G = 1080 × 1.05 + 100 = 1234:
	// d = −0.0175875, Φ(d/0.04) = 0.3300815.
	year(1, 1080)
	check("after growing spending", 0.330081496, 0.567813207)

	// A sure forecast (σ 0): the sign of d decides, an even chance at d = 0.
	q.ForecastSD, q.Beta = 0, 0
	b = New(q)
	check("sure, first year", 0, 0.6) // d = −0.0938: a surplus, margin α
	year(0, 1100)                     // forecast 1155 against 1100 × 1.05 + 100 = 1255
	check("sure, surplus", 0, 0.6)
	year(1, 1500) // growth √(1.05 × 1500/1100) − 1 = 0.19659, forecast 1794.9 against 1675
	check("sure, overspend without a fund's share", 1, 1)
	// Without public health and with β = 0.5 the first year is an even
	// chance: 0.5 α + 0.5 (1 − β) = 0.55; an overspend within the cap costs
	// 1 − β, one beyond it all.
	q.PublicHealth, q.Beta = 0, 0.5
	b = New(q)
	check("sure, first year at the budget", 0.5, 0.55)
	year(0, 1000) // forecast 1050 against 1000 × 1.05 = 1050: d = 0
	check("sure, at the budget", 0.5, 0.55)
	year(1, 1100) // growth √(1.05 × 1.1) − 1 = 0.07471, forecast 1182.2 against 1155: d = 0.0235
	check("sure, overspend within the cap", 1, 0.5)
	year(2, 1500) // growth (1.05 × 1.5)^(1/3) − 1 = 0.16325, forecast 1744.9 against 1575: d = 0.108
	check("sure, overspend beyond the cap", 1, 1)

	// Base income: next year's b is the year's income share; the prior is
	// the income's growth (1133/1100 = 3%); the first year an even chance.
	r := Params{Income: []float64{1100, 1133, 1300}, Alpha: 1, Beta: 0.5, Cap: 0.1, Advance: 1}
	b = New(r)
	check("income, first year", 0.5, 0.75)
	year(0, 1000) // forecast 1030 against 1133
	check("income, surplus", 0, 1)
	year(1, 1200) // growth √(1.03 × 1.2) − 1 = 0.11176, forecast 1334.1 against 2027's 1300: d = 0.0262
	check("income, overspend within the cap", 1, 0.5)
}

// TestPrevention is docs/mechanisms.md §2's worked example: the surplus
// year of TestCloseSurplus with 4,000 managed person-years at ¥40 each.
func TestPrevention(t *testing.T) {
	q := p
	q.PreventionCost, q.ForecastSD = 40, 0.03
	b := New(q)
	b.y = b.open(0, 10000)
	b.Prevent(4000)
	y := &b.y
	y.Advanced, y.Internal, y.Outside = 9660000, 7000000, 2000000
	b.settle(y)
	// prevention = 4,000 × 40 = 160,000; S = 10,660,000 − 9,000,000 −
	// 160,000 = 1,500,000; retained = 0.6 S = 900,000 (96,000 less than
	// without it: α × 160,000); the fund keeps 600,000; transfer =
	// 7,000,000 + 160,000 + 900,000 − 9,660,000 − 1,000,000 = −2,600,000;
	// outlay = 9,660,000 + 2,000,000 − 2,600,000 = 9,060,000, 64,000 more:
	// (1 − α) × 160,000 of unspent public-health money no longer goes back.
	if !near(y.Prevention, 160000) || !near(y.Managed, 4000) || !near(y.Surplus, 1500000) || !near(y.Retained, 900000) ||
		!near(y.FundKept, 600000) || !near(y.Transfer, -2600000) || !near(y.FundOutlay, 9060000) {
		t.Errorf("Close(surplus, prevention) = %+v", y)
	}
	// The consortium received advances, public health and the transfer, and
	// paid its members their care and the prevention work, keeping the rest.
	if in, out := y.Advanced+y.PublicHealth+y.Transfer, y.Internal+y.Prevention+y.Retained; !near(in, out) {
		t.Errorf("consortium received %v, paid out and kept %v", in, out)
	}
	// Prevention is not care: next year's base follows the care spending
	// only (9,000,000 / 0.92 / 10000 × 1.05), as without it.
	if n := b.open(1, 10000); !near(n.PerCapita, 9000000/0.92/10000*1.05) {
		t.Errorf("next per-capita = %v, want 1027.1739", n.PerCapita)
	}
	// The members forecast next year's prevention at this year's cost per
	// head: their forecast overspend is 16 per head of G more.
	q.PreventionCost = 0
	o := New(q)
	o.y = o.open(0, 10000)
	oy := &o.y
	oy.Advanced, oy.Internal, oy.Outside = 9660000, 7000000, 2000000
	o.settle(oy)
	if b.over <= o.over {
		t.Errorf("P(overspend) with prevention %v, want above %v without", b.over, o.over)
	}
	// The package the pooled funds pay for, ¥100 a head done at cost, is
	// charged with the managed patients' work: prevention = 160,000 +
	// 10,000 × 100, and the surplus is what it would be without pooling.
	w := p
	w.PreventionCost, w.PublicHealthWork = 40, 100
	pb := New(w)
	pb.y = pb.open(0, 10000)
	pb.Prevent(4000)
	if py := &pb.y; !near(py.Prevention, 1160000) {
		t.Errorf("prevention with the package = %v, want 1,160,000", py.Prevention)
	}
	// Without a cost, Prevent books the person-years and no money.
	z := New(p)
	z.Prevent(4000)
	if z.y.Prevention != 0 {
		t.Errorf("prevention at cost 0 = %v, want 0", z.y.Prevention)
	}
}

// TestInvestLowersTheMembersShare: the worked surplus of TestCloseSurplus
// (S = 1,660,000, retained 996,000), with an investment in capability of
// 200,000 charged to the year: the fund's accounts are those of a year
// without it (transfer −2,664,000), and the members share 996,000 − 200,000
// = 796,000, 60% of it (477,600) to the county hospital, 40% (318,400) to
// the township centre.
func TestInvestLowersTheMembersShare(t *testing.T) {
	q := p
	q.TierShare, q.Member, q.Tier, q.CyclesPerYear = []float64{0.4, 0.6}, []bool{true, true}, []int{0, 1}, 12
	b := New(q)
	b.Open(0, 10000)
	b.Invest(200000)
	b.y.Advanced, b.y.Internal, b.y.Outside = 9660000, 7000000, 2000000
	payout, share := b.Close(nil, []float64{1, 1})
	y := b.Year()
	if !near(y.Retained, 996000) || !near(y.Transfer, -2664000) || !near(payout, -2664000) || !near(y.Investment, 200000) {
		t.Errorf("Close with an investment = %+v, payout %v; want retained 996,000, transfer and payout −2,664,000", y, payout)
	}
	if !near(share[0], 318400) || !near(share[1], 477600) {
		t.Errorf("members' shares = %v, want [318400 477600]", share)
	}
}
