package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

// TestRangeExtremes feeds each documented range its ends, and the smallest
// positive number inside it: each value validation accepts must run to the
// end, quickly and without error (a NaN fails the run); the values listed
// as refused must be refused. The ranges are those docs/scenario.md gives.
func TestRangeExtremes(t *testing.T) {
	const tiny = 5e-324
	ranges := []struct {
		scenario, path string
		values         []float64
		refused        []float64 // values validation must refuse
	}{
		{"county-ffs.yaml", "variation.charges", []float64{0, tiny, 1e-200, 5}, nil},
		{"county-ffs.yaml", "variation.los", []float64{0, tiny, 1e-200, 5}, nil},
		{"county-ffs.yaml", "conditions.hypertension.heterogeneity", []float64{0, tiny, 3}, nil},
		{"county-ffs.yaml", "choice.price_sensitivity", []float64{0, tiny, 1e12}, nil},
		{"county-ffs.yaml", "population.male_share", []float64{0, 1}, nil},
		{"county-ffs.yaml", "population.entrants.rate", []float64{0, tiny, 0.3}, nil},
		{"county-ffs.yaml", "fund.growth", []float64{-0.5, 1}, nil},
		{"county-ffs.yaml", "fund.other_income", []float64{0, 1}, nil},
		{"county-ffs.yaml", "fund.premium", []float64{0, 0.99}, nil},
		{"county-ffs.yaml", "fund.opening_balance", []float64{-1e12, 0, 1e12}, nil},
		{"county-ffs.yaml", "trends.volume.admissions", []float64{-0.5, 1}, nil},
		{"county-ffs.yaml", "trends.price.inpatient", []float64{-0.5, 1}, nil},
		{"county-ffs.yaml", "discount_rate", []float64{0, 0.99}, nil},
		{"county-ffs.yaml", "benefit.inpatient_ceiling", []float64{tiny, 1e12}, nil},
		{"county-global-budget.yaml", "consortia.county-medical-community.budget.growth", []float64{-0.5, 1}, nil},
		{"county-global-budget.yaml", "consortia.county-medical-community.budget.risk_reserve", []float64{0, 0.99}, nil},
		{"county-drg.yaml", "payment.drg-in-county.drg.budget.growth", []float64{-0.5, 1}, nil},
		{"county-dip.yaml", "payment.dip-inpatient.dip.fund_ratio", []float64{0.01, 1}, []float64{tiny, 0}},
		{"county-dip.yaml", "payment.dip-inpatient.dip.advance", []float64{0, 1}, nil},
		{"county-ffs.yaml", "groups.stroke.by_tier.county.charges", []float64{tiny, 1e12}, nil},
		{"county-ffs.yaml", "groups.stroke.by_tier.county.los", []float64{1, 365}, []float64{tiny, 0.5}},
		{"county-ffs.yaml", "tiers.county.visit_charges", []float64{tiny, 1e12}, nil},
		{"county-drg.yaml", "groups.stroke.by_tier.county.charges", []float64{tiny, 1e12}, nil},
		{"county-dip.yaml", "groups.stroke.by_tier.county.charges", []float64{tiny, 1e12}, nil},
		{"county-global-budget.yaml", "consortia.county-medical-community.budget.per_capita", []float64{tiny, 1e12}, nil},
	}
	for _, r := range ranges {
		for _, v := range r.refused {
			if _, err := scenario.LoadFS(scenarios.FS, r.scenario, []string{fmt.Sprintf("%s=%v", r.path, v)}); err == nil {
				t.Errorf("%s %s=%g: accepted; want it refused", r.scenario, r.path, v)
			}
		}
		for _, v := range r.values {
			name := fmt.Sprintf("%s %s=%g", r.scenario, r.path, v)
			s, err := scenario.LoadFS(scenarios.FS, r.scenario,
				[]string{"population.size=600", "years=3", fmt.Sprintf("%s=%v", r.path, v)})
			if err != nil {
				t.Errorf("%s: refused: %v; want a value inside the range run", name, err)
				continue
			}
			done := make(chan error, 1)
			go func() { _, err := Run(context.Background(), s, Options{Seed: 1, Workers: 2}); done <- err }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s: the run of an accepted scenario failed: %v", name, err)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("%s: still running after 30 s", name)
			}
		}
	}
}
