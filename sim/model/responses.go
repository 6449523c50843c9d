package model

import (
	"math"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/dip"
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

// Resp are the compiled responses: what each provider's incentive makes of
// its care. All zero (On false) when the scenario has no responses or
// switches them off; the engine then draws nothing for them.
type Resp struct {
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

	// Coding is the coded-weight factor by year and provider (nil: none).
	Coding *payment.Coding
	// Effort is the prevention effort by condition and township [c*NTown + w].
	Effort []float64
}

// RehabAt is the Threshold of a down-referral after a stay in group g at provider p.
func (m *Model) RehabAt(g, p int) uint64 { return m.rehabAt[g*m.NProv+p] }

// compileResponses computes every provider's incentive and what it does
// (MODEL §4), the prevention effort of each township, the choice bonus of
// each tier and the down-referral shares. It runs after compileCare and
// before the conditions and the choice model, which read its results.
func (m *Model) compileResponses() {
	s := m.S
	r := &m.Resp
	r.Effort = make([]float64, len(s.Conditions)*m.NTown)
	m.pull = make([]float64, m.NTier)
	retention := make([]float64, m.NProv)
	agreement := make([]*scenario.Consortium, m.NProv) // the consortium whose referral agreement binds p
	for ci := range s.Consortia {
		c := &s.Consortia[ci]
		for p := 0; p < m.NProv; p++ {
			if m.memberOf(c, p) {
				agreement[p] = c
			}
		}
	}
	r.On = s.ResponsesOn()
	var rs *scenario.Responses
	if r.On {
		rs = s.Responses
		r.Mild = *rs.Mild
		for p := 0; p < m.NProv; p++ {
			retention[p] = m.retention(p)
		}
	}

	// Referral agreements (rules, in force whatever the responses) and the
	// pull of a budget that keeps its surplus: a bonus on the utility of
	// member tiers, by the township-weighted share of the tier's providers
	// they cover. Keeping patients in the county and sending stays down to
	// township rehabilitation saves a budget's money, not a capitated
	// clinic's, so both follow the surplus share.
	for t := 0; t < m.NTier; t++ {
		for w := 0; w < m.NTown; w++ {
			p := m.ProvOf[t*m.NTown+w]
			if p == NoProvider {
				continue
			}
			weight := s.Population.Townships[w].Weight
			if c := agreement[p]; c != nil {
				m.pull[t] += weight * c.Referral.Pull
			}
			if rs != nil {
				m.pull[t] += weight * *rs.Pull * m.surplusShare(int(p))
			}
		}
	}
	m.rehabAt = make([]uint64, m.NGroup*m.NProv)
	for g, gr := range s.Groups {
		if gr.Rehab == nil {
			continue
		}
		for p := 0; p < m.NProv; p++ {
			f := 1.0
			if c := agreement[p]; c != nil {
				f += c.Referral.Down
			}
			if rs != nil {
				f += *rs.DownReferral * m.surplusShare(p)
			}
			m.rehabAt[g*m.NProv+p] = Threshold(min(1, gr.Rehab.Share*f))
		}
	}

	// Prevention effort by condition and township: the primary providers'
	// retention, and the protocols of their consortium.
	if rs != nil {
		for ci, cond := range s.Conditions {
			for w := 0; w < m.NTown; w++ {
				e := 0.0
				for t := 0; t < m.NTier; t++ {
					p := m.ProvOf[t*m.NTown+w]
					if !m.Primary[t] || p == NoProvider {
						continue
					}
					e = max(e, *rs.Prevention.Effort*retention[p])
					if c := agreement[p]; c != nil {
						for _, pc := range c.Protocols {
							if pc.Condition == cond.Name {
								e = max(e, pc.Effort)
							}
						}
					}
				}
				r.Effort[ci*m.NTown+w] = min(1, e)
			}
		}
	}

	n := m.NProv
	r.Incentive = make([]Incentive, n)
	r.InduceVisit, r.WithholdVisit = make([]uint64, n), make([]uint64, n)
	r.InduceStay, r.WithholdStay = make([]uint64, n), make([]uint64, n)
	r.Split, r.Readmit = make([]uint64, n), make([]uint64, n)
	r.LOS, r.StayCharges, r.LongLOS = make([]float64, n), make([]float64, n), make([]float64, n)
	for p := range r.LOS {
		r.LOS[p], r.StayCharges[p], r.LongLOS[p] = 1, 1, 1
	}
	if rs == nil {
		return
	}
	coding := false
	for p := 0; p < n; p++ {
		in := m.incentive(p, retention[p])
		r.Incentive[p] = in
		r.InduceVisit[p] = Threshold(*rs.Induced * max(0, in.Visit))
		r.WithholdVisit[p] = Threshold(*rs.Withheld * max(0, -in.Visit))
		r.InduceStay[p] = Threshold(*rs.Induced * max(0, in.Stay))
		r.WithholdStay[p] = Threshold(*rs.Withheld * max(0, -in.Stay))
		r.Split[p] = Threshold(*rs.Split * max(0, in.Split))
		r.Readmit[p] = Threshold(*rs.Readmission * max(0, -in.Day))
		// No stay is stretched past the days its rule pays for.
		r.LOS[p] = min(math.Exp(*rs.LOS*in.Day), max(1, m.dayCapFactor(p, payment.Inpatient)))
		r.StayCharges[p] = 1 + *rs.LOSCharges*(r.LOS[p]-1)
		r.LongLOS[p] = min(math.Exp(*rs.LOS*in.LongDay), max(1, m.dayCapFactor(p, payment.LongStay))) // billed by the day
		coding = coding || (*rs.Upcoding > 0 && in.Weight > 0)
	}
	if coding {
		c := &payment.Coding{NProv: n, CyclesPerYear: m.CyclesPerYear, Factor: make([]float64, s.Years*n)}
		for y := 0; y < s.Years; y++ {
			for p := 0; p < n; p++ {
				f := math.Pow(1+*rs.Upcoding*max(0, r.Incentive[p].Weight), float64(y+1))
				c.Factor[y*n+p] = min(f, 1+*rs.UpcodingCap)
			}
		}
		r.Coding = c
	}
}

// memberOf reports whether provider p is a member of consortium c.
func (m *Model) memberOf(c *scenario.Consortium, p int) bool {
	for _, t := range c.Tiers {
		if m.TierNames[m.ProvTier[p]] == t {
			return true
		}
	}
	for _, name := range c.Providers {
		if m.ProvNames[p] == name {
			return true
		}
	}
	return false
}

// surplusShare is α, the share of its budget's surplus provider p's
// consortium keeps, or 0 when no budget pays p.
func (m *Model) surplusShare(p int) float64 {
	if c := m.S.Budgeted(); c != nil && m.Member[p] {
		return c.Budget.SurplusShare
	}
	return 0
}

// retention is the share of a yuan saved on its residents' care that
// provider p's side keeps, what drives its prevention effort: its
// consortium's surplus share when a budget pays it, 1 when a capitation
// rate pays any of its services whatever care it gives.
func (m *Model) retention(p int) float64 {
	r := m.surplusShare(p)
	for svc := 0; svc < int(payment.NService); svc++ {
		if b := m.Binding[p*int(payment.NService)+svc]; b != NoBinding && m.S.Payment[b].Method == "capitation" {
			r = 1
		}
	}
	return r
}

// incentive computes provider p's incentive from the methods bound to its
// outpatient, inpatient and long-stay care (docs/responses.md, "The incentive"). A
// provider paid out of a global budget pays for every yuan the fund pays it
// with α × that yuan of its consortium's surplus (α the surplus share).
func (m *Model) incentive(p int, retention float64) Incentive {
	s := m.S
	t := int(m.ProvTier[p])
	mild, ccr := *s.Responses.Mild, m.CostRatio[t]
	need := s.Responses.Baseline == scenario.BaselineNeed
	var in Incentive
	in.Retention = retention
	alpha := m.surplusShare(p)

	// Revenue per yuan of an average episode's charges of a mild episode
	// (rCase) and of one more day (rDay), the patient's share o of a mild
	// episode, and the fund's share of a change in the price.
	for svc := payment.Service(0); svc < payment.NService; svc++ {
		b := m.Binding[p*int(payment.NService)+int(svc)]
		mean, los := m.meanCharges(t, svc), m.meanLOS(t, svc)
		if b == NoBinding || mean <= 0 {
			continue
		}
		bind := &s.Payment[b]
		o := 1 - m.Covered(t, svc, mild*mean)/(mild*mean)
		rCase, rDay, rWeight, rSplit := mild, 1.0, 0.0, 0.0
		switch {
		case bind.Method == "capitation":
			rCase, rDay = o*mild, o
		case bind.Method == "per_diem" && svc == payment.Outpatient:
			rCase = perDiemPay(bind.PerDiem, t, 1, m.TierNames) / mean // a visit is paid one day
		case bind.Method == "per_diem":
			// The day after an average stay pays the rate, or less beyond the
			// threshold, or nothing beyond the cap, per yuan of a day's
			// charges; a mild stay of mild × los days is paid by the schedule.
			rDay = perDiemRate(bind.PerDiem, t, los, m.TierNames) / (mean / los)
			rCase = perDiemPay(bind.PerDiem, t, mild*los, m.TierNames) / mean
		case svc != payment.Outpatient && bind.Method == "drg": // a long stay too is paid per case
			rCase, rDay, rWeight, rSplit = 1, 0, 1, 1
			if d := bind.DRG; d.LowOutlier != nil && mild < d.LowOutlier.Below {
				rCase = mild // a mild case is a low-cost case, paid by its cost
			}
			if bind.DRG.Readmission != nil {
				rSplit = 0.5 // the readmission rule halves the first part's payment
			}
		case svc != payment.Outpatient && bind.Method == "dip":
			rCase, rDay, rWeight, rSplit = 1, 0, 1, 1
			if mild < dip.LowBelow {
				rCase = mild
			}
		}
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
	return in
}

// perDiemRate is what a per-diem rule pays at tier t for the day after a
// stay of los days, as package perdiem prices it: the tier's rate, × after
// from the day after the threshold, nothing from the day after the cap.
func perDiemRate(d *scenario.PerDiem, t int, los float64, tiers []string) float64 {
	switch {
	case d.DayCap > 0 && los >= float64(d.DayCap):
		return 0
	case d.Threshold > 0 && los >= float64(d.Threshold) && d.After != nil:
		return dayRate(d, t, tiers) * *d.After
	}
	return dayRate(d, t, tiers)
}

// perDiemPay is what a per-diem rule pays at tier t for a stay of days
// days (not rounded: an average), as package perdiem prices it.
func perDiemPay(d *scenario.PerDiem, t int, days float64, tiers []string) float64 {
	rate := dayRate(d, t, tiers)
	days = max(days, 1)
	if d.DayCap > 0 {
		days = min(days, float64(d.DayCap))
	}
	full := days
	if d.Threshold > 0 {
		full = min(days, float64(d.Threshold))
	}
	after := 1.0
	if d.After != nil {
		after = *d.After
	}
	return rate*full + rate*after*(days-full)
}

// dayRate is a per-diem rule's rate at tier t.
func dayRate(d *scenario.PerDiem, t int, tiers []string) float64 {
	rate := 0.0
	for _, r := range d.Rates {
		if r.Tier == tiers[t] {
			rate = r.Rate
		}
	}
	return rate
}

// dayCapFactor is the largest factor on the average stay's length at
// provider p for service svc that its rule still pays days for: a per-diem
// rule's day cap ÷ the average length; +Inf for other rules.
func (m *Model) dayCapFactor(p int, svc payment.Service) float64 {
	b := m.Binding[p*int(payment.NService)+int(svc)]
	if b == NoBinding {
		return math.Inf(1)
	}
	bind := &m.S.Payment[b]
	if bind.Method != "per_diem" || bind.PerDiem.DayCap == 0 {
		return math.Inf(1)
	}
	return float64(bind.PerDiem.DayCap) / m.meanLOS(int(m.ProvTier[p]), svc)
}

// meanCharges is the average episode's charges at tier t: a visit's, the
// unweighted mean over the groups the tier treats of a stay's, or a long
// stay's bed-day charges × its mean length (meanLOS).
func (m *Model) meanCharges(t int, svc payment.Service) float64 {
	switch svc {
	case payment.Outpatient:
		return m.VisitMean[t]
	case payment.LongStay:
		return m.BedDay[t] * m.meanLOS(t, svc)
	}
	sum, n := 0.0, 0
	for g := 0; g < m.NGroup; g++ {
		if c := m.StayMean[g*m.NTier+t]; c > 0 {
			sum += c
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
func (m *Model) meanLOS(t int, svc payment.Service) float64 {
	sum, n := 0.0, 0
	for g := 0; g < m.NGroup; g++ {
		switch {
		case svc == payment.Inpatient && m.StayMean[g*m.NTier+t] > 0:
			sum += m.LOSMean[g*m.NTier+t]
		case svc == payment.LongStay && m.Rehab[g].Share > 0 && int(m.Rehab[g].Tier) == t:
			sum += m.Rehab[g].LOS
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
