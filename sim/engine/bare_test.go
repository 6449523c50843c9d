package engine

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paysim/paysim/sim/rng"
)

// bare is the reference the engine's speed is measured against: the least a
// monthly microsimulation can do per person-month. Its state is a struct of
// arrays as the Population's; each person-month makes four PCG draws (death,
// a transition, the counts of visits and of admissions) and updates the
// state, chunk by chunk over the workers as Sim.step does. A person who dies
// is replaced by a newborn, so that every cycle steps the same persons
// however long the benchmark runs. What it leaves out — the model's tables,
// the episodes, their payment — is the engine's cost above the physical
// limit.
type bare struct {
	state, age []uint8
	visits     []uint16
}

func newBare(n int) *bare {
	b := &bare{state: make([]uint8, n), age: make([]uint8, n), visits: make([]uint16, n)}
	for i := range b.age {
		b.age[i] = uint8(i % 90)
	}
	return b
}

// cycle steps every person through one cycle on workers goroutines and
// returns the person-months stepped.
func (b *bare) cycle(seed uint64, cycle, workers int) int64 {
	const death, move = 1 << 54, 1 << 58 // about 1/1000 and 1/64 a month
	key, purpose := rng.Key(seed, 0), rng.Mix(rng.Cycle+uint64(cycle))
	chunks := (len(b.state) + ChunkSize - 1) / ChunkSize
	var next, pm atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st rng.Stream
			n := int64(0)
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks {
					break
				}
				st.ResetKeyed(key, c, purpose)
				for i := c * ChunkSize; i < min((c+1)*ChunkSize, len(b.state)); i++ {
					n++
					d, t, v, a := st.Uint64(), st.Uint64(), st.Uint64(), st.Uint64()
					switch {
					case d < death:
						b.state[i], b.age[i] = 0, 0 // replaced by a newborn
					case t < move:
						b.state[i] = (b.state[i] + 1) & 3
					}
					b.visits[i] += uint16(v>>62) + uint16(a>>63)
				}
			}
			pm.Add(n)
		}()
	}
	wg.Wait()
	return pm.Load()
}

// runBare steps a bare population of n persons through cycles cycles and
// returns its speed in person-months per second per core.
func runBare(n, cycles, workers int) float64 {
	b := newBare(n)
	var pm int64
	start := time.Now()
	for c := range cycles {
		pm += b.cycle(1, c, workers)
	}
	return float64(pm) / time.Since(start).Seconds() / float64(workers)
}

// BenchmarkBareLoop steps the default county's size of bare persons
// (bare) through a year: the physical limit BenchmarkRunCounty is compared
// with.
func BenchmarkBareLoop(b *testing.B) {
	workers := runtime.GOMAXPROCS(0)
	bp := newBare(250_000)
	var pm int64
	cycle := 0
	for b.Loop() {
		for range 12 {
			pm += bp.cycle(1, cycle, workers)
			cycle++
		}
	}
	b.ReportMetric(float64(pm)/b.Elapsed().Seconds()/float64(workers), "pm/s/core")
}
