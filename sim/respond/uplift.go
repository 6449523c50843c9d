package respond

import (
	"math"
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
)

// Uplift is one replicate's capability uplift (远程医疗, 专家下沉, 人员轮岗;
// docs/mechanisms.md): the capability stock a consortium has built in each
// tier it invests in, and what it invests each year. The consortium invests
// where a yuan buys more than it is worth to the consortium: what a unit of
// capability saves it a year is the admissions that move to the tier (the
// choice model's capability term) times what each move is worth to it —
// the surplus share α of the budget's saving on the fund's part of the stay,
// and the members' own margin on a stay they treat — and a unit built lasts
// 1 ÷ depreciation years on average. A consortium without a budget keeps
// no saving (α = 0) and invests for its own margin only.
type Uplift struct {
	m     *model.Model
	alpha float64 // the investing consortium's surplus share (0: no budget)
	// invests is, by tier, whether the consortium invests in it.
	invests      []bool
	gain, scale  float64
	depreciation float64

	// Stock is the capability built in each tier so far (added to the
	// tier's own), Invest the year's investment in it [yuan per enrollee],
	// Value what a unit of capability was worth to the consortium in the
	// year [yuan per enrollee], by tier.
	Stock, Invest, Value []float64
}

// NewUplift returns the uplift of m's scenario, or nil when it has none:
// no uplift block or a gain of 0, no responses, or no consortium with a
// member in an uplift tier. The investing consortium is the one holding
// the budget if it has such a member, else the first that does.
func NewUplift(m *model.Model) *Uplift {
	s := m.S
	u := s.Uplift
	if u == nil || u.Gain == 0 || !s.ResponsesOn() {
		return nil
	}
	up := &Uplift{m: m, invests: make([]bool, m.NTier),
		gain: u.Gain, scale: u.Scale, depreciation: u.Depreciation,
		Stock: make([]float64, m.NTier), Invest: make([]float64, m.NTier), Value: make([]float64, m.NTier)}
	cons := -1
	for p, ci := range m.Consortium {
		if ci < 0 || !uplifted(m, u.Tiers, int(m.ProvTier[p])) {
			continue
		}
		if cons < 0 || m.Member[p] {
			cons = ci
		}
	}
	if cons < 0 {
		return nil
	}
	if b := s.Consortia[cons].Budget; b != nil {
		up.alpha = b.SurplusShare
	}
	for p, ci := range m.Consortium {
		if ci == cons {
			up.invests[int(m.ProvTier[p])] = uplifted(m, u.Tiers, int(m.ProvTier[p]))
		}
	}
	return up
}

// Model is the model the uplift decides in.
func (u *Uplift) Model() *model.Model { return u.m }

func uplifted(m *model.Model, tiers []string, t int) bool {
	for _, name := range tiers {
		if name == m.TierNames[t] {
			return true
		}
	}
	return false
}

// Decide is the consortium's decision at the end of year (0-based), having
// seen the year's admissions by group (cases[g]) among enrollees under ch:
// for each tier it invests in, I = scale × max(0, gain × V ÷ depreciation
// − 1) per enrollee, V the value of a unit of capability a year (Value),
// the investment at which a yuan's gain, gain ÷ (1 + I ÷ scale), times
// the worth of a unit over its life, V ÷ depreciation, is a yuan; the stock
// then wears off by depreciation and grows by gain × scale × ln(1 + I ÷
// scale). It returns the total investment per enrollee of the year that
// follows, and the stock by tier in it.
func (u *Uplift) Decide(ch *model.Choice, cases []float64, enrollees float64, year int) (perEnrollee float64, stock []float64) {
	m := u.m
	stay := m.StayCharges(min(year, m.S.Years-1))
	n := m.NTier
	clear(u.Value)
	if enrollees > 0 {
		worth := make([]float64, n) // of a stay of the group at each tier to the consortium
		prob := make([]float64, n)
		for g, gr := range m.S.Groups {
			if cases[g] == 0 {
				continue
			}
			for t := 0; t < n; t++ {
				k := g*n + t
				charges := ch.Stay[k] * stay[k]
				worth[t] = -u.alpha * m.Covered(t, payment.Inpatient, charges)
			}
			// First contacts at each tier and what they are worth where
			// they are treated: dΠ/dK_t = severity × P_t × (π_t − Π).
			prev, mean := uint64(0), 0.0
			for t := 0; t < n; t++ {
				c := ch.AdmCum[g*n+t]
				prob[t] = float64(c-prev) * 0x1p-64
				prev = c
				mean += prob[t] * worth[ch.Treat[g*n+t]]
			}
			for t := 0; t < n; t++ {
				if u.invests[t] {
					u.Value[t] += cases[g] / enrollees * gr.Severity * prob[t] * (worth[ch.Treat[g*n+t]] - mean)
				}
			}
		}
	}
	for t := 0; t < n; t++ {
		u.Invest[t] = 0
		if u.invests[t] {
			u.Invest[t] = u.scale * max(0, u.gain*u.Value[t]/u.depreciation-1)
		}
		u.Stock[t] = (1-u.depreciation)*u.Stock[t] + u.gain*u.scale*math.Log1p(u.Invest[t]/u.scale)
		perEnrollee += u.Invest[t]
	}
	return perEnrollee, u.Stock
}

// Uplifted returns r with each group's down-referral shares × (1 + the
// capability built at its rehabilitation tier), built by tier: a township
// that treats more takes more post-acute stays. r itself when none is built.
func (r *Plan) Uplifted(built []float64) *Plan {
	c := r.c
	if !slices.ContainsFunc(built, func(k float64) bool { return k != 0 }) {
		return r
	}
	o := *r
	o.rehabAt = slices.Clone(r.rehabAt)
	for g := range c.NGroup {
		f := 1 + built[c.Rehab[g].Tier]
		for p := range c.NProv {
			if th := o.rehabAt[g*c.NProv+p]; th > 0 {
				o.rehabAt[g*c.NProv+p] = model.Threshold(min(1, float64(th)*0x1p-64*f))
			}
		}
	}
	return &o
}
