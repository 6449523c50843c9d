// Package engine runs the cycle loop of MODEL §2 over a population: progress,
// need, choice of tier (step.go: admit and visit), treatment, cost sharing,
// and the providers' responses of a respond.Plan. It hands each cycle's
// episodes to the payment rules bound to them, routes the fund's payments
// through the payer that stands between the fund and its members (a
// consortium's budget), books them in the fund's ledger, and settles each
// year. It knows the payment interfaces only, no concrete rule or payer.
package engine

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paysim/paysim/sim/cohort"
	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/rng"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// ChunkSize is the number of persons a worker takes at a time. Results are
// reduced chunk by chunk in index order, so it fixes the order of every sum;
// it must not depend on the number of workers.
const ChunkSize = 4096

// Options control one run.
type Options struct {
	Seed      uint64
	Replicate int
	Workers   int // goroutines stepping chunks; ≤ 0 means 1
	// Progress, if set, is called after every cycle with the cycles done.
	Progress func(done, total int)
	// Payer, if set, stands between the fund and its members (the
	// consortium's global budget): every payment of the fund goes through
	// it. Without one the fund pays the providers directly.
	Payer payment.Payer
	// Episodes, if set, is called after every cycle with the cycle's
	// episodes as the rules settled them, chunk by chunk in the order of
	// the population (the same for any number of workers); evs is reused
	// after the call returns. Without it the run keeps no episode.
	Episodes func(cycle int, evs []payment.Event) error
	// Phases change the model, the plan, the rules and the payer from a
	// year on, in the order of their years (scenario.Phase): the same
	// persons and the same fund run under the phase's rules.
	Phases []Phase
}

// Phase is what runs from the start of year Year (0-based) on: a model of
// the same structure as the run's, with its plan, its rules and its payer
// (nil: the fund pays every provider).
type Phase struct {
	Year  int
	Model *model.Model
	Plan  *respond.Plan
	Rules []payment.Rule
	Payer payment.Payer
}

// Sim is one replicate of a scenario.
type Sim struct {
	m    *model.Model
	plan *respond.Plan // the plan of the year being run (respond.Plan.Expecting)
	base *respond.Plan
	// over, margin: the payer's forecast for the year being run
	// (payment.Forecaster).
	over, margin float64
	pop          *cohort.Population
	// choice is the choice of tier of the year being run: m's own, or at
	// the capability an uplift has built (respond.Uplift); investPer the
	// uplift's investment in the year [yuan per enrollee].
	choice    *model.Choice
	uplift    *respond.Uplift
	investPer float64
	rules     []payment.Rule
	opt       Options
	led       *ledger.Ledger

	chunks  []*chunk
	workers []*worker
	pricers []payment.Pricer // rules[b] if it prices single cases, else nil
	linear  []payment.Linear // rules[b] if it settles visits counted, else nil
	// vslot is, by [tier*NTown + town], the index in worker.vis of the
	// visits of the first kind to the provider serving it, or −1 when its
	// outpatient rule books each visit; vt is what a visit at each tier
	// costs in the year being stepped.
	vslot []int32
	vt    []visitTier
	phase int // the phases entered (Options.Phases)
	// care is what the fund's rules paid for the residents' care in the
	// year being run, through a payer or not (a budget's Spending), and
	// opened the enrollees at its start: a payer that starts in a phase
	// takes care ÷ opened of the year before as its base.
	care, opened float64
	dead         int64
	entered      int64
	joined       int64 // persons who joined the scheme (population.enrolment)
	left         int64 // persons who left it alive
	alive        int64 // persons alive at the start of the year being run
	// costs is scratch for reward: a point's state costs by category at
	// the costs of the cycle it starts and of the one it ends.
	costs [2][]float64
}

// chunk is the output of stepping ChunkSize persons through one cycle.
type chunk struct {
	lo, hi int
	counts *tally.Counts
	health *tally.Health // at the year's end
	set    *payment.Settlement
	evs    []payment.Event // the cycle's episodes, kept only for Options.Episodes
	// groupAdm counts the year's admissions by group, for an uplift's
	// decision (nil without one).
	groupAdm []float64
	err      error
}

// worker is what one goroutine owns: its random stream and the buffers of
// the episodes of the chunk it is stepping (by binding), reused chunk after
// chunk so that they stay in the core's cache.
type worker struct {
	_   [64]byte              // keeps each worker's stream on a cache line of its own
	st  rng.Stream            // the stays' stream (see stepper.stays)
	rs  [nResponse]rng.Stream // the responses' streams (see stepper.resp)
	evs [][]payment.Event
	// vis counts the chunk's visits to the providers whose outpatient rule
	// is Linear, by [provider*nVisitKind + visitKind(flags)], instead of
	// booking each; vevs keeps each of them by binding, only for
	// Options.Episodes, and exported prices them.
	vis      []payment.Visits
	vevs     [][]payment.Event
	exported *payment.Settlement
	cas      payment.Case // scratch case for pricing a stay as it is booked
	_        [64]byte
}

// New makes a replicate of m with its starting population, whose providers
// respond to payment by plan. rules[b] prices the episodes of binding b
// (model.Care.Binding). It stops with ctx's error when ctx is done while
// the population is drawn.
func New(ctx context.Context, m *model.Model, plan *respond.Plan, rules []payment.Rule, opt Options) (*Sim, error) {
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	f := &m.S.Fund
	s := &Sim{m: m, plan: plan, base: plan, rules: rules, opt: opt, choice: &m.Choice, uplift: respond.NewUplift(m),
		costs: [2][]float64{make([]float64, len(m.CostCategories)), make([]float64, len(m.CostCategories))},
		led: ledger.New(f.OpeningBalance+f.OpeningPerEnrollee*float64(m.S.Population.Size),
			ledger.Contributions((f.Individual+f.Subsidy)*(1+f.OtherIncome), f.Growth, m.S.Years), m.CyclesPerYear)}
	s.led.PremiumShare = f.Premium
	var err error
	if s.pop, err = cohort.New(ctx, m, opt.Seed, opt.Replicate, opt.Workers); err != nil {
		return nil, err
	}
	s.workers = make([]*worker, opt.Workers)
	for i := range s.workers {
		s.workers[i] = &worker{}
	}
	s.bind(rules)
	s.layChunks()
	s.alive = int64(s.pop.Start)
	s.expect(0)
	return s, nil
}

// bind makes rules the run's rules: their pricers, and the workers'
// buffers of episodes by binding.
func (s *Sim) bind(rules []payment.Rule) {
	s.rules = rules
	s.pricers = make([]payment.Pricer, len(rules))
	s.linear = make([]payment.Linear, len(rules))
	for b, r := range rules {
		s.pricers[b], _ = r.(payment.Pricer)
		s.linear[b], _ = r.(payment.Linear)
	}
	m := s.m
	s.vslot = make([]int32, m.NTier*m.NTown)
	for k := range s.vslot {
		s.vslot[k] = -1
		if p := m.ProvOf[k]; p != model.NoProvider {
			if b := m.Binding[int(p)*int(payment.NService)+int(payment.Outpatient)]; b != model.NoBinding && s.linear[b] != nil {
				s.vslot[k] = int32(p) * nVisitKind
			}
		}
	}
	s.vt = make([]visitTier, m.NTier)
	for _, w := range s.workers {
		// The buffers' headers change with every episode: pad them so that
		// two workers' headers never share a cache line.
		const pad = 3 // slice headers: 72 bytes
		w.evs = make([][]payment.Event, pad+len(rules)+pad)[pad : pad+len(rules) : pad+len(rules)]
		w.vis = make([]payment.Visits, m.NProv*nVisitKind)
		for j := range w.vis {
			p := j / nVisitKind
			w.vis[j] = payment.Visits{Provider: uint16(p), Tier: uint8(m.ProvTier[p]), Flags: visitFlags[j%nVisitKind]}
		}
		if s.opt.Episodes != nil {
			w.vevs = make([][]payment.Event, len(rules))
			w.exported = s.newSettlement()
		}
	}
}

// visitTier is what a visit at one tier costs in a year.
type visitTier struct {
	charges          float64 // the mean visit's charges at the year's prices [yuan]
	ratio, elig, ded float64 // the benefit design's cover (model.Care.Covered)
	cost             float64 // resource cost per yuan of charges
}

// price sets s.vt to the costs of visits in year (0-based).
func (s *Sim) price(year int) {
	m := s.m
	charge := m.Charges(year)
	for tier := range s.vt {
		k := tier*int(payment.NService) + int(payment.Outpatient)
		s.vt[tier] = visitTier{charges: m.VisitMean[tier] * charge[k], ratio: m.Ratio[k], elig: m.Elig[k], ded: m.Ded[k], cost: m.CostRatio[tier]}
	}
}

// The kinds of visits a worker counts apart (worker.vis): by their flags.
const nVisitKind = 4

var visitFlags = [nVisitKind]uint16{0, payment.Chronic, payment.Induced, payment.Chronic | payment.Induced}

// visitKind is the kind of a visit of flags.
func visitKind(flags uint16) int {
	k := 0
	if flags&payment.Chronic != 0 {
		k = 1
	}
	if flags&payment.Induced != 0 {
		k += 2
	}
	return k
}

// enter starts the phase ph at the start of its year: its model, plan,
// rules and payer run from now on, on the same persons and ledger. The
// rules and payer it carries on from the phase before (sim's carry) keep
// their state; a rule new in it starts at the year's prices
// (payment.Enterer), and a new payer that rebases (payment.Rebaser) takes
// the year before's spending on care per enrollee as its base.
func (s *Sim) enter(ph Phase) {
	fresh := ph.Payer != s.opt.Payer // not the payer of the phase before, carried on
	for b, r := range ph.Rules {
		if e, ok := r.(payment.Enterer); ok && (b >= len(s.rules) || s.rules[b] != r) {
			e.Enter(ph.Year) // a rule new in the phase starts at the year's prices
		}
	}
	prev := s.plan // the plan of the year before, which a forecaster's re-planning continues
	s.m, s.base, s.plan, s.opt.Payer = ph.Model, ph.Plan, ph.Plan, ph.Payer
	s.bind(ph.Rules)
	for _, c := range s.chunks {
		c.set = s.newSettlement()
	}
	if r, ok := ph.Payer.(payment.Rebaser); ok && fresh && s.opened > 0 {
		r.Rebase(s.care / s.opened)
	}
	s.phase++
	if _, ok := ph.Payer.(payment.Forecaster); ok {
		s.plan = prev
		s.expect(ph.Year) // re-plans on the forecast, continuing prev's coding
	} else {
		s.plan = ph.Plan.Continuing(prev, ph.Year)
	}
	s.enterUplift(ph.Model)
}

// enterUplift makes m's uplift the run's from a phase on: the capability
// built before carries over when the phase has an uplift too, and is lost
// with the consortium that built it when it has none (the tiers then have
// the capability m gives them).
func (s *Sim) enterUplift(m *model.Model) {
	old := s.uplift
	s.uplift, s.choice = respond.NewUplift(m), &m.Choice
	if s.uplift == nil {
		s.investPer = 0
		return
	}
	for _, c := range s.chunks {
		if c.groupAdm == nil {
			c.groupAdm = make([]float64, m.NGroup)
		}
	}
	if old != nil {
		copy(s.uplift.Stock, old.Stock)
		s.choice = m.ChoiceAt(s.uplift.Stock)
		s.plan = s.plan.Uplifted(s.uplift.Stock)
	}
}

// expect takes the payer's forecast for year (0-based) and the plan its
// members follow in it.
func (s *Sim) expect(year int) {
	f, ok := s.opt.Payer.(payment.Forecaster)
	if !ok {
		return
	}
	s.over, s.margin = f.Forecast()
	if year < s.m.S.Years {
		s.plan = s.base.Expecting(s.plan, year, s.margin)
	}
}

// Population is the replicate's population.
func (s *Sim) Population() *cohort.Population { return s.pop }

// newSettlement returns a Settlement for the run's providers, townships and
// bindings, counting cases by group and tier.
func (s *Sim) newSettlement() *payment.Settlement {
	set := payment.NewSettlement(s.m.NProv, s.m.NTown, len(s.rules))
	set.ByGroup(s.m.NGroup, s.m.NTier)
	return set
}

// layChunks cuts the population into chunks of ChunkSize persons; entrants
// extend the last chunk and add new ones.
func (s *Sim) layChunks() {
	n := s.pop.Len()
	for len(s.chunks)*ChunkSize < n {
		s.chunks = append(s.chunks, &chunk{lo: len(s.chunks) * ChunkSize,
			counts: tally.NewCounts(s.m.NTier, len(s.m.Cond), s.m.NStates),
			health: tally.NewHealth(len(s.m.Cond), s.m.NStates),
			set:    s.newSettlement()})
		if s.uplift != nil {
			s.chunks[len(s.chunks)-1].groupAdm = make([]float64, s.m.NGroup)
		}
	}
	for _, c := range s.chunks {
		c.hi = min(c.lo+ChunkSize, n)
	}
}

// Run steps every cycle of the horizon and calls year for each year's
// result, in order. It stops with ctx's error when ctx is done (checked once
// a cycle) and with an error naming the identity when a conservation check
// fails.
func (s *Sim) Run(ctx context.Context, year func(*tally.Year) error) error {
	m := s.m
	cyc := tally.NewCounts(m.NTier, len(m.Cond), m.NStates)
	set := s.newSettlement()
	var y *tally.Year
	dead := make([]float64, m.NStates) // the deaths into each dead state so far
	background := 0.0
	for cycle := 0; cycle < m.Cycles; cycle++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		yi := cycle / m.CyclesPerYear
		if cycle%m.CyclesPerYear == 0 && s.phase < len(s.opt.Phases) && s.opt.Phases[s.phase].Year == yi {
			s.enter(s.opt.Phases[s.phase])
			m = s.m
			set = s.newSettlement()
		}
		if cycle%m.CyclesPerYear == 0 {
			s.care = 0
			y = &tally.Year{Index: yi, Phase: s.phase, Counts: tally.NewCounts(m.NTier, len(m.Cond), m.NStates),
				Disc: tally.NewCounts(m.NTier, len(m.Cond), m.NStates), Set: s.newSettlement(),
				StateCosts: make([]float64, len(m.CostCategories)), DiscStateCosts: make([]float64, len(m.CostCategories))}
			s.opened = float64(s.alive)
			if p := s.opt.Payer; p != nil {
				p.Open(yi, float64(s.alive))
			}
			if s.uplift != nil {
				y.Uplift = &tally.Uplift{Investment: s.investPer * float64(s.alive), PerEnrollee: s.investPer, Stock: slices.Clone(s.choice.Capability)}
				if inv, ok := s.opt.Payer.(payment.Investor); ok {
					inv.Invest(y.Uplift.Investment)
				}
			}
		}
		if err := s.step(cycle); err != nil {
			return err
		}
		if f := s.opt.Episodes; f != nil {
			for _, c := range s.chunks {
				if err := f(cycle, c.evs); err != nil {
					return err
				}
			}
		}
		cyc.Reset()
		set.Reset()
		for _, c := range s.chunks {
			cyc.Add(c.counts)
			set.Add(c.set)
		}
		if err := checkCycle(cyc, set); err != nil {
			return fmt.Errorf("year %d, cycle %d: %w", m.S.StartYear+yi, cycle%m.CyclesPerYear+1, err)
		}
		s.contracts(&y.Contracts, cyc, set)
		payout := s.payOut(set)
		s.care += tally.Sum(set.FundPaid)
		s.led.Cycle(yi, cyc.PersonCycles, payout)
		df := s.discount(cycle)
		y.DiscPayout += payout * df
		y.Payout += payout
		y.Trace = append(y.Trace, point(cycle, float64(cyc.PersonCycles), cyc.Occupancy, dead, background))
		for k, n := range cyc.DeathsIn {
			dead[k] += float64(n)
		}
		background += float64(cyc.DeathsBy[0])
		// The cycle accrued the rewards of the states at its start; they
		// count by the scenario's timing.
		ly, qaly := cyc.LY, cyc.QALY
		cyc.LY, cyc.QALY = 0, 0
		y.Counts.Add(cyc)
		y.Set.Add(set)
		discountInto(y.Disc, cyc, df)
		s.reward(y, cycle, ly, qaly, cyc.Occupancy)
		s.dead += cyc.Deaths
		if s.opt.Progress != nil {
			s.opt.Progress(cycle+1, m.Cycles)
		}
		if cycle%m.CyclesPerYear == m.CyclesPerYear-1 {
			if err := s.closeYear(y); err != nil {
				return fmt.Errorf("year %d: %w", m.S.StartYear+yi, err)
			}
			if cycle == m.Cycles-1 { // the states at the end of the run
				h := y.Health
				s.reward(y, m.Cycles, h.LY, h.QALY, h.Occupancy)
				y.Trace = append(y.Trace, point(m.Cycles, float64(h.Alive), h.Occupancy, dead, background))
			}
			if err := year(y); err != nil {
				return err
			}
		}
	}
	return nil
}

// point is the trace's point at the start of cycle: alive persons alive,
// living the persons in each state (0 in a dead state), dead the deaths
// into each dead state before it, background the background deaths.
func point(cycle int, alive float64, living []int64, dead []float64, background float64) tally.Point {
	p := tally.Point{Cycle: cycle, Alive: alive, States: make([]float64, len(living)), Background: background}
	for k, n := range living {
		p.States[k] = float64(n) + dead[k]
	}
	return p
}

// discount is the factor that discounts the money of cycle to the start of
// the run: (1 + rate)^−t at the cost rate, t the cycle's start in years.
func (s *Sim) discount(cycle int) float64 {
	return s.m.Discount(s.m.CostRate, float64(cycle))
}

// reward adds the state rewards of point k — the states held at the start
// of cycle k, or at the end of the run for k = Cycles, by occupancy — to
// year y, by the scenario's timing (model.Care.RewardWeights):
// undiscounted to y.Counts and y.StateCosts, discounted to y.Disc and
// y.DiscStateCosts. Both the part of the point that counts towards cycle k
// and the part that counts towards cycle k − 1 go to y, the year in which
// the point is known: they add up the same over the run. The state costs
// of the part that counts towards cycle k are at cycle k's costs, the
// other part's at cycle k − 1's (they differ across a cost step).
func (s *Sim) reward(y *tally.Year, k int, ly, qaly float64, occupancy []int64) {
	m := s.m
	u0, u1 := m.RewardWeights(k, 0)
	e0, e1 := m.RewardWeights(k, m.EffectRate)
	u, e := u0+u1, e0+e1
	y.Counts.LY += ly * u
	y.Counts.QALY += qaly * u
	y.Disc.LY += ly * e
	y.Disc.QALY += qaly * e
	if n := len(m.CostCategories); n > 0 {
		if len(s.costs[0]) != n { // a phase's model with categories of its own
			s.costs = [2][]float64{make([]float64, n), make([]float64, n)}
		}
		cost, ended := s.costs[0], s.costs[1]
		clear(cost)
		clear(ended)
		model.StateCostsAt(m, cost, occupancy, k)
		model.StateCostsAt(m, ended, occupancy, k-1)
		c0, c1 := m.RewardWeights(k, m.CostRate)
		for j := range cost {
			y.StateCosts[j] += cost[j]*u0 + ended[j]*u1
			y.DiscStateCosts[j] += cost[j]*c0 + ended[j]*c1
		}
	}
}

// discountInto adds to d the money tallies of c discounted by f. Counts of
// persons and episodes are added as they are; the rewards are not (reward
// adds them).
func discountInto(d, c *tally.Counts, f float64) {
	d.PersonCycles += c.PersonCycles
	d.Deaths += c.Deaths
	for t := range c.Charges {
		d.Charges[t] += c.Charges[t] * f
		d.Cost[t] += c.Cost[t] * f
		d.OOP[t] += c.OOP[t] * f
		d.FundPaid[t] += c.FundPaid[t] * f
		d.Revenue[t] += c.Revenue[t] * f
		d.Covered[t] += c.Covered[t] * f
	}
}

// checkCycle checks the money identities of one cycle: the charges of the
// care given are the charges the rules priced (no episode lost between care
// and payment), charges = fund-covered + OOP, and what the rules booked for
// each rule adds up to what they booked for each provider.
func checkCycle(c *tally.Counts, set *payment.Settlement) error {
	charges, covered, oop := tally.Sum(c.Charges), tally.Sum(c.Covered), tally.Sum(c.OOP)
	var priced, ruleFund float64
	for r := range set.Rules {
		priced += set.Rules[r].Charges
		ruleFund += set.Rules[r].FundPaid
	}
	switch {
	case !ledger.Close(charges, priced):
		return fmt.Errorf("conservation: episodes lost between care and payment: charges %.2f of care, %.2f priced", charges, priced)
	case !ledger.Close(charges, covered+oop):
		return fmt.Errorf("conservation: charges %.2f ≠ fund-covered %.2f + OOP %.2f", charges, covered, oop)
	case !ledger.Close(ruleFund, tally.Sum(set.FundPaid)):
		return fmt.Errorf("conservation: payments %.2f by rule ≠ %.2f by provider", ruleFund, tally.Sum(set.FundPaid))
	}
	return nil
}

// step runs one cycle for every chunk, over the workers.
func (s *Sim) step(cycle int) error {
	s.price(cycle / s.m.CyclesPerYear)
	s.forChunks(func(w *worker, c *chunk) { s.stepChunk(w, c, cycle) })
	for _, c := range s.chunks {
		if c.err != nil {
			return c.err
		}
	}
	return nil
}

// forChunks calls f for every chunk, spread over the workers, and returns
// when all are done.
func (s *Sim) forChunks(f func(w *worker, c *chunk)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, w := range s.workers {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(s.chunks) {
					return
				}
				f(w, s.chunks[i])
			}
		}(w)
	}
	wg.Wait()
}

// closeYear settles the year — the rules' year-end settlements, through
// the payer when there is one — books it in the ledger, snapshots health,
// adds entrants and checks that persons are conserved.
func (s *Sim) closeYear(y *tally.Year) error {
	m, p := s.m, s.pop
	// Year-end settlements of the rules that have them, in binding order.
	for b, r := range s.rules {
		if ye, ok := r.(payment.YearEnder); ok {
			ye.YearEnd(y.Index, b, y.Set, &y.YearEnd)
		}
	}
	settled := 0.0
	if m.S.Audits(y.Index) { // paid by the government, not the fund
		y.AuditCost = m.S.Supervision.CostPerEnrollee * float64(s.alive)
	}
	if payer := s.opt.Payer; payer != nil {
		if pr, ok := payer.(payment.Preventer); ok {
			pr.Prevent(tally.Sum(y.Set.Managed) * m.DT)
		}
		settled, y.Bonus = payer.Close(y.YearEnd.Transfers, y.Set.Revenue)
		by := payer.Year()
		y.Budget = &by
		// The year was planned on the forecast made before it; the members
		// plan the next on the forecast made now (payment.Forecaster).
		y.OverspendForecast, y.Margin = s.over, s.margin
		s.expect(y.Index + 1)
	} else {
		for _, t := range y.YearEnd.Transfers {
			settled += t.Amount
		}
	}
	s.led.Post(0, settled)
	for _, t := range y.YearEnd.Transfers {
		s.care += t.Amount
	}
	y.DiscPayout += settled * s.discount((y.Index+1)*m.CyclesPerYear-1) // with the year's last cycle
	y.Payout += settled
	fund, err := s.led.CloseYear()
	if err != nil {
		return err
	}
	y.Fund = fund
	// The chunks counted their health and aged their persons in the year's
	// last cycle.
	y.Health = tally.NewHealth(len(m.Cond), m.NStates)
	for _, c := range s.chunks {
		y.Health.Add(c.health)
	}
	// Entrants and joiners come as shares of the living at the year's end,
	// those who leave among them included.
	alive := y.Health.Alive
	if next := y.Index + 1; next < m.S.Years {
		start := next * m.CyclesPerYear
		if n := int(math.Round(m.EntrantAt * float64(alive))); n > 0 {
			p.AddEntrants(m, s.opt.Seed, s.opt.Replicate, n, start)
			y.Entrants = int64(n)
		}
		if n := int(math.Round(m.Join[next] * float64(alive))); n > 0 {
			p.AddJoiners(m, s.opt.Seed, s.opt.Replicate, n, y.Index, start)
			y.Joined = int64(n)
		}
		s.layChunks()
	}
	s.entered += y.Entrants
	s.joined += y.Joined
	s.left += y.Health.Left
	y.Dead = s.dead
	s.alive = alive - y.Health.Left + y.Entrants + y.Joined
	if s.uplift != nil {
		s.decideUplift(y)
	}
	if int64(p.Start)+s.entered+s.joined != s.alive+s.dead+s.left {
		return fmt.Errorf("conservation: persons at start %d + entrants %d + joined %d ≠ enrolled %d + dead %d + left %d",
			p.Start, s.entered, s.joined, s.alive, s.dead, s.left)
	}
	return nil
}

// decideUplift takes the consortium's decision of the year that follows y
// (respond.Uplift.Decide) from y's admissions by group, limited by y's
// retained surplus when it holds the budget (spread over the enrollees of
// the year that follows, who the investment is booked for), and the choice
// of tier at the capability it builds.
func (s *Sim) decideUplift(y *tally.Year) {
	cases := make([]float64, s.m.NGroup)
	for _, c := range s.chunks {
		for g, n := range c.groupAdm {
			cases[g] += n
		}
		clear(c.groupAdm)
	}
	enrollees := float64(y.Counts.PersonCycles) / float64(s.m.CyclesPerYear)
	var stock []float64
	funds := math.Inf(1)
	if s.uplift.Budgeted() {
		funds = 0
		if b := y.Budget; b != nil && s.alive > 0 {
			funds = max(0, b.Retained) / float64(s.alive)
		}
	}
	s.investPer, stock = s.uplift.Decide(s.choice, cases, enrollees, y.Index+1, funds)
	s.choice = s.m.ChoiceAt(stock)
	s.plan = s.plan.Uplifted(stock)
}

// endYear counts the conditions of person i, alive at the end of the
// year's last cycle, into the chunk's health snapshot h, then ages the
// person and resets the annual ceilings; next is the cycle that follows.
func (s *Sim) endYear(h *tally.Health, i, next int) {
	m, p := s.m, s.pop
	nc := p.NCond
	h.Alive++
	adult := p.Age[i] >= 18
	if adult {
		h.Adults++
	}
	for c := range m.Cond {
		cd := &m.Cond[c]
		st := p.State[i*nc+c]
		h.Occupancy[m.StateOff[c]+int(st)]++
		if cd.Prevalent[st] {
			h.Prevalent[c]++
			if adult {
				h.AdultPrev[c]++
			}
			if cd.Controlled[st] {
				h.Controlled[c]++
			}
		}
		if cd.Complication[st] {
			h.Complication[c]++
		}
		if p.Managed[i]>>c&1 != 0 {
			h.Managed[c]++
			if cd.Complication[st] {
				h.ManagedSevere[c]++
			}
		}
	}
	if p.Age[i] < model.MaxAge {
		p.Age[i]++
	}
	band := m.BandOf[p.Age[i]]
	p.Band[i] = band
	p.InUsed[i], p.OutUsed[i] = 0, 0
	// The rewards of the states held now, at the year's end, as a cycle
	// lived in them would accrue (stepper.person).
	util := m.BandUtil[band]
	if m.StateWeights {
		for c := range m.Cond {
			util *= m.Cond[c].State[p.State[i*nc+c]].Utility
		}
	}
	h.LY += m.DT
	h.QALY += util * m.DT
}

// contracts pays the family-doctor contracts of a cycle's managed persons
// (scenario.Contracts): for each township's managed person-cycles, the fee
// × the cycle's length to the provider of the contract tier serving it,
// the fund's share of it as a fund payment (through the payer, as any).
// The fee is revenue of that provider and its tier in set and cyc, and is
// added to the year's contracts c.
func (s *Sim) contracts(c *tally.Contracts, cyc *tally.Counts, set *payment.Settlement) {
	m := s.m
	ct := m.S.Contracts
	if ct == nil || ct.Fee == 0 {
		return
	}
	tier := scenario.ContractTier(m.S.Tiers)
	for w, n := range set.Managed {
		fee := n * ct.Fee * m.DT
		fund := fee * ct.FundShare
		p := m.ProvOf[tier*m.NTown+w]
		set.Revenue[p] += fee
		set.FundPaid[p] += fund
		cyc.Revenue[tier] += fee
		cyc.FundPaid[tier] += fund
		c.PersonYears += n * m.DT
		c.Fees += fee
		c.FundPaid += fund
	}
}

// payOut is what the fund pays in a cycle: what the rules booked, through
// the payer when there is one.
func (s *Sim) payOut(set *payment.Settlement) float64 {
	if p := s.opt.Payer; p != nil {
		return p.Cycle(set.FundPaid)
	}
	return tally.Sum(set.FundPaid)
}
