package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/paysim/paysim/sim/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// paysim runs the command line and returns its exit code, stdout and stderr.
func paysim(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, append([]string{"paysim"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunDefaultTable(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "run", "--persons", "3000", "--years", "2")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"county-ffs: 3,000 persons, 2025–2026, monthly cycle, seed 20250101, provider responses off\n", "payout per enrollee", "in-county admission share", "hypertension control rate"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, stderr, "cycle", "no progress on stderr when it is not a terminal")
}

func TestRunJSONAndOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, stderr := paysim(t, context.Background(), "run", "--persons", "2000", "--years", "2", "--seed", "7", "--format", "json", "--out", dir)
	require.Equal(t, 0, code, stderr)
	var sum struct {
		Schema  string `json:"schema"`
		Seed    uint64 `json:"seed"`
		Persons int    `json:"persons"`
		Yearly  []struct {
			Year int `json:"year"`
			Fund struct {
				ReserveMonths *float64 `json:"reserve_months"`
			} `json:"fund"`
		} `json:"yearly"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.Equal(t, "paysim.summary/v1", sum.Schema)
	assert.Equal(t, uint64(7), sum.Seed)
	assert.Equal(t, 2000, sum.Persons)
	assert.Len(t, sum.Yearly, 2)
	written, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	assert.Equal(t, out, string(written), "--out summary.json is what --format json prints")
	for _, f := range []string{"yearly.csv", "tiers.csv", "trace.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Greater(t, strings.Count(string(b), "\n"), 2, f)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 5, "summary.json, yearly.csv, tiers.csv, trace.csv, results.xlsx and no temporary file left behind")
}

func TestFlagsAfterScenario(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "run", "teaching/markov-4state", "--persons", "500", "--years=3")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "markov-4state: 500 persons, 1–3")
}

func TestRunCSV(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "run", "--persons", "1000", "--years", "3", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, 4, "a header and one row per year")
	assert.True(t, strings.HasPrefix(lines[0], "year,enrollees,income,payout,balance,reserve_months"))
}

func TestInterruptedRunWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, _ := paysim(t, ctx, "run", "--persons", "1000", "--out", dir)
	assert.Equal(t, 130, code)
	_, err := os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "an interrupted run creates no output folder")
}

func TestExitCodes(t *testing.T) {
	bad := filepath.Join("..", "..", "testdata", "bad")
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"help", []string{"--help"}, 0, ""},
		{"unknown flag", []string{"run", "--nope"}, 2, "flag provided but not defined"},
		{"bad format", []string{"run", "--format", "xml"}, 2, "want table, json or csv"},
		{"no such scenario", []string{"run", "no-such-county"}, 2, "no scenario file or built-in scenario"},
		{"bad --set", []string{"run", "--set", "population.size=-4"}, 2, "--set"},
		{"validate without files", []string{"validate"}, 2, "at least one FILE"},
		{"validate a bad file", []string{"validate", filepath.Join(bad, "unknown_key.yaml")}, 2, "unknown_key.yaml:"},
		{"unknown command", []string{"frobnicate"}, 2, "no command"},
		{"misspelt command", []string{"compre", "a", "b"}, 2, `no command "compre"; see paysim --help; did you mean compare?`},
		{"misspelt flag", []string{"run", "--persns", "3"}, 2, "flag provided but not defined: -persns; did you mean --persons?"},
		{"misspelt scenario", []string{"run", "contry-ffs"}, 2, `built-in scenario "contry-ffs" (see paysim scenarios); did you mean county-ffs?`},
		{"misspelt built-in to show", []string{"show", "teaching/markov-4stat"}, 2, "did you mean teaching/markov-4state?"},
		{"misspelt key", []string{"validate", filepath.Join(bad, "unknown_key.yaml")}, 2, `unknown_key.yaml:5:5: unknown key "capabilty" in tiers[2]; want one of name, primary, in_county, outpatient, visit_charges, bed_day_charges, cost_to_charge, capability, constants; did you mean "capability"?`},
	}
	for _, c := range cases {
		code, _, stderr := paysim(t, context.Background(), c.args...)
		assert.Equal(t, c.code, code, "%s: exit code (stderr %q)", c.name, stderr)
		assert.Contains(t, stderr, c.msg, c.name)
	}
}

func TestValidateLibrary(t *testing.T) {
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "..", "scenarios"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, files)
	code, out, stderr := paysim(t, context.Background(), append([]string{"validate"}, files...)...)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, len(files), strings.Count(out, ": ok"))
}

// TestValidateBadFiles: every file of testdata/bad fails validation with exit
// code 2 and a message at its file:line.
func TestValidateBadFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "bad", "*.yaml"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 15)
	for _, f := range files {
		code, _, stderr := paysim(t, context.Background(), "validate", f)
		assert.Equal(t, 2, code, "%s: exit code", f)
		assert.Contains(t, stderr, f+":", "%s: the message names the file and line", f)
	}
}

func TestScenariosList(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "scenarios")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "county-ffs")
	assert.Contains(t, out, "teaching/markov-4state")
}

func TestExpectations(t *testing.T) {
	// The default county's expectations hold.
	code, _, stderr := paysim(t, context.Background(), "run", "--persons", "20000", "--years", "2", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "expectations: 2 checked, 0 failed")

	// A reserve of at least 50 months fails in every year: exit 1, each failure named.
	junit := filepath.Join(t.TempDir(), "expect.xml")
	code, _, stderr = paysim(t, context.Background(), "run", "--persons", "5000", "--years", "2", "--format", "csv",
		"--set", "expect=[{metric: fund.reserve_months, min: 50}, {metric: overall.per_person.life_years, max: 100}]", "--junit", junit)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "expect[0] fund.reserve_months in 2025 is")
	assert.Contains(t, stderr, "want at least 50: FAILED")
	assert.Contains(t, stderr, "expectations: 3 checked, 2 failed")

	b, err := os.ReadFile(junit)
	require.NoError(t, err)
	var doc struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(b, &doc))
	require.Len(t, doc.Suites, 1)
	assert.Equal(t, 3, doc.Suites[0].Tests)
	assert.Equal(t, 2, doc.Suites[0].Failures)
	assert.Nil(t, doc.Suites[0].Cases[2].Failure, "the life-years expectation holds")

	// An expectation on a figure that does not exist is a scenario error.
	code, _, stderr = paysim(t, context.Background(), "run", "--persons", "2000", "--years", "1", "--format", "csv",
		"--set", "expect=[{metric: fund.nothing, min: 1}]")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `"fund.nothing" is no figure of summary.json`)
}

func TestDiff(t *testing.T) {
	dir := t.TempDir()
	out := func(name string, args ...string) string {
		p := filepath.Join(dir, name)
		code, _, stderr := paysim(t, context.Background(), append([]string{"run", "--persons", "20000", "--years", "2", "--format", "csv", "--out", p}, args...)...)
		require.Equal(t, 0, code, stderr)
		return p
	}
	a, b, c := out("a"), out("b"), out("c", "--seed", "7")

	code, stdout, stderr := paysim(t, context.Background(), "diff", a, b)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "0 moved, 0 beyond tolerance")

	code, stdout, _ = paysim(t, context.Background(), "diff", a, c)
	assert.Equal(t, 1, code, "another seed moves figures beyond a zero tolerance")
	assert.Contains(t, stdout, "BEYOND tolerance")

	// With tolerances for sampling noise, another seed stays within them.
	tol := filepath.Join(dir, "tol.yaml")
	require.NoError(t, os.WriteFile(tol, []byte(`default: {rtol: 0.05, atol: 1}
metrics:
  - {path: "overall.*", rtol: 0.2}
  - {path: "yearly.*.fund.*", rtol: 0.2}
  - {path: "yearly.*.tiers.*.*", rtol: 0.3, atol: 10}
  - {path: "yearly.*.payment.*.*.*", rtol: 0.3, atol: 10}
  - {path: "yearly.*.health.*", rtol: 0.6, atol: 5}
  - {path: "yearly.*.health.*.*", rtol: 0.6, atol: 5}
  - {path: "yearly.*.health.*.*.*", rtol: 0.6, atol: 5}
  - {path: "yearly.*.utilisation.referrals_*", rtol: 0.6}
  - {path: "yearly.*.utilisation.long_stays", rtol: 0.6}
  - {path: "yearly.*.tiers.*.long_stay*", rtol: 0.6, atol: 50}
`), 0o644))
	junit := filepath.Join(dir, "diff.xml")
	code, stdout, stderr = paysim(t, context.Background(), "diff", a, c, "--tolerances", tol, "--junit", junit)
	assert.Equal(t, 0, code, "%s%s", stdout, stderr)
	b2, err := os.ReadFile(junit)
	require.NoError(t, err)
	var doc struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(b2, &doc))
	require.Len(t, doc.Suites, 1)
	assert.Greater(t, doc.Suites[0].Tests, 20)
	assert.Equal(t, 0, doc.Suites[0].Failures)

	code, _, stderr = paysim(t, context.Background(), "diff", a, filepath.Join(dir, "nothing"))
	assert.Equal(t, 2, code, stderr)
}

// TestCompareIncomparable: scenarios in two currencies are bad input
// (exit 2), named in the error.
func TestCompareIncomparable(t *testing.T) {
	code, _, stderr := paysim(t, context.Background(), "compare", "county-ffs", "teaching/us-ipps", "--years", "2", "--persons", "500")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "county-ffs counts money in CNY, us-ipps in USD")
}

func TestCompareCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, out, stderr := paysim(t, context.Background(), "compare", "county-ffs", "county-global-budget",
		"--replicates", "3", "--persons", "3000", "--years", "2", "--out", dir)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"county-ffs vs county-global-budget", "fund payout (million ¥)", "Δ", "in-county admission share",
		"± its 95% interval; provider responses off\n", "budget surplus, overspend < 0 (million ¥)", "members kept, borne < 0 (million ¥)", "providers' margin (million ¥)"} {
		assert.Contains(t, out, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	require.NoError(t, err)
	var cmp struct {
		Schema    string   `json:"schema"`
		Scenarios []string `json:"scenarios"`
		Responses []bool   `json:"responses"`
		Rows      []struct {
			Metric string     `json:"metric"`
			Year   int        `json:"year"`
			Mean   []*float64 `json:"mean"`
			Delta  []*float64 `json:"delta"`
		} `json:"rows"`
	}
	require.NoError(t, json.Unmarshal(b, &cmp))
	assert.Equal(t, "paysim.compare/v1", cmp.Schema)
	assert.Equal(t, []string{"county-ffs", "county-global-budget"}, cmp.Scenarios)
	assert.Equal(t, []bool{false, false}, cmp.Responses)
	assert.NotEmpty(t, cmp.Rows)
	// Without responses the budget changes who pays, not the care: the
	// fund's saving is the providers' loss, year by year (the premium is
	// the same share of the same income).
	rows := map[string][]*float64{}
	for _, r := range cmp.Rows {
		if r.Year == 0 {
			rows[r.Metric] = r.Delta
		}
	}
	require.Contains(t, rows, "payment.budget.surplus")
	assert.InDelta(t, *rows["fund.payout"][1], *rows["payment.providers.margin"][1], 1e-6, "Δ fund payout = Δ providers' margin")
	for _, r := range cmp.Rows {
		if r.Metric == "payment.budget.surplus" {
			assert.Zero(t, *r.Mean[0], "county-ffs has no budget")
			assert.NotZero(t, *r.Mean[1], "county-global-budget has one")
		}
	}

	code, out, stderr = paysim(t, context.Background(), "compare", "county-ffs", "county-drg", "--replicates", "2", "--persons", "1000", "--years", "1")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, out, "margin", "the providers' margins come with a budget's settlement")
	code, out, stderr = paysim(t, context.Background(), "compare", "county-ffs", "county-drg", "--replicates", "2", "--persons", "1000", "--years", "1", "--set", "responses.enabled=true")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "; provider responses on\n")
	_, err = os.Stat(filepath.Join(dir, "compare.csv"))
	assert.NoError(t, err)

	code, _, _ = paysim(t, context.Background(), "compare", "county-ffs")
	assert.Equal(t, 2, code, "one scenario is a usage error")
}

// TestCompareStrategies: a scenario's strategies are compared as arms, the
// cost-effectiveness follows the figures, and bad --wtp, --perspective or
// strategy sets are usage errors (exit 2).
func TestCompareStrategies(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, out, stderr := paysim(t, context.Background(), "compare", "teaching/sick-sicker-strategies",
		"--replicates", "2", "--persons", "1000", "--wtp", "50000,100000", "--out", dir)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"standard-of-care vs treatment-a vs treatment-b vs treatment-ab", "cost-effectiveness per person",
		"ICER ($/QALY)", "net monetary benefit per person ($), and the share of replicates in which each strategy is best", "     50,000 ", "    100,000 ", "optimal"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "fund payout", "a Markov model has no fund")
	assert.NotContains(t, out, "reserve (months of payout)", "nor reserves")
	b, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	require.NoError(t, err)
	var cmp struct {
		Economics struct {
			Perspective string    `json:"perspective"`
			Effect      string    `json:"effect"`
			WTP         []float64 `json:"wtp"`
			Strategies  []struct {
				Name     string    `json:"name"`
				Status   string    `json:"status"`
				ICER     *float64  `json:"icer"`
				ProbBest []float64 `json:"prob_cost_effective"`
			} `json:"strategies"`
		} `json:"economics"`
	}
	require.NoError(t, json.Unmarshal(b, &cmp))
	e := cmp.Economics
	assert.Equal(t, "health_system", e.Perspective)
	assert.Equal(t, "qalys", e.Effect)
	assert.Equal(t, []float64{50000, 100000}, e.WTP)
	require.Len(t, e.Strategies, 4)
	assert.Equal(t, "standard-of-care", e.Strategies[0].Name)
	assert.Nil(t, e.Strategies[0].ICER, "the reference has no ICER")
	for _, s := range e.Strategies {
		assert.Len(t, s.ProbBest, 2, s.Name)
	}

	for _, args := range [][]string{
		{"--wtp", "lots"},
		{"--wtp", "-5"},
		{"--perspective", "patient"},
		{"--set", "strategies[1].set=[nowhere.at.all=1]"},
	} {
		code, _, stderr := paysim(t, context.Background(), append([]string{"compare", "teaching/sick-sicker-strategies", "--replicates", "1", "--persons", "100"}, args...)...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
}

// TestSweep: a tornado table of a strategy's ICER, widest swing first, and
// the usage errors (exit 2): no ranges, a bad range, an unknown strategy.
func TestSweep(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "sweep", "teaching/sick-sicker-strategies", "--persons", "500", "--replicates", "1",
		"--strategy", "treatment-b", "--vary", "conditions.sick-sicker.transitions.healthy->sick.prob=0.1,0.2", "--vary", "discount_rate=0.02,0.02")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "one-way sensitivity of icer of treatment-b against standard-of-care")
	prob, rate := strings.Index(out, "healthy->sick.prob"), strings.Index(out, "discount_rate")
	require.True(t, prob > 0 && rate > 0, out)
	assert.Less(t, prob, rate, "the wider swing first (a range of one value swings 0)")

	code, out, stderr = paysim(t, context.Background(), "sweep", "teaching/markov-4state", "--persons", "500", "--replicates", "1",
		"--vary", "conditions.sick-sicker.states.sick.utility=0.5,0.9", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var tor struct {
		Outcome string  `json:"outcome"`
		Base    float64 `json:"base"`
		Bars    []struct {
			AtLow  float64 `json:"at_low"`
			AtHigh float64 `json:"at_high"`
		} `json:"bars"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &tor))
	assert.Equal(t, "overall.per_person.qalys", tor.Outcome)
	require.Len(t, tor.Bars, 1)
	assert.Less(t, tor.Bars[0].AtLow, tor.Base)
	assert.Greater(t, tor.Bars[0].AtHigh, tor.Base)

	for _, args := range [][]string{
		{"teaching/markov-4state"},                            // no uncertain parameters, no --vary
		{"teaching/markov-4state", "--vary", "discount_rate"}, // not path=low,high
		{"teaching/sick-sicker-strategies", "--vary", "discount_rate=0,0.05", "--strategy", "nobody"},
		{"teaching/sick-sicker-strategies", "--vary", "discount_rate=0,0.05", "--outcome", "nmb"}, // no --wtp
	} {
		code, _, stderr := paysim(t, context.Background(), append([]string{"sweep", "--persons", "100", "--replicates", "1"}, args...)...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
}

// TestComparePSA: strategies compared with uncertain parameters draw them
// anew in each replicate, the same in every strategy; compare.json carries
// the draws and the EVPI, and psa.csv one line per replicate with the draws
// and each strategy's cost and QALYs.
func TestComparePSA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "psa")
	code, out, stderr := paysim(t, context.Background(), "compare", "teaching/sick-sicker-strategies", "--replicates", "3", "--persons", "500",
		"--wtp", "100000", "--out", dir,
		"--set", `uncertain=[{set: "conditions.sick-sicker.transitions.healthy->sick.prob", distribution: uniform, min: 0.1, max: 0.2}]`)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "EVPI ($)")
	b, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	require.NoError(t, err)
	var cmp struct {
		Draws struct {
			Paths  []string    `json:"paths"`
			Values [][]float64 `json:"values"`
		} `json:"draws"`
		Economics struct {
			EVPI []float64 `json:"evpi"`
		} `json:"economics"`
	}
	require.NoError(t, json.Unmarshal(b, &cmp))
	require.Len(t, cmp.Draws.Values, 3)
	assert.NotEqual(t, cmp.Draws.Values[0], cmp.Draws.Values[1], "each replicate draws anew")
	for _, v := range cmp.Draws.Values {
		assert.True(t, v[0] >= 0.1 && v[0] <= 0.2, "a draw inside its range: %v", v)
	}
	require.Len(t, cmp.Economics.EVPI, 1)
	assert.GreaterOrEqual(t, cmp.Economics.EVPI[0], 0.0)
	psa, err := os.ReadFile(filepath.Join(dir, "psa.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(psa)), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "replicate,conditions.sick-sicker.transitions.healthy->sick.prob,standard-of-care_cost,standard-of-care_qalys,"+
		"treatment-a_cost,treatment-a_qalys,treatment-b_cost,treatment-b_qalys,treatment-ab_cost,treatment-ab_qalys", lines[0])
}

func TestRunCohort(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, stderr := paysim(t, context.Background(), "run", "teaching/markov-4state", "--mode", "cohort", "--out", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "markov-4state: cohort of 10,000 persons (expected values), 1–30")
	assert.Contains(t, out, "state costs ($)                       74,267")
	assert.NotContains(t, out, "control rate", "a row the model does not define")
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	assert.Contains(t, string(js), `"mode": "cohort"`)
	trace, err := os.ReadFile(filepath.Join(dir, "trace.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(trace), "\n1,1,0.995,0.845,0.15,0,0.005,0\n", "the first cycle's moves, exactly")
}

func TestRunCohortRefused(t *testing.T) {
	code, _, stderr := paysim(t, context.Background(), "run", "county-ffs", "--mode", "cohort")
	assert.Equal(t, 2, code, stderr)
	assert.Regexp(t, `paysim: county-ffs.yaml:\d+:\d+: population.age_bands\[0\].visits: .*run it without --mode cohort`, stderr)
	code, _, stderr = paysim(t, context.Background(), "run", "teaching/markov-4state", "--mode", "cohort", "--replicates", "5")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "a cohort is exact")
	code, _, stderr = paysim(t, context.Background(), "run", "teaching/markov-4state", "--mode", "exact")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, `--mode "exact": want microsimulation or cohort`)
}

func TestCompareCohort(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "compare", "teaching/sick-sicker-strategies", "--mode", "cohort", "--wtp", "100000")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "standard-of-care vs treatment-a vs treatment-b vs treatment-ab; cohorts (expected values)")
	assert.NotContains(t, out, "±", "exact: no intervals")
	code, _, stderr = paysim(t, context.Background(), "compare", "teaching/sick-sicker-strategies", "--mode", "cohort", "--replicates", "5")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "a cohort is exact")
	code, _, stderr = paysim(t, context.Background(), "compare", "teaching/markov-4state", "county-ffs", "--mode", "cohort", "--years", "3")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "county-ffs.yaml:")
}

// TestLesson runs docs/teaching.md's lesson: the model exactly, its ICER,
// and a tornado of exact cohorts whose base is that ICER.
func TestLesson(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "run", "teaching/lesson", "--mode", "cohort")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Discounted at 3.5% a year", "the rate as given, not its binary expansion")
	code, out, stderr = paysim(t, context.Background(), "compare", "teaching/lesson", "--mode", "cohort", "--replicates", "1", "--set", "uncertain=[]", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var cmp struct {
		Economics struct {
			Strategies []struct {
				ICER *float64 `json:"icer"`
			} `json:"strategies"`
		} `json:"economics"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cmp))
	require.NotNil(t, cmp.Economics.Strategies[1].ICER)
	code, out, stderr = paysim(t, context.Background(), "sweep", "teaching/lesson", "--mode", "cohort", "--vary", "discount_rate=0,0.06", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var tor struct {
		Base float64 `json:"base"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &tor))
	assert.InEpsilon(t, *cmp.Economics.Strategies[1].ICER, tor.Base, 1e-12, "the sweep's base is the exact ICER")
	code, out, _ = paysim(t, context.Background(), "sweep", "teaching/lesson", "--mode", "cohort", "--vary", "discount_rate=0,0.06")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "exact expected values (cohort)")
}

// TestShowAndVersion: show prints a built-in scenario's file as embedded,
// and an unknown name is a usage error; version names paysim and Go.
func TestShowAndVersion(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "show", "teaching/markov-4state")
	require.Equal(t, 0, code, stderr)
	want, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "teaching", "markov-4state.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
	code, _, stderr = paysim(t, context.Background(), "show", "no-such-county")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `no built-in scenario "no-such-county"`)
	code, out, _ = paysim(t, context.Background(), "version")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "paysim "), out)
	assert.Contains(t, out, runtime.Version())

	// What scripts/release sets with -ldflags -X.
	defer func(v, r string) { version, revision = v, r }(version, revision)
	version, revision = "v1.2.0", "63863dad44f3a1b2c3d4e5f60718293a4b5c6d7e 2026-12-06T12:30:57+00:00"
	code, out, _ = paysim(t, context.Background(), "version")
	require.Equal(t, 0, code)
	assert.Equal(t, "paysim v1.2.0 (63863dad44f3 2026-12-06T12:30:57+00:00), "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n", out)
	version, revision = "0.9", ""
	assert.Equal(t, "paysim 0.9, "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH, versionLine())
}

// TestCompareMeasured: a scenario with a measured study compares the steps
// of its waterfall — every mechanism off, then each switched on — and
// prints the study beside the model; compare.json carries it, with steps
// that add up to the model's change.
func TestCompareMeasured(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := paysim(t, context.Background(), "compare", "luojiang-case", "--persons", "4000", "--replicates", "3", "--out", dir)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"without the mechanisms vs + mortality's decline vs + enrolment vs", "+ prevention",
		"the study as measured: 2024 against 2023", "fund's share of claims  -9.1%", "waterfall:", "= the model's change"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "cost-effectiveness", "a waterfall's steps are not strategies")
	data, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	require.NoError(t, err)
	var cmp struct {
		Case struct {
			Results []struct {
				Metric string  `json:"metric"`
				Change float64 `json:"change"`
				Steps  []struct {
					Name   string  `json:"name"`
					Change float64 `json:"change"`
				} `json:"steps"`
			} `json:"results"`
		} `json:"case"`
	}
	require.NoError(t, json.Unmarshal(data, &cmp))
	require.Len(t, cmp.Case.Results, 6)
	for _, r := range cmp.Case.Results {
		require.Len(t, r.Steps, 8, r.Metric)
		// The budget's step comes before the responses: with them off in
		// the phase's file too, the budget moves money, not care.
		if r.Metric == "cost.fund_covered" && r.Steps[5].Change != 0 {
			t.Errorf("%s: the budget's step %v; want 0 (no response yet)", r.Steps[5].Name, r.Steps[5].Change)
		}
	}
	// 2023 is the status quo in every arm: the same persons, the same bill.
	var rows struct {
		Rows []struct {
			Metric string     `json:"metric"`
			Year   int        `json:"year"`
			Delta  []*float64 `json:"delta"`
		} `json:"rows"`
	}
	require.NoError(t, json.Unmarshal(data, &rows))
	seen := false
	for _, r := range rows.Rows {
		if r.Metric == "fund.payout" && r.Year == 2023 {
			seen = true
			for k, d := range r.Delta {
				if d == nil || *d != 0 {
					t.Errorf("fund payout 2023, arm %d: Δ %v; want 0", k, d)
				}
			}
		}
	}
	assert.True(t, seen, "the 2023 row of fund payout")
}

// TestSweepAndCaseInChinese: with --lang zh the tornado table and a
// measured study's block speak Chinese, their columns aligned in a
// terminal's cells (every row of the tornado ends at the same cell).
func TestSweepAndCaseInChinese(t *testing.T) {
	code, out, stderr := paysim(t, context.Background(), "sweep", "teaching/lesson", "--mode", "cohort",
		"--vary", "conditions.disease.transitions.ill->well.prob=0.1,0.3", "--vary", "discount_rate=0,0.06", "--lang", "zh")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "的单因素敏感性分析；基准值 15888；精确期望值（队列模式）")
	var ends []int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if strings.TrimSpace(line) != "" {
			ends = append(ends, report.Width(line))
		}
	}
	require.Len(t, ends, 3)
	assert.Equal(t, ends[0], ends[1], "the header and the first bar end at the same cell")
	assert.Equal(t, ends[1], ends[2])
	assert.Contains(t, out, "参数")

	code, out, stderr = paysim(t, context.Background(), "compare", "luojiang-case", "--persons", "3000", "--replicates", "2", "--lang", "zh")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"按实测口径的研究：2024 年对比 2023 年", "瀑布分解", "= 模型的变化", "未观测"} {
		assert.Contains(t, out, want)
	}
}
