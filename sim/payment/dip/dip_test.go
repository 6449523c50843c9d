package dip

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/payment/window"
)

// testParams is the worked example of these tests.
//
// Groups: 0 scores 50 (b 5000), 1 scores 150 (b 15000), 2 scores 100 with
// b = s (B 0), 3 scores 100 with b 50000 (b far above s). AllMean 10000.
// Providers: 0 (a township, k_h 0.8), 1 (a county, k_h 1).
//
// First budget point value: last year's points are estimated as
// E(t−1) × 100 ÷ AllMean = 48000 × 100 ÷ 10000 = 480, so
// (0.1 × 40800 + 0.2 × 42000 + 0.7 × 48000) ÷ 480 = (4080 + 8400 + 33600) ÷ 480
// = 46080 ÷ 480 = 96 yuan per point.
//
// DIP fund of year 0: 32000 × 1.2 = 38400; of year 1: 32000 × 1.2² = 46080.
func testParams() Params {
	return Params{
		Score:   []float64{50, 150, 100, 100},
		B:       []float64{5000, 15000, 0, 50000},
		K:       []float64{0.8, 1},
		History: [3]float64{40800, 42000, 48000},
		AllMean: 10000, LastYear: 32000, Growth: 0.2, FundRatio: 0.8, Advance: 0.9,
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }

func TestBudgetPointValue(t *testing.T) {
	r := New(testParams())
	if got := r.PointValue(); !near(got, 96) { // see testParams
		t.Errorf("first budget point value = %v, want 96", got)
	}
	// Equal history: the estimate makes the value AllMean ÷ 100 whatever E.
	p := testParams()
	p.History = [3]float64{7e6, 7e6, 7e6}
	if got := New(p).PointValue(); !near(got, 100) { // 7e6 ÷ (7e6 × 100 ÷ 10000)
		t.Errorf("budget point value of an even history = %v, want 100", got)
	}
	// The weights are 1:2:7: only E(t−3) differs, by 1000 → +0.1 × 1000 ÷ 480.
	p = testParams()
	p.History[0] += 1000
	if got := New(p).PointValue(); !near(got, 96+100.0/480) {
		t.Errorf("budget point value with E(t−3) + 1000 = %v, want %v", got, 96+100.0/480)
	}
}

func TestPrice(t *testing.T) {
	r := New(testParams()) // point value 96
	cases := []struct {
		name       string
		group      int
		prov       int
		charges    float64
		points     float64
		payment    float64
		flags      uint16
		outlierPay float64
	}{
		// Group 1 at the county: points 150 × 1 = 150; s = 150 × 96 = 14400; b = 15000.
		// Classes at 0.5 b = 7500, 2 b = 30000 and 5 b = 75000 (50号, as Price reads it).
		{"normal", 1, 1, 14400, 150, 14400, 0, 0}, // 150 × 96
		{"c == 0.5 b is not low", 1, 1, 7500, 150, 14400, 0, 0},
		{"low: c < 0.5 b", 1, 1, 7499, 74.99, 7199.04, payment.LowOutlier, 0},             // 150 × 7499 ÷ 15000 = 74.99; × 96
		{"below 0.5 s but not 0.5 b is low", 1, 1, 7300, 73, 7008, payment.LowOutlier, 0}, // 7300 < 7500: 150 × 7300 ÷ 15000 = 73; × 96
		{"c == 2 b is not high", 1, 1, 30000, 150, 14400, 0, 0},
		{"above 2 s, not 2 b: normal", 1, 1, 29000, 150, 14400, 0, 0},                         // 29000 > 28800 = 2 s, ≤ 30000
		{"high: c > 2 b", 1, 1, 36000, 210, 20160, payment.HighOutlier, 5760},                 // 150 × (36000 ÷ 15000 − 1) = 210; × 96; 20160 − 14400
		{"c == 5 b is high, not review", 1, 1, 75000, 600, 57600, payment.HighOutlier, 43200}, // 150 × (75000 ÷ 15000 − 1) = 600; × 96; − 14400
		{"above 5 s, not 5 b: high", 1, 1, 72001, 150 * (72001.0/15000 - 1), 150 * (72001.0/15000 - 1) * 96, payment.HighOutlier, 150*(72001.0/15000-1)*96 - 14400},
		{"review: c > 5 b", 1, 1, 75001, 0, 75001, payment.Review, 0}, // paid by item
		// Group 0 at the township: points 50 × 0.8 = 40; b = 5000 (k_h in neither b nor s = 4800).
		{"k_h", 0, 0, 4000, 40, 3840, 0, 0},                                 // 40 × 96
		{"low with k_h", 0, 0, 2000, 16, 1536, payment.LowOutlier, 0},       // 2000 < 2500: 40 × 2000 ÷ 5000 = 16; × 96
		{"c == 2 b with k_h", 0, 0, 10000, 40, 3840, 0, 0},                  // not above 10000
		{"high with k_h", 0, 0, 12000, 56, 5376, payment.HighOutlier, 1536}, // 12000 > 10000: 40 × (12000 ÷ 5000 − 1) = 56; × 96; 5376 − 3840
		// Group 2, b = s = 9600: 24000 > 19200: 100 × (24000 ÷ 9600 − 1) = 150 points; × 96.
		{"b = s", 2, 1, 24000, 150, 14400, payment.HighOutlier, 4800},
		// Group 3, b = 50000 far above s = 9600: the class follows b. 20000 > 2 s
		// but < 0.5 b = 25000: low, 100 × 20000 ÷ 50000 = 40 points; 60000 > 5 s
		// but inside [0.5 b, 2 b]: normal, 100 points.
		{"above 2 s, below 0.5 b: low", 3, 1, 20000, 40, 3840, payment.LowOutlier, 0},
		{"above 5 s, inside b's band: normal", 3, 1, 60000, 100, 9600, 0, 0},
		// An outpatient visit has no group: paid by item.
		{"visit", -1, 1, 150, 0, 150, 0, 0},
	}
	for _, c := range cases {
		p := r.Price(&payment.Case{Group: c.group, Provider: c.prov, Charges: c.charges, Service: payment.Inpatient}, true)
		if !near(p.Points, c.points) || !near(p.Payment, c.payment) || p.Flags != c.flags || !near(p.Outlier, c.outlierPay) {
			t.Errorf("%s: Price(group %d, provider %d, charges %v) = %v points, %v, flags %b, outlier %v; want %v, %v, %b, %v",
				c.name, c.group, c.prov, c.charges, p.Points, p.Payment, p.Flags, p.Outlier, c.points, c.payment, c.flags, c.outlierPay)
		}
		if len(p.Steps) == 0 || p.Steps[len(p.Steps)-1].Amount != p.Payment {
			t.Errorf("%s: explained steps %+v do not end at the payment", c.name, p.Steps)
		}
		if q := r.Price(&payment.Case{Group: c.group, Provider: c.prov, Charges: c.charges}, false); q.Payment != p.Payment || q.Steps != nil {
			t.Errorf("%s: Price without explain = %v with steps %v; want %v without steps", c.name, q.Payment, q.Steps, p.Payment)
		}
	}
	if r.PointValue() != 96 {
		t.Errorf("Price changed the point value to %v", r.PointValue())
	}
}

func TestDefaultK(t *testing.T) {
	p := testParams()
	p.K = nil
	if got := New(p).Price(&payment.Case{Group: 0, Provider: 5, Charges: 4800}, false); !near(got.Points, 50) {
		t.Errorf("Price without K = %v points, want 50 (k_h 1)", got.Points)
	}
}

func TestCasePointValue(t *testing.T) {
	r := New(testParams())
	// At 120 yuan a point: s = 150 × 120 = 18000, 14400 is normal: 150 × 120 = 18000.
	if got := r.Price(&payment.Case{Group: 1, Provider: 1, Charges: 14400, PointValue: 120}, false); !near(got.Payment, 18000) {
		t.Errorf("Price at a case's point value of 120 = %v, want 18000", got.Payment)
	}
	if r.PointValue() != 96 {
		t.Errorf("pricing at a case's point value changed the rule's to %v", r.PointValue())
	}
}

// year0 is a year of the worked example: points 40 + 150 + 210 = 400 and one
// review paid by item.
func year0() []payment.Event {
	return []payment.Event{
		{Provider: 0, Group: 0, Service: payment.Inpatient, Charges: 4000, OOP: 1000},   // 40 points
		{Provider: 1, Group: 1, Service: payment.Inpatient, Charges: 14400, OOP: 3000},  // 150 points
		{Provider: 1, Group: 1, Service: payment.Inpatient, Charges: 36000, OOP: 6000},  // 210 points
		{Provider: 1, Group: 1, Service: payment.Inpatient, Charges: 80000, OOP: 20000}, // review: fund 60000
	}
}

func TestSettlementWorkedExample(t *testing.T) {
	r := New(testParams())
	evs := year0()
	tot := payment.NewSettlement(2, 1, 1)
	r.Settle(nil, evs, tot)
	// Advances: 0.9 × points × 96 × 0.8 = 69.12 a point.
	wantFund := []float64{2764.8, 10368, 14515.2, 60000} // 40 × 69.12, 150 × 69.12, 210 × 69.12, 80000 − 20000
	wantRev := []float64{3840, 14400, 20160, 80000}      // points × 96, and the charges of the review
	for i, ev := range evs {
		if !near(ev.FundPaid, wantFund[i]) || !near(ev.Revenue, wantRev[i]) {
			t.Errorf("event %d: fund %v revenue %v; want %v, %v", i, ev.FundPaid, ev.Revenue, wantFund[i], wantRev[i])
		}
	}
	if tl := tot.Rules[0]; tl.Points != 400 || tl.Reviews != 1 || tl.HighOutliers != 1 {
		t.Errorf("tally: %v points, %d reviews, %d high outliers; want 400, 1, 1", tl.Points, tl.Reviews, tl.HighOutliers)
	}

	var ye payment.YearEnd
	r.YearEnd(0, 0, tot, &ye)
	// Fund 32000 × 1.2 = 38400; settled value (38400 ÷ 0.8) ÷ 400 = 48000 ÷ 400 = 120.
	// Each provider is owed its points × 120 less its patients' share of the
	// scored cases (the review's 20000 was settled by item):
	// Provider 0: 40 × 120 − 1000 = 3800 due − 2764.8 advanced = 1035.2.
	// Provider 1: 360 × 120 − (3000 + 6000) = 34200 due − 24883.2 advanced = 9316.8.
	// The fund pays 38000 for the scored cases: 48000 − 10000 of OOP, not
	// 38400, because the patients paid more than (1 − 0.8) × 48000 = 9600.
	want := map[int]float64{0: 1035.2, 1: 9316.8}
	// Revenue: provider 0 2764.8 + 1035.2 + 1000 − 3840 = +960 = 40 × (120 − 96);
	// provider 1 (24883.2 + 60000) + 9316.8 + 29000 − 114560 = +8640 = 360 × 24.
	wantRevenue := map[int]float64{0: 960, 1: 8640}
	if len(ye.Transfers) != 2 {
		t.Fatalf("transfers %+v, want 2", ye.Transfers)
	}
	for _, tr := range ye.Transfers {
		if !near(tr.Amount, want[tr.Provider]) || !near(tr.Revenue, wantRevenue[tr.Provider]) || tr.Cause != "DIP settlement" || tr.Binding != 0 {
			t.Errorf("transfer %+v, want %v (revenue %+v) to provider %d for DIP settlement", tr, want[tr.Provider], wantRevenue[tr.Provider], tr.Provider)
		}
	}
	values := map[string]float64{}
	for _, v := range ye.Values {
		values[v.Name] = v.Value
	}
	for name, w := range map[string]float64{"point_value_budget": 96, "point_value_settled": 120, "dip_fund": 38400, "dip_fund_paid": 38000} {
		if !near(values[name], w) {
			t.Errorf("%s = %v, want %v", name, values[name], w)
		}
	}
	// Next year (MODEL §5): E(t) is the year's total cost of the DIP cases,
	// 4000 + 14400 + 36000 + 80000 = 134400; history 42000, 48000, 134400;
	// Σ score × cases (scores before k_h and adjustments; the review has
	// none) = 50 + 150 + 150 = 350; (4200 + 9600 + 94080) ÷ 350 = 308.2286.
	if got := r.PointValue(); !near(got, 107880.0/350) {
		t.Errorf("second budget point value = %v, want 308.2286", got)
	}
	// Year 1: fund 46080. The classes are against b, which the point value
	// does not move: the three cases score 40 + 150 + 210 = 400 points again,
	// and (46080 ÷ 0.8) ÷ 400 = 144.
	evs = year0()[:3]
	tot.Reset()
	r.Settle(nil, evs, tot)
	ye = payment.YearEnd{}
	r.YearEnd(1, 0, tot, &ye)
	if got := value(ye, "point_value_settled"); !near(got, 144) {
		t.Errorf("year 1 settled point value = %v, want 144", got)
	}
}

// settleYear books evs with a fresh rule of p and settles year, returning
// the year's totals and its year-end.
func settleYear(p Params, year int, evs []payment.Event) (*payment.Settlement, payment.YearEnd) {
	r := New(p)
	tot := payment.NewSettlement(2, 1, 1)
	r.Settle(nil, evs, tot)
	var ye payment.YearEnd
	r.YearEnd(year, 0, tot, &ye)
	return tot, ye
}

func value(ye payment.YearEnd, name string) float64 {
	for _, v := range ye.Values {
		if v.Name == name {
			return v.Value
		}
	}
	return math.NaN()
}

// randomYear returns n random inpatient cases of the example's groups.
func randomYear(rng *rand.Rand, n int) []payment.Event {
	evs := make([]payment.Event, n)
	for i := range evs {
		g := rng.IntN(4)
		mean := []float64{5000, 15000, 9600, 9600}[g]
		ch := mean * math.Exp(rng.NormFloat64()*0.9)
		evs[i] = payment.Event{Provider: uint16(rng.IntN(2)), Group: uint16(g), Service: payment.Inpatient,
			Charges: ch, OOP: ch * rng.Float64() * 0.5}
	}
	return evs
}

// TestSettlementFloor: the fund owes a provider its points × settled value
// less its patients' share, but never less than 0: a provider whose patients
// paid more than its points are worth keeps their share and returns its
// advances.
func TestSettlementFloor(t *testing.T) {
	p := testParams()
	p.LastYear = 3800 // fund 3800 × 1.2 = 4560
	evs := []payment.Event{
		{Provider: 0, Group: 0, Service: payment.Inpatient, Charges: 4000, OOP: 3900},  // 40 points
		{Provider: 1, Group: 1, Service: payment.Inpatient, Charges: 14400, OOP: 3000}, // 150 points
	}
	_, ye := settleYear(p, 0, evs)
	// Settled value (4560 ÷ 0.8) ÷ 190 = 30. Provider 0: 40 × 30 = 1200 <
	// 3900 of OOP: owed 0, returns its advance 40 × 69.12 = 2764.8; its
	// revenue 3840 + (2764.8 − 2764.8 + 3900 − 3840) = 3900, its patients'
	// share. Provider 1: 150 × 30 − 3000 = 1500 owed − 10368 advanced = −8868.
	want := map[int][2]float64{0: {-2764.8, 60}, 1: {-8868, 150 * (30 - 96)}}
	for _, tr := range ye.Transfers {
		if w := want[tr.Provider]; !near(tr.Amount, w[0]) || !near(tr.Revenue, w[1]) {
			t.Errorf("transfer %+v, want amount %v, revenue %v", tr, w[0], w[1])
		}
	}
	if got := value(ye, "dip_fund_paid"); !near(got, 1500) {
		t.Errorf("dip_fund_paid = %v, want 1500 (0 + 1500)", got)
	}
}

func TestSettlementIdentities(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		p := testParams()
		p.FundRatio = 0.5 + 0.5*rng.Float64()
		p.Advance = rng.Float64()
		year := rng.IntN(5)
		evs := randomYear(rng, 1+rng.IntN(200))
		// A fund near what the cases cost the fund, so that some years
		// settle every provider above its patients' share and some do not.
		var charges float64
		for _, ev := range evs {
			charges += ev.Charges
		}
		p.LastYear = charges * p.FundRatio * (0.5 + rng.Float64()) / math.Pow(1+p.Growth, float64(year+1))
		tot, ye := settleYear(p, year, evs)
		fund := value(ye, "dip_fund")
		spv := value(ye, "point_value_settled")
		var advances, byItem, byItemRev, transfers, revenue float64
		var pts, oop [2]float64
		for _, ev := range evs {
			if ev.Flags&payment.Review != 0 {
				byItem += ev.FundPaid
				byItemRev += ev.Revenue
				continue
			}
			advances += ev.FundPaid
			oop[ev.Provider] += ev.OOP
		}
		byProv := [2]float64{}
		for _, tr := range ye.Transfers {
			transfers += tr.Amount
			revenue += tr.Revenue
			byProv[tr.Provider] += tr.Amount
		}
		tl := &tot.Rules[0]
		copy(pts[:], tl.ProvPoints)
		// Σ points × settled value × FundRatio = the DIP fund.
		if !near(tl.Points*spv*p.FundRatio, fund) {
			t.Errorf("trial %d: points %v × spv %v × ratio %v = %v, want the fund %v", trial, tl.Points, spv, p.FundRatio, tl.Points*spv*p.FundRatio, fund)
		}
		// Each provider: advances + transfer = max(0, its points × spv − its
		// patients' share), its advances at the budget value 96 (testParams).
		var paid, scoredRev float64
		for prov := range 2 {
			due := max(0, pts[prov]*spv-oop[prov])
			paid += due
			scoredRev += max(pts[prov]*spv, oop[prov])
			adv := p.Advance * pts[prov] * 96 * p.FundRatio
			if !near(byProv[prov]+adv, due) && !(pts[prov] == 0 && oop[prov] == 0) {
				t.Errorf("trial %d, provider %d: advances %v + transfer %v, want max(0, %v × %v − %v) = %v", trial, prov, adv, byProv[prov], pts[prov], spv, oop[prov], due)
			}
		}
		if !near(transfers+advances, paid) || !near(value(ye, "dip_fund_paid"), paid) {
			t.Errorf("trial %d: transfers %v + advances %v = %v, dip_fund_paid %v; want %v", trial, transfers, advances, transfers+advances, value(ye, "dip_fund_paid"), paid)
		}
		// The settled revenue of a provider's scored cases is its points ×
		// spv, or its patients' share where that is more; reviews keep their
		// charges.
		if !near(tl.Revenue+revenue, scoredRev+byItemRev) {
			t.Errorf("trial %d: settled revenue %v, want Σ max(points × spv, OOP) %v + by item %v", trial, tl.Revenue+revenue, scoredRev, byItemRev)
		}
		// Σ provider fund payments = the rule's payout: the fund and the reviews paid by item.
		var prov float64
		for i := range tl.ProvFund {
			prov += tl.ProvFund[i]
		}
		if !near(prov+transfers, tl.FundPaid+transfers) || !near(prov+transfers, paid+byItem) {
			t.Errorf("trial %d: providers got %v, rule paid %v, paid + by item = %v; want equal",
				trial, prov+transfers, tl.FundPaid+transfers, paid+byItem)
		}
	}
}

// TestMorePointsLowerValue: with the same fund, a year with more points
// settles at a lower point value (the points race of MODEL §4).
func TestMorePointsLowerValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 100 {
		p := testParams()
		year := rng.IntN(5)
		evs := randomYear(rng, 1+rng.IntN(100))
		more := append(randomYear(rng, 1+rng.IntN(100)), evs...)
		tot1, ye1 := settleYear(p, year, evs)
		tot2, ye2 := settleYear(p, year, more)
		p1, p2 := tot1.Rules[0].Points, tot2.Rules[0].Points
		v1, v2 := value(ye1, "point_value_settled"), value(ye2, "point_value_settled")
		if p2 > p1 && p1 > 0 && !(v2 < v1) {
			t.Errorf("trial %d: %v points settle at %v, %v points at %v; want a lower value for more points", trial, p1, v1, p2, v2)
		}
		if value(ye1, "dip_fund") != value(ye2, "dip_fund") {
			t.Errorf("trial %d: funds differ", trial)
		}
	}
}

func TestYearWithoutPoints(t *testing.T) {
	r := New(testParams())
	tot := payment.NewSettlement(2, 1, 1)
	var ye payment.YearEnd
	r.YearEnd(0, 0, tot, &ye)
	if len(ye.Transfers) != 0 || r.PointValue() != 96 {
		t.Errorf("a year without cases: transfers %+v, next point value %v; want none, 96", ye.Transfers, r.PointValue())
	}
}

// TestBenchmarkByTier: b, against which a case is classed and scaled, is
// last year's mean cost of the group at the case's tier when BTier has one
// (MODEL §5), else the group's.
func TestBenchmarkByTier(t *testing.T) {
	p := Params{Score: []float64{80}, B: []float64{6000}, BTier: []float64{0, 15000}, NTier: 2,
		History: [3]float64{1, 1, 1}, AllMean: 100, FundRatio: 1, Advance: 1}
	r := New(p)
	// s = 80 × 100 = 8000. At tier 0 (no b of its own, b = 6000), cost 20000 >
	// 2 b = 12000: 80 × (20000 ÷ 6000 − 1) = 186.67 points. At tier 1 (b =
	// 15000) 20000 is inside [0.5 b, 2 b]: a normal case, 80 points, though
	// above 2 s.
	for _, c := range []struct {
		tier int
		want float64
	}{{0, 80 * (20000.0/6000 - 1)}, {1, 80}} {
		if got := r.Price(&payment.Case{Group: 0, Tier: c.tier, Charges: 20000, PointValue: 100}, false).Points; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("points at tier %d = %v, want %v", c.tier, got, c.want)
		}
	}
}

// TestMargin: a scored stay earns its points (1 per yuan of an average
// stay), or its cost (Mild) when a mild case is an ultra-low case below
// 0.5 b; a day more nothing; coding heavier its score; a split stay a second
// case's points. A visit is paid by item.
func TestMargin(t *testing.T) {
	r := New(testParams())
	cases := []struct {
		name string
		e    payment.Episode
		want payment.Margin
	}{
		{"visit", payment.Episode{Service: payment.Outpatient, Charges: 150, LOS: 1, Mild: 0.4}, payment.Margin{Case: 0.4, Day: 1}},
		{"ultra-low mild case", payment.Episode{Service: payment.Inpatient, Charges: 6000, LOS: 7, Mild: 0.4}, payment.Margin{Case: 0.4, Weight: 1, Split: 1}},
		{"mild case at 0.5", payment.Episode{Service: payment.Inpatient, Charges: 6000, LOS: 7, Mild: 0.5}, payment.Margin{Case: 1, Weight: 1, Split: 1}},
	}
	for _, c := range cases {
		if got := r.Margin(c.e); got != c.want {
			t.Errorf("%s: Margin = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestSettleCoding: Settle scores each case at its provider's coding
// factor: a normal case of group 1 (score 150) coded 1.1 heavier earns
// 150 × 1.1 points × k_h.
func TestSettleCoding(t *testing.T) {
	p := testParams()
	evs := []payment.Event{{Provider: 1, Group: 1, Charges: 14400}, {Provider: 0, Group: 1, Charges: 14400}}
	tot := payment.NewSettlement(len(p.K), 1, 1)
	New(p).Settle([]float64{1, 1.1}, evs, tot)                                    // provider 0 (k_h 0.8) as grouped, provider 1 (k_h 1) 1.1
	if !near(float64(evs[0].Points), 165) || !near(float64(evs[1].Points), 120) { // 150 × 1.1 × 1; 150 × 0.8
		t.Errorf("points %v, %v; want 165, 120", evs[0].Points, evs[1].Points)
	}
}

// TestWindow: stays outside the window are priced by the fallback rule,
// paid at once and not settled; inside it they score points.
func TestWindow(t *testing.T) {
	byItem := testParams()
	byItem.Window = window.New(3, 59, ffs.Rule{})
	perDiem := testParams()
	perDiem.Window = window.New(3, 0, perdiem.New(perdiem.Params{Rate: []float64{300, 400}, After: 1}))
	cases := []struct {
		name   string
		p      Params
		tier   int
		los    int
		charge float64
		want   float64
		flags  uint16
	}{
		// Tier and provider 1: group 1 at the county, 150 points at 96 inside
		// the window; tier 0: group 0 at the township.
		{"below: by item", byItem, 1, 2, 5000, 5000, payment.OutsideWindow},          // the charges
		{"lower bound inside", byItem, 1, 3, 14400, 14400, 0},                        // 150 × 96
		{"upper bound inside", byItem, 1, 59, 14400, 14400, 0},                       // 150 × 96
		{"above: by item", byItem, 1, 60, 50000, 50000, payment.OutsideWindow},       // the charges, no outlier
		{"per diem below", perDiem, 1, 2, 5000, 800, payment.OutsideWindow},          // 400 × 2
		{"no upper bound", perDiem, 1, 300, 14400, 14400, 0},                         // 150 × 96
		{"below, no review", byItem, 1, 1, 90000, 90000, payment.OutsideWindow},      // > 5 b but outside: by item, not a review
		{"outside, no low outlier", byItem, 0, 1, 1000, 1000, payment.OutsideWindow}, // < 0.5 b, outside: the charges
	}
	for _, c := range cases {
		got := New(c.p).Price(&payment.Case{Group: c.tier, Provider: c.tier, Tier: c.tier, LOS: c.los, Charges: c.charge}, true)
		if !near(got.Payment, c.want) || got.Flags != c.flags || (c.flags != 0 && got.Points != 0) {
			t.Errorf("%s: Price(LOS %d, charges %v) = %v, %v points, flags %b; want %v, flags %b", c.name, c.los, c.charge, got.Payment, got.Points, got.Flags, c.want, c.flags)
		}
	}

	// A year: provider 1's 2-day stay of 5000 (OOP 1000) is paid 4000 at
	// once and not settled; its 150 points are. Fund 38400, one scored case:
	// settled value (38400 ÷ 0.8) ÷ 150 = 320; due 150 × 320 − 3000 = 45000,
	// less the advance 150 × 69.12 = 10368: 34632. dip_fund_paid 45000.
	evs := []payment.Event{
		{Provider: 1, Group: 1, Service: payment.Inpatient, LOS: 2, Charges: 5000, OOP: 1000},
		{Provider: 1, Group: 1, Service: payment.Inpatient, LOS: 8, Charges: 14400, OOP: 3000},
	}
	tot, ye := settleYear(byItem, 0, evs)
	if evs[0].FundPaid != 4000 || evs[0].Revenue != 5000 || tot.Rules[0].OutsideWindow != 1 {
		t.Errorf("outside stay: fund %v, revenue %v, %d outside; want 4000, 5000, 1", evs[0].FundPaid, evs[0].Revenue, tot.Rules[0].OutsideWindow)
	}
	if len(ye.Transfers) != 1 || !near(ye.Transfers[0].Amount, 34632) || !near(value(ye, "dip_fund_paid"), 45000) {
		t.Errorf("transfers %+v, dip_fund_paid %v; want one of 34632, 45000", ye.Transfers, value(ye, "dip_fund_paid"))
	}
}

// TestRederiveBenchmark: the year's scored and reviewed cases give next
// year's b — by tier where b is by tier, over the tiers otherwise; b = s
// (0) stays; a stay outside the window is not in its group; a group or a
// tier without cases keeps its b.
func TestRederiveBenchmark(t *testing.T) {
	p := testParams()
	p.NTier, p.BTier = 2, []float64{
		4500, 6000, // group 0 by tier
		0, 0, // group 1: the group's b
		0, 0, // group 2: b = s
		0, 0, // group 3: the group's b
	}
	p.Window = window.New(3, 0, ffs.Rule{})
	r := New(p)
	evs := []payment.Event{
		{Group: 0, Tier: 0, Provider: 0, LOS: 5, Charges: 3000, Readmit: payment.NoReadmit},
		{Group: 0, Tier: 0, Provider: 0, LOS: 5, Charges: 5000, Readmit: payment.NoReadmit},
		{Group: 0, Tier: 0, Provider: 0, LOS: 1, Charges: 100, Readmit: payment.NoReadmit}, // outside the window
		{Group: 1, Tier: 0, Provider: 0, LOS: 5, Charges: 12000, Readmit: payment.NoReadmit},
		{Group: 1, Tier: 1, Provider: 1, LOS: 5, Charges: 90000, Readmit: payment.NoReadmit}, // c > 5 b: a review, still in the group
		{Group: 2, Tier: 1, Provider: 1, LOS: 5, Charges: 9000, Readmit: payment.NoReadmit},
	}
	tot := payment.NewSettlement(2, 1, 1)
	tot.ByGroup(4, 2)
	r.Settle(nil, evs, tot)
	var ye payment.YearEnd
	r.YearEnd(0, 0, tot, &ye)
	// Group 0 at tier 0: 4500 → (3000 + 5000) ÷ 2 = 4000; at tier 1, no
	// case: 6000 stays; its one b, which only a tier without b by tier
	// would use, stays 5000. Group 1, one b over the tiers: (12000 +
	// 90000) ÷ 2 = 51000. Group 2: b = s stays 0. Group 3: no case, 50000
	// stays.
	wantB, wantTier := []float64{5000, 51000, 0, 50000}, []float64{4000, 6000, 0, 0, 0, 0, 0, 0}
	for g := range wantB {
		if !near(r.b[g], wantB[g]) {
			t.Errorf("next year's b of group %d = %v, want %v", g, r.b[g], wantB[g])
		}
	}
	for i := range wantTier {
		if !near(r.bTier[i], wantTier[i]) {
			t.Errorf("next year's b of group %d at tier %d = %v, want %v", i/2, i%2, r.bTier[i], wantTier[i])
		}
	}
	// In the next year a group-1 case of 60,000 is within 2 b = 102,000:
	// not a high case, as it was against 2 × 15,000.
	c := payment.Case{Group: 1, Tier: 0, Provider: 1, LOS: 5, Charges: 60000, Readmit: -1}
	if pr := r.Price(&c, false); pr.Flags&(payment.HighOutlier|payment.Review) != 0 {
		t.Errorf("60,000 against the re-derived b 51,000: flags %v, want a normal case", pr.Flags)
	}
	if pr := New(p).Price(&c, false); pr.Flags&payment.HighOutlier == 0 {
		t.Errorf("60,000 against the first year's b 15,000: flags %v, want a high case", pr.Flags)
	}
	if p.B[1] != 15000 {
		t.Errorf("Params.B changed to %v; YearEnd must not write the scenario's b", p.B[1])
	}
}

// TestRebasedFund: procurement's re-based factor scales the DIP fund of
// its year: 32000 × 1.2 × 0.9 = 34560 in year 0, 32000 × 1.2² × 0.8 =
// 36864 in year 1, and no factor beyond the list.
func TestRebasedFund(t *testing.T) {
	p := testParams()
	p.Rebased = []float64{0.9, 0.8}
	r := New(p)
	for y, want := range []float64{34560, 36864, 32000 * 1.2 * 1.2 * 1.2} {
		if got := r.Fund(y); !near(got, want) {
			t.Errorf("Fund(%d) = %v, want %v", y, got, want)
		}
	}
}
