package study

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/scenario"
)

func fp(x float64) *float64 { return &x }

// TestDrawMoments: parameters drawn replicate after replicate have the
// distribution's mean and standard deviation.
func TestDrawMoments(t *testing.T) {
	cases := []scenario.Uncertain{
		{Distribution: "beta", Mean: fp(0.3), SD: fp(0.1)},
		{Distribution: "gamma", Mean: fp(2), SD: fp(0.5)},
		{Distribution: "lognormal", Mean: fp(1000), SD: fp(200)},
		{Distribution: "normal", Mean: fp(-1), SD: fp(0.3)},
		{Distribution: "uniform", Min: fp(10), Max: fp(20)}, // mean 15, sd 10 ÷ √12 = 2.887
	}
	want := [][2]float64{{0.3, 0.1}, {2, 0.5}, {1000, 200}, {-1, 0.3}, {15, 10 / math.Sqrt(12)}}
	s := &scenario.Scenario{Uncertain: cases}
	const n = 20000
	sum, sq := make([]float64, len(cases)), make([]float64, len(cases))
	for r := 0; r < n; r++ {
		for i, v := range Draw(s, 3, r) {
			sum[i] += v
			sq[i] += v * v
		}
	}
	for i, c := range cases {
		m := sum[i] / n
		sd := math.Sqrt(sq[i]/n - m*m)
		if math.Abs(m-want[i][0]) > 0.05*want[i][1] || math.Abs(sd-want[i][1]) > 0.05*want[i][1] {
			t.Errorf("%s: mean %.4g sd %.4g over %d draws, want %.4g and %.4g", c.Distribution, m, sd, n, want[i][0], want[i][1])
		}
	}
}

// TestRunUncertain: each replicate draws its parameters, loads the scenario
// with them, and the summary keeps the draws.
func TestRunUncertain(t *testing.T) {
	load := func(sets []string) (*scenario.Scenario, error) {
		return scenario.LoadFS(scenarios.FS, "teaching/small-county.yaml", append([]string{"population.size=2000", "years=1",
			"uncertain=[{set: choice.price_sensitivity, distribution: uniform, min: 0, max: 2}]"}, sets...))
	}
	base, err := load(nil)
	require.NoError(t, err)
	sum, err := RunUncertain(context.Background(), load, base, sim.Options{Seed: 4, Workers: 2}, 4)
	require.NoError(t, err)
	require.NotNil(t, sum.Draws)
	require.Equal(t, []string{"choice.price_sensitivity"}, sum.Draws.Paths)
	require.Len(t, sum.Draws.Values, 4)
	seen := map[float64]bool{}
	for r, v := range sum.Draws.Values {
		if v[0] < 0 || v[0] > 2 || seen[v[0]] {
			t.Errorf("replicate %d drew %v; want distinct values in [0, 2]", r, v[0])
		}
		seen[v[0]] = true
		if got := Draw(base, 4, r)[0]; got != v[0] {
			t.Errorf("replicate %d: %v recorded, %v drawn again; want the same", r, v[0], got)
		}
	}
	require.Equal(t, 4, sum.Replicates)
	require.NotNil(t, sum.Interval)
}
