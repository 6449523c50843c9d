// Package capitation pays providers per enrollee of their catchment (按人头付费),
// whatever care they give: each case earns the provider only the patient's
// share, and at the year's end the fund (or, inside a consortium, its
// budget) pays rate × the person-years of the townships the provider serves.
package capitation

import (
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Params are a capitation rule's parameters.
type Params struct {
	Rate          []float64 // by provider: yuan per enrollee-year of its catchment
	Catchment     [][]int   // by provider: the townships it serves
	CyclesPerYear int
}

// Rule is the capitation rule of Params.
type Rule struct{ p Params }

var (
	_ payment.Rule      = (*Rule)(nil)
	_ payment.Pricer    = (*Rule)(nil)
	_ payment.YearEnder = (*Rule)(nil)
	_ payment.Linear    = (*Rule)(nil)
)

// New returns the rule of p.
func New(p Params) *Rule { return &Rule{p: p} }

// Build returns the rule of capitation binding b: each provider it pays
// gets its tier's rate per person-year of the townships it serves.
func Build(c *model.Care, b int) payment.Rule {
	byTier := c.TierRates(c.S.Payment[b].Capitation.Rates)
	p := Params{Rate: make([]float64, c.NProv), Catchment: make([][]int, c.NProv), CyclesPerYear: c.CyclesPerYear}
	for prov := 0; prov < c.NProv; prov++ {
		if !c.Bound(prov, b) {
			continue
		}
		t := int(c.ProvTier[prov])
		p.Rate[prov] = byTier[t]
		for town := 0; town < c.NTown; town++ {
			if int(c.ProvOf[t*c.NTown+town]) == prov {
				p.Catchment[prov] = append(p.Catchment[prov], town)
			}
		}
	}
	return New(p)
}

// Price prices a case under capitation: the per-capita payment covers it, so
// the provider's revenue for the case is the patient's share alone and the
// fund pays nothing for it.
func (r *Rule) Price(c *payment.Case, explain bool) payment.Price {
	p := payment.Price{Rule: string(scenario.MethodCapitation), Payment: c.OOP}
	if explain {
		p.Steps = []payment.Step{}
		p.Explain("per-capita payment", 0, "the case is covered by the provider's payment of %.2f per enrollee-year of its catchment", r.p.Rate[c.Provider])
		p.Explain("patient's share", c.OOP, "the provider keeps what the patient pays under the benefit design")
	}
	return p
}

// Settle books every case at the patient's share (the fund pays nothing per case).
func (r *Rule) Settle(_ []float64, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		out.BookPaid(&evs[i], evs[i].OOP)
	}
}

// SettleVisits books visits v at the patients' share, as Settle books each.
func (r *Rule) SettleVisits(v *payment.Visits, out *payment.Settlement) {
	out.BookVisits(v, v.OOP, 0)
}

// Margin: one more episode or day earns only what the patient pays, and the
// provider keeps every yuan its catchment's care does not cost.
func (r *Rule) Margin(e payment.Episode) payment.Margin {
	return payment.Margin{Case: e.OOP * e.Mild, Day: e.OOP, Keeps: 1}
}

// YearEnd pays each provider rate × the person-years lived in its catchment
// in the year.
func (r *Rule) YearEnd(_, binding int, tot *payment.Settlement, out *payment.YearEnd) {
	var total, years float64
	for prov, rate := range r.p.Rate {
		if rate == 0 {
			continue
		}
		cycles := 0.0
		for _, town := range r.p.Catchment[prov] {
			cycles += tot.Census[town]
		}
		py := cycles / float64(r.p.CyclesPerYear)
		out.Pay(binding, prov, rate*py, "capitation")
		total += rate * py
		years += py
	}
	out.Report(binding, "capitation", total)
	out.Report(binding, "person_years", years)
}
