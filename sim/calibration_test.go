package sim

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/paysim/paysim/sim/report"
)

// defaultRun is the default county at full size, run once for the tests
// that read it.
var defaultRun struct {
	once sync.Once
	sum  *report.Summary
	json []byte
}

func fullDefault(t *testing.T) (*report.Summary, []byte) {
	t.Helper()
	if testing.Short() {
		t.Skip("full default county")
	}
	defaultRun.once.Do(func() {
		s := loadDefault(t)
		sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.WriteJSON(&b, sum); err != nil {
			t.Fatal(err)
		}
		defaultRun.sum, defaultRun.json = sum, b.Bytes()
	})
	if defaultRun.sum == nil {
		t.Fatal("the default county did not run")
	}
	return defaultRun.sum, defaultRun.json
}

// wppCDR is the national crude death rate of UN WPP 2024's medium
// projection for China [‰] (PPgp/wpp2024, data-raw/cdrprojMed.txt, the
// files CALIBRATION "Background mortality" cites for 2015–23).
var wppCDR = map[int]float64{2025: 8.274, 2026: 8.126, 2027: 8.298, 2028: 8.485, 2029: 8.680}

// TestDefaultCalibration checks the default county against CALIBRATION's
// bands: money levels and rates in the first year (later years grow by the
// sourced trends), shares, prevalence, control, management, the reserve and
// the crude death rate in every year of the horizon.
func TestDefaultCalibration(t *testing.T) {
	sum, _ := fullDefault(t)
	type band struct {
		name      string
		firstOnly bool
		lo, hi    func(year int) float64
		get       func(y report.Year) float64
	}
	fixed := func(x float64) func(int) float64 { return func(int) float64 { return x } }
	cond := func(c string, f func(report.ConditionYear) float64) func(report.Year) float64 {
		return func(y report.Year) float64 { return f(y.Health.Conditions[c]) }
	}
	bands := []band{
		// CALIBRATION "Visits: 6.8 per person (2023), ≈7.2 (2024) [V]".
		{"visits per person", true, fixed(6.8), fixed(7.2), func(y report.Year) float64 { return y.Utilisation.VisitsPerPerson }},
		// CALIBRATION "Admissions: 21.4 per 100 people (2023), ≈22.1 (2024) [V]": the
		// default is about 4% below 2023's level (county-ffs's hand check, 20.7);
		// the band allows ±10% around the two years.
		{"admissions per 100", true, fixed(19.3), fixed(24.3), func(y report.Year) float64 { return y.Utilisation.AdmissionsPer100 }},
		// CALIBRATION: mean stay 8.8 days in hospitals [V], 6–7 in townships [E].
		{"mean length of stay", true, fixed(6), fixed(9.5), func(y report.Year) float64 { return y.Utilisation.MeanLOS }},
		// county-ffs's target, from CALIBRATION's resident-scheme payout per enrollee.
		{"payout per enrollee", true, fixed(950), fixed(1300), func(y report.Year) float64 { return y.Fund.PayoutPerEnrollee }},
		// CALIBRATION "Tiered-care targets": primary outpatient ≈65% (a target [E];
		// Qinghai aims at 55% by 2025 [V]), in-county admissions ≈90% [E].
		{"primary outpatient share", false, fixed(0.50), fixed(0.65), func(y report.Year) float64 { return y.Utilisation.PrimaryOutpatientShare }},
		{"in-county admission share", false, fixed(0.85), fixed(0.92), func(y report.Year) float64 { return y.Utilisation.InCountyAdmissionShare }},
		// CALIBRATION "Reserve: under 3 months is a warning sign, over 9 is excessive [E]".
		{"reserve months", false, fixed(3), fixed(9), func(y report.Year) float64 { return *y.Fund.ReserveMonths }},
		// CALIBRATION "prefer 23–28% prevalence for a default"; control 9.7% [V],
		// 12.0% [S], 15.3% [V]; management: 110 m managed [S] ÷ 244.5 m prevalent [V] ≈ 45%.
		{"hypertension adult prevalence", false, fixed(0.23), fixed(0.28), cond("hypertension", func(c report.ConditionYear) float64 { return c.AdultPrevalence })},
		{"hypertension control rate", false, fixed(0.09), fixed(0.16), cond("hypertension", func(c report.ConditionYear) float64 { return c.ControlRate })},
		{"hypertension managed share", false, fixed(0.40), fixed(0.50), cond("hypertension", func(c report.ConditionYear) float64 { return c.ManagedShare })},
		// CALIBRATION "Diabetes, 2018: prevalence 12.4%, treatment 32.9%, controlled
		// among treated 50.1% [V]": control ≈16.5% of the prevalent.
		{"diabetes adult prevalence", false, fixed(0.11), fixed(0.14), cond("diabetes", func(c report.ConditionYear) float64 { return c.AdultPrevalence })},
		{"diabetes control rate", false, fixed(0.12), fixed(0.20), cond("diabetes", func(c report.ConditionYear) float64 { return c.ControlRate })},
		// The crude death rate: the national projection × a rural factor of
		// 1.25–1.57, mortality ×1.1–1.2 at 30+ (CALIBRATION "Rural mortality runs
		// above this national table [E]") times an older structure, ×1.14–1.31
		// (CALIBRATION: rural 65+ 17.72% in 2020 [S] against ≈13.5% nationally,
		// derived from urban ≈11.1%; the default's ≈17.5% against 15.4%
		// nationally at end-2023 [S]).
		{"crude death rate", false, func(y int) float64 { return 1.25 * wppCDR[y] }, func(y int) float64 { return 1.57 * wppCDR[y] },
			func(y report.Year) float64 { return y.Health.CrudeDeathRate }},
	}
	for _, b := range bands {
		for i, y := range sum.Yearly {
			if b.firstOnly && i > 0 {
				break
			}
			got, lo, hi := b.get(y), b.lo(y.Year), b.hi(y.Year)
			if !(got >= lo && got <= hi) {
				t.Errorf("%s in %d = %s, want within [%s, %s]", b.name, y.Year, fmt.Sprint(got), fmt.Sprint(lo), fmt.Sprint(hi))
			}
		}
	}
}
