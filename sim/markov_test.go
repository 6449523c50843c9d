package sim

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// TestCohortClosedForm: the cohort of the textbook four-state model gives
// the discounted costs, life-years and QALYs per person of the Markov trace
// computed directly from its transition matrix (markovExpected), to 1e-9.
func TestCohortClosedForm(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "teaching/markov-4state.yaml", nil)
	require.NoError(t, err)
	sum, err := Run(context.Background(), s, Options{Mode: Cohort})
	require.NoError(t, err)
	cost, ly, qaly := markovExpected(s)
	got := sum.Overall.PerPerson
	t.Logf("closed form: cost %.9f, life-years %.12f, QALYs %.12f; cohort: %.9f, %.12f, %.12f", cost, ly, qaly, got.StateCosts, got.LifeYears, *got.QALYs)
	for _, f := range []struct {
		name      string
		got, want float64
	}{{"state costs", got.StateCosts, cost}, {"life-years", got.LifeYears, ly}, {"QALYs", *got.QALYs, qaly}} {
		if math.Abs(f.got-f.want) > 1e-9*max(1, math.Abs(f.want)) {
			t.Errorf("%s per person: cohort %.12g, closed form %.12g; want them equal to 1e-9", f.name, f.got, f.want)
		}
	}
}

// TestCohortAgreesWithMicrosimulation: teaching/heart-kidney, which uses
// rates, by_band age modifiers as the cohort ages, by_years time in state
// (with time already spent at the start), management, a by_run_years
// programme, two conditions and sex-specific background mortality, run as a
// cohort and as 16 microsimulations of 12,500 persons: every figure of the
// cohort lies within 4 Monte Carlo standard errors of the simulations'
// mean (the standard error from the spread of the 16).
func TestCohortAgreesWithMicrosimulation(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "teaching/heart-kidney.yaml", []string{"population.size=12500"})
	require.NoError(t, err)
	last := func(sum *report.Summary) report.Year { return sum.Yearly[len(sum.Yearly)-1] }
	end := func(sum *report.Summary, col string) float64 {
		r := sum.Trace.Rows[len(sum.Trace.Rows)-1]
		switch col {
		case "alive":
			return r.Alive
		case "background":
			return r.Background
		}
		return r.States[slices.Index(sum.Trace.States, col)]
	}
	figures := []figure{
		{"discounted life-years per person", func(s *report.Summary) float64 { return s.Overall.PerPerson.LifeYears }},
		{"discounted QALYs per person", func(s *report.Summary) float64 { return *s.Overall.PerPerson.QALYs }},
		{"discounted state costs per person", func(s *report.Summary) float64 { return s.Overall.PerPerson.StateCosts }},
		{"undiscounted life-years per person", func(s *report.Summary) float64 { return s.Overall.PerPersonUndiscounted.LifeYears }},
		{"undiscounted QALYs per person", func(s *report.Summary) float64 { return *s.Overall.PerPersonUndiscounted.QALYs }},
		{"undiscounted state costs per person", func(s *report.Summary) float64 { return s.Overall.PerPersonUndiscounted.StateCosts }},
		{"heart prevalence in year 5", func(s *report.Summary) float64 { return s.Yearly[4].Health.Conditions["heart"].Prevalence }},
		{"kidney prevalence in year 5", func(s *report.Summary) float64 { return s.Yearly[4].Health.Conditions["kidney"].Prevalence }},
		{"heart prevalence in year 10", func(s *report.Summary) float64 { return last(s).Health.Conditions["heart"].Prevalence }},
		{"kidney prevalence in year 10", func(s *report.Summary) float64 { return last(s).Health.Conditions["kidney"].Prevalence }},
		{"heart managed share in year 10", func(s *report.Summary) float64 { return last(s).Health.Conditions["heart"].ManagedShare }},
		{"share alive at the end", func(s *report.Summary) float64 { return end(s, "alive") }},
		{"share in post_mi at the end", func(s *report.Summary) float64 { return end(s, "heart.post_mi") }},
		{"share in esrd at the end", func(s *report.Summary) float64 { return end(s, "kidney.esrd") }},
		{"share dead of the heart", func(s *report.Summary) float64 { return end(s, "heart.dead") }},
		{"share dead of the kidneys", func(s *report.Summary) float64 { return end(s, "kidney.dead") }},
		{"share dead of background causes", func(s *report.Summary) float64 { return end(s, "background") }},
	}
	agrees(t, s, figures, 16)
}

// figure is a figure of a summary a test compares.
type figure struct {
	name string
	of   func(*report.Summary) float64
}

// agrees checks that reps replicates of the microsimulation of s agree with
// its cohort on every figure within 4 Monte Carlo standard errors.
func agrees(t *testing.T, s *scenario.Scenario, figures []figure, reps int) {
	t.Helper()
	cohort, err := Run(context.Background(), s, Options{Mode: Cohort})
	require.NoError(t, err)
	sims := make([][]float64, len(figures))
	for r := 0; r < reps; r++ {
		sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Replicate: r, Workers: 2})
		require.NoError(t, err)
		for f, fig := range figures {
			sims[f] = append(sims[f], fig.of(sum))
		}
	}
	for f, fig := range figures {
		mean, sd := stat.MeanStdDev(sims[f], nil)
		se := sd / math.Sqrt(float64(reps))
		want := fig.of(cohort)
		t.Logf("%-36s cohort %12.6f, simulated %12.6f ± %.6f (%+.2f SE)", fig.name, want, mean, se, (mean-want)/se)
		if math.Abs(mean-want) > 4*se {
			t.Errorf("%s: cohort %v, simulations %v with standard error %v: %.1f standard errors apart, want at most 4",
				fig.name, want, mean, se, math.Abs(mean-want)/se)
		}
	}
}

// TestCohortAgreesUnderStress: a model where the order of events matters —
// annual cycles, background mortality of 20–60% a year (×2.5 for men),
// transition probabilities of 10–30%, fast enrolment and drop-out,
// time-in-state steps with time already spent at the start, run-time
// steps, two conditions and ageing across bands, half-cycle rewards with
// two discount rates — agrees between cohort and microsimulation.
func TestCohortAgreesUnderStress(t *testing.T) {
	s, err := scenario.Load(filepath.Join("..", "testdata", "cohort", "stress.yaml"), []string{"population.size=25000"})
	require.NoError(t, err)
	agrees(t, s, []figure{
		{"discounted life-years per person", func(s *report.Summary) float64 { return s.Overall.PerPerson.LifeYears }},
		{"discounted QALYs per person", func(s *report.Summary) float64 { return *s.Overall.PerPerson.QALYs }},
		{"discounted state costs per person", func(s *report.Summary) float64 { return s.Overall.PerPerson.StateCosts }},
		{"x prevalence in year 2", func(s *report.Summary) float64 { return s.Yearly[1].Health.Conditions["x"].Prevalence }},
		{"x managed share in year 3", func(s *report.Summary) float64 { return s.Yearly[2].Health.Conditions["x"].ManagedShare }},
		{"y prevalence in year 3", func(s *report.Summary) float64 { return s.Yearly[2].Health.Conditions["y"].Prevalence }},
		{"deaths in year 1", func(s *report.Summary) float64 { return float64(s.Yearly[0].Health.Deaths) / float64(s.Persons) }},
		{"deaths in year 4", func(s *report.Summary) float64 { return float64(s.Yearly[3].Health.Deaths) / float64(s.Persons) }},
	}, 8)
}
