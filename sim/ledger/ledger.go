// Package ledger keeps the fund's account (MODEL §6): its income from the
// contribution schedule, its payout and balance, cycle by cycle, and the
// reserve in months of payout (累计结余可支付月数).
package ledger

import (
	"fmt"
	"math"
)

// Ledger is the fund's account.
type Ledger struct {
	Opening float64 // balance at the start of the run [yuan]
	Balance float64 // balance now [yuan]

	// Contribution is the income per enrollee-year [yuan] by year of the
	// run (individual contribution + government subsidy); cyclesPerYear
	// cycles make a year.
	Contribution  []float64
	cyclesPerYear int
	// PremiumShare is the share of income paid to the serious-illness
	// insurer every cycle [0,1).
	PremiumShare float64

	income, payout float64 // totals since the run started
	year           Year    // the year being booked
}

// Year is one year of the account.
type Year struct {
	Opening float64 // balance at the year's start [yuan]
	Income  float64 // contributions booked [yuan]
	Payout  float64 // fund payments [yuan], the premium included
	Premium float64 // of Payout, the serious-illness premium paid to its insurer [yuan]
	Closing float64 // balance at the year's end [yuan]
	Cycles  int     // cycles booked
}

// ReserveMonths is the closing balance ÷ the mean monthly payout of the year;
// +Inf when nothing was paid out.
func (y Year) ReserveMonths() float64 {
	if y.Payout <= 0 {
		return math.Inf(1)
	}
	return y.Closing / (y.Payout / 12)
}

// New opens a ledger with the given balance and contribution schedule.
func New(opening float64, contribution []float64, cyclesPerYear int) *Ledger {
	return &Ledger{Opening: opening, Balance: opening, year: Year{Opening: opening},
		Contribution: contribution, cyclesPerYear: cyclesPerYear}
}

// Contributions is the schedule of a fund whose contribution per enrollee,
// perEnrollee in the first year, grows by growth a year: perEnrollee ×
// (1 + growth)^y in year y of years.
func Contributions(perEnrollee, growth float64, years int) []float64 {
	out := make([]float64, years)
	for y := range out {
		out[y] = perEnrollee * math.Pow(1+growth, float64(y))
	}
	return out
}

// Cycle books one cycle of year (0-based): the contributions of the
// enrollees alive at its start (personCycles of them), payout, and the
// serious-illness premium on the contributions.
func (l *Ledger) Cycle(year int, personCycles int64, payout float64) {
	income := float64(personCycles) * l.Contribution[year] / float64(l.cyclesPerYear)
	premium := income * l.PremiumShare
	l.year.Premium += premium
	l.Post(income, payout+premium)
}

// Post books income and payout.
func (l *Ledger) Post(income, payout float64) {
	l.Balance += income - payout
	l.income += income
	l.payout += payout
	l.year.Income += income
	l.year.Payout += payout
	l.year.Cycles++
}

// CloseYear ends the year being booked and returns it. It checks the fund's
// conservation: the balance moved by exactly income − payout since the start,
// up to rounding.
func (l *Ledger) CloseYear() (Year, error) {
	y := l.year
	y.Closing = l.Balance
	l.year = Year{Opening: l.Balance}
	for _, x := range []float64{l.Balance, y.Income, y.Payout} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return y, fmt.Errorf("conservation: the fund's account holds %v (balance %v, income %v, payout %v); want finite amounts", x, l.Balance, y.Income, y.Payout)
		}
	}
	want := l.Opening + l.income - l.payout
	scale := math.Abs(l.Opening) + math.Abs(l.income) + math.Abs(l.payout) // rounding grows with the money that moved (a clawback year pays out less than nothing)
	if math.Abs(l.Balance-want) > 1e-9*scale+1e-6 {
		return y, fmt.Errorf("conservation: fund balance %.2f ≠ opening %.2f + income %.2f − payout %.2f",
			l.Balance, l.Opening, l.income, l.payout)
	}
	if math.Abs((y.Closing-y.Opening)-(y.Income-y.Payout)) > 1e-9*(math.Abs(y.Opening)+math.Abs(y.Income)+math.Abs(y.Payout))+1e-6 {
		return y, fmt.Errorf("conservation: fund balance moved %.2f in the year, income − payout is %.2f",
			y.Closing-y.Opening, y.Income-y.Payout)
	}
	return y, nil
}

// Close reports whether two money sums agree up to floating-point rounding
// (a relative 1e-9 of the larger, or 1e-6 yuan).
func Close(a, b float64) bool {
	return math.Abs(a-b) <= max(1e-6, 1e-9*max(math.Abs(a), math.Abs(b)))
}
