package sim

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/cohort"
	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/rng"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// GenerateClaims runs one replicate of the microsimulation of a validated
// scenario and passes every episode it generates to emit as a claim, in a
// fixed order (cycle by cycle, the persons' order within a cycle), the same
// for any number of workers. The claim is reused after emit returns.
// Dates are drawn within the cycle the engine simulated the episode in;
// the amounts are what the scenario's rules booked in that cycle (for a
// point method, the fund's advance, before the year-end settlement). A
// claim carries the patient's age and sex, never who the patient is.
func GenerateClaims(ctx context.Context, s *scenario.Scenario, opt Options, emit func(*claims.Claim) error) error {
	w, err := Compile(s)
	if err != nil {
		return err
	}
	m := w.Model
	var pop *cohort.Population
	// ages are the persons' ages at the start of the year being run: the
	// engine ages the survivors in the year's last cycle, before the
	// cycle's episodes are seen.
	var ages []uint8
	dates := rand.New(rand.NewPCG(rng.Mix(opt.Seed), rng.Mix(uint64(opt.Replicate)^0x636c61696d73))) // "claims"
	var c claims.Claim
	episodes := func(cycle int, evs []payment.Event) error {
		year, within := cycle/m.CyclesPerYear, cycle%m.CyclesPerYear
		for i := len(ages); i < pop.Len(); i++ { // the year's entrants
			a := pop.Age[i]
			if within == m.CyclesPerYear-1 && pop.Flags[i]&cohort.Alive != 0 {
				a-- // aged already: a yearly cycle is the year's last (entrants are younger than the cap)
			}
			ages = append(ages, a)
		}
		start := time.Date(s.StartYear+year, time.Month(1+within*12/m.CyclesPerYear), 1, 0, 0, 0, 0, time.UTC)
		days := int(start.AddDate(0, 12/m.CyclesPerYear, 0).Sub(start).Hours() / 24)
		for i := range evs {
			ev := &evs[i]
			p := int(ev.Person)
			c = claims.Claim{Provider: m.ProvNames[ev.Provider], Tier: m.TierNames[ev.Tier], Service: ev.Service,
				Age: int(ages[p]), Sex: claims.Female, LOS: int(ev.LOS), Charges: ev.Charges, FundPaid: ev.FundPaid,
				PatientPaid: ev.OOP, Transfer: ev.Flags&payment.Transferred != 0, Readmit: claims.NoReadmit}
			if pop.Flags[p]&cohort.Male != 0 {
				c.Sex = claims.Male
			}
			if ev.Group != payment.NoGroup {
				c.Group = m.GroupNames[ev.Group]
			}
			if ev.Service == payment.Inpatient && ev.Readmit != payment.NoReadmit {
				c.Readmit = int(ev.Readmit)
			}
			c.Admitted = start.AddDate(0, 0, dates.IntN(days))
			c.Discharged = c.Admitted.AddDate(0, 0, c.LOS)
			if err := emit(&c); err != nil {
				return err
			}
		}
		if within == m.CyclesPerYear-1 {
			ages = append(ages[:0], pop.Age...) // the survivors' ages in the next year
		}
		return nil
	}
	e, err := engine.New(ctx, m, w.Plan, w.Rules, engine.Options{Seed: opt.Seed, Replicate: opt.Replicate,
		Workers: opt.Workers, Progress: opt.Progress, Payer: w.Payer, Episodes: episodes, Phases: w.enginePhases()})
	if err != nil {
		return err
	}
	pop = e.Population()
	ages = append(ages, pop.Age...)
	return e.Run(ctx, func(*tally.Year) error { return nil })
}
