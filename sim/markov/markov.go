// Package markov runs a scenario as a cohort: the exact expected values of
// its conditions' Markov chains, where the engine draws one person at a
// time. The cohort is a distribution over the persons' ages and sexes and,
// for each condition, its state, enrolment in management and whole cycles
// in the state, evolved cycle by cycle in the engine's order: background
// death, each condition's transition (entering a dead state is death) and
// then its management, ageing at each year's end. The probabilities are the
// engine's (model.Model.Moves), as numbers rather than thresholds.
//
// Conditions interact only through death: given a person's age and sex,
// their states start independent and move independently, so among the
// living the joint distribution is the product of each condition's. The
// cohort keeps each condition's distribution among the living of each group
// of age and sex, and the group's share alive.
//
// What it cannot compute exactly it refuses (New): care and payment, which
// the engine draws episode by episode; a frailty drawn for each person;
// providers' responses; entrants; cohorts of more than MaxCells cells.
package markov

import (
	"context"
	"math"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/tally"
)

// Ages of premature death from the declared conditions, as the engine
// counts them: from exact age 30 to 70.
const (
	prematureFrom = 30
	prematureTo   = 70
)

// Cohort is a scenario's cohort, ready to run.
type Cohort struct {
	m      *model.Model
	groups []*group
	conds  []*condition
	mort   [][2]float64 // background death probability per cycle by year and band ([year*NBand + band]) and sex (1: male)
	costs  [2][]float64 // scratch for reward
}

// group is the persons of one course of age bands over the run and one sex
// (when the sexes die at different rates): they age alike.
type group struct {
	weight    float64 // share of the starting cohort
	male      int
	band      []int  // by year, and after the last year's ageing
	adult     []bool // by year: aged 18 or more
	premature []bool // by year: aged 30 to 69
	alive     float64
	dist      [][]float64 // by condition: its distribution among the living of the group (condition.cell)
}

// condition is what the cohort needs of one condition.
type condition struct {
	name              string
	c                 *model.Cond
	ns, nm, nd, cells int // states, management (1 or 2), times in state (whole cycles, the last open)
	enrol, drop       float64
	// moves[((((period*nBand+band)*nm+managed)*NDur+bucket)*ns+from)*ns+to]
	// are model.Model.Moves.
	moves []float64
	next  []float64 // scratch: the next distribution
}

// cell is the index of (state, managed, whole cycles in state).
func (c *condition) cell(s, mg, d int) int { return (s*c.nm+mg)*c.nd + d }

// New makes the cohort of m, or returns the reasons its scenario cannot run
// as one (errors.Join of *scenario.Error values, sorted by position).
func New(m *model.Model) (*Cohort, error) {
	if err := check(m.S); err != nil {
		return nil, err
	}
	k := &Cohort{m: m}
	k.costs = [2][]float64{make([]float64, len(m.CostCategories)), make([]float64, len(m.CostCategories))}
	k.groupAges()
	for ci := range m.Cond {
		k.conds = append(k.conds, k.compile(ci))
	}
	if err := checkSize(m, len(k.groups), k.conds); err != nil {
		return nil, err
	}
	for _, g := range k.groups {
		k.start(g)
	}
	return k, nil
}

// groupAges makes the groups: every starting age and sex, persons who would
// run through the same bands, adult years and years of premature death (and
// die at the same rate) merged into one. It sets the background mortality.
func (k *Cohort) groupAges() {
	m := k.m
	p := &m.S.Population
	male := 1.0
	if p.MaleMortality != nil {
		male = *p.MaleMortality
	}
	for y := 0; y < max(m.S.Years, 1); y++ {
		f := math.Pow(1+m.S.Trends.Mortality, float64(y))
		for _, b := range p.AgeBands {
			k.mort = append(k.mort, [2]float64{model.RateToProb(b.Mortality*f, m.DT), model.RateToProb(b.Mortality*male*f, m.DT)})
		}
	}
	sexes := []struct {
		male   int
		weight float64
	}{{0, 1 - m.MaleShare}, {1, m.MaleShare}}
	if male == 1 { // the sexes die alike: one group
		sexes = sexes[:1]
		sexes[0].weight = 1
	}
	index := map[string]int{}
	prev := 0.0
	for b := range m.NBand {
		wb := m.BandCum[b] - prev
		prev = m.BandCum[b]
		before := 0.0
		for i, cum := range m.AgeCum[b] {
			wa := wb * (cum - before)
			before = cum
			for _, sex := range sexes {
				w := wa * sex.weight
				if w <= 0 {
					continue
				}
				g := k.course(m.BandFrom[b]+i, sex.male)
				key := g.key()
				if j, ok := index[key]; ok {
					k.groups[j].weight += w
					continue
				}
				g.weight = w
				index[key] = len(k.groups)
				k.groups = append(k.groups, g)
			}
		}
	}
}

// course is the group of persons aged age at the start, of the given sex.
func (k *Cohort) course(age, male int) *group {
	m := k.m
	g := &group{male: male}
	for y := 0; y <= m.S.Years; y++ {
		a := min(age+y, model.MaxAge)
		g.band = append(g.band, int(m.BandOf[a]))
		if y < m.S.Years {
			g.adult = append(g.adult, a >= 18)
			g.premature = append(g.premature, a >= prematureFrom && a < prematureTo)
		}
	}
	return g
}

// key identifies a group's course: its sex, its band in each year (bands
// number at most 255, model.Model.BandOf) and in each year whether it is
// adult and of premature age, a byte each.
func (g *group) key() string {
	b := make([]byte, 0, 1+len(g.band)+len(g.adult))
	b = append(b, byte(g.male))
	for _, band := range g.band {
		b = append(b, byte(band))
	}
	for y := range g.adult {
		var f byte
		if g.adult[y] {
			f |= 1
		}
		if g.premature[y] {
			f |= 2
		}
		b = append(b, f)
	}
	return string(b)
}

// compile makes condition ci's tables: its cells and the probabilities of
// each move.
func (k *Cohort) compile(ci int) *condition {
	m := k.m
	cd := &m.Cond[ci]
	sc := &m.S.Conditions[ci]
	c := &condition{name: cd.Name, c: cd, ns: cd.NState, nm: 1}
	diagnosed := false
	for _, st := range cd.State {
		diagnosed = diagnosed || st.Diagnosed
	}
	if diagnosed && (sc.Management.Initial > 0 || sc.Management.Enrol > 0) {
		c.nm = 2
	}
	// Whole cycles in a state matter up to the last by_years step, and
	// cannot exceed those before the run and the run's own.
	top := len(cd.DurBucket) - 1
	reach := int(math.Ceil(cd.InitCycles)) + m.Cycles
	c.nd = min(top, reach) + 1
	c.cells = c.ns * c.nm * c.nd
	c.enrol = model.RateToProb(sc.Management.Enrol, m.DT)
	c.drop = model.RateToProb(sc.Management.Drop, m.DT)
	c.next = make([]float64, c.cells)

	nb := m.NBand
	c.moves = make([]float64, len(cd.PeriodFrom)*nb*c.nm*cd.NDur*c.ns*c.ns)
	for period := range cd.PeriodFrom {
		for band := range nb {
			for mg := range c.nm {
				for dur := range cd.NDur {
					for from := range c.ns {
						at := ((((period*nb+band)*c.nm+mg)*cd.NDur+dur)*c.ns + from) * c.ns
						m.Moves(c.moves[at:at+c.ns], ci, period, band, mg, dur, 0, from)
					}
				}
			}
		}
	}
	return c
}

// row returns the probabilities of moving from state from to each state.
func (c *condition) row(nb, period, band, mg, bucket, from int) []float64 {
	at := ((((period*nb+band)*c.nm+mg)*c.c.NDur+bucket)*c.ns + from) * c.ns
	return c.moves[at : at+c.ns]
}

// start sets group g's starting distribution: each condition's states as
// in the band's initial shares, enrolment in management among the
// diagnosed at the initial share, and whole cycles already in the state
// d = ⌊u·initial_years·cycles per year⌋, u uniform in [0, 1), as the
// cohort builder draws them.
func (k *Cohort) start(g *group) {
	g.alive = g.weight
	band := g.band[0]
	for _, c := range k.conds {
		cd := c.c
		dist := make([]float64, c.cells)
		init := cd.Init[band*cd.NState : (band+1)*cd.NState]
		dur := startDurations(cd.InitCycles, c.nd)
		prev := 0.0
		for s, cum := range init {
			ps := cum - prev
			prev = cum
			if ps <= 0 {
				continue
			}
			managed := 0.0
			if c.nm == 2 && cd.State[s].Diagnosed {
				managed = cd.InitManaged
			}
			for d, pd := range dur {
				dist[c.cell(s, 0, d)] += ps * (1 - managed) * pd
				if managed > 0 {
					dist[c.cell(s, 1, d)] += ps * managed * pd
				}
			}
		}
		g.dist = append(g.dist, dist)
	}
}

// startDurations is the distribution of ⌊u·cycles⌋ for u uniform in [0, 1),
// the last of nd entries holding nd − 1 and more.
func startDurations(cycles float64, nd int) []float64 {
	p := make([]float64, nd)
	if cycles <= 0 {
		p[0] = 1
		return p
	}
	at := func(j int) float64 { return min(float64(j), cycles) } // P(u·cycles < j) × cycles
	for j := 0; j < nd-1; j++ {
		p[j] = (at(j+1) - at(j)) / cycles
	}
	p[nd-1] = (cycles - at(nd-1)) / cycles
	return p
}

// Run computes the cohort cycle by cycle and calls year with each year's
// expected values, in order. It stops with ctx's error when ctx is done
// (checked once a cycle).
func (k *Cohort) Run(ctx context.Context, year func(*tally.Expected) error) error {
	m := k.m
	nc := len(k.conds)
	dead := make([]float64, m.NStates) // deaths into each dead state so far, as shares
	background := 0.0
	var y *tally.Expected
	for cycle := 0; cycle < m.Cycles; cycle++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		yi := cycle / m.CyclesPerYear
		if cycle%m.CyclesPerYear == 0 {
			y = tally.NewExpected(yi, nc, len(m.CostCategories))
		}
		// The point at the cycle's start: its rewards and its trace.
		pt, ly, qaly := k.point(cycle, yi, dead, background)
		y.Trace = append(y.Trace, pt)
		y.PersonCycles += pt.Alive
		k.reward(y, pt, ly, qaly)

		for _, g := range k.groups {
			background += k.step(y, g, cycle, yi, dead)
		}
		if cycle%m.CyclesPerYear == m.CyclesPerYear-1 {
			for _, g := range k.groups {
				k.snapshot(y, g, yi)
			}
			if cycle == m.Cycles-1 { // the end of the run, after its ageing
				pt, ly, qaly := k.point(m.Cycles, yi+1, dead, background)
				y.Trace = append(y.Trace, pt)
				k.reward(y, pt, ly, qaly)
			}
			if err := year(y); err != nil {
				return err
			}
		}
	}
	return nil
}

// point is the trace's point at the start of cycle (the end of the run
// for Cycles), the groups in their bands of year yi, with its life-years
// and QALYs of one cycle: the living by state, and in each dead state the
// deaths into it so far (dead), background the background deaths so far.
func (k *Cohort) point(cycle, yi int, dead []float64, background float64) (pt tally.Point, ly, qaly float64) {
	pt = tally.Point{Cycle: cycle, States: make([]float64, k.m.NStates), Background: background}
	for _, g := range k.groups {
		l, q := k.rewards(g, g.band[yi])
		ly, qaly = ly+l, qaly+q
		k.occupancy(&pt, g)
	}
	for i := range dead {
		pt.States[i] += dead[i]
	}
	return pt, ly, qaly
}

// rewards are group g's life-years and QALYs of one cycle in its present
// states, in band, as the engine accrues them (each condition's expected
// utility multiplies: the conditions are independent among the living).
func (k *Cohort) rewards(g *group, band int) (ly, qaly float64) {
	m := k.m
	if g.alive == 0 {
		return 0, 0
	}
	util := m.BandUtil[band]
	if m.StateWeights {
		for i, cd := range k.conds {
			u := 0.0
			dist := g.dist[i]
			for s := range cd.ns {
				p := 0.0
				for j := s * cd.nm * cd.nd; j < (s+1)*cd.nm*cd.nd; j++ {
					p += dist[j]
				}
				u += p * cd.c.State[s].Utility
			}
			util *= u
		}
	}
	return g.alive * m.DT, g.alive * util * m.DT
}

// occupancy adds group g's living by state to the point.
func (k *Cohort) occupancy(pt *tally.Point, g *group) {
	pt.Alive += g.alive
	for i, c := range k.conds {
		off := k.m.StateOff[i]
		dist := g.dist[i]
		for s := range c.ns {
			p := 0.0
			for j := s * c.nm * c.nd; j < (s+1)*c.nm*c.nd; j++ {
				p += dist[j]
			}
			pt.States[off+s] += g.alive * p
		}
	}
}

// reward adds the rewards of point pt to year y by the scenario's timing,
// as the engine does (engine.Sim.reward): its state costs are those of its
// occupancy (model.StateCostsAt).
func (k *Cohort) reward(y *tally.Expected, pt tally.Point, ly, qaly float64) {
	m := k.m
	u0, u1 := m.RewardWeights(pt.Cycle, 0)
	e0, e1 := m.RewardWeights(pt.Cycle, m.EffectRate)
	u, e := u0+u1, e0+e1
	y.LY += ly * u
	y.QALY += qaly * u
	y.DiscLY += ly * e
	y.DiscQALY += qaly * e
	if len(m.CostCategories) > 0 {
		cost, ended := k.costs[0], k.costs[1]
		clear(cost)
		clear(ended)
		model.StateCostsAt(m, cost, pt.States, pt.Cycle)
		model.StateCostsAt(m, ended, pt.States, pt.Cycle-1)
		c0, c1 := m.RewardWeights(pt.Cycle, m.CostRate)
		for j := range cost {
			y.StateCosts[j] += cost[j]*u0 + ended[j]*u1
			y.DiscStateCosts[j] += cost[j]*c0 + ended[j]*c1
		}
	}
}

// step moves group g through one cycle: background death, then each
// condition in turn, a condition's deaths counting among those who survived
// the causes before it in the cycle. It returns the background deaths.
func (k *Cohort) step(y *tally.Expected, g *group, cycle, yi int, dead []float64) float64 {
	m := k.m
	if g.alive == 0 {
		return 0
	}
	band := g.band[yi]
	bg := g.alive * k.mort[yi*m.NBand+int(band)][g.male]
	y.DeathsBy[0] += bg
	reach := g.alive - bg // alive when the condition's turn comes
	for i, c := range k.conds {
		survive, died, complications := c.step(g.dist[i], m.NBand, c.c.Period[cycle], band, dead[m.StateOff[i]:], reach)
		y.DeathsBy[1+i] += reach * died
		if g.premature[yi] {
			y.Premature += reach * died
		}
		y.NewComplications[i] += reach * complications
		reach *= survive
	}
	g.alive = reach
	return bg
}

// step moves a condition's distribution dist (among the living) through
// one cycle and leaves it the distribution among those who did not die of
// it. It returns the share that did not die of it, the share that did, and
// the share that entered a complication state from another; it adds the
// deaths into each dead state, × reach, to dead (by state).
func (c *condition) step(dist []float64, nb, period, band int, dead []float64, reach float64) (survive, died, complications float64) {
	cd := c.c
	next := c.next
	clear(next)
	top := len(cd.DurBucket) - 1
	for s := range c.ns {
		complication := cd.Complication[s]
		for mg := range c.nm {
			for d := range c.nd {
				x := dist[c.cell(s, mg, d)]
				if x == 0 {
					continue
				}
				row := c.row(nb, period, band, mg, int(cd.DurBucket[min(d, top)]), s)
				stay := 1.0
				for to, p := range row {
					if p == 0 {
						continue
					}
					stay -= p
					f := x * p
					if cd.Complication[to] && !complication {
						complications += f
					}
					if cd.State[to].Dead {
						died += f
						dead[to] += reach * f
						continue
					}
					c.manage(next, to, mg, 0, f)
				}
				c.manage(next, s, mg, min(d+1, c.nd-1), x*stay)
			}
		}
	}
	survive = 1 - died
	if survive > 0 {
		for j := range next {
			dist[j] = next[j] / survive
		}
	}
	return survive, died, complications
}

// manage adds f persons who hold state s for d whole cycles, enrolled in
// management at the cycle's start or not (mg), to next after this cycle's
// enrolment and drop-out: out of the diagnosed states nobody is enrolled;
// the unenrolled enrol with probability enrol, the enrolled drop out with
// probability drop.
func (c *condition) manage(next []float64, s, mg, d int, f float64) {
	switch {
	case c.nm == 1 || !c.c.State[s].Diagnosed:
		next[c.cell(s, 0, d)] += f
	case mg == 0:
		next[c.cell(s, 1, d)] += f * c.enrol
		next[c.cell(s, 0, d)] += f * (1 - c.enrol)
	default:
		next[c.cell(s, 0, d)] += f * c.drop
		next[c.cell(s, 1, d)] += f * (1 - c.drop)
	}
}

// snapshot adds group g's living at the end of year yi to the year's
// health, as the engine counts them before they age.
func (k *Cohort) snapshot(y *tally.Expected, g *group, yi int) {
	a := g.alive
	y.Alive += a
	adult := g.adult[yi]
	if adult {
		y.Adults += a
	}
	for i, c := range k.conds {
		cd := c.c
		dist := g.dist[i]
		for s := range c.ns {
			for mg := range c.nm {
				p := 0.0
				for d := range c.nd {
					p += dist[c.cell(s, mg, d)]
				}
				x := a * p
				if cd.Prevalent[s] {
					y.Prevalent[i] += x
					if adult {
						y.AdultPrev[i] += x
					}
					if cd.Controlled[s] {
						y.Controlled[i] += x
					}
				}
				if cd.Complication[s] {
					y.Complication[i] += x
				}
				if mg == 1 {
					y.Managed[i] += x
				}
			}
		}
	}
}
