package sim

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// goldenPersons is the population of the library's golden runs: small
// enough to run every scenario in a second, large enough that every rule,
// response and settlement books something.
const goldenPersons = "population.size=3000"

// TestGoldenLibrary compares summary.json of every library scenario, run at
// a small population, with testdata/golden/library; the four county
// scenarios are run with responses switched on as well, so that every
// payment method's margin is guarded. go test ./sim -update rewrites them
// (review the diff).
func TestGoldenLibrary(t *testing.T) {
	type run struct {
		name, file string
		sets       []string
	}
	var runs []run
	err := fs.WalkDir(scenarios.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		name := strings.ReplaceAll(strings.TrimSuffix(path, ".yaml"), "/", "_")
		runs = append(runs, run{name, path, []string{goldenPersons}})
		if strings.HasPrefix(path, "county-") {
			runs = append(runs, run{name + ".responses", path, []string{goldenPersons, "responses.enabled=true"}})
		}
		return nil
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(runs), 13, "library scenarios")
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			s, err := scenario.LoadFS(scenarios.FS, r.file, r.sets)
			require.NoError(t, err)
			golden(t, filepath.Join("..", "testdata", "golden", "library", r.name+".summary.json"), summaryJSON(t, s, 2))
		})
	}
}

// TestGoldenCohort compares summary.json and trace.csv of teaching models
// run as cohorts with testdata/golden/cohort: the textbook four-state model,
// and heart-kidney, which uses every modifier a cohort computes. go test
// ./sim -update rewrites them (review the diff).
func TestGoldenCohort(t *testing.T) {
	for _, name := range []string{"markov-4state", "heart-kidney"} {
		t.Run(name, func(t *testing.T) {
			s, err := scenario.LoadFS(scenarios.FS, "teaching/"+name+".yaml", nil)
			require.NoError(t, err)
			sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Mode: Cohort})
			require.NoError(t, err)
			var js, trace bytes.Buffer
			require.NoError(t, report.WriteJSON(&js, sum))
			require.NoError(t, report.WriteTraceCSV(&trace, sum))
			dir := filepath.Join("..", "testdata", "golden", "cohort")
			golden(t, filepath.Join(dir, name+".summary.json"), js.Bytes())
			golden(t, filepath.Join(dir, name+".trace.csv"), trace.Bytes())
		})
	}
}

// golden compares got with the golden file at path, after rewriting it
// with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file; run go test ./sim -update")
	if !bytes.Equal(got, want) {
		t.Errorf("the output differs from %s; if the change is intended, run go test ./sim -update and review the diff", path)
	}
}

// reverseMappings reverses the order of the keys of every mapping below n.
func reverseMappings(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		c := n.Content
		for i, j := 0, len(c)-2; i < j; i, j = i+2, j-2 {
			c[i], c[i+1], c[j], c[j+1] = c[j], c[j+1], c[i], c[i+1]
		}
	}
	for _, e := range n.Content {
		reverseMappings(e)
	}
}

// TestMappingOrderIrrelevant: a scenario whose mappings list their keys in
// the reverse order gives byte-identical results: what a scenario says, not
// how it is laid out, decides the run.
func TestMappingOrderIrrelevant(t *testing.T) {
	src, err := fs.ReadFile(scenarios.FS, scenarios.Default)
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(src, &doc))
	reverseMappings(&doc)
	reversed, err := yaml.Marshal(&doc)
	require.NoError(t, err)
	require.NotEqual(t, src, reversed)
	sets := []string{"population.size=4000", "years=2"}
	a, err := scenario.Parse(scenarios.Default, src, sets)
	require.NoError(t, err)
	b, err := scenario.Parse("reversed.yaml", reversed, sets)
	require.NoError(t, err, "the reversed scenario:\n%s", reversed)
	if !bytes.Equal(summaryJSON(t, a, 2), summaryJSON(t, b, 2)) {
		t.Error("county-ffs with every mapping's keys reversed gives another summary")
	}
}
