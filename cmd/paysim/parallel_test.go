package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim"
)

// psaSet gives a scenario two uncertain parameters, for a probabilistic
// sensitivity analysis.
const psaSet = "uncertain=[{set: choice.price_sensitivity, distribution: uniform, min: 0, max: 2}, " +
	"{set: benefit.tiers.county.inpatient.ratio, distribution: beta, mean: 0.6, sd: 0.05}]"

// jobs are a run, a PSA and a comparison, small, with the files each
// writes to --out.
var jobs = []struct {
	name  string
	args  []string
	files []string
}{
	{"run", []string{"run", "--persons", "4000", "--years", "2", "--replicates", "5", "--seed", "3"}, runFiles},
	{"psa", []string{"run", "teaching/small-county", "--persons", "2000", "--years", "2", "--replicates", "5", "--set", psaSet}, runFiles},
	{"compare", []string{"compare", "teaching/sick-sicker-strategies", "--persons", "1000", "--replicates", "5",
		"--wtp", "50000,100000", "--perspective", "payer"}, compareFiles},
	{"compare-psa-cohort", []string{"compare", "teaching/sick-sicker-strategies", "--mode", "cohort", "--replicates", "5",
		"--wtp", "100000", "--set", `uncertain=[{set: "conditions.sick-sicker.transitions.healthy->sick.prob", distribution: uniform, min: 0.1, max: 0.2}]`},
		compareFiles},
}

// The files paysim run --out and paysim compare --out write.
var (
	runFiles     = []string{"summary.json", "yearly.csv", "tiers.csv", "trace.csv", workbookName}
	compareFiles = []string{"compare.json", "compare.csv", "psa.csv", workbookName}
)

// outputs runs a command line with --out and --report and returns what it
// printed and wrote, file after file.
func outputs(t *testing.T, files []string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	files = append(files, "report.html")
	code, out, stderr := paysim(t, context.Background(), append(args, "--format", "json", "--out", dir,
		"--report", filepath.Join(dir, "report.html"), "--lang", "en")...)
	require.Equal(t, 0, code, stderr)
	var b strings.Builder
	b.WriteString(out)
	for _, f := range files {
		content, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		b.WriteString("== " + f + "\n")
		b.Write(content)
	}
	return b.String()
}

// TestParallelBytes: a run, a PSA and a comparison print and write the
// same bytes with their runs one at a time, two or three at once.
func TestParallelBytes(t *testing.T) {
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			want := outputs(t, j.files, append(j.args, "--parallel", "1", "--workers", "2")...)
			for _, p := range []string{"2", "3"} {
				got := outputs(t, j.files, append(j.args, "--parallel", p, "--workers", "2")...)
				if got != want {
					t.Errorf("%s with --parallel %s: %d bytes, differ from --parallel 1 (%d bytes)", j.name, p, len(got), len(want))
				}
			}
		})
	}
}

// TestProgressOneLine: runs at once drawing their progress keep it on one
// line, and it ends at 100%.
func TestProgressOneLine(t *testing.T) {
	var buf bytes.Buffer
	// The clock moves 50 ms a cycle: the line is drawn every other cycle.
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex // the clock is read under SharedProgress's lock; the race detector needs its own
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(50 * time.Millisecond)
		return clock
	}
	draw, clear := progress(&buf, 2025, 12, 4, now)
	p := sim.SharedProgress(draw, 4*24)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for c := range 24 {
				p(c+1, 24)
			}
		})
	}
	wg.Wait()
	out := buf.String()
	assert.NotContains(t, out, "\n")
	assert.Equal(t, 49, strings.Count(out, "\r"), "drawn every 100 ms of 96 cycles 50 ms apart, and at the end")
	assert.True(t, strings.HasSuffix(out, "\r\033[K[########################] 100%  4 runs, cycle 96 of 96 in all"), "last drawn: %q", out[max(len(out)-80, 0):])
	// 49 cycles in 2.45 s: 47 more take 2.35 s.
	assert.Contains(t, out, "\r\033[K[############............]  51%  4 runs, cycle 49 of 96 in all, 2s left\r")
	assert.Contains(t, out, "cycle 95 of 96 in all, 1s left\r", "an estimate is a second at least")
	clear()
	assert.True(t, strings.HasSuffix(buf.String(), "\r\033[K"))
}

func TestTimeLeft(t *testing.T) {
	for _, tc := range []struct {
		elapsed     time.Duration
		done, total int
		want        string
	}{
		{10 * time.Second, 25, 100, ", 30s left"},   // 10 s for a quarter: 3 × 10 s to go
		{50 * time.Second, 10, 100, ", 7m30s left"}, // 50 s a tenth: 9 × 50 s = 450 s
		{500 * time.Millisecond, 50, 100, ""},       // not a second yet
		{10 * time.Second, 1, 100, ""},              // not 2% yet
		{10 * time.Second, 100, 100, ""},            // done
	} {
		if got := timeLeft(tc.elapsed, tc.done, tc.total); got != tc.want {
			t.Errorf("timeLeft(%v, %d, %d) = %q, want %q", tc.elapsed, tc.done, tc.total, got, tc.want)
		}
	}
}

// TestParallelMemory: runs at once are refused when together they need
// more memory than there is, and by default only as many run at once as
// fit.
func TestParallelMemory(t *testing.T) {
	code, _, stderr := paysim(t, context.Background(), "run", "--persons", "1000", "--years", "1", "--parallel", "0")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--parallel 0: want 1 to")

	s, err := loadScenario("", []string{"population.size=10000000"})
	require.NoError(t, err)
	need, _, _ := sim.Memory(s)
	avail := availableMemory()
	if avail == 0 || avail >= 64*need {
		t.Skipf("%d bytes available hold 64 runs of 10 million persons: nothing to refuse", avail)
	}
	code, _, stderr = paysim(t, context.Background(), "run", "--persons", "10000000", "--replicates", "64", "--parallel", "64", "--workers", "2")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "64 runs at once")
	assert.Contains(t, stderr, "want --parallel")
}

// shards runs a job's shards, in the order given, into one folder and
// returns it.
func shards(t *testing.T, args []string, n int, order ...int) string {
	t.Helper()
	dir := t.TempDir()
	for _, i := range order {
		code, _, stderr := paysim(t, context.Background(), append(args, "--shard", fmt.Sprintf("%d/%d", i, n), "--out", dir)...)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, fmt.Sprintf("shard %d/%d: ", i, n))
	}
	return dir
}

// TestShardMerge: a run, a PSA and a comparison split into shards and
// merged print and write the bytes the whole run does, whether the shards
// are fewer than the replicates or more (some of them empty), whatever the
// order of the parts, given as files or as their folder.
func TestShardMerge(t *testing.T) {
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			want := outputs(t, j.files, j.args...)
			for _, n := range []int{1, 2, 7} {
				var order []int
				for i := n - 1; i >= 0; i-- {
					order = append(order, i)
				}
				dir := shards(t, j.args, n, order...)
				if got := outputs(t, j.files, "merge", dir); got != want {
					t.Errorf("%s in %d shards merged from their folder: %d bytes, differ from the whole run's %d", j.name, n, len(got), len(want))
				}
				parts, err := filepath.Glob(filepath.Join(dir, "part-*.json"))
				require.NoError(t, err)
				require.Len(t, parts, n)
				if got := outputs(t, j.files, append([]string{"merge"}, parts...)...); got != want {
					t.Errorf("%s in %d shards merged from their files: differ from the whole run", j.name, n)
				}
			}
		})
	}
}

// TestMergeRefuses: parts that are not every shard of one job, each once,
// are refused with what is wrong, and nothing is written.
func TestMergeRefuses(t *testing.T) {
	args := []string{"run", "--persons", "1000", "--years", "1", "--replicates", "3"}
	dir := shards(t, args, 3, 0, 1, 2)
	part := func(i int) string { return filepath.Join(dir, fmt.Sprintf("part-%d-of-3.json", i)) }
	other := shards(t, []string{"run", "--persons", "1000", "--years", "1", "--replicates", "3", "--seed", "9"}, 3, 1)
	notPart := filepath.Join(t.TempDir(), "summary.json")
	require.NoError(t, os.WriteFile(notPart, []byte(`{"schema": "paysim.summary/v1"}`), 0o644))
	garbage := filepath.Join(t.TempDir(), "part-0-of-1.json")
	require.NoError(t, os.WriteFile(garbage, []byte(`{"schema": "paysim.part/v1", "shard": "first"}`), 0o644))
	cmp := shards(t, []string{"compare", "teaching/sick-sicker-strategies", "--persons", "200", "--replicates", "2"}, 2, 0)

	for _, c := range []struct {
		parts []string
		want  string
	}{
		{[]string{part(0), part(2)}, "shards [1] of 3 are missing"},
		{[]string{part(0), part(1), part(1), part(2)}, "shard 1/3 is given twice"},
		{[]string{part(0), filepath.Join(other, "part-1-of-3.json"), part(2)}, "is of another job"},
		{[]string{notPart}, `schema "paysim.summary/v1"; want "paysim.part/v1"`},
		{[]string{garbage}, "not a paysim part file"},
		{[]string{t.TempDir()}, "no part-*-of-*.json in the folder"},
		{[]string{filepath.Join(dir, "nothing.json")}, "no such file"},
		{[]string{part(0), filepath.Join(cmp, "part-0-of-2.json")}, "is of another job"},
		{[]string{filepath.Join(cmp, "part-0-of-2.json")}, "shards [1] of 2 are missing"},
	} {
		out := t.TempDir()
		code, stdout, stderr := paysim(t, context.Background(), append(append([]string{"merge"}, c.parts...), "--out", out)...)
		assert.Equal(t, 2, code, "merge %v: %s", c.parts, stderr)
		assert.Contains(t, stderr, c.want, "merge %v", c.parts)
		assert.Empty(t, stdout)
		entries, err := os.ReadDir(out)
		require.NoError(t, err)
		assert.Empty(t, entries, "merge %v wrote files", c.parts)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--shard", "3/3", "--out", dir}, "--shard \"3/3\": want I/N with 0 ≤ I < N"},
		{[]string{"run", "--shard", "1", "--out", dir}, "want I/N"},
		{[]string{"run", "--shard", "0/2"}, "--shard needs --out DIR"},
		{[]string{"run", "--shard", "0/2", "--out", dir, "--junit", "x.xml"}, "--junit and --report with --shard"},
		{[]string{"compare", "teaching/sick-sicker-strategies", "--shard", "0/2", "--out", dir, "--report", "r.html"}, "--report with --shard"},
		{[]string{"compare", "teaching/sick-sicker-strategies", "--shard", "-1/2", "--out", dir}, "want I/N"},
		{[]string{"merge"}, "merge needs the parts"},
	} {
		code, _, stderr := paysim(t, context.Background(), c.args...)
		assert.Equal(t, 2, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
	}
}
