// Package tally holds what the engine counts as it steps a population:
// additive tallies of care, money and persons, and the snapshot of health
// at a year's end. The engine fills them; reports read them.
package tally

import (
	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/payment"
)

// Counts are additive tallies of one chunk of persons over one cycle, or of
// any sum of those. Adding in a fixed order gives the same bits every run.
type Counts struct {
	// Persons (filled by the engine's person loop).
	PersonCycles int64 // persons alive at cycle start, summed over cycles
	Deaths       int64 // deaths
	Premature    int64 // deaths at ages 30–69
	// By five-year age band from 30 to 69 (MODEL §7, premature mortality):
	// person-cycles lived, deaths from the declared conditions, and
	// background deaths.
	PrematurePC, PrematureCond, PrematureBg [PrematureBands]int64
	DeathsBy                                []int64 // [0] background, [1+c] condition c
	LY                                      float64 // life-years lived [years]
	QALY                                    float64 // quality-adjusted life-years

	// Episodes, by tier: care as it is booked; revenue and payments as the
	// rules settled them.
	Visits        []int64
	ChronicVisits []int64
	Admissions    []int64
	LongStays     []int64
	StayDays      []int64 // days of admissions
	LongDays      []int64 // days of long stays
	Charges       []float64
	Cost          []float64
	Covered       []float64
	OOP           []float64
	Revenue       []float64
	FundPaid      []float64
	ReferralsUp   int64
	ReferralsDown int64

	// Responses to incentives (MODEL §4): episodes they added or withheld.
	InducedVisits, WithheldVisits         int64
	InducedAdmissions, WithheldAdmissions int64
	SplitAdmissions, AddedReadmissions    int64
	NewComplications                      []int64 // entries into a complication state, by condition
	NewComplicationsManaged               []int64 // of them, by persons managed for the condition
	// ManagedAtRisk are the person-cycles of persons managed for the
	// condition and not in one of its complication states, by condition.
	ManagedAtRisk []int64
	// The induced episodes an audit denied (scenario.Supervision), and
	// their charges and resource cost: given, not booked, borne by the
	// provider.
	DeniedVisits, DeniedAdmissions int64
	DeniedCharges, DeniedCost      float64

	// The states of the conditions, by model.Model.StateOff: Occupancy
	// counts the persons alive at the cycle's start in each state, DeathsIn
	// the deaths by entering each dead state.
	Occupancy, DeathsIn []int64
}

// PrematureBands is the number of five-year age bands from exact age 30 to
// 70, the ages of premature mortality.
const PrematureBands = 8

// NewCounts returns zero Counts for nTier tiers and nCond conditions of
// nState states in all. The tallies of each Counts lie in two blocks with a
// cache line of padding at each end, so that workers filling different
// Counts never share a line.
func NewCounts(nTier, nCond, nState int) *Counts {
	const pad = 8 // 64 bytes
	ints := make([]int64, 2*pad+1+4*nCond+6*nTier+2*nState)[pad:]
	floats := make([]float64, 2*pad+6*nTier)[pad:]
	take := func(n int) []int64 { s := ints[:n:n]; ints = ints[n:]; return s }
	takeF := func(n int) []float64 { s := floats[:n:n]; floats = floats[n:]; return s }
	return &Counts{
		DeathsBy:                take(1 + nCond),
		NewComplications:        take(nCond),
		NewComplicationsManaged: take(nCond),
		ManagedAtRisk:           take(nCond),
		Visits:                  take(nTier),
		ChronicVisits:           take(nTier),
		Admissions:              take(nTier),
		LongStays:               take(nTier),
		StayDays:                take(nTier),
		LongDays:                take(nTier),
		Occupancy:               take(nState),
		DeathsIn:                take(nState),
		Charges:                 takeF(nTier),
		Cost:                    takeF(nTier),
		Covered:                 takeF(nTier),
		OOP:                     takeF(nTier),
		Revenue:                 takeF(nTier),
		FundPaid:                takeF(nTier),
	}
}

// Reset zeroes c for reuse.
func (c *Counts) Reset() {
	c.PersonCycles, c.Deaths, c.Premature = 0, 0, 0
	c.PrematurePC, c.PrematureCond, c.PrematureBg = [PrematureBands]int64{}, [PrematureBands]int64{}, [PrematureBands]int64{}
	c.LY, c.QALY = 0, 0
	c.ReferralsUp, c.ReferralsDown = 0, 0
	c.InducedVisits, c.WithheldVisits, c.InducedAdmissions, c.WithheldAdmissions = 0, 0, 0, 0
	c.SplitAdmissions, c.AddedReadmissions = 0, 0
	c.DeniedVisits, c.DeniedAdmissions, c.DeniedCharges, c.DeniedCost = 0, 0, 0, 0
	for _, s := range [][]int64{c.DeathsBy, c.NewComplications, c.NewComplicationsManaged, c.ManagedAtRisk, c.Visits, c.ChronicVisits, c.Admissions, c.LongStays, c.StayDays, c.LongDays, c.Occupancy, c.DeathsIn} {
		clear(s)
	}
	for _, s := range [][]float64{c.Charges, c.Cost, c.Covered, c.OOP, c.Revenue, c.FundPaid} {
		clear(s)
	}
}

// Add adds o to c.
func (c *Counts) Add(o *Counts) {
	c.PersonCycles += o.PersonCycles
	c.Deaths += o.Deaths
	c.Premature += o.Premature
	for b := range PrematureBands {
		c.PrematurePC[b] += o.PrematurePC[b]
		c.PrematureCond[b] += o.PrematureCond[b]
		c.PrematureBg[b] += o.PrematureBg[b]
	}
	c.LY += o.LY
	c.QALY += o.QALY
	c.ReferralsUp += o.ReferralsUp
	c.ReferralsDown += o.ReferralsDown
	c.InducedVisits += o.InducedVisits
	c.WithheldVisits += o.WithheldVisits
	c.InducedAdmissions += o.InducedAdmissions
	c.WithheldAdmissions += o.WithheldAdmissions
	c.SplitAdmissions += o.SplitAdmissions
	c.AddedReadmissions += o.AddedReadmissions
	c.DeniedVisits += o.DeniedVisits
	c.DeniedAdmissions += o.DeniedAdmissions
	c.DeniedCharges += o.DeniedCharges
	c.DeniedCost += o.DeniedCost
	addInts(c.DeathsBy, o.DeathsBy)
	addInts(c.NewComplications, o.NewComplications)
	addInts(c.NewComplicationsManaged, o.NewComplicationsManaged)
	addInts(c.ManagedAtRisk, o.ManagedAtRisk)
	addInts(c.Visits, o.Visits)
	addInts(c.ChronicVisits, o.ChronicVisits)
	addInts(c.Admissions, o.Admissions)
	addInts(c.LongStays, o.LongStays)
	addInts(c.StayDays, o.StayDays)
	addInts(c.LongDays, o.LongDays)
	addInts(c.Occupancy, o.Occupancy)
	addInts(c.DeathsIn, o.DeathsIn)
	addFloats(c.Charges, o.Charges)
	addFloats(c.Cost, o.Cost)
	addFloats(c.Covered, o.Covered)
	addFloats(c.OOP, o.OOP)
	addFloats(c.Revenue, o.Revenue)
	addFloats(c.FundPaid, o.FundPaid)
}

func addInts(dst, src []int64) {
	for i := range dst {
		dst[i] += src[i]
	}
}

func addFloats(dst, src []float64) {
	for i := range dst {
		dst[i] += src[i]
	}
}

// Sum returns the sum of xs.
func Sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// SumInt returns the sum of xs.
func SumInt(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// Health is a snapshot of the living population at a year's end.
type Health struct {
	Alive        int64
	Left         int64   // of the Alive, those who leave the scheme at the year's end
	Prevalent    []int64 // by condition
	Controlled   []int64
	Complication []int64
	Managed      []int64 // enrolled in management
	// ManagedSevere are the managed in a complication state: the severe
	// cases among the managed patients.
	ManagedSevere []int64
	Adults        int64   // alive aged 18+
	AdultPrev     []int64 // prevalent adults by condition
	// The state rewards of the living at the year's end, after they have
	// aged, as a cycle lived in those states accrues them: life-years and
	// QALYs of one cycle, undiscounted (their state costs are those of
	// Occupancy).
	LY, QALY  float64
	Occupancy []int64 // the living by state (model.Model.StateOff)
}

// NewHealth returns a zero snapshot for nCond conditions of nState states
// in all.
func NewHealth(nCond, nState int) *Health {
	return &Health{
		Prevalent: make([]int64, nCond), Controlled: make([]int64, nCond),
		Complication: make([]int64, nCond), Managed: make([]int64, nCond), ManagedSevere: make([]int64, nCond),
		AdultPrev: make([]int64, nCond), Occupancy: make([]int64, nState),
	}
}

// Reset zeroes h for reuse.
func (h *Health) Reset() {
	h.Alive, h.Adults, h.Left = 0, 0, 0
	h.LY, h.QALY = 0, 0
	for _, s := range [][]int64{h.Prevalent, h.Controlled, h.Complication, h.Managed, h.ManagedSevere, h.AdultPrev, h.Occupancy} {
		clear(s)
	}
}

// Add adds o to h.
func (h *Health) Add(o *Health) {
	h.Alive += o.Alive
	h.Left += o.Left
	h.Adults += o.Adults
	h.LY += o.LY
	h.QALY += o.QALY
	addInts(h.Prevalent, o.Prevalent)
	addInts(h.Controlled, o.Controlled)
	addInts(h.Complication, o.Complication)
	addInts(h.Managed, o.Managed)
	addInts(h.ManagedSevere, o.ManagedSevere)
	addInts(h.AdultPrev, o.AdultPrev)
	addInts(h.Occupancy, o.Occupancy)
}

// Year is what the engine hands over for one year.
type Year struct {
	Index int
	Phase int // the phases entered by the year (engine.Options.Phases): 0 before the first
	// Counts and Disc are the year's tallies, undiscounted and discounted;
	// their rewards (LY, QALY) count the states by the scenario's timing
	// (model.Care.RewardWeights), and so do StateCosts and DiscStateCosts,
	// the state costs by category (model.Model.CostCategories).
	Counts, Disc               *Counts
	StateCosts, DiscStateCosts []float64
	Health                     *Health // living population at the year's end
	Fund                       ledger.Year
	Entrants, Dead             int64
	Joined                     int64               // persons who join the scheme at the year's end (population.enrolment)
	Set                        *payment.Settlement // what the rules booked in the year's cycles
	YearEnd                    payment.YearEnd     // year-end settlements
	Budget                     *payment.BudgetYear // the consortium's global budget, if any
	// OverspendForecast and Margin are the payer's forecast the year was
	// planned on (payment.Forecaster).
	OverspendForecast, Margin float64
	// Trace is the state of the population at the start of each of the
	// year's cycles and, in the run's last year, at its end.
	Trace      []Point
	DiscPayout float64   // the fund's payout, discounted to the start of the run
	Payout     float64   // the same undiscounted
	Bonus      []float64 // by provider: its share of the consortium's result, if any
	// AuditCost is what the year's audit cost the government
	// (scenario.Supervision): cost per enrollee × the enrollees at the
	// year's start.
	AuditCost float64
	// Contracts are the year's family-doctor contracts (scenario.Contracts).
	Contracts Contracts
	Uplift    *Uplift // a consortium's capability uplift, if any
}

// Contracts are a year's family-doctor contracts: the contracted
// person-years and the fees paid for them, by the fund and by the persons.
type Contracts struct {
	PersonYears, Fees, FundPaid float64
}

// Uplift is a year of a consortium's investment in capability
// (respond.Uplift).
type Uplift struct {
	Investment  float64   // the year's investment [yuan]
	PerEnrollee float64   // the same per enrollee at the year's start [yuan]
	Stock       []float64 // each tier's capability in the year, the stock built included
}

// Point is the state of a population at one point of the run's time: a
// row of its Markov trace. Counts of persons are whole in a simulation,
// expected values (fractions of persons) in a cohort.
type Point struct {
	Cycle int     // the point is the start of this cycle (Cycles: the end of the run)
	Alive float64 // persons alive
	// States is by model.Model.StateOff: in a living state the persons
	// alive in it, in a dead state the deaths by entering it so far.
	States     []float64
	Background float64 // deaths from background causes so far
}

// Expected is what a cohort computes for one year (package markov): the
// expected values of the year's tallies, as shares of the persons at the
// start of the run.
type Expected struct {
	Index        int
	PersonCycles float64   // the shares alive at each cycle's start, summed over the year's cycles
	DeathsBy     []float64 // [0] background, [1+c] condition c
	Premature    float64   // deaths from the conditions at ages 30–69
	// NewComplications are the entries into a complication state, by
	// condition.
	NewComplications []float64
	// The living at the year's end, before they age: as Health counts them.
	Alive, Adults                                           float64
	Prevalent, AdultPrev, Controlled, Complication, Managed []float64
	// The state rewards by the scenario's timing, undiscounted and
	// discounted (as Year.Counts and Year.Disc have them); the state costs
	// by category (as Year.StateCosts and Year.DiscStateCosts).
	LY, QALY, DiscLY, DiscQALY float64
	StateCosts, DiscStateCosts []float64
	Trace                      []Point // as Year.Trace, in shares
}

// NewExpected returns the zero Expected of year index for nCond
// conditions and nCat cost categories.
func NewExpected(index, nCond, nCat int) *Expected {
	return &Expected{Index: index, DeathsBy: make([]float64, 1+nCond), NewComplications: make([]float64, nCond),
		StateCosts: make([]float64, nCat), DiscStateCosts: make([]float64, nCat),
		Prevalent: make([]float64, nCond), AdultPrev: make([]float64, nCond), Controlled: make([]float64, nCond),
		Complication: make([]float64, nCond), Managed: make([]float64, nCond)}
}

// Deaths is the year's deaths of every cause.
func (e *Expected) Deaths() float64 { return Sum(e.DeathsBy) }
