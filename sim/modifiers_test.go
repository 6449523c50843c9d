package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

// TestByRunYears: a treatment that stops every new case for the first five
// years of the run, and none after: nobody falls sick in the first five
// years, and the sick appear in the sixth.
func TestByRunYears(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "teaching/markov-4state.yaml", []string{"population.size=2000", "years=8",
		"conditions.sick-sicker.transitions.healthy->sick.by_run_years=[{years: 0, factor: 0}, {years: 5, factor: 1}]"})
	require.NoError(t, err)
	sum, err := Run(context.Background(), s, Options{Seed: 1, Workers: 2})
	require.NoError(t, err)
	for i, y := range sum.Yearly {
		prev := y.Health.Conditions["sick-sicker"].Prevalence
		switch {
		case i < 5 && prev != 0:
			t.Errorf("year %d: prevalence %v while the treatment holds the transition at 0; want 0", i+1, prev)
		case i >= 5 && prev == 0:
			t.Errorf("year %d: prevalence 0 after the treatment ended; want the sick back", i+1)
		}
	}
}
