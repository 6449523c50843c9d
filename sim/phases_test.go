package sim

import (
	"bytes"
	"context"
	"io/fs"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
)

// phaseFS is the library with the files of files added.
func phaseFS(t *testing.T, files map[string]string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(scenarios.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(scenarios.FS, path)
		m[path] = &fstest.MapFile{Data: data}
		return err
	}))
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// TestPhaseOfTheSameRules: a phase whose scenario is the run's own changes
// nothing — the persons, the fund and the streams run on through the
// switch — whatever the workers.
func TestPhaseOfTheSameRules(t *testing.T) {
	sets := []string{"population.size=20000", "years=3", "responses.enabled=true"}
	for _, name := range []string{"county-ffs", "county-drg", "county-dip", "county-global-budget", "loose-consortium"} {
		fsys := phaseFS(t, map[string]string{
			"phased.yaml": "extends: " + name + ".yaml\nphases: [{year: 2026, scenario: same.yaml}]\n",
			"same.yaml":   "extends: " + name + ".yaml\n",
		})
		phased, err := scenario.LoadFS(fsys, "phased.yaml", sets)
		require.NoError(t, err)
		plain, err := scenario.LoadFS(fsys, name+".yaml", sets)
		require.NoError(t, err)
		want := summaryJSON(t, plain, 2)
		for _, w := range []int{1, 3} {
			// The summary names the phase; everything else is the same.
			sum, err := Run(context.Background(), phased, Options{Seed: phased.Seed, Workers: w})
			require.NoError(t, err)
			require.Len(t, sum.Phases, 1)
			sum.Phases = nil
			var got bytes.Buffer
			require.NoError(t, report.WriteJSON(&got, sum))
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s: a phase of the same rules, %d workers: the summary differs from the run without it", name, w)
			}
		}
	}
}

// TestLuojiangCasePhases: the case runs the status quo in 2023 — the same
// year as luojiang-2023's — and the reform from 2024: prevention effort,
// and the global budget's account.
func TestLuojiangCasePhases(t *testing.T) {
	sets := []string{"population.size=20000"}
	load := func(name string) *scenario.Scenario {
		s, err := scenario.LoadFS(scenarios.FS, name, sets)
		require.NoError(t, err)
		return s
	}
	caseRun, err := Run(context.Background(), load("luojiang-case.yaml"), Options{Seed: 1, Workers: 2})
	require.NoError(t, err)
	before, err := Run(context.Background(), load("luojiang-2023.yaml"), Options{Seed: 1, Workers: 2})
	require.NoError(t, err)
	a, b := caseRun.Yearly[0], before.Yearly[0]
	assert.Equal(t, b.Fund, a.Fund, "2023: the case's fund differs from the status quo's")
	assert.Equal(t, b.Cost, a.Cost, "2023: the case's cost differs from the status quo's")
	assert.Equal(t, b.Health, a.Health, "2023: the case's health differs from the status quo's")
	if e := caseRun.Yearly[0].Responses.PreventionEffort; e != 0 {
		t.Errorf("2023: prevention effort %v under fee-for-service; want 0", e)
	}
	if e := caseRun.Yearly[1].Responses.PreventionEffort; e <= 0.5 {
		t.Errorf("2024: prevention effort %v under the reform; want more than 0.5", e)
	}
	if caseRun.Yearly[0].Payment.Budget != nil || caseRun.Yearly[1].Payment.Budget == nil {
		t.Fatalf("the budget's account: %v in 2023, %v in 2024; want none, then one", caseRun.Yearly[0].Payment.Budget, caseRun.Yearly[1].Payment.Budget)
	}
	// The budget begun in 2024 is based on what the fund paid for care in
	// 2023 per enrollee at its start (20,000), before the 5% risk reserve,
	// grown 3%: b = care ÷ 20,000 ÷ 0.95 × 1.03.
	care := caseRun.Yearly[0].Cost.FundPaid
	if got, want := caseRun.Yearly[1].Payment.Budget.PerCapita, care/20000/0.95*1.03; math.Abs(got-want) > 1e-9*want {
		t.Errorf("2024's per-capita base × growth %v; want 2023's care %v ÷ 20,000 ÷ 0.95 × 1.03 = %v", got, care, want)
	}
}

// TestPhaseRefusals: a phase of another county, of another fund, or with
// phases of its own is refused where it is named.
func TestPhaseRefusals(t *testing.T) {
	fsys := phaseFS(t, map[string]string{
		"bigger.yaml": "extends: county-ffs.yaml\nphases: [{year: 2026, scenario: other.yaml}]\n",
		"other.yaml":  "extends: county-ffs.yaml\npopulation: {size: 1000}\nfund: {individual: 1}\n",
		"nested.yaml": "extends: county-ffs.yaml\nphases: [{year: 2026, scenario: phased.yaml}]\n",
		"phased.yaml": "extends: county-ffs.yaml\nphases: [{year: 2027, scenario: county-ffs.yaml}]\n",
		"early.yaml":  "extends: county-ffs.yaml\nphases: [{year: 2025, scenario: county-ffs.yaml}]\n",
	})
	for name, want := range map[string][]string{
		"bigger.yaml": {"bigger.yaml:2:", "phases[0].scenario: other.yaml differs in population, fund; a phase changes rules, not the county or its fund"},
		"nested.yaml": {"phases[0].scenario: phased.yaml has phases of its own"},
		"early.yaml":  {"phases[0].year: 2025 is not a year whose start the run reaches from a year before, 2026 to 2029"},
	} {
		_, err := scenario.LoadFS(fsys, name, nil)
		require.Error(t, err, name)
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v; want it to contain %q", name, err, w)
			}
		}
	}
}

// TestPhaseCostCategories: a phase whose states cost in a category the run
// had not (nursing, from the third year) adds it to the summary's
// categories, after the run's own, and every total is still exactly the sum
// of its categories, in one run and in the mean of two.
func TestPhaseCostCategories(t *testing.T) {
	fsys := phaseFS(t, map[string]string{
		"teaching/phased.yaml":  "extends: hiv-briggs.yaml\nphases: [{year: 3, scenario: nursing.yaml}]\n",
		"teaching/nursing.yaml": "extends: hiv-briggs.yaml\nconditions: [{name: hiv, states: [{name: C, cost: {medical: 9007, drug: 2278, nursing: 1500}}]}]\n",
	})
	s, err := scenario.LoadFS(fsys, "teaching/phased.yaml", []string{"population.size=2000"})
	require.NoError(t, err)
	for _, n := range []int{1, 2} {
		sum, err := RunReplicates(context.Background(), s, Options{Seed: 1, Workers: 2}, n)
		require.NoError(t, err)
		require.Equal(t, []string{"medical", "drug", "nursing"}, sum.CostCategories)
		for _, d := range []report.Discounted{sum.Overall.Discounted, sum.Overall.Undiscounted, sum.Overall.PerPerson, sum.Overall.PerPersonUndiscounted} {
			total := 0.0
			for _, name := range sum.CostCategories {
				total += d.StateCostsBy[name]
			}
			assert.Equal(t, d.StateCosts, total, "%d replicates: the total of %v", n, d.StateCostsBy)
			assert.Positive(t, d.StateCostsBy["nursing"], "%d replicates: nursing", n)
		}
	}
}

// TestPhaseContinuesCoding: a plan that comes into force in a later year
// (a phase) continues the coding drift of the plan before it instead of
// the drift it would have reached on its own: after a plan that coded
// nothing heavier, its first year codes as a plan's first year does.
func TestPhaseContinuesCoding(t *testing.T) {
	s := loadResponses(t, "county-drg.yaml", "responses.enabled=true")
	w, err := Compile(s)
	require.NoError(t, err)
	plan := w.Plan
	require.NotNil(t, plan.Coding, "county-drg's hospitals code heavier")
	cont := plan.Continuing(&respond.Plan{}, 2)
	cpy := w.Model.CyclesPerYear
	drifting := false
	for p := range w.Model.NProv {
		first, third := plan.Coding.At(0, p), plan.Coding.At(2*cpy, p)
		if first == 1 {
			continue
		}
		drifting = true
		if got := cont.Coding.At(2*cpy, p); got != first {
			t.Errorf("%s: begun in the third year, coding %v; want the first year's %v, not the third's %v", w.Model.ProvNames[p], got, first, third)
		}
		if got := cont.Coding.At(cpy, p); got != 1 {
			t.Errorf("%s: in the second year, before the plan, coding %v; want 1", w.Model.ProvNames[p], got)
		}
	}
	assert.True(t, drifting, "some provider codes heavier")
}
