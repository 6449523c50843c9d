package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/report"
)

// TestParallelLikeALoop: every index runs once, at most parallel at a time,
// and a failure returns what a loop would: the lowest failing index's
// error, with the later indices cancelled or never started.
func TestParallelLikeALoop(t *testing.T) {
	for _, parallel := range []int{0, 1, 2, 3, 8} {
		var running, most atomic.Int32
		ran := make([]int32, 10)
		err := Parallel(context.Background(), len(ran), parallel, func(_ context.Context, i int) error {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			ran[i]++
			return nil
		})
		require.NoError(t, err)
		for i, n := range ran {
			if n != 1 {
				t.Errorf("Parallel(10, %d): index %d ran %d times, want 1", parallel, i, n)
			}
		}
		if m := int(most.Load()); m > max(parallel, 1) {
			t.Errorf("Parallel(10, %d): %d runs at once, want at most %d", parallel, m, max(parallel, 1))
		}
	}

	// Index 5 fails at once, index 3 after a while: a loop stops at 3, and
	// so does Parallel, whatever the runs at once.
	for _, parallel := range []int{1, 2, 3, 8} {
		var started [10]atomic.Bool
		err := Parallel(context.Background(), 10, parallel, func(ctx context.Context, i int) error {
			started[i].Store(true)
			switch i {
			case 3:
				time.Sleep(20 * time.Millisecond)
				return fmt.Errorf("run %d failed", i)
			case 5:
				return fmt.Errorf("run %d failed", i)
			case 4, 6, 7:
				select { // a long run, cut short when cancelled
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(2 * time.Second):
				}
			}
			return nil
		})
		if err == nil || err.Error() != "run 3 failed" {
			t.Errorf("Parallel(10, %d) = %v, want run 3 failed", parallel, err)
		}
		// One at a time is the loop itself: nothing after 3 starts. (With
		// more at once, indices after 3 may start before it fails.)
		for i := 4; i < 10 && parallel == 1; i++ {
			if started[i].Load() {
				t.Errorf("Parallel(10, 1): index %d started after index 3 failed", i)
			}
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Parallel(ctx, 4, 2, func(ctx context.Context, i int) error { return ctx.Err() }); !errors.Is(err, context.Canceled) {
		t.Errorf("Parallel with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestReplicatesParallelBytes: replicates run one, two or three at a time
// give the same bytes as one after another, as summary.json, yearly.csv
// and tiers.csv.
func TestReplicatesParallelBytes(t *testing.T) {
	s := loadDefault(t, "population.size=6000", "years=2")
	files := func(parallel, workers int) []byte {
		sum, err := RunReplicates(context.Background(), s, Options{Seed: 5, Workers: workers, Parallel: parallel}, 5)
		require.NoError(t, err)
		var b bytes.Buffer
		for _, w := range []func(*bytes.Buffer, *report.Summary) error{
			func(b *bytes.Buffer, s *report.Summary) error { return report.WriteJSON(b, s) },
			func(b *bytes.Buffer, s *report.Summary) error { return report.WriteYearlyCSV(b, s) },
			func(b *bytes.Buffer, s *report.Summary) error { return report.WriteTiersCSV(b, s) },
		} {
			require.NoError(t, w(&b, sum))
		}
		return b.Bytes()
	}
	want := files(1, 2)
	for _, p := range []int{1, 2, 3} {
		if got := files(p, 1); !bytes.Equal(got, want) {
			t.Errorf("5 replicates %d at a time: %d bytes differ from one after another", p, len(got))
		}
	}
}

// TestSharedProgress: the cycles of runs at once are counted together, one
// call at a time, up to the total.
func TestSharedProgress(t *testing.T) {
	assert.Nil(t, SharedProgress(nil, 10))
	var calls []int
	p := SharedProgress(func(done, total int) {
		assert.Equal(t, 24, total)
		calls = append(calls, done) // one call at a time: no lock needed here
	}, 24)
	s := loadDefault(t, "population.size=500", "years=1")
	require.NoError(t, Parallel(context.Background(), 2, 2, func(ctx context.Context, i int) error {
		_, err := Run(ctx, s, Options{Seed: 1, Replicate: i, Progress: p})
		return err
	}))
	require.Len(t, calls, 24)
	for i, d := range calls {
		if d != i+1 {
			t.Fatalf("progress call %d reports %d cycles done, want %d", i, d, i+1)
		}
	}
}

// BenchmarkReplicates runs replicates of the default county both ways,
// in turns so that both see the same machine: serial, one replicate after
// another over all the cores (--parallel 1); parallel, one replicate per
// core, each on one (--parallel = cores, the default). It reports each
// way's replicates per minute and CPU-seconds per replicate, and their
// ratio, parallel over serial:
//
//	go test ./sim -run '^$' -bench Replicates -benchtime 3x
func BenchmarkReplicates(b *testing.B) {
	s := loadDefault(b)
	cores := runtime.GOMAXPROCS(0)
	n := 4 * cores
	ways := []struct {
		name              string
		parallel, workers int
		wall, cpu         time.Duration
	}{
		{name: "serial", parallel: 1, workers: cores},
		{name: "parallel", parallel: cores, workers: 1},
	}
	turns := 0
	for b.Loop() {
		for k := range ways {
			w := &ways[(k+turns)%len(ways)] // each way first in every other turn
			start, cpu0 := time.Now(), cpuTime()
			if _, err := RunReplicates(context.Background(), s, Options{Seed: uint64(turns), Workers: w.workers, Parallel: w.parallel}, n); err != nil {
				b.Fatal(err)
			}
			w.wall += time.Since(start)
			w.cpu += cpuTime() - cpu0
		}
		turns++
	}
	reps := float64(turns * n)
	for _, w := range ways {
		b.ReportMetric(reps/w.wall.Minutes(), w.name+"-replicates/min")
		b.ReportMetric(w.cpu.Seconds()/reps, w.name+"-cpu-s/replicate")
	}
	b.ReportMetric(ways[0].wall.Seconds()/ways[1].wall.Seconds(), "parallel/serial")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
