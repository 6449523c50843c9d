package capitation

import (
	"math"
	"reflect"
	"testing"

	"github.com/paysim/paysim/sim/payment"
)

func TestCapitation(t *testing.T) {
	// Two village clinics (townships 0 and 1) at ¥60, one township centre
	// serving both at ¥120; monthly cycles.
	r := New(Params{Rate: []float64{60, 60, 120}, Catchment: [][]int{{0}, {1}, {0, 1}}, CyclesPerYear: 12})
	evs := []payment.Event{{Provider: 0, Charges: 50, OOP: 25}, {Provider: 2, Charges: 100, OOP: 50}}
	out := payment.NewSettlement(3, 2, 1)
	r.Settle(nil, evs, out)
	// Each case earns only the patient's share; the fund pays nothing.
	if evs[0].Revenue != 25 || evs[0].FundPaid != 0 || evs[1].Revenue != 50 || out.FundPaid[2] != 0 {
		t.Errorf("cases booked %+v %+v; want revenue = OOP, fund 0", evs[0], evs[1])
	}
	// A year: 1,200 persons in township 0 for 12 months, 600 in township 1 for
	// 6 months: 14,400 and 3,600 person-months = 1,200 and 300 person-years.
	out.Census[0], out.Census[1] = 14400, 3600
	var ye payment.YearEnd
	r.YearEnd(0, 0, out, &ye)
	want := []float64{72000, 18000, 180000} // 60 × 1200, 60 × 300, 120 × 1500
	for i, tr := range ye.Transfers {
		if math.Abs(tr.Amount-want[i]) > 1e-9 || tr.Revenue != tr.Amount {
			t.Errorf("transfer %d = %+v, want %v", i, tr, want[i])
		}
	}
	p := r.Price(&payment.Case{Provider: 2, OOP: 40}, true)
	if p.Payment != 40 || len(p.Steps) != 2 {
		t.Errorf("Price = %+v, want the patient's share 40 with 2 steps", p)
	}
}

// TestMargin: one more mild episode (half the average) earns only the
// patient's share of it, 0.4 × 0.5; a day more 0.4; the provider keeps
// whatever its catchment's care does not cost.
func TestMargin(t *testing.T) {
	m := New(Params{}).Margin(payment.Episode{Service: payment.Inpatient, Charges: 3000, LOS: 6, Mild: 0.5, OOP: 0.4})
	if want := (payment.Margin{Case: 0.2, Day: 0.4, Keeps: 1}); math.Abs(m.Case-want.Case) > 1e-12 || m.Day != want.Day ||
		m.Keeps != 1 || m.Weight != 0 || m.Split != 0 || m.DayCap != 0 {
		t.Errorf("Margin = %+v, want %+v", m, want)
	}
}

// SettleVisits books a provider's visits summed as Settle books each: the
// patients' ¥25 and ¥15 are the provider's revenue, the fund pays nothing.
func TestSettleVisitsAsEach(t *testing.T) {
	r := New(Params{Rate: []float64{60}, Catchment: [][]int{{0}}, CyclesPerYear: 12})
	evs := []payment.Event{{Charges: 50, OOP: 25, Cost: 40}, {Charges: 30, OOP: 15, Cost: 24}}
	each := payment.NewSettlement(1, 1, 1)
	r.Settle(nil, evs, each)
	v := payment.Visits{N: 2, Charges: 80, OOP: 40, Cost: 64}
	summed := payment.NewSettlement(1, 1, 1)
	r.SettleVisits(&v, summed)
	if !reflect.DeepEqual(each, summed) {
		t.Errorf("visits summed booked %+v, each %+v", summed, each)
	}
	if summed.Revenue[0] != 40 || summed.FundPaid[0] != 0 || summed.Cases[0] != 2 || summed.Rules[0].Cases != 2 {
		t.Errorf("visits summed booked revenue %v, fund %v, cases %v (rule %v); want 40, 0, 2", summed.Revenue, summed.FundPaid, summed.Cases, summed.Rules[0].Cases)
	}
}
