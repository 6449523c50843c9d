package study

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/rng"
	"github.com/paysim/paysim/sim/scenario"
)

// Loader loads a scenario with extra --set values.
type Loader func(sets []string) (*scenario.Scenario, error)

// Draw returns replicate rep's values of the scenario's uncertain
// parameters, each from its own stream (seed, rep, parameter index), drawn by
// the inverse of its distribution.
func Draw(s *scenario.Scenario, seed uint64, rep int) []float64 {
	out := make([]float64, len(s.Uncertain))
	var st rng.Stream
	for i, u := range s.Uncertain {
		st.Reset(seed, rep, i, rng.Param)
		p := st.Float64()
		out[i] = quantile(u, max(p, 1e-12))
	}
	return out
}

// quantile is the p-quantile of an uncertain parameter's distribution, with
// beta, gamma and lognormal parameterised by mean and standard deviation.
func quantile(u scenario.Uncertain, p float64) float64 {
	switch u.Distribution {
	case "beta":
		m, v := *u.Mean, *u.SD**u.SD
		k := m*(1-m)/v - 1
		return distuv.Beta{Alpha: m * k, Beta: (1 - m) * k}.Quantile(p)
	case "gamma":
		m, v := *u.Mean, *u.SD**u.SD
		return distuv.Gamma{Alpha: m * m / v, Beta: m / v}.Quantile(p)
	case "lognormal":
		m, sd := *u.Mean, *u.SD
		s2 := math.Log1p(sd * sd / (m * m))
		return distuv.LogNormal{Mu: math.Log(m) - s2/2, Sigma: math.Sqrt(s2)}.Quantile(p)
	case "normal":
		return distuv.Normal{Mu: *u.Mean, Sigma: *u.SD}.Quantile(p)
	}
	return distuv.Uniform{Min: *u.Min, Max: *u.Max}.Quantile(p)
}

// RunUncertain runs n replicates of a scenario with uncertain parameters,
// opt.Parallel at once: replicate r draws each parameter once (Draw),
// loads the scenario with the draws set, and runs; the merged summary
// carries the draws. The result does not depend on opt.Parallel.
func RunUncertain(ctx context.Context, load Loader, base *scenario.Scenario, opt sim.Options, n int) (*report.Summary, error) {
	reps, d, err := RunUncertainRange(ctx, load, base, opt, 0, n)
	if err != nil {
		return nil, err
	}
	sum, err := report.Merge(reps)
	if err != nil {
		return nil, err
	}
	sum.Draws = d
	return sum, nil
}

// RunUncertainRange runs replicates opt.Replicate+lo to opt.Replicate+hi−1
// of RunUncertain and returns their summaries and draws in replicate order.
func RunUncertainRange(ctx context.Context, load Loader, base *scenario.Scenario, opt sim.Options, lo, hi int) ([]*report.Summary, *report.Draws, error) {
	n := max(hi-lo, 0)
	d := &report.Draws{Values: make([][]float64, n)}
	for _, u := range base.Uncertain {
		d.Paths = append(d.Paths, u.Set)
	}
	reps := make([]*report.Summary, n)
	o := opt
	if n > 1 {
		o.Progress = sim.SharedProgress(opt.Progress, n*sim.Cycles(base))
	}
	err := sim.Parallel(ctx, n, opt.Parallel, func(ctx context.Context, i int) error {
		rep := opt.Replicate + lo + i
		vals := Draw(base, opt.Seed, rep)
		sets := make([]string, len(vals))
		for i, v := range vals {
			sets[i] = base.Uncertain[i].Set + "=" + strconv.FormatFloat(v, 'g', -1, 64)
		}
		s, err := load(sets)
		if err != nil {
			return err
		}
		o := o
		o.Replicate = rep
		sum, err := sim.Run(ctx, s, o)
		if err != nil {
			return fmt.Errorf("replicate %d: %w", rep, err)
		}
		reps[i], d.Values[i] = sum, vals
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return reps, d, nil
}
