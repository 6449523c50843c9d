// Package payment defines what payment rules price: episodes of care
// (Events), and where the money goes (Settlement). Concrete rules live in
// sub-packages (ffs, …); the engine knows only the Rule interface.
package payment

import "fmt"

// Service is the kind of care a rule is bound to.
type Service uint8

// The services.
const (
	Outpatient Service = iota
	Inpatient
	LongStay // post-acute stay after a down-referral
	NService
)

var serviceNames = [NService]string{"outpatient", "inpatient", "long_stay"}

func (s Service) String() string {
	if s < NService {
		return serviceNames[s]
	}
	return "service?"
}

// ParseService returns the Service named s (as in scenario files).
func ParseService(s string) (Service, bool) {
	for i, n := range serviceNames {
		if n == s {
			return Service(i), true
		}
	}
	return 0, false
}

// NoGroup is the Group of an outpatient visit.
const NoGroup = ^uint16(0)

// Event flags: the engine sets Chronic, ReferredUp, ReferredDown,
// Transferred, Induced, Split and Premature; rules the others.
const (
	Chronic       uint16 = 1 << iota // a visit caused by a condition state
	ReferredUp                       // an admission referred up from the tier first contacted
	ReferredDown                     // a long stay after a down-referral
	Transferred                      // an admission discharged to a post-acute stay elsewhere
	HighOutlier                      // priced with a high-cost outlier payment
	LowOutlier                       // priced as a low-cost case
	Review                           // flagged for case review (paid by item)
	Incomplete                       // priced as a transfer or incomplete stay
	Readmission                      // a readmission that changed a payment
	OutsideWindow                    // outside the rule's LOS window: priced by its fallback
	Induced                          // a mild episode the provider's incentive added (induced, or with Premature a readmission)
	Split                            // the second part of a stay billed as two admissions
	Premature                        // with Induced: a readmission after a premature discharge
)

// An Event is one episode of care: who was treated where, for what, what it
// cost and what was billed, what the patient paid, and — once a rule has
// settled it — what the provider earned and the fund paid. Every money
// movement of a run is an Event or a year-end settlement, each with its cause.
type Event struct {
	Person   int32
	Provider uint16
	Group    uint16 // inpatient group, or NoGroup for a visit
	Tier     uint8
	Service  Service
	Flags    uint16
	LOS      uint16 // length of stay [days]; 0 for a visit
	// Readmit is the number of days from the discharge of the person's
	// previous stay in the same group at the same provider to this
	// admission, or NoReadmit; PrevRevenue is that stay's revenue.
	Readmit     uint16
	PrevRevenue float32
	Points      float32 // points of the case under a point method, else 0
	Cost        float64 // resource cost [yuan]
	Charges     float64 // itemised bill [yuan]
	OOP         float64 // patient out-of-pocket; the fund-covered part is Charges − OOP [yuan]
	Revenue     float64 // provider revenue for the case, set by the rule [yuan]
	FundPaid    float64 // what the payer pays for it now: max(0, R − OOP), or an advance, set by the rule [yuan]
}

// NoReadmit is the Readmit of an episode that follows no earlier stay of the
// same group at the same provider.
const NoReadmit = ^uint16(0)

// Case is what a rule prices: one episode, from an Event or from the command
// line (paysim price).
type Case struct {
	Group    int // inpatient group, or -1 for a visit
	Tier     int
	Provider int
	Service  Service
	LOS      int
	Charges  float64
	Cost     float64 // resource cost
	OOP      float64 // the patient's share under the benefit design
	Transfer bool    // discharged to a post-acute stay (a transfer case)
	// Readmit is the days since the discharge of the previous stay in the same
	// group at the same provider, or −1; PrevRevenue is that stay's revenue.
	Readmit     int
	PrevRevenue float64
	// Coding multiplies the case's weight (RW, DIP score) as the provider
	// codes it: above 1 under upcoding drift; 0 means 1.
	Coding float64
}

// Weight is the factor the case's coding puts on its weight (1 when unset).
func (c *Case) Weight() float64 {
	if c.Coding == 0 {
		return 1
	}
	return c.Coding
}

// Coding is how providers code their cases' weights, by year: the factor
// their upcoding puts on the weight of a case.
type Coding struct {
	Factor        []float64 // [year*NProv + provider]
	NProv         int
	CyclesPerYear int
}

// At returns the coding factor of provider p in the year of cycle (1 for a
// nil Coding).
func (c *Coding) At(cycle, p int) float64 {
	if c == nil {
		return 1
	}
	y := min(cycle/c.CyclesPerYear, len(c.Factor)/c.NProv-1)
	return c.Factor[y*c.NProv+p]
}

// CaseOf returns the Case of an event.
func CaseOf(ev *Event) Case {
	g := int(ev.Group)
	if ev.Group == NoGroup {
		g = -1
	}
	c := Case{Group: g, Tier: int(ev.Tier), Provider: int(ev.Provider), Service: ev.Service, LOS: int(ev.LOS),
		Charges: ev.Charges, Cost: ev.Cost, OOP: ev.OOP, Transfer: ev.Flags&Transferred != 0,
		Readmit: -1, PrevRevenue: float64(ev.PrevRevenue)}
	if ev.Readmit != NoReadmit {
		c.Readmit = int(ev.Readmit)
	}
	return c
}

// Price is a rule's price of one case, with the steps that led to it.
type Price struct {
	Rule    string  // method name
	Base    float64 // the payment before outliers and adjustments [yuan]
	Outlier float64 // extra payment for a high-cost outlier [yuan]
	Payment float64 // the provider's revenue R for the case [yuan]
	Points  float64 // points of the case under a point method
	Score   float64 // the case's unadjusted score (DIP: the group's score), for Σ score × cases
	Flags   uint16  // HighOutlier, LowOutlier, Review, Incomplete, OutsideWindow
	Steps   []Step  // every step of the formula, filled only when explaining
}

// A Step is one named step of a price: what was computed and its amount.
type Step struct {
	Name    string  `json:"name"`
	Formula string  `json:"formula"`
	Amount  float64 `json:"amount"`
}

// Explain appends a step when p is being explained (p.Steps non-nil).
func (p *Price) Explain(name string, amount float64, format string, args ...any) {
	if p.Steps == nil {
		return
	}
	p.Steps = append(p.Steps, Step{Name: name, Formula: fmt.Sprintf(format, args...), Amount: amount})
}

// A Pricer prices single cases; every Rule that prices case by case is one.
// Price must not change the Pricer. With explain it fills Price.Steps.
type Pricer interface {
	Price(c *Case, explain bool) Price
}

// Settlement collects what rules booked: per provider, and per rule (by
// binding index). Engines keep one per chunk and add them up in a fixed order.
type Settlement struct {
	Revenue  []float64 // provider revenue [yuan], by provider
	FundPaid []float64 // fund payments [yuan], by provider
	Cost     []float64 // resource cost of the cases booked [yuan], by provider
	Cases    []float64 // cases booked, by provider
	// Census counts the persons alive at each cycle's start, by township
	// (person-cycles): what capitation pays for.
	Census []float64
	Rules  []RuleTally
	rule   int // the binding Book counts for; see Begin
}

// RuleTally is what one binding's rule booked.
type RuleTally struct {
	Cases         int64
	HighOutliers  int64
	LowOutliers   int64
	Reviews       int64
	Incomplete    int64
	OutsideWindow int64
	OutlierPaid   float64   // extra payments of high-cost outliers [yuan]
	Revenue       float64   // provider revenue booked [yuan]
	FundPaid      float64   // fund payments booked, advances included [yuan]
	Points        float64   // points of the cases (point methods)
	Score         float64   // unadjusted scores of the cases (Σ score × cases)
	Charges       float64   // charges of the cases [yuan]
	ProvPoints    []float64 // points by provider
	ProvRevenue   []float64 // revenue by provider
	ProvFund      []float64 // fund payments by provider
	ProvOOP       []float64 // patients' out-of-pocket by provider
}

// NewSettlement returns a Settlement for nProv providers, nTown townships
// and nRules bindings. Its sums lie in blocks with a cache line of padding
// at each end, so that workers filling different Settlements never share a
// line.
func NewSettlement(nProv, nTown, nRules int) *Settlement {
	const pad = 8 // 64 bytes
	b := make([]float64, 2*pad+(4+4*nRules)*nProv+nTown)[pad:]
	take := func() []float64 { x := b[:nProv:nProv]; b = b[nProv:]; return x }
	s := &Settlement{Revenue: take(), FundPaid: take(), Cost: take(), Cases: take(), Rules: make([]RuleTally, nRules+1)[:nRules]}
	for r := range s.Rules {
		t := &s.Rules[r]
		t.ProvPoints, t.ProvRevenue, t.ProvFund, t.ProvOOP = take(), take(), take(), take()
	}
	s.Census = b[:nTown:nTown] // what is left after the providers' sums
	return s
}

// Reset zeroes s for reuse.
func (s *Settlement) Reset() {
	clear(s.Revenue)
	clear(s.FundPaid)
	clear(s.Cost)
	clear(s.Cases)
	clear(s.Census)
	for r := range s.Rules {
		t := &s.Rules[r]
		p, rv, f, o := t.ProvPoints, t.ProvRevenue, t.ProvFund, t.ProvOOP
		clear(p)
		clear(rv)
		clear(f)
		clear(o)
		*t = RuleTally{ProvPoints: p, ProvRevenue: rv, ProvFund: f, ProvOOP: o}
	}
}

// Add adds o to s.
func (s *Settlement) Add(o *Settlement) {
	addTo(s.Revenue, o.Revenue)
	addTo(s.FundPaid, o.FundPaid)
	addTo(s.Cost, o.Cost)
	addTo(s.Cases, o.Cases)
	addTo(s.Census, o.Census)
	for r := range s.Rules {
		t, u := &s.Rules[r], &o.Rules[r]
		t.Cases += u.Cases
		t.HighOutliers += u.HighOutliers
		t.LowOutliers += u.LowOutliers
		t.Reviews += u.Reviews
		t.Incomplete += u.Incomplete
		t.OutsideWindow += u.OutsideWindow
		t.OutlierPaid += u.OutlierPaid
		t.Revenue += u.Revenue
		t.FundPaid += u.FundPaid
		t.Points += u.Points
		t.Score += u.Score
		t.Charges += u.Charges
		addTo(t.ProvPoints, u.ProvPoints)
		addTo(t.ProvRevenue, u.ProvRevenue)
		addTo(t.ProvFund, u.ProvFund)
		addTo(t.ProvOOP, u.ProvOOP)
	}
}

func addTo(dst, src []float64) {
	for i := range dst {
		dst[i] += src[i]
	}
}

// Begin makes the following Book calls count for binding rule.
func (s *Settlement) Begin(rule int) { s.rule = rule }

// Book records the price of ev: the fund pays the provider max(0, Payment −
// OOP) and the patient pays the OOP to the provider whatever the rule (MODEL
// §5), so the provider earns max(Payment, OOP): a price below the patient's
// share leaves the provider the share.
func (s *Settlement) Book(ev *Event, pr *Price) {
	s.BookAdvance(ev, pr, max(pr.Payment, ev.OOP), max(0, pr.Payment-ev.OOP))
}

// BookPaid is Book for a rule whose price is a single amount with no
// adjustments (fee-for-service, capitation), without building a Price.
func (s *Settlement) BookPaid(ev *Event, revenue float64) {
	s.book(ev, max(revenue, ev.OOP), max(0, revenue-ev.OOP))
}

// book records the money of a case.
func (s *Settlement) book(ev *Event, revenue, fund float64) *RuleTally {
	ev.Revenue, ev.FundPaid = revenue, fund
	p := ev.Provider
	s.Revenue[p] += revenue
	s.FundPaid[p] += fund
	s.Cost[p] += ev.Cost
	s.Cases[p]++
	t := &s.Rules[s.rule]
	t.Cases++
	t.Charges += ev.Charges
	t.Revenue += revenue
	t.FundPaid += fund
	t.ProvRevenue[p] += revenue
	t.ProvFund[p] += fund
	t.ProvOOP[p] += ev.OOP
	return t
}

// BookAdvance records a case the fund pays only in part now: revenue is the
// provider's provisional revenue, fund what the fund pays for it this cycle
// (an advance on the year-end settlement).
func (s *Settlement) BookAdvance(ev *Event, pr *Price, revenue, fund float64) {
	t := s.book(ev, revenue, fund)
	p := ev.Provider
	ev.Points = float32(pr.Points)
	ev.Flags |= pr.Flags
	t.Points += pr.Points
	t.Score += pr.Score
	t.OutlierPaid += pr.Outlier
	t.ProvPoints[p] += pr.Points
	f := pr.Flags
	if f&HighOutlier != 0 {
		t.HighOutliers++
	}
	if f&LowOutlier != 0 {
		t.LowOutliers++
	}
	if f&Review != 0 {
		t.Reviews++
	}
	if f&Incomplete != 0 {
		t.Incomplete++
	}
	if f&OutsideWindow != 0 {
		t.OutsideWindow++
	}
}

// A Rule pays the episodes of the providers and services bound to it.
//
// Settle prices the events of one cycle, booking each through out.Book or
// out.BookAdvance. It is called concurrently for disjoint event slices and
// outputs, so it must not change the Rule.
type Rule interface {
	Settle(cycle int, evs []Event, out *Settlement)
}

// A YearEnder is a Rule that settles its year: point values, budgets. YearEnd
// is called once a year, after the year's last cycle, in binding order, with
// the year's totals; it adds the year-end transfers and the figures to
// report to out, and may update the rule for the next year.
type YearEnder interface {
	YearEnd(year, binding int, tot *Settlement, out *YearEnd)
}

// YearEnd is what year-end settlements produce.
type YearEnd struct {
	Transfers []Transfer
	Values    []Value
}

// A Transfer is a year-end payment from the fund to a provider (negative: a
// clawback), with its cause, and the change it makes to the provider's
// revenue for the year (which differs from the payment when cases were booked
// at a provisional value).
type Transfer struct {
	Binding  int
	Provider int
	Amount   float64 // paid by the fund [yuan]
	Revenue  float64 // change of the provider's revenue [yuan]
	Cause    string
}

// A Value is a named figure of a rule's year, e.g. its settled point value.
type Value struct {
	Binding int
	Name    string
	Value   float64
}

// Pay adds a transfer that changes the provider's revenue by what it pays.
func (y *YearEnd) Pay(binding, provider int, amount float64, cause string) {
	y.Transfers = append(y.Transfers, Transfer{Binding: binding, Provider: provider, Amount: amount, Revenue: amount, Cause: cause})
}

// Settle adds the transfer that settles a provider's provisionally booked
// year: the provider's revenue for the rule's cases becomes what the fund
// paid in all (the cycles' payments, advances included, and this transfer)
// plus what its patients paid, replacing the provisional revenue booked.
func (y *YearEnd) Settle(binding, provider int, amount float64, t *RuleTally, cause string) {
	revenue := t.ProvFund[provider] + amount + t.ProvOOP[provider] - t.ProvRevenue[provider]
	y.Transfers = append(y.Transfers, Transfer{Binding: binding, Provider: provider, Amount: amount, Revenue: revenue, Cause: cause})
}

// Report adds a figure to out.
func (y *YearEnd) Report(binding int, name string, value float64) {
	y.Values = append(y.Values, Value{Binding: binding, Name: name, Value: value})
}

// A PointValuer is a point-method rule that can price at a given point
// value instead of its provisional one (paysim price --point-value).
type PointValuer interface {
	WithPointValue(v float64) Pricer
}
