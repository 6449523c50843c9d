package sim

import (
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/drg"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
	"github.com/paysim/paysim/sim/scenario"
)

// drgRule builds the DRG rule of binding index (MODEL §5) from its drg:
// block and the scenario's cost tables:
//
//   - mean_g: the block's mean, else the group's mean charges at its
//     reference tier (model.RefTier); GMLOS_g: the block's gmlos, else the
//     mean LOS there.
//   - RW_g: the block's rw, else the group's rw, else derived from the cost
//     tables: mean_g ÷ the mean over all groups of mean_g.
//   - k_h: the wage formula (drg.WageFactor) when wage is given, else the
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
// Under the point method point_value > 0 and a budget are required; the
// budget of the first year is last_year × (1 + growth).
func drgRule(m *model.Model, index int) (payment.Rule, error) {
	d := m.S.Payment[index].DRG
	n := m.NGroup
	p := drg.Params{
		GroupNames: m.GroupNames, ProvNames: m.ProvNames,
		Mode: drg.ModeRate, BaseRate: d.BaseRate,
		RW: make([]float64, n), Mean: make([]float64, n), GMLOS: make([]float64, n), H: make([]float64, n),
		PostAcute: make([]bool, n), Burn: make([]bool, n), Exempt: make([]bool, n),
		K: make([]float64, m.NProv), Coding: m.Resp.Coding,
	}
	if d.Mode == "points" {
		p.Mode = drg.ModePoints
	}

	// Group data.
	given := make([]*scenario.DRGGroup, n)
	for i := range d.Groups {
		for g, name := range m.GroupNames {
			if name == d.Groups[i].Group {
				given[g] = &d.Groups[i]
			}
		}
	}
	sumMean := 0.0
	for g := range n {
		ref := g*m.NTier + m.RefTier(g)
		p.Mean[g], p.GMLOS[g] = m.StayMean[ref], m.LOSMean[ref]
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
		case m.S.Groups[g].RW != nil:
			p.RW[g] = *m.S.Groups[g].RW
		default:
			p.RW[g] = p.Mean[g] / (sumMean / float64(n))
		}
		sumRW += p.RW[g]
	}

	// Provider coefficients.
	if w := d.Wage; w != nil {
		k := drg.WageFactor(w.Index, w.ShareHigh, w.ShareLow)
		for prov := range p.K {
			p.K[prov] = k
		}
	} else {
		coef := make([]float64, m.NTier)
		for t := range coef {
			coef[t] = 1
		}
		for _, sh := range d.Coefficients {
			for t, name := range m.TierNames {
				if name == sh.Name {
					coef[t] = sh.Value
				}
			}
		}
		for prov := range p.K {
			p.K[prov] = coef[m.ProvTier[prov]]
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
		case "multiple":
			p.Outlier = drg.OutlierMultiple
			for g := range n {
				for _, mu := range h.Multiples {
					if mu.RWMax == nil || p.RW[g] <= *mu.RWMax {
						p.H[g] = mu.H
						break
					}
				}
			}
		case "fixed_loss":
			p.Outlier, p.FixedLoss = drg.OutlierFixedLoss, h.FixedLoss
		}
	}
	if d.LowOutlier != nil {
		p.LowBelow = d.LowOutlier.Below
	}
	switch d.Transfer {
	case "per_diem":
		p.Transfer = drg.TransferPerDiem
	case "china":
		p.Transfer = drg.TransferChina
	}
	if d.Readmission != nil {
		p.ReadmitDays = d.Readmission.Days
	}

	// Window.
	if w := d.Window; w != nil {
		p.WindowMin, p.WindowMax = w.MinLOS, w.MaxLOS
		switch w.Fallback {
		case "per_diem":
			if w.PerDiem == nil {
				return nil, bindingError(m, index, "drg.window.fallback", "drg.window.fallback per_diem needs a per_diem: block with its rates")
			}
			pd, err := perDiemParams(m, index, w.PerDiem, "drg.window.per_diem")
			if err != nil {
				return nil, err
			}
			p.Fallback = perdiem.New(pd)
		default:
			p.Fallback = ffs.Rule{}
		}
	}

	// Budget, point value, base rate.
	if b := d.Budget; b != nil {
		p.Budget, p.Growth = b.LastYearSpending(m.S.Population.Size)*(1+b.Growth), b.Growth
	}
	if pt := d.Points; pt != nil {
		p.Reserve, p.Advance, p.PointValue = pt.Reserve, pt.Advance, pt.PointValue
	}
	switch {
	case p.Mode == drg.ModePoints && !(p.PointValue > 0):
		return nil, bindingError(m, index, "drg.points.point_value", "drg: mode points needs points.point_value > 0, the first year's provisional point value")
	case p.Mode == drg.ModePoints && d.Budget == nil:
		return nil, bindingError(m, index, "drg.mode", "drg: mode points needs a budget: to settle the point value against")
	case p.Mode == drg.ModeRate && p.BaseRate == 0 && d.Budget == nil:
		return nil, bindingError(m, index, "drg.base_rate", "drg.base_rate: 0 and no budget; want a base_rate or a budget to derive it from")
	case p.Mode == drg.ModeRate && p.BaseRate == 0:
		if !(sumRW > 0) {
			return nil, bindingError(m, index, "drg.base_rate", "drg.base_rate: 0 cannot be derived, the groups' relative weights sum to 0; want a base_rate")
		}
		p.BaseRate = (1 + d.Budget.Growth) * sumMean / sumRW
	}
	return drg.New(p), nil
}
