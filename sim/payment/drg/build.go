package drg

import (
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/window"
	"github.com/paysim/paysim/sim/scenario"
)

// Build returns the rule of DRG binding b (MODEL §5), from its drg: block
// and the scenario's cost tables:
//
//   - mean_g: the block's mean, else the group's mean charges at its
//     reference tier (model.Care.RefTier); GMLOS_g: the block's gmlos, else
//     the mean LOS there.
//   - n_g, the case weight of group g: the block's cases (last year's
//     cases), else model.Care.ExpectedCases × population.size.
//   - RW_g: the block's rw, else the group's rw, else derived from the cost
//     tables: mean_g ÷ the case-weighted mean cost of all cases, Σ n_g
//     mean_g ÷ Σ n_g (病组权重 = 本病组次均住院费用 ÷ 统筹区所有病例的次均住院费用).
//   - k_h: the wage formula (WageFactor) when wage is given, else the
//     coefficient of the provider's tier (default 1).
//   - H_g (family multiple): the h of the first multiple whose rw_max is at
//     least RW_g, or that has no rw_max; a group heavier than every rw_max
//     has no outlier payment.
//   - base_rate, when 0 under the rate method: base_rate = B ÷ Σ_g(n_g ×
//     RW_g) with B = last year's DRG spending × (1 + growth) (MODEL §5).
//     Last year's spending is taken as last year's cases at the scenario's
//     mean costs, Σ_g n_g × mean_g, so base_rate = (1 + growth) × Σ_g n_g
//     mean_g ÷ Σ_g n_g RW_g: with RW derived from the tables, (1 + growth)
//     × the case-weighted mean cost. The budget's level cancels; a budget is
//     still required, for its growth and so that the rule states where the
//     rate comes from.
//   - Rebase, under the rate method with a budget: the base rate (given or
//     derived) is that of the first year; every later year's is that year's
//     budget, last_year × (1 + growth)^(y+1) — the total spending on the
//     binding's cases, fund and patients together — divided by the weight
//     (coded RW × k_h) of the year before's cases (Rule.YearEnd).
//   - Rebased: procurement's cuts re-based into the prices
//     (model.Care.Rebased, weights n_g × mean_g; docs/payment.md §12).
//
// Under the point method the budget of the first year is last_year × (1 +
// growth). Validation guarantees what the block needs (a point value and a
// budget under the point method, a base rate or a budget and weights that
// do not all vanish under the rate method).
func Build(c *model.Care, b int) payment.Rule {
	d := c.S.Payment[b].DRG
	n := c.NGroup
	p := Params{
		GroupNames: c.GroupNames, ProvNames: c.ProvNames,
		Mode: ModeRate, BaseRate: d.BaseRate,
		RW: make([]float64, n), Mean: make([]float64, n), GMLOS: make([]float64, n), H: make([]float64, n),
		PostAcute: make([]bool, n), SpecialPay: make([]bool, n), Burn: make([]bool, n), Exempt: make([]bool, n),
		K: make([]float64, c.NProv), MeanTier: make([]int, n),
	}
	if d.Mode == scenario.PointMethod {
		p.Mode = ModePoints
	}

	// Group data.
	given := make([]*scenario.DRGGroup, n)
	for i := range d.Groups {
		if g := slices.Index(c.GroupNames, d.Groups[i].Group); g >= 0 {
			given[g] = &d.Groups[i]
		}
	}
	// paid: the tiers whose stays the binding pays. A mean taken at a tier
	// it does not pay is re-derived over the tiers it does.
	paid := make([]bool, c.NTier)
	for p := range c.NProv {
		for _, svc := range []payment.Service{payment.Inpatient, payment.LongStay} {
			if int(c.BindingOf(p, svc)) == b {
				paid[c.ProvTier[p]] = true
			}
		}
	}
	cases := c.ExpectedCases()
	for g := range cases {
		cases[g] *= float64(c.S.Population.Size)
	}
	for g := range n {
		ref := g*c.NTier + c.RefTier(g)
		p.Mean[g], p.GMLOS[g], p.MeanTier[g] = c.StayMean[ref], c.LOSMean[ref], c.RefTier(g)
		if !paid[c.RefTier(g)] {
			p.MeanTier[g] = -1
		}
		if dg := given[g]; dg != nil {
			if dg.Mean != nil {
				p.Mean[g], p.MeanTier[g] = *dg.Mean, -1
			}
			if dg.GMLOS != nil {
				p.GMLOS[g] = *dg.GMLOS
			}
			if dg.Cases != nil {
				cases[g] = *dg.Cases
			}
			p.PostAcute[g], p.SpecialPay[g], p.Burn[g], p.Exempt[g] = dg.PostAcute, dg.SpecialPay, dg.Burn, dg.Exempt
		}
	}
	if !slices.ContainsFunc(cases, func(x float64) bool { return x > 0 }) {
		for g := range cases {
			cases[g] = 1 // no case expected anywhere: every group counts alike
		}
	}
	sumCases, sumCost := 0.0, 0.0 // Σ n_g, Σ n_g mean_g
	for g := range n {
		sumCases += cases[g]
		sumCost += cases[g] * p.Mean[g]
	}
	sumRW := 0.0 // Σ n_g RW_g
	for g := range n {
		switch dg := given[g]; {
		case dg != nil && dg.RW != nil:
			p.RW[g] = *dg.RW
		case c.S.Groups[g].RW != nil:
			p.RW[g] = *c.S.Groups[g].RW
		default:
			p.RW[g] = p.Mean[g] / (sumCost / sumCases)
		}
		sumRW += cases[g] * p.RW[g]
	}

	// Provider coefficients.
	if w := d.Wage; w != nil {
		k := WageFactor(w.Index, w.ShareHigh, w.ShareLow)
		for prov := range p.K {
			p.K[prov] = k
		}
	} else {
		coef := c.TierFactors(d.Coefficients)
		for prov := range p.K {
			p.K[prov] = coef[c.ProvTier[prov]]
		}
	}

	// Outliers, transfers, readmissions.
	if h := d.HighOutlier; h != nil {
		p.Marginal, p.BurnMarginal, p.CostToCharge = h.Marginal, h.Marginal, 1
		if h.BurnMarginal != nil {
			p.BurnMarginal = *h.BurnMarginal
		}
		if h.CostToCharge != nil {
			p.CostToCharge = *h.CostToCharge
		}
		switch h.Family {
		case scenario.OutlierMultiple:
			p.Outlier = OutlierMultiple
			for g := range n {
				for _, mu := range h.Multiples {
					if mu.RWMax == nil || p.RW[g] <= *mu.RWMax {
						p.H[g] = mu.H
						break
					}
				}
			}
		case scenario.OutlierFixedLoss:
			p.Outlier, p.FixedLoss = OutlierFixedLoss, h.FixedLoss
		}
	}
	if d.LowOutlier != nil {
		p.LowBelow = d.LowOutlier.Below
	}
	switch d.Transfer {
	case scenario.TransferPerDiem:
		p.Transfer = TransferPerDiem
	case scenario.TransferChina:
		p.Transfer = TransferChina
	}
	if d.Readmission != nil {
		p.ReadmitDays = d.Readmission.Days
	}

	p.Window = window.Build(c, d.Window)

	// Budget, point value, base rate.
	if bu := d.Budget; bu != nil {
		p.Budget, p.Growth = bu.LastYearSpending(c.S.Population.Size)*(1+bu.Growth), bu.Growth
	}
	if pt := d.Points; pt != nil {
		p.Reserve, p.Advance, p.PointValue = pt.Reserve, pt.Advance, pt.PointValue
	}
	if p.Mode == ModeRate && d.Budget != nil {
		p.Rebase = true
		if p.BaseRate == 0 && sumRW > 0 {
			p.BaseRate = (1 + d.Budget.Growth) * sumCost / sumRW
		}
	}
	spend := make([]float64, n) // n_g × mean_g: the weights of procurement's re-basing
	for g := range spend {
		spend[g] = cases[g] * p.Mean[g]
	}
	p.Rebased = c.Rebased(spend)
	return New(p)
}
