package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

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

// outputs runs a command line with --out and returns what it printed and
// wrote, file after file.
func outputs(t *testing.T, files []string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	code, out, stderr := paysim(t, context.Background(), append(args, "--format", "json", "--out", dir)...)
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
	draw, clear := progress(&buf, 2025, 12, 4)
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
	assert.True(t, strings.HasSuffix(out, "\r\033[K4 runs: 100% (cycle 96 of 96)"), "last drawn: %q", out[max(len(out)-60, 0):])
	clear()
	assert.True(t, strings.HasSuffix(buf.String(), "\r\033[K"))
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
