package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/scenario"
)

// parallelFlag is --parallel, of the commands that run replicates.
func parallelFlag() cli.Flag {
	return &cli.IntFlag{Name: "parallel", Usage: "runs at once (replicates, PSA draws, compared scenarios), each on --workers ÷ --parallel goroutines (default: as many as there are cores and runs, and as the memory holds); results do not depend on it"}
}

// pool shares the cores (--workers) among the runs at once: --parallel, or
// by default as many as the cores, the runs and the memory available (0:
// not checked) allow. It refuses what cannot fit: runs at once whose
// populations need more memory than there is. It returns the runs at once
// and each one's workers.
func pool(c *cli.Context, ss []*scenario.Scenario, runs int, avail int64) (parallel, workers int, err error) {
	cores := c.Int("workers")
	parallel = c.Int("parallel")
	if !c.IsSet("parallel") {
		parallel = max(min(cores, runs), 1)
		for _, s := range ss {
			parallel = sim.Fit(s, parallel, avail)
		}
	}
	for _, s := range ss {
		if err := sim.CheckSize(s, cores, c.Int("replicates"), min(parallel, max(runs, 1)), avail); err != nil {
			return 0, 0, usagef("%v", err)
		}
	}
	parallel = min(parallel, max(runs, 1))
	return parallel, max(cores/parallel, 1), nil
}

// terminalProgress returns a callback drawing the progress of runs runs of
// s on one line of stderr, and a function that clears it, when stderr is a
// terminal; else nils.
func terminalProgress(c *cli.Context, s *scenario.Scenario, runs int) (func(done, total int), func()) {
	if f, ok := c.App.ErrWriter.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return progress(f, s.StartYear, s.Cycle.CyclesPerYear(), runs)
	}
	return nil, nil
}

// progress returns a progress callback drawing one line on a terminal, and
// a function that clears it: the year and cycle of one run, or the share
// done of several runs at once.
func progress(w io.Writer, startYear, perYear, runs int) (func(done, total int), func()) {
	return func(done, total int) {
			if runs > 1 {
				fmt.Fprintf(w, "\r\033[K%d runs: %d%% (cycle %d of %d)", runs, 100*done/max(total, 1), done, total)
				return
			}
			fmt.Fprintf(w, "\r\033[Kyear %d: cycle %d of %d", startYear+(done-1)/perYear, done, total)
		}, func() {
			fmt.Fprint(w, "\r\033[K")
		}
}
