package main

import (
	"context"
	"os"
	"path/filepath"
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
	table := "from,to,sex,persons\n"
	for _, b := range []struct {
		band string
		f, m int
	}{{"0,14", 441, 459}, {"15,29", 367, 383}, {"30,44", 465, 485}, {"45,59", 588, 612}, {"60,69", 318, 332}, {"70,79", 184, 191}, {"80,120", 86, 89}} {
		table += b.band + ",F," + strconv.Itoa(b.f) + "\n" + b.band + ",M," + strconv.Itoa(b.m) + "\n"
	}
	require.NoError(t, os.WriteFile(pop, []byte(table), 0o644))
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
