package perdiem

import (
	"math"
	"testing"

	"github.com/paysim/paysim/sim/payment"
)

func TestPrice(t *testing.T) {
	r := New(Params{Rate: []float64{400, 300}, DayCap: 60, Threshold: 30, After: 0.8})
	cases := []struct {
		name string
		tier int
		los  int
		want float64
	}{
		{"short stay", 1, 10, 3000},                 // 10 × 300
		{"exactly the threshold", 1, 30, 9000},      // 30 × 300
		{"one day past the threshold", 1, 31, 9240}, // 30 × 300 + 1 × 300 × 0.8
		{"past the threshold", 0, 45, 16800},        // 30 × 400 + 15 × 400 × 0.8 = 12000 + 4800
		{"exactly the cap", 1, 60, 16200},           // 30 × 300 + 30 × 240
		{"beyond the cap", 1, 90, 16200},            // capped at 60 days
		{"same-day stay", 0, 0, 400},                // counts one day
	}
	for _, c := range cases {
		p := r.Price(&payment.Case{Tier: c.tier, LOS: c.los}, true)
		if math.Abs(p.Payment-c.want) > 1e-9 {
			t.Errorf("%s: Price(tier %d, LOS %d) = %v, want %v", c.name, c.tier, c.los, p.Payment, c.want)
		}
		if len(p.Steps) == 0 || p.Steps[len(p.Steps)-1].Amount != p.Payment {
			t.Errorf("%s: explained steps %+v do not end at the payment", c.name, p.Steps)
		}
	}
}

func TestNoCapNoThreshold(t *testing.T) {
	r := New(Params{Rate: []float64{250}})
	if p := r.Price(&payment.Case{LOS: 100}, false); p.Payment != 25000 { // 100 × 250
		t.Errorf("Price(LOS 100) without cap or threshold = %v, want 25000", p.Payment)
	}
}

func TestSettleFundPaysRevenueLessOOP(t *testing.T) {
	r := New(Params{Rate: []float64{300}})
	evs := []payment.Event{{LOS: 10, Charges: 5000, OOP: 1200}, {LOS: 2, Charges: 900, OOP: 700}}
	out := payment.NewSettlement(1, 1, 1)
	r.Settle(nil, evs, out)
	// 3000 − 1200 = 1800; 600 − 700 < 0 → 0, the provider keeping the OOP
	// 700: revenue 3000 + 700 = 3700
	if evs[0].FundPaid != 1800 || evs[1].FundPaid != 0 || out.FundPaid[0] != 1800 || out.Revenue[0] != 3700 {
		t.Errorf("fund %v, %v (total %v), revenue %v; want 1800, 0 (1800), 3700", evs[0].FundPaid, evs[1].FundPaid, out.FundPaid[0], out.Revenue[0])
	}
}

// TestMargin: what the schedule pays at the margin, per yuan of charges,
// with a rate of 300 a day, the full rate for 5 days, half after, at most 10.
func TestMargin(t *testing.T) {
	r := New(Params{Rate: []float64{300}, DayCap: 10, Threshold: 5, After: 0.5})
	cases := []struct {
		name       string
		e          payment.Episode
		case_, day float64
	}{
		// A visit is paid one day: 300 ÷ 100; a day more is not its business.
		{"visit", payment.Episode{Service: payment.Outpatient, Charges: 100, LOS: 1, Mild: 0.5}, 3, 1},
		// Day after 4 days: the full rate, 300 ÷ (2000 ÷ 4); a mild stay of
		// 2 days: 600 ÷ 2000.
		{"short stay", payment.Episode{Service: payment.Inpatient, Charges: 2000, LOS: 4, Mild: 0.5}, 0.3, 0.6},
		// Day after 6 days: half the rate, 150 ÷ (3000 ÷ 6); mild 3 days: 900 ÷ 3000.
		{"past the threshold", payment.Episode{Service: payment.Inpatient, Charges: 3000, LOS: 6, Mild: 0.5}, 0.3, 0.3},
		// Day after exactly 10 days, the cap: nothing; mild 5 days: 1500 ÷ 5000.
		{"at the cap", payment.Episode{Service: payment.Inpatient, Charges: 5000, LOS: 10, Mild: 0.5}, 0.3, 0},
		// Day after exactly 5 days, the threshold: half the rate, 150 ÷ 500.
		{"at the threshold", payment.Episode{Service: payment.Inpatient, Charges: 2500, LOS: 5, Mild: 0.4}, 0.24, 0.3},
		// Day after 12 days: past the cap, nothing; mild 6 days: (5 × 300 +
		// 1 × 150) ÷ 6000 = 0.275.
		{"past the cap", payment.Episode{Service: payment.LongStay, Charges: 6000, LOS: 12, Mild: 0.5}, 0.275, 0},
	}
	for _, c := range cases {
		m := r.Margin(c.e)
		if math.Abs(m.Case-c.case_) > 1e-12 || math.Abs(m.Day-c.day) > 1e-12 || m.DayCap != 10 || m.Weight != 0 || m.Split != 0 || m.Keeps != 0 {
			t.Errorf("%s: Margin = %+v, want Case %v, Day %v, DayCap 10", c.name, m, c.case_, c.day)
		}
	}
}
