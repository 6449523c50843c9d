package report

import (
	"math"
	"testing"
)

func TestMerge(t *testing.T) {
	rep := func(payout float64, deaths int64, reserve *float64) *Summary {
		return &Summary{Scenario: "s", Persons: 10, Yearly: []Year{{Year: 2030,
			Fund:   Fund{PayoutPerEnrollee: payout, ReserveMonths: reserve},
			Health: HealthYear{Deaths: deaths, DeathsByCause: map[string]int64{"background": deaths}}}}}
	}
	r := func(x float64) *float64 { return &x }
	sum, err := Merge([]*Summary{rep(1000, 10, r(6)), rep(1100, 12, r(7)), rep(1200, 14, nil)})
	if err != nil {
		t.Fatal(err)
	}
	y := sum.Yearly[0]
	// mean 1100; sd 100; t(0.975, 2) = 4.302653; half-width 4.302653 × 100 ÷ √3 = 248.4138
	if y.Fund.PayoutPerEnrollee != 1100 {
		t.Errorf("mean payout = %v, want 1100", y.Fund.PayoutPerEnrollee)
	}
	lo, hi := sum.Interval.Lo.Yearly[0].Fund.PayoutPerEnrollee, sum.Interval.Hi.Yearly[0].Fund.PayoutPerEnrollee
	if math.Abs(hi-lo-2*248.4138) > 1e-3 || math.Abs((hi+lo)/2-1100) > 1e-9 {
		t.Errorf("interval = [%v, %v], want 1100 ± 248.4138", lo, hi)
	}
	// counts: mean 12, sd 2, half-width 4.3027 × 2 ÷ √3 = 4.97 → [7, 17] rounded
	if y.Health.Deaths != 12 || sum.Interval.Lo.Yearly[0].Health.Deaths != 7 || sum.Interval.Hi.Yearly[0].Health.Deaths != 17 {
		t.Errorf("deaths = %d [%d, %d], want 12 [7, 17]", y.Health.Deaths, sum.Interval.Lo.Yearly[0].Health.Deaths, sum.Interval.Hi.Yearly[0].Health.Deaths)
	}
	if y.Health.DeathsByCause["background"] != 12 {
		t.Errorf("deaths by cause = %v, want background 12", y.Health.DeathsByCause)
	}
	if y.Fund.ReserveMonths != nil {
		t.Errorf("reserve months = %v, want none when a replicate has none", *y.Fund.ReserveMonths)
	}
	if sum.Replicates != 3 {
		t.Errorf("replicates = %d, want 3", sum.Replicates)
	}
	one, _ := Merge([]*Summary{rep(1000, 10, r(6))})
	if one.Interval != nil || one.Yearly[0].Fund.PayoutPerEnrollee != 1000 {
		t.Errorf("one replicate: %+v, want itself and no interval", one.Yearly[0].Fund)
	}
	if _, err := Merge([]*Summary{rep(1, 1, nil), {Scenario: "other", Persons: 10}}); err == nil {
		t.Error("merging replicates of different runs: no error")
	}
}
