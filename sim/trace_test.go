package sim

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTraceCounts: the trace of a county run with two conditions and
// background deaths, from the simulation's counts. Every point is the start
// of a cycle or the end of the last; each condition's living states add up
// to the share alive, and the living, the dead of every cause and the
// background deaths to the whole cohort; at each year's end the share alive
// is the year's alive ÷ persons.
func TestTraceCounts(t *testing.T) {
	s := loadDefault(t, "population.size=3000", "years=2", "population.entrants.rate=0")
	sum, err := Run(context.Background(), s, Options{Seed: 5, Workers: 2})
	require.NoError(t, err)
	tr := sum.Trace
	require.Len(t, tr.Rows, 2*12+1, "a point at the start of every cycle and the end of the last")
	require.Len(t, s.Conditions, 2)
	require.Len(t, tr.States, len(s.Conditions[0].States)+len(s.Conditions[1].States), "a column per state")
	for i, r := range tr.Rows {
		if r.Cycle != i || math.Abs(r.Time-float64(i)/12) > 1e-15 {
			t.Errorf("row %d: cycle %d at %v years; want cycle %d at %v", i, r.Cycle, r.Time, i, float64(i)/12)
		}
		total := r.Alive + r.Background
		k := 0
		for _, c := range s.Conditions {
			living := 0.0
			for _, st := range c.States {
				if st.Dead {
					total += r.States[k]
				} else {
					living += r.States[k]
				}
				k++
			}
			if math.Abs(living-r.Alive) > 1e-12 {
				t.Errorf("cycle %d: %s's living states add up to %v, want the share alive %v", r.Cycle, c.Name, living, r.Alive)
			}
		}
		if math.Abs(total-1) > 1e-12 {
			t.Errorf("cycle %d: alive and dead add up to %v, want 1", r.Cycle, total)
		}
	}
	for y, yr := range sum.Yearly {
		if got, want := tr.Rows[12*(y+1)].Alive, float64(yr.Health.Alive)/3000; got != want {
			t.Errorf("%d: alive at the year's end %v in the trace, %v in the summary", yr.Year, got, want)
		}
	}
}
