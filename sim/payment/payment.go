// Package payment defines what payment rules price: episodes of care
// (Events), and where the money goes (Settlement). Concrete rules live in
// sub-packages (ffs, …); the engine knows only the Rule interface.
package payment

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

// Event flags.
const (
	Chronic      uint8 = 1 << iota // a visit caused by a condition state
	ReferredUp                     // an admission referred up from the tier first contacted
	ReferredDown                   // a long stay after a down-referral
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
	Flags    uint8
	LOS      uint16  // length of stay [days]; 0 for a visit
	Cost     float64 // resource cost [yuan]
	Charges  float64 // itemised bill [yuan]
	Covered  float64 // fund-covered part of the charges under the benefit design [yuan]
	OOP      float64 // patient out-of-pocket = Charges − Covered [yuan]
	Revenue  float64 // provider revenue R for the case, set by the rule [yuan]
	FundPaid float64 // what the fund pays the provider for it: max(0, R − OOP), set by the rule [yuan]
}

// Settlement collects what a rule paid, per provider.
type Settlement struct {
	Revenue  []float64 // provider revenue [yuan], indexed by provider
	FundPaid []float64 // fund payments [yuan], indexed by provider
}

// NewSettlement returns a Settlement for n providers. Its sums lie in one
// block with a cache line of padding at each end, so that workers filling
// different Settlements never share a line.
func NewSettlement(n int) *Settlement {
	const pad = 8 // 64 bytes
	b := make([]float64, 2*pad+2*n)[pad:]
	return &Settlement{Revenue: b[:n:n], FundPaid: b[n : 2*n : 2*n]}
}

// Reset zeroes s for reuse.
func (s *Settlement) Reset() {
	clear(s.Revenue)
	clear(s.FundPaid)
}

// Add adds o to s provider by provider.
func (s *Settlement) Add(o *Settlement) {
	for i := range s.Revenue {
		s.Revenue[i] += o.Revenue[i]
		s.FundPaid[i] += o.FundPaid[i]
	}
}

// Book records that the provider of ev earns revenue and the fund pays it
// max(0, revenue − OOP): the patient's share is paid to the provider
// whatever the rule (MODEL §5).
func (s *Settlement) Book(ev *Event, revenue float64) {
	ev.Revenue = revenue
	ev.FundPaid = max(0, revenue-ev.OOP)
	s.Revenue[ev.Provider] += ev.Revenue
	s.FundPaid[ev.Provider] += ev.FundPaid
}

// A Rule prices the episodes of the providers and services bound to it.
//
// Settle prices the events of one cycle, setting each event's Revenue and
// FundPaid (through Settlement.Book) and adding to out. It is called
// concurrently for disjoint event slices and outputs, so it must not change
// the Rule.
type Rule interface {
	Settle(cycle int, evs []Event, out *Settlement)
}
