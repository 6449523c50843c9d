package cohort

import (
	"context"
	"math"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/scenario"
)

// TestNewMatchesTheScenario: the drawn cohort has the scenario's shares of age
// bands, sexes and townships, and is the same for any number of workers.
func TestNewMatchesTheScenario(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, scenarios.Default, []string{"population.size=100000"})
	require.NoError(t, err)
	c, err := model.CompileCare(s)
	require.NoError(t, err)
	m := model.Compile(c, nil, nil) // the default county has no responses
	p := mustNew(t, m, 5, 1)
	q := mustNew(t, m, 5, 2)
	require.Equal(t, p.Age, q.Age, "ages depend on the number of workers")
	require.Equal(t, p.State, q.State, "states depend on the number of workers")

	n := float64(p.Len())
	band := make([]float64, m.NBand)
	town := make([]float64, m.NTown)
	male := 0.0
	for i := range p.Flags {
		band[p.Band[i]]++
		town[p.Town[i]]++
		if p.Flags[i]&Male != 0 {
			male++
		}
		if int(p.Band[i]) != int(m.BandOf[p.Age[i]]) {
			t.Fatalf("person %d aged %d is in band %d", i, p.Age[i], p.Band[i])
		}
	}
	// Binomial standard error at n = 100,000 is at most 0.0016: allow 4 of them.
	for b, ab := range s.Population.AgeBands {
		if got := band[b] / n; math.Abs(got-ab.Weight) > 0.0064 {
			t.Errorf("band %s share = %.4f, want %.4f", ab.Name, got, ab.Weight)
		}
	}
	for w, tw := range s.Population.Townships {
		if got := town[w] / n; math.Abs(got-tw.Weight) > 0.0064 {
			t.Errorf("township %s share = %.4f, want %.4f", tw.Name, got, tw.Weight)
		}
	}
	if got := male / n; math.Abs(got-s.Population.MaleShare) > 0.0064 {
		t.Errorf("male share = %.4f, want %.4f", got, s.Population.MaleShare)
	}
}

// TestLastBandFallsOff: ages in the open last band fall off with its
// mortality instead of spreading evenly to its upper bound.
func TestLastBandFallsOff(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, scenarios.Default, []string{"population.size=100000"})
	require.NoError(t, err)
	c, err := model.CompileCare(s)
	require.NoError(t, err)
	m := model.Compile(c, nil, nil) // the default county has no responses
	p := mustNew(t, m, 9, 2)
	last := m.NBand - 1
	var sum, count float64
	for i, b := range p.Band {
		if int(b) == last {
			sum += float64(p.Age[i])
			count++
		}
	}
	lb := s.Population.AgeBands[last]
	// With mortality m the excess age is roughly exponential with mean 1/m.
	want := float64(lb.From) + 1/lb.Mortality
	if mean := sum / count; math.Abs(mean-want) > 1.5 {
		t.Errorf("mean age in band %s = %.1f, want about %.1f (not the midpoint %d)", lb.Name, mean, want, (lb.From+lb.To)/2)
	}
}

func mustNew(t *testing.T, m *model.Model, seed uint64, workers int) *Population {
	t.Helper()
	p, err := New(context.Background(), m, seed, 0, workers)
	require.NoError(t, err)
	return p
}

// countdown is a context that reports itself cancelled from its after-th
// check on: it tells whether drawing checks while it works.
type countdown struct {
	context.Context
	checks, after int64
}

func (c *countdown) Err() error {
	if atomic.AddInt64(&c.checks, 1) > c.after {
		return context.Canceled
	}
	return nil
}

// TestNewStopsOnCancel: drawing a population checks its context a block at
// a time and stops when it is done, long before the end.
func TestNewStopsOnCancel(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, scenarios.Default, []string{"population.size=1000000"})
	require.NoError(t, err)
	c, err := model.CompileCare(s)
	require.NoError(t, err)
	ctx := &countdown{Context: context.Background(), after: 3}
	if _, err := New(ctx, model.Compile(c, nil, nil), 1, 0, 1); err != context.Canceled {
		t.Errorf("New cancelled after 3 checks: %v, want context.Canceled", err)
	}
	// 1,000,000 persons are 62 blocks: a check a block, then stopped.
	if n := atomic.LoadInt64(&ctx.checks); n < 4 || n > 6 {
		t.Errorf("%d checks of the context; want a few, one a block until it stopped", n)
	}
}
