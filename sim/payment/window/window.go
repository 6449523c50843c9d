// Package window is the length-of-stay window of a case-based rule (DRG,
// DIP): stays shorter or longer than it are priced by a fallback rule
// (Qingyang 2025: stays of 2 days or less and of 60 days or more are
// outside DRG).
package window

import (
	"fmt"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/scenario"
)

// Window routes the stays of fewer than Min days, or of more than Max days
// when Max > 0, to its fallback rule.
type Window struct {
	Min, Max int
	fallback payment.Pricer
}

// New returns the window [min, max] (max 0: no upper bound) with its
// fallback rule.
func New(min, max int, fallback payment.Pricer) *Window {
	return &Window{Min: min, Max: max, fallback: fallback}
}

// Build returns the window of a scenario's window block, or nil for none.
func Build(c *model.Care, w *scenario.Window) *Window {
	if w == nil {
		return nil
	}
	var fb payment.Pricer = ffs.Rule{}
	if w.Fallback == scenario.MethodPerDiem {
		fb = perdiem.New(perdiem.ParamsOf(c, w.PerDiem))
	}
	return New(w.MinLOS, w.MaxLOS, fb)
}

// Outside reports whether a stay of los days is outside w; a nil window has
// no outside.
func (w *Window) Outside(los int) bool {
	return w != nil && (los < w.Min || (w.Max > 0 && los > w.Max))
}

// String describes w for explanations.
func (w *Window) String() string {
	if w.Max > 0 {
		return fmt.Sprintf("[%d, %d] days", w.Min, w.Max)
	}
	return fmt.Sprintf("at least %d days", w.Min)
}

// Price prices a case outside the window by the fallback rule. The rules
// the scenario format offers are called directly, so that c does not
// escape through the interface and the cases of a run are not allocated.
func (w *Window) Price(c *payment.Case, explain bool) payment.Price {
	switch f := w.fallback.(type) {
	case ffs.Rule:
		return f.Price(c, explain)
	case *perdiem.Rule:
		return f.Price(c, explain)
	}
	cc := *c // another Pricer: a copy escapes, c does not
	return w.fallback.Price(&cc, explain)
}
