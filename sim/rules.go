package sim

import (
	"fmt"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/budget"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/scenario"
)

// ruleMaker builds the rule of binding index of m.
type ruleMaker func(m *model.Model, index int) (payment.Rule, error)

// rules is the one table of payment methods: scenario method name → rule.
// A method is added here and in scenario's list of methods.
var rules = map[string]ruleMaker{
	"ffs":      func(*model.Model, int) (payment.Rule, error) { return ffs.Rule{}, nil },
	"per_diem": perDiemRule,
	"drg":      drgRule,
	"dip":      dipRule,
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

// perDiemParams turns a per_diem block into the rule's parameters; every tier
// of a provider bound to it needs a rate.
func perDiemParams(m *model.Model, index int, d *scenario.PerDiem, path string) (perdiem.Params, error) {
	p := perdiem.Params{Rate: make([]float64, m.NTier), DayCap: d.DayCap, Threshold: d.Threshold, After: 1}
	if d.After != nil {
		p.After = *d.After
	}
	has := make([]bool, m.NTier)
	for _, r := range d.Rates {
		for t, name := range m.TierNames {
			if name == r.Tier {
				p.Rate[t], has[t] = r.Rate, true
			}
		}
	}
	for prov, b := range m.Binding {
		pr := prov / int(payment.NService)
		if int(b) == index && !has[m.ProvTier[pr]] {
			return p, bindingError(m, index, path+".rates", "tier %q of provider %q has no per-diem rate; want one in %s.rates",
				m.TierNames[m.ProvTier[pr]], m.ProvNames[pr], path)
		}
	}
	return p, nil
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
	if len(m.S.Consortia) == 0 {
		return nil
	}
	b := m.S.Consortia[0].Budget
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
