// Package respond computes how providers respond to payment (MODEL §4,
// docs/responses.md): from what each rule bound to a provider pays at the
// margin (payment.Rule.Margin) and the share of savings its side keeps, the
// provider's incentive, and from the incentive what it does — induced and
// withheld care, longer or shorter stays, split stays and readmissions,
// upcoding, pull into its consortium, down-referrals and prevention effort.
// The result is a Plan of plain tables, compiled once before a run, that the
// model compiles its conditions and choices with and the engine reads in its
// person loop. It never looks at a rule's name.
package respond

import (
	"math"
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Incentive is what one provider gains at the margin under the rules bound
// to it and its consortium's budget (docs/responses.md), each as a share of
// the charges concerned, above the scenario's baseline (fee for service, or
// need). Responses are driven by these numbers, never by a rule's name.
type Incentive struct {
	// Visit and Stay: net income of one more mild episode (an outpatient
	// visit, an admission) ÷ the average episode's charges, above the baseline's.
	Visit, Stay float64
	// Day: net income of one more bed-day of a stay ÷ its charges, above
	// the baseline's; LongDay the same for a long stay after a down-referral.
	Day, LongDay float64
	// Weight: revenue of coding a case one unit of weight heavier ÷ its price.
	Weight float64
	// Split: revenue of billing one stay as two ÷ the stay's price.
	Split float64
	// Retention: share of a yuan saved on its residents' care that the
	// provider's side keeps (its consortium's surplus share, or 1 under
	// capitation).
	Retention float64
}

// Plan is what providers do in response to their incentives, and what
// referral agreements and budgets do to where patients go. Without
// responses (On false) the providers' tables are neutral and the engine
// draws nothing for them; the pull and the down-referrals of referral
// agreements, which are rules and not responses, are in force whatever.
type Plan struct {
	On        bool
	Incentive []Incentive // by provider
	Mild      float64     // charges and LOS of an induced episode ÷ the average one's

	// By provider: Thresholds of the per-episode probabilities of an induced
	// or a withheld visit or admission, of a stay split in two, of an added
	// readmission; the factors on a stay's length and charges.
	InduceVisit, WithholdVisit []uint64
	InduceStay, WithholdStay   []uint64
	Split, Readmit             []uint64
	LOS, StayCharges           []float64
	LongLOS                    []float64 // factor on the length of a long stay, by provider

	// Coding is the coded-weight factor by year and provider that the
	// rules pay, after the audit (Audited; nil: none); drift is the factor
	// the providers code at, before it.
	Coding *payment.Coding
	drift  *payment.Coding
	// Effort is the prevention effort by condition and township [c*NTown + w];
	// with a staff's performance pay (Budget.StaffShare) the effort on
	// finding and managing patients, ControlEffort the effort on their
	// control (nil: Effort on both).
	Effort, ControlEffort []float64
	// Pull is the bonus on each tier's utility from referral agreements and
	// a budget's pull into the consortium, by tier.
	Pull []float64

	rehabAt []uint64 // [group*nProv + provider] Threshold of a down-referral; see RehabAt
	nProv   int

	// What Expecting re-plans a year from.
	c         *model.Care
	rules     []payment.Rule
	retention []float64
	agreement []*scenario.Consortium
}

// RehabAt is the Threshold of a down-referral after a stay in group g at
// provider p.
func (r *Plan) RehabAt(g, p int) uint64 { return r.rehabAt[g*r.nProv+p] }

// Compile computes every provider's incentive from the rules of c's
// bindings (rules[b] pays binding b) and what the provider does (MODEL §4),
// the prevention effort of each township, the pull of each tier and the
// down-referral shares.
func Compile(c *model.Care, rules []payment.Rule) *Plan {
	s := c.S
	r := &Plan{Effort: make([]float64, len(s.Conditions)*c.NTown), Pull: make([]float64, c.NTier), nProv: c.NProv}
	retention := make([]float64, c.NProv)
	agreement := make([]*scenario.Consortium, c.NProv) // the consortium whose referral agreement binds p
	for p, ci := range c.Consortium {
		if ci >= 0 {
			agreement[p] = &s.Consortia[ci]
		}
	}
	r.On = s.ResponsesOn()
	var rs *scenario.Responses
	if r.On {
		rs = s.Responses
		r.Mild = *rs.Mild
		for p := 0; p < c.NProv; p++ {
			retention[p] = retentionOf(c, rules, p)
		}
	}

	// Referral agreements (rules, in force whatever the responses) and the
	// pull of a budget that keeps its surplus: a bonus on the utility of
	// member tiers, by the township-weighted share of the tier's providers
	// they cover. Keeping patients in the county and sending stays down to
	// township rehabilitation saves a budget's money, not a capitated
	// clinic's, so both follow the surplus share.
	for t := 0; t < c.NTier; t++ {
		for w := 0; w < c.NTown; w++ {
			p := c.ProvOf[t*c.NTown+w]
			if p == model.NoProvider {
				continue
			}
			weight := s.Population.Townships[w].Weight
			if a := agreement[p]; a != nil {
				r.Pull[t] += weight * a.Referral.Pull
			}
			if rs != nil {
				r.Pull[t] += weight * *rs.Pull * surplusShare(c, int(p))
			}
		}
	}
	r.c, r.rules, r.retention, r.agreement = c, rules, retention, agreement
	r.downReferrals(func(p int) float64 { return surplusShare(c, p) })

	// Prevention effort by condition and township: the primary providers'
	// share of the condition's complication costs that falls on their side
	// (riskBorne; for a member of a budget that pays its staff a share s of
	// the retained surplus, (1 − s) of it), and the protocols of their
	// consortium; then what the staff's performance pay tied to each
	// indicator adds (staffPay). The surplus is counted once: what the staff
	// are paid the provider does not keep.
	if rs != nil {
		find, control := staffPay(c)
		kept := 1.0 // the share of the retained surplus its members keep, the staff's pay paid out of it
		if find != nil {
			r.ControlEffort = make([]float64, len(r.Effort))
			kept = 1 - s.Budgeted().Budget.StaffShare
		}
		for ci, cond := range s.Conditions {
			for w := 0; w < c.NTown; w++ {
				e, pf, pc := 0.0, 0.0, 0.0
				for t := 0; t < c.NTier; t++ {
					p := c.ProvOf[t*c.NTown+w]
					if !c.Primary[t] || p == model.NoProvider {
						continue
					}
					borne := riskBorne(c, rules, int(p), ci)
					if find != nil && c.Member[p] {
						borne *= kept // the staff's share is the staff's, not the provider's
					}
					e = max(e, *rs.Prevention.Effort*borne)
					if a := agreement[p]; a != nil {
						for _, pc := range a.Protocols {
							if pc.Condition == cond.Name {
								e = max(e, pc.Effort)
							}
						}
					}
					if find != nil {
						pf, pc = max(pf, find[p]), max(pc, control[p])
					}
				}
				r.Effort[ci*c.NTown+w] = min(1, e+*rs.Prevention.Staff*pf)
				if r.ControlEffort != nil {
					r.ControlEffort[ci*c.NTown+w] = min(1, e+*rs.Prevention.Staff*pc)
				}
			}
		}
	}

	if rs == nil {
		r.tables(c, rules, nil, nil)
		return r
	}
	r.tables(c, rules, retention, func(p int) float64 { return surplusShare(c, p) })
	return r
}

// downReferrals sets the down-referral Thresholds: a group's rehab share ×
// (1 + the referral agreement's down + down_referral × share(p)), share(p)
// what a yuan of its residents' care costs provider p's side.
func (r *Plan) downReferrals(share func(p int) float64) {
	c := r.c
	rs := c.S.Responses
	if !r.On {
		rs = nil
	}
	r.rehabAt = make([]uint64, c.NGroup*c.NProv)
	for g, gr := range c.S.Groups {
		if gr.Rehab == nil {
			continue
		}
		for p := 0; p < c.NProv; p++ {
			f := 1.0
			if a := r.agreement[p]; a != nil {
				f += a.Referral.Down
			}
			if rs != nil {
				f += *rs.DownReferral * share(p)
			}
			r.rehabAt[g*c.NProv+p] = model.Threshold(min(1, gr.Rehab.Share*f))
		}
	}
}

// Expecting returns the plan of year (0-based) in which a yuan more of the
// budget members' care is expected to cost their side margin of it
// (payment.Forecaster): their incentives, response tables, coding from
// this year on and down-referrals follow the margin; prev is the plan of
// the year before (r itself before the first year). Prevention effort and
// the pull into the consortium stay r's, set on the surplus share α: they
// are investments of several years, compiled into the model. Without
// responses or a budget it returns r.
func (r *Plan) Expecting(prev *Plan, year int, margin float64) *Plan {
	c := r.c
	if !r.On || c.S.Budgeted() == nil {
		return r
	}
	share := func(p int) float64 {
		if c.Member[p] {
			return margin
		}
		return 0
	}
	o := *r
	o.tables(c, r.rules, r.retention, share)
	o.downReferrals(share)
	o.drift = o.continueCoding(prev.drift, year)
	o.Coding = Audited(c.S, o.drift)
	return &o
}

// Continuing is r in force from year on after the plan prev, in a run
// whose rules change at the start of that year (a phase): r's incentives
// and tables, with the coding drift prev reached continued at r's rate, so
// that coding neither restarts nor jumps to where r alone would have
// brought it. A plan with a budget is re-planned each year by Expecting,
// which continues the coding the same way.
func (r *Plan) Continuing(prev *Plan, year int) *Plan {
	if !r.On {
		return r
	}
	o := *r
	o.drift = o.continueCoding(prev.drift, year)
	o.Coding = Audited(r.c.S, o.drift)
	return &o
}

// continueCoding returns the coding factors of a plan whose incentives are
// o's from year on, after a plan whose coding was prev: prev's factors
// before year, and from year prev's factor of the year before (1 before
// the first) compounded yearly by 1 + upcoding × o's weight incentive, up
// to 1 + upcoding_cap. nil when nothing is coded heavier.
func (o *Plan) continueCoding(prev *payment.Coding, year int) *payment.Coding {
	rs := o.c.S.Responses
	n, years := o.c.NProv, o.c.S.Years
	growth := make([]float64, n)
	coding := prev != nil
	for p := range growth {
		growth[p] = 1 + *rs.Upcoding*max(0, o.Incentive[p].Weight)
		coding = coding || growth[p] > 1
	}
	if !coding {
		return nil
	}
	out := &payment.Coding{NProv: n, CyclesPerYear: o.c.CyclesPerYear, Factor: make([]float64, years*n)}
	for p := 0; p < n; p++ {
		f := 1.0
		if prev != nil && year > 0 {
			f = prev.Factor[(year-1)*n+p]
		}
		for y := 0; y < years; y++ {
			if y < year {
				if prev != nil {
					out.Factor[y*n+p] = prev.Factor[y*n+p]
				} else {
					out.Factor[y*n+p] = 1
				}
				continue
			}
			f = min(f*growth[p], 1+*rs.UpcodingCap)
			out.Factor[y*n+p] = f
		}
	}
	return out
}

// tables fills the providers' incentives and response tables, a yuan the
// fund pays provider p costing its side share(p) of it (its consortium's α
// in a surplus year). Without responses (retention nil) they are neutral.
func (r *Plan) tables(c *model.Care, rules []payment.Rule, retention []float64, share func(p int) float64) {
	s := c.S
	n := c.NProv
	r.Incentive = make([]Incentive, n)
	r.InduceVisit, r.WithholdVisit = make([]uint64, n), make([]uint64, n)
	r.InduceStay, r.WithholdStay = make([]uint64, n), make([]uint64, n)
	r.Split, r.Readmit = make([]uint64, n), make([]uint64, n)
	r.LOS, r.StayCharges, r.LongLOS = make([]float64, n), make([]float64, n), make([]float64, n)
	for p := range r.LOS {
		r.LOS[p], r.StayCharges[p], r.LongLOS[p] = 1, 1, 1
	}
	if retention == nil {
		return
	}
	rs := s.Responses
	coding := false
	for p := 0; p < n; p++ {
		in, dayCap := incentive(c, rules, p, retention[p], share(p))
		r.Incentive[p] = in
		r.InduceVisit[p] = model.Threshold(*rs.Induced * max(0, in.Visit))
		r.WithholdVisit[p] = model.Threshold(*rs.Withheld * max(0, -in.Visit))
		r.InduceStay[p] = model.Threshold(*rs.Induced * max(0, in.Stay))
		r.WithholdStay[p] = model.Threshold(*rs.Withheld * max(0, -in.Stay))
		r.Split[p] = model.Threshold(*rs.Split * max(0, in.Split))
		r.Readmit[p] = model.Threshold(*rs.Readmission * max(0, -in.Day))
		// No stay is stretched past the days its rule pays for.
		r.LOS[p] = min(math.Exp(*rs.LOS*in.Day), max(1, dayCap[payment.Inpatient]))
		r.StayCharges[p] = 1 + *rs.LOSCharges*(r.LOS[p]-1)
		r.LongLOS[p] = min(math.Exp(*rs.LOS*in.LongDay), max(1, dayCap[payment.LongStay])) // billed by the day
		coding = coding || (*rs.Upcoding > 0 && in.Weight > 0)
	}
	if coding {
		cd := &payment.Coding{NProv: n, CyclesPerYear: c.CyclesPerYear, Factor: make([]float64, s.Years*n)}
		for y := 0; y < s.Years; y++ {
			for p := 0; p < n; p++ {
				f := math.Pow(1+*rs.Upcoding*max(0, r.Incentive[p].Weight), float64(y+1))
				cd.Factor[y*n+p] = min(f, 1+*rs.UpcodingCap)
			}
		}
		r.drift, r.Coding = cd, Audited(s, cd)
	}
}

// Audited is the coding the rules pay after the scenario's audit
// (scenario.Supervision, docs/mechanisms.md §1): in a year of detection rate
// d, a detected case is paid at its true weight, so a factor f is paid as
// 1 + (1 − d)·(f − 1) in expectation. It returns cd itself when no year
// has an audit (nil for nil).
func Audited(s *scenario.Scenario, cd *payment.Coding) *payment.Coding {
	if cd == nil {
		return nil
	}
	years := len(cd.Factor) / cd.NProv
	var out *payment.Coding
	for y := 0; y < years; y++ {
		d := s.DetectionIn(y)
		if d == 0 {
			continue
		}
		if out == nil {
			out = &payment.Coding{NProv: cd.NProv, CyclesPerYear: cd.CyclesPerYear, Factor: slices.Clone(cd.Factor)}
		}
		for p := 0; p < cd.NProv; p++ {
			f := &out.Factor[y*cd.NProv+p]
			*f = 1 + (1-d)*(*f-1)
		}
	}
	if out == nil {
		return cd
	}
	return out
}

// surplusShare is α, the share of its budget's surplus provider p's
// consortium keeps, or 0 when no budget pays p.
func surplusShare(c *model.Care, p int) float64 {
	if c.Member[p] {
		return c.S.Consortia[c.Consortium[p]].Budget.SurplusShare
	}
	return 0
}

// staffPay is, by provider, the staff's expected performance pay per unit
// of effort on finding and managing patients and on their control: the
// staff share of the retained surplus × the surplus share α × the weight
// of the indicator (the managed share, the control rate) it is tied to,
// for a member of a budget that pays its staff so; nil when none does.
func staffPay(c *model.Care) (find, control []float64) {
	cons := c.S.Budgeted()
	if cons == nil || cons.Budget.StaffShare == 0 {
		return nil, nil
	}
	b := cons.Budget
	find, control = make([]float64, c.NProv), make([]float64, c.NProv)
	for p := range find {
		if c.Member[p] {
			find[p] = b.StaffShare * b.SurplusShare * b.Indicators.Managed
			control[p] = b.StaffShare * b.SurplusShare * b.Indicators.Control
		}
	}
	return find, control
}

// retentionOf is the share of a yuan saved on its residents' care that
// provider p's side keeps, what drives its prevention effort: its
// consortium's surplus share when a budget pays it, or what a rule bound to
// any of its services leaves with it whatever care it gives (1 under
// capitation), whichever is larger.
func retentionOf(c *model.Care, rules []payment.Rule, p int) float64 {
	r := surplusShare(c, p)
	for svc := range payment.NService {
		if b := c.BindingOf(p, svc); b != model.NoBinding {
			r = max(r, rules[b].Margin(episode(c, p, svc, 0)).Keeps)
		}
	}
	return r
}

// riskBorne is the share of a complication's cost of condition ci that
// falls on provider p's side, times the share of a saving it keeps: what
// makes preventing it worth p's effort. A member of a budget's consortium
// bears all its residents' care, wherever given, and keeps the surplus
// share α of a saving; a provider paid per enrollee for a service its tier
// gives bears that service's part of the cost (complicationCost) and keeps
// all of it; one paid per episode bears none. Outpatient-only capitation
// therefore buys little prevention: a complication costs mostly stays.
func riskBorne(c *model.Care, rules []payment.Rule, p, ci int) float64 {
	risk := surplusShare(c, p)
	shares := complicationCost(c, int(c.ProvTier[p]), ci)
	capitated := 0.0
	for svc := range payment.NService {
		if b := c.BindingOf(p, svc); b != model.NoBinding && meanCharges(c, int(c.ProvTier[p]), svc) > 0 {
			capitated += rules[b].Margin(episode(c, p, svc, 0)).Keeps * shares[svc]
		}
	}
	return max(risk, capitated)
}

// complicationCost is how the cost of a complication of condition ci
// divides among the services, for a patient whose visits are at tier t:
// the admission that brings it on (a transition's admit), and a year of the
// complication's care (its visits, its admissions, their long stays), over
// the condition's complication states, each weighted by the share of the
// starting population in it (equally when none starts in any), so that a
// complication split into two states (in control and not) weighs as one.
// Charges are the first year's, at each group's reference tier; all zero
// when the condition has no complication with a cost.
func complicationCost(c *model.Care, t, ci int) [payment.NService]float64 {
	var cost [payment.NService]float64
	cd := &c.S.Conditions[ci]
	w := 1.0 // the weight of the state being added
	stay := func(group string, rate float64) {
		g := slices.Index(c.GroupNames, group)
		if g < 0 {
			return
		}
		cost[payment.Inpatient] += w * rate * c.StayMean[g*c.NTier+c.RefTier(g)]
		if r := c.S.Groups[g].Rehab; r != nil {
			if rt := slices.Index(c.TierNames, r.Tier); rt >= 0 {
				cost[payment.LongStay] += w * rate * r.Share * r.LOS * c.BedDay[rt]
			}
		}
	}
	weight := make([]float64, len(cd.States))
	started := 0.0
	for _, in := range cd.Initial {
		band := 0.0
		for _, b := range c.S.Population.AgeBands {
			if b.Name == in.Band {
				band = b.Weight
			}
		}
		for _, sh := range in.States {
			if si := slices.IndexFunc(cd.States, func(st scenario.State) bool { return st.Name == sh.Name }); si >= 0 && cd.States[si].Complication {
				weight[si] += band * sh.Value
				started += band * sh.Value
			}
		}
	}
	for si, st := range cd.States {
		if !st.Complication {
			continue
		}
		w = 1
		if started > 0 {
			w = weight[si] / started
		}
		visits := st.Visits
		if st.VisitsManaged != nil {
			visits = *st.VisitsManaged
		}
		cost[payment.Outpatient] += w * visits * c.VisitMean[t]
		for _, ev := range st.Events {
			stay(ev.Group, ev.Rate)
		}
		for _, tr := range cd.Transitions {
			if tr.To == st.Name && tr.Admit != "" {
				stay(tr.Admit, 1) // the onset's admission, once
				break
			}
		}
	}
	total := cost[0] + cost[1] + cost[2]
	if total > 0 {
		for i := range cost {
			cost[i] /= total
		}
	}
	return cost
}

// episode is the average episode of service svc at provider p's tier, with
// mild episodes of mild × its charges and days.
func episode(c *model.Care, p int, svc payment.Service, mild float64) payment.Episode {
	t := int(c.ProvTier[p])
	mean := meanCharges(c, t, svc)
	e := payment.Episode{Tier: t, Service: svc, Charges: mean, LOS: meanLOS(c, t, svc), Mild: mild}
	if mean > 0 && mild > 0 {
		e.OOP = 1 - c.Covered(t, svc, mild*mean)/(mild*mean)
	}
	return e
}

// incentive computes provider p's incentive from the margins of the rules
// bound to its outpatient, inpatient and long-stay care (docs/responses.md,
// "The incentive"), and the length of stay by service beyond which its rule
// pays no day more, as a factor on the average stay (+Inf: none). A
// provider paid out of a global budget pays for every yuan the fund pays it
// with alpha × that yuan: its consortium's surplus share α in a year it
// expects a surplus, 1 − β in one it expects an overspend.
func incentive(c *model.Care, rules []payment.Rule, p int, retention, alpha float64) (Incentive, [payment.NService]float64) {
	s := c.S
	t := int(c.ProvTier[p])
	mild, ccr := *s.Responses.Mild, c.CostRatio[t]
	need := s.Responses.Baseline == scenario.BaselineNeed
	var in Incentive
	in.Retention = retention
	dayCap := [payment.NService]float64{math.Inf(1), math.Inf(1), math.Inf(1)}

	// Revenue per yuan of an average episode's charges of a mild episode
	// (rCase) and of one more day (rDay), the patient's share o of a mild
	// episode, and the fund's share of a change in the price.
	for svc := payment.Service(0); svc < payment.NService; svc++ {
		b := c.BindingOf(p, svc)
		e := episode(c, p, svc, mild)
		if b == model.NoBinding || e.Charges <= 0 {
			continue
		}
		mg := rules[b].Margin(e)
		if mg.DayCap > 0 {
			dayCap[svc] = mg.DayCap / e.LOS
		}
		o := e.OOP
		rCase, rDay, rWeight, rSplit := mg.Case, mg.Day, mg.Weight, mg.Split
		// Inside a budget each yuan the fund pays costs the consortium α.
		rCase -= alpha * max(0, rCase-o*mild)
		rDay -= alpha * max(0, rDay-o)
		rWeight *= 1 - alpha
		rSplit *= 1 - alpha
		// Net of the resource cost; the baseline's the same for fee for
		// service (revenue mild and 1, so its cost cancels) or 0 for need.
		dCase, dDay := rCase-mild, rDay-1
		if need {
			dCase, dDay = rCase-ccr*mild, rDay-ccr
		}
		switch svc {
		case payment.Outpatient:
			in.Visit = dCase
		case payment.Inpatient:
			in.Stay, in.Day, in.Weight, in.Split = dCase, dDay, rWeight, rSplit
		case payment.LongStay:
			in.LongDay = dDay
		}
	}
	return in, dayCap
}

// meanCharges is the average episode's charges at tier t: a visit's, the
// unweighted mean over the groups the tier treats of a stay's, or a long
// stay's bed-day charges × its mean length (meanLOS).
func meanCharges(c *model.Care, t int, svc payment.Service) float64 {
	switch svc {
	case payment.Outpatient:
		return c.VisitMean[t]
	case payment.LongStay:
		return c.BedDay[t] * meanLOS(c, t, svc)
	}
	sum, n := 0.0, 0
	for g := 0; g < c.NGroup; g++ {
		if x := c.StayMean[g*c.NTier+t]; x > 0 {
			sum += x
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// meanLOS is the average stay's length at tier t [days]: the unweighted mean
// over the groups the tier treats, or over the groups whose long stays it
// takes; 1 for a visit, or when the tier has none.
func meanLOS(c *model.Care, t int, svc payment.Service) float64 {
	sum, n := 0.0, 0
	for g := 0; g < c.NGroup; g++ {
		switch {
		case svc == payment.Inpatient && c.StayMean[g*c.NTier+t] > 0:
			sum += c.LOSMean[g*c.NTier+t]
		case svc == payment.LongStay && c.Rehab[g].Share > 0 && int(c.Rehab[g].Tier) == t:
			sum += c.Rehab[g].LOS
		default:
			continue
		}
		n++
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}
