package payment

import "testing"

// TestSettlementBlocksApart: every sum of a Settlement has its own memory,
// however many providers, townships and rules.
func TestSettlementBlocksApart(t *testing.T) {
	s := NewSettlement(3, 2, 2)
	s.ByGroup(2, 3)
	all := [][]float64{s.Revenue, s.FundPaid, s.Cost, s.Cases, s.Census}
	for _, r := range s.Rules {
		all = append(all, r.ProvPoints, r.ProvRevenue, r.ProvFund, r.ProvOOP, r.GroupCharges, r.GroupCases)
	}
	for i, x := range all {
		for j := range x {
			x[j] = float64(i + 1)
		}
	}
	for i, x := range all {
		for j := range x {
			if x[j] != float64(i+1) {
				t.Fatalf("sum %d element %d was overwritten by sum %v", i, j, x[j]-1)
			}
		}
	}
}

// TestGroupTally: grouped cases count by group and tier, except a stay
// outside a window and a visit; Add sums the counts and Reset clears them
// and keeps counting.
func TestGroupTally(t *testing.T) {
	s := NewSettlement(1, 1, 1)
	s.ByGroup(2, 3)
	book := func(group uint16, tier uint8, charges float64, flags uint16) {
		ev := Event{Group: group, Tier: tier, Charges: charges}
		s.BookAdvance(&ev, &Price{Flags: flags}, 0, 0)
	}
	book(1, 2, 900, 0)
	book(1, 2, 300, HighOutlier)
	book(1, 0, 100, 0)
	book(1, 1, 5000, OutsideWindow)
	book(NoGroup, 1, 50, 0)
	o := NewSettlement(1, 1, 1)
	o.ByGroup(2, 3)
	o.Add(s)
	o.Add(s)
	tr := &o.Rules[0]
	if m, ok := tr.GroupMean(1, 2); !ok || m != 600 {
		t.Errorf("group 1 at tier 2: mean %v (%v), want 600", m, ok)
	}
	if m, ok := tr.GroupMean(1, -1); !ok || m != (2*1300.0)/6 {
		t.Errorf("group 1 over the tiers: mean %v (%v), want %v", m, ok, 2*1300.0/6)
	}
	if _, ok := tr.GroupMean(1, 1); ok {
		t.Errorf("group 1 at tier 1 has only a stay outside the window; want no mean")
	}
	if _, ok := tr.GroupMean(0, -1); ok {
		t.Errorf("group 0 had no case; want no mean")
	}
	o.Reset()
	if _, ok := tr.GroupMean(1, -1); ok {
		t.Errorf("after Reset group 1 still has a mean")
	}
	o.Add(s)
	if m, ok := tr.GroupMean(1, 2); !ok || m != 600 {
		t.Errorf("after Reset and Add: mean %v (%v), want 600", m, ok)
	}
}
