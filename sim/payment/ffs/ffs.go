// Package ffs is fee-for-service: the provider earns its itemised charges.
package ffs

import "github.com/paysim/paysim/sim/payment"

// Rule pays every event its charges.
type Rule struct{}

// Settle books revenue = charges for every event.
func (Rule) Settle(_ int, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		out.Book(&evs[i], evs[i].Charges)
	}
}
