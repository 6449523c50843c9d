package sim

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

// TestRangeExtremes feeds each documented range its ends, and the smallest
// positive number inside it, and wants every run to finish quickly with
// finite figures or to be refused with an error — never a panic, a hang or
// a NaN. The ranges are those docs/scenario.md gives.
func TestRangeExtremes(t *testing.T) {
	const tiny = 5e-324
	ranges := []struct {
		scenario, path string
		values         []float64
	}{
		{"county-ffs.yaml", "variation.charges", []float64{0, tiny, 1e-200, 5}},
		{"county-ffs.yaml", "variation.los", []float64{0, tiny, 1e-200, 5}},
		{"county-ffs.yaml", "conditions.hypertension.heterogeneity", []float64{0, tiny, 3}},
		{"county-ffs.yaml", "choice.price_sensitivity", []float64{0, tiny, 1e12}},
		{"county-ffs.yaml", "population.male_share", []float64{0, 1}},
		{"county-ffs.yaml", "population.entrants.rate", []float64{0, tiny, 0.3}},
		{"county-ffs.yaml", "fund.growth", []float64{-0.5, 1}},
		{"county-ffs.yaml", "fund.other_income", []float64{0, 1}},
		{"county-ffs.yaml", "fund.premium", []float64{0, 0.99}},
		{"county-ffs.yaml", "fund.opening_balance", []float64{-1e12, 0, 1e12}},
		{"county-ffs.yaml", "trends.volume.admissions", []float64{-0.5, 1}},
		{"county-ffs.yaml", "trends.price.inpatient", []float64{-0.5, 1}},
		{"county-ffs.yaml", "discount_rate", []float64{0, 0.99}},
		{"county-ffs.yaml", "benefit.inpatient_ceiling", []float64{tiny, 1e12}},
		{"county-global-budget.yaml", "consortia.county-medical-community.budget.growth", []float64{-0.5, 1}},
		{"county-global-budget.yaml", "consortia.county-medical-community.budget.risk_reserve", []float64{0, 0.99}},
		{"county-drg.yaml", "payment.drg-in-county.drg.budget.growth", []float64{-0.5, 1}},
		{"county-dip.yaml", "payment.dip-inpatient.dip.fund_ratio", []float64{tiny, 0.01, 1}},
		{"county-dip.yaml", "payment.dip-inpatient.dip.advance", []float64{0, 1}},
		{"county-ffs.yaml", "groups.stroke.by_tier.county.charges", []float64{tiny, 1e12}},
		{"county-ffs.yaml", "groups.stroke.by_tier.county.los", []float64{tiny, 365}},
		{"county-ffs.yaml", "tiers.county.visit_charges", []float64{tiny, 1e12}},
		{"county-drg.yaml", "groups.stroke.by_tier.county.charges", []float64{tiny, 1e12}},
		{"county-dip.yaml", "groups.stroke.by_tier.county.charges", []float64{tiny, 1e12}},
		{"county-global-budget.yaml", "consortia.county-medical-community.budget.per_capita", []float64{tiny, 1e12}},
	}
	for _, r := range ranges {
		accepted := 0
		for _, v := range r.values {
			name := fmt.Sprintf("%s %s=%g", r.scenario, r.path, v)
			s, err := scenario.LoadFS(scenarios.FS, r.scenario,
				[]string{"population.size=600", "years=3", fmt.Sprintf("%s=%v", r.path, v)})
			if err != nil {
				continue // refused with its position: fine
			}
			accepted++
			done := make(chan error, 1)
			go func() { _, err := Run(context.Background(), s, Options{Seed: 1, Workers: 2}); done <- err }()
			select {
			case err := <-done:
				var se *scenario.Error
				if err != nil && !errors.As(err, &se) { // a scenario.Error refuses the input (exit 2): fine
					t.Errorf("%s: the run of an accepted scenario failed: %v", name, err)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("%s: still running after 30 s", name)
			}
		}
		if accepted == 0 {
			t.Errorf("%s %s: no value accepted; want a path that names a value and a range inside what validation allows", r.scenario, r.path)
		}
	}
}
