package study

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShardRange: the shards' blocks follow one another from 0 to n−1,
// their sizes differ by at most one.
func TestShardRange(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 7, 100, 1000} {
		for _, shards := range []int{1, 2, 3, 7, 16} {
			next, small, large := 0, n, 0
			for i := range shards {
				lo, hi := Shard{i, shards}.Range(n)
				if lo != next || hi < lo {
					t.Fatalf("Shard{%d, %d}.Range(%d) = %d, %d; want it to start at %d", i, shards, n, lo, hi, next)
				}
				next = hi
				small, large = min(small, hi-lo), max(large, hi-lo)
			}
			if next != n || large-small > 1 {
				t.Errorf("%d shards of %d replicates end at %d, sizes %d to %d; want to end at %d, sizes within one", shards, n, next, small, large, n)
			}
		}
	}
	// 10 in 4: 10·i/4 = 0, 2, 5, 7, 10.
	for i, want := range [][2]int{{0, 2}, {2, 5}, {5, 7}, {7, 10}} {
		if lo, hi := (Shard{i, 4}).Range(10); lo != want[0] || hi != want[1] {
			t.Errorf("Shard{%d, 4}.Range(10) = %d, %d, want %d, %d", i, lo, hi, want[0], want[1])
		}
	}
}

// TestFiguresJSON: a figure without a value (NaN) is null in a part and
// NaN again when read; the others come back to the bit.
func TestFiguresJSON(t *testing.T) {
	f := Figures{{1.0 / 3, math.NaN(), math.Copysign(0, -1)}, {math.MaxFloat64, math.SmallestNonzeroFloat64}}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Equal(t, `[[0.3333333333333333,null,-0],[1.7976931348623157e+308,5e-324]]`, string(b))
	var back Figures
	require.NoError(t, json.Unmarshal(b, &back))
	require.Len(t, back, 2)
	for i := range f {
		for y := range f[i] {
			if math.Float64bits(back[i][y]) != math.Float64bits(f[i][y]) && !(math.IsNaN(f[i][y]) && math.IsNaN(back[i][y])) {
				t.Errorf("figure %d, year %d: %v read back as %v", i, y, f[i][y], back[i][y])
			}
		}
	}
}
