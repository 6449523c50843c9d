package payment

import "testing"

// TestSettlementBlocksApart: every sum of a Settlement has its own memory,
// however many providers, townships and rules.
func TestSettlementBlocksApart(t *testing.T) {
	s := NewSettlement(3, 2, 2)
	all := [][]float64{s.Revenue, s.FundPaid, s.Cost, s.Cases, s.Census}
	for _, r := range s.Rules {
		all = append(all, r.ProvPoints, r.ProvRevenue, r.ProvFund, r.ProvOOP)
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
