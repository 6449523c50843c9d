package sim

import (
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/capitation"
	"github.com/paysim/paysim/sim/payment/dip"
	"github.com/paysim/paysim/sim/payment/drg"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/scenario"
)

// methods is the one table of payment methods: the builder of each method's
// rule, from the care tables and the index of a binding of that method. A
// method is registered here, in scenario.Methods with its parameter block,
// and nowhere else outside its own folder under sim/payment (README,
// "Adding a payment method").
var methods = map[scenario.Method]func(c *model.Care, binding int) payment.Rule{
	scenario.MethodFFS:        ffs.Build,
	scenario.MethodPerDiem:    perdiem.Build,
	scenario.MethodDRG:        drg.Build,
	scenario.MethodDIP:        dip.Build,
	scenario.MethodCapitation: capitation.Build,
}

// rules builds the rule of every payment binding of c, in binding order.
func rules(c *model.Care) []payment.Rule {
	out := make([]payment.Rule, len(c.S.Payment))
	for i := range c.S.Payment {
		build, ok := methods[c.S.Payment[i].Method]
		if !ok {
			panic("sim: method " + string(c.S.Payment[i].Method) + " is in scenario.Methods but not in the table of methods")
		}
		out[i] = build(c, i)
	}
	return out
}
