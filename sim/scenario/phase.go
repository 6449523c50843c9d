package scenario

import (
	"reflect"
	"slices"
)

// Incompatible lists what b, a phase's scenario, changes of a that a run
// cannot change between years: the horizon and its cycle, the currency and
// discounting, the population and its turnover, the fund, the conditions'
// states and heterogeneity (the persons' state), and the names of tiers,
// groups and providers (what the persons' last stays refer to). None:
// b may run in place of a from a year on.
func Incompatible(a, b *Scenario) []string {
	var out []string
	same := func(what string, x, y any) {
		if !reflect.DeepEqual(x, y) {
			out = append(out, what)
		}
	}
	same("start_year", a.StartYear, b.StartYear)
	same("years", a.Years, b.Years)
	same("cycle", a.Cycle, b.Cycle)
	same("currency", a.Currency, b.Currency)
	same("discount_rate", a.DiscountRate, b.DiscountRate)
	same("rewards", a.Rewards, b.Rewards)
	same("population", a.Population, b.Population)
	same("fund", a.Fund, b.Fund)
	type shape struct {
		name          string
		states        []string
		heterogeneity float64
	}
	shapes := func(s *Scenario) []shape {
		var out []shape
		for _, c := range s.Conditions {
			sh := shape{name: c.Name, heterogeneity: c.Heterogeneity}
			for _, st := range c.States {
				sh.states = append(sh.states, st.Name)
			}
			out = append(out, sh)
		}
		return out
	}
	same("conditions (their names, states and heterogeneity)", shapes(a), shapes(b))
	names := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	same("tiers (their names, in order)", names(len(a.Tiers), func(i int) string { return a.Tiers[i].Name }),
		names(len(b.Tiers), func(i int) string { return b.Tiers[i].Name }))
	same("groups (their names, in order)", names(len(a.Groups), func(i int) string { return a.Groups[i].Name }),
		names(len(b.Groups), func(i int) string { return b.Groups[i].Name }))
	same("providers", a.Providers, b.Providers)
	return slices.Clip(out)
}

// SameRule reports whether a and b build the rule of binding i from the
// same inputs: the binding, and the tables a rule reads (conditions,
// tiers, groups, providers, benefit, trends, variation).
func SameRule(a, b *Scenario, i int) bool {
	return i < len(a.Payment) && i < len(b.Payment) && reflect.DeepEqual(a.Payment[i], b.Payment[i]) && sameTables(a, b)
}

// SameBudget reports whether a and b build the same consortium budget.
func SameBudget(a, b *Scenario) bool {
	return reflect.DeepEqual(a.Consortia, b.Consortia) && sameTables(a, b)
}

// sameTables reports whether a and b have the tables rules and budgets
// are built from.
func sameTables(a, b *Scenario) bool {
	return reflect.DeepEqual(a.Conditions, b.Conditions) && reflect.DeepEqual(a.Tiers, b.Tiers) &&
		reflect.DeepEqual(a.Groups, b.Groups) && reflect.DeepEqual(a.Providers, b.Providers) &&
		reflect.DeepEqual(a.Benefit, b.Benefit) && reflect.DeepEqual(a.Trends, b.Trends) &&
		reflect.DeepEqual(a.Variation, b.Variation) && reflect.DeepEqual(a.Population, b.Population)
}
