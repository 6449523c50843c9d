// Package sim is the pipeline: it wires a run (Run, RunReplicates) — compiles
// a scenario, builds the rule of each payment binding from the one table of
// methods (methods.go), compiles the providers' responses, steps the engine
// and collects the summary — checks a scenario without running it (Check),
// and prices single cases the way a run does (Price).
package sim

import (
	"context"
	"fmt"

	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/markov"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/budget"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// Options control a run, and the runs of replicates and studies.
type Options struct {
	Seed      uint64 // random seed; the scenario's seed is the caller's default
	Replicate int
	Workers   int // goroutines stepping one run's population; ≤ 0 means 1
	// Parallel is how many runs (replicates, PSA draws, compared scenarios)
	// go on at once, each on Workers goroutines; ≤ 0 means 1. Results do
	// not depend on it.
	Parallel int
	// Progress, if set, is called after each cycle: of one run, with its
	// cycles done and in all; of several, with the cycles of all of them,
	// one call at a time.
	Progress func(done, total int)
	// Mode is Microsimulation (the default when empty) or Cohort.
	Mode string
}

// The modes of a run: a microsimulation draws persons one by one; a cohort
// computes the exact expected values of the conditions' Markov chains
// (package markov), and draws nothing.
const (
	Microsimulation = report.Microsimulation
	Cohort          = report.Cohort
)

// Run runs one replicate of a validated scenario and returns its summary.
// In Cohort mode every replicate is the same, and a scenario the cohort
// cannot compute exactly is refused with *scenario.Error values.
func Run(ctx context.Context, s *scenario.Scenario, opt Options) (*report.Summary, error) {
	w, err := Compile(s)
	if err != nil {
		return nil, err
	}
	if opt.Mode == Cohort {
		return runCohort(ctx, s, w, opt)
	}
	e, err := engine.New(ctx, w.Model, w.Plan, w.Rules, engine.Options{Seed: opt.Seed, Replicate: opt.Replicate,
		Workers: opt.Workers, Progress: opt.Progress, Payer: w.Payer, Phases: w.enginePhases()})
	if err != nil {
		return nil, err
	}
	// The summary's incentives are those of the plan in force in the last
	// year (the last phase's); the scenario is the run's.
	last := w.Phase(len(w.Phases))
	sum := report.NewSummary(last.Model, last.Plan, opt.Seed)
	sum.Scenario = s.Name
	for _, ph := range s.Phases {
		sum.Phases = append(sum.Phases, report.Phase{Year: ph.Year, Scenario: ph.Resolved.Name, Description: ph.Description})
	}
	err = e.Run(ctx, func(y *tally.Year) error {
		p := w.Phase(y.Phase)
		sum.AddYear(p.Model, p.Plan, *y)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := finite(s, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// CheckCohort returns the reasons a validated scenario cannot run as a
// cohort (*scenario.Error values), or nil when it can.
func CheckCohort(s *scenario.Scenario) error {
	w, err := Compile(s)
	if err != nil {
		return err
	}
	_, err = markov.New(w.Model)
	return err
}

// runCohort runs the compiled scenario w as a cohort.
func runCohort(ctx context.Context, s *scenario.Scenario, w *Wired, opt Options) (*report.Summary, error) {
	k, err := markov.New(w.Model)
	if err != nil {
		return nil, err
	}
	sum := report.NewSummary(w.Model, w.Plan, opt.Seed)
	sum.Mode = report.Cohort
	err = k.Run(ctx, func(e *tally.Expected) error {
		sum.AddExpected(w.Model, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := finite(s, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// Check compiles a validated scenario and builds its rules without running
// it, so that validation reports what only compiling finds.
func Check(s *scenario.Scenario) error {
	_, err := Compile(s)
	return err
}

// Wired is a compiled scenario ready to run.
type Wired struct {
	Model *model.Model
	Rules []payment.Rule // the rule of each payment binding, in binding order
	Plan  *respond.Plan  // how providers respond to the rules
	Payer payment.Payer  // the consortium's budget, or nil when the fund pays every provider
	// Phases are the scenario's phases compiled, in order (scenario.Phase).
	Phases []*Wired
}

// Phase is the compiled scenario in force after k phases have begun: w
// itself for k = 0.
func (w *Wired) Phase(k int) *Wired {
	if k == 0 {
		return w
	}
	return w.Phases[k-1]
}

// enginePhases are w's phases as the engine takes them.
func (w *Wired) enginePhases() []engine.Phase {
	var out []engine.Phase
	for i, p := range w.Phases {
		out = append(out, engine.Phase{Year: w.Model.S.Phases[i].Year - w.Model.S.StartYear,
			Model: p.Model, Plan: p.Plan, Rules: p.Rules, Payer: p.Payer})
	}
	return out
}

// Compile wires a validated scenario in the order its parts depend on one
// another: the care tables; the payment rules built from them, and the
// budget; the providers' responses to the rules' margins; the conditions
// and choices under the prevention effort and pull the responses give;
// then each phase the same way, after the one before.
func Compile(s *scenario.Scenario) (*Wired, error) {
	w, err := compile(s, nil)
	if err != nil {
		return nil, err
	}
	for i, ph := range s.Phases {
		if ph.Resolved == nil {
			return nil, &scenario.Error{Pos: s.At(fmt.Sprintf("phases[%d].scenario", i)), Msg: fmt.Sprintf("phases[%d]: its scenario was not read; want a scenario loaded with Load or LoadFS", i)}
		}
		p, err := compile(ph.Resolved, w.Phase(i))
		if err != nil {
			return nil, err
		}
		w.Phases = append(w.Phases, p)
	}
	return w, nil
}

// compile wires s, a phase after prev when prev is not nil: the rules and
// payer prev hands on (carry) come before the plan, which responds to them.
func compile(s *scenario.Scenario, prev *Wired) (*Wired, error) {
	c, err := model.CompileCare(s)
	if err != nil {
		return nil, err
	}
	w := &Wired{Rules: rules(c)}
	if b := budget.Build(c); b != nil {
		w.Payer = b
	}
	if prev != nil {
		carry(prev, w, c.S)
	}
	w.Plan = respond.Compile(c, w.Rules)
	w.Model = model.CompileLevers(c, w.Plan.Effort, w.Plan.ControlEffort, w.Plan.Pull)
	return w, nil
}

// carry hands the rules and the payer of the phase before, prev, to the
// phase next where next's scenario builds them from the same inputs: the
// rule or budget then runs on with the state it reached (a DRG rate
// re-based on last year's weight, a DIP point value from its history, a
// budget's base from last year's spending) instead of starting afresh.
func carry(prev, next *Wired, b *scenario.Scenario) {
	a := prev.Model.S
	for i := range next.Rules {
		if scenario.SameRule(a, b, i) {
			next.Rules[i] = prev.Rules[i]
		}
	}
	if prev.Payer != nil && next.Payer != nil && scenario.SameBudget(a, b) {
		next.Payer = prev.Payer
	}
}

// RunReplicates runs n replicates of a scenario (replicate r draws from the
// streams of r, so replicates are independent and the same for any number of
// workers), opt.Parallel at once, and returns their merged summary: means
// with 95% confidence intervals, merged in replicate order, so that the
// bytes do not depend on opt.Parallel. Only the replicates' summaries are
// kept, never their populations.
func RunReplicates(ctx context.Context, s *scenario.Scenario, opt Options, n int) (*report.Summary, error) {
	reps, err := RunRange(ctx, s, opt, 0, n)
	if err != nil {
		return nil, err
	}
	sum, err := report.Merge(reps)
	if err != nil {
		return nil, err
	}
	if err := finite(s, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// RunRange runs replicates opt.Replicate+lo to opt.Replicate+hi−1 of a
// scenario, opt.Parallel at once, and returns their summaries in replicate
// order: a shard of RunReplicates' replicates.
func RunRange(ctx context.Context, s *scenario.Scenario, opt Options, lo, hi int) ([]*report.Summary, error) {
	reps := make([]*report.Summary, max(hi-lo, 0))
	o := opt
	if len(reps) > 1 {
		o.Progress = SharedProgress(opt.Progress, len(reps)*Cycles(s))
	}
	err := Parallel(ctx, len(reps), opt.Parallel, func(ctx context.Context, i int) error {
		o := o
		o.Replicate = opt.Replicate + lo + i
		sum, err := Run(ctx, s, o)
		if err != nil {
			return fmt.Errorf("replicate %d: %w", o.Replicate, err)
		}
		reps[i] = sum
		return nil
	})
	if err != nil {
		return nil, err
	}
	return reps, nil
}

// Cycles is the number of cycles a run of s steps.
func Cycles(s *scenario.Scenario) int { return s.Years * s.Cycle.CyclesPerYear() }

// finite refuses a summary of s that holds a NaN or an infinity, naming
// the figure: the scenario's amounts or sizes overflowed the run's sums.
func finite(s *scenario.Scenario, sum *report.Summary) error {
	if path, x := report.NonFinite(sum); path != "" {
		return &scenario.Error{Pos: scenario.Pos{File: s.File},
			Msg: fmt.Sprintf("the run's %s is %v: the scenario's amounts or sizes overflow what the run can add up; want smaller ones", path, x)}
	}
	return nil
}
