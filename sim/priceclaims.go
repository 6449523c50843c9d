package sim

import (
	"fmt"
	"math"

	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// PricedClaim is one claim priced by the rule its scenario binds to its
// provider and service.
type PricedClaim struct {
	Row      int    // the claim's row in its file
	Binding  string // the payment binding that priced it
	Rule     string // its method
	Provider string
	Tier     string
	Service  payment.Service
	Group    string
	LOS      int
	Charges  float64
	FFS      float64 // what the claim says was paid for it: fund + patient
	Payment  float64 // the rule's price of the case (Price.Payment), at the rule's own point value
	Outlier  float64 // of it, the high-cost outlier payment
	Points   float64 // points of the case under a point method
	Score    float64 // the case's weight under the rule (DRG: RW × the provider's coefficient; DIP: the group's score); 0 for a visit
	Flags    uint16  // payment.HighOutlier, LowOutlier, Review, Incomplete, OutsideWindow, Readmission
	// Revenue, FundPays and PatientPays are what the rule booked for the
	// case: for a point method at the rule's point value, as the fund
	// advances it.
	Revenue, FundPays, PatientPays float64
	// Settled and SettledFund are the case's revenue and the fund's share
	// after the year-end settlement: points × the settled point value for a
	// case settled in points (SettledFund may then be negative: the
	// settlement is per provider, and the patient paid more than the case's
	// points are worth), else what was booked.
	Settled, SettledFund float64
}

// ProviderTotal is what one provider's claims come to under the rules.
type ProviderTotal struct {
	Provider string
	Tier     string
	Cases    int     // claims
	Stays    int     // of them, inpatient stays the rule gave a weight
	CMI      float64 // case-mix index: the mean weight of its weighted stays ÷ the mean over all providers'; 0 without weighted stays
	Charges  float64
	FFS      float64 // what the claims say was paid: fund + patients
	Revenue  float64 // under the rules, after the year-end settlement
	FundPays float64 // of it, the fund's, after the settlement
	Patient  float64 // of it, the patients'
	// SettledBy is the year-end settlement's own account of the change to
	// the provider's revenue (payment.Transfer.Revenue): Revenue is what
	// was booked plus this.
	SettledBy float64
	score     float64
}

// Gain is the provider's revenue under the rules less what the claims say
// it was paid.
func (p *ProviderTotal) Gain() float64 { return p.Revenue - p.FFS }

// PricedClaims is a claims file priced under a scenario.
type PricedClaims struct {
	Currency  string
	Claims    []PricedClaim   // in file order
	Providers []ProviderTotal // in the scenario's order; providers without claims are left out
	Values    []payment.Value // the year-end settlements' figures (point values, rates)
	Bindings  []string        // the bindings' names, as Values index them
	Rejected  []*claims.Error // the rows the scenario cannot price, in file order
}

// claimAt is the index of a claim: its binding and its place among the
// binding's events.
type claimAt struct{ binding, i int32 }

// PriceClaims prices every good claim r yields by the rule the scenario
// binds to its provider and service, with the code a run settles a cycle
// with (payment.Rule.Settle), as one year: the scenario's first, with its
// budgets for population.size enrollees. Then the rules' year-end
// settlements (payment.YearEnder) run over the whole file, as a run's do
// over its year. A claim whose provider, tier or group the scenario does
// not have, or whose care no rule covers, is rejected as an *claims.Error
// at its row and column. Readmissions are priced with the earlier stay's
// revenue taken as this stay's own price as a first stay (the file does not
// link stays). It returns with r's error when the file cannot be read.
func PriceClaims(s *scenario.Scenario, r *claims.Reader) (*PricedClaims, error) {
	w, err := Compile(s)
	if err != nil {
		return nil, err
	}
	m, rs := w.Model, w.Rules
	prov := map[string]int{}
	for p, name := range m.ProvNames {
		prov[name] = p
	}
	group := map[string]int{}
	for g, name := range m.GroupNames {
		group[name] = g
	}
	pricers := make([]payment.Pricer, len(rs))
	out := &PricedClaims{Currency: string(m.S.Currency)}
	for b, rule := range rs {
		pricers[b], _ = rule.(payment.Pricer)
		name := m.S.Payment[b].Name
		if name == "" {
			name = fmt.Sprintf("payment[%d]", b)
		}
		out.Bindings = append(out.Bindings, name)
	}
	evs := make([][]payment.Event, len(rs))
	var at []claimAt
	var c claims.Claim
	for r.Next(&c) {
		row := r.Row()
		bad := func(col int, format string, args ...any) {
			out.Rejected = append(out.Rejected, &claims.Error{Pos: claims.Pos{File: r.File(), Row: row, Col: r.Col(col)},
				Column: claims.Columns[col], Msg: claims.Columns[col] + ": " + fmt.Sprintf(format, args...)})
		}
		p, ok := prov[c.Provider]
		if !ok {
			bad(claims.ColProvider, "%q is not a provider of the scenario; want one of %v", c.Provider, m.ProvNames)
			continue
		}
		tier := int(m.ProvTier[p])
		if c.Tier != m.TierNames[tier] {
			bad(claims.ColTier, "%q, but %s is a provider of tier %q", c.Tier, c.Provider, m.TierNames[tier])
			continue
		}
		g := -1
		if c.Group != "" {
			if g, ok = group[c.Group]; !ok {
				bad(claims.ColGroup, "%q is not a group of the scenario; want one of %v", c.Group, m.GroupNames)
				continue
			}
		}
		bi := m.Binding[p*int(payment.NService)+int(c.Service)]
		if bi == model.NoBinding {
			bad(claims.ColService, "no payment rule of the scenario covers %s care at %s", c.Service, c.Provider)
			continue
		}
		b := int(bi)
		ev := payment.Event{Provider: uint16(p), Group: payment.NoGroup, Tier: uint8(tier), Service: c.Service,
			LOS: uint16(c.LOS), Readmit: payment.NoReadmit, Cost: c.Charges * m.CostRatio[tier],
			Charges: c.Charges, OOP: c.PatientPaid}
		if g >= 0 {
			ev.Group = uint16(g)
		}
		if c.Transfer {
			ev.Flags |= payment.Transferred
		}
		pc := PricedClaim{Row: row, Binding: out.Bindings[b], Provider: m.ProvNames[p], Tier: m.TierNames[tier], Service: c.Service,
			LOS: c.LOS, Charges: c.Charges, FFS: c.FundPaid + c.PatientPaid, PatientPays: c.PatientPaid}
		if g >= 0 {
			pc.Group = m.GroupNames[g]
		}
		if pr := pricers[b]; pr != nil {
			cs := payment.CaseOf(&ev)
			first := pr.Price(&cs, false)
			if c.Readmit >= 0 {
				ev.Readmit, ev.PrevRevenue = uint16(c.Readmit), float32(first.Payment)
				cs = payment.CaseOf(&ev)
				first = pr.Price(&cs, false)
			}
			pc.Rule, pc.Payment, pc.Outlier, pc.Points, pc.Flags = first.Rule, first.Payment, first.Outlier, first.Points, first.Flags
			if g >= 0 {
				pc.Score = first.Score
			}
		}
		at = append(at, claimAt{int32(b), int32(len(evs[b]))})
		evs[b] = append(evs[b], ev)
		out.Claims = append(out.Claims, pc)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	set := payment.NewSettlement(m.NProv, m.NTown, len(rs))
	set.ByGroup(m.NGroup, m.NTier)
	for b, rule := range rs {
		set.Begin(b)
		rule.Settle(nil, evs[b], set)
		if int(set.Rules[b].Cases) != len(evs[b]) {
			return nil, fmt.Errorf("conservation: the %s rule booked %d of %d claims", m.S.Payment[b].Method, set.Rules[b].Cases, len(evs[b]))
		}
	}
	var ye payment.YearEnd
	for b, rule := range rs {
		if y, ok := rule.(payment.YearEnder); ok {
			y.YearEnd(0, b, set, &ye)
		}
	}
	out.Values = ye.Values
	settled := make([]float64, len(rs)) // the settled point value, by binding; 0: none
	for _, v := range ye.Values {
		if v.Name == "point_value_settled" {
			settled[v.Binding] = v.Value
		}
	}
	tot := make([]ProviderTotal, m.NProv)
	for i := range out.Claims {
		pc, a := &out.Claims[i], at[i]
		ev := &evs[a.binding][a.i]
		pc.Revenue, pc.FundPays, pc.Flags = ev.Revenue, ev.FundPaid, pc.Flags|ev.Flags&^(payment.Transferred)
		pc.Settled, pc.SettledFund = pc.Revenue, pc.FundPays
		if v := settled[a.binding]; v > 0 && ev.Points != 0 {
			pc.Settled = float64(ev.Points) * v
			pc.SettledFund = pc.Settled - pc.PatientPays
		}
		t := &tot[ev.Provider]
		t.Cases++
		t.Charges += pc.Charges
		t.FFS += pc.FFS
		t.Revenue += pc.Settled
		t.FundPays += pc.SettledFund
		t.Patient += pc.PatientPays
		if pc.Score > 0 {
			t.Stays++
			t.score += pc.Score
		}
	}
	for _, tr := range ye.Transfers {
		tot[tr.Provider].SettledBy += tr.Revenue
	}
	var stays int
	var score float64
	for p := range tot {
		stays += tot[p].Stays
		score += tot[p].score
	}
	for p := range tot {
		t := &tot[p]
		if t.Cases == 0 {
			continue
		}
		t.Provider, t.Tier = m.ProvNames[p], m.TierNames[m.ProvTier[p]]
		if t.Stays > 0 && score > 0 {
			t.CMI = t.score / float64(t.Stays) / (score / float64(stays))
		}
		out.Providers = append(out.Providers, *t)
	}
	for i := range out.Providers {
		if x := out.Providers[i].Revenue; math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("the revenue of %s is not a number", out.Providers[i].Provider)
		}
	}
	return out, nil
}
