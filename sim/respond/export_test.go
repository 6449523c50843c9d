package respond

import "github.com/paysim/paysim/sim/payment"

// Drift is the coding the providers code at, before the audit.
func (r *Plan) Drift() *payment.Coding { return r.drift }
