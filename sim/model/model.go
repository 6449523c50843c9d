// Package model compiles a validated scenario into the flat tables the
// cohort builder, the payment rules and the engine run on: per-cycle
// probabilities, Poisson tables, choice probabilities and index maps.
// Everything that can be computed before the first cycle is computed here,
// once.
//
// It compiles in two steps. CompileCare compiles what does not depend on how
// providers respond to payment (population, tiers, providers, groups,
// benefits, bindings); payment rules are built from it, and package respond
// computes the providers' responses from it and the rules' margins. Compile
// then compiles the conditions and the choice of tier, which depend on the
// prevention effort and the pull that the responses and agreements give.
package model

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Limits of the compact per-person state.
const (
	MaxConditions = 8   // managed flags are one byte per person
	MaxStates     = 255 // a state is a byte
	MaxTownships  = 255 // a township is a byte
	MaxTiers      = 64
	MaxAge        = 255 // an age is a byte; older persons stay 255
	NFrail        = 16  // frailty buckets when a condition is heterogeneous (their CV can reach √15 ≈ 3.9)
	QuantileBits  = 10  // the bits of a draw a quantile takes (Quantile, LowQuantile)
	NQuantile     = 1 << QuantileBits
	// NoProvider marks a (tier, township) no provider serves.
	NoProvider = ^uint16(0)
	// NoBinding marks a (provider, service) no payment rule covers.
	NoBinding = ^uint8(0)
)

// Care is the part of a compiled scenario that does not depend on how
// providers respond to payment. It is read-only once built and shared by
// every worker.
type Care struct {
	S             *scenario.Scenario
	DT            float64 // cycle length [years]
	DaysPerCycle  float64 // 365 ÷ cycles per year
	CyclesPerYear int
	Cycles        int // cycles in the horizon
	// CostRate and EffectRate are the annual rates that discount money and
	// health (scenario.CostRate, EffectRate).
	CostRate, EffectRate float64

	// Population.
	NBand      int
	BandOf     [MaxAge + 1]uint8 // age → band
	BandFrom   []int
	BandTo     []int
	BandCum    []float64   // cumulative band weights
	AgeCum     [][]float64 // by band: cumulative distribution of ages From..To at the start
	MaleShare  float64
	Mort       []uint64  // per-cycle background death probability as a Threshold [(year*NBand + band)*2 + male], falling with trends.mortality
	TownCum    []float64 // cumulative township weights
	BandUtil   []float64 // baseline utility by band
	BaseVisits []Rate    // background visits per cycle [year*NBand + band], growing by trends.volume
	BaseAdm    []Rate    // background admissions per cycle [year*NBand + band]
	AdmMix     Mix       // case mix of background admissions
	EntrantAge int
	EntrantAt  float64 // entrants per year ÷ persons alive at year end
	// Leave and Join are the shares of the enrolled at the end of the year
	// before who leave and join at the start of each year, by year of the
	// run (0 in the first).
	Leave, Join []float64

	// Tiers, providers and groups.
	NTier     int
	NTown     int
	NProv     int
	NGroup    int
	TierNames []string
	Primary   []bool
	InCounty  []bool
	CostRatio []float64 // resource cost ÷ charges, by tier
	VisitMean []float64 // mean visit charges, by tier
	BedDay    []float64 // charges per long-stay bed-day, by tier
	ProvOf    []uint16  // [tier*NTown + township] → provider
	ProvNames []string
	ProvTier  []uint8
	// Consortium is, by provider, the index in S.Consortia of the
	// consortium it belongs to (at most one), or −1.
	Consortium []int
	Member     []bool // by provider: a member of the consortium that holds a budget, paid out of it
	GroupNames []string

	StayMean []float64   // [group*NTier + tier] mean charges of a stay
	LOSMean  []float64   // [group*NTier + tier] mean length of stay [days]
	Rehab    []RehabRule // by group
	// Latent is, by [group*NTier + tier], the capability the tier needs to
	// treat the group when it has not got it at the start (a by_tier
	// entry's requires), else 0; LatentStay and LatentLOS are such an
	// entry's charges and length of stay, which StayMean and LOSMean leave
	// at 0 until an uplift reaches it (Model.ChoiceAt). nil: no such entry.
	Latent, LatentStay, LatentLOS []float64

	// Benefit, [tier*NService + service].
	Ded, Ratio, Elig []float64
	InCeiling        float64
	OutCeiling       float64

	// Binding maps [provider*NService + service] → index into S.Payment:
	// the binding whose rule pays that care, or NoBinding.
	Binding []uint8

	ChargeQ [NQuantile]float64 // lognormal multipliers of mean 1 at quantiles (i+0.5)/NQuantile
	LOSQ    [NQuantile]float64
	// Charge is the factor on an episode's first-year charges in a year of
	// the run, [year*NTier*NService + tier*NService + service]: the price
	// and intensity trends and the shocks in force (scenario.Trends) that
	// cut a service whatever the group.
	Charge []float64
	// StayCharge is the factor on an inpatient stay's first-year charges,
	// [year*NGroup*NTier + group*NTier + tier]: Charge's, and the shocks in
	// force that cut the group's stays.
	StayCharge []float64
}

// Discount is the factor (1 + rate)^−t that discounts what happens t = k·dt
// years after the start of the run to the start, k in cycles (not
// necessarily whole).
func (m *Care) Discount(rate, k float64) float64 {
	return math.Pow(1+rate, -k*m.DT)
}

// RewardWeights returns the factors on the state rewards of point k — the
// states held at t = k·dt: at the start of cycle k, or at the end of the
// run for k = Cycles — that count towards cycle k (start) and towards cycle
// k − 1 (end), under the scenario's rewards.timing, discounted at the
// annual rate: all to cycle k at its start (start), all to cycle k − 1 at
// its end (end), half to each at t (half_cycle: the points 0 and Cycles
// count half), half to each at the middle of the cycle it counts towards
// (life_table). Over the run a point's two factors add up to its weight.
func (m *Care) RewardWeights(k int, rate float64) (start, end float64) {
	x := float64(k)
	switch m.S.Rewards.Timing {
	case scenario.TimingEnd:
		end = m.Discount(rate, x)
	case scenario.HalfCycle:
		start = m.Discount(rate, x) / 2
		end = start
	case scenario.LifeTable:
		start, end = m.Discount(rate, x+0.5)/2, m.Discount(rate, x-0.5)/2
	default:
		start = m.Discount(rate, x)
	}
	if k >= m.Cycles {
		start = 0
	}
	if k <= 0 {
		end = 0
	}
	return start, end
}

// Charges returns the factors on the charges of year y (0-based), by
// [tier*NService + service].
func (m *Care) Charges(y int) []float64 {
	n := m.NTier * int(payment.NService)
	return m.Charge[y*n : (y+1)*n]
}

// Morts is Mort of year y (0-based), by [band*2 + male].
func (m *Care) Morts(y int) []uint64 {
	n := 2 * m.NBand
	return m.Mort[y*n : (y+1)*n]
}

// StayCharges is the StayCharge of year y (0-based), by [group*NTier + tier].
func (m *Care) StayCharges(y int) []float64 {
	n := m.NGroup * m.NTier
	return m.StayCharge[y*n : (y+1)*n]
}

// Rebased returns, by year of the run, the factor by which the DRG and DIP
// prices re-based on procurement's cuts (scenario.Shock.RebasedFrom) fall:
// R_y = Σ_g w_g × Π (1 − share × cut) ÷ Σ_g w_g, the product over the
// shocks in force and re-based in year y that cut group g's stays at its
// reference tier (RefTier), w_g the weight of group g in the rule's
// spending (its cases × its mean charges). It returns nil when no shock is
// re-based, and all ones when the weights vanish.
func (m *Care) Rebased(weight []float64) []float64 {
	tr := &m.S.Trends
	if !slices.ContainsFunc(tr.Shocks, func(sh scenario.Shock) bool { return sh.RebasedFrom != 0 }) {
		return nil
	}
	years := max(m.S.Years, 1)
	out := make([]float64, years)
	for y := range out {
		cal := m.S.StartYear + y
		sum, cut := 0.0, 0.0
		for g, w := range weight {
			f := 1.0
			for i := range tr.Shocks {
				sh := &tr.Shocks[i]
				if sh.RebasedFrom != 0 && sh.RebasedFrom <= cal && sh.Cuts(cal, scenario.Inpatient, m.TierNames[m.RefTier(g)], m.GroupNames[g]) {
					f *= 1 - sh.Share*sh.Cut
				}
			}
			sum += w
			cut += w * f
		}
		out[y] = 1
		if sum > 0 {
			out[y] = cut / sum
		}
	}
	return out
}

// BindingOf is the binding whose rule pays provider p's care of service
// svc, or NoBinding.
func (m *Care) BindingOf(p int, svc payment.Service) uint8 {
	return m.Binding[p*int(payment.NService)+int(svc)]
}

// Bound reports whether binding b pays any of provider p's care.
func (m *Care) Bound(p, b int) bool {
	for svc := range payment.NService {
		if int(m.BindingOf(p, svc)) == b {
			return true
		}
	}
	return false
}

// TierRates returns the rates of a rates list by tier; a tier not listed
// has rate 0.
func (m *Care) TierRates(rates []scenario.TierRate) []float64 {
	out := make([]float64, m.NTier)
	for _, r := range rates {
		if t := slices.Index(m.TierNames, r.Tier); t >= 0 {
			out[t] = r.Rate
		}
	}
	return out
}

// TierFactors returns the factors of a tier → factor mapping by tier; a
// tier not listed has factor 1.
func (m *Care) TierFactors(d scenario.Dist) []float64 {
	out := make([]float64, m.NTier)
	for t := range out {
		out[t] = 1
	}
	for _, sh := range d {
		if t := slices.Index(m.TierNames, sh.Name); t >= 0 {
			out[t] = sh.Value
		}
	}
	return out
}

// Model is a compiled scenario: its Care, and the conditions and the choice
// of tier, which depend on primary care's prevention effort and on the pull
// of referral agreements and budgets. It is read-only once built and shared
// by every worker.
type Model struct {
	*Care

	Cond []Cond
	// StateOff is, by condition, the index of its first state in the tallies
	// by state of every condition, which have NStates entries.
	StateOff []int
	NStates  int
	// StateWeights is set when some state has a utility other than 1: the
	// engine weighs each person's time by their states only then.
	StateWeights bool
	// Utilities is set when some age band or state declares a utility:
	// only then are QALYs a figure of the scenario's.
	Utilities bool
	// CostCategories are the categories of the state costs
	// (scenario.Scenario.CostCategories): State.Costs and StateCostsAt are
	// by them.
	CostCategories []string

	VisitCum [2][]uint64 // cumulative choice probabilities over tiers as Thresholds: [0] background, [1] chronic visits
	// Choice is the choice of tier of an admission at the tiers'
	// capability; ChoiceAt gives it at a capability raised by an uplift.
	Choice
	pull []float64 // by tier: the bonus on its utility (Compile)
}

// Choice is where admissions go at given capabilities of the tiers: the
// first contact's tier, the tier that treats, and that tier's care. The
// engine reads the Choice of the year being run.
type Choice struct {
	AdmCum   []uint64 // [group*NTier + tier] cumulative first-contact probabilities as Thresholds
	Treat    []uint8  // [group*NTier + first tier] → treating tier
	Referred []bool   // [group*NTier + first tier] → referred up
	// Stay and LOS are the mean charges and length of stay of a group at
	// the tiers that treat it [group*NTier + tier], 0 where a tier does not
	// (Care.StayMean and LOSMean, and the latent entries reached).
	Stay, LOS []float64
	// Capability is each tier's capability, by tier.
	Capability []float64
}

// Cond is one compiled condition.
type Cond struct {
	Name   string
	NState int
	Init   []float64 // [band*NState + state] cumulative starting distribution
	// InitCycles: time already spent in the starting state is uniform in [0, InitCycles) cycles.
	InitCycles  float64
	InitManaged float64
	Frail       []float64 // factor per frailty bucket (length 1 when homogeneous)
	NDur        int
	DurBucket   []uint8 // cycles in state (capped at len-1) → duration bucket
	stride      [5]int  // of TransRow's keys (setStrides)
	// Trans holds, for each level of prevention effort, rows of NState+1
	// 32-bit Thresholds (Threshold32): the probability of leaving, then the
	// cumulative probabilities of each target state (the own state adds 0).
	// Row of (band, managed, dur, frail, state) in a period of the run =
	// PeriodOffset(period) + TransRow(...). 32 bits keep the table small
	// enough for the cache; they resolve probabilities to 2.3e−10.
	Trans [][]uint32
	// PeriodFrom is the first cycle of each period of the run between the
	// steps of the by_run_years modifiers (one period from cycle 0 when
	// there are none); Period is the period of each cycle.
	PeriodFrom []int
	Period     []int
	// Level is the effort level of each township (an index into Trans and
	// Enrol); Effort the effort of each level on finding and managing
	// patients (screening, enrolment), ControlEffort on their control
	// (control, complications) (level 0: none).
	Level                               []uint8
	Effort, ControlEffort               []float64
	StateNames                          []string
	State                               []State // by state: what the engine reads every cycle
	Prevalent, Controlled, Complication []bool
	Enrol                               []uint64 // per-cycle probabilities as Thresholds, by effort level
	Drop                                uint64
	EventMix                            []Mix   // [state*2 + managed] → which group an event admits to
	Admit                               []int32 // [from*NState + to] → group a transition admits to, or −1

	// What Moves computes the rows from.
	cond    *scenario.Condition
	out     [][]int // by state: the indexes of the transitions out of it
	to      []int   // by transition: its target state
	durFrom []int   // by duration bucket: the least whole cycles in the state it holds
	prev    scenario.Prevention
}

// State is what the engine needs of one state of a condition, in one place.
type State struct {
	Utility float64
	// Costs is the annual state cost in each period of the run
	// (Cond.PeriodFrom) by cost category, [period][category]: the state's
	// cost, changed by its cost_by_run_years.
	Costs     [][]float64
	Visits    [2]Rate // per cycle, by managed
	Events    [2]Rate // admitting events per cycle, by managed
	Diagnosed bool
	Dead      bool
}

// TransRow returns the offset of the row for the given keys within the
// rows of a period of the run (see PeriodOffset).
func (c *Cond) TransRow(band, managed, dur, frail, state int) int {
	s := &c.stride
	return band*s[0] + managed*s[1] + dur*s[2] + frail*s[3] + state*s[4]
}

// setStrides sets the strides of TransRow's keys, once NDur, Frail and
// NState are known: rows by band, managed, duration, frailty and state,
// each of NState + 1 thresholds.
func (c *Cond) setStrides() {
	row := c.NState + 1
	c.stride[4] = row
	c.stride[3] = c.NState * c.stride[4]
	c.stride[2] = len(c.Frail) * c.stride[3]
	c.stride[1] = c.NDur * c.stride[2]
	c.stride[0] = 2 * c.stride[1]
}

// PeriodAt is the period of the run of cycle k (Period): the first for k
// before the run, the last one for k at or after its end.
func (c *Cond) PeriodAt(k int) int {
	switch {
	case k < 0:
		return 0
	case k < len(c.Period):
		return c.Period[k]
	}
	return c.Period[len(c.Period)-1]
}

// StateCostsAt adds to out, by cost category (Model.CostCategories), the
// state costs of one cycle of the persons in occupancy (persons or shares
// of them alive by state, Model.StateOff) at cycle k's costs: Σ persons ×
// the state's annual cost in k's period × DT. A point of time counts
// towards the cycle that starts at it and the one that ends at it, which a
// cost step between them prices differently. Dead states cost nothing.
func StateCostsAt[N int64 | float64](m *Model, out []float64, occupancy []N, k int) {
	for c := range m.Cond {
		cd := &m.Cond[c]
		p := cd.PeriodAt(k)
		for s := range cd.State {
			n := float64(occupancy[m.StateOff[c]+s])
			if n == 0 || cd.State[s].Dead {
				continue
			}
			for j, x := range cd.State[s].Costs[p] {
				out[j] += n * x * m.DT
			}
		}
	}
}

// PeriodOffset returns the offset in Trans of the rows of a period of the
// run.
func (c *Cond) PeriodOffset(period int) int {
	return period * c.periodRows(len(c.Init)/c.NState)
}

// periodRows is the length of one period's rows for nBand bands.
func (c *Cond) periodRows(nBand int) int {
	return nBand * 2 * c.NDur * len(c.Frail) * c.NState * (c.NState + 1)
}

// Mix is a cumulative distribution over groups.
type Mix struct {
	Cum   []uint64 // Thresholds
	Group []uint16
}

// Pick returns the group at random draw x.
func (m *Mix) Pick(x uint64) uint16 {
	for i, c := range m.Cum {
		if x < c {
			return m.Group[i]
		}
	}
	return m.Group[len(m.Group)-1]
}

// RehabRule is a group's down-referral.
type RehabRule struct {
	Share uint64 // Threshold of the share referred down
	Tier  uint8
	LOS   float64
}

// CompileCare builds the care tables of a validated scenario. Its errors
// are *scenario.Error values for limits of the compact state that
// validation does not know about.
func CompileCare(s *scenario.Scenario) (*Care, error) {
	var errs []error
	fail := func(path, format string, args ...any) {
		errs = append(errs, &scenario.Error{Pos: s.At(path), Msg: fmt.Sprintf(format, args...)})
	}
	m := &Care{S: s, CyclesPerYear: s.Cycle.CyclesPerYear()}
	m.DT = 1 / float64(m.CyclesPerYear)
	m.DaysPerCycle = 365 / float64(m.CyclesPerYear)
	m.Cycles = s.Years * m.CyclesPerYear
	m.CostRate, m.EffectRate = s.CostRate(), s.EffectRate()

	if len(s.Conditions) > MaxConditions {
		fail("conditions", "%d conditions; at most %d fit the per-person state", len(s.Conditions), MaxConditions)
	}
	if len(s.Population.Townships) > MaxTownships {
		fail("population.townships", "%d townships; at most %d", len(s.Population.Townships), MaxTownships)
	}
	if len(s.Tiers) > MaxTiers {
		fail("tiers", "%d tiers; at most %d", len(s.Tiers), MaxTiers)
	}
	if len(s.Providers) >= int(NoProvider) || len(s.Groups) >= int(payment.NoGroup) {
		fail("providers", "too many providers or groups; at most %d", NoProvider-1)
	}
	if len(s.Payment) >= int(NoBinding) {
		fail("payment", "%d payment bindings; at most %d", len(s.Payment), NoBinding-1)
	}
	for i, c := range s.Conditions {
		if len(c.States) > MaxStates {
			fail(fmt.Sprintf("conditions[%d].states", i), "%d states; at most %d", len(c.States), MaxStates)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	m.compilePopulation()
	m.compileCare()
	m.AdmMix = m.mix(s.Population.Admissions) // once the groups are known
	m.compileTrends()
	lognormalQuantiles(&m.ChargeQ, s.Variation.Charges)
	lognormalQuantiles(&m.LOSQ, s.Variation.LOS)
	return m, nil
}

// Compile completes c into a model: the conditions under the prevention
// effort of each condition and township (effort[c*NTown + w], [0,1]; nil:
// none), and the choice of tier with the pull of each tier (a bonus on its
// utility; nil: none).
func Compile(c *Care, effort, pull []float64) *Model { return CompileLevers(c, effort, nil, pull) }

// CompileLevers is Compile with the effort on the control of the
// conditions (control and complications, control[c*NTown + w]) apart from
// effort, which then acts on finding and managing patients (screening and
// enrolment); control nil: effort on both.
func CompileLevers(c *Care, effort, control, pull []float64) *Model {
	m := &Model{Care: c, CostCategories: c.S.CostCategories()}
	if effort == nil {
		effort = make([]float64, len(c.S.Conditions)*c.NTown)
	}
	if control == nil {
		control = effort
	}
	if pull == nil {
		pull = make([]float64, c.NTier)
	}
	for i := range c.S.Conditions {
		m.Cond = append(m.Cond, m.compileCondition(i, effort[i*c.NTown:(i+1)*c.NTown], control[i*c.NTown:(i+1)*c.NTown]))
		m.StateOff = append(m.StateOff, m.NStates)
		m.NStates += m.Cond[i].NState
		for _, st := range m.Cond[i].State {
			m.StateWeights = m.StateWeights || st.Utility != 1
		}
	}
	m.pull = pull
	m.compileVisits()
	m.Choice = *m.ChoiceAt(nil)
	m.Utilities = c.S.HasUtilities()
	return m
}

// ageCum is the cumulative distribution of ages within a band at the start:
// uniform, except in the last, open band, where ages fall off with the band's
// mortality as they do in a stationary population (weight e^(−m·(age−From))).
func ageCum(b scenario.AgeBand, last bool) []float64 {
	to := min(b.To, MaxAge)
	cum := make([]float64, 0, to-b.From+1)
	sum := 0.0
	for a := b.From; a <= to; a++ {
		w := 1.0
		if last {
			w = math.Exp(-b.Mortality * float64(a-b.From))
		}
		sum += w
		cum = append(cum, sum)
	}
	normalise(cum)
	return cum
}

// RateToProb converts an annual rate to the probability of at least one
// event in a cycle of dt years: p = 1 − exp(−r·dt).
func RateToProb(rate, dt float64) float64 { return -math.Expm1(-rate * dt) }

func (m *Care) compilePopulation() {
	s := m.S
	p := &s.Population
	m.NBand = len(p.AgeBands)
	male := 1.0
	if p.MaleMortality != nil {
		male = *p.MaleMortality
	}
	sum := 0.0
	for b, band := range p.AgeBands {
		m.BandFrom = append(m.BandFrom, band.From)
		m.BandTo = append(m.BandTo, band.To)
		sum += band.Weight
		m.BandCum = append(m.BandCum, sum)
		m.BandUtil = append(m.BandUtil, orOne(band.Utility))
		m.AgeCum = append(m.AgeCum, ageCum(band, b == m.NBand-1))
		for a := band.From; a <= MaxAge; a++ {
			if a <= band.To || b == m.NBand-1 {
				m.BandOf[a] = uint8(b)
			}
		}
	}
	normalise(m.BandCum)
	for y := 0; y < max(s.Years, 1); y++ {
		f := math.Pow(1+s.Trends.Mortality, float64(y))
		for _, band := range p.AgeBands {
			m.Mort = append(m.Mort, Threshold(RateToProb(band.Mortality*f, m.DT)), Threshold(RateToProb(band.Mortality*male*f, m.DT)))
		}
	}
	vol := &s.Trends.Volume
	for y := 0; y < max(s.Years, 1); y++ {
		fv, fa := math.Pow(1+vol.Visits, float64(y)), math.Pow(1+vol.Admissions, float64(y))
		for _, band := range p.AgeBands {
			m.BaseVisits = append(m.BaseVisits, NewRate(band.Visits*fv*m.DT))
			m.BaseAdm = append(m.BaseAdm, NewRate(band.Admissions*fa*m.DT))
		}
	}
	m.MaleShare = p.MaleShare
	sum = 0
	for _, t := range p.Townships {
		sum += t.Weight
		m.TownCum = append(m.TownCum, sum)
	}
	normalise(m.TownCum)
	m.NTown = len(p.Townships)
	m.EntrantAge = min(p.Entrants.Age, MaxAge)
	m.EntrantAt = p.Entrants.Rate
	m.Leave, m.Join = make([]float64, m.S.Years), make([]float64, m.S.Years)
	for y := 1; y < m.S.Years; y++ {
		m.Leave[y], m.Join[y] = p.Turnover(m.S.StartYear + y)
	}
}

func (m *Care) compileCare() {
	s := m.S
	m.NTier = len(s.Tiers)
	tierIdx := map[string]int{}
	for i, t := range s.Tiers {
		tierIdx[t.Name] = i
		m.TierNames = append(m.TierNames, t.Name)
		m.Primary = append(m.Primary, t.Primary)
		m.InCounty = append(m.InCounty, t.InCounty)
		m.CostRatio = append(m.CostRatio, orOne(t.CostToCharge))
		vm := 0.0
		if t.Outpatient {
			vm = t.VisitCharges
		}
		m.VisitMean = append(m.VisitMean, vm)
		m.BedDay = append(m.BedDay, t.BedDayCharges)
	}
	townIdx := map[string]int{}
	for i, t := range s.Population.Townships {
		townIdx[t.Name] = i
	}
	m.ProvOf = make([]uint16, m.NTier*m.NTown)
	for i := range m.ProvOf {
		m.ProvOf[i] = NoProvider
	}
	provIdx := map[string]int{}
	for i, pr := range s.Providers {
		provIdx[pr.Name] = i
		t := tierIdx[pr.Tier]
		m.ProvNames = append(m.ProvNames, pr.Name)
		m.ProvTier = append(m.ProvTier, uint8(t))
		if len(pr.Townships) == 0 {
			for tw := 0; tw < m.NTown; tw++ {
				m.ProvOf[t*m.NTown+tw] = uint16(i)
			}
		}
		for _, name := range pr.Townships {
			m.ProvOf[t*m.NTown+townIdx[name]] = uint16(i)
		}
	}
	m.NProv = len(s.Providers)
	m.Consortium = make([]int, m.NProv)
	m.Member = make([]bool, m.NProv)
	for p, pr := range s.Providers {
		m.Consortium[p] = -1
		for ci := range s.Consortia {
			c := &s.Consortia[ci]
			if slices.Contains(c.Tiers, pr.Tier) || slices.Contains(c.Providers, pr.Name) {
				m.Consortium[p] = ci // validation puts a provider in one consortium at most
				m.Member[p] = c.Budget != nil
			}
		}
	}

	m.NGroup = len(s.Groups)
	m.StayMean = make([]float64, m.NGroup*m.NTier)
	m.LOSMean = make([]float64, m.NGroup*m.NTier)
	for g, gr := range s.Groups {
		m.GroupNames = append(m.GroupNames, gr.Name)
		for _, bt := range gr.ByTier {
			t := tierIdx[bt.Tier]
			if bt.Requires > s.Tiers[t].Capability {
				if m.Latent == nil {
					m.Latent = make([]float64, len(s.Groups)*m.NTier)
					m.LatentStay = make([]float64, len(s.Groups)*m.NTier)
					m.LatentLOS = make([]float64, len(s.Groups)*m.NTier)
				}
				m.Latent[g*m.NTier+t], m.LatentStay[g*m.NTier+t], m.LatentLOS[g*m.NTier+t] = bt.Requires, bt.Charges, bt.LOS
				continue
			}
			m.StayMean[g*m.NTier+t] = bt.Charges
			m.LOSMean[g*m.NTier+t] = bt.LOS
		}
		var r RehabRule
		if gr.Rehab != nil {
			r = RehabRule{Share: Threshold(gr.Rehab.Share), Tier: uint8(tierIdx[gr.Rehab.Tier]), LOS: gr.Rehab.LOS}
		}
		m.Rehab = append(m.Rehab, r)
	}

	ns := int(payment.NService)
	m.Ded = make([]float64, m.NTier*ns)
	m.Ratio = make([]float64, m.NTier*ns)
	m.Elig = make([]float64, m.NTier*ns)
	for _, tb := range s.Benefit.Tiers {
		t := tierIdx[tb.Tier]
		for svc, sh := range []scenario.Sharing{tb.Outpatient, tb.Inpatient, tb.LongStay} {
			m.Ded[t*ns+svc] = sh.Deductible
			m.Ratio[t*ns+svc] = sh.Ratio
			m.Elig[t*ns+svc] = orOne(sh.Eligible)
		}
	}
	m.InCeiling = s.Benefit.InpatientCeiling
	m.OutCeiling = s.Benefit.OutpatientCeiling

	m.Binding = make([]uint8, m.NProv*ns)
	for i := range m.Binding {
		m.Binding[i] = NoBinding // validation binds every pair the scenario can produce
	}
	for b, bind := range s.Payment {
		tiers := map[int]bool{}
		for _, t := range bind.Tiers {
			tiers[tierIdx[t]] = true
		}
		provs := map[int]bool{}
		for _, p := range bind.Providers {
			provs[provIdx[p]] = true
		}
		svcs := map[payment.Service]bool{}
		for _, name := range bind.Services {
			if svc, ok := payment.ParseService(name); ok {
				svcs[svc] = true
			}
		}
		for p := 0; p < m.NProv; p++ {
			if len(tiers)+len(provs) > 0 && !tiers[int(m.ProvTier[p])] && !provs[p] {
				continue
			}
			for svc := payment.Service(0); svc < payment.NService; svc++ {
				if len(svcs) == 0 || svcs[svc] {
					m.Binding[p*ns+int(svc)] = uint8(b)
				}
			}
		}
	}
}

// compileTrends computes the factor on the charges of each year, tier and
// service: (1 + price)^y × (1 + intensity)^y × Π (1 − share × cut) over the
// shocks in force from their year on.
func (m *Care) compileTrends() {
	tr := &m.S.Trends
	rate := func(general, own *float64) float64 {
		switch {
		case own != nil:
			return *own
		case general != nil:
			return *general
		}
		return 0
	}
	years, ns := max(m.S.Years, 1), int(payment.NService)
	m.Charge = make([]float64, years*m.NTier*ns)
	names := []string{scenario.Outpatient, scenario.Inpatient, scenario.LongStay}
	for t, tier := range m.TierNames {
		var own *scenario.TierTrend
		for i := range tr.Tiers {
			if tr.Tiers[i].Tier == tier {
				own = &tr.Tiers[i]
			}
		}
		for svc, name := range names {
			price, intensity := rate(tr.Price.Of(name), nil), rate(tr.Intensity.Of(name), nil)
			if own != nil {
				price, intensity = rate(tr.Price.Of(name), own.Price.Of(name)), rate(tr.Intensity.Of(name), own.Intensity.Of(name))
			}
			for y := 0; y < years; y++ {
				f := math.Pow(1+price, float64(y)) * math.Pow(1+intensity, float64(y))
				for i := range tr.Shocks {
					if tr.Shocks[i].Cuts(m.S.StartYear+y, name, tier, "") {
						f *= 1 - tr.Shocks[i].Share*tr.Shocks[i].Cut
					}
				}
				m.Charge[y*m.NTier*ns+t*ns+svc] = f
			}
		}
	}
	m.StayCharge = make([]float64, years*m.NGroup*m.NTier)
	for y := 0; y < years; y++ {
		for g, group := range m.GroupNames {
			for t, tier := range m.TierNames {
				f := m.Charge[y*m.NTier*ns+t*ns+int(payment.Inpatient)]
				for i := range tr.Shocks {
					if sh := &tr.Shocks[i]; len(sh.Groups) > 0 && sh.Cuts(m.S.StartYear+y, scenario.Inpatient, tier, group) {
						f *= 1 - sh.Share*sh.Cut
					}
				}
				m.StayCharge[(y*m.NGroup+g)*m.NTier+t] = f
			}
		}
	}
}

// RefTier is the tier whose cost tables stand for group g in a payment
// rule's group data (mean cost, length of stay): the highest in-county tier
// that treats it, else the lowest tier that does.
func (m *Care) RefTier(g int) int {
	ref := -1
	for t := 0; t < m.NTier; t++ {
		if m.StayMean[g*m.NTier+t] > 0 && m.InCounty[t] {
			ref = t
		}
	}
	if ref >= 0 {
		return ref
	}
	for t := 0; t < m.NTier; t++ {
		if m.StayMean[g*m.NTier+t] > 0 {
			return t
		}
	}
	return 0
}

// Covered is the fund-covered part of charges at a tier for a service under
// the benefit design, before the annual ceiling:
// ratio × max(0, eligible × charges − deductible).
func (m *Care) Covered(tier int, svc payment.Service, charges float64) float64 {
	k := tier*int(payment.NService) + int(svc)
	return m.Ratio[k] * max(0, m.Elig[k]*charges-m.Ded[k])
}

func (m *Model) compileVisits() {
	s, pull := m.S, m.pull
	ps := s.Choice.PriceSensitivity / 1000 // per yuan
	for kind := 0; kind < 2; kind++ {
		u := make([]float64, m.NTier)
		ok := make([]bool, m.NTier)
		for t, tier := range s.Tiers {
			if !tier.Outpatient {
				continue
			}
			c := tier.Constants.Visit
			if kind == 1 {
				c = tier.Constants.Chronic
			}
			mean := m.VisitMean[t]
			u[t] = c + pull[t] - ps*(mean-m.Covered(t, payment.Outpatient, mean))
			ok[t] = true
		}
		m.VisitCum[kind] = thresholds(logitCum(u, ok))
	}
}

// ChoiceAt is the choice of tier of an admission when each tier's
// capability is raised by uplift[t] (nil: none): utility = tier constant +
// pull + group severity × capability − price sensitivity × expected
// out-of-pocket, and a tier treats a group it has an entry for whose
// requires the capability reaches, referring up the others. With no
// uplift it is the Model's own Choice.
func (m *Model) ChoiceAt(uplift []float64) *Choice {
	if uplift == nil && m.AdmCum != nil {
		return &m.Choice
	}
	s := m.S
	ps := s.Choice.PriceSensitivity / 1000 // per yuan
	ch := &Choice{Stay: m.StayMean, LOS: m.LOSMean, Capability: make([]float64, m.NTier)}
	for t, tier := range s.Tiers {
		ch.Capability[t] = tier.Capability
		if uplift != nil {
			ch.Capability[t] += uplift[t]
		}
	}
	if m.Latent != nil && uplift != nil {
		ch.Stay, ch.LOS = slices.Clone(m.StayMean), slices.Clone(m.LOSMean)
		for k, need := range m.Latent {
			if need > 0 && ch.Capability[k%m.NTier] >= need {
				ch.Stay[k], ch.LOS[k] = m.LatentStay[k], m.LatentLOS[k]
			}
		}
	}
	inpatient := make([]bool, m.NTier)
	for g := 0; g < m.NGroup; g++ {
		for t := 0; t < m.NTier; t++ {
			if ch.Stay[g*m.NTier+t] > 0 {
				inpatient[t] = true
			}
		}
	}
	ch.AdmCum = make([]uint64, 0, m.NGroup*m.NTier)
	ch.Treat = make([]uint8, m.NGroup*m.NTier)
	ch.Referred = make([]bool, m.NGroup*m.NTier)
	for g, gr := range s.Groups {
		u := make([]float64, m.NTier)
		for t := 0; t < m.NTier; t++ {
			treat, up := ch.treatingTier(m.NTier, g, t)
			ch.Treat[g*m.NTier+t] = uint8(treat)
			ch.Referred[g*m.NTier+t] = up
			mean := ch.Stay[g*m.NTier+treat]
			oop := mean - m.Covered(treat, payment.Inpatient, mean)
			u[t] = s.Tiers[t].Constants.Admission + m.pull[t] + gr.Severity*ch.Capability[t] - ps*oop
		}
		ch.AdmCum = append(ch.AdmCum, thresholds(logitCum(u, inpatient))...)
	}
	return ch
}

// treatingTier is where an admission first presented at tier t of nTier is
// treated: t if it can treat group g, else the next tier above that can (a
// referral up), else the highest tier below that can.
func (ch *Choice) treatingTier(nTier, g, t int) (tier int, referredUp bool) {
	can := func(t int) bool { return ch.Stay[g*nTier+t] > 0 }
	if can(t) {
		return t, false
	}
	for u := t + 1; u < nTier; u++ {
		if can(u) {
			return u, true
		}
	}
	for u := t - 1; u >= 0; u-- {
		if can(u) {
			return u, false
		}
	}
	return t, false // validation guarantees every group has a tier
}

// logitCum returns the cumulative multinomial-logit probabilities of the
// alternatives with ok set (the others get probability 0).
func logitCum(u []float64, ok []bool) []float64 {
	top := math.Inf(-1)
	for i := range u {
		if ok[i] {
			top = max(top, u[i])
		}
	}
	cum := make([]float64, len(u))
	sum := 0.0
	for i := range u {
		if ok[i] {
			sum += math.Exp(u[i] - top)
		}
		cum[i] = sum
	}
	if sum > 0 {
		for i := range cum {
			cum[i] /= sum
		}
	}
	return cum
}

// LogitShares returns the choice probabilities of utilities u (all available).
func LogitShares(u []float64) []float64 {
	ok := make([]bool, len(u))
	for i := range ok {
		ok[i] = true
	}
	cum := logitCum(u, ok)
	p := make([]float64, len(cum))
	prev := 0.0
	for i, c := range cum {
		p[i] = c - prev
		prev = c
	}
	return p
}

func (m *Model) compileCondition(ci int, effort, control []float64) Cond {
	c := &m.S.Conditions[ci]
	ns := len(c.States)
	cc := Cond{Name: c.Name, NState: ns, InitManaged: c.Management.Initial}
	stateIdx := map[string]int{}
	for i, st := range c.States {
		stateIdx[st.Name] = i
		cc.StateNames = append(cc.StateNames, st.Name)
		cc.Prevalent = append(cc.Prevalent, c.IsPrevalent(i))
		cc.Controlled = append(cc.Controlled, st.Controlled)
		cc.Complication = append(cc.Complication, st.Complication)
		ms := State{Utility: orOne(st.Utility), Diagnosed: st.Diagnosed, Dead: st.Dead}
		for managed := 0; managed < 2; managed++ {
			v := st.Visits
			if managed == 1 && st.VisitsManaged != nil {
				v = *st.VisitsManaged
			}
			ms.Visits[managed] = NewRate(v * m.DT)
			var d scenario.Dist
			rate := 0.0
			for _, ev := range st.Events {
				f := 1.0
				if managed == 1 {
					f = orOne(ev.Managed)
				}
				rate += ev.Rate * f
				d = append(d, scenario.Share{Name: ev.Group, Value: ev.Rate * f})
			}
			ms.Events[managed] = NewRate(rate * m.DT)
			cc.EventMix = append(cc.EventMix, m.mix(d))
		}
		cc.State = append(cc.State, ms)
	}
	cc.InitCycles = c.InitialYears * float64(m.CyclesPerYear)
	cc.Drop = Threshold(RateToProb(c.Management.Drop, m.DT))
	// Effort levels: the distinct pairs of efforts of the townships, none first.
	cc.Effort, cc.ControlEffort = []float64{0}, []float64{0}
	cc.Level = make([]uint8, m.NTown)
	for w := 0; w < m.NTown; w++ {
		e, ec := effort[w], control[w]
		l := 0
		for l < len(cc.Effort) && (cc.Effort[l] != e || cc.ControlEffort[l] != ec) {
			l++
		}
		if l == len(cc.Effort) {
			cc.Effort = append(cc.Effort, e)
			cc.ControlEffort = append(cc.ControlEffort, ec)
		}
		cc.Level[w] = uint8(l)
	}
	var prev scenario.Prevention
	if m.S.ResponsesOn() {
		prev = m.S.Responses.Prevention
	}
	for _, e := range cc.Effort {
		f := 1.0
		if e > 0 {
			f += e * *prev.Enrolment
		}
		cc.Enrol = append(cc.Enrol, Threshold(RateToProb(c.Management.Enrol*f, m.DT)))
	}

	// Starting distribution by band.
	cc.Init = make([]float64, m.NBand*ns)
	for b := 0; b < m.NBand; b++ {
		for s := 0; s < ns; s++ {
			cc.Init[b*ns+s] = 1 // everyone in the first state unless listed
		}
	}
	bandIdx := map[string]int{}
	for i, b := range m.S.Population.AgeBands {
		bandIdx[b.Name] = i
	}
	for _, bd := range c.Initial {
		b := bandIdx[bd.Band]
		row := cc.Init[b*ns : (b+1)*ns]
		clear(row)
		for _, sh := range bd.States {
			row[stateIdx[sh.Name]] += sh.Value
		}
		sum := 0.0
		for s := range row {
			sum += row[s]
			row[s] = sum
		}
		normalise(row)
	}

	// Frailty buckets.
	cc.Frail = []float64{1}
	if c.Heterogeneity > 0 {
		cc.Frail = frailty(c.Heterogeneity)
	}

	// Duration buckets: the union of every by_years step's threshold, in
	// cycles; periods of the run: the same of the by_run_years steps.
	var thr, run []int
	for _, tr := range c.Transitions {
		for _, st := range tr.ByYears {
			thr = append(thr, stepCycles(st.Years, m.CyclesPerYear))
		}
		for _, st := range tr.ByRunYears {
			if k := stepCycles(st.Years, m.CyclesPerYear); k < m.Cycles {
				run = append(run, k) // a step from after the horizon never applies
			}
		}
	}
	for _, st := range c.States {
		for _, cs := range st.CostByRunYears {
			if k := stepCycles(cs.Years, m.CyclesPerYear); k < m.Cycles {
				run = append(run, k)
			}
		}
	}
	thr = thresholds0(thr)
	if len(thr) > 254 {
		thr = thr[:254] // validation caps the steps' years; more distinct steps than a byte counts are merged into the last
	}
	cc.NDur = len(thr) + 1
	cc.setStrides()
	top := 0
	if len(thr) > 0 {
		top = thr[len(thr)-1]
	}
	cc.DurBucket = make([]uint8, top+1)
	for k := range cc.DurBucket {
		b := 0
		for b < len(thr) && thr[b] <= k {
			b++
		}
		cc.DurBucket[k] = uint8(b)
	}
	cc.durFrom = append([]int{0}, thr...)
	cc.PeriodFrom = append([]int{0}, thresholds0(run)...)
	cc.Period = make([]int, max(m.Cycles, 1))
	for k := range cc.Period {
		for p := 1; p < len(cc.PeriodFrom) && cc.PeriodFrom[p] <= k; p++ {
			cc.Period[k] = p
		}
	}
	// Each state's cost in each period by category: the last cost step in
	// force at the period's first cycle.
	for i, st := range c.States {
		ms := &cc.State[i]
		ms.Costs = make([][]float64, len(cc.PeriodFrom))
		for p, from := range cc.PeriodFrom {
			cost := st.Cost
			for _, cs := range st.CostByRunYears {
				if stepCycles(cs.Years, m.CyclesPerYear) <= from {
					cost = cs.Cost
				}
			}
			ms.Costs[p] = make([]float64, len(m.CostCategories))
			for j, name := range m.CostCategories {
				ms.Costs[p][j] = cost.Of(name)
			}
		}
	}

	// Admissions caused by transitions.
	cc.Admit = make([]int32, ns*ns)
	for k := range cc.Admit {
		cc.Admit[k] = -1
	}
	groupIdx := map[string]int{}
	for g, gr := range m.S.Groups {
		groupIdx[gr.Name] = g
	}
	for _, tr := range c.Transitions {
		if tr.Admit != "" {
			cc.Admit[stateIdx[tr.From]*ns+stateIdx[tr.To]] = int32(groupIdx[tr.Admit])
		}
	}

	// Transition rows.
	cc.cond = c
	cc.out = make([][]int, ns)
	for i, tr := range c.Transitions {
		cc.out[stateIdx[tr.From]] = append(cc.out[stateIdx[tr.From]], i)
		cc.to = append(cc.to, stateIdx[tr.To])
	}
	cc.prev = prev
	for l, e := range cc.Effort {
		cc.Trans = append(cc.Trans, m.transitions(&cc, Levers{Find: e, Control: cc.ControlEffort[l]}))
	}
	return cc
}

// thresholds0 sorts a list of thresholds in cycles and drops duplicates and
// 0 (a step from 0 applies always: it needs no bucket of its own).
func thresholds0(thr []int) []int {
	slices.Sort(thr)
	thr = slices.Compact(thr)
	if len(thr) > 0 && thr[0] == 0 {
		thr = thr[1:]
	}
	return thr
}

// effortFactor is what prevention effort e does to a transition from one
// state to another (scenario.Prevention): screening finds the undiagnosed,
// control is gained more often, and complications and deaths come less
// often to managed (contracted) patients, the population whose risk the
// effect was measured in. Screening and control act only on a transition
// from a prevalent state: effort does not make anyone ill.
func effortFactor(from, to *scenario.State, fromPrevalent, managed bool, e Levers, prev scenario.Prevention) float64 {
	if e.Find == 0 && e.Control == 0 {
		return 1
	}
	switch scenario.PreventionOf(from, to, fromPrevalent) {
	case scenario.Complications:
		if !managed || e.Control == 0 {
			return 1
		}
		return 1 - e.Control**prev.Complications
	case scenario.Control:
		if e.Control == 0 {
			return 1
		}
		return 1 + e.Control**prev.Control
	case scenario.Screening:
		if e.Find == 0 {
			return 1
		}
		return 1 + e.Find**prev.Screening
	}
	return 1
}

// Levers are prevention efforts by what they act on [0,1]: Find on
// screening and enrolment (the managed share), Control on control and
// complications (the control rate). Without a staff's performance pay tied
// to indicators the two are one effort.
type Levers struct{ Find, Control float64 }

// transitions builds a condition's transition rows (see Cond.Trans) at
// prevention effort e.
func (m *Model) transitions(cc *Cond, e Levers) []uint32 {
	ns := cc.NState
	trans := make([]uint32, len(cc.PeriodFrom)*cc.periodRows(m.NBand))
	row := make([]float64, ns+1)
	p := make([]float64, ns)
	for period := range cc.PeriodFrom {
		for band := 0; band < m.NBand; band++ {
			for managed := 0; managed < 2; managed++ {
				for dur := 0; dur < cc.NDur; dur++ {
					for f := range cc.Frail {
						for from := 0; from < ns; from++ {
							leave := m.moves(p, cc, period, band, managed, dur, f, from, e)
							row[0] = leave
							cum := 0.0
							for to := 0; to < ns; to++ {
								cum += p[to]
								row[1+to] = cum
							}
							// No rounding gap: the last possible target ends at leave.
							for to := ns - 1; to >= 0; to-- {
								row[1+to] = leave
								if p[to] > 0 {
									break
								}
							}
							dst := trans[cc.PeriodOffset(period)+cc.TransRow(band, managed, dur, f, from):]
							for k, p := range row {
								dst[k] = Threshold32(p)
							}
						}
					}
				}
			}
		}
	}
	return trans
}

// Moves fills p, one entry per state of condition ci, with the
// probabilities that a person in state from moves to each state in one
// cycle of the given period of the run (Cond.Period), in the given band,
// management (0 or 1), duration bucket (Cond.DurBucket) and frailty bucket,
// without prevention effort, and returns their sum, the probability of
// leaving the state. Competing rates are resolved together,
// p = (1 − e^(−Σr·dt)) × r ÷ Σr; probabilities are used as given; the own
// state gets 0. The engine's tables are these probabilities as thresholds.
func (m *Model) Moves(p []float64, ci, period, band, managed, dur, frail, from int) float64 {
	return m.moves(p, &m.Cond[ci], period, band, managed, dur, frail, from, Levers{})
}

// moves is Moves at prevention effort e.
func (m *Model) moves(p []float64, cc *Cond, period, band, managed, dur, frail, from int, e Levers) float64 {
	c := cc.cond
	bandName := m.S.Population.AgeBands[band].Name
	clear(p)
	rates := false
	for _, i := range cc.out[from] {
		tr := &c.Transitions[i]
		x := 1.0
		for _, sh := range tr.ByBand {
			if sh.Name == bandName {
				x *= sh.Value
			}
		}
		if managed == 1 {
			x *= orOne(tr.Managed)
		}
		x *= stepAt(tr.ByYears, cc.durFrom[dur], m.CyclesPerYear)
		x *= stepAt(tr.ByRunYears, cc.PeriodFrom[period], m.CyclesPerYear)
		if tr.Frailty {
			x *= cc.Frail[frail]
		}
		x *= effortFactor(&c.States[from], &c.States[cc.to[i]], cc.Prevalent[from], managed == 1, e, cc.prev)
		if tr.Rate != nil {
			rates = true
			p[cc.to[i]] += *tr.Rate * x
		} else if tr.Prob != nil {
			p[cc.to[i]] += *tr.Prob * x
		}
	}
	total := 0.0
	for _, v := range p {
		total += v
	}
	leave := total
	if rates {
		leave = RateToProb(total, m.DT)
	}
	leave = min(leave, 1)
	for to := range p {
		if total > 0 {
			p[to] = leave * p[to] / total
		}
	}
	return leave
}

// stepAt is the factor of a modifier by time at k cycles: that of the last
// step from at most k cycles, 1 before the first.
func stepAt(steps []scenario.Step, k, cyclesPerYear int) float64 {
	f := 1.0
	for _, st := range steps {
		if stepCycles(st.Years, cyclesPerYear) <= k {
			f = st.Factor
		}
	}
	return f
}

// stepCycles is the number of whole cycles in a state from which a step of
// the given years applies.
func stepCycles(years float64, cyclesPerYear int) int {
	return int(math.Ceil(years*float64(cyclesPerYear) - 1e-9))
}

// frailty returns NFrail equally likely factors of mean 1 and coefficient of
// variation cv (see matchedLognormal).
func frailty(cv float64) []float64 {
	f := make([]float64, NFrail)
	matchedLognormal(f, cv)
	return f
}

// lognormalQuantiles fills q with equally likely multipliers of mean 1 and
// coefficient of variation cv (all ones when cv is 0).
func lognormalQuantiles(q *[NQuantile]float64, cv float64) {
	matchedLognormal(q[:], cv)
}

// matchedLognormal fills x with the quantiles of a lognormal at the middles
// of len(x) equally likely slices, rescaled to mean exactly 1, choosing the
// lognormal's σ so that the discrete points have exactly coefficient of
// variation cv (the midpoints of a lognormal of that cv itself spread less).
// cv must be below √(len(x)−1), the most a distribution of len(x) equally
// likely points has.
// A cv below minCV is no spread: quantiles of mean 1 cannot tell it from 0
// in float64.
const minCV = 1e-12

func matchedLognormal(x []float64, cv float64) {
	fill := func(sigma float64) float64 {
		d := distuv.LogNormal{Mu: 0, Sigma: sigma}
		sum := 0.0
		for i := range x {
			x[i] = d.Quantile((float64(i) + 0.5) / float64(len(x)))
			sum += x[i]
		}
		mean := sum / float64(len(x))
		ss := 0.0
		for i := range x {
			x[i] /= mean
			ss += (x[i] - 1) * (x[i] - 1)
		}
		return math.Sqrt(ss / float64(len(x)))
	}
	if cv < minCV {
		for i := range x {
			x[i] = 1 // below the precision of the quantiles: no spread
		}
		return
	}
	// Bracket σ: the continuous lognormal's σ for cv spreads the midpoints
	// less than cv, so double it until it does not; σ = 50 is far beyond any
	// cv a scenario may give. Both searches are bounded.
	lo, hi := 0.0, math.Sqrt(math.Log1p(cv*cv))
	for range 64 {
		if hi >= 50 || fill(hi) >= cv {
			break
		}
		lo, hi = hi, 2*hi
	}
	for range 100 {
		mid := (lo + hi) / 2
		if fill(mid) < cv {
			lo = mid
		} else {
			hi = mid
		}
	}
	fill(hi)
}

// Rate is the mean count of a Poisson source in one cycle, with e^−Mean,
// its probability of no event. Sources add: a person's visits in a cycle are
// one Poisson count of the sum of the means of every source (the age band,
// each condition's state), whose probability of zero is the product of the
// sources' P0.
type Rate struct {
	Mean float64
	P0   float64
}

// NewRate returns the Rate of mean count mean.
func NewRate(mean float64) Rate { return Rate{Mean: mean, P0: math.Exp(-mean)} }

// PoissonCount returns the count of a Poisson distribution of mean lambda
// (p0 = e^−lambda) at uniform draw u: the least k whose cumulative
// probability exceeds u (inversion). Most draws stop at 0 or 1.
func PoissonCount(u, p0, lambda float64) int {
	if u < p0 {
		return 0
	}
	p1 := p0 * lambda
	if u < p0+p1 {
		return 1
	}
	return poissonTail(u, p0+p1, p1, lambda)
}

// poissonTail is PoissonCount from count 1 on: cum is the cumulative
// probability of counts 0 and 1, p that of 1.
func poissonTail(u, cum, p, lambda float64) int {
	k := 1
	for u >= cum && k < 1000 {
		k++
		if k < len(reciprocal) {
			p *= lambda * reciprocal[k]
		} else {
			p *= lambda / float64(k)
		}
		cum += p
	}
	return k
}

// reciprocal[k] is 1/k: PoissonCount multiplies by it instead of dividing,
// which takes a processor several times as long.
var reciprocal = func() (r [16]float64) {
	for k := 1; k < len(r); k++ {
		r[k] = 1 / float64(k)
	}
	return r
}()

// mix compiles a group → weight distribution.
func (m *Care) mix(d scenario.Dist) Mix {
	var x Mix
	// The groups in the order of groups:, whatever order the mapping or
	// list names them in, so that a scenario's meaning, not its layout,
	// decides the draws; a group named twice (events of one state) adds up.
	w := make([]float64, m.NGroup)
	for _, sh := range d {
		if g := slices.Index(m.GroupNames, sh.Name); g >= 0 && sh.Value > 0 {
			w[g] += sh.Value
		}
	}
	sum := 0.0
	var cum []float64
	for g, v := range w {
		if v <= 0 {
			continue
		}
		sum += v
		cum = append(cum, sum)
		x.Group = append(x.Group, uint16(g))
	}
	normalise(cum)
	x.Cum = thresholds(cum)
	return x
}

// normalise divides a cumulative distribution by its last value.
func normalise(cum []float64) {
	if len(cum) == 0 || cum[len(cum)-1] == 0 {
		return
	}
	top := cum[len(cum)-1]
	for i := range cum {
		cum[i] /= top
	}
	cum[len(cum)-1] = 1
}

// Threshold turns a probability into a 64-bit threshold t such that a
// uniformly random uint64 x satisfies x < t with probability p. The engine
// compares raw random bits with thresholds: no conversion to float.
func Threshold(p float64) uint64 {
	switch {
	case p <= 0 || math.IsNaN(p):
		return 0
	case p >= 1:
		return math.MaxUint64
	}
	return uint64(p * 0x1p64)
}

// Threshold32 is Threshold for the high 32 bits of a draw: x>>32 < t with
// probability p (to 2^−32).
func Threshold32(p float64) uint32 {
	switch {
	case p <= 0 || math.IsNaN(p):
		return 0
	case p >= 1:
		return math.MaxUint32
	}
	return uint32(p * 0x1p32)
}

// thresholds returns the Thresholds of a list of probabilities.
func thresholds(ps []float64) []uint64 {
	t := make([]uint64, len(ps))
	for i, p := range ps {
		t[i] = Threshold(p)
	}
	return t
}

// Quantile maps the high bits of a random draw to an index of a quantile
// table; LowQuantile maps the low bits, so that one draw can serve a choice
// (compared whole with Thresholds, decided by its high bits) and a quantile.
func Quantile(x uint64) int { return int(x >> (64 - QuantileBits)) }

// LowQuantile: see Quantile.
func LowQuantile(x uint64) int { return int(x & (NQuantile - 1)) }

func orOne(p *float64) float64 {
	if p == nil {
		return 1
	}
	return *p
}
