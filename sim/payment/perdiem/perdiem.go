// Package perdiem is payment by bed-day (按床日): a rate per day of stay,
// with an optional cap on the days paid and a lower rate after a threshold.
package perdiem

import (
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Params are a per-diem rule's parameters.
type Params struct {
	Rate      []float64 // rate per bed-day [yuan], by tier
	DayCap    int       // most days paid per stay; 0: no cap
	Threshold int       // days paid at the full rate; 0: the rate never declines
	After     float64   // share of the rate paid for days beyond Threshold
}

// Rule pays each stay rate × days.
type Rule struct{ p Params }

var (
	_ payment.Rule   = (*Rule)(nil)
	_ payment.Pricer = (*Rule)(nil)
)

// New returns the rule of p.
func New(p Params) *Rule { return &Rule{p: p} }

// Build returns the rule of per-diem binding b.
func Build(c *model.Care, b int) payment.Rule {
	return New(ParamsOf(c, c.S.Payment[b].PerDiem))
}

// ParamsOf turns a per_diem block into a rule's parameters; a tier without
// a rate has rate 0 (validation requires one for every tier a binding
// pays).
func ParamsOf(c *model.Care, d *scenario.PerDiem) Params {
	p := Params{Rate: c.TierRates(d.Rates), DayCap: d.DayCap, Threshold: d.Threshold, After: 1}
	if d.After != nil {
		p.After = *d.After
	}
	return p
}

// split splits a stay of days days (whole for a case, an average for a
// margin; a visit or a same-day stay counts 1) into the days paid at the
// full rate and the days paid at After × the rate, no more than DayCap in
// all.
func (r *Rule) split(days float64) (full, rest float64) {
	days = max(days, 1)
	if r.p.DayCap > 0 {
		days = min(days, float64(r.p.DayCap))
	}
	full = days
	if r.p.Threshold > 0 {
		full = min(days, float64(r.p.Threshold))
	}
	return full, days - full
}

// Price prices a stay: days = LOS (a visit counts one day), capped at
// DayCap; the first Threshold days at the tier's rate, the rest at After ×
// rate.
func (r *Rule) Price(c *payment.Case, explain bool) payment.Price {
	p := payment.Price{Rule: string(scenario.MethodPerDiem)}
	rate := r.p.Rate[c.Tier]
	full, rest := r.split(float64(c.LOS))
	if explain {
		p.Steps = []payment.Step{}
		p.Explain("days", float64(max(c.LOS, 1)), "length of stay %d days (a visit or a same-day stay counts 1)", c.LOS)
		if r.p.DayCap > 0 && max(c.LOS, 1) > r.p.DayCap {
			p.Explain("day cap", float64(r.p.DayCap), "at most %d days are paid", r.p.DayCap)
		}
	}
	p.Base = rate * full
	if explain {
		p.Explain("full-rate days", p.Base, "%d days × %.2f", int(full), rate)
	}
	p.Payment = p.Base
	if rest > 0 {
		later := rate * r.p.After * rest
		p.Payment += later
		if explain {
			p.Explain("days after the threshold", later, "%d days × %.2f × %.2f", int(rest), rate, r.p.After)
		}
	}
	if explain {
		p.Explain("payment", p.Payment, "provider revenue")
	}
	return p
}

// Settle books every event at its per-diem price.
func (r *Rule) Settle(_ []float64, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		c := payment.CaseOf(&evs[i])
		p := r.Price(&c, false)
		out.Book(&evs[i], &p)
	}
}

// Margin is what the schedule pays at the margin of e: a visit is paid one
// day; a mild stay of Mild × LOS days is paid by the schedule, and the day
// after an average stay the rate, or After × the rate beyond the threshold,
// or nothing beyond the cap, per yuan of a day's charges.
func (r *Rule) Margin(e payment.Episode) payment.Margin {
	rate := r.p.Rate[e.Tier]
	m := payment.Margin{Day: 1, DayCap: float64(r.p.DayCap)}
	if e.Service == payment.Outpatient {
		m.Case = r.pay(rate, 1) / e.Charges
		return m
	}
	day := rate
	switch {
	case r.p.DayCap > 0 && e.LOS >= float64(r.p.DayCap):
		day = 0
	case r.p.Threshold > 0 && e.LOS >= float64(r.p.Threshold):
		day = rate * r.p.After
	}
	m.Day = day / (e.Charges / e.LOS)
	m.Case = r.pay(rate, e.Mild*e.LOS) / e.Charges
	return m
}

// pay is what the rule pays at rate for a stay of days days, as Price
// prices it.
func (r *Rule) pay(rate, days float64) float64 {
	full, rest := r.split(days)
	return rate*full + rate*r.p.After*rest
}
