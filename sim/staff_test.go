package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paysim/paysim/sim/report"
)

// staffPay sets county-global-budget's staff share and the weights of its
// indicators (docs/mechanisms.md §1).
func staffPay(share, managed, control float64) []string {
	b := "consortia.county-medical-community.budget."
	return []string{fmt.Sprintf("%sstaff_share=%g", b, share),
		fmt.Sprintf("%sindicators={managed: %g, control: %g}", b, managed, control)}
}

// hypertension is the last year's figures of hypertension.
func hypertension(sum *report.Summary) report.ConditionYear {
	return sum.Yearly[len(sum.Yearly)-1].Health.Conditions["hypertension"]
}

// TestStaffPayOffIsIdentical: a staff share of 0, its indicators given,
// gives the very figures of a budget without them.
func TestStaffPayOffIsIdentical(t *testing.T) {
	const scen = "county-global-budget.yaml"
	without := runResponses(t, scen, "responses.enabled=true")
	zero := runResponses(t, scen, append([]string{"responses.enabled=true"}, staffPay(0, 0.3, 0.7)...)...)
	sameFigures(t, without, zero, "staff_share 0")
}

// TestStaffPayRaisesEffort: in county-global-budget with responses at their
// defaults, primary care's effort is effort 0.5 × α 1 = 0.5. A staff share
// s = 0.3 of the retained surplus is the staff's, not the provider's: the
// provider's own effort falls to 0.5 × (1 − 0.3) = 0.35, and the pay adds
// staff × s × α × the indicator's weight to each lever. At the default
// staff responsiveness (1), pay tied evenly adds 0.15 to each lever: 0.5,
// the money moved, not multiplied. Staff who answer personal pay twice as
// strongly (staff 2) raise both levers to 0.65, and the managed share and
// control rate rise. Tied to control alone (staff 2), effort on control is
// 0.35 + 0.6 = 0.95 and on finding patients 0.35: the control rate moves
// more than the managed share, and more than under pay tied to management.
func TestStaffPayRaisesEffort(t *testing.T) {
	const scen = "county-global-budget.yaml"
	on := []string{"responses.enabled=true"}
	strong := append(on, "responses.prevention.staff=2")
	none := runResponses(t, scen, append(on, staffPay(0, 0.5, 0.5)...)...)
	moved := runResponses(t, scen, append(on, staffPay(0.3, 0.5, 0.5)...)...)
	even := runResponses(t, scen, append(strong, staffPay(0.3, 0.5, 0.5)...)...)
	toControl := runResponses(t, scen, append(strong, staffPay(0.3, 0, 1)...)...)
	toManaged := runResponses(t, scen, append(strong, staffPay(0.3, 1, 0)...)...)

	h0, hv, he, hc, hm := hypertension(none), hypertension(moved), hypertension(even), hypertension(toControl), hypertension(toManaged)
	assert.InDelta(t, 0.5, h0.Effort, 1e-12, "effort without staff pay")
	assert.InDelta(t, 0.5, hv.Effort, 1e-12, "effort on finding patients, pay tied evenly, staff 1")
	assert.InDelta(t, 0.5, hv.ControlEffort, 1e-12, "effort on control, pay tied evenly, staff 1")
	assert.InDelta(t, 0.65, he.Effort, 1e-12, "effort on finding patients, pay tied evenly, staff 2")
	assert.InDelta(t, 0.65, he.ControlEffort, 1e-12, "effort on control, pay tied evenly, staff 2")
	assert.InDelta(t, 0.35, hc.Effort, 1e-12, "effort on finding patients, pay tied to control")
	assert.InDelta(t, 0.95, hc.ControlEffort, 1e-12, "effort on control, pay tied to control")
	assert.InDelta(t, 0.95, hm.Effort, 1e-12, "effort on finding patients, pay tied to the managed share")
	assert.InDelta(t, 0.35, hm.ControlEffort, 1e-12, "effort on control, pay tied to the managed share")

	assert.Greater(t, he.ManagedShare, h0.ManagedShare, "managed share with staff pay")
	assert.Greater(t, he.ControlRate, h0.ControlRate, "control rate with staff pay")
	// Tied to control: the control rate rises by a larger share than the
	// managed share does, and by more than under pay tied to management.
	dControl := hc.ControlRate/h0.ControlRate - 1
	dManaged := hc.ManagedShare/h0.ManagedShare - 1
	assert.Greater(t, dControl, dManaged, "pay tied to control: control rate %+.2f%%, managed share %+.2f%%", 100*dControl, 100*dManaged)
	assert.Greater(t, hc.ControlRate, hm.ControlRate, "control rate: pay tied to control against pay tied to management")
	assert.Greater(t, hm.ManagedShare, hc.ManagedShare, "managed share: pay tied to management against pay tied to control")
}
