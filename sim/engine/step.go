package engine

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/paysim/paysim/sim/cohort"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/rng"
	"github.com/paysim/paysim/sim/tally"
)

// Ages of premature death from the declared conditions (MODEL §7): from
// exact age 30 to 70.
const (
	prematureFrom = 30
	prematureTo   = 70
)

// stepChunk runs one cycle for the persons of c: MODEL §2 steps 1–4 in the
// person loop, then step 5 by the payment rules over the chunk's episodes.
// It allocates nothing once the chunk's event buffers have grown.
func (s *Sim) stepChunk(w *worker, c *chunk, cycle int) {
	for b := range w.evs {
		w.evs[b] = w.evs[b][:0]
	}
	for j := range w.vis {
		v := &w.vis[j]
		v.N, v.Cost, v.Charges, v.OOP = 0, 0, 0, 0
	}
	for b := range w.vevs {
		w.vevs[b] = w.vevs[b][:0]
	}
	c.counts.Reset()
	c.set.Reset()
	key := rng.Key(s.opt.Seed, s.opt.Replicate)
	purpose := rng.Mix(rng.Cycle + uint64(cycle))
	t := stepper{m: s.m, ch: s.choice, groupAdm: c.groupAdm, r: s.plan, p: s.pop, st: &w.st, rs: &w.rs, evs: w.evs, k: c.counts, nc: s.pop.NCond, now: cohort.SinceZero + cycle,
		census: c.set.Census, managed: c.set.Managed, denied: c.set.Denied, pricers: s.pricers, cas: &w.cas, key: key, purpose: purpose, stayPurpose: rng.Mix(rng.Stay + uint64(cycle)), stayPerson: -1,
		occupancy: c.counts.Occupancy, linear: s.linear, vis: w.vis, vevs: w.vevs, vslot: s.vslot, vt: s.vt}
	if s.plan.Coding != nil {
		t.coding = s.plan.Coding.Year(cycle)
	}
	for c := range s.m.Cond {
		cd := &s.m.Cond[c]
		t.period[c] = cd.PeriodOffset(cd.Period[cycle])
	}
	year := cycle / s.m.CyclesPerYear
	t.detect = model.Threshold(s.m.S.DetectionIn(year))
	t.charge, t.stayCharge, t.mort = s.m.Charges(year), s.m.StayCharges(year), s.m.Morts(year)
	t.baseVisits, t.baseAdm = s.m.BaseVisits[year*s.m.NBand:(year+1)*s.m.NBand], s.m.BaseAdm[year*s.m.NBand:(year+1)*s.m.NBand]
	for j := range t.rsPurpose {
		t.rsPurpose[j] = rng.Mix(rng.Response + 8*uint64(cycle) + uint64(j))
		t.rsPerson[j] = -1 // no person has drawn from it yet: resp resets it for the first
	}
	yearEnd := (cycle+1)%s.m.CyclesPerYear == 0 // the survivors are counted and aged
	leave := 0.0                                // the share of them who leave the scheme
	var ls rng.Stream                           // whether one leaves: a stream of its own (rng.Leave)
	leavePurpose := rng.Mix(rng.Leave + uint64(year))
	if yearEnd {
		c.health.Reset()
		if year+1 < len(s.m.Leave) {
			leave = s.m.Leave[year+1]
		}
	}
	// One pass for the persons' cycles, one for the year's end.
	for i := c.lo; i < c.hi; i++ {
		if s.pop.Flags[i]&cohort.Alive == 0 {
			continue
		}
		t.person(i)
	}
	for i := c.lo; yearEnd && i < c.hi; i++ {
		if s.pop.Flags[i]&cohort.Alive == 0 {
			continue
		}
		s.endYear(c.health, i, cycle+1)
		if leave > 0 {
			ls.ResetKeyed(key, i, leavePurpose)
		}
		if leave > 0 && ls.Float64() < leave {
			s.pop.Flags[i] &^= cohort.Alive
			c.health.Left++
		}
	}
	t.flush()
	for b, evs := range w.evs {
		c.set.Begin(b)
		before := c.set.Rules[b].Cases
		s.rules[b].Settle(t.coding, evs, c.set)
		n := int64(len(evs))
		if l := s.linear[b]; l != nil {
			for j := range w.vis {
				if v := &w.vis[j]; v.N > 0 && int(s.m.Binding[int(v.Provider)*int(payment.NService)+int(payment.Outpatient)]) == b {
					l.SettleVisits(v, c.set)
					n += v.N
				}
			}
		}
		if booked := c.set.Rules[b].Cases - before; booked != n {
			c.err = fmt.Errorf("conservation: the %s rule booked %d of %d episodes", s.m.S.Payment[b].Method, booked, n)
		}
	}
	if s.opt.Episodes != nil {
		c.evs = c.evs[:0]
		for b, evs := range w.evs {
			c.evs = append(c.evs, evs...)
			if vevs := w.vevs[b]; len(vevs) > 0 { // priced one by one, for the export only
				w.exported.Reset()
				w.exported.Begin(b)
				s.rules[b].Settle(t.coding, vevs, w.exported)
				c.evs = append(c.evs, vevs...)
			}
		}
	}
	for p, tier := range s.m.ProvTier { // what the providers of each tier earned and were paid
		c.counts.Revenue[tier] += c.set.Revenue[p]
		c.counts.FundPaid[tier] += c.set.FundPaid[p]
	}
}

// stepper holds what the person loop reads, so that each person's cycle is a
// method with no closures.
type stepper struct {
	m  *model.Model
	ch *model.Choice // the choice of tier of the cycle's year (Sim.choice)
	// st is the stream of the stays of person stayPerson in the cycle
	// (rng.Stay), apart from the person's own: reset by stays when it first
	// draws, so that the number of stays and of their draws moves no other
	// draw of the person (its visits'), nor the other way round.
	st          *rng.Stream
	stayPerson  int
	stayPurpose uint64
	// groupAdm counts the admissions by group for an uplift (nil: none).
	groupAdm []float64
	r        *respond.Plan
	p        *cohort.Population
	// rs are the streams of the responses' draws, one per response, each
	// reset for a person only when it first draws in the cycle (see resp).
	rs        *[nResponse]rng.Stream
	rsPerson  [nResponse]int
	rsPurpose [nResponse]uint64
	key       uint64
	purpose   uint64
	evs       [][]payment.Event // the worker's buffers, by binding
	// pricers are the rules that price single cases, by binding (nil for
	// others): a stay is priced as it is booked, for a later readmission.
	pricers []payment.Pricer
	cas     *payment.Case // the worker's scratch case for them
	// coding is the factor each provider's coding puts on its cases' weight
	// in this cycle's year, by provider; nil: none.
	coding []float64
	// detect is the Threshold of an induced episode's claim being denied by
	// the year's audit (scenario.Supervision); denied the chunk's resource
	// cost of the denied claims, by provider.
	detect uint64
	denied []float64
	// charge is the factor the trends put on the charges of this cycle's
	// year, by [tier*NService + service]; baseVisits and baseAdm the
	// background rates of care of the year, by band.
	charge              []float64
	stayCharge          []float64 // the factor on a stay's charges, by [group*NTier + tier] (model.Care.StayCharge)
	mort                []uint64  // the year's background death thresholds, by [band*2 + male]
	baseVisits, baseAdm []model.Rate
	k                   *tally.Counts // the chunk's tallies
	// linear are the rules that settle visits counted, by binding (nil for
	// others); vis and vevs the worker's counts and kept visits
	// (worker.vis).
	linear []payment.Linear
	vis    []payment.Visits
	vevs   [][]payment.Event
	vslot  []int32     // Sim.vslot
	vt     []visitTier // Sim.vt
	nc     int
	now    int // the cycle as the Population's Since counts it
	// period is, by condition, the offset in its Trans of the rows of the
	// cycle's period of the run (model.Cond.PeriodOffset).
	period [model.MaxConditions]int

	// Sums of every person-cycle, kept here (on the worker's stack) and added
	// to k by flush, so that workers never write near each other's memory.
	personCycles  int64
	managedAtRisk [model.MaxConditions]int64
	occupancy     []int64                     // k.Occupancy
	prematurePC   [tally.PrematureBands]int64 // person-cycles at 30–69, by five-year band
	census        []float64                   // the chunk's person-cycles by township
	managed       []float64                   // the chunk's managed person-cycles by township
	ly, qaly      float64
}

// flush adds the stepper's sums and counted visits to the chunk's tallies.
func (t *stepper) flush() {
	k := t.k
	for j := range t.vis {
		v := &t.vis[j]
		if v.N == 0 {
			continue
		}
		tier := v.Tier
		k.Visits[tier] += v.N
		if v.Flags&payment.Chronic != 0 {
			k.ChronicVisits[tier] += v.N
		}
		k.Charges[tier] += v.Charges
		k.Cost[tier] += v.Cost
		k.Covered[tier] += v.Charges - v.OOP
		k.OOP[tier] += v.OOP
	}
	k.PersonCycles += t.personCycles
	for c := range k.ManagedAtRisk {
		k.ManagedAtRisk[c] += t.managedAtRisk[c]
	}
	for b, n := range t.prematurePC {
		k.PrematurePC[b] += n
	}
	k.LY += t.ly
	k.QALY += t.qaly
}

// person runs one cycle of person i (alive at its start).
func (t *stepper) person(i int) {
	m, p := t.m, t.p
	// The person's stream of the cycle: a local, which the compiler keeps in
	// registers. The stays draw from a stream of their own (stays).
	var st rng.Stream
	st.ResetKeyed(t.key, i, t.purpose)
	band := int(p.Band[i])
	male := int(p.Flags[i]>>1) & 1
	conds := p.State[i*t.nc : i*t.nc+t.nc]
	since := p.Since[i*t.nc : i*t.nc+t.nc]
	frail := p.Frail[i*t.nc : i*t.nc+t.nc]
	since = since[:len(conds)]
	frail = frail[:len(conds)]

	// Time lived this cycle, in the states held at its start.
	util := m.BandUtil[band]
	if m.StateWeights { // else every state has utility 1
		for c, s := range conds {
			util *= m.Cond[c].State[s].Utility
		}
	}
	for c, s := range conds {
		t.occupancy[m.StateOff[c]+int(s)]++
	}
	t.personCycles++
	if a := int(p.Age[i]) - prematureFrom; uint(a) < prematureTo-prematureFrom {
		t.prematurePC[a/5]++
	}
	t.census[p.Town[i]]++
	t.ly += m.DT
	t.qaly += util * m.DT

	// 1. Progress. One draw decides death (its high half) and the count of
	// admissions (its low half, used in step 2).
	d := st.Uint64()
	if d>>32 < t.mort[band*2+male]>>32 {
		t.die(i, 0)
		return
	}
	if ablateAll {
		return
	}
	// The sources of visits (the age band, each condition's state) add into
	// one Poisson count, and so do the sources of admissions: each condition
	// adds its new state's need as soon as it has moved.
	bv, ba := t.baseVisits[band], t.baseAdm[band]
	lv, pv, la, pa := bv.Mean, bv.P0, ba.Mean, ba.P0
	managed := p.Managed[i]
	town := int(p.Town[i])
	cs, period := m.Cond[:len(conds)], t.period[:len(conds)] // bounds checked once
	for c := range conds {
		if ablateConditions {
			break
		}
		cd := &cs[c]
		s := int(conds[c])
		mg := int(managed>>c) & 1
		if mg != 0 && !cd.Complication[s] {
			t.managedAtRisk[c]++
		}
		d := t.now - int(since[c]) // whole cycles in the state
		db := int(cd.DurBucket[min(uint(d), uint(len(cd.DurBucket)-1))])
		level := cd.Level[town] // the township's prevention effort
		trans, r := cd.Trans[level], period[c]+cd.TransRow(band, mg, db, int(frail[c]), s)
		// The transition from the draw's high half (the row's first
		// threshold is the probability of leaving the state, the rest only
		// matter when it does), enrolment from its low one.
		x := st.Uint64()
		if u := uint32(x >> 32); u < trans[r] {
			row := trans[r : r+cd.NState+1]
			to := 0
			for to < cd.NState-1 && u >= row[1+to] {
				to++
			}
			if g := cd.Admit[s*cd.NState+to]; g >= 0 {
				t.admit(i, int(g), false) // the transition's own admission: acute, never withheld
			}
			if cd.Complication[to] && !cd.Complication[s] {
				t.k.NewComplications[c]++
				t.k.NewComplicationsManaged[c] += int64(mg)
			}
			conds[c], since[c], s = uint8(to), uint16(t.now+1), to
			if cd.State[to].Dead {
				t.die(i, 1+c)
				return
			}
		}
		ms := &cd.State[s]
		switch lo := x & math.MaxUint32; {
		case !ms.Diagnosed:
			managed &^= 1 << c
		case mg == 0:
			if lo < cd.Enrol[level]>>32 {
				managed |= 1 << c
			}
		case lo < cd.Drop>>32:
			managed &^= 1 << c
		}
		v, e := ms.Visits[int(managed>>c)&1], ms.Events[int(managed>>c)&1]
		lv += v.Mean
		pv *= v.P0
		la += e.Mean
		pa *= e.P0
	}
	if managed != p.Managed[i] {
		p.Managed[i] = managed // written only when it changes: most cycles write nothing
	}
	if managed != 0 {
		t.managed[town]++
	}

	// 2–4. Need, choice of tier, treatment; each episode draws its source.
	if lv > 0 && !ablateVisits {
		if n := model.PoissonCount(uniform(st.Uint64()), pv, lv); n > 0 {
			st = t.visits(i, n, lv, bv.Mean, st)
		}
	}
	if la > 0 {
		for n := model.PoissonCount(uniform32(d), pa, la); n > 0; n-- {
			g, background := t.admissionGroup(i, band, conds, managed, la)
			t.admit(i, g, background) // only the background case mix is discretionary
		}
	}
}

// stays returns the stream of person i's stays in the cycle, reset when
// they first draw from it.
func (t *stepper) stays(i int) *rng.Stream {
	if t.stayPerson != i {
		t.st.ResetKeyed(t.key, i, t.stayPurpose)
		t.stayPerson = i
	}
	return t.st
}

// The responses that draw, each from its own stream; a visit's from
// streams apart from a stay's, as the visits and stays themselves are.
const (
	withheldDraws = iota
	splitDraws
	readmitDraws
	inducedDraws
	auditDraws
	withheldVisitDraws
	inducedVisitDraws
	auditVisitDraws
	nResponse // at most 8: rng.Response + 8k + j
)

// resp returns the stream of person i's draws for response j in this cycle.
func (t *stepper) resp(i, j int) *rng.Stream {
	if t.rsPerson[j] != i {
		t.rs[j].ResetKeyed(t.key, i, t.rsPurpose[j])
		t.rsPerson[j] = i
	}
	return &t.rs[j]
}

// admissionGroup draws the source of one of a person's admissions (the age
// band or a condition's state, in proportion to their rates; la is their sum)
// and the group it admits to; background reports that the age band's
// background case mix was the source.
func (t *stepper) admissionGroup(i, band int, conds []uint8, managed uint8, la float64) (g int, background bool) {
	m, st := t.m, t.stays(i)
	y := uniform(st.Uint64())*la - t.baseAdm[band].Mean
	if y < 0 {
		return int(m.AdmMix.Pick(st.Uint64())), true
	}
	for c, s := range conds {
		mg := int(managed>>c) & 1
		k := int(s)*2 + mg
		if y -= m.Cond[c].State[s].Events[mg].Mean; y < 0 {
			return int(m.Cond[c].EventMix[k].Pick(st.Uint64())), false
		}
	}
	// Rounding left y just above the sum: the last source with events.
	for c := len(conds) - 1; c >= 0; c-- {
		mg := int(managed>>c) & 1
		k := int(conds[c])*2 + mg
		if m.Cond[c].State[conds[c]].Events[mg].Mean > 0 {
			return int(m.Cond[c].EventMix[k].Pick(st.Uint64())), false
		}
	}
	return int(m.AdmMix.Pick(st.Uint64())), true
}

// priced is the factor the year's trends put on the charges of service svc
// at tier.
func (t *stepper) priced(tier int, svc payment.Service) float64 {
	return t.charge[tier*int(payment.NService)+int(svc)]
}

// uniform maps random bits to [0, 1).
func uniform(x uint64) float64 { return float64(x>>11) * 0x1p-53 }

// uniform32 maps the low 32 bits of x to [0, 1).
func uniform32(x uint64) float64 { return float64(uint32(x)) * 0x1p-32 }

func (t *stepper) die(i, cause int) {
	p, k := t.p, t.k
	p.Flags[i] &^= cohort.Alive
	k.Deaths++
	k.DeathsBy[cause]++
	if cause > 0 { // entering a dead state of condition cause − 1
		c := cause - 1
		k.DeathsIn[t.m.StateOff[c]+int(p.State[i*t.nc+c])]++
	}
	if a := int(p.Age[i]) - prematureFrom; uint(a) < prematureTo-prematureFrom {
		if cause > 0 {
			k.Premature++ // premature deaths are those from the declared conditions (MODEL §7)
			k.PrematureCond[a/5]++
		} else {
			k.PrematureBg[a/5]++
		}
	}
}

// visits books the n outpatient visits of person i in the cycle, whose
// visits have mean lv, background of them from the age band and the rest
// from the conditions' states, drawing from the person's stream st, and
// returns the stream as it left it. One draw x decides each visit's source
// (bits 10–31), its tier (the high half) and its charges (the low bits).
func (t *stepper) visits(i, n int, lv, background float64, st rng.Stream) rng.Stream {
	m := t.m
	if !t.r.On && t.vevs == nil {
		return t.countVisits(i, n, lv, background, st)
	}
	for ; n > 0; n-- {
		x := st.Uint64()
		kind := 0 // caused by the age band; 1: by a condition's state (never when lv = background)
		if float64(x>>model.QuantileBits&(1<<22-1))*0x1p-22*lv >= background {
			kind = 1
		}
		flags := uint16(kind) * payment.Chronic
		tier := pickTier(m.VisitCum[kind], x&^math.MaxUint32)
		charges := t.vt[tier].charges * m.ChargeQ[model.LowQuantile(x)]
		if t.r.On {
			t.visit(i, tier, charges, flags)
		} else {
			t.bookVisit(i, tier, charges, flags)
		}
	}
	return st
}

// countVisits is visits without responses and without kept visits, the
// common case: bookVisit's work done in the loop, with what it reads of the
// person and the model loaded once. The draws, the ceiling's arithmetic
// (in float32, as OutUsed holds it) and the order of the sums are
// bookVisit's.
func (t *stepper) countVisits(i, n int, lv, background float64, st rng.Stream) rng.Stream {
	m, p := t.m, t.p
	town, nTown := int(p.Town[i]), m.NTown
	used := p.OutUsed[i]
	ceiling := m.OutCeiling
	cum, chargeQ := &m.VisitCum, &m.ChargeQ
	vt, vslot, vis := t.vt, t.vslot, t.vis
	for ; n > 0; n-- {
		x := st.Uint64()
		kind := 0 // as in visits
		if float64(x>>model.QuantileBits&(1<<22-1))*0x1p-22*lv >= background {
			kind = 1
		}
		tier := pickTier(cum[kind], x&^math.MaxUint32)
		c := &vt[tier]
		charges := c.charges * chargeQ[model.LowQuantile(x)]
		covered := min(c.ratio*max(0, c.elig*charges-c.ded), max(0, ceiling-float64(used))) // model.Care.Covered
		used += float32(covered)
		slot := vslot[tier*nTown+town]
		if slot < 0 {
			t.book(i, tier, payment.Outpatient, int(payment.NoGroup), 0, charges, covered, uint16(kind)*payment.Chronic)
			continue
		}
		v := &vis[int(slot)+kind]
		cost, oop := charges*c.cost, charges-covered
		v.N++
		v.Cost += cost
		v.Charges += charges
		v.OOP += oop
	}
	p.OutUsed[i] = used
	return st
}

// visit books an outpatient visit of person i at tier, under the
// providers' responses: the provider's incentive may withhold it or induce
// a mild one more; those draws come from the responses' stream.
func (t *stepper) visit(i, tier int, charges float64, flags uint16) {
	m := t.m
	r := t.r
	prov := m.ProvOf[tier*m.NTown+int(t.p.Town[i])]
	if w := r.WithholdVisit[prov]; w > 0 && t.resp(i, withheldVisitDraws).Uint64() < w {
		t.k.WithheldVisits++
		return
	}
	t.bookVisit(i, tier, charges, flags)
	if in := r.InduceVisit[prov]; in > 0 {
		if rs := t.resp(i, inducedVisitDraws); rs.Uint64() < in {
			charges := r.Mild * t.vt[tier].charges * m.ChargeQ[model.LowQuantile(rs.Uint64())]
			if t.audited(i, auditVisitDraws) {
				t.k.DeniedVisits++
				t.deny(int(prov), tier, charges)
				return
			}
			t.k.InducedVisits++
			t.bookVisit(i, tier, charges, flags|payment.Induced)
		}
	}
}

// audited reports whether the year's audit detects the claim of an induced
// episode of person i, drawn from the audit's own stream j (auditDraws, or
// auditVisitDraws for a visit): no draw without
// an audit, so that a run without one keeps every other draw.
func (t *stepper) audited(i, j int) bool {
	return t.detect > 0 && t.resp(i, j).Uint64() < t.detect
}

// deny counts a denied claim of charges at tier, given by provider prov:
// the fund pays nothing, the patient is not billed, and the provider bears
// its resource cost.
func (t *stepper) deny(prov, tier int, charges float64) {
	cost := charges * t.m.CostRatio[tier]
	t.k.DeniedCharges += charges
	t.k.DeniedCost += cost
	t.denied[prov] += cost
}

// bookVisit applies the annual outpatient ceiling to a visit and books it.
func (t *stepper) bookVisit(i, tier int, charges float64, flags uint16) {
	p, m, vt := t.p, t.m, &t.vt[tier]
	covered := min(vt.ratio*max(0, vt.elig*charges-vt.ded), max(0, m.OutCeiling-float64(p.OutUsed[i]))) // model.Care.Covered
	p.OutUsed[i] += float32(covered)
	k := tier*m.NTown + int(p.Town[i])
	slot := t.vslot[k]
	if slot < 0 {
		t.book(i, tier, payment.Outpatient, int(payment.NoGroup), 0, charges, covered, flags)
		return
	}
	v := &t.vis[int(slot)+visitKind(flags)]
	cost, oop := charges*vt.cost, charges-covered
	v.N++
	v.Cost += cost
	v.Charges += charges
	v.OOP += oop
	if t.vevs != nil {
		prov := m.ProvOf[k]
		b := m.Binding[int(prov)*int(payment.NService)+int(payment.Outpatient)]
		t.vevs[b] = append(t.vevs[b], payment.Event{Person: int32(i), Provider: prov, Group: payment.NoGroup, Tier: uint8(tier),
			Service: payment.Outpatient, Flags: flags, Cost: cost, Charges: charges, OOP: oop, Readmit: payment.NoReadmit})
	}
}

// admit books an admission of person i in group g, and the long stay of a
// down-referral when one follows. Under responses the provider's incentive
// may withhold a discretionary admission (one of the background case mix,
// not one a condition's state or transition causes), stretch or shorten the stay, bill
// it as two, and add a readmission or an induced mild admission. The care's
// own draws are made whatever the responses do, and the responses draw from
// their own stream, so that switching a response off changes no other draw.
func (t *stepper) admit(i, g int, discretionary bool) {
	m, ch, st := t.m, t.ch, t.stays(i)
	first := pickTier(ch.AdmCum[g*m.NTier:(g+1)*m.NTier], st.Uint64())
	k := g*m.NTier + first
	tier := int(ch.Treat[k])
	var flags uint16
	if ch.Referred[k] {
		flags = payment.ReferredUp
	}
	prov := int(m.ProvOf[tier*m.NTown+int(t.p.Town[i])])
	rehab := false
	if th := t.r.RehabAt(g, prov); th > 0 && st.Uint64() < th {
		rehab = true
		flags |= payment.Transferred // discharged to a post-acute stay
	}
	mean := g*m.NTier + tier
	x := st.Uint64() // length of stay from the high bits, charges from the low ones
	losMean, charges := ch.LOS[mean], ch.Stay[mean]*m.ChargeQ[model.LowQuantile(x)]*t.stayCharge[mean]
	r := t.r
	if !r.On {
		t.bookStay(i, tier, payment.Inpatient, g, stayDays(losMean*m.LOSQ[model.Quantile(x)]), charges, flags, st)
		if rehab {
			t.rehabStay(i, g, st)
		}
		return
	}
	if w := r.WithholdStay[prov]; discretionary && w > 0 && t.resp(i, withheldDraws).Uint64() < w {
		t.k.WithheldAdmissions++
		st.Uint64() // the draws the stay would have made (its day, its long stay's length), so that the draws after them stay paired with a run without responses
		if rehab {
			st.Uint64()
		}
		return
	}
	los := stayDays(losMean * r.LOS[prov] * m.LOSQ[model.Quantile(x)])
	charges *= r.StayCharges[prov]
	if sp := r.Split[prov]; los >= 2 && sp > 0 && t.resp(i, splitDraws).Uint64() < sp {
		// One stay billed as two: the second part follows the first at once.
		t.k.SplitAdmissions++
		first := los / 2
		part := charges * float64(first) / float64(los)
		t.bookStay(i, tier, payment.Inpatient, g, first, part, flags&^payment.Transferred, st)
		t.bookStay(i, tier, payment.Inpatient, g, los-first, charges-part, (flags|payment.Split)&^payment.ReferredUp, st) // one referral; no draw
	} else {
		t.bookStay(i, tier, payment.Inpatient, g, los, charges, flags, st)
	}
	if rehab {
		t.rehabStay(i, g, st)
	}
	if rd := r.Readmit[prov]; rd > 0 && t.resp(i, readmitDraws).Uint64() < rd {
		// Discharged too soon: readmitted for a mild stay in the same group.
		t.k.AddedReadmissions++
		t.mildStay(i, tier, g, payment.Induced|payment.Premature, t.resp(i, readmitDraws))
	}
	if in := r.InduceStay[prov]; in > 0 && t.resp(i, inducedDraws).Uint64() < in {
		// A lower admission threshold: a mild case of the background mix
		// (or of the same group, when there is no background mix) that the
		// tier treats is admitted.
		rs := t.resp(i, inducedDraws)
		g2 := g
		if len(m.AdmMix.Group) > 0 {
			g2 = int(m.AdmMix.Pick(rs.Uint64()))
		}
		if int(ch.Treat[g2*m.NTier+tier]) == tier {
			los, charges := t.mildCase(tier, g2, rs)
			if t.audited(i, auditDraws) {
				t.k.DeniedAdmissions++
				t.deny(prov, tier, charges)
				return
			}
			t.k.InducedAdmissions++
			t.bookStay(i, tier, payment.Inpatient, g2, los, charges, payment.Induced, rs)
		}
	}
}

// rehabStay books the long stay of a down-referral after a stay in group g,
// its length drawn from st.
func (t *stepper) rehabStay(i, g int, st *rng.Stream) {
	m := t.m
	rr := &m.Rehab[g]
	mean := rr.LOS
	if t.r.On {
		mean *= t.r.LongLOS[m.ProvOf[int(rr.Tier)*m.NTown+int(t.p.Town[i])]]
	}
	los := stayDays(mean * m.LOSQ[model.Quantile(st.Uint64())])
	t.bookStay(i, int(rr.Tier), payment.LongStay, g, los, m.BedDay[rr.Tier]*float64(los)*t.priced(int(rr.Tier), payment.LongStay), payment.ReferredDown, st)
}

// mildStay books a mild stay (mildCase) of person i in group g at tier,
// drawn from rs.
func (t *stepper) mildStay(i, tier, g int, flags uint16, rs *rng.Stream) {
	los, charges := t.mildCase(tier, g, rs)
	t.bookStay(i, tier, payment.Inpatient, g, los, charges, flags, rs)
}

// mildCase draws from rs the days and charges of a mild stay in group g at
// tier: respond.Plan.Mild of the average's.
func (t *stepper) mildCase(tier, g int, rs *rng.Stream) (los int, charges float64) {
	m, ch := t.m, t.ch
	x := rs.Uint64()
	mean := g*m.NTier + tier
	los = stayDays(t.r.Mild * ch.LOS[mean] * m.LOSQ[model.Quantile(x)])
	return los, t.r.Mild * ch.Stay[mean] * m.ChargeQ[model.LowQuantile(x)] * t.stayCharge[mean]
}

// bookStay applies the annual inpatient ceiling to a stay and books it; st
// draws the day of the cycle it is admitted on.
func (t *stepper) bookStay(i, tier int, svc payment.Service, g, los int, charges float64, flags uint16, st *rng.Stream) {
	p := t.p
	covered := min(t.m.Covered(tier, svc, charges), max(0, t.m.InCeiling-float64(p.InUsed[i])))
	p.InUsed[i] += float32(covered)
	ev := t.book(i, tier, svc, g, los, charges, covered, flags)
	if svc != payment.Inpatient || flags&(payment.Induced|payment.Premature) == payment.Induced {
		return // an induced admission stands for another, milder patient's: it follows no stay of this one's
	}
	// Readmission: the admission falls on a day of the cycle, not before the
	// person's last discharge; it follows the last stay in the same group at
	// the same provider by so many days, and that stay's price (before any
	// readmission adjustment of its own) is what a readmission rule halves.
	// The second part of a stay billed as two starts the day the first ends.
	last := p.LastDay[i]
	var admitted int32
	if flags&payment.Split == 0 || last == cohort.NoStay {
		admitted = int32(float64(t.now-cohort.SinceZero)*t.m.DaysPerCycle + uniform(st.Uint64())*t.m.DaysPerCycle)
	}
	if last != cohort.NoStay && admitted < last {
		admitted = last // a second stay of the cycle starts after the first ended
	}
	if last != cohort.NoStay && p.LastGroup[i] == ev.Group && p.LastProv[i] == ev.Provider {
		ev.Readmit = uint16(min(admitted-last, int32(payment.NoReadmit-1)))
		ev.PrevRevenue = p.LastRev[i]
	}
	p.LastDay[i], p.LastGroup[i], p.LastProv[i] = admitted+int32(los), ev.Group, ev.Provider
	p.LastRev[i] = 0
	if pr := t.pricers[t.m.Binding[int(ev.Provider)*int(payment.NService)+int(svc)]]; pr != nil {
		*t.cas = payment.CaseOf(ev)
		t.cas.Readmit = -1
		if t.coding != nil {
			t.cas.Coding = t.coding[ev.Provider]
		}
		p.LastRev[i] = float32(pr.Price(t.cas, false).Payment)
	}
}

// book appends an episode to the buffer of the rule bound to its provider
// and service and returns it (valid until the next book).
func (t *stepper) book(i, tier int, svc payment.Service, g, los int, charges, covered float64, flags uint16) *payment.Event {
	m := t.m
	prov := m.ProvOf[tier*m.NTown+int(t.p.Town[i])]
	b := m.Binding[int(prov)*int(payment.NService)+int(svc)]
	oop := charges - covered
	cost := charges * m.CostRatio[tier]
	// The tiers' tallies of care, as the episode is booked.
	k := t.k
	switch svc {
	case payment.Outpatient:
		k.Visits[tier]++
		if flags&payment.Chronic != 0 {
			k.ChronicVisits[tier]++
		}
	case payment.Inpatient:
		k.Admissions[tier]++
		if t.groupAdm != nil {
			t.groupAdm[g]++
		}
		k.StayDays[tier] += int64(los)
		if flags&payment.ReferredUp != 0 {
			k.ReferralsUp++
		}
	case payment.LongStay:
		k.LongStays[tier]++
		k.LongDays[tier] += int64(los)
		if flags&payment.ReferredDown != 0 {
			k.ReferralsDown++
		}
	}
	k.Charges[tier] += charges
	k.Cost[tier] += cost
	k.Covered[tier] += covered
	k.OOP[tier] += oop
	t.evs[b] = append(t.evs[b], payment.Event{
		Person: int32(i), Provider: prov, Group: uint16(g), Tier: uint8(tier), Service: svc,
		Flags: flags, LOS: uint16(los), Cost: cost,
		Charges: charges, OOP: oop, Readmit: payment.NoReadmit,
	})
	return &t.evs[b][len(t.evs[b])-1]
}

// stayDays rounds a drawn length of stay to whole days, at least 1.
func stayDays(x float64) int {
	return int(min(max(math.Round(x), 1), math.MaxUint16))
}

// pickTier returns the tier at random draw x of cumulative Thresholds cum.
func pickTier(cum []uint64, x uint64) int {
	return min(below(cum, x), len(cum)-1)
}

// below counts the thresholds of cum (increasing) that x is not below: the
// index of the outcome x draws from a cumulative distribution. It scans the
// whole table and adds each comparison's borrow instead of branching on it:
// a branch on a random draw is one the processor cannot predict.
func below(cum []uint64, x uint64) int {
	n := len(cum)
	for ; len(cum) >= 4; cum = cum[4:] { // four at a time: fewer loop branches
		_, b0 := bits.Sub64(x, cum[0], 0) // 1 when x < cum[0]
		_, b1 := bits.Sub64(x, cum[1], 0)
		_, b2 := bits.Sub64(x, cum[2], 0)
		_, b3 := bits.Sub64(x, cum[3], 0)
		n -= int(b0 + b1 + b2 + b3)
	}
	for _, c := range cum {
		_, borrow := bits.Sub64(x, c, 0)
		n -= int(borrow)
	}
	return n
}
