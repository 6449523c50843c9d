package drg

import (
	"math"
	"slices"
	"testing"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/payment/window"
)

// Groups of the fixture.
const (
	pneumonia = iota // RW 0.8, mean 6000, GMLOS 5, H 3, on the post-acute transfer list
	stroke           // RW 2.5, mean 20000, GMLOS 10, H 1.5, a special-pay post-acute transfer group
	burns            // RW 4, mean 40000, GMLOS 8, H 1.5, burn
	chemo            // RW 1, mean 8000, GMLOS 4, H 3, exempt from the readmission rule
)

// params is the fixture: rate method, base rate 10,000, providers with k_h
// 1, 1.2 and 0.8, nothing else.
func params() Params {
	return Params{
		Mode:       ModeRate,
		BaseRate:   10000,
		RW:         []float64{0.8, 2.5, 4, 1},
		Mean:       []float64{6000, 20000, 40000, 8000},
		GMLOS:      []float64{5, 10, 8, 4},
		PostAcute:  []bool{true, false, false, false},
		SpecialPay: []bool{false, true, false, false},
		Burn:       []bool{false, false, true, false},
		Exempt:     []bool{false, false, false, true},
		H:          []float64{3, 1.5, 1.5, 3},
		K:          []float64{1, 1.2, 0.8},
	}
}

func multiple(p *Params) { p.Outlier, p.Marginal = OutlierMultiple, 0.9 }
func low(p *Params)      { p.LowBelow = 0.4 }
func perDiem(p *Params)  { p.Transfer = TransferPerDiem }
func china(p *Params)    { p.Transfer = TransferChina }
func readmit(p *Params)  { p.ReadmitDays = 15 }
func fixedLoss(p *Params) {
	p.Outlier, p.FixedLoss, p.Marginal, p.BurnMarginal, p.CostToCharge = OutlierFixedLoss, 30000, 0.8, 0.9, 0.5
}
func windowFFS(p *Params) { p.Window = window.New(3, 59, ffs.Rule{}) }
func windowPerDiem(p *Params) {
	p.Window = window.New(3, 59, perdiem.New(perdiem.Params{Rate: []float64{300, 400, 500}, After: 1}))
}
func points(p *Params) { p.Mode, p.PointValue = ModePoints, 100 }

func TestPrice(t *testing.T) {
	cases := []struct {
		name   string
		mods   []func(*Params)
		c      payment.Case
		want   float64
		flags  uint16 // flags that must be set
		step   string // a step that must be explained
		points float64
	}{
		// Rate method: P = base_rate × RW × k_h.
		{name: "base", c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1},
			want: 8000, step: "base payment"}, // 10000 × 0.8 × 1
		{name: "tier coefficient 1.2", c: payment.Case{Group: pneumonia, Provider: 1, LOS: 5, Charges: 6000, Readmit: -1},
			want: 9600, step: "tier coefficient"}, // 10000 × 0.8 × 1.2
		{name: "tier coefficient 0.8", c: payment.Case{Group: stroke, Provider: 2, LOS: 10, Charges: 20000, Readmit: -1},
			want: 20000, step: "relative weight"}, // 10000 × 2.5 × 0.8

		// High-cost outlier, family multiple: c > H × mean → (c − H × mean) × 0.9.
		{name: "multiple: exactly H × mean", mods: fns(multiple), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 18000, Readmit: -1},
			want: 8000}, // 18000 = 3 × 6000 is not above the threshold
		{name: "multiple: above H × mean", mods: fns(multiple), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 20000, Readmit: -1},
			want: 9800, flags: payment.HighOutlier, step: "high-cost outlier"}, // 8000 + (20000 − 18000) × 0.9
		{name: "multiple: H by RW", mods: fns(multiple), c: payment.Case{Group: stroke, LOS: 10, Charges: 40000, Readmit: -1},
			want: 34000, flags: payment.HighOutlier}, // 25000 + (40000 − 1.5 × 20000) × 0.9
		{name: "multiple: no H for the group", mods: fns(multiple, func(p *Params) { p.H[pneumonia] = 0 }),
			c: payment.Case{Group: pneumonia, LOS: 5, Charges: 90000, Readmit: -1}, want: 8000},

		// Low-cost case: c < 0.4 × mean → B × c ÷ mean, B = base_rate × RW
		// without k_h (Jinhua: 病组基准点数 × 实际费用 ÷ 平均费用).
		{name: "low: exactly L × mean", mods: fns(low), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 2400, Readmit: -1},
			want: 8000}, // 2400 = 0.4 × 6000 is not below
		{name: "low: below L × mean", mods: fns(low, multiple), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 1200, Readmit: -1},
			want: 1600, flags: payment.LowOutlier, step: "low-cost case"}, // 8000 × 1200 ÷ 6000
		{name: "low: k_h 1.2 left out", mods: fns(low), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 5, Charges: 1500, Readmit: -1},
			want: 2000, flags: payment.LowOutlier}, // B 10000 × 0.8 = 8000, × 1500 ÷ 6000; not P 9600 × 1500 ÷ 6000 = 2400
		{name: "low: k_h 0.8 left out", mods: fns(low), c: payment.Case{Group: stroke, Provider: 2, LOS: 10, Charges: 5000, Readmit: -1},
			want: 6250, flags: payment.LowOutlier}, // B 25000 × 5000 ÷ 20000; not P 20000 × 0.25 = 5000
		{name: "low: coded weight", mods: fns(low), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 5, Charges: 1500, Readmit: -1, Coding: 1.1},
			want: 2200, flags: payment.LowOutlier}, // 10000 × 0.8 × 1.1 × 1500 ÷ 6000

		// Transfer, per-diem method, a group on the post-acute transfer list:
		// P × min(1, round4((max(LOS, 1) + 1) ÷ GMLOS)).
		{name: "per diem transfer", mods: fns(perDiem), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 3000, Transfer: true, Readmit: -1},
			want: 4800, flags: payment.Incomplete, step: "transfer"}, // d = 8000 ÷ 5 = 1600; 1600 × 3
		{name: "per diem same-day transfer", mods: fns(perDiem), c: payment.Case{Group: pneumonia, LOS: 0, Charges: 1000, Transfer: true, Readmit: -1},
			want: 3200, flags: payment.Incomplete}, // two per diems: 1600 × (1 + 1)
		{name: "per diem transfer: exactly P", mods: fns(perDiem), c: payment.Case{Group: pneumonia, LOS: 4, Charges: 6000, Transfer: true, Readmit: -1},
			want: 8000, flags: payment.Incomplete}, // 1600 × 5 = 8000 = P
		{name: "per diem transfer: capped at P", mods: fns(perDiem), c: payment.Case{Group: pneumonia, LOS: 9, Charges: 6000, Transfer: true, Readmit: -1},
			want: 8000, flags: payment.Incomplete}, // 1600 × 10 > 8000
		{name: "no transfer method", c: payment.Case{Group: pneumonia, LOS: 1, Charges: 3000, Transfer: true, Readmit: -1},
			want: 8000},
		{name: "not a transfer", mods: fns(perDiem), c: payment.Case{Group: pneumonia, LOS: 1, Charges: 6000, Readmit: -1},
			want: 8000},
		{name: "transfer is not also low-cost", mods: fns(perDiem, low), c: payment.Case{Group: pneumonia, LOS: 1, Charges: 1000, Transfer: true, Readmit: -1},
			want: 3200, flags: payment.Incomplete}, // 1600 × 2, not × 1000 ÷ 6000 again
		{name: "per diem: fraction rounded", mods: fns(perDiem, func(p *Params) { p.GMLOS[pneumonia] = 2.4 }),
			c:    payment.Case{Group: pneumonia, LOS: 1, Charges: 3000, Transfer: true, Readmit: -1},
			want: 6666.4, flags: payment.Incomplete}, // 2 ÷ 2.4 = 0.83333… → 0.8333; 8000 × 0.8333 (unrounded: 6666.67)
		{name: "per diem: fraction rounded up", mods: fns(perDiem, func(p *Params) { p.GMLOS[pneumonia] = 3 }),
			c:    payment.Case{Group: pneumonia, LOS: 1, Charges: 3000, Transfer: true, Readmit: -1},
			want: 5333.6, flags: payment.Incomplete}, // 2 ÷ 3 = 0.66667 → 0.6667; 8000 × 0.6667
		// A group not on the list: a discharge to post-acute care is paid P
		// (42 CFR 412.4(c)), and may be a low-cost case.
		{name: "not on the post-acute list", mods: fns(perDiem), c: payment.Case{Group: chemo, LOS: 1, Charges: 3000, Transfer: true, Readmit: -1},
			want: 10000, step: "transfer"}, // 10000 × 1 × 1, not 10000 × 2 ÷ 4
		{name: "not on the list, low-cost", mods: fns(perDiem, low), c: payment.Case{Group: chemo, LOS: 1, Charges: 2000, Transfer: true, Readmit: -1},
			want: 2500, flags: payment.LowOutlier}, // 10000 × 2000 ÷ 8000

		// Special-pay post-acute transfer group: P × min(1, 0.5 + round4(0.5 ×
		// (max(LOS, 1) + 1) ÷ GMLOS)).
		{name: "post-acute transfer", mods: fns(perDiem), c: payment.Case{Group: stroke, LOS: 3, Charges: 9000, Transfer: true, Readmit: -1},
			want: 17500, flags: payment.Incomplete}, // 25000 × (0.5 + 0.5 × 4 ÷ 10) = 25000 × 0.7
		{name: "post-acute same-day transfer", mods: fns(perDiem), c: payment.Case{Group: stroke, LOS: 0, Charges: 9000, Transfer: true, Readmit: -1},
			want: 15000, flags: payment.Incomplete}, // 25000 × (0.5 + 0.5 × 2 ÷ 10)
		{name: "post-acute transfer: capped at P", mods: fns(perDiem), c: payment.Case{Group: stroke, LOS: 20, Charges: 9000, Transfer: true, Readmit: -1},
			want: 25000, flags: payment.Incomplete}, // 25000 × (0.5 + 0.5 × 21 ÷ 10) > 25000
		{name: "special pay: fraction rounded", mods: fns(perDiem, func(p *Params) { p.GMLOS[stroke] = 3 }),
			c:    payment.Case{Group: stroke, LOS: 0, Charges: 9000, Transfer: true, Readmit: -1},
			want: 20832.5, flags: payment.Incomplete}, // 0.5 × 2 ÷ 3 = 0.33333… → 0.3333; 25000 × 0.8333 (unrounded: 20833.33)
		{name: "special pay and post-acute", mods: fns(perDiem, func(p *Params) { p.PostAcute[stroke] = true }),
			c:    payment.Case{Group: stroke, LOS: 3, Charges: 9000, Transfer: true, Readmit: -1},
			want: 17500, flags: payment.Incomplete}, // special pay wins: 25000 × 0.7, not 25000 × 0.4

		// China incomplete stay: B × min(1, c ÷ mean), B without k_h
		// (Zhejiang: 该DRG基准点数).
		{name: "china incomplete stay", mods: fns(china), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 3000, Transfer: true, Readmit: -1},
			want: 4000, flags: payment.Incomplete, step: "transfer"}, // 8000 × 3000 ÷ 6000
		{name: "china: capped", mods: fns(china), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 9000, Transfer: true, Readmit: -1},
			want: 8000, flags: payment.Incomplete}, // 8000 × min(1, 1.5)
		{name: "china: k_h 1.2 left out", mods: fns(china), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 2, Charges: 4800, Transfer: true, Readmit: -1},
			want: 6400, flags: payment.Incomplete}, // B 8000 × 4800 ÷ 6000; not P 9600 × 0.8 = 7680
		{name: "china: exactly the mean", mods: fns(china), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 2, Charges: 6000, Transfer: true, Readmit: -1},
			want: 8000, flags: payment.Incomplete}, // 8000 × min(1, 1)
		{name: "china: k_h 0.8, capped at B", mods: fns(china), c: payment.Case{Group: pneumonia, Provider: 2, LOS: 2, Charges: 7200, Transfer: true, Readmit: -1},
			want: 8000, flags: payment.Incomplete}, // 8000 × min(1, 1.2): more than the complete stay's P 6400, as the text reads

		// High-cost outlier, family fixed loss: cost = charges × 0.5,
		// extra = m × max(0, cost − (P + 30000 × k_h)).
		{name: "fixed loss: exactly the threshold", mods: fns(fixedLoss), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 76000, Readmit: -1},
			want: 8000}, // cost 38000 = 8000 + 30000
		{name: "fixed loss", mods: fns(fixedLoss), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 100000, Readmit: -1},
			want: 17600, flags: payment.HighOutlier, step: "high-cost outlier"}, // 8000 + 0.8 × (50000 − 38000)
		{name: "fixed loss: burn group", mods: fns(fixedLoss), c: payment.Case{Group: burns, LOS: 8, Charges: 200000, Readmit: -1},
			want: 67000, flags: payment.HighOutlier}, // 40000 + 0.9 × (100000 − 70000)
		{name: "fixed loss: k_h 1.2", mods: fns(fixedLoss), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 5, Charges: 100000, Readmit: -1},
			want: 13120, flags: payment.HighOutlier}, // 9600 + 0.8 × (50000 − (9600 + 36000))
		{name: "fixed loss: transfer", mods: fns(fixedLoss, perDiem), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 60000, Transfer: true, Readmit: -1},
			want: 10560, flags: payment.HighOutlier | payment.Incomplete},
		// P_t = 1600 × 3 = 4800 = 0.6 P; threshold (8000 + 30000) × 0.6 = 22800;
		// 4800 + 0.8 × (30000 − 22800) = 4800 + 5760
		{name: "fixed loss: transfer below the threshold", mods: fns(fixedLoss, perDiem), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 45600, Transfer: true, Readmit: -1},
			want: 4800, flags: payment.Incomplete}, // cost 22800 = the threshold

		// Readmission within 15 days: −0.5 × the first stay's revenue.
		{name: "readmission", mods: fns(readmit), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: 3, PrevRevenue: 8000},
			want: 4000, flags: payment.Readmission, step: "readmission"}, // 8000 − 0.5 × 8000
		{name: "readmission on day 15", mods: fns(readmit), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: 15, PrevRevenue: 6000},
			want: 5000, flags: payment.Readmission}, // 8000 − 3000
		{name: "readmission the same day", mods: fns(readmit), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: 0, PrevRevenue: 8000},
			want: 4000, flags: payment.Readmission},
		{name: "readmission on day 16", mods: fns(readmit), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: 16, PrevRevenue: 8000},
			want: 8000},
		{name: "readmission: exempt group", mods: fns(readmit), c: payment.Case{Group: chemo, LOS: 3, Charges: 8000, Readmit: 3, PrevRevenue: 10000},
			want: 10000}, // 10000 × 1, not halved
		{name: "no readmission rule", c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: 3, PrevRevenue: 8000},
			want: 8000},
		{name: "readmitted high outlier", mods: fns(readmit, multiple), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 20000, Readmit: 3, PrevRevenue: 8000},
			want: 5800, flags: payment.Readmission | payment.HighOutlier}, // 8000 + 1800 − 4000

		// Window [3, 59] days; outside: the fallback.
		{name: "window: FFS below", mods: fns(windowFFS), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 5000, Readmit: -1},
			want: 5000, flags: payment.OutsideWindow, step: "window"}, // the charges
		{name: "window: lower bound inside", mods: fns(windowFFS), c: payment.Case{Group: pneumonia, LOS: 3, Charges: 5000, Readmit: -1},
			want: 8000},
		{name: "window: upper bound inside", mods: fns(windowFFS), c: payment.Case{Group: pneumonia, LOS: 59, Charges: 50000, Readmit: -1},
			want: 8000},
		{name: "window: FFS above", mods: fns(windowFFS, multiple), c: payment.Case{Group: pneumonia, LOS: 60, Charges: 50000, Readmit: -1},
			want: 50000, flags: payment.OutsideWindow}, // the charges, no outlier
		{name: "window: per diem above", mods: fns(windowPerDiem), c: payment.Case{Group: pneumonia, Tier: 1, LOS: 60, Charges: 50000, Readmit: -1},
			want: 24000, flags: payment.OutsideWindow, step: "days"}, // 400 × 60
		{name: "window: per diem below", mods: fns(windowPerDiem), c: payment.Case{Group: pneumonia, Tier: 2, LOS: 1, Charges: 900, Readmit: -1},
			want: 500, flags: payment.OutsideWindow}, // 500 × 1
		{name: "no upper bound", mods: fns(windowFFS, func(p *Params) { p.Window.Max = 0 }), c: payment.Case{Group: pneumonia, LOS: 300, Charges: 50000, Readmit: -1},
			want: 8000},

		{name: "a visit", c: payment.Case{Group: -1, Charges: 150, Readmit: -1}, want: 150, step: "no group"},

		// Point method at a point value of 100: points = payment ÷ 100.
		{name: "points", mods: fns(points), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1},
			want: 8000, points: 80, step: "base points"}, // 100 × 0.8 × 1 points × 100
		{name: "points: k_h 1.2", mods: fns(points), c: payment.Case{Group: stroke, Provider: 1, LOS: 10, Charges: 20000, Readmit: -1},
			want: 30000, points: 300}, // 100 × 2.5 × 1.2
		{name: "points: outlier", mods: fns(points, multiple), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 20000, Readmit: -1},
			want: 9800, points: 98, flags: payment.HighOutlier}, // 80 + 1800 ÷ 100
		{name: "points: low-cost case", mods: fns(points, low), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 1200, Readmit: -1},
			want: 1600, points: 16, flags: payment.LowOutlier}, // 80 × 1200 ÷ 6000
		{name: "points: low-cost case, k_h 1.2 left out", mods: fns(points, low), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 5, Charges: 1200, Readmit: -1},
			want: 1600, points: 16, flags: payment.LowOutlier}, // 100 × 0.8 × 1200 ÷ 6000, not 96 × 0.2 = 19.2 points
		{name: "points: china incomplete stay, k_h 1.2 left out", mods: fns(points, china), c: payment.Case{Group: pneumonia, Provider: 1, LOS: 2, Charges: 3000, Transfer: true, Readmit: -1},
			want: 4000, points: 40, flags: payment.Incomplete}, // 80 base points × 3000 ÷ 6000
		{name: "points: transfer", mods: fns(points, perDiem), c: payment.Case{Group: pneumonia, LOS: 2, Charges: 3000, Transfer: true, Readmit: -1},
			want: 4800, points: 48, flags: payment.Incomplete}, // 80 × 3 ÷ 5
		{name: "points: readmission", mods: fns(points, readmit), c: payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: 10, PrevRevenue: 8000},
			want: 4000, points: 40, flags: payment.Readmission}, // 80 − 0.5 × 80
		{name: "points: outside the window", mods: fns(points, windowFFS), c: payment.Case{Group: pneumonia, LOS: 1, Charges: 2500, Readmit: -1},
			want: 2500, points: 25, flags: payment.OutsideWindow}, // the charges at 100 a point
	}
	for _, tc := range cases {
		p := params()
		for _, m := range tc.mods {
			m(&p)
		}
		r := New(p)
		c := tc.c
		got := r.Price(&c, true)
		if math.Abs(got.Payment-tc.want) > 1e-9 {
			t.Errorf("%s: Price(%+v) = %v, want %v\n%v", tc.name, tc.c, got.Payment, tc.want, got.Steps)
		}
		if math.Abs(got.Points-tc.points) > 1e-9 {
			t.Errorf("%s: Price(%+v) points = %v, want %v", tc.name, tc.c, got.Points, tc.points)
		}
		if got.Flags&tc.flags != tc.flags {
			t.Errorf("%s: Price(%+v) flags = %b, want %b set", tc.name, tc.c, got.Flags, tc.flags)
		}
		if got.Rule != "drg" {
			t.Errorf("%s: Price(%+v) rule = %q, want drg", tc.name, tc.c, got.Rule)
		}
		if n := len(got.Steps); n == 0 || got.Steps[n-1].Amount != got.Payment {
			t.Errorf("%s: explained steps %+v do not end at the payment %v", tc.name, got.Steps, got.Payment)
		}
		if tc.step != "" && !slices.ContainsFunc(got.Steps, func(s payment.Step) bool { return s.Name == tc.step }) {
			t.Errorf("%s: explained steps %+v have no %q", tc.name, got.Steps, tc.step)
		}
		// Pricing without explaining gives the same price.
		quiet := r.Price(&c, false)
		if quiet.Payment != got.Payment || quiet.Points != got.Points || quiet.Flags != got.Flags || quiet.Steps != nil {
			t.Errorf("%s: Price(explain false) = %+v, want %+v without steps", tc.name, quiet, got)
		}
	}
}

func fns(f ...func(*Params)) []func(*Params) { return f }

func TestWageFactor(t *testing.T) {
	cases := []struct {
		index, want float64
	}{
		{1.2, 1.1352}, // 0.676 × 1.2 + 0.324 (labour share for an index above 1)
		{0.9, 0.938},  // 0.62 × 0.9 + 0.38
		{1, 1},        // 0.62 × 1 + 0.38
	}
	for _, c := range cases {
		if got := WageFactor(c.index, 0.676, 0.62); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("WageFactor(%v, 0.676, 0.62) = %v, want %v", c.index, got, c.want)
		}
	}
	// IPPS FY2025: 6624.39 × RW 1 × 1.1352 = 7520.007528.
	p := params()
	p.BaseRate, p.RW[chemo], p.K[0] = 6624.39, 1, WageFactor(1.2, 0.676, 0.62)
	c := payment.Case{Group: chemo, LOS: 4, Charges: 8000, Readmit: -1}
	if got := New(p).Price(&c, false).Payment; math.Abs(got-7520.007528) > 1e-6 {
		t.Errorf("Price(RW 1, wage index 1.2) = %v, want 7520.007528", got)
	}
}

func TestSettleRate(t *testing.T) {
	r := New(params())
	evs := []payment.Event{
		{Group: pneumonia, LOS: 5, Charges: 6000, OOP: 1800, Readmit: payment.NoReadmit},
		{Group: pneumonia, LOS: 5, Charges: 2000, OOP: 9000, Readmit: payment.NoReadmit},
	}
	out := payment.NewSettlement(1, 1, 1)
	r.Settle(nil, evs, out)
	// 8000 − 1800 = 6200; 8000 − 9000 < 0 → 0, and the provider keeps the
	// OOP 9000: revenue 8000 + 9000 = 17000
	if evs[0].FundPaid != 6200 || evs[1].FundPaid != 0 || out.FundPaid[0] != 6200 || out.Revenue[0] != 17000 {
		t.Errorf("fund %v, %v (total %v), revenue %v; want 6200, 0 (6200), 17000",
			evs[0].FundPaid, evs[1].FundPaid, out.FundPaid[0], out.Revenue[0])
	}
	var ye payment.YearEnd
	r.YearEnd(0, 0, out, &ye)
	want := []payment.Value{{Binding: 0, Name: "base_rate", Value: 10000}}
	if len(ye.Transfers) != 0 || !slices.Equal(ye.Values, want) {
		t.Errorf("YearEnd(rate method) = %+v, want no transfer and values %+v", ye, want)
	}
	// Without a budget the base rate stays.
	c := payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1}
	if got := r.Price(&c, false).Payment; got != 8000 {
		t.Errorf("Price in the second year without a budget = %v, want 8000", got)
	}
}

// TestRebase: under the rate method with a budget the base rate is derived
// every year from the budget, base_rate′ = budget × (1 + growth)^(y+1) ÷ Σ
// the year's cases' coded RW × k_h (the fixture: base rate 10,000; a
// first-year budget of 16,800, growing 5%: 17,640 the next year).
func TestRebase(t *testing.T) {
	cases := []struct {
		name   string
		evs    []payment.Event
		coding []float64
		want   float64
	}{
		// Two pneumonia stays at provider 0: 17640 ÷ (0.8 + 0.8) = 11025.
		{name: "two stays", evs: []payment.Event{
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
		}, want: 11025},
		// The same stays coded 10% heavier: 17640 ÷ (0.88 + 0.88) = 10022.7…
		{name: "upcoding lowers the rate", evs: []payment.Event{
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
		}, coding: []float64{1.1, 1, 1}, want: 17640 / 1.76},
		// A third, mild stay (a low-cost case) adds its weight: 17640 ÷ 2.4 = 7350.
		{name: "volume lowers the rate", evs: []payment.Event{
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
			{Provider: 0, Group: pneumonia, LOS: 3, Charges: 1200, Readmit: payment.NoReadmit},
		}, want: 7350},
		// A stroke at provider 2 (k_h 0.8) and one at provider 1 (k_h 1.2):
		// 17640 ÷ (2 + 3) = 3528.
		{name: "weights × k_h", evs: []payment.Event{
			{Provider: 2, Group: stroke, LOS: 10, Charges: 16000, Readmit: payment.NoReadmit},
			{Provider: 1, Group: stroke, LOS: 10, Charges: 24000, Readmit: payment.NoReadmit},
		}, want: 3528},
		// A stay outside the window [3, 59] counts as a case of its group:
		// 17640 ÷ (0.8 + 0.8) = 11025.
		{name: "outside the window", evs: []payment.Event{
			{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
			{Provider: 0, Group: pneumonia, LOS: 1, Charges: 1000, Readmit: payment.NoReadmit},
		}, want: 11025},
	}
	for _, tc := range cases {
		p := params()
		low(&p)
		windowFFS(&p)
		p.Rebase, p.Budget, p.Growth = true, 16800, 0.05
		r := New(p)
		out := payment.NewSettlement(3, 1, 1)
		r.Settle(tc.coding, tc.evs, out)
		var ye payment.YearEnd
		r.YearEnd(0, 0, out, &ye)
		if len(ye.Values) != 2 || ye.Values[0].Name != "base_rate" || ye.Values[0].Value != 10000 ||
			ye.Values[1].Name != "budget_next" || math.Abs(ye.Values[1].Value-17640) > 1e-9 {
			t.Errorf("%s: YearEnd values = %+v, want base_rate 10000 (the year's) and budget_next 17640", tc.name, ye.Values)
		}
		// The next year prices a pneumonia stay at provider 0 at the new rate.
		c := payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1}
		if got := r.Price(&c, false).Payment; math.Abs(got-0.8*tc.want) > 1e-6 {
			t.Errorf("%s: next year's base rate = %v, want %v", tc.name, got/0.8, tc.want)
		}
	}
}

// pointRule is the settlement fixture: budget 110,000 in the first year
// growing 10% a year, reserve 8%, advances 85%, point value 100.
func pointRule() *Rule {
	p := params()
	points(&p)
	p.Budget, p.Growth, p.Reserve, p.Advance = 110000, 0.1, 0.08, 0.85
	return New(p)
}

// pointYear settles evs, one binding and three providers.
func pointYear(r *Rule, evs []payment.Event) *payment.Settlement {
	out := payment.NewSettlement(3, 1, 1)
	r.Settle(nil, evs, out)
	return out
}

func TestSettlePoints(t *testing.T) {
	r := pointRule()
	evs := []payment.Event{
		{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, OOP: 1800, Readmit: payment.NoReadmit}, // 80 points, 8000
		{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, OOP: 1800, Readmit: payment.NoReadmit}, // 80 points, 8000
		{Provider: 1, Group: stroke, LOS: 10, Charges: 20000, OOP: 5000, Readmit: payment.NoReadmit},  // 300 points, 30000
	}
	tot := pointYear(r, evs)
	// Advances 0.85 × (8000 − 1800) = 5270 per pneumonia case, 0.85 × 25000 = 21250.
	if tot.Revenue[0] != 16000 || math.Abs(tot.FundPaid[0]-10540) > 1e-9 || math.Abs(tot.FundPaid[1]-21250) > 1e-9 {
		t.Errorf("Settle: revenue %v, fund %v; want revenue 16000, 30000 and advances 10540, 21250", tot.Revenue, tot.FundPaid)
	}
	if tr := tot.Rules[0]; tr.Points != 460 || tr.ProvPoints[0] != 160 || tr.ProvPoints[1] != 300 {
		t.Errorf("Settle: points %v by provider %v, want 460: 160, 300", tr.Points, tr.ProvPoints)
	}

	var ye payment.YearEnd
	r.YearEnd(0, 0, tot, &ye)
	// Settled point value 110000 × (1 − 0.08) ÷ 460 = 101200 ÷ 460 = 220.
	// Provider 0: 160 × 220 = 35200 − OOP 3600 − advances 10540 = 21060.
	// Provider 1: 300 × 220 = 66000 − OOP 5000 − advances 21250 = 39750.
	want := []payment.Transfer{
		{Binding: 0, Provider: 0, Amount: 21060, Cause: "DRG point value settlement"},
		{Binding: 0, Provider: 1, Amount: 39750, Cause: "DRG point value settlement"},
	}
	if len(ye.Transfers) != len(want) {
		t.Fatalf("YearEnd transfers = %+v, want %+v", ye.Transfers, want)
	}
	for i := range want {
		g, w := ye.Transfers[i], want[i]
		if g.Binding != w.Binding || g.Provider != w.Provider || math.Abs(g.Amount-w.Amount) > 1e-6 || g.Cause != w.Cause {
			t.Errorf("YearEnd transfer %d = %+v, want %+v", i, g, w)
		}
	}
	values := map[string]float64{}
	for _, v := range ye.Values {
		values[v.Name] = v.Value
	}
	for name, w := range map[string]float64{"point_value_provisional": 100, "point_value_settled": 220, "budget": 110000} {
		if math.Abs(values[name]-w) > 1e-9 {
			t.Errorf("YearEnd value %s = %v, want %v", name, values[name], w)
		}
	}
	if r.PointValue() != 220 {
		t.Errorf("PointValue() after the first year = %v, want 220", r.PointValue())
	}

	// The second year prices at 220 and settles a budget of 110000 × 1.1.
	c := payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1}
	if got := r.Price(&c, false); math.Abs(got.Payment-17600) > 1e-9 || math.Abs(got.Points-80) > 1e-9 {
		t.Errorf("Price in the second year = %v (%v points), want 17600 (80 points)", got.Payment, got.Points) // 80 × 220
	}
	tot = pointYear(r, evs[:1])
	ye = payment.YearEnd{}
	r.YearEnd(1, 0, tot, &ye)
	// 121000 × 0.92 ÷ 80 = 1391.5
	if math.Abs(r.PointValue()-1391.5) > 1e-9 {
		t.Errorf("PointValue() after the second year = %v, want 1391.5", r.PointValue())
	}
}

// TestSettlementIdentities checks, for a varied year, that every provider
// ends with its points × the settled value: advances + settlement = final
// revenue − OOP; and that the fund pays the rule the budget net of the
// reserve, less the patients' OOP.
func TestSettlementIdentities(t *testing.T) {
	r := pointRule()
	r.p.LowBelow, r.p.Transfer, r.p.ReadmitDays = 0.4, TransferChina, 15
	multiple(&r.p)
	windowFFS(&r.p)
	var evs []payment.Event
	for i := range 60 {
		ev := payment.Event{Provider: uint16(i % 3), Group: uint16(i % 4), LOS: uint16(1 + i%9*8), Charges: float64(1000 + 997*i),
			Readmit: payment.NoReadmit}
		ev.OOP = 0.3 * ev.Charges
		if i%7 == 0 {
			ev.Flags |= payment.Transferred
		}
		if i%11 == 0 {
			ev.Readmit, ev.PrevRevenue = 9, 4000
		}
		evs = append(evs, ev)
	}
	tot := pointYear(r, evs)
	tr := tot.Rules[0]
	var ye payment.YearEnd
	r.YearEnd(0, 0, tot, &ye)
	v := r.PointValue()
	// The charges are far above the budget: the whole reserve is paid out.
	pool := 110000.0
	if tr.Charges < pool {
		t.Fatalf("charges %v, want above the budget %v", tr.Charges, pool)
	}
	if want := pool / tr.Points; math.Abs(v-want) > 1e-9 {
		t.Fatalf("settled point value = %v, want %v", v, want)
	}
	paid := make([]float64, 3)
	sumTransfers, sumFinal, sumOOP := 0.0, 0.0, 0.0
	for _, x := range ye.Transfers {
		paid[x.Provider] += x.Amount
		sumTransfers += x.Amount
	}
	for p := range 3 {
		final := tr.ProvPoints[p] * v
		sumFinal += final
		sumOOP += tr.ProvOOP[p]
		if got := tr.ProvFund[p] + paid[p]; math.Abs(got-(final-tr.ProvOOP[p])) > 1e-6 {
			t.Errorf("provider %d: advances %v + settlement %v = %v, want points %v × %v − OOP %v = %v",
				p, tr.ProvFund[p], paid[p], got, tr.ProvPoints[p], v, tr.ProvOOP[p], final-tr.ProvOOP[p])
		}
	}
	fund := 0.0
	for p := range 3 {
		fund += tr.ProvFund[p] + paid[p]
	}
	if math.Abs(fund-(tr.FundPaid+sumTransfers)) > 1e-6 {
		t.Errorf("Σ provider fund payments = %v, want the rule's payout %v + %v", fund, tr.FundPaid, sumTransfers)
	}
	if math.Abs(sumFinal-pool) > 1e-6 || math.Abs(fund-(pool-sumOOP)) > 1e-6 {
		t.Errorf("Σ final revenue = %v, fund payout %v; want the budget with its reserve %v and %v − OOP %v",
			sumFinal, fund, pool, pool, sumOOP)
	}
}

// TestReserve: the adjustment reserve, 8% of the budget of 110,000 = 8,800,
// funds the year's overspend, the charges above the budget net of the
// reserve (101,200), up to its whole amount; the rest stays with the fund.
// 460 points.
func TestReserve(t *testing.T) {
	cases := []struct {
		charges, paid, value float64
	}{
		{charges: 90000, paid: 0, value: 220},                // no overspend: 101200 ÷ 460
		{charges: 101200, paid: 0, value: 220},               // exactly the budget net of the reserve
		{charges: 105000, paid: 3800, value: 105000.0 / 460}, // 105000 − 101200 = 3800 of the reserve
		{charges: 110000, paid: 8800, value: 110000.0 / 460}, // the whole reserve
		{charges: 150000, paid: 8800, value: 110000.0 / 460}, // at most the whole reserve
	}
	for _, tc := range cases {
		r := pointRule()
		tot := payment.NewSettlement(2, 1, 1)
		tr := &tot.Rules[0]
		tr.Points, tr.ProvPoints[0], tr.ProvPoints[1], tr.Charges = 460, 160, 300, tc.charges
		var ye payment.YearEnd
		r.YearEnd(0, 0, tot, &ye)
		values := map[string]float64{}
		for _, v := range ye.Values {
			values[v.Name] = v.Value
		}
		if values["reserve"] != 8800 || math.Abs(values["reserve_paid"]-tc.paid) > 1e-9 || math.Abs(r.PointValue()-tc.value) > 1e-9 {
			t.Errorf("YearEnd with charges %v: reserve %v, paid %v, point value %v; want 8800, %v, %v",
				tc.charges, values["reserve"], values["reserve_paid"], r.PointValue(), tc.paid, tc.value)
		}
		paid := 0.0
		for _, x := range ye.Transfers {
			paid += x.Amount
		}
		if want := 101200 + tc.paid; math.Abs(paid-want) > 1e-6 { // no advances, no OOP booked
			t.Errorf("YearEnd with charges %v: transfers %v, want %v", tc.charges, paid, want)
		}
	}
}

func TestMorePointsLowerPointValue(t *testing.T) {
	settled := func(pts float64) float64 {
		r := pointRule()
		tot := payment.NewSettlement(1, 1, 1)
		tot.Rules[0].Points, tot.Rules[0].ProvPoints[0] = pts, pts
		var ye payment.YearEnd
		r.YearEnd(0, 0, tot, &ye)
		return r.PointValue()
	}
	prev := math.Inf(1)
	for _, pts := range []float64{100, 460, 1000, 5000} {
		v := settled(pts)
		if !(v < prev) {
			t.Errorf("settled point value with %v points = %v, want less than %v with fewer points", pts, v, prev)
		}
		prev = v
	}
}

func TestNoPointsNoSettlement(t *testing.T) {
	r := pointRule()
	var ye payment.YearEnd
	r.YearEnd(0, 0, payment.NewSettlement(3, 1, 1), &ye)
	if len(ye.Transfers) != 0 || r.PointValue() != 100 {
		t.Errorf("YearEnd without points: transfers %+v, point value %v; want none, 100", ye.Transfers, r.PointValue())
	}
}

func TestCasePointValue(t *testing.T) {
	r := pointRule()
	c := payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1, PointValue: 50}
	if got := r.Price(&c, false); got.Payment != 4000 || got.Points != 80 { // 80 points × 50
		t.Errorf("Price at a case's point value of 50 = %v (%v points), want 4000 (80 points)", got.Payment, got.Points)
	}
	if r.PointValue() != 100 {
		t.Errorf("PointValue() after pricing at a case's point value = %v, want 100 (unchanged)", r.PointValue())
	}
}

// TestMargin: a stay is paid per case: one more earns its price (1 per yuan
// of an average stay), or its cost (Mild) when a mild case is a low-cost
// case; a day more nothing; coding heavier its weight; a split stay a
// second price, half under the readmission rule. A visit earns its charges.
func TestMargin(t *testing.T) {
	stay := payment.Episode{Service: payment.Inpatient, Charges: 6000, LOS: 7, Mild: 0.3}
	cases := []struct {
		name string
		opts []func(*Params)
		e    payment.Episode
		want payment.Margin
	}{
		{"visit", nil, payment.Episode{Service: payment.Outpatient, Charges: 150, LOS: 1, Mild: 0.3}, payment.Margin{Case: 0.3, Day: 1}},
		{"stay", nil, stay, payment.Margin{Case: 1, Weight: 1, Split: 1}},
		{"long stay", nil, payment.Episode{Service: payment.LongStay, Charges: 4000, LOS: 20, Mild: 0.3}, payment.Margin{Case: 1, Weight: 1, Split: 1}},
		{"mild case below 0.4 × mean", []func(*Params){low}, stay, payment.Margin{Case: 0.3, Weight: 1, Split: 1}},
		{"readmission rule", []func(*Params){readmit}, stay, payment.Margin{Case: 1, Weight: 1, Split: 0.5}},
	}
	for _, c := range cases {
		p := params()
		for _, o := range c.opts {
			o(&p)
		}
		if got := New(p).Margin(c.e); got != c.want {
			t.Errorf("%s: Margin = %+v, want %+v", c.name, got, c.want)
		}
	}
	// A mild case at 0.5, or at exactly 0.4, of the mean is no low-cost
	// case below 0.4.
	p := params()
	low(&p)
	for _, mild := range []float64{0.5, 0.4} {
		if got := New(p).Margin(payment.Episode{Service: payment.Inpatient, Charges: 6000, LOS: 7, Mild: mild}); got.Case != 1 {
			t.Errorf("Margin at Mild %v, low-cost below 0.4: Case %v, want 1", mild, got.Case)
		}
	}
}

// TestSettleCoding: Settle prices each case at its provider's coding
// factor: RW 0.8 coded 1.05 heavier at provider 1 (k_h 1.2) is paid
// 10,000 × 0.84 × 1.2 = 10,080; provider 0 codes as grouped: 8,000.
func TestSettleCoding(t *testing.T) {
	evs := []payment.Event{
		{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
		{Provider: 1, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
	}
	New(params()).Settle([]float64{1, 1.05, 1}, evs, payment.NewSettlement(3, 1, 1))
	if math.Abs(evs[0].Revenue-8000) > 1e-9 || math.Abs(evs[1].Revenue-10080) > 1e-9 {
		t.Errorf("revenues %v, %v; want 8000, 10080", evs[0].Revenue, evs[1].Revenue)
	}
}

// TestRederiveMean: the year's cases give next year's group means — at the
// tier the first year's was taken at, or over every tier for a regional
// mean — and with them the outlier threshold; a stay outside the window is
// not in its group, and a group without cases keeps its mean.
func TestRederiveMean(t *testing.T) {
	tierOf := func(p *Params) { multiple(p); windowFFS(p); p.MeanTier = []int{1, -1, 0, 0} }
	p := params()
	tierOf(&p)
	r := New(p)
	evs := []payment.Event{
		// pneumonia at tier 1 (the mean's tier): 7,000 and 8,000; at tier 0: 1,000, not counted.
		{Group: pneumonia, Tier: 1, LOS: 5, Charges: 7000, Readmit: payment.NoReadmit},
		{Group: pneumonia, Tier: 1, LOS: 5, Charges: 8000, Readmit: payment.NoReadmit},
		{Group: pneumonia, Tier: 0, LOS: 5, Charges: 1000, Readmit: payment.NoReadmit},
		// stroke, a regional mean: 30,000 at tier 0 and 21,000 at tier 1; a
		// 1-day stay of 90,000 is outside the window and not in the group.
		{Group: stroke, Tier: 0, LOS: 10, Charges: 30000, Readmit: payment.NoReadmit},
		{Group: stroke, Tier: 1, LOS: 10, Charges: 21000, Readmit: payment.NoReadmit},
		{Group: stroke, Tier: 1, LOS: 1, Charges: 90000, Readmit: payment.NoReadmit},
	}
	out := payment.NewSettlement(1, 1, 1)
	out.ByGroup(4, 2)
	r.Settle(nil, evs, out)
	var ye payment.YearEnd
	r.YearEnd(0, 0, out, &ye)
	// pneumonia (7,000 + 8,000) ÷ 2 = 7,500; stroke (30,000 + 21,000) ÷ 2 =
	// 25,500; burns and chemo had no case: 40,000 and 8,000.
	if want := []float64{7500, 25500, 40000, 8000}; !slices.Equal(r.mean, want) {
		t.Errorf("next year's means = %v, want %v", r.mean, want)
	}
	if p.Mean[0] != 6000 {
		t.Errorf("Params.Mean changed to %v; YearEnd must not write the scenario's means", p.Mean[0])
	}
	// A pneumonia stay of 20,000 at k_h 1: above H 3 × 6,000 in the first
	// year, below 3 × 7,500 in the second.
	c := payment.Case{Group: pneumonia, LOS: 5, Charges: 20000, Readmit: -1}
	if pr := r.Price(&c, false); pr.Flags&payment.HighOutlier != 0 {
		t.Errorf("20,000 against 3 × the re-derived 7,500: flags %v, want no high outlier", pr.Flags)
	}
	if pr := New(p).Price(&c, false); pr.Flags&payment.HighOutlier == 0 {
		t.Errorf("20,000 against 3 × the first year's 6,000: flags %v, want a high outlier", pr.Flags)
	}
}

// TestRebasedPrices: procurement's re-based factors (Params.Rebased, here
// 0.9 in the first year, 0.8 in the second) scale the base rate given, the
// budget of Rebase, and the budget of the point method.
func TestRebasedPrices(t *testing.T) {
	stays := []payment.Event{
		{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
		{Provider: 0, Group: pneumonia, LOS: 5, Charges: 6000, Readmit: payment.NoReadmit},
	}
	c := payment.Case{Group: pneumonia, LOS: 5, Charges: 6000, Readmit: -1}
	next := func(p Params) *Rule {
		r := New(p)
		out := payment.NewSettlement(3, 1, 1)
		r.Settle(nil, stays, out)
		r.YearEnd(0, 0, out, &payment.YearEnd{})
		return r
	}

	// The base rate given: 10,000 × 0.9 in the first year, × 0.8 in the second.
	p := params()
	low(&p)
	p.Rebased = []float64{0.9, 0.8}
	if got := New(p).Price(&c, false).Payment; math.Abs(got-0.8*9000) > 1e-6 {
		t.Errorf("first year: a pneumonia stay paid %v, want 0.8 × 10,000 × 0.9 = 7,200", got)
	}
	if got := next(p).Price(&c, false).Payment; math.Abs(got-0.8*8000) > 1e-6 {
		t.Errorf("second year: a pneumonia stay paid %v, want 0.8 × 10,000 × 0.8 = 6,400", got)
	}
	entered := New(p) // a rule that begins in the second year (a phase)
	entered.Enter(1)
	if got := entered.Price(&c, false).Payment; math.Abs(got-0.8*8000) > 1e-6 {
		t.Errorf("begun in the second year: a pneumonia stay paid %v, want 0.8 × 10,000 × 0.8 = 6,400", got)
	}

	// Rebase, begun in the second year: the first year's rate grown as the
	// budget grows, 10,000 × 1.05, re-based: × 0.8.
	p = params()
	low(&p)
	p.Rebase, p.Budget, p.Growth, p.Rebased = true, 16800, 0.05, []float64{1, 0.8}
	entered = New(p)
	entered.Enter(1)
	if got := entered.Price(&c, false).Payment; math.Abs(got-0.8*10000*1.05*0.8) > 1e-6 {
		t.Errorf("Rebase, begun in the second year: a pneumonia stay paid %v, want 0.8 × 10,000 × 1.05 × 0.8 = 6,720", got)
	}

	// Rebase: next year's budget 17,640 × 0.8 over the year's weight 1.6.
	p = params()
	low(&p)
	p.Rebase, p.Budget, p.Growth, p.Rebased = true, 16800, 0.05, []float64{1, 0.8}
	if got := next(p).Price(&c, false).Payment; math.Abs(got-0.8*17640*0.8/1.6) > 1e-6 {
		t.Errorf("Rebase: next year's stay paid %v, want 0.8 × 17,640 × 0.8 ÷ 1.6 = 7,056", got)
	}

	// The point method: the first year's budget 110,000 × 0.9 sets the
	// settled point value.
	r := pointRule()
	base := pointRule()
	r.p.Rebased = []float64{0.9}
	var ye, yb payment.YearEnd
	r.YearEnd(0, 0, pointYear(r, stays), &ye)
	base.YearEnd(0, 0, pointYear(base, stays), &yb)
	found := false
	for i, v := range ye.Values {
		if v.Name == "budget" {
			found = true
			if math.Abs(v.Value-0.9*yb.Values[i].Value) > 1e-6 {
				t.Errorf("point method: budget %v, want 0.9 × %v", v.Value, yb.Values[i].Value)
			}
		}
	}
	if !found {
		t.Errorf("point method: no budget reported in %+v", ye.Values)
	}
	if got, want := r.PointValue(), 0.9*base.PointValue(); math.Abs(got-want) > 1e-9 {
		t.Errorf("point method: settled point value %v, want 0.9 × %v (the reserve does not bind)", got, base.PointValue())
	}
}
