package sim

import (
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/dip"
	"github.com/paysim/paysim/sim/scenario"
)

// dipRule builds the DIP rule of binding index (MODEL §5).
//
// A group's mean cost mean_g is its dip.groups mean, else its mean charges at
// its reference tier; the score defaults to mean_g ÷ the mean of all groups'
// means × 100. b, the outlier benchmark, is the given mean, else the group's
// mean charges at the case's tier. k_h comes from the provider's tier
// (default 1).
//
// The history E(t−3), E(t−2), E(t−1) is the total cost of the DIP cases,
// fund and patients together: 医保办发〔2020〕50号 weights the years'
// 住院总费用 1:2:7 in the budget point value, and the settled value divides
// the fund by the reimbursement ratio to reach the same total. Without a
// history every year is taken as budget.last_year ÷ fund_ratio, the total
// that last year's DIP fund paid for.
func dipRule(m *model.Model, index int) (payment.Rule, error) {
	d := m.S.Payment[index].DIP
	if m.NGroup == 0 {
		return nil, bindingError(m, index, "dip", "the scenario has no groups; DIP scores inpatient groups")
	}
	if !(d.FundRatio > 0 && d.FundRatio <= 1) {
		return nil, bindingError(m, index, "dip.fund_ratio", "dip.fund_ratio: %v is out of range; want more than 0 and at most 1", d.FundRatio)
	}
	lastYear := d.Budget.LastYearSpending(m.S.Population.Size)
	if !(lastYear > 0) {
		return nil, bindingError(m, index, "dip.budget", "dip.budget: last year's DIP fund %v is not positive", lastYear)
	}
	p := dip.Params{
		Score: make([]float64, m.NGroup), B: make([]float64, m.NGroup), K: make([]float64, m.NProv), Coding: m.Resp.Coding,
		LastYear: lastYear, Growth: d.Budget.Growth, FundRatio: d.FundRatio, Advance: d.Advance,
	}
	switch len(d.History) {
	case 0:
		e := lastYear / d.FundRatio
		p.History = [3]float64{e, e, e}
	case 3:
		for i, e := range d.History {
			if !(e > 0) {
				return nil, bindingError(m, index, "dip.history", "dip.history[%d]: %v is not positive; want the DIP cases' total cost of that year", i, e)
			}
			p.History[i] = e
		}
	default:
		return nil, bindingError(m, index, "dip.history", "dip.history has %d values; want exactly 3, E(t−3), E(t−2), E(t−1), or none", len(d.History))
	}

	score := make([]*float64, m.NGroup)
	for g := range m.NGroup {
		p.B[g] = m.StayMean[g*m.NTier+m.RefTier(g)]
	}
	for _, dg := range d.Groups {
		g := slices.Index(m.GroupNames, dg.Group)
		if g < 0 {
			return nil, bindingError(m, index, "dip.groups", "group %q is not in the scenario", dg.Group)
		}
		if dg.Mean != nil {
			p.B[g] = *dg.Mean
		}
		score[g] = dg.Score
	}
	// b at the case's tier: the group's mean charges there, unless the
	// scenario gives the group's mean.
	p.NTier, p.BTier = m.NTier, make([]float64, m.NGroup*m.NTier)
	for g := range m.NGroup {
		if given := slices.IndexFunc(d.Groups, func(dg scenario.DIPGroup) bool { return dg.Group == m.GroupNames[g] && dg.Mean != nil }); given < 0 {
			copy(p.BTier[g*m.NTier:(g+1)*m.NTier], m.StayMean[g*m.NTier:(g+1)*m.NTier])
		}
	}
	for _, b := range p.B {
		p.AllMean += b
	}
	p.AllMean /= float64(m.NGroup)
	for g := range p.Score {
		if score[g] != nil {
			p.Score[g] = *score[g]
		} else {
			p.Score[g] = p.B[g] / p.AllMean * 100
		}
	}

	tierK := make([]float64, m.NTier)
	for t := range tierK {
		tierK[t] = 1
	}
	for _, sh := range d.Coefficients {
		if t := slices.Index(m.TierNames, sh.Name); t >= 0 {
			tierK[t] = sh.Value
		}
	}
	for pr := range p.K {
		p.K[pr] = tierK[m.ProvTier[pr]]
	}
	return dip.New(p), nil
}
