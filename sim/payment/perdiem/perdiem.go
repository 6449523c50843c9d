// Package perdiem is payment by bed-day (按床日): a rate per day of stay,
// with an optional cap on the days paid and a lower rate after a threshold.
package perdiem

import "github.com/paysim/paysim/sim/payment"

// Params are a per-diem rule's parameters.
type Params struct {
	Rate      []float64 // rate per bed-day [yuan], by tier
	DayCap    int       // most days paid per stay; 0: no cap
	Threshold int       // days paid at the full rate; 0: the rate never declines
	After     float64   // share of the rate paid for days beyond Threshold
}

// Rule pays each stay rate × days.
type Rule struct{ p Params }

// New returns the rule of p.
func New(p Params) *Rule { return &Rule{p: p} }

// Price prices a stay: days = LOS (a visit counts one day), capped at
// DayCap; the first Threshold days at the tier's rate, the rest at After ×
// rate.
func (r *Rule) Price(c *payment.Case, explain bool) payment.Price {
	p := payment.Price{Rule: "per_diem"}
	if explain {
		p.Steps = []payment.Step{}
	}
	rate := r.p.Rate[c.Tier]
	days := max(c.LOS, 1)
	if explain {
		p.Explain("days", float64(days), "length of stay %d days (a visit or a same-day stay counts 1)", c.LOS)
	}
	if r.p.DayCap > 0 && days > r.p.DayCap {
		days = r.p.DayCap
		if explain {
			p.Explain("day cap", float64(days), "at most %d days are paid", r.p.DayCap)
		}
	}
	full, rest := days, 0
	if r.p.Threshold > 0 && days > r.p.Threshold {
		full, rest = r.p.Threshold, days-r.p.Threshold
	}
	p.Base = rate * float64(full)
	if explain {
		p.Explain("full-rate days", p.Base, "%d days × %.2f", full, rate)
	}
	p.Payment = p.Base
	if rest > 0 {
		later := rate * r.p.After * float64(rest)
		p.Payment += later
		if explain {
			p.Explain("days after the threshold", later, "%d days × %.2f × %.2f", rest, rate, r.p.After)
		}
	}
	if explain {
		p.Explain("payment", p.Payment, "provider revenue")
	}
	return p
}

// Settle books every event at its per-diem price.
func (r *Rule) Settle(_ int, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		c := payment.CaseOf(&evs[i])
		p := r.Price(&c, false)
		out.Book(&evs[i], &p)
	}
}
