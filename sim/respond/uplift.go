package respond

import (
	"math"
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Uplift is one replicate's capability uplift (远程医疗, 专家下沉, 人员轮岗;
// docs/mechanisms.md §8): the capability stock a consortium has built in
// each tier it invests in, and what it invests each year. Whoever decides a
// tier's investment invests where a yuan buys more than it is worth to it:
// what a unit of capability brings it is the admissions that move to the
// tier (the choice model's capability term) times what each move is worth
// to it — the share it keeps of the budget's saving on the fund's part of
// the stay, for as long as the budget's rule lets it keep it, and the
// members' own margin on a stay they treat (payment + patient share −
// resource cost), for as long as the unit lasts, discounted at the
// scenario's rate. Who decides is the consortium's decides key: the
// community as one (a tight community's unified management, 人财物统一管理)
// keeps its whole retained share α of a saving and every member's margin;
// each member tier for itself keeps only its tier share of α × the saving
// and its own margin (the saving it brings the others is theirs: a free
// rider's externality). A consortium without a budget keeps no saving
// (α = 0) and its members invest for their own margins.
type Uplift struct {
	m *model.Model
	// keeps is, by tier, the share of a yuan the budget saves that the
	// decider of the tier's investment keeps: α, or α × the tier's share
	// of the result when each member decides; 0 without a budget.
	keeps []float64
	// member is, by tier, whether the consortium has members there; a
	// unified community counts the margin of each, a member tier its own.
	member  []bool
	unified bool
	budget  bool
	// invests is, by tier, whether the consortium invests in it.
	invests []bool
	// share is, by tier, the tier's share of the budget's result: what a
	// member tier may invest of the retained surplus when it decides alone.
	share []float64
	// saving and lasting are the discounted years a saving's yuan is kept
	// (the budget's rule) and a unit of capability lasts: see Horizons.
	saving, lasting float64
	gain, scale     float64
	depreciation    float64

	// Stock is the capability built in each tier so far (added to the
	// tier's own), Invest the year's investment in it [yuan per enrollee],
	// Value what a unit of capability built in the year is worth to its
	// decider over its life [yuan per enrollee], by tier.
	Stock, Invest, Value []float64
}

// Horizons are the discounted years a yuan a year brought by a unit of
// capability built at the end of a year counts for, at the cost discount
// rate r and the uplift's depreciation δ, the unit in force from the next
// year and wearing off by δ a year: its margin on the stays it brings for
// Σ_k (1 − δ)^k ÷ (1 + r)^(k+1) = 1 ÷ (δ + r); the budget's saving the same
// under base income (the budget does not follow spending), and under base
// spending (上年实际支出 × (1 + growth)) one year only, 1 ÷ (1 + r): the next
// year's base falls by what the year saved, so the saving is kept the year
// it is made and not after. (That lower base lasts while the unit wears
// off: counting it too would make the saving worth (r − growth) ÷ (δ + r),
// about 0; the decider is taken to count the first year and to ignore the
// ratchet, as its forecast does, docs/responses.md §2.)
func Horizons(s *scenario.Scenario, b *scenario.Budget, depreciation float64) (saving, lasting float64) {
	r := s.CostRate()
	lasting = 1 / (depreciation + r)
	saving = lasting
	if b != nil && b.Base != scenario.BaseIncome {
		saving = 1 / (1 + r)
	}
	return saving, lasting
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
	n := m.NTier
	up := &Uplift{m: m, invests: make([]bool, n), keeps: make([]float64, n), member: make([]bool, n), share: make([]float64, n),
		gain: u.Gain, scale: u.Scale, depreciation: u.Depreciation,
		Stock: make([]float64, n), Invest: make([]float64, n), Value: make([]float64, n)}
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
	c := &s.Consortia[cons]
	up.unified = c.Unified()
	up.saving, up.lasting = Horizons(s, c.Budget, u.Depreciation)
	if b := c.Budget; b != nil {
		up.budget = true
		for _, sh := range b.TierShares {
			if t := slices.Index(m.TierNames, sh.Name); t >= 0 {
				up.share[t] = sh.Value
			}
		}
		for t := range up.keeps {
			up.keeps[t] = b.SurplusShare
			if !up.unified {
				up.keeps[t] *= up.share[t]
			}
		}
	}
	for p, ci := range m.Consortium {
		if ci == cons {
			t := int(m.ProvTier[p])
			up.member[t] = true
			up.invests[t] = uplifted(m, u.Tiers, t)
		}
	}
	return up
}

// Budgeted reports whether the investing consortium holds a budget: its
// investment is then paid out of, and limited by, the retained surplus.
func (u *Uplift) Budgeted() bool { return u.budget }

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
// seen the year's admissions by group (cases[g]) among enrollees under ch,
// with funds the retained surplus of the year per enrollee of the year that
// follows (+Inf: no limit, a consortium without a budget). For each tier it
// invests in, V (Value) is what a unit of capability is worth to the
// tier's decider over its life, and I = scale × max(0, gain × V − 1) per
// enrollee, the investment at which a yuan's gain, gain ÷ (1 + I ÷ scale),
// times V is a yuan; the investment is then limited by funds (国卫基层发〔2023〕41号:
// a retained surplus pays for the community's development), all tiers
// together when the community decides, each tier's share of it when each
// member decides. The stock then wears off by depreciation and grows by
// gain × scale × ln(1 + I ÷ scale). It returns the total investment per
// enrollee of the year that follows, and the stock by tier in it.
func (u *Uplift) Decide(ch *model.Choice, cases []float64, enrollees float64, year int, funds float64) (perEnrollee float64, stock []float64) {
	m := u.m
	stay := m.StayCharges(min(year, m.S.Years-1))
	n := m.NTier
	clear(u.Value)
	if enrollees > 0 {
		covered := make([]float64, n) // the fund's part of a stay of the group at each tier
		margin := make([]float64, n)  // the members' margin on it, 0 at a non-member tier
		worth := make([]float64, n)   // of a stay at each tier to the decider of one tier
		prob := make([]float64, n)
		for g, gr := range m.S.Groups {
			if cases[g] == 0 {
				continue
			}
			prev := uint64(0)
			for t := 0; t < n; t++ {
				k := g*n + t
				charges := ch.Stay[k] * stay[k]
				covered[t] = m.Covered(t, payment.Inpatient, charges)
				margin[t] = 0
				if u.member[t] {
					margin[t] = charges * (1 - m.CostRatio[t])
				}
				c := ch.AdmCum[k]
				prob[t] = float64(c-prev) * 0x1p-64
				prev = c
			}
			for d := 0; d < n; d++ { // the tier whose investment is decided
				if !u.invests[d] {
					continue
				}
				for t := 0; t < n; t++ {
					worth[t] = -u.keeps[d] * u.saving * covered[t]
					if u.unified || t == d {
						worth[t] += u.lasting * margin[t]
					}
				}
				// First contacts at each tier and what they are worth
				// where they are treated: dΠ/dK_d = severity × P_d × (π_d − Π).
				mean := 0.0
				for t := 0; t < n; t++ {
					mean += prob[t] * worth[ch.Treat[g*n+t]]
				}
				u.Value[d] += cases[g] / enrollees * gr.Severity * prob[d] * (worth[ch.Treat[g*n+d]] - mean)
			}
		}
	}
	total := 0.0
	for t := 0; t < n; t++ {
		u.Invest[t] = 0
		if u.invests[t] {
			u.Invest[t] = u.scale * max(0, u.gain*u.Value[t]-1)
			if !u.unified && u.budget {
				u.Invest[t] = min(u.Invest[t], u.share[t]*max(0, funds))
			}
		}
		total += u.Invest[t]
	}
	if u.unified && total > max(0, funds) {
		for t := range u.Invest {
			u.Invest[t] *= max(0, funds) / total
		}
	}
	for t := 0; t < n; t++ {
		u.Stock[t] = (1-u.depreciation)*u.Stock[t] + u.gain*u.scale*math.Log1p(u.Invest[t]/u.scale)
		perEnrollee += u.Invest[t]
	}
	return perEnrollee, u.Stock
}

// Uplifted returns r with each group's down-referral shares × (1 + the
// capability built at its rehabilitation tier), built by tier: a township
// that treats more takes more post-acute stays. r itself when none is built.
// The factor is an assumption (docs/mechanisms.md §8): capability is a
// utility weight of the choice of tier, and no study gives the rise in
// down-referrals per unit of it; 1 + K says a township whose capability has
// grown by its own (1) takes twice the post-acute stays.
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
