package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

// parallelFlag is --parallel, of the commands that run replicates.
func parallelFlag() cli.Flag {
	return &cli.IntFlag{Name: "parallel", Usage: "runs at once (replicates, PSA draws, compared scenarios), each on --workers ÷ --parallel goroutines (default: as many as there are cores and runs, and as the memory holds); results do not depend on it"}
}

// shardFlag is --shard, of the commands whose replicates can be split
// among machines.
func shardFlag() cli.Flag {
	return &cli.StringFlag{Name: "shard", Usage: "run only shard `I/N` of the replicates (0 ≤ I < N; N contiguous blocks) and write its part to --out DIR, for paysim merge"}
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
		return progress(f, s.StartYear, s.Cycle.CyclesPerYear(), runs, time.Now)
	}
	return nil, nil
}

// progressWidth is the number of cells of the progress bar.
const progressWidth = 24

// progressEvery is how often the progress line is drawn again, at most.
const progressEvery = 100 * time.Millisecond

// progress returns a progress callback drawing one line on a terminal, and
// a function that clears it: a bar of the cycles done of all the runs (the
// replicates of a run, every scenario's of a compare), the share done, the
// year of a single run or the number of runs, and an estimate of the time
// left from the pace so far. It draws at most every progressEvery, and the
// last cycle always. now is the clock.
func progress(w io.Writer, startYear, perYear, runs int, now func() time.Time) (func(done, total int), func()) {
	start := now()
	var last time.Time
	return func(done, total int) {
			t := now()
			if done < total && t.Sub(last) < progressEvery {
				return
			}
			last = t
			total = max(total, 1)
			filled := progressWidth * done / total
			bar := strings.Repeat("#", filled) + strings.Repeat(".", progressWidth-filled)
			what := fmt.Sprintf("year %d, cycle %d of %d", startYear+(max(done, 1)-1)/perYear, done, total)
			if runs > 1 {
				what = fmt.Sprintf("%d runs, cycle %d of %d in all", runs, done, total)
			}
			fmt.Fprintf(w, "\r\033[K[%s] %3d%%  %s%s", bar, 100*done/total, what, timeLeft(t.Sub(start), done, total))
		}, func() {
			fmt.Fprint(w, "\r\033[K")
		}
}

// timeLeft estimates the time the remaining cycles take at the pace of
// those done in elapsed: ", 1m05s left"; "" before there is a pace to go
// by (a second, or 2% of the cycles) and at the end; a second at least.
func timeLeft(elapsed time.Duration, done, total int) string {
	if done >= total || elapsed < time.Second || 50*done < total {
		return ""
	}
	left := max(time.Duration(float64(elapsed)*float64(total-done)/float64(done)).Round(time.Second), time.Second)
	if left >= time.Minute {
		return fmt.Sprintf(", %dm%02ds left", int(left.Minutes()), int(left.Seconds())%60)
	}
	return fmt.Sprintf(", %ds left", int(left.Seconds()))
}

// parseShard reads --shard I/N; without it, the whole job is one shard.
func parseShard(c *cli.Context) (study.Shard, bool, error) {
	v := c.String("shard")
	if v == "" {
		return study.Shard{I: 0, N: 1}, false, nil
	}
	i, n, ok := strings.Cut(v, "/")
	si, err1 := strconv.Atoi(strings.TrimSpace(i))
	sn, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || sn < 1 || sn > sim.MaxReplicates || si < 0 || si >= sn {
		return study.Shard{}, false, usagef("--shard %q: want I/N with 0 ≤ I < N ≤ %d, e.g. --shard 0/4 for the first of four shards", v, sim.MaxReplicates)
	}
	if c.String("out") == "" {
		return study.Shard{}, false, usagef("--shard needs --out DIR, the folder to write the shard's part to")
	}
	return study.Shard{I: si, N: sn}, true, nil
}

// build is the revision paysim was built from, "-modified" when its tree
// had changes; "" when unknown (a test binary).
func build() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, modified := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" && modified {
		rev += "-modified"
	}
	return rev
}

// partName is the file of shard sh's part in its --out folder.
func partName(sh study.Shard) string { return fmt.Sprintf("part-%d-of-%d.json", sh.I, sh.N) }

// writePart writes a shard's part to dir and says so on stderr.
func writePart(c *cli.Context, dir string, p *study.Part, lo, hi int) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	name := partName(study.Shard{I: p.Shard, N: p.Shards})
	if err := writeFiles(dir, map[string]*bytes.Buffer{name: bytes.NewBuffer(append(b, '\n'))}, []string{name}); err != nil {
		return fmt.Errorf("writing %s: %w", dir, err)
	}
	what := fmt.Sprintf("replicates %d to %d", lo, hi-1)
	switch {
	case hi <= lo:
		what = "no replicate"
	case hi == lo+1:
		what = fmt.Sprintf("replicate %d", lo)
	}
	fmt.Fprintf(c.App.ErrWriter, "shard %d/%d: %s of %d in %s\n", p.Shard, p.Shards, what, p.Job.Replicates, filepath.Join(dir, name))
	return nil
}
