package scenario

import (
	"fmt"
	"math"
)

// methodParams checks that a binding has the parameter block of its method
// and no other, and checks the block.
func (v *validator) methodParams(path string, b *Binding) {
	blocks := []struct {
		method Method
		given  bool
	}{{MethodPerDiem, b.PerDiem != nil}, {MethodDRG, b.DRG != nil}, {MethodDIP, b.DIP != nil}, {MethodCapitation, b.Capitation != nil}}
	for _, blk := range blocks {
		switch {
		case blk.given && blk.method != b.Method:
			v.errorf(path+"."+string(blk.method), "%s.%s: parameters of method %s given to a %s binding; want them removed or method: %s",
				path, blk.method, blk.method, b.Method, blk.method)
		case !blk.given && blk.method == b.Method && !v.tainted[path+"."+string(blk.method)]: // a block that did not decode is reported where it failed
			v.errorf(path+".method", "%s: method %s needs a %s: block with its parameters", path, b.Method, blk.method)
		}
	}
	switch {
	case b.PerDiem != nil && b.Method == MethodPerDiem:
		v.perDiem(path+".per_diem", b.PerDiem)
	case b.DRG != nil && b.Method == MethodDRG:
		v.drg(path+".drg", b.DRG)
	case b.DIP != nil && b.Method == MethodDIP:
		v.dip(path+".dip", b.DIP)
	case b.Capitation != nil && b.Method == MethodCapitation:
		v.tierRates(path+".capitation", b.Capitation.Rates, phrase("enrollee-year"))
	}
}

// perDiem checks a per-diem block.
func (v *validator) perDiem(path string, d *PerDiem) {
	v.tierRates(path, d.Rates, phrase("bed-day"))
	v.atLeast(path+".day_cap", float64(d.DayCap), 0)
	v.atLeast(path+".threshold", float64(d.Threshold), 0)
	v.optBetween(path+".after", d.After, 0, 1)
}

// inBudget checks a budget block.
func (v *validator) budget(path string, b *DRGBudget) {
	switch {
	case b.LastYear != 0 && b.PerEnrollee != 0:
		v.errorf(path+".per_enrollee", "%s: both last_year and per_enrollee; want one of them", path)
	case b.PerEnrollee != 0:
		v.positive(path+".per_enrollee", b.PerEnrollee)
	default:
		v.positive(path+".last_year", b.LastYear)
	}
	v.between(path+".growth", b.Growth, -0.5, 1)
}

// groupRef checks a reference to a group.
func (v *validator) groupRef(path, name string) bool {
	return v.ref(path, "group", name, v.groupIdx, v.groupNames)
}

// tierDist checks a tier → factor mapping.
func (v *validator) tierDist(path string, d Dist) {
	for _, sh := range d {
		v.ref(path+"."+sh.Name, "tier", sh.Name, v.tierIdx, v.tierNames)
		if !math.IsNaN(sh.Value) {
			v.atLeast(path+"."+sh.Name, sh.Value, 0)
		}
	}
}

// tierRates checks a list of rates by tier (per unit, for messages).
func (v *validator) tierRates(path string, rates []TierRate, unit Phrase) {
	if len(rates) == 0 {
		v.errorf(path, "%s: no rates; want a rate per %s for every tier the binding covers", path, unit)
	}
	seen := listed{}
	for j, r := range rates {
		rp := fmt.Sprintf("%s.rates[%d]", path, j)
		if v.ref(rp+".tier", "tier", r.Tier, v.tierIdx, v.tierNames) && seen.record(r.Tier, j) >= 0 {
			v.errorf(rp+".tier", "%s.tier: tier %q has a rate already; want one rate per tier", rp, r.Tier)
		}
		v.atLeast(rp+".rate", r.Rate, 0)
	}
}

// LastYearSpending is the budget's last-year spending for a population of
// size persons: last_year, or per_enrollee × size.
func (b *DRGBudget) LastYearSpending(size int) float64 {
	if b.PerEnrollee != 0 {
		return b.PerEnrollee * float64(size)
	}
	return b.LastYear
}
