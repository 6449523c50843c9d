package sim

import (
	"fmt"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// PriceRequest is one case to price the way the simulation prices it.
type PriceRequest struct {
	Group       string  // inpatient group; empty prices an outpatient visit
	Tier        string  // tier of the provider
	Provider    string  // optional: the provider (default: the tier's first)
	Service     string  // optional: outpatient, inpatient or long_stay (default: inpatient with a group)
	LOS         int     // length of stay [days]
	Charges     float64 // itemised charges [the scenario's currency]
	Transfer    bool    // discharged to a post-acute stay
	ReadmitDays int     // days since the discharge of a stay in the same group at the same provider; < 0: none
	PrevRevenue float64 // that stay's revenue [the scenario's currency]
	PointValue  float64 // price at this point value (point methods); 0: the rule's own
}

// Quote is a priced case: what paysim price prints.
type Quote struct {
	Rule       string         `json:"rule"`
	Binding    string         `json:"binding"`
	Provider   string         `json:"provider"`
	Tier       string         `json:"tier"`
	Group      string         `json:"group,omitempty"`
	Service    string         `json:"service"`
	LOS        int            `json:"los"`
	Currency   string         `json:"currency"` // ISO 4217 code of the amounts
	Charges    float64        `json:"charges"`
	Base       float64        `json:"base_payment"`
	Outlier    float64        `json:"outlier_payment"`
	Steps      []payment.Step `json:"adjustments"`
	Payment    float64        `json:"payment"`
	Points     float64        `json:"points,omitempty"`
	PatientOOP float64        `json:"patient_oop"`
	FundPays   float64        `json:"fund_pays"`
	Revenue    float64        `json:"provider_revenue"` // max(payment, patient_oop): the provider keeps the patient's share
	// Provisional is set for point methods: the payment is at a point value
	// that the year-end settlement replaces; the fund advances a share of it.
	Provisional bool `json:"provisional,omitempty"`
}

// Price prices one case of scenario s by the rule bound to its provider and
// service, with every step of the formula. It calls the same Price method
// the simulation's Settle calls.
func Price(s *scenario.Scenario, req PriceRequest) (*Quote, error) {
	w, err := Compile(s)
	if err != nil {
		return nil, err
	}
	m, rs := w.Model, w.Rules
	tier := index(m.TierNames, req.Tier)
	if tier < 0 {
		return nil, fmt.Errorf("tier %q is not in the scenario; want one of %v", req.Tier, m.TierNames)
	}
	prov := -1
	for p, name := range m.ProvNames {
		if (req.Provider == "" && int(m.ProvTier[p]) == tier) || name == req.Provider {
			prov = p
			break
		}
	}
	if prov < 0 || int(m.ProvTier[prov]) != tier {
		return nil, fmt.Errorf("no provider %q of tier %q in the scenario", req.Provider, req.Tier)
	}
	group := -1
	svc := payment.Outpatient
	if req.Group != "" {
		if group = index(m.GroupNames, req.Group); group < 0 {
			return nil, fmt.Errorf("group %q is not in the scenario; want one of %v", req.Group, m.GroupNames)
		}
		svc = payment.Inpatient
	}
	if req.Service != "" {
		var ok bool
		if svc, ok = payment.ParseService(req.Service); !ok {
			return nil, fmt.Errorf("service %q: want outpatient, inpatient or long_stay", req.Service)
		}
	}
	bi := m.Binding[prov*int(payment.NService)+int(svc)]
	if bi == model.NoBinding {
		return nil, fmt.Errorf("no payment rule covers %s care at %s", svc, m.ProvNames[prov])
	}
	b := int(bi)
	pricer, ok := rs[b].(payment.Pricer)
	if !ok {
		return nil, fmt.Errorf("the %s rule of %s prices no single case", m.S.Payment[b].Method, m.ProvNames[prov])
	}
	if req.PointValue > 0 {
		if pv, ok := rs[b].(payment.PointValuer); !ok || pv.PointValue() == 0 {
			return nil, fmt.Errorf("--point-value: the %s rule of %s prices no points", m.S.Payment[b].Method, m.ProvNames[prov])
		}
	}
	covered := m.Covered(tier, svc, req.Charges)
	c := payment.Case{Group: group, Tier: tier, Provider: prov, Service: svc, LOS: req.LOS,
		Charges: req.Charges, Cost: req.Charges * m.CostRatio[tier], OOP: req.Charges - covered,
		Transfer: req.Transfer, Readmit: req.ReadmitDays, PrevRevenue: req.PrevRevenue, PointValue: req.PointValue}
	if c.Readmit < 0 {
		c.Readmit = -1
	}
	p := pricer.Price(&c, true)
	name := m.S.Payment[b].Name
	if name == "" {
		name = fmt.Sprintf("payment[%d]", b)
	}
	q := &Quote{Currency: string(m.S.Currency), Rule: p.Rule, Binding: name, Provider: m.ProvNames[prov], Tier: m.TierNames[tier], Service: svc.String(),
		LOS: req.LOS, Charges: req.Charges, Base: p.Base, Outlier: p.Outlier, Steps: p.Steps, Payment: p.Payment,
		Points: p.Points, PatientOOP: c.OOP, FundPays: max(0, p.Payment-c.OOP), Revenue: max(p.Payment, c.OOP),
		Provisional: p.Points != 0}
	if group >= 0 {
		q.Group = m.GroupNames[group]
	}
	return q, nil
}

func index(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}
