package sim

import (
	"strings"
	"testing"
)

// TestCheckSize: workers and replicates within their limits, and a
// population refused, with what it needs, when the memory is not there.
func TestCheckSize(t *testing.T) {
	s := loadDefault(t, "population.size=1000000")
	need, bpp, persons := Memory(s)
	// 1,000,000 persons grown by the default entrants over 4 years, twice
	// over, plus 64 MiB of tables.
	if bpp < 20 || persons < 1e6 || need != int64(2*persons*float64(bpp))+64<<20 {
		t.Errorf("Memory = %d bytes, %d per person, %.0f persons", need, bpp, persons)
	}
	cases := []struct {
		workers, replicates int
		available           int64
		want                string
	}{
		{2, 1, 0, ""},
		{0, 1, 0, "--workers 0"},
		{MaxWorkers + 1, 1, 0, "--workers 1025"},
		{2, 0, 0, "--replicates 0"},
		{2, MaxReplicates + 1, 0, "--replicates 100001"},
		{2, 1, need, ""},
		{2, 1, need - 1, "bytes per person"},
	}
	for _, c := range cases {
		err := CheckSize(s, c.workers, c.replicates, c.available)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckSize(%d, %d, %d) = %v, want nil", c.workers, c.replicates, c.available, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckSize(%d, %d, %d) = %v, want %q", c.workers, c.replicates, c.available, err, c.want)
		}
	}
}
