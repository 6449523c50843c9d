package sim

import (
	"fmt"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/budget"
	"github.com/paysim/paysim/sim/payment/capitation"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/scenario"
)

// ruleMaker builds the rule of binding index of m.
type ruleMaker func(m *model.Model, index int) (payment.Rule, error)

// rules is the one table of payment methods: scenario method name → rule.
// A method is added here and in scenario's list of methods.
var rules = map[string]ruleMaker{
	"ffs":        func(*model.Model, int) (payment.Rule, error) { return ffs.Rule{}, nil },
	"per_diem":   perDiemRule,
	"capitation": capitationRule,
	"drg":        drgRule,
	"dip":        dipRule,
}

// Rules builds the rule of every payment binding of m, in binding order.
func Rules(m *model.Model) ([]payment.Rule, error) {
	out := make([]payment.Rule, len(m.S.Payment))
	for i := range m.S.Payment {
		b := &m.S.Payment[i]
		mk, ok := rules[b.Method]
		if !ok {
			return nil, &scenario.Error{Pos: m.S.At(fmt.Sprintf("payment[%d].method", i)),
				Msg: fmt.Sprintf("method %q has no rule", b.Method)}
		}
		r, err := mk(m, i)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// bindingError is an error in binding index's parameters at path below it.
func bindingError(m *model.Model, index int, path, format string, args ...any) error {
	return &scenario.Error{Pos: m.S.At(fmt.Sprintf("payment[%d].%s", index, path)), Msg: fmt.Sprintf(format, args...)}
}

// tierRates returns the rates by tier of a rates list, checking that every
// tier of a provider bound to binding index has one.
func tierRates(m *model.Model, binding int, rates []scenario.TierRate, path, what string) ([]float64, error) {
	rate := make([]float64, m.NTier)
	has := make([]bool, m.NTier)
	for _, r := range rates {
		if t := index(m.TierNames, r.Tier); t >= 0 {
			rate[t], has[t] = r.Rate, true
		}
	}
	for prov, b := range m.Binding {
		pr := prov / int(payment.NService)
		if int(b) == binding && !has[m.ProvTier[pr]] {
			return nil, bindingError(m, binding, path+".rates", "tier %q of provider %q has no %s rate; want one in %s.rates",
				m.TierNames[m.ProvTier[pr]], m.ProvNames[pr], what, path)
		}
	}
	return rate, nil
}

// perDiemParams turns a per_diem block into the rule's parameters; every tier
// of a provider bound to it needs a rate.
func perDiemParams(m *model.Model, index int, d *scenario.PerDiem, path string) (perdiem.Params, error) {
	p := perdiem.Params{DayCap: d.DayCap, Threshold: d.Threshold, After: 1}
	if d.After != nil {
		p.After = *d.After
	}
	var err error
	p.Rate, err = tierRates(m, index, d.Rates, path, "per-diem")
	return p, err
}

// capitationRule pays each bound provider its tier's rate per person-year of
// the townships it serves.
func capitationRule(m *model.Model, index int) (payment.Rule, error) {
	byTier, err := tierRates(m, index, m.S.Payment[index].Capitation.Rates, "capitation", "capitation")
	if err != nil {
		return nil, err
	}
	p := capitation.Params{Rate: make([]float64, m.NProv), Catchment: make([][]int, m.NProv), CyclesPerYear: m.CyclesPerYear}
	for prov := 0; prov < m.NProv; prov++ {
		bound := false
		for svc := 0; svc < int(payment.NService); svc++ {
			bound = bound || int(m.Binding[prov*int(payment.NService)+svc]) == index
		}
		if !bound {
			continue
		}
		t := int(m.ProvTier[prov])
		p.Rate[prov] = byTier[t]
		for town := 0; town < m.NTown; town++ {
			if int(m.ProvOf[t*m.NTown+town]) == prov {
				p.Catchment[prov] = append(p.Catchment[prov], town)
			}
		}
	}
	return capitation.New(p), nil
}

func perDiemRule(m *model.Model, index int) (payment.Rule, error) {
	p, err := perDiemParams(m, index, m.S.Payment[index].PerDiem, "per_diem")
	if err != nil {
		return nil, err
	}
	return perdiem.New(p), nil
}

// globalBudget is the budget of the scenario's consortium, or nil.
func globalBudget(m *model.Model) *budget.Budget {
	c := m.S.Budgeted()
	if c == nil {
		return nil
	}
	b := c.Budget
	p := budget.Params{PerCapita: b.PerCapita, Growth: b.Growth, RiskReserve: b.RiskReserve, Premium: b.Premium,
		PublicHealth: b.PublicHealth, Advance: 1, Alpha: b.SurplusShare, Beta: b.OverspendShare, Cap: b.OverspendCap,
		TierShare: make([]float64, m.NTier)}
	if b.Advance != nil {
		p.Advance = *b.Advance
	}
	for _, sh := range b.TierShares {
		if t := index(m.TierNames, sh.Name); t >= 0 {
			p.TierShare[t] = sh.Value
		}
	}
	return budget.New(p)
}
