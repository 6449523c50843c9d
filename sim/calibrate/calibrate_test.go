package calibrate

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// tableOf is the population table of a scenario's bands: weight × size
// persons, split by male_share.
func tableOf(s *scenario.Scenario) *Table {
	t := &Table{File: "population.csv"}
	for _, b := range s.Population.AgeBands {
		n := b.Weight * float64(s.Population.Size)
		m := math.Round(n * s.Population.MaleShare)
		t.Bands = append(t.Bands, Band{From: b.From, To: b.To, Persons: [2]float64{math.Round(n) - m, m}})
	}
	return t
}

func generate(t *testing.T, s *scenario.Scenario, tab *Table, seed uint64) *Tally {
	t.Helper()
	obs := NewTally(tab)
	err := sim.GenerateClaims(context.Background(), s, sim.Options{Seed: seed, Workers: 2}, func(c *claims.Claim) error {
		obs.Add(c)
		return nil
	})
	require.NoError(t, err)
	return obs
}

// TestRoundTrip generates the claims of a small county-ffs, calibrates
// county-ffs back onto them, writes the calibrated scenario, and runs it
// with a third seed: every figure of the fit is within its tolerance.
// The same with claims generated from a county-ffs whose choice
// constants, rates, a group's LOS and the spread of charges and LOS were
// moved: the calibration moves them back.
func TestRoundTrip(t *testing.T) {
	small := []string{"population.size=20000", "years=1"}
	for _, tc := range []struct {
		name  string
		moved []string // the claims' county-ffs against the base
		check func(t *testing.T, s *scenario.Scenario, obs *Tally)
	}{
		{name: "same"},
		{name: "moved", moved: []string{"tiers.village.constants.visit=0", "tiers.outside.constants.admission=-0.5",
			"population.admissions.general_medical=0.265", "population.admissions.respiratory=0.27",
			"population.age_bands.60-69.admissions=0.5", "groups.stroke.by_tier.county.los=16",
			"variation.charges=0.8", "variation.los=0.3"},
			check: func(t *testing.T, s *scenario.Scenario, obs *Tally) {
				// The spreads drawn (base: 0.6 and 0.5); a pooled cv over
				// about 4,000 stays has a sampling error of a few percent.
				if v := s.Variation.Charges; math.Abs(v-0.8) > 0.06 {
					t.Errorf("variation.charges %.4f, want 0.8 ± 0.06 (generated at 0.8, base 0.6)", v)
				}
				if v := s.Variation.LOS; math.Abs(v-0.3) > 0.03 {
					t.Errorf("variation.los %.4f, want 0.3 ± 0.03 (generated at 0.3, base 0.5)", v)
				}
				want := obs.cells[cell{"stroke", "county"}][1].mean() // 13.64 from 61 stays drawn at 16
				for _, g := range s.Groups {
					for _, bt := range g.ByTier {
						if g.Name == "stroke" && bt.Tier == "county" && (math.Abs(bt.LOS-want) > 0.005 || bt.LOS < 13) {
							t.Errorf("stroke at county: LOS %.2f, want the claims' %.2f (drawn at 16; base 12)", bt.LOS, want)
						}
					}
				}
				for _, sh := range s.Population.Admissions {
					if sh.Name == "respiratory" && math.Abs(sh.Value-0.27) > 0.03 {
						t.Errorf("respiratory: %.3f of background admissions, want 0.27 ± 0.03 (generated at 0.27, base 0.17)", sh.Value)
					}
				}
				for _, b := range s.Population.AgeBands {
					if b.Name == "60-69" && b.Admissions < 0.4 {
						t.Errorf("60-69: background admissions %.3f, want above 0.4 (generated at 0.5, base 0.32)", b.Admissions)
					}
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gen, err := scenario.LoadFS(scenarios.FS, "county-ffs.yaml", append(small, tc.moved...))
			require.NoError(t, err)
			tab := tableOf(gen)
			obs := generate(t, gen, tab, 7)
			res, err := Run(context.Background(), Options{ClaimsFile: "claims.csv", Claims: obs, Table: tab, Workers: 2, Replicates: 4,
				Load: func(sets []string) (*scenario.Scenario, error) {
					return scenario.LoadFS(scenarios.FS, "county-ffs.yaml", sets)
				}})
			require.NoError(t, err)

			dir := t.TempDir()
			base, err := scenarios.FS.ReadFile("county-ffs.yaml")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "county-ffs.yaml"), base, 0o644))
			var y bytes.Buffer
			require.NoError(t, res.WriteYAML(&y, "county-ffs.yaml", "calibrated"))
			for i, l := range strings.Split(strings.TrimSpace(y.String()), "\n") {
				if strings.Contains(l, ": ") && !strings.HasPrefix(strings.TrimSpace(l), "#") && !strings.HasSuffix(l, ":") &&
					!strings.Contains(l, "name: ") && !strings.Contains(l, "tier: ") && !strings.HasPrefix(l, "extends: ") &&
					!strings.Contains(l, "# calibrated from ") {
					t.Errorf("line %d %q: a value without its calibrated-from comment", i+1, l)
				}
			}
			out := filepath.Join(dir, "calibrated.yaml")
			require.NoError(t, os.WriteFile(out, y.Bytes(), 0o644))
			s, err := scenario.Load(out, []string{"years=1"})
			require.NoError(t, err)
			if tc.check != nil {
				tc.check(t, s, obs)
			}
			var tiers, groups, bands []string
			for _, g := range s.Groups {
				groups = append(groups, g.Name)
			}
			for _, x := range s.Tiers {
				tiers = append(tiers, x.Name)
			}
			for _, b := range s.Population.AgeBands {
				bands = append(bands, b.Name)
			}
			// The written scenario, run with the fit's seed, gives the fit report.
			st, err := Simulate(context.Background(), s, tab, res.Seed, 2)
			require.NoError(t, err)
			got := Fit(obs, st, tiers, groups, bands, tab.Persons(), res.SD)
			require.Equal(t, len(res.Fit), len(got))
			var tierShares, groupShares float64
			for _, f := range got {
				switch name := strings.TrimPrefix(f.Name, "admission share "); {
				case name == f.Name:
				case slices.Contains(tiers, name):
					tierShares += f.Observed
				default:
					groupShares += f.Observed
				}
			}
			if math.Abs(tierShares-1) > 1e-9 || math.Abs(groupShares-1) > 1e-9 {
				t.Errorf("admission shares by tier sum to %g, by group to %g; want 1", tierShares, groupShares)
			}
			for i, f := range got {
				if f != res.Fit[i] {
					t.Errorf("%s: written scenario %+v, want the fit report's %+v", f.Name, f, res.Fit[i])
				}
				if !f.OK() {
					t.Errorf("%s: simulated %.4g, observed %.4g; want within %.3g", f.Name, f.Simulated, f.Observed, f.Tolerance)
				}
			}
			// With a seed of its own, the difference holds three samples (the
			// claims, the fit's simulation, this one): tolerances × √(3/2).
			st, err = Simulate(context.Background(), s, tab, 99, 2)
			require.NoError(t, err)
			for _, f := range Fit(obs, st, tiers, groups, bands, tab.Persons(), res.SD) {
				if math.Abs(f.Simulated-f.Observed) > f.Tolerance*math.Sqrt(1.5) {
					t.Errorf("seed 99: %s: simulated %.4g, observed %.4g; want within %.3g", f.Name, f.Simulated, f.Observed, f.Tolerance*math.Sqrt(1.5))
				}
			}
		})
	}
}

func TestFigureTolerance(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Figure
		want float64
	}{
		// 400 stays over 2,000 person-years: 20 per 100, SE √400/2000×100 = 1, × 3√2
		{"rate, sampling", rateFigure("r", 400, 400, 2000, 100), 3 * math.Sqrt2},
		// 1e6 visits over 1e5 person-years: SE 0.01, × 3√2 = 0.042 < 2% of 10
		{"rate, floor", rateFigure("r", 1e6, 1e6, 1e5, 1), 0.2},
		// p = 0.5 of 100: SE 0.05, × 3√2
		{"share, sampling", shareFigure("s", 50, 100, 50, 100), 0.05 * 3 * math.Sqrt2},
		{"share, floor", shareFigure("s", 5e5, 1e6, 5e5, 1e6), 0.01},
	} {
		if math.Abs(tc.f.Tolerance-tc.want) > 1e-9 {
			t.Errorf("%s: tolerance = %g, want %g", tc.name, tc.f.Tolerance, tc.want)
		}
	}
}

func TestReadTable(t *testing.T) {
	good := "from,to,sex,persons\n0,14,F,100\n0,14,M,110\n15,120,F,300\n15,120,M,290\n"
	tab, err := ReadTable(strings.NewReader(good), "p.csv")
	require.NoError(t, err)
	if n := tab.Persons(); n != 800 {
		t.Errorf("Persons() = %g, want 800", n)
	}
	if b := tab.Band(130); b != 1 {
		t.Errorf("Band(130) = %d, want 1, the last band", b)
	}
	for _, tc := range []struct{ in, want string }{
		{"from,to,sex\n", "p.csv:1:0: header"},
		{"from,to,sex,persons\n0,14,X,100\n", `p.csv:2:3: sex: "X"; want F or M`},
		{"from,to,sex,persons\n0,14,F,-1\n", `p.csv:2:4: persons: "-1"`},
		{"from,to,sex,persons\n0,14,F,1\n0,14,F,2\n", "p.csv:3:0: band 0–14 sex F again (first at row 2)"},
		{"from,to,sex,persons\n0,14,F,1\n20,30,F,2\n", "gap or overlap at age 15"},
	} {
		_, err := ReadTable(strings.NewReader(tc.in), "p.csv")
		var ce *claims.Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadTable(%q) = %v, want an error with %q", tc.in, err, tc.want)
		}
	}
}

// The spread pools the stays' deviations from their own cell's mean: two
// cells, 100 and 300 (mean 200: ratios 0.5, 1.5) and 10, 10, 40 (mean 20:
// 0.5, 0.5, 2), give Σ (ratio − 1)² = 0.5 + 1.5 = 2 over 1 + 2 degrees of
// freedom, cv √(2/3); a cell of one stay adds nothing.
func TestSpread(t *testing.T) {
	tab := &Table{Bands: []Band{{From: 0, To: 120, Persons: [2]float64{10, 10}}}}
	ta := NewTally(tab)
	add := func(group string, charges float64, los int) {
		ta.Add(&claims.Claim{Provider: "p", Tier: "county", Service: payment.Inpatient, Group: group, Charges: charges, LOS: los, Readmit: claims.NoReadmit})
	}
	add("a", 100, 2)
	add("a", 300, 2)
	add("b", 10, 1)
	add("b", 10, 1)
	add("b", 40, 4)
	add("c", 5000, 9)
	cv, n := ta.spread(0)
	if math.Abs(cv-math.Sqrt(2.0/3)) > 1e-12 || n != 5 {
		t.Errorf("spread of charges = %v over %d stays, want √(2/3) = 0.8165 over 5", cv, n)
	}
	cv, _ = ta.spread(1) // LOS: a has no spread; b: 1, 1, 4 (mean 2: 0.5, 0.5, 2) → 1.5 over 3
	if math.Abs(cv-math.Sqrt(0.5)) > 1e-12 {
		t.Errorf("spread of LOS = %v, want √(1.5/3) = 0.7071", cv)
	}
}
