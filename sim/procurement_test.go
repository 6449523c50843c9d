package sim

import (
	"fmt"
	"testing"

	"github.com/paysim/paysim/sim/report"
)

// TestProcurementMargin: a procurement cut of 30% × 50% of inpatient
// charges from 2026. Fee-for-service passes it to the fund at once. A DRG
// price set before the cut leaves it with the hospitals: the fund pays
// about what it paid, the county hospital's margin grows. Re-based from
// 2027, the DRG prices follow the cut cost that year: the fund saves and
// the margin returns, while 2026 is the run's without re-basing.
func TestProcurementMargin(t *testing.T) {
	const cut = "trends.shocks=[{name: vbp, year: 2026, services: [inpatient], share: 0.3, cut: 0.5%s}]"
	payout := func(s *report.Summary, y int) float64 { return s.Yearly[y].Fund.Payout }
	margin := func(s *report.Summary, y int) float64 { return tier(t, &s.Yearly[y], "county").Margin }

	ffs, ffsCut := runResponses(t, "county-ffs.yaml"), runResponses(t, "county-ffs.yaml", fmt.Sprintf(cut, ""))
	if d := payout(ffsCut, 1)/payout(ffs, 1) - 1; d > -0.05 {
		t.Errorf("fee-for-service: the cut changes 2026's payout by %+.1f%%; want a fall of more than 5%%", 100*d)
	}
	if margin(ffsCut, 1) >= margin(ffs, 1) {
		t.Errorf("fee-for-service: the county hospital's margin %v with the cut, %v without; want it lower (charges and cost fall together)", margin(ffsCut, 1), margin(ffs, 1))
	}

	drg := runResponses(t, "county-drg.yaml")
	kept := runResponses(t, "county-drg.yaml", fmt.Sprintf(cut, ""))
	rebased := runResponses(t, "county-drg.yaml", fmt.Sprintf(cut, ", rebased_from: 2027"))
	if d := payout(kept, 1)/payout(drg, 1) - 1; d < -0.05 {
		t.Errorf("DRG, not re-based: the cut changes 2026's payout by %+.1f%%; want less than 5%% (the price is set)", 100*d)
	}
	if margin(kept, 1) < margin(drg, 1)+0.5e6 {
		t.Errorf("DRG, not re-based: the county hospital's 2026 margin %v with the cut, %v without; want it higher by at least ¥0.5 m", margin(kept, 1), margin(drg, 1))
	}
	if payout(rebased, 1) != payout(kept, 1) || margin(rebased, 1) != margin(kept, 1) {
		t.Errorf("DRG re-based from 2027: 2026 differs from the run never re-based")
	}
	if d := payout(rebased, 2)/payout(kept, 2) - 1; d > -0.05 {
		t.Errorf("DRG re-based from 2027: 2027's payout %+.1f%% of the run never re-based; want a fall of more than 5%%", 100*d)
	}
	if margin(rebased, 2) >= margin(kept, 2) {
		t.Errorf("DRG re-based from 2027: the county hospital's 2027 margin %v, %v never re-based; want it lower", margin(rebased, 2), margin(kept, 2))
	}
}
