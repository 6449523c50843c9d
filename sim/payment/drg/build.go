package drg

import (
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/scenario"
)

// Build returns the rule of DRG binding b (MODEL §5), from its drg: block
// and the scenario's cost tables:
//
//   - mean_g: the block's mean, else the group's mean charges at its
//     reference tier (model.Care.RefTier); GMLOS_g: the block's gmlos, else
//     the mean LOS there.
//   - RW_g: the block's rw, else the group's rw, else derived from the cost
//     tables: mean_g ÷ the mean over all groups of mean_g.
//   - k_h: the wage formula (WageFactor) when wage is given, else the
//     coefficient of the provider's tier (default 1).
//   - H_g (family multiple): the h of the first multiple whose rw_max is at
//     least RW_g, or that has no rw_max; a group heavier than every rw_max
//     has no outlier payment.
//   - base_rate, when 0 under the rate method: base_rate = B ÷ Σ_g(expected
//     cases_g × RW_g) with B = last year's DRG spending × (1 + growth)
//     (MODEL §5). Expected cases are not known before the run, so the
//     derivation assumes that last year's cases, priced at the scenario's
//     mean costs, were last year's spending; B ÷ Σ cases × RW is then the
//     cost per unit of RW implied by the cost tables, grown by the budget's
//     growth: base_rate = (1 + growth) × Σ_g mean_g ÷ Σ_g RW_g. With RW
//     derived from the tables this is (1 + growth) × the mean over groups
//     of mean_g: a case of RW 1 is paid the average group's cost, grown.
//     The budget's level cancels; a budget is still required, for its
//     growth and so that the rule states where the rate comes from.
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
		PostAcute: make([]bool, n), Burn: make([]bool, n), Exempt: make([]bool, n),
		K: make([]float64, c.NProv),
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
	sumMean := 0.0
	for g := range n {
		ref := g*c.NTier + c.RefTier(g)
		p.Mean[g], p.GMLOS[g] = c.StayMean[ref], c.LOSMean[ref]
		if dg := given[g]; dg != nil {
			if dg.Mean != nil {
				p.Mean[g] = *dg.Mean
			}
			if dg.GMLOS != nil {
				p.GMLOS[g] = *dg.GMLOS
			}
			p.PostAcute[g], p.Burn[g], p.Exempt[g] = dg.PostAcute, dg.Burn, dg.Exempt
		}
		sumMean += p.Mean[g]
	}
	sumRW := 0.0
	for g := range n {
		switch dg := given[g]; {
		case dg != nil && dg.RW != nil:
			p.RW[g] = *dg.RW
		case c.S.Groups[g].RW != nil:
			p.RW[g] = *c.S.Groups[g].RW
		default:
			p.RW[g] = p.Mean[g] / (sumMean / float64(n))
		}
		sumRW += p.RW[g]
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

	// Window.
	if w := d.Window; w != nil {
		p.WindowMin, p.WindowMax = w.MinLOS, w.MaxLOS
		switch w.Fallback {
		case scenario.MethodPerDiem:
			p.Fallback = perdiem.New(perdiem.ParamsOf(c, w.PerDiem))
		default:
			p.Fallback = ffs.Rule{}
		}
	}

	// Budget, point value, base rate.
	if bu := d.Budget; bu != nil {
		p.Budget, p.Growth = bu.LastYearSpending(c.S.Population.Size)*(1+bu.Growth), bu.Growth
	}
	if pt := d.Points; pt != nil {
		p.Reserve, p.Advance, p.PointValue = pt.Reserve, pt.Advance, pt.PointValue
	}
	if p.Mode == ModeRate && p.BaseRate == 0 {
		p.BaseRate = (1 + d.Budget.Growth) * sumMean / sumRW
	}
	return New(p)
}
