package sim

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/paysim/paysim/sim/cohort"
	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Memory is an estimate of the memory a run of s needs [bytes]: the
// per-person state of every person it will ever hold (the starting
// population and the entrants and joiners of every year, reserved up
// front), the settlement sums of each chunk of persons, and a fixed
// allowance for the tables and buffers.
func Memory(s *scenario.Scenario) (need int64, bytesPerPerson int, persons float64) {
	bytesPerPerson = (&cohort.Population{NCond: len(s.Conditions)}).BytesPerPerson()
	persons = s.PersonsEver()
	const tables = 64 << 20
	chunks := math.Ceil(persons / engine.ChunkSize)
	return int64(persons*float64(bytesPerPerson)+chunks*float64(settlementBytes(s))) + tables, bytesPerPerson, persons
}

// settlementBytes is the size of one payment.Settlement of s, as
// payment.NewSettlement and ByGroup lay it out: by provider the revenue,
// fund, cost, case and denied-cost sums and, for each binding, its points,
// revenue, fund and OOP; by township the census and the managed persons;
// for each binding the charges and cases by group and tier; two cache lines
// of padding to each block.
func settlementBytes(s *scenario.Scenario) int64 {
	nProv := len(s.Providers)
	if nProv == 0 {
		nProv = len(s.Tiers) // one provider per tier by default
	}
	nRules, nTown := len(s.Payment), max(len(s.Population.Townships), 1)
	floats := (5+4*nRules)*nProv + 2*nTown + 2*nRules*len(s.Groups)*len(s.Tiers) + 4*8
	return 8*int64(floats) + int64(nRules+1)*int64(unsafe.Sizeof(payment.RuleTally{}))
}

// Limits of a run's size that no scenario reaches but a command line can.
const (
	MaxWorkers    = 1024
	MaxReplicates = 100_000
)

// CheckSize refuses a run that cannot fit: more workers, replicates or runs
// at once than the limits, or parallel runs at once whose populations need
// more memory than available (0: unknown, not checked). The error says what
// the runs need.
func CheckSize(s *scenario.Scenario, workers, replicates, parallel int, available int64) error {
	switch {
	case workers < 1 || workers > MaxWorkers:
		return fmt.Errorf("--workers %d: want 1 to %d", workers, MaxWorkers)
	case replicates < 1 || replicates > MaxReplicates:
		return fmt.Errorf("--replicates %d: want 1 to %d", replicates, MaxReplicates)
	case parallel < 1 || parallel > MaxWorkers:
		return fmt.Errorf("--parallel %d: want 1 to %d", parallel, MaxWorkers)
	}
	need, bpp, persons := Memory(s)
	if available <= 0 || float64(need)*float64(parallel) <= float64(available) {
		return nil
	}
	if parallel > 1 {
		return fmt.Errorf("%s: %d runs at once of %d persons need about %.1f GiB of memory (%.1f GiB each: %d bytes per person, %.0f persons with the entrants and joiners of %d years), but %.1f GiB are available; want --parallel %d or less, or a smaller population.size or --persons",
			s.Name, parallel, s.Population.Size, float64(need)*float64(parallel)/(1<<30), float64(need)/(1<<30), bpp, persons, s.Years,
			float64(available)/(1<<30), max(available/need, 1))
	}
	return fmt.Errorf("%s: %d persons need about %.1f GiB of memory (%d bytes per person, %.0f persons with the entrants and joiners of %d years), but %.1f GiB are available; want a smaller population.size or --persons",
		s.Name, s.Population.Size, float64(need)/(1<<30), bpp, persons, s.Years, float64(available)/(1<<30))
}

// Fit is how many runs of s, at most parallel and at least 1, fit in
// available memory at once (0: unknown, parallel).
func Fit(s *scenario.Scenario, parallel int, available int64) int {
	need, _, _ := Memory(s)
	if available <= 0 {
		return max(parallel, 1)
	}
	return int(max(min(int64(parallel), available/need), 1))
}
