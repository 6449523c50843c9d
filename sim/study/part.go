package study

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/paysim/paysim/sim/report"
)

// PartSchema names the version of a part file; see docs/output.md.
const PartSchema = "paysim.part/v1"

// Shard is shard I of N of a job's replicates, 0 ≤ I < N: the I-th of N
// contiguous blocks of replicates of nearly equal size.
type Shard struct{ I, N int }

// Range is the block of n replicates that belongs to the shard: replicates
// lo to hi−1, counted from the job's first. The blocks of shards 0 to N−1
// follow one another and cover 0 to n−1; their sizes differ by at most one,
// and some are empty when n < N.
func (sh Shard) Range(n int) (lo, hi int) {
	return int(int64(n) * int64(sh.I) / int64(sh.N)), int(int64(n) * int64(sh.I+1) / int64(sh.N))
}

// Job is what every part of one job shares: the command that made it and
// the build that ran it. Parts of different jobs are never merged.
type Job struct {
	Command     string    `json:"command"` // run or compare
	Args        []string  `json:"args"`    // the scenarios as the command line named them
	Sets        []string  `json:"sets"`    // --set values, --years and --persons, in order
	Seed        uint64    `json:"seed"`
	Replicates  int       `json:"replicates"`
	Mode        string    `json:"mode"`                  // --mode
	Perspective string    `json:"perspective,omitempty"` // compare's --perspective
	WTP         []float64 `json:"wtp,omitempty"`         // compare's --wtp
	Build       string    `json:"build,omitempty"`       // the revision paysim was built from, when known
}

// Part is one shard's result: what its replicates leave for the merge, in
// replicate order. A run's part holds each replicate's summary and trace;
// a comparison's part holds what Compare keeps of each replicate of each
// scenario; either holds, in a probabilistic sensitivity analysis, each
// replicate's draws.
type Part struct {
	Schema string `json:"schema"`
	Job    Job    `json:"job"`
	Shard  int    `json:"shard"`
	Shards int    `json:"shards"`
	First  int    `json:"first"` // the first replicate of the part, counted from the job's first

	Summaries []*report.Summary `json:"summaries,omitempty"` // run
	// Traces are the summaries' Markov traces (trace.csv), which a
	// summary's JSON leaves out; NewRunPart and MergeRun keep them.
	Traces []report.Trace `json:"traces,omitempty"`
	Draws  *report.Draws  `json:"draws,omitempty"` // of a scenario with uncertain parameters

	Compare *CompareHead   `json:"compare,omitempty"` // compare
	Runs    [][]CompareRun `json:"runs,omitempty"`    // compare: Runs[r][k] replicate First+r of scenario k

	// Name is where the part was read from, for errors; "part N" (its
	// place among the parts merged) when empty.
	Name string `json:"-"`
}

// NewRunPart is shard sh of a run of job: the summaries of its replicates
// from lo on, in order, with their traces, and their draws (nil without
// uncertain parameters).
func NewRunPart(job Job, sh Shard, lo int, sums []*report.Summary, draws *report.Draws) *Part {
	p := &Part{Schema: PartSchema, Job: job, Shard: sh.I, Shards: sh.N, First: lo, Summaries: sums, Draws: draws}
	for _, s := range sums {
		p.Traces = append(p.Traces, s.Trace)
	}
	return p
}

// NewComparePart is shard sh of a comparison of job: what Compare keeps of
// its replicates from lo on, in order, and their draws (nil without
// uncertain parameters).
func NewComparePart(job Job, sh Shard, lo int, head CompareHead, runs [][]CompareRun, draws *report.Draws) *Part {
	return &Part{Schema: PartSchema, Job: job, Shard: sh.I, Shards: sh.N, First: lo, Compare: &head, Runs: runs, Draws: draws}
}

// name is the part's name in errors, i its index among the parts merged.
func (p *Part) name(i int) string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprintf("part %d", i+1)
}

// size is the number of replicates the part holds.
func (p *Part) size() int {
	if p.Job.Command == "compare" {
		return len(p.Runs)
	}
	return len(p.Summaries)
}

// Order checks that parts are the shards of one job, each once, and
// returns them in shard order; the error names the first part that does
// not fit by its index in parts.
func Order(parts []*Part) ([]*Part, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no parts to merge")
	}
	p0 := parts[0]
	if p0.Shards < 1 {
		return nil, fmt.Errorf("%s: %d shards; want at least 1", p0.name(0), p0.Shards)
	}
	byShard := make([]*Part, p0.Shards)
	for i, p := range parts {
		switch {
		case p.Schema != PartSchema:
			return nil, fmt.Errorf("%s: schema %q; want %q", p.name(i), p.Schema, PartSchema)
		case !reflect.DeepEqual(p.Job, p0.Job) || p.Shards != p0.Shards:
			return nil, fmt.Errorf("%s is of another job than %s (%s, %d shards vs %s, %d shards); want the parts of one job",
				p.name(i), p0.name(0), describe(p.Job), p.Shards, describe(p0.Job), p0.Shards)
		case p.Shard < 0 || p.Shard >= p.Shards:
			return nil, fmt.Errorf("%s: shard %d of %d; want 0 to %d", p.name(i), p.Shard, p.Shards, p.Shards-1)
		case byShard[p.Shard] != nil:
			return nil, fmt.Errorf("%s: shard %d/%d is given twice (%s)", p.name(i), p.Shard, p.Shards, byShard[p.Shard].name(slices.Index(parts, byShard[p.Shard])))
		}
		lo, hi := Shard{p.Shard, p.Shards}.Range(p.Job.Replicates)
		if p.First != lo || p.size() != hi-lo {
			return nil, fmt.Errorf("%s: shard %d/%d holds replicates %d to %d; want %d to %d of %d",
				p.name(i), p.Shard, p.Shards, p.First, p.First+p.size()-1, lo, hi-1, p.Job.Replicates)
		}
		if p.Draws != nil && len(p.Draws.Values) != p.size() {
			return nil, fmt.Errorf("%s: %d draws for %d replicates", p.name(i), len(p.Draws.Values), p.size())
		}
		if p.Job.Command == "run" && len(p.Traces) != p.size() {
			return nil, fmt.Errorf("%s: %d traces for %d replicates", p.name(i), len(p.Traces), p.size())
		}
		if (p.Draws == nil) != (p0.Draws == nil) {
			return nil, fmt.Errorf("%s has draws and %s not, or the other way round; want the parts of one job", p.name(i), p0.name(0))
		}
		byShard[p.Shard] = p
	}
	var missing []int
	for i, p := range byShard {
		if p == nil {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %v of %d are missing; want every shard of the job", missing, p0.Shards)
	}
	return byShard, nil
}

func describe(j Job) string {
	return fmt.Sprintf("%s %v, sets %v, seed %d, %d replicates, build %q", j.Command, j.Args, j.Sets, j.Seed, j.Replicates, j.Build)
}

// MergeRun merges the parts of a run into the summary the whole run gives
// (sim.RunReplicates, or RunUncertain when the parts carry draws).
func MergeRun(parts []*Part) (*report.Summary, error) {
	parts, err := Order(parts)
	if err != nil {
		return nil, err
	}
	if parts[0].Job.Command != "run" {
		return nil, fmt.Errorf("parts of %s; want a run's", parts[0].Job.Command)
	}
	var reps []*report.Summary
	for _, p := range parts {
		for i, s := range p.Summaries {
			if s == nil {
				return nil, fmt.Errorf("shard %d/%d: replicate %d has no summary", p.Shard, p.Shards, p.First+i)
			}
			s.Trace = p.Traces[i]
			reps = append(reps, s)
		}
	}
	sum, err := report.Merge(reps)
	if err != nil {
		return nil, err
	}
	d, err := mergeDraws(parts)
	if err != nil {
		return nil, err
	}
	if d != nil {
		sum.Draws = d // a PSA's merged means are not checked, as RunUncertain's are not
		return sum, nil
	}
	if path, x := report.NonFinite(sum); path != "" {
		return nil, fmt.Errorf("the merged %s is %v: the amounts overflow what a run can add up", path, x)
	}
	return sum, nil
}

// MergeCompare merges the parts of a comparison into the comparison the
// whole run gives (Compare).
func MergeCompare(parts []*Part) (*Comparison, error) {
	parts, err := Order(parts)
	if err != nil {
		return nil, err
	}
	if parts[0].Job.Command != "compare" || parts[0].Compare == nil {
		return nil, fmt.Errorf("parts of %s; want a comparison's", parts[0].Job.Command)
	}
	if n := len(parts[0].Compare.Scenarios); n < 2 {
		return nil, fmt.Errorf("parts of a comparison of %d scenarios; want at least two", n)
	}
	draws, err := mergeDraws(parts)
	if err != nil {
		return nil, err
	}
	var runs [][]CompareRun
	for _, p := range parts {
		if !reflect.DeepEqual(p.Compare, parts[0].Compare) {
			return nil, fmt.Errorf("shard %d/%d compares %v; want %v", p.Shard, p.Shards, p.Compare.Scenarios, parts[0].Compare.Scenarios)
		}
		for _, r := range p.Runs {
			if len(r) != len(p.Compare.Scenarios) {
				return nil, fmt.Errorf("shard %d/%d: a replicate of %d scenarios; want %d", p.Shard, p.Shards, len(r), len(p.Compare.Scenarios))
			}
			for _, run := range r {
				if len(run.Figures) != len(compareFigures) {
					return nil, fmt.Errorf("shard %d/%d: %d figures of a run; want %d", p.Shard, p.Shards, len(run.Figures), len(compareFigures))
				}
				for _, ys := range run.Figures {
					if len(ys) != p.Compare.Years {
						return nil, fmt.Errorf("shard %d/%d: a figure of %d years; want %d", p.Shard, p.Shards, len(ys), p.Compare.Years)
					}
				}
			}
		}
		runs = append(runs, p.Runs...)
	}
	return Assemble(*parts[0].Compare, runs, draws), nil
}

// mergeDraws puts the draws of parts in shard order together: nil when
// they have none.
func mergeDraws(parts []*Part) (*report.Draws, error) {
	d0 := parts[0].Draws
	if d0 == nil {
		return nil, nil
	}
	d := &report.Draws{Paths: d0.Paths}
	for _, p := range parts {
		if !slices.Equal(p.Draws.Paths, d0.Paths) {
			return nil, fmt.Errorf("shard %d/%d draws %v; want %v", p.Shard, p.Shards, p.Draws.Paths, d0.Paths)
		}
		d.Values = append(d.Values, p.Draws.Values...)
	}
	return d, nil
}
