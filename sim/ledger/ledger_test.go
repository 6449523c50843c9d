package ledger

import (
	"math"
	"testing"
)

func TestYear(t *testing.T) {
	l := New(600, nil, 12)
	for i := 0; i < 12; i++ {
		l.Post(110, 100) // income 1320, payout 1200 a year
	}
	y, err := l.CloseYear()
	if err != nil {
		t.Fatal(err)
	}
	if y.Opening != 600 || y.Income != 1320 || y.Payout != 1200 || y.Closing != 720 {
		t.Errorf("year = %+v, want opening 600, income 1320, payout 1200, closing 720", y)
	}
	// 720 ÷ (1200 / 12) = 7.2 months
	if got := y.ReserveMonths(); math.Abs(got-7.2) > 1e-12 {
		t.Errorf("ReserveMonths() = %v, want 7.2", got)
	}
	l.Post(0, 1000)
	y, err = l.CloseYear()
	if err != nil {
		t.Fatal(err)
	}
	if y.Opening != 720 || y.Closing != -280 {
		t.Errorf("second year = %+v, want opening 720, closing -280", y)
	}
	// -280 ÷ (1000/12) = -3.36
	if got := y.ReserveMonths(); math.Abs(got+3.36) > 1e-12 {
		t.Errorf("ReserveMonths() = %v, want -3.36", got)
	}
}

func TestReserveMonthsNoPayout(t *testing.T) {
	if got := (Year{Closing: 5}).ReserveMonths(); !math.IsInf(got, 1) {
		t.Errorf("ReserveMonths() with no payout = %v, want +Inf", got)
	}
}

func TestCloseYearDetectsBrokenBalance(t *testing.T) {
	l := New(0, nil, 12)
	l.Post(100, 40)
	l.Balance += 1 // money from nowhere
	if _, err := l.CloseYear(); err == nil {
		t.Error("CloseYear after the balance was changed outside Post: no error, want a conservation error")
	}
}

func TestClawbackYear(t *testing.T) {
	// A year whose settlements claw back more than the fund paid out: payout
	// is negative and the balance still moves by income − payout.
	l := New(1000, nil, 12)
	l.Post(200, 500)
	l.Post(0, -900) // year-end clawback
	y, err := l.CloseYear()
	if err != nil {
		t.Fatalf("CloseYear after a clawback: %v", err)
	}
	if y.Payout != -400 || y.Closing != 1600 { // 1000 + 200 − (−400)
		t.Errorf("year = %+v, want payout −400, closing 1600", y)
	}
	if rm := y.ReserveMonths(); !math.IsInf(rm, 1) {
		t.Errorf("ReserveMonths with a negative payout = %v, want +Inf (no months of payout to count)", rm)
	}
}

// TestContributions: the schedule grows by its growth a year, and a cycle
// books the contributions of the enrollees alive at its start.
func TestContributions(t *testing.T) {
	c := Contributions(1100, 0.03, 3)
	want := []float64{1100, 1133, 1166.99} // 1100 × 1.03^y
	for y := range want {
		if math.Abs(c[y]-want[y]) > 1e-9 {
			t.Errorf("Contributions(1100, 0.03, 3)[%d] = %v, want %v", y, c[y], want[y])
		}
	}
	l := New(0, c, 12)
	l.Cycle(1, 12000, 50000) // 12,000 person-months × 1133 ÷ 12 = 1,133,000
	if l.Balance != 1133000-50000 {
		t.Errorf("balance after a cycle of year 1 = %v, want 1,083,000", l.Balance)
	}
}

// TestCloseYearRejectsNaN: a NaN or infinite amount is a conservation
// error, not a balance that compares false and passes.
func TestCloseYearRejectsNaN(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1)} {
		l := New(0, nil, 12)
		l.Post(100, x)
		if _, err := l.CloseYear(); err == nil {
			t.Errorf("CloseYear after a payout of %v: no error", x)
		}
	}
}

// TestPremium: the serious-illness premium is a share of each cycle's
// income, paid out with the cycle's payout and reported on its own.
func TestPremium(t *testing.T) {
	l := New(0, []float64{1200}, 12)
	l.PremiumShare = 0.03
	l.Cycle(0, 1000, 50000) // income 1000 × 1200 ÷ 12 = 100,000; premium 3,000
	y, err := l.CloseYear()
	if err != nil {
		t.Fatal(err)
	}
	if y.Income != 100000 || y.Premium != 3000 || y.Payout != 53000 || y.Closing != 47000 {
		t.Errorf("year = %+v, want income 100,000, premium 3,000 within a payout of 53,000, closing 47,000", y)
	}
}
