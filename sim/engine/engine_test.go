package engine

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

func county(tb testing.TB, sets ...string) (*model.Model, *respond.Plan, []payment.Rule) {
	tb.Helper()
	s, err := scenario.LoadFS(scenarios.FS, scenarios.Default, sets)
	require.NoError(tb, err)
	c, err := model.CompileCare(s)
	require.NoError(tb, err)
	rules := make([]payment.Rule, len(s.Payment))
	for i := range rules {
		rules[i] = ffs.Rule{} // the default county is fee-for-service throughout
	}
	plan := respond.Compile(c, rules)
	return model.Compile(c, plan.Effort, plan.Pull), plan, rules
}

// newSim makes a replicate, failing tb if it cannot.
func newSim(tb testing.TB, m *model.Model, plan *respond.Plan, rules []payment.Rule, opt Options) *Sim {
	tb.Helper()
	s, err := New(context.Background(), m, plan, rules, opt)
	require.NoError(tb, err)
	return s
}

// responding makes the default county's village, township and county
// providers a community keeping its budget's surplus, with every response
// at its default: members withhold care, shorten stays, readmit, pull
// patients in, refer stays down and give prevention effort.
var responding = []string{"responses={}",
	"consortia=[{name: community, tiers: [village, township, county], budget: {per_capita: 1080, surplus_share: 1, tier_shares: {county: 1}}}]"}

// TestStepChunkAllocs: once the event buffers have grown, a cycle of a chunk
// allocates nothing, with responses and without.
func TestStepChunkAllocs(t *testing.T) {
	t.Run("accounting", func(t *testing.T) { testStepChunkAllocs(t) })
	t.Run("responses", func(t *testing.T) { testStepChunkAllocs(t, responding...) })
}

func testStepChunkAllocs(t *testing.T, sets ...string) {
	m, plan, rules := county(t, append([]string{"population.size=8192"}, sets...)...)
	s := newSim(t, m, plan, rules, Options{Seed: 1, Workers: 1})
	w, c := s.workers[0], s.chunks[0]
	for cycle := 0; cycle < 3; cycle++ {
		s.stepChunk(w, c, cycle)
	}
	cycle := 3
	allocs := testing.AllocsPerRun(20, func() {
		s.stepChunk(w, c, cycle)
		cycle++
	})
	if allocs != 0 {
		t.Errorf("stepChunk allocates %v times per cycle, want 0", allocs)
	}
}

// TestRunStopsOnCancel: a cancelled context stops the run with its error.
func TestRunStopsOnCancel(t *testing.T) {
	m, plan, rules := county(t, "population.size=1000")
	ctx, cancel := context.WithCancel(context.Background())
	years := 0
	err := newSim(t, m, plan, rules, Options{Seed: 1}).Run(ctx, func(*tally.Year) error {
		years++
		cancel()
		return nil
	})
	if err != context.Canceled || years != 1 {
		t.Errorf("Run cancelled after the first year: err %v after %d years, want context.Canceled after 1", err, years)
	}
}

// BenchmarkRunCounty runs the default county (250,000 persons, 5 years,
// monthly) and reports person-months per second per core, that speed as a
// share of the bare loop's (bare) measured in the same run, and bytes of
// per-person state.
func BenchmarkRunCounty(b *testing.B) { benchmarkRun(b) }

// BenchmarkRunCountyResponses is BenchmarkRunCounty with the county's
// providers in a community that keeps its surplus and every response on.
func BenchmarkRunCountyResponses(b *testing.B) { benchmarkRun(b, responding...) }

func benchmarkRun(b *testing.B, sets ...string) {
	m, plan, rules := county(b, sets...)
	workers := runtime.GOMAXPROCS(0)
	var pm int64
	var bpp int
	for b.Loop() {
		s := newSim(b, m, plan, rules, Options{Seed: 1, Workers: workers})
		bpp = s.Population().BytesPerPerson()
		err := s.Run(context.Background(), func(y *tally.Year) error {
			pm += y.Counts.PersonCycles
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	speed := float64(pm) / b.Elapsed().Seconds() / float64(workers)
	b.StopTimer()
	bare := runBare(m.S.Population.Size, m.Cycles, workers) // the same person-months, in the same run
	b.ReportMetric(speed, "pm/s/core")
	b.ReportMetric(speed/bare, "×bare")
	b.ReportMetric(float64(bpp), "B/person")
}

// BenchmarkStepChunk steps one chunk of the default county through a year:
// the person loop alone, without reductions or synchronisation.
func BenchmarkStepChunk(b *testing.B) {
	m, plan, rules := county(b, "population.size=4096", "years=200")
	s := newSim(b, m, plan, rules, Options{Seed: 1, Workers: 1})
	w, c := s.workers[0], s.chunks[0]
	var pm int64
	cycle := 0 // cycles only move forward: past the horizon, a new population
	for b.Loop() {
		if cycle+12 > m.Cycles {
			b.StopTimer()
			s = newSim(b, m, plan, rules, Options{Seed: 1, Workers: 1})
			w, c, cycle = s.workers[0], s.chunks[0], 0
			b.StartTimer()
		}
		for range 12 {
			s.stepChunk(w, c, cycle)
			pm += c.counts.PersonCycles
			cycle++
		}
	}
	b.ReportMetric(float64(pm)/b.Elapsed().Seconds(), "pm/s")
}

// recorder is a rule that pays charges and keeps every event it settles.
type recorder struct{ evs *[]payment.Event }

func (recorder) Price(c *payment.Case, _ bool) payment.Price {
	return payment.Price{Payment: c.Charges}
}

func (recorder) Margin(e payment.Episode) payment.Margin { return payment.ItemMargin(e) }

func (r recorder) Settle(_ []float64, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		out.BookPaid(&evs[i], evs[i].Charges)
	}
	*r.evs = append(*r.evs, evs...)
}

// TestReadmissionTracking: each stay in the same group at the same provider
// carries the days since the previous one's discharge and that stay's price,
// also when both fall in one cycle.
func TestReadmissionTracking(t *testing.T) {
	m, plan, _ := county(t, "population.size=3000", "years=2")
	var evs []payment.Event
	rules := make([]payment.Rule, len(m.S.Payment))
	for i := range rules {
		rules[i] = recorder{&evs}
	}
	err := newSim(t, m, plan, rules, Options{Seed: 3, Workers: 1}).Run(context.Background(), func(*tally.Year) error { return nil })
	require.NoError(t, err)
	type stay struct {
		group, prov uint16
		charges     float32
	}
	last := map[int32]stay{}
	readmissions, sameCycle := 0, 0
	for _, ev := range evs { // one worker: events in cycle order, each person's in booking order
		if ev.Service != payment.Inpatient {
			continue
		}
		prev, seen := last[ev.Person]
		switch {
		case seen && prev.group == ev.Group && prev.prov == ev.Provider:
			if ev.Readmit == payment.NoReadmit || ev.PrevRevenue != prev.charges {
				t.Fatalf("person %d: a stay after one of %v in the same group and provider has Readmit %d and previous revenue %v",
					ev.Person, prev.charges, ev.Readmit, ev.PrevRevenue)
			}
			readmissions++
			if ev.Readmit < 31 {
				sameCycle++
			}
		case ev.Readmit != payment.NoReadmit:
			t.Fatalf("person %d: a stay after no stay of its group and provider has Readmit %d", ev.Person, ev.Readmit)
		}
		last[ev.Person] = stay{ev.Group, ev.Provider, float32(ev.Charges)}
	}
	if readmissions == 0 || sameCycle == 0 {
		t.Errorf("%d repeated stays, %d within a month: the test saw too few to mean anything", readmissions, sameCycle)
	}
}
