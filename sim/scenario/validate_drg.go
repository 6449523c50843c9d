package scenario

import (
	"fmt"
	"math"
)

// drg checks a DRG block (MODEL §5).
func (v *validator) drg(path string, d *DRG) {
	points := d.Mode == PointMethod
	known := d.Mode == "" || d.Mode == RateMethod || points
	if !known {
		v.errorf(path+".mode", "%s.mode: %q is not known; want rate or points", path, d.Mode)
	}
	v.atLeast(path+".base_rate", d.BaseRate, 0)
	if d.Budget != nil {
		v.budget(path+".budget", d.Budget)
	}
	switch {
	case points && d.Budget == nil:
		v.errorf(path+".mode", "%s.mode: points needs a budget: block (last_year, growth) to settle the point value against", path)
	case known && !points && d.BaseRate == 0 && d.Budget == nil:
		v.errorf(path+".base_rate", "%s.base_rate: 0 and no budget; want a base_rate or a budget: to derive it from", path)
	}
	if known && !points && d.BaseRate == 0 && d.Budget != nil && !v.drgWeights(d) {
		v.errorf(path+".base_rate", "%s.base_rate: 0 cannot be derived, every group's relative weight is 0; want a base_rate", path)
	}
	v.drgGroups(path, d.Groups)

	v.tierDist(path+".coefficients", d.Coefficients)
	if w := d.Wage; w != nil {
		wp := path + ".wage"
		if len(d.Coefficients) > 0 {
			v.errorf(wp, "%s: both wage and coefficients are given; want one (the wage index replaces the coefficients)", wp)
		}
		v.positive(wp+".index", w.Index)
		v.between(wp+".share_high", w.ShareHigh, 0, 1)
		v.between(wp+".share_low", w.ShareLow, 0, 1)
	}

	if h := d.HighOutlier; h != nil {
		v.highOutlier(path+".high_outlier", h)
	}
	if l := d.LowOutlier; l != nil {
		if lp := path + ".low_outlier.below"; finite(l.Below) && (l.Below <= 0 || l.Below > 1) {
			v.errorf(lp, "%s: %s is out of range; want more than 0 and at most 1", lp, num(l.Below))
		}
	}
	switch d.Transfer {
	case "", TransferPerDiem, TransferChina:
	default:
		v.errorf(path+".transfer", "%s.transfer: %q is not known; want per_diem, china or none (empty)", path, d.Transfer)
	}
	if r := d.Readmission; r != nil {
		v.atLeast(path+".readmission.days", float64(r.Days), 1)
	}
	if w := d.Window; w != nil {
		v.drgWindow(path+".window", w)
	}

	if pt := d.Points; pt != nil {
		pp := path + ".points"
		if finite(pt.Reserve) && (pt.Reserve < 0 || pt.Reserve >= 1) {
			v.errorf(pp+".reserve", "%s.reserve: %s is out of range; want at least 0 and less than 1", pp, num(pt.Reserve))
		}
		v.between(pp+".advance", pt.Advance, 0, 1)
		if points {
			v.positive(pp+".point_value", pt.PointValue)
		} else {
			v.atLeast(pp+".point_value", pt.PointValue, 0)
		}
	} else if points {
		v.errorf(path+".mode", "%s.mode: points needs a points: block with point_value, the first year's provisional point value", path)
	}
}

// drgGroups checks the per-group data of a DRG block.
func (v *validator) drgGroups(path string, groups []DRGGroup) {
	seen := listed{}
	for i, g := range groups {
		gp := fmt.Sprintf("%s.groups[%d]", path, i)
		if v.groupRef(gp+".group", g.Group) {
			if j := seen.record(g.Group, i); j >= 0 {
				v.errorf(gp+".group", "%s.group: group %q is already listed by %s.groups[%d]", gp, g.Group, path, j)
			}
		}
		for _, x := range []struct {
			key string
			val *float64
		}{{"rw", g.RW}, {"mean", g.Mean}, {"gmlos", g.GMLOS}} {
			if x.val != nil {
				v.positive(gp+"."+x.key, *x.val)
			}
		}
		if g.Cases != nil {
			v.atLeast(gp+".cases", *g.Cases, 0)
		}
	}
}

// highOutlier checks a DRG high-cost outlier block.
func (v *validator) highOutlier(path string, h *HighOutlier) {
	v.between(path+".marginal", h.Marginal, 0, 1)
	v.optBetween(path+".burn_marginal", h.BurnMarginal, 0, 1)
	switch h.Family {
	case OutlierMultiple:
		if len(h.Multiples) == 0 {
			v.errorf(path+".family", "%s.family: multiple needs multiples: [{rw_max, h}, …]; want at least one", path)
		}
		last := math.Inf(-1) // the last rw_max given
		for j, mu := range h.Multiples {
			mp := fmt.Sprintf("%s.multiples[%d]", path, j)
			v.positive(mp+".h", mu.H)
			if mu.RWMax == nil {
				if j < len(h.Multiples)-1 {
					v.errorf(mp, "%s: no rw_max; only the last multiple may omit it", mp)
				}
				continue
			}
			x := *mu.RWMax
			v.atLeast(mp+".rw_max", x, 0)
			if finite(x) && x <= last {
				v.errorf(mp+".rw_max", "%s.rw_max: %s is not above the rw_max %s before it; want rw_max increasing", mp, num(x), num(last))
			}
			last = x
		}
		for _, x := range []struct {
			key   string
			given bool
		}{{"fixed_loss", h.FixedLoss != 0}, {"burn_marginal", h.BurnMarginal != nil}, {"cost_to_charge", h.CostToCharge != nil}} {
			if x.given {
				v.errorf(path+"."+x.key, "%s.%s: only with family fixed_loss; want it removed", path, x.key)
			}
		}
	case OutlierFixedLoss:
		v.atLeast(path+".fixed_loss", h.FixedLoss, 0)
		if c := h.CostToCharge; c != nil && finite(*c) && (*c <= 0 || *c > 10) {
			v.errorf(path+".cost_to_charge", "%s.cost_to_charge: %s is out of range; want more than 0 and at most 10", path, num(*c))
		}
		if len(h.Multiples) > 0 {
			v.errorf(path+".multiples", "%s.multiples: only with family multiple; want it removed", path)
		}
	default:
		v.errorf(path+".family", "%s.family: %q is not known; want multiple or fixed_loss", path, h.Family)
	}
}

// drgWindow checks the LOS window of a DRG or DIP block.
func (v *validator) drgWindow(path string, w *Window) {
	v.atLeast(path+".min_los", float64(w.MinLOS), 0)
	if w.MaxLOS != 0 && w.MaxLOS < w.MinLOS {
		v.errorf(path+".max_los", "%s.max_los: %d is less than min_los %d; want 0 (no upper bound) or at least min_los", path, w.MaxLOS, w.MinLOS)
	}
	switch w.Fallback {
	case MethodFFS:
		if w.PerDiem != nil {
			v.errorf(path+".per_diem", "%s.per_diem: only with fallback per_diem; want it removed or fallback: per_diem", path)
		}
	case MethodPerDiem:
		if w.PerDiem == nil {
			v.errorf(path+".fallback", "%s.fallback: per_diem needs a per_diem: block with its rates", path)
		} else {
			v.perDiem(path+".per_diem", w.PerDiem)
		}
	default:
		v.errorf(path+".fallback", "%s.fallback: %q is not known; want ffs or per_diem", path, w.Fallback)
	}
}

// drgWeights reports whether some group has a relative weight above 0 under
// DRG block d, as the rule derives them: the block's rw (validated
// positive), else the group's rw, else one derived from the group's cost
// tables, which is positive.
func (v *validator) drgWeights(d *DRG) bool {
	given := map[string]bool{}
	for _, g := range d.Groups {
		given[g.Group] = g.RW != nil
	}
	for _, g := range v.s.Groups {
		if given[g.Name] || g.RW == nil || *g.RW > 0 {
			return true
		}
	}
	return false
}
