package dip

import (
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/window"
	"github.com/paysim/paysim/sim/scenario"
)

// Build returns the rule of DIP binding b (MODEL §5).
//
// A group's mean cost mean_g is its dip.groups mean, else its mean charges at
// its reference tier; the score defaults to mean_g ÷ the mean of all groups'
// means × 100. b, the outlier benchmark, is the given mean, else the group's
// mean charges at the case's tier. k_h comes from the provider's tier
// (default 1). A window sends the stays outside it to its fallback rule.
//
// The history E(t−3), E(t−2), E(t−1) is the total cost of the DIP cases,
// fund and patients together: 医保办发〔2020〕50号 weights the years'
// 住院总费用 1:2:7 in the budget point value, and the settled value divides
// the fund by the reimbursement ratio to reach the same total. Without a
// history every year is taken as budget.last_year ÷ fund_ratio, the total
// that last year's DIP fund paid for.
//
// Validation guarantees what the block needs: groups to score, a positive
// budget, a fund ratio in [0.01, 1], none or three positive history values.
func Build(c *model.Care, b int) payment.Rule {
	d := c.S.Payment[b].DIP
	lastYear := d.Budget.LastYearSpending(c.S.Population.Size)
	p := Params{
		Score: make([]float64, c.NGroup), B: make([]float64, c.NGroup), K: make([]float64, c.NProv),
		LastYear: lastYear, Growth: d.Budget.Growth, FundRatio: d.FundRatio, Advance: d.Advance,
	}
	if len(d.History) == 3 {
		copy(p.History[:], d.History)
	} else {
		e := lastYear / d.FundRatio
		p.History = [3]float64{e, e, e}
	}

	score := make([]*float64, c.NGroup)
	for g := range c.NGroup {
		p.B[g] = c.StayMean[g*c.NTier+c.RefTier(g)]
	}
	for _, dg := range d.Groups {
		g := slices.Index(c.GroupNames, dg.Group)
		if dg.Mean != nil {
			p.B[g] = *dg.Mean
		}
		score[g] = dg.Score
	}
	// b at the case's tier: the group's mean charges there, unless the
	// scenario gives the group's mean.
	p.NTier, p.BTier = c.NTier, make([]float64, c.NGroup*c.NTier)
	for g := range c.NGroup {
		if given := slices.IndexFunc(d.Groups, func(dg scenario.DIPGroup) bool { return dg.Group == c.GroupNames[g] && dg.Mean != nil }); given < 0 {
			copy(p.BTier[g*c.NTier:(g+1)*c.NTier], c.StayMean[g*c.NTier:(g+1)*c.NTier])
		}
	}
	for _, b := range p.B {
		p.AllMean += b
	}
	p.AllMean /= float64(c.NGroup)
	for g := range p.Score {
		if score[g] != nil {
			p.Score[g] = *score[g]
		} else {
			p.Score[g] = p.B[g] / p.AllMean * 100
		}
	}

	p.Window = window.Build(c, d.Window)
	spend := c.ExpectedCases() // × b_g: the weights of procurement's re-basing
	for g := range spend {
		spend[g] *= p.B[g]
	}
	p.Rebased = c.Rebased(spend)

	tierK := c.TierFactors(d.Coefficients)
	for pr := range p.K {
		p.K[pr] = tierK[c.ProvTier[pr]]
	}
	return New(p)
}
