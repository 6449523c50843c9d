//go:build ablate

package engine

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/tally"
)

// TestAblations: each part PAYSIM_ABLATE names is left out of the run, and
// only it; the timings of docs/scale.md rest on it.
func TestAblations(t *testing.T) {
	m, plan, rules := county(t, "population.size=20000", "years=1")
	type sums struct{ visits, admissions, complications, deaths, personCycles int64 }
	// Each run sets the switches and clears them after: the tests that
	// follow run whole, whatever PAYSIM_ABLATE says.
	run := func(conditions, visits, all bool) sums {
		ablateConditions, ablateVisits, ablateAll = conditions, visits, all
		defer func() { ablateConditions, ablateVisits, ablateAll = false, false, false }()
		var s sums
		err := newSim(t, m, plan, rules, Options{Seed: 1, Workers: 2}).Run(context.Background(), func(y *tally.Year) error {
			k := y.Counts
			for _, n := range k.Visits {
				s.visits += n
			}
			for _, n := range k.Admissions {
				s.admissions += n
			}
			for _, n := range k.NewComplications {
				s.complications += n
			}
			s.deaths, s.personCycles = s.deaths+k.Deaths, s.personCycles+k.PersonCycles
			return nil
		})
		require.NoError(t, err)
		return s
	}
	whole := run(false, false, false)
	require.Positive(t, whole.visits)
	require.Positive(t, whole.admissions)
	require.Positive(t, whole.complications)

	noConditions := run(true, false, false)
	assert.Zero(t, noConditions.complications, "no condition steps: no complications")
	assert.Positive(t, noConditions.visits, "the age bands' visits remain")
	assert.Less(t, noConditions.visits, whole.visits, "the conditions' visits are gone")

	// The visits are the last draws of a person's stream, and the stays draw
	// from streams of their own: without them, everything else is the same.
	noVisits := run(false, true, false)
	assert.Zero(t, noVisits.visits)
	noVisits.visits = whole.visits
	assert.Equal(t, whole, noVisits)

	bare := run(false, false, true)
	assert.Zero(t, bare.visits+bare.admissions+bare.complications, "only the reset, the tallies and the death draw")
	assert.Positive(t, bare.deaths)
	assert.InDelta(t, whole.personCycles, bare.personCycles, 0.01*float64(whole.personCycles))
}

func TestAblationsParsed(t *testing.T) {
	for _, c := range []struct {
		list                    string
		conditions, visits, all bool
	}{
		{"", false, false, false},
		{"conditions", true, false, false},
		{"conditions,visits", true, true, false},
		{" visits , all ", false, true, true},
	} {
		conditions, visits, all := ablations(c.list)
		assert.Equal(t, []bool{c.conditions, c.visits, c.all}, []bool{conditions, visits, all}, "%q", c.list)
	}
}
