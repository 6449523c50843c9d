package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// consortia checks the consortia: at most one with a budget (it holds the
// pool's money for all residents), members defined and each provider in one
// consortium only, referral agreements, protocols, the budget's ranges and
// tier shares.
func (v *validator) consortia() {
	s := v.s
	budgets := 0
	for i := range s.Consortia {
		if s.Consortia[i].Budget != nil {
			if budgets++; budgets == 2 {
				v.errorf(fmt.Sprintf("consortia[%d].budget", i), "consortia[%d].budget: a second global budget; want at most one (a budget holds the money of all the pool's residents)", i)
			}
		}
	}
	member := map[string]string{} // provider → its consortium
	condIdx := map[string]int{}
	var condNames []string
	for i, c := range s.Conditions {
		condIdx[c.Name] = i
		condNames = append(condNames, c.Name)
	}
	v.names("consortium", len(s.Consortia), func(i int) string { return s.Consortia[i].Name },
		func(i int) string { return fmt.Sprintf("consortia[%d]", i) })
	provIdx := map[string]int{}
	var provNames []string
	for i, pr := range v.provs {
		provIdx[pr.Name] = i
		provNames = append(provNames, pr.Name)
	}
	for i := range s.Consortia {
		c := &s.Consortia[i]
		p := fmt.Sprintf("consortia[%d]", i)
		memberTiers := map[string]bool{}
		for j, t := range c.Tiers {
			if v.ref(fmt.Sprintf("%s.tiers[%d]", p, j), "tier", t, v.tierIdx, v.tierNames) {
				memberTiers[t] = true
			}
		}
		for j, name := range c.Providers {
			if v.ref(fmt.Sprintf("%s.providers[%d]", p, j), "provider", name, provIdx, provNames) {
				memberTiers[v.provs[provIdx[name]].Tier] = true
			}
		}
		if len(c.Tiers)+len(c.Providers) == 0 {
			v.errorf(p, "%s: no members; want tiers or providers", p)
		}
		for _, pr := range v.provs {
			if !slices.Contains(c.Tiers, pr.Tier) && !slices.Contains(c.Providers, pr.Name) {
				continue
			}
			if other, ok := member[pr.Name]; ok && other != c.Name {
				v.errorf(p, "%s: provider %q is already a member of %s; want each provider in at most one consortium", p, pr.Name, other)
			}
			member[pr.Name] = c.Name
		}
		v.atLeast(p+".referral.pull", c.Referral.Pull, 0)
		v.atLeast(p+".referral.down", c.Referral.Down, 0)
		if len(c.Protocols) > 0 && s.Responses == nil {
			v.errorf(p+".protocols", "%s.protocols: a protocol acts through the prevention responses, and the scenario has none; want a responses: block (responses: {} for the defaults)", p)
		}
		for j, pc := range c.Protocols {
			pp := fmt.Sprintf("%s.protocols[%d]", p, j)
			v.ref(pp+".condition", "condition", pc.Condition, condIdx, condNames)
			v.between(pp+".effort", pc.Effort, 0, 1)
		}
		switch c.Decides {
		case "", DecidesMembers:
		case DecidesCommunity:
			if c.Budget == nil {
				v.errorf(p+".decides", "%s.decides: community without a budget; want a budget (the account a community manages as one) or decides: members", p)
			}
		default:
			v.errorf(p+".decides", "%s.decides: %q is not known; want community or members", p, c.Decides)
		}
		if c.Budget != nil {
			v.globalBudget(p+".budget", c, memberTiers)
		}
	}
}

// uplift checks the technology of capability uplift: its tiers, its gain,
// scale and depreciation.
func (v *validator) uplift() {
	u := v.s.Uplift
	if u == nil {
		return
	}
	const p = "uplift"
	if len(u.Tiers) == 0 {
		v.errorf(p+".tiers", "%s.tiers: none; want the tiers whose capability investment raises, e.g. [township, county]", p)
	}
	for j, t := range u.Tiers {
		v.ref(fmt.Sprintf("%s.tiers[%d]", p, j), "tier", t, v.tierIdx, v.tierNames)
	}
	v.atLeast(p+".gain", u.Gain, 0)
	v.positive(p+".scale", u.Scale)
	if finite(u.Depreciation) && (u.Depreciation <= 0 || u.Depreciation > 1) {
		v.errorf(p+".depreciation", "%s.depreciation: %s is out of range; want more than 0 and at most 1, the share of the stock lost in a year", p, num(u.Depreciation))
	}
}

// globalBudget checks a consortium's budget: its ranges and tier shares.
func (v *validator) globalBudget(bp string, c *Consortium, memberTiers map[string]bool) {
	b := c.Budget
	switch b.Base {
	case "", BaseSpending:
		v.positive(bp+".per_capita", b.PerCapita)
		v.between(bp+".growth", b.Growth, -0.5, 1)
		if b.IncomeShare != 0 {
			v.errorf(bp+".income_share", "%s.income_share: only with base income; want it removed or base: income", bp)
		}
	case BaseIncome:
		if finite(b.IncomeShare) && (b.IncomeShare <= 0 || b.IncomeShare > 1) {
			v.errorf(bp+".income_share", "%s.income_share: %s is out of range; want more than 0 and at most 1, the share of the fund's income the budget is", bp, num(b.IncomeShare))
		}
		for _, x := range []struct {
			key   string
			given bool
		}{{"per_capita", b.PerCapita != 0}, {"growth", b.Growth != 0}} {
			if x.given {
				v.errorf(bp+"."+x.key, "%s.%s: only with base spending; want it removed (base income follows the fund's income)", bp, x.key)
			}
		}
	default:
		v.errorf(bp+".base", "%s.base: %q is not known; want spending or income", bp, b.Base)
	}
	v.between(bp+".risk_reserve", b.RiskReserve, 0, 0.99)
	v.atLeast(bp+".public_health", b.PublicHealth, 0)
	v.atLeast(bp+".prevention_cost", b.PreventionCost, 0)
	v.optAtLeast(bp+".public_health_work", b.PublicHealthWork, 0)
	if b.PublicHealthWork != nil && *b.PublicHealthWork > 0 && b.PublicHealth == 0 {
		v.errorf(bp+".public_health_work", "%s.public_health_work: without public_health; want public_health above 0 (the work is what pooled public-health funds pay for) or public_health_work removed", bp)
	}
	if b.PreventionCost > 0 && b.PublicHealth == 0 {
		v.errorf(bp+".prevention_cost", "%s.prevention_cost: without public_health; want public_health above 0 (the prevention work is what pooled public-health funds pay for) or prevention_cost removed", bp)
	}
	v.optBetween(bp+".advance", b.Advance, 0, 1)
	v.between(bp+".surplus_share", b.SurplusShare, 0, 1)
	v.between(bp+".overspend_share", b.OverspendShare, 0, 1)
	v.between(bp+".overspend_cap", b.OverspendCap, 0, 1)
	v.optBetween(bp+".forecast_sd", b.ForecastSD, 0, 1)
	v.between(bp+".staff_share", b.StaffShare, 0, 1)
	v.between(bp+".indicators.managed", b.Indicators.Managed, 0, 1)
	v.between(bp+".indicators.control", b.Indicators.Control, 0, 1)
	if w := b.Indicators.Managed + b.Indicators.Control; b.StaffShare > 0 && finite(w) && math.Abs(w-1) > sumTolerance {
		v.sumf(bp+".indicators", "%s.indicators: weights sum to %s, want 1 (the staff's performance pay is tied to them)", bp, sum(w))
	}
	total := 0.0
	for _, sh := range b.TierShares {
		sp := bp + ".tier_shares." + sh.Name
		if v.ref(sp, "tier", sh.Name, v.tierIdx, v.tierNames) && !memberTiers[sh.Name] {
			v.errorf(sp, "%s: tier %q has no member in %s; want member tiers only", sp, sh.Name, c.Name)
		}
		v.between(sp, sh.Value, 0, 1)
		total += sh.Value
	}
	if len(b.TierShares) == 0 {
		v.errorf(bp, "%s: no tier_shares; want how the consortium's result is split among member tiers, e.g. {county: 0.6, township: 0.3, village: 0.1}", bp)
	} else if finite(total) && math.Abs(total-1) > sumTolerance {
		v.sumf(bp+".tier_shares", "%s.tier_shares: shares sum to %s, want 1", bp, sum(total))
	}
}

// expectations checks the expect: block's form; whether a metric exists is
// known only once the run has a summary.
func (v *validator) expectations() {
	for i, e := range v.s.Expect {
		p := fmt.Sprintf("expect[%d]", i)
		if e.Metric == "" {
			v.errorf(p, "%s: no metric; want the path of a figure of summary.json, e.g. fund.reserve_months", p)
		}
		if e.Min == nil && e.Max == nil && e.Near == nil {
			v.errorf(p, "%s: no bound; want min, max or near", p)
		}
		if e.Near != nil && (e.Min != nil || e.Max != nil) {
			v.errorf(p+".near", "%s: near with min or max; want near (with rtol) or min and max", p)
		}
		if e.Near == nil && e.RTol != 0 {
			v.errorf(p+".rtol", "%s.rtol: without near; want rtol only with near", p)
		}
		v.between(p+".rtol", e.RTol, 0, 1)
		if e.Min != nil && e.Max != nil && *e.Min > *e.Max {
			v.errorf(p+".max", "%s: max %s is below min %s", p, num(*e.Max), num(*e.Min))
		}
		for j, y := range e.Years {
			if y == "all" || y == "last" {
				continue
			}
			n, err := strconv.Atoi(y)
			if err != nil || n < v.s.StartYear || n >= v.s.StartYear+v.s.Years {
				v.errorf(fmt.Sprintf("%s.years[%d]", p, j), "%s.years[%d]: %q; want all, last or a year from %d to %d", p, j, y, v.s.StartYear, v.s.StartYear+v.s.Years-1)
			}
		}
	}
}

// uncertain checks the distributions of the uncertain parameters.
func (v *validator) uncertain() {
	for i, u := range v.s.Uncertain {
		p := fmt.Sprintf("uncertain[%d]", i)
		if u.Set == "" {
			v.errorf(p, "%s: no set; want the parameter's path, as --set takes it", p)
		}
		needs := func(keys ...string) {
			given := map[string]bool{"mean": u.Mean != nil, "sd": u.SD != nil, "min": u.Min != nil, "max": u.Max != nil}
			for _, k := range keys {
				if !given[k] {
					v.errorf(p, "%s: %s needs %s", p, u.Distribution, k)
				}
				delete(given, k)
			}
			for _, k := range []string{"mean", "sd", "min", "max"} {
				if given[k] {
					v.errorf(p+"."+k, "%s.%s: %s takes no %s", p, k, u.Distribution, k)
				}
			}
		}
		switch u.Distribution {
		case "beta":
			needs("mean", "sd")
			if u.Mean != nil && u.SD != nil && !(*u.Mean > 0 && *u.Mean < 1 && *u.SD > 0 && *u.SD**u.SD < *u.Mean*(1-*u.Mean)) {
				v.errorf(p, "%s: beta with mean %s and sd %s; want 0 < mean < 1 and sd² < mean × (1 − mean)", p, num(*u.Mean), num(*u.SD))
			}
		case "gamma", "lognormal":
			needs("mean", "sd")
			if u.Mean != nil && u.SD != nil && !(*u.Mean > 0 && *u.SD > 0) {
				v.errorf(p, "%s: %s with mean %s and sd %s; want both above 0", p, u.Distribution, num(*u.Mean), num(*u.SD))
			}
		case "normal":
			needs("mean", "sd")
			if u.SD != nil && !(*u.SD > 0) {
				v.errorf(p+".sd", "%s.sd: %s; want above 0", p, num(*u.SD))
			}
		case "uniform":
			needs("min", "max")
			if u.Min != nil && u.Max != nil && !(*u.Min < *u.Max) {
				v.errorf(p+".max", "%s: uniform from %s to %s; want min < max", p, num(*u.Min), num(*u.Max))
			}
		default:
			v.errorf(p+".distribution", "%s.distribution: %q is not known; want beta, gamma, lognormal, normal or uniform", p, u.Distribution)
		}
	}
}

// strategies checks the arms: unique names, each set a path=value pair
// (the paths are checked when an arm is loaded, as --set values are).
func (v *validator) strategies() {
	v.names("strategy", len(v.s.Strategies), func(i int) string { return v.s.Strategies[i].Name },
		func(i int) string { return fmt.Sprintf("strategies[%d]", i) })
	for i, st := range v.s.Strategies {
		v.pathSets(fmt.Sprintf("strategies[%d].set", i), st.Set)
	}
}

// pathSets checks that each of sets, at path, is a path=value pair.
func (v *validator) pathSets(path string, sets []string) {
	for j, set := range sets {
		p := fmt.Sprintf("%s[%d]", path, j)
		if k, _, ok := strings.Cut(set, "="); !ok || strings.TrimSpace(k) == "" {
			v.errorf(p, "%s: %q is not path=value; want what --set takes, e.g. conditions.sick-sicker.states.sick.cost=4000", p, set)
		}
	}
}

// phases checks the years of the phases: after the first year, within the
// run, in order (their files are read and compared by the loader).
func (v *validator) phases() {
	first, last := v.s.StartYear+1, v.s.StartYear+v.s.Years-1
	for i, ph := range v.s.Phases {
		p := fmt.Sprintf("phases[%d]", i)
		switch {
		case ph.Year < first || ph.Year > last:
			v.errorf(p+".year", "%s.year: %d is not a year whose start the run reaches from a year before, %d to %d; want one of them (the first year runs this scenario)",
				p, ph.Year, first, last)
		case i > 0 && ph.Year <= v.s.Phases[i-1].Year:
			v.errorf(p+".year", "%s.year: %d does not follow %d; want the phases in the order of their years", p, ph.Year, v.s.Phases[i-1].Year)
		}
		if ph.Scenario == "" {
			v.errorf(p+".scenario", "%s.scenario is empty; want the file of the scenario that runs from %d", p, ph.Year)
		}
	}
}

// measured checks a study: its years within the run, Before first; its
// figures named; its mechanisms named once, each with path=value sets; and
// no strategies beside them (a comparison of the file makes one set of
// arms). The metrics are checked when the study is compared.
func (v *validator) measured() {
	m := v.s.Measured
	if m == nil {
		return
	}
	first, last := v.s.StartYear, v.s.StartYear+v.s.Years-1
	for _, y := range []struct {
		path string
		year int
	}{{"measured.before", m.Before}, {"measured.after", m.After}} {
		if y.year < first || y.year > last {
			v.errorf(y.path, "%s: %d is outside the run, %d to %d; want a year within it", y.path, y.year, first, last)
		}
	}
	if m.After <= m.Before {
		v.errorf("measured.after", "measured.after: %d is not after measured.before, %d; want a later year", m.After, m.Before)
	}
	if len(m.Figures) == 0 {
		v.errorf("measured.figures", "measured.figures is empty; want the study's figures, each a compare metric")
	}
	for i, f := range m.Figures {
		if f.Metric == "" {
			v.errorf(fmt.Sprintf("measured.figures[%d].metric", i), "measured.figures[%d].metric is empty; want a compare metric such as cost.fund_covered", i)
		}
	}
	v.names("mechanism", len(m.Mechanisms), func(i int) string { return m.Mechanisms[i].Name },
		func(i int) string { return fmt.Sprintf("measured.mechanisms[%d]", i) })
	for i, mc := range m.Mechanisms {
		v.pathSets(fmt.Sprintf("measured.mechanisms[%d].off", i), mc.Off)
	}
	if len(m.Mechanisms) > 0 && len(v.s.Strategies) > 0 {
		v.errorf("measured.mechanisms", "measured.mechanisms beside strategies: a comparison of the file runs one set of arms; want one of them")
	}
}
