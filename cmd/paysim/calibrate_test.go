package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A small county's claims calibrated back onto the built-in county-ffs:
// the built-in base is written beside the scenario, which extends it and
// loads; the fit report is printed and written as CSV. A population table
// whose bands are not the base's is invalid input.
func TestCalibrateCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "claims.csv")
	code, _, errs := paysim(t, context.Background(), "claims", "county-ffs", "--persons", "5000", "--years", "1", "--seed", "3", "--out", file)
	require.Equal(t, 0, code, errs)
	pop := filepath.Join(dir, "population.csv")
	require.NoError(t, os.WriteFile(pop, []byte(populationTable(5000)), 0o644))
	out := filepath.Join(dir, "county", "mine.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(out), 0o755))
	code, stdout, errs := paysim(t, context.Background(), "calibrate", "--claims", file, "--population", pop, "--base", "county-ffs", "--out", out)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "extends county-ffs.yaml")
	assert.Contains(t, stdout, "admissions per 100")
	assert.Contains(t, stdout, "figures within tolerance")
	y, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(y), "extends: county-ffs.yaml\n")
	assert.Contains(t, string(y), "# calibrated from claims.csv (")
	_, err = os.Stat(filepath.Join(dir, "county", "county-ffs.yaml"))
	assert.NoError(t, err, "the built-in base beside the scenario")
	fit, err := os.ReadFile(filepath.Join(dir, "county", "mine-fit.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(fit), "figure,observed,simulated,difference,tolerance,within\n"), string(fit))
	code, _, errs = paysim(t, context.Background(), "run", out, "--years", "1")
	assert.Equal(t, 0, code, errs)

	require.NoError(t, os.WriteFile(pop, []byte("from,to,sex,persons\n0,49,F,10\n50,120,F,10\n"), 0o644))
	code, _, errs = paysim(t, context.Background(), "calibrate", "--claims", file, "--population", pop, "--base", "county-ffs", "--out", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "want the base scenario's bands 0–14, 15–29")
}

// A fit stopped before it reaches the claims is a failed expectation
// (exit status 1): claims whose village takes more visits than the base's,
// calibrated with one simulation, which runs at the base's choice
// constants, miss the tiers' visit shares. The scenario and the fit report
// are written all the same, and stderr names each figure that missed.
func TestCalibrateMissExitsOne(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "claims.csv")
	code, _, errs := paysim(t, context.Background(), "claims", "county-ffs", "--persons", "5000", "--years", "1", "--seed", "3",
		"--set", "tiers.village.constants.visit=0", "--out", file)
	require.Equal(t, 0, code, errs)
	pop := filepath.Join(dir, "population.csv")
	require.NoError(t, os.WriteFile(pop, []byte(populationTable(5000)), 0o644))
	out := filepath.Join(dir, "mine.yaml")
	code, stdout, errs := paysim(t, context.Background(), "calibrate", "--claims", file, "--population", pop, "--base", "county-ffs",
		"--out", out, "--iterations", "1", "--replicates", "1")
	assert.Equal(t, 1, code, errs)
	assert.Contains(t, stdout, "OFF")
	assert.Regexp(t, `(?m)^fit: visit share village: simulated 0\.\d+, observed 0\.\d+: 0\.\d+ apart; want at most 0\.\d+$`, errs)
	assert.Regexp(t, `mine.yaml: \d+ of \d+ figures of the fit outside their tolerance after 1 simulation\(s\)`, errs)
	for _, f := range []string{out, filepath.Join(dir, "mine-fit.csv")} {
		_, err := os.Stat(f)
		assert.NoError(t, err, "written all the same")
	}
	fit, err := os.ReadFile(filepath.Join(dir, "mine-fit.csv"))
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^visit share village,.*,0$`, string(fit))
	// stderr lists exactly the figures the CSV marks as outside.
	assert.Equal(t, strings.Count(string(fit), ",0\n"), len(regexp.MustCompile(`(?m)^fit: `).FindAllString(errs, -1)))
}

// populationTable is the population table of a county-ffs county of n
// persons, as its band weights and male share split it.
func populationTable(n int) string {
	table := "from,to,sex,persons\n"
	for _, b := range []struct {
		band string
		w    float64
	}{{"0,14", 0.18}, {"15,29", 0.15}, {"30,44", 0.19}, {"45,59", 0.24}, {"60,69", 0.13}, {"70,79", 0.075}, {"80,120", 0.035}} {
		p := b.w * float64(n)
		m := int(p * 0.51)
		table += b.band + ",F," + strconv.Itoa(int(p)-m) + "\n" + b.band + ",M," + strconv.Itoa(m) + "\n"
	}
	return table
}
