package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/scenario"
)

// TestStepChunkAllocsWithRules: a cycle of a chunk allocates nothing under
// the library's real payment rules either, whose pricers price every stay
// as it is booked, with responses on (coded weights, split stays,
// readmissions, induced stays) and off.
func TestStepChunkAllocsWithRules(t *testing.T) {
	for _, name := range []string{"county-drg.yaml", "county-dip.yaml", "county-global-budget.yaml", "urban-medical-group.yaml"} {
		for _, on := range []string{"false", "true"} {
			s, err := scenario.LoadFS(scenarios.FS, name, []string{"population.size=8192", "responses.enabled=" + on})
			require.NoError(t, err)
			w, err := sim.Compile(s)
			require.NoError(t, err)
			e, err := engine.New(context.Background(), w.Model, w.Plan, w.Rules, engine.Options{Seed: 1, Workers: 1, Payer: w.Payer})
			require.NoError(t, err)
			cycle := 0
			for ; cycle < 3; cycle++ {
				e.StepFirstChunk(cycle)
			}
			if allocs := testing.AllocsPerRun(10, func() { e.StepFirstChunk(cycle); cycle++ }); allocs != 0 {
				t.Errorf("%s, responses %s: a chunk's cycle allocates %v times, want 0", name, on, allocs)
			}
		}
	}
}
