package model

import (
	"slices"

	"github.com/paysim/paysim/sim/scenario"
)

// ExpectedCases returns the expected admissions of each group per person in
// the first year, from the starting population: the background admissions,
// Σ over bands of weight × admissions × the case mix population.admissions,
// plus for each condition, Σ over bands and states of weight × the state's
// share in the initial distribution × the rates of the state's events and
// of its transitions that admit (a per-cycle probability taken as a rate
// of probability × cycles per year), each × its by_band factor. Management
// and frailty factors are left out (frailty has mean 1).
func (c *Care) ExpectedCases() []float64 {
	s := c.S
	n := make([]float64, c.NGroup)
	group := func(name string) int { return slices.Index(c.GroupNames, name) }
	mixSum := 0.0
	for _, sh := range s.Population.Admissions {
		mixSum += max(0, sh.Value)
	}
	for _, band := range s.Population.AgeBands {
		if mixSum <= 0 {
			continue
		}
		for _, sh := range s.Population.Admissions {
			if g := group(sh.Name); g >= 0 && sh.Value > 0 {
				n[g] += band.Weight * band.Admissions * sh.Value / mixSum
			}
		}
	}
	for _, cond := range s.Conditions {
		for _, band := range s.Population.AgeBands {
			// Bands the initial distribution does not list start in the
			// first state.
			states := scenario.Dist{{Name: cond.States[0].Name, Value: 1}}
			for _, bd := range cond.Initial {
				if bd.Band == band.Name {
					states = bd.States
				}
			}
			for _, st := range states {
				share := band.Weight * st.Value
				if share <= 0 {
					continue
				}
				for _, state := range cond.States {
					if state.Name != st.Name {
						continue
					}
					for _, ev := range state.Events {
						if g := group(ev.Group); g >= 0 {
							n[g] += share * ev.Rate
						}
					}
				}
				for _, tr := range cond.Transitions {
					g := group(tr.Admit)
					if tr.From != st.Name || g < 0 {
						continue
					}
					rate := 0.0
					switch {
					case tr.Rate != nil:
						rate = *tr.Rate
					case tr.Prob != nil:
						rate = *tr.Prob * float64(c.CyclesPerYear)
					}
					f := 1.0
					for _, b := range tr.ByBand {
						if b.Name == band.Name {
							f = b.Value
						}
					}
					n[g] += share * rate * f
				}
			}
		}
	}
	return n
}
