package sim

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"strings"
	"testing"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

// FuzzCheck: any scenario the loader accepts compiles and binds its rules
// without a panic, and a small one runs a year without one, as a
// microsimulation and as a cohort (or the cohort is refused).
func FuzzCheck(f *testing.F) {
	err := fs.WalkDir(scenarios.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		b, err := fs.ReadFile(scenarios.FS, path)
		if err == nil && !strings.Contains(string(b), "extends:") { // Parse reads one file
			f.Add(b)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.yaml", data, []string{"years=1"})
		if err != nil {
			return
		}
		if err := Check(s); err != nil {
			return
		}
		if s.Population.Size > 2000 {
			s.Population.Size = 2000
		}
		if _, err := Run(context.Background(), s, Options{Seed: 1, Workers: 2}); err != nil {
			t.Fatalf("run of an accepted scenario: %v", err)
		}
		var se *scenario.Error
		if _, err := Run(context.Background(), s, Options{Mode: Cohort}); err != nil && !errors.As(err, &se) {
			t.Fatalf("cohort of an accepted scenario: %v; want it run or refused with a place", err)
		}
	})
}

// FuzzPrice: any case is priced or refused with an error, never a panic,
// and a price is finite with the fund paying at most the payment.
func FuzzPrice(f *testing.F) {
	s, err := scenario.LoadFS(scenarios.FS, "county-drg.yaml", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("stroke", "county", "", "", 9, 8000.0, false, -1, 0.0, 0.0)
	f.Add("", "village", "", "outpatient", 0, 50.0, false, -1, 0.0, 0.0)
	f.Add("stroke", "township", "thc-baima", "long_stay", 30, 9000.0, true, 3, 7000.0, 12.0)
	f.Fuzz(func(t *testing.T, group, tier, provider, service string, los int, charges float64, transfer bool, readmit int, prev, pv float64) {
		q, err := Price(s, PriceRequest{Group: group, Tier: tier, Provider: provider, Service: service, LOS: los,
			Charges: charges, Transfer: transfer, ReadmitDays: readmit, PrevRevenue: prev, PointValue: pv})
		if err != nil || !(charges >= 0 && charges <= 1e12 && los >= 0 && los <= 65535 && prev >= 0 && prev <= 1e12) {
			return
		}
		if math.IsNaN(q.Payment) || math.IsInf(q.Payment, 0) || q.FundPays > max(q.Payment, 0)+1e-6 {
			t.Fatalf("price %+v of charges %v, LOS %d", q, charges, los)
		}
	})
}
