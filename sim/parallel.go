package sim

import (
	"context"
	"sync"
)

// Parallel calls run(ctx, i) for i = 0, 1, …, n−1 on at most parallel
// goroutines at once (≤ 0 means 1), starting the indices in order, and
// returns what a loop over them would: the error of the lowest index that
// failed, or nil. When run i fails, the runs of higher indices are
// cancelled and none starts, while the runs of lower indices go on to their
// end (one of them may fail too, and its error is then the one returned).
// run must keep what it makes under its index, not in the order of
// completion, for the result not to depend on parallel.
func Parallel(ctx context.Context, n, parallel int, run func(ctx context.Context, i int) error) error {
	parallel = min(max(parallel, 1), n)
	var (
		mu      sync.Mutex
		next    int                            // the next index to start
		failed  = n                            // the lowest index that failed
		errs    = make([]error, n)             // by index
		cancels = map[int]context.CancelFunc{} // of the runs under way
		wg      sync.WaitGroup
	)
	take := func() (int, context.Context, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= failed || ctx.Err() != nil {
			return 0, nil, false
		}
		i := next
		next++
		rctx, cancel := context.WithCancel(ctx)
		cancels[i] = cancel
		return i, rctx, true
	}
	finish := func(i int, err error) {
		mu.Lock()
		defer mu.Unlock()
		cancels[i]()
		delete(cancels, i)
		if err == nil || i > failed {
			return // a run cancelled by a lower index's failure
		}
		errs[i], failed = err, i
		for j, cancel := range cancels {
			if j > i {
				cancel()
			}
		}
	}
	for range parallel {
		wg.Go(func() {
			for {
				i, rctx, ok := take()
				if !ok {
					return
				}
				finish(i, run(rctx, i))
			}
		})
	}
	wg.Wait()
	if failed < n {
		return errs[failed]
	}
	return ctx.Err()
}

// SharedProgress returns a progress callback that runs going on at once can
// all call after each of their cycles: it counts their cycles and calls f
// with the count and total, the cycles of all the runs, one call at a time.
// Without f it returns nil.
func SharedProgress(f func(done, total int), total int) func(done, total int) {
	if f == nil {
		return nil
	}
	var mu sync.Mutex
	done := 0
	return func(int, int) {
		mu.Lock()
		defer mu.Unlock()
		done++
		f(min(done, total), total)
	}
}
