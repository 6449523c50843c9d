// Package ffs is fee-for-service: the provider earns its itemised charges.
package ffs

import (
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Rule pays every case its charges.
type Rule struct{}

var (
	_ payment.Rule   = Rule{}
	_ payment.Pricer = Rule{}
	_ payment.Linear = Rule{}
)

// Build returns the rule of a fee-for-service binding: it has no parameters.
func Build(*model.Care, int) payment.Rule { return Rule{} }

// Price prices a case: revenue = charges.
func (Rule) Price(c *payment.Case, explain bool) payment.Price {
	p := payment.Price{Rule: string(scenario.MethodFFS), Base: c.Charges, Payment: c.Charges}
	if explain {
		p.Steps = []payment.Step{}
		p.Explain("charges", c.Charges, "fee-for-service pays the itemised charges")
	}
	return p
}

// Settle books every event at its charges (what Price says, without
// building a Price for each of the many visits).
func (r Rule) Settle(_ []float64, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		out.BookPaid(&evs[i], evs[i].Charges)
	}
}

// SettleVisits books visits v at their charges, as Settle books each.
func (Rule) SettleVisits(v *payment.Visits, out *payment.Settlement) {
	out.BookVisits(v, v.Charges, v.Charges-v.OOP)
}

// Margin: one more episode or day earns its charges.
func (Rule) Margin(e payment.Episode) payment.Margin { return payment.ItemMargin(e) }
