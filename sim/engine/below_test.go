package engine

import (
	"math"
	"testing"
)

// TestBelow checks below, which scans four thresholds at a time, against a
// plain count for tables of every length up to 9 and draws at, between and
// beyond the thresholds.
func TestBelow(t *testing.T) {
	for n := 0; n <= 9; n++ {
		cum := make([]uint64, n)
		for j := range cum {
			cum[j] = uint64(j+1) * 100
		}
		for _, x := range []uint64{0, 99, 100, 101, 250, 399, 400, 899, 900, 1000, math.MaxUint64} {
			want := 0
			for _, c := range cum {
				if x >= c {
					want++
				}
			}
			if got := below(cum, x); got != want {
				t.Errorf("below(%d thresholds, %d) = %d, want %d", n, x, got, want)
			}
		}
	}
}
