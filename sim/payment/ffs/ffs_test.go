package ffs

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paysim/paysim/sim/payment"
)

func TestSettle(t *testing.T) {
	evs := []payment.Event{
		{Provider: 0, Charges: 1000, OOP: 300},
		{Provider: 1, Charges: 200, OOP: 200},
		{Provider: 1, Charges: 5000, OOP: 1400},
	}
	out := payment.NewSettlement(2, 1, 1)
	Rule{}.Settle(nil, evs, out)
	wantFund := []float64{700, 0, 3600} // charges − OOP, which under FFS is the covered part
	for i, ev := range evs {
		if ev.Revenue != ev.Charges || ev.FundPaid != wantFund[i] {
			t.Errorf("event %d: revenue %v, fund %v; want %v, %v", i, ev.Revenue, ev.FundPaid, ev.Charges, wantFund[i])
		}
	}
	if out.Revenue[0] != 1000 || out.Revenue[1] != 5200 { // 200 + 5000
		t.Errorf("revenue = %v, want [1000 5200]", out.Revenue)
	}
	if out.FundPaid[0] != 700 || out.FundPaid[1] != 3600 {
		t.Errorf("fund paid = %v, want [700 3600]", out.FundPaid)
	}
	if r := out.Rules[0]; r.Cases != 3 || r.Revenue != 6200 || r.FundPaid != 4300 {
		t.Errorf("rule tally = %+v, want 3 cases, revenue 6200, fund 4300", r)
	}
}

func TestBookFloorsFundAtZero(t *testing.T) {
	// A rule paying less than the patient's share: the fund pays nothing and
	// the provider keeps the OOP (MODEL §5).
	out := payment.NewSettlement(1, 1, 1)
	ev := payment.Event{Charges: 1000, OOP: 400}
	out.Book(&ev, &payment.Price{Payment: 300})
	if ev.FundPaid != 0 || ev.Revenue != 400 { // the patient's 400, all the provider gets
		t.Errorf("Book(R=300, OOP=400): fund %v revenue %v, want 0, 400", ev.FundPaid, ev.Revenue)
	}
}

// TestMargin: a mild episode earns its charges, Mild of the average's; a
// day more its charges.
func TestMargin(t *testing.T) {
	m := Rule{}.Margin(payment.Episode{Service: payment.Inpatient, Charges: 3000, LOS: 6, Mild: 0.5, OOP: 0.4})
	if m != (payment.Margin{Case: 0.5, Day: 1}) {
		t.Errorf("Margin = %+v, want Case 0.5, Day 1", m)
	}
}

// SettleVisits books a provider's visits summed as Settle books each: three
// visits of ¥100, ¥60 and ¥40 (patients paying 30, 60 and 40) earn ¥200, of
// which the fund pays 70 + 0 + 0 = ¥70, the patients ¥130.
func TestSettleVisitsAsEach(t *testing.T) {
	evs := []payment.Event{{Provider: 1, Charges: 100, OOP: 30, Cost: 80}, {Provider: 1, Charges: 60, OOP: 60, Cost: 48}, {Provider: 1, Charges: 40, OOP: 40, Cost: 32}}
	each := payment.NewSettlement(2, 1, 1)
	Rule{}.Settle(nil, evs, each)
	v := payment.Visits{Provider: 1, N: 3, Charges: 200, OOP: 130, Cost: 160}
	summed := payment.NewSettlement(2, 1, 1)
	Rule{}.SettleVisits(&v, summed)
	assert.Equal(t, each, summed)
	assert.Equal(t, []float64{0, 200}, summed.Revenue)
	assert.Equal(t, []float64{0, 70}, summed.FundPaid)
	assert.Equal(t, []float64{0, 3}, summed.Cases)
	assert.Equal(t, []float64{0, 130}, summed.Rules[0].ProvOOP)
}
