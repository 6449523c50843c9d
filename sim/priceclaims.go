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

// PricedClaims is a claims file priced under a scenario: its totals.
type PricedClaims struct {
	Currency  string
	Priced    int             // claims priced
	Providers []ProviderTotal // in the scenario's order; providers without claims are left out
	Values    []payment.Value // the year-end settlements' figures (point values, rates)
	Bindings  []string        // the bindings' names, as Values index them
	// Unpriced counts the good rows the scenario cannot price; Rejected
	// holds their problems in file order, unless the Reader's Reject took
	// them as they came.
	Unpriced int
	Rejected []*claims.Error
}

// claimAt is where a claim of a batch is: its binding and its place among
// the binding's events.
type claimAt struct{ binding, i int32 }

// batchSize is the number of claims priced at a time: what memory holds of
// a file.
const batchSize = 4096

// pricing prices claims a batch at a time with one set of rules.
type pricing struct {
	m       *model.Model
	rules   []payment.Rule
	pricers []payment.Pricer
	names   []string // the bindings'
	prov    map[string]int
	group   map[string]int
	// The batch: the claims in file order, where each is among the
	// bindings' events, and the events by binding.
	pcs []PricedClaim
	at  []claimAt
	evs [][]payment.Event
}

func newPricing(s *scenario.Scenario) (*pricing, error) {
	w, err := Compile(s)
	if err != nil {
		return nil, err
	}
	m := w.Model
	p := &pricing{m: m, rules: w.Rules, pricers: make([]payment.Pricer, len(w.Rules)), evs: make([][]payment.Event, len(w.Rules)),
		prov: map[string]int{}, group: map[string]int{}}
	for i, name := range m.ProvNames {
		p.prov[name] = i
	}
	for g, name := range m.GroupNames {
		p.group[name] = g
	}
	for b, rule := range w.Rules {
		p.pricers[b], _ = rule.(payment.Pricer)
		name := m.S.Payment[b].Name
		if name == "" {
			name = fmt.Sprintf("payment[%d]", b)
		}
		p.names = append(p.names, name)
	}
	return p, nil
}

// add adds claim c of r's row to the batch, or returns why the scenario
// cannot price it.
func (pr *pricing) add(r *claims.Reader, c *claims.Claim) *claims.Error {
	m := pr.m
	bad := func(col int, format string, args ...any) *claims.Error {
		return &claims.Error{Pos: r.Pos(col),
			Column: claims.Columns[col], Msg: claims.Columns[col] + ": " + fmt.Sprintf(format, args...)}
	}
	p, ok := pr.prov[c.Provider]
	if !ok {
		return bad(claims.ColProvider, "%q is not a provider of the scenario; want one of %v", c.Provider, m.ProvNames)
	}
	tier := int(m.ProvTier[p])
	if c.Tier != m.TierNames[tier] {
		return bad(claims.ColTier, "%q, but %s is a provider of tier %q", c.Tier, c.Provider, m.TierNames[tier])
	}
	g := -1
	if c.Group != "" {
		if g, ok = pr.group[c.Group]; !ok {
			return bad(claims.ColGroup, "%q is not a group of the scenario; want one of %v", c.Group, m.GroupNames)
		}
	}
	bi := m.Binding[p*int(payment.NService)+int(c.Service)]
	if bi == model.NoBinding {
		return bad(claims.ColService, "no payment rule of the scenario covers %s care at %s", c.Service, c.Provider)
	}
	b := int(bi)
	ev := payment.Event{Provider: uint16(p), Group: payment.NoGroup, Tier: uint8(tier), Service: c.Service,
		LOS: uint16(c.LOS), Readmit: payment.NoReadmit, Cost: c.Charges * m.CostRatio[tier],
		Charges: c.Charges, OOP: c.PatientPaid}
	pc := PricedClaim{Row: r.Row(), Binding: pr.names[b], Provider: m.ProvNames[p], Tier: m.TierNames[tier], Service: c.Service,
		LOS: c.LOS, Charges: c.Charges, FFS: c.FundPaid + c.PatientPaid, PatientPays: c.PatientPaid}
	if g >= 0 {
		ev.Group = uint16(g)
		pc.Group = m.GroupNames[g]
	}
	if c.Transfer {
		ev.Flags |= payment.Transferred
	}
	if pricer := pr.pricers[b]; pricer != nil {
		cs := payment.CaseOf(&ev)
		price := pricer.Price(&cs, false)
		if c.Readmit >= 0 {
			ev.Readmit, ev.PrevRevenue = uint16(c.Readmit), float32(price.Payment)
			cs = payment.CaseOf(&ev)
			price = pricer.Price(&cs, false)
		}
		pc.Rule, pc.Payment, pc.Outlier, pc.Points, pc.Flags = price.Rule, price.Payment, price.Outlier, price.Points, price.Flags
		if g >= 0 {
			pc.Score = price.Score
		}
	}
	pr.at = append(pr.at, claimAt{int32(b), int32(len(pr.evs[b]))})
	pr.evs[b] = append(pr.evs[b], ev)
	pr.pcs = append(pr.pcs, pc)
	return nil
}

// settle books the batch's claims into set by their rules, fills in what
// the rules booked, and empties the batch after calling each with every
// claim in file order.
func (pr *pricing) settle(set *payment.Settlement, each func(pc *PricedClaim, ev *payment.Event, binding int) error) error {
	for b, rule := range pr.rules {
		set.Begin(b)
		before := set.Rules[b].Cases
		rule.Settle(nil, pr.evs[b], set)
		if booked := set.Rules[b].Cases - before; booked != int64(len(pr.evs[b])) {
			return fmt.Errorf("conservation: the %s rule booked %d of %d claims", pr.m.S.Payment[b].Method, booked, len(pr.evs[b]))
		}
	}
	for i := range pr.pcs {
		pc, a := &pr.pcs[i], pr.at[i]
		ev := &pr.evs[a.binding][a.i]
		pc.Revenue, pc.FundPays, pc.Flags = ev.Revenue, ev.FundPaid, pc.Flags|ev.Flags&^payment.Transferred
		if err := each(pc, ev, int(a.binding)); err != nil {
			return err
		}
	}
	pr.pcs, pr.at = pr.pcs[:0], pr.at[:0]
	for b := range pr.evs {
		pr.evs[b] = pr.evs[b][:0]
	}
	return nil
}

func (pr *pricing) newSettlement() *payment.Settlement {
	set := payment.NewSettlement(pr.m.NProv, pr.m.NTown, len(pr.rules))
	set.ByGroup(pr.m.NGroup, pr.m.NTier)
	return set
}

// PriceClaims prices every good claim of a claims file by the rule the
// scenario binds to its provider and service, with the code a run settles
// a cycle with (payment.Rule.Settle), as one year: the scenario's first,
// with its budgets for population.size enrollees. Then the rules' year-end
// settlements (payment.YearEnder) run over the whole file, as a run's do
// over its year, and each calls each priced claim, in file order, with
// what it settled at; each may be nil. The file is read twice, a batch of
// claims at a time, so memory does not grow with it: open returns a new
// Reader of it at each call (the second pass's rejections are the first's
// and are not reported again). A claim whose provider, tier or group the
// scenario does not have, or whose care no rule covers, is rejected as a
// *claims.Error at its row and column, to the Reader's Reject when it has
// one, as its malformed rows are. Readmissions are priced with the
// earlier stay's revenue taken as this stay's own price as a first stay
// (the file does not link stays).
func PriceClaims(s *scenario.Scenario, open func() (*claims.Reader, error), each func(*PricedClaim) error) (*PricedClaims, error) {
	// The first pass prices the claims and settles the year.
	pr, err := newPricing(s)
	if err != nil {
		return nil, err
	}
	m := pr.m
	out := &PricedClaims{Currency: string(m.S.Currency), Bindings: pr.names}
	r, err := open()
	if err != nil {
		return nil, err
	}
	set := pr.newSettlement()
	count := func(*PricedClaim, *payment.Event, int) error { out.Priced++; return nil }
	var c claims.Claim
	for r.Next(&c) {
		if e := pr.add(r, &c); e != nil {
			out.Unpriced++
			if r.Reject != nil {
				r.Reject([]*claims.Error{e})
			} else {
				out.Rejected = append(out.Rejected, e)
			}
		} else if len(pr.pcs) == batchSize {
			if err := pr.settle(set, count); err != nil {
				return nil, err
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if err := pr.settle(set, count); err != nil {
		return nil, err
	}
	var ye payment.YearEnd
	for b, rule := range pr.rules {
		if y, ok := rule.(payment.YearEnder); ok {
			y.YearEnd(0, b, set, &ye)
		}
	}
	out.Values = ye.Values
	settled := make([]float64, len(pr.rules)) // the settled point value, by binding; 0: none
	for _, v := range ye.Values {
		if v.Name == "point_value_settled" {
			settled[v.Binding] = v.Value
		}
	}

	// The second pass prices them again with the year's rules (the first
	// pass's settlement has moved its rules to the next year) and adds up
	// what they settled at.
	if pr, err = newPricing(s); err != nil {
		return nil, err
	}
	if r, err = open(); err != nil {
		return nil, err
	}
	r.Reject = func([]*claims.Error) {}
	tot := make([]ProviderTotal, m.NProv)
	scratch := pr.newSettlement()
	total := func(pc *PricedClaim, ev *payment.Event, binding int) error {
		pc.Settled, pc.SettledFund = pc.Revenue, pc.FundPays
		if v := settled[binding]; v > 0 && ev.Points != 0 {
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
		if each != nil {
			return each(pc)
		}
		return nil
	}
	priced := 0
	for r.Next(&c) {
		if pr.add(r, &c) == nil {
			priced++
			if len(pr.pcs) == batchSize {
				scratch.Reset()
				if err := pr.settle(scratch, total); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	scratch.Reset()
	if err := pr.settle(scratch, total); err != nil {
		return nil, err
	}
	if priced != out.Priced {
		return nil, fmt.Errorf("%s changed while it was priced: %d claims, then %d", r.File(), out.Priced, priced)
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
		if math.IsNaN(t.Revenue) || math.IsInf(t.Revenue, 0) {
			return nil, fmt.Errorf("the revenue of %s is not a number", t.Provider)
		}
		out.Providers = append(out.Providers, *t)
	}
	return out, nil
}
