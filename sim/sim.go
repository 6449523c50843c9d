// Package sim wires a run: it compiles a scenario, binds the payment rules,
// steps the engine and collects the summary.
package sim

import (
	"context"
	"fmt"

	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// Options control a run.
type Options struct {
	Seed      uint64 // random seed; the scenario's seed is the caller's default
	Replicate int
	Workers   int                   // goroutines; ≤ 0 means 1
	Progress  func(done, total int) // called after each cycle, if set
}

// Run runs one replicate of a validated scenario and returns its summary.
func Run(ctx context.Context, s *scenario.Scenario, opt Options) (*report.Summary, error) {
	m, rs, err := compile(s)
	if err != nil {
		return nil, err
	}
	e := engine.New(m, rs, engine.Options{Seed: opt.Seed, Replicate: opt.Replicate, Workers: opt.Workers,
		Progress: opt.Progress, Budget: globalBudget(m)})
	sum := report.NewSummary(m, opt.Seed)
	err = e.Run(ctx, func(y *tally.Year) error {
		sum.AddYear(m, *y)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// Check compiles a validated scenario and binds its rules without running it,
// so that validation reports what only compiling finds.
func Check(s *scenario.Scenario) error {
	_, _, err := compile(s)
	return err
}

// compile compiles a validated scenario and builds its payment rules.
func compile(s *scenario.Scenario) (*model.Model, []payment.Rule, error) {
	m, err := model.Compile(s)
	if err != nil {
		return nil, nil, err
	}
	rs, err := Rules(m)
	if err != nil {
		return nil, nil, err
	}
	return m, rs, nil
}

// RunReplicates runs n replicates of a scenario (replicate r draws from the
// streams of r, so replicates are independent and the same for any number of
// workers) one after the other, each over all the workers, and returns their
// merged summary: means with 95% confidence intervals. Only the replicates'
// summaries are kept, never their populations.
func RunReplicates(ctx context.Context, s *scenario.Scenario, opt Options, n int) (*report.Summary, error) {
	reps := make([]*report.Summary, 0, n)
	for r := 0; r < n; r++ {
		o := opt
		o.Replicate = opt.Replicate + r
		sum, err := Run(ctx, s, o)
		if err != nil {
			return nil, fmt.Errorf("replicate %d: %w", o.Replicate, err)
		}
		reps = append(reps, sum)
	}
	return report.Merge(reps)
}
