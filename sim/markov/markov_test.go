package markov

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

func compile(tb testing.TB, file string, sets ...string) *model.Model {
	tb.Helper()
	s, err := scenario.LoadFS(scenarios.FS, file, sets)
	require.NoError(tb, err)
	c, err := model.CompileCare(s)
	require.NoError(tb, err)
	return model.Compile(c, nil, nil)
}

// refusals returns the *scenario.Error values of err.
func refusals(t *testing.T, err error) []*scenario.Error {
	t.Helper()
	require.Error(t, err)
	var out []*scenario.Error
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var se *scenario.Error
		require.True(t, errors.As(e, &se), "%T is not a *scenario.Error: %v", e, e)
		out = append(out, se)
	}
	return out
}

// TestRefusals: what a cohort cannot compute exactly is refused, each
// reason once, at the first place that gives it, with what to do instead.
func TestRefusals(t *testing.T) {
	cases := []struct {
		name string
		sets []string
		want []string // the messages, in order
	}{
		{"care", []string{"population.age_bands.40-49.visits=2", "conditions.kidney.states.esrd.visits=150"},
			[]string{"population.age_bands[1].visits: 2 visits a year (and 1 more like it); cohort mode computes the expected values of Markov chains; care (visits, admissions) and the payment rules that price it are driven by individual events; run it without --mode cohort"}},
		{"frailty", []string{"conditions.heart.heterogeneity=0.5", "conditions.heart.transitions.well->post_mi.frailty=true"},
			[]string{"conditions[0].heterogeneity: a frailty of coefficient of variation 0.5; cohort mode computes one Markov chain for everyone"}},
		{"responses", []string{"responses.enabled=true"},
			[]string{"responses: providers respond to the incentives of the payment rules, episode by episode; cohort mode has no episodes; set responses.enabled: false, or run it without --mode cohort"}},
		{"entrants and money", []string{"population.entrants.rate=0.01", "rewards.timing=start", "fund.subsidy=700"},
			[]string{"fund.subsidy: contributions of 700 a year; cohort mode keeps no fund account", "population.entrants.rate: 0.01; cohort mode follows a closed cohort"}},
		{"audit and contracts", []string{"supervision.detection=0.3", "contracts.fee=120"},
			[]string{"supervision: an audit of the claims (and 1 more like it); cohort mode keeps no fund account"}},
		{"enrolment", []string{"population.enrolment=[{year: 3, leave: 0.02}]"},
			[]string{"population.enrolment: cohort mode follows a closed cohort, and joiners and leavers are whole persons"}},
		// Steps 199 years into a state, monthly: about 2,400 cells of time in
		// state for each state of each group.
		{"size", []string{"years=200", "conditions.kidney.transitions.ckd->esrd.by_years=[{years: 199, factor: 2}]",
			"conditions.heart.transitions.post_mi->dead.by_years=[{years: 0, factor: 3}, {years: 199, factor: 1}]"},
			[]string{"conditions[0].transitions[2].by_years[1]: the cohort would hold 1481180 cells, more than 1000000: 62 groups of age and sex, each with the cells of every condition, and heart has 14334 (3 states × 2 of management × 2389 of whole cycles in a state, up to its last by_years step); run it without --mode cohort"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(compile(t, "teaching/heart-kidney.yaml", c.sets...))
			errs := refusals(t, err)
			require.Len(t, errs, len(c.want), "%v", err)
			for i, e := range errs {
				if !strings.Contains(e.Msg, c.want[i]) {
					t.Errorf("refusal %d: %q; want it to contain %q", i, e.Msg, c.want[i])
				}
			}
		})
	}
	// A county: its care, its entrants and its fund, each at its place in
	// the file.
	errs := refusals(t, func() error { _, err := New(compile(t, scenarios.Default)); return err }())
	require.Len(t, errs, 3)
	for _, e := range errs {
		if e.Pos.File != scenarios.Default || e.Pos.Line == 0 || !strings.Contains(e.Msg, "run it without --mode cohort") {
			t.Errorf("%v: want a place in %s and what to do instead", e, scenarios.Default)
		}
	}
}

// TestStartDurations: whole cycles already spent in the starting state are
// ⌊u × cycles⌋, u uniform in [0, 1).
func TestStartDurations(t *testing.T) {
	cases := []struct {
		cycles float64
		nd     int
		want   []float64
	}{
		{0, 3, []float64{1, 0, 0}},
		{3, 5, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0}},
		{2.5, 4, []float64{0.4, 0.4, 0.2, 0}}, // 1/2.5, 1/2.5, 0.5/2.5
		{6, 3, []float64{1.0 / 6, 1.0 / 6, 4.0 / 6}},
	}
	for _, c := range cases {
		got := startDurations(c.cycles, c.nd)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-15 {
				t.Errorf("startDurations(%v, %d) = %v, want %v", c.cycles, c.nd, got, c.want)
				break
			}
		}
	}
}

// TestConservation: at every point of the trace the living and the dead of
// every cause add up to the cohort, and each condition's living states to
// the living; the deaths of each year are the fall in the living.
func TestConservation(t *testing.T) {
	m := compile(t, "teaching/heart-kidney.yaml")
	k, err := New(m)
	require.NoError(t, err)
	alive := 1.0
	err = k.Run(context.Background(), func(e *tally.Expected) error {
		for _, p := range e.Trace {
			total := p.Alive + p.Background
			for c, cd := range m.Cond {
				living := 0.0
				for s, st := range cd.State {
					if st.Dead {
						total += p.States[m.StateOff[c]+s]
					} else {
						living += p.States[m.StateOff[c]+s]
					}
				}
				if math.Abs(living-p.Alive) > 1e-12 {
					t.Errorf("cycle %d: %s's living states %v, the living %v", p.Cycle, cd.Name, living, p.Alive)
				}
			}
			if math.Abs(total-1) > 1e-12 {
				t.Errorf("cycle %d: the living and the dead add up to %v, want 1", p.Cycle, total)
			}
		}
		if math.Abs(alive-e.Deaths()-e.Alive) > 1e-12 {
			t.Errorf("year %d: %v alive at its start, %v deaths, %v alive at its end", e.Index, alive, e.Deaths(), e.Alive)
		}
		alive = e.Alive
		return nil
	})
	require.NoError(t, err)
}

// BenchmarkCohort runs the textbook four-state model (30 annual cycles) and
// heart-kidney (120 monthly cycles, two conditions) as cohorts, and reports
// cohorts per second.
func BenchmarkCohort(b *testing.B) {
	for _, name := range []string{"markov-4state", "heart-kidney"} {
		b.Run(name, func(b *testing.B) {
			m := compile(b, "teaching/"+name+".yaml")
			runs := 0
			for b.Loop() {
				k, err := New(m)
				if err != nil {
					b.Fatal(err)
				}
				if err := k.Run(context.Background(), func(*tally.Expected) error { return nil }); err != nil {
					b.Fatal(err)
				}
				runs++
			}
			b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "cohorts/s")
		})
	}
}
