// Package payment defines what payment rules price — episodes of care
// (Events, Cases) — where the money goes (Settlement, YearEnd), and the
// interfaces through which the engine and the responses use a rule: Rule
// (settle a cycle, and the margin of one more unit of care), Pricer,
// YearEnder, PointValuer, and Payer for a budget that stands between the
// fund and its members. Each method's rule, its builder from a scenario and
// its margin live in a folder of their own below this one (ffs, perdiem,
// drg, dip, capitation); the consortium's budget in budget. The engine
// knows only these interfaces.
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
	// PointValue, when above 0, is the point value a point method prices
	// the case at instead of its own (paysim price --point-value).
	PointValue float64
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
	return c.Year(cycle)[p]
}

// Year returns the coding factors by provider in the year of cycle (the
// last year's after the horizon), as Rule.Settle takes them.
func (c *Coding) Year(cycle int) []float64 {
	y := min(cycle/c.CyclesPerYear, len(c.Factor)/c.NProv-1)
	return c.Factor[y*c.NProv : (y+1)*c.NProv]
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
	// Managed counts the persons enrolled in the management of a condition
	// after each cycle's progress, by township (person-cycles): what
	// family-doctor contracts and a budget's prevention work are paid for.
	Managed []float64
	// Denied is the resource cost of the claims an audit denied, by
	// provider: care given and not paid, which the provider bears.
	Denied []float64
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
	// GroupCharges and GroupCases are the charges and the number of the
	// grouped cases the rule priced itself (a stay outside its window is
	// priced by the fallback and left out), by group and tier
	// ([group*nTier + tier]): the year's mean cost of a group (次均费用),
	// from which DRG and DIP take the next year's benchmarks. Nil unless
	// the Settlement counts by group (ByGroup).
	GroupCharges, GroupCases []float64
	nTier                    int
}

// NewSettlement returns a Settlement for nProv providers, nTown townships
// and nRules bindings. Its sums lie in blocks with a cache line of padding
// at each end, so that workers filling different Settlements never share a
// line.
func NewSettlement(nProv, nTown, nRules int) *Settlement {
	const pad = 8 // 64 bytes
	b := make([]float64, 2*pad+(5+4*nRules)*nProv+2*nTown)[pad:]
	take := func() []float64 { x := b[:nProv:nProv]; b = b[nProv:]; return x }
	s := &Settlement{Revenue: take(), FundPaid: take(), Cost: take(), Cases: take(), Denied: take(), Rules: make([]RuleTally, nRules+1)[:nRules]}
	for r := range s.Rules {
		t := &s.Rules[r]
		t.ProvPoints, t.ProvRevenue, t.ProvFund, t.ProvOOP = take(), take(), take(), take()
	}
	s.Census = b[:nTown:nTown] // what is left after the providers' sums
	s.Managed = b[nTown : 2*nTown : 2*nTown]
	return s
}

// ByGroup makes s count each binding's grouped cases by group and tier
// (RuleTally.GroupCharges, GroupCases), for nGroup groups and nTier tiers.
func (s *Settlement) ByGroup(nGroup, nTier int) {
	const pad = 8
	n := nGroup * nTier
	b := make([]float64, 2*pad+2*n*len(s.Rules))[pad:]
	for r := range s.Rules {
		t := &s.Rules[r]
		t.GroupCharges, t.GroupCases, t.nTier = b[:n:n], b[n:2*n:2*n], nTier
		b = b[2*n:]
	}
}

// Reset zeroes s for reuse.
func (s *Settlement) Reset() {
	clear(s.Revenue)
	clear(s.FundPaid)
	clear(s.Cost)
	clear(s.Cases)
	clear(s.Census)
	clear(s.Managed)
	clear(s.Denied)
	for r := range s.Rules {
		t := &s.Rules[r]
		p, rv, f, o, gc, gn := t.ProvPoints, t.ProvRevenue, t.ProvFund, t.ProvOOP, t.GroupCharges, t.GroupCases
		clear(p)
		clear(rv)
		clear(f)
		clear(o)
		clear(gc)
		clear(gn)
		*t = RuleTally{ProvPoints: p, ProvRevenue: rv, ProvFund: f, ProvOOP: o, GroupCharges: gc, GroupCases: gn, nTier: t.nTier}
	}
}

// Add adds o to s.
func (s *Settlement) Add(o *Settlement) {
	addTo(s.Revenue, o.Revenue)
	addTo(s.FundPaid, o.FundPaid)
	addTo(s.Cost, o.Cost)
	addTo(s.Cases, o.Cases)
	addTo(s.Census, o.Census)
	addTo(s.Managed, o.Managed)
	addTo(s.Denied, o.Denied)
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
		addTo(t.GroupCharges, u.GroupCharges)
		addTo(t.GroupCases, u.GroupCases)
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
	return s.add(int(ev.Provider), 1, ev.Cost, ev.Charges, ev.OOP, revenue, fund)
}

// BookVisits records the money of visits v: revenue and fund are what a
// Linear rule pays for them all.
func (s *Settlement) BookVisits(v *Visits, revenue, fund float64) {
	s.add(int(v.Provider), v.N, v.Cost, v.Charges, v.OOP, revenue, fund)
}

// add records n cases at provider p with their cost, charges, patients'
// share, revenue and fund payment.
func (s *Settlement) add(p int, n int64, cost, charges, oop, revenue, fund float64) *RuleTally {
	s.Revenue[p] += revenue
	s.FundPaid[p] += fund
	s.Cost[p] += cost
	s.Cases[p] += float64(n)
	t := &s.Rules[s.rule]
	t.Cases += n
	t.Charges += charges
	t.Revenue += revenue
	t.FundPaid += fund
	t.ProvRevenue[p] += revenue
	t.ProvFund[p] += fund
	t.ProvOOP[p] += oop
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
	} else if t.GroupCases != nil && ev.Group != NoGroup {
		i := int(ev.Group)*t.nTier + int(ev.Tier)
		t.GroupCharges[i] += ev.Charges
		t.GroupCases[i]++
	}
}

// GroupMean is the mean charges of group g's cases in t, over all tiers
// (tier < 0) or at one tier, and whether there were any; none when t does
// not count by group.
func (t *RuleTally) GroupMean(g, tier int) (float64, bool) {
	lo, hi := g*t.nTier, (g+1)*t.nTier
	if tier >= 0 {
		lo, hi = g*t.nTier+tier, g*t.nTier+tier+1
	}
	c, n := 0.0, 0.0
	for i := lo; i < hi && i < len(t.GroupCases); i++ {
		c += t.GroupCharges[i]
		n += t.GroupCases[i]
	}
	if n == 0 {
		return 0, false
	}
	return c / n, true
}

// A Rule pays the episodes of the providers and services bound to it.
//
// Settle prices the events of one cycle as their providers code them
// (coding[p] is the factor provider p's coding puts on its cases' weight,
// Case.Coding; nil: as grouped), booking each through out.Book or
// out.BookAdvance. It is called concurrently for disjoint event slices and
// outputs, so it must not change the Rule.
//
// Margin is what the rule pays for one more unit of an average episode:
// what a provider paid by it gains at the margin, before any budget its
// consortium holds (package respond turns it into responses). It is also
// asked for Keeps alone, with an episode of no charges (a service the
// tier does not give), and must not fail then.
type Rule interface {
	Settle(coding []float64, evs []Event, out *Settlement)
	Margin(e Episode) Margin
}

// A Linear rule pays a set of visits to one provider what it pays for one
// visit of their summed charges and patients' share, as fee-for-service
// and capitation do: the engine counts a cycle's visits instead of booking
// each (Visits), and SettleVisits books them as Settle would book each.
// Its payment of a visit depends on the provider, the charges and the
// patients' share only, and Settle keeps no state: the episodes' export
// prices the same visits again, one by one, in a settlement of its own.
type Linear interface {
	Rule
	SettleVisits(v *Visits, out *Settlement)
}

// Visits are the outpatient visits of a cycle to one provider with the
// same Flags (Chronic, Induced), counted and summed.
type Visits struct {
	Provider uint16
	Tier     uint8
	Flags    uint16
	N        int64   // the visits
	Cost     float64 // their resource cost [yuan]
	Charges  float64 // their itemised bills [yuan]
	OOP      float64 // their patients' out-of-pocket [yuan]
}

// An Episode is the average episode of one service at one tier, at which a
// rule's margin is taken (docs/responses.md, "The incentive").
type Episode struct {
	Tier    int
	Service Service
	Charges float64 // the average episode's charges [yuan], > 0
	LOS     float64 // its average length [days]; 1 for a visit
	Mild    float64 // a mild episode's charges and days ÷ the average episode's
	OOP     float64 // the patient's share of a mild episode's charges [0,1]
}

// Margin is what a rule pays at the margin of an Episode, each amount per
// yuan of the charges concerned.
type Margin struct {
	Case   float64 // revenue of one more mild episode ÷ the average episode's charges
	Day    float64 // revenue of one more bed-day ÷ a day's charges
	Weight float64 // revenue of coding the case one unit of weight heavier ÷ its price
	Split  float64 // revenue of billing one stay as two ÷ the stay's price
	// DayCap is the length of stay [days] beyond which a day more earns
	// nothing; 0: none.
	DayCap float64
	// Keeps is the share of a yuan saved on its catchment's care that the
	// rule leaves with the provider: 1 when paid per enrollee whatever care
	// it gives, 0 when paid per episode.
	Keeps float64
}

// ItemMargin is the margin of a rule that pays an episode its itemised
// charges: a mild episode earns its charges, a day its charges.
func ItemMargin(e Episode) Margin { return Margin{Case: e.Mild, Day: 1} }

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

// A PointValuer is a rule that may price in points: it prices at a point
// value that its year-end settlement moves (0 when it prices no points: a
// DRG under the rate method), and prices a case at Case.PointValue when
// one is given (paysim price --point-value).
type PointValuer interface {
	PointValue() float64
}

// Valuation is the point value a point-method rule prices at this year
// [yuan per point]; the rules embed it, and their year-end settlement
// moves it.
type Valuation struct{ value float64 }

// PointValue returns the point value the rule prices at this year.
func (v *Valuation) PointValue() float64 { return v.value }

// SetPointValue makes x the point value the rule prices at.
func (v *Valuation) SetPointValue(x float64) { v.value = x }

// For returns the point value case c is priced at: its own when it gives
// one, else the rule's.
func (v *Valuation) For(c *Case) float64 {
	if c.PointValue > 0 {
		return c.PointValue
	}
	return v.value
}

// A Payer stands between the fund and the providers it pays, its members:
// the fund advances it money, it pays its members by their rules, and the
// fund's own payments for its enrollees' care elsewhere are charged against
// it (a consortium's global budget, MODEL §5). The engine routes every
// payment of the fund through it.
type Payer interface {
	// Open starts year (0-based) of so many enrollees.
	Open(year int, enrollees float64)
	// Cycle takes a cycle's payments by provider and returns what the fund
	// pays out in the cycle: the payments of non-members, and the advance.
	Cycle(fundPaid []float64) float64
	// Close settles the year: transfers are the rules' year-end
	// settlements, routed as the cycles' payments are; revenue is the
	// year's revenue by provider. It returns what the fund pays out at the
	// year's end, and each provider's share of the payer's result.
	Close(transfers []Transfer, revenue []float64) (payout float64, share []float64)
	// Year is the account of the year being run (complete after Close).
	Year() BudgetYear
}

// A Preventer is a Payer that pays for the prevention work of its
// enrollees' management (a budget that pools public-health funds): the
// engine tells it, before Close, the year's managed person-years.
type Preventer interface {
	Prevent(managedYears float64)
}

// Forecaster is a Payer whose members plan each year on a forecast of its
// result, made at the end of the year before (before the first year, of
// the first): the probability that the year ends in an overspend, and the
// margin, what a yuan more of the members' care is expected to cost their
// side (respond.Plan.Expecting).
type Forecaster interface {
	Forecast() (over, margin float64)
}

// Rebaser is a Payer whose base is last year's spending per enrollee: one
// that starts within a run (a phase) takes the run's own spending of the
// year before (上年实际支出: what the fund's rules paid for the residents'
// care, per enrollee at that year's start) instead of the base its
// scenario gives for the year before the run.
type Rebaser interface {
	Rebase(spentPerEnrollee float64)
}

// Investor is a Payer whose consortium invests in its members' capability
// (respond.Uplift): the year's investment is paid out of the members'
// result, lowering what they keep of a surplus.
type Investor interface {
	// Invest charges the year being run with amount [yuan].
	Invest(amount float64)
}

// Enterer is a rule that can start within a run (a phase of the
// scenario): Enter sets the prices of year (0-based), its first.
type Enterer interface {
	Enter(year int)
}

// BudgetYear is one year of a Payer's account, in yuan.
type BudgetYear struct {
	Enrollees    float64 // persons at the year's start
	PerCapita    float64 // b: the per-capita base × (1 + growth)
	Insurance    float64 // the fund's part of G: enrollees × b × (1 − risk reserve)
	Reserve      float64 // enrollees × b × risk reserve share: kept back in the fund
	PublicHealth float64 // the pooled public-health part of G
	G            float64 // the budget: Insurance + PublicHealth
	Advanced     float64 // advances the fund paid during the year
	Internal     float64 // what the payer paid its members
	Outside      float64 // the fund's payments for care outside, charged against G
	Surplus      float64 // S = G − (Internal + Outside); negative: an overspend
	Retained     float64 // the members' result: α·S, or −(the overspend they bear)
	FundCovered  float64 // of an overspend, what the fund covers: β·min(−S, cap·G)
	FundKept     float64 // of a surplus, what the fund keeps: (1 − α)·S
	Transfer     float64 // the year-end payment fund → payer (negative: returned to the fund)
	Spending     float64 // what the enrollees' care cost: Internal + Outside
	FundOutlay   float64 // what the fund spent on the enrollees' care: advances + outside + transfer
	// Managed are the year's managed person-years, and Prevention the
	// prevention work they cost, paid out of G to the members at cost:
	// S = G − (Spending + Prevention).
	Managed, Prevention float64
	Investment          float64 // the consortium's investment in capability, out of the members' result (Investor)
}
