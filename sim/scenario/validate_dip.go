package scenario

import "fmt"

// minFundRatio is the smallest fund reimbursement ratio a DIP block may
// give: a fund paying less than 1% of its cases' cost runs no DIP.
const minFundRatio = 0.01

// dip checks a DIP block.
func (v *validator) dip(path string, d *DIP) {
	if len(v.s.Groups) == 0 {
		v.errorf(path, "%s: the scenario defines no groups; want groups for DIP to score", path)
	}
	seen := listed{}
	for j, g := range d.Groups {
		gp := fmt.Sprintf("%s.groups[%d]", path, j)
		if v.groupRef(gp+".group", g.Group) {
			if k := seen.record(g.Group, j); k >= 0 {
				v.errorf(gp+".group", "%s.group: group %q already has its DIP data in %s.groups[%d]; want one entry per group", gp, g.Group, path, k)
			}
		}
		if g.Score != nil {
			v.positive(gp+".score", *g.Score)
		}
		if g.Mean != nil {
			v.positive(gp+".mean", *g.Mean)
		}
	}
	for _, sh := range d.Coefficients {
		cp := path + ".coefficients." + sh.Name
		v.ref(cp, "tier", sh.Name, v.tierIdx, v.tierNames)
		v.positive(cp, sh.Value)
	}
	if n := len(d.History); n != 0 && n != 3 {
		v.errorf(path+".history", "%s.history has %d values; want none or exactly 3: E(t−3), E(t−2), E(t−1)", path, n)
	}
	for i, e := range d.History {
		v.positive(fmt.Sprintf("%s.history[%d]", path, i), e)
	}
	v.budget(path+".budget", &d.Budget)
	v.between(path+".fund_ratio", d.FundRatio, minFundRatio, 1) // below it the settled value's total, fund ÷ ratio, is meaningless and can overflow
	v.between(path+".advance", d.Advance, 0, 1)
	if w := d.Window; w != nil {
		v.drgWindow(path+".window", w)
	}
}
