package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// A generated county's claims, with a malformed row, priced under
// county-dip: the bad row reported on stderr at its row and column, the
// others priced, providers with fewer claims than --min-cases suppressed.
func TestPriceClaimsCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "claims.csv")
	code, out, errs := paysim(t, context.Background(), "claims", "county-ffs", "--persons", "2000", "--years", "1", "--out", file)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "claims.csv: ")
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	visit := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, ",outpatient,") }) // the first visit's row
	require.Positive(t, visit)
	lines[visit] = strings.Replace(lines[visit], ",outpatient,", ",surgery,", 1)
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644))
	rows := len(lines) - 2 // the header and the final newline

	code, out, errs = paysim(t, context.Background(), "price", "--claims", file, "county-dip", "--persons", "2000", "--out", dir, "--min-cases", "100000", "--lang", "en")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, fmt.Sprintf("%s:%d:3: service: \"surgery\"; want outpatient, inpatient or long_stay", file, visit+1))
	assert.Contains(t, errs, "1 rejected (1 malformed, 0 the scenario cannot price)")
	assert.Contains(t, errs, "malformed rows by the column of their first problem: service 1\n")
	assert.Contains(t, out, "providers with fewer than 100000 claims suppressed")
	assert.Contains(t, out, "point_value_settled")
	prov, err := os.ReadFile(filepath.Join(dir, "providers.csv"))
	require.NoError(t, err)
	for _, l := range strings.Split(strings.TrimSpace(string(prov)), "\n")[1:] {
		assert.True(t, strings.HasSuffix(l, ",1,,,,,,,,,,,"), "not suppressed: %s", l)
	}
	priced, err := os.ReadFile(filepath.Join(dir, "priced.csv"))
	require.NoError(t, err)
	assert.Equal(t, rows-1, strings.Count(string(priced), "\n")-1, "one row per priced claim")

	// repricing.json names every provider, all suppressed here, with no
	// figure; the workbook and the report are made from it.
	rj, err := os.ReadFile(filepath.Join(dir, "repricing.json"))
	require.NoError(t, err)
	assert.Contains(t, string(rj), `"schema": "paysim.repricing/1"`)
	assert.NotContains(t, string(rj), `"cases"`, "suppressed providers have no figures")
	assert.Equal(t, strings.Count(string(prov), "\n")-1, strings.Count(string(rj), `"suppressed": true`))
	wb, err := excelize.OpenFile(filepath.Join(dir, "results.xlsx"))
	require.NoError(t, err)
	assert.Equal(t, []string{"repricing by provider", "repricing by tier"}, wb.GetSheetList())
	wb.Close()
	html := filepath.Join(dir, "report.html")
	code, _, errs = paysim(t, context.Background(), "report", dir, "--out", html, "--lang", "en")
	require.Equal(t, 0, code, errs)
	page, err := os.ReadFile(html)
	require.NoError(t, err)
	for _, want := range []string{"county-dip: last year&#39;s claims repriced", "(suppressed: fewer than 100000 claims)"} {
		assert.True(t, strings.Contains(string(page), want), "the report has %q", want)
	}

	code, _, errs = paysim(t, context.Background(), "price", "--claims", file, "county-dip", "--charges", "5")
	assert.Equal(t, 2, code, errs)

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("provider,colour\n"), 0o644))
	code, _, errs = paysim(t, context.Background(), "price", "--claims", bad, "county-dip")
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, bad+`:1:2: unknown column "colour"`)
}

// The same claims as CSV and as an Excel workbook are priced the same, to
// the byte of priced.csv and providers.csv; a bad cell of the workbook is
// reported at its sheet and cell, and its row left out.
func TestPriceClaimsExcel(t *testing.T) {
	dir := t.TempDir()
	csvFile, xlsxFile := filepath.Join(dir, "claims.csv"), filepath.Join(dir, "claims.xlsx")
	for _, f := range []string{csvFile, xlsxFile} {
		code, _, errs := paysim(t, context.Background(), "claims", "county-ffs", "--persons", "2000", "--years", "1", "--seed", "5", "--out", f)
		require.Equal(t, 0, code, errs)
	}
	priced := map[string][]string{}
	for _, f := range []string{csvFile, xlsxFile} {
		out := filepath.Join(dir, filepath.Ext(f)[1:])
		code, stdout, errs := paysim(t, context.Background(), "price", "--claims", f, "county-drg", "--persons", "2000", "--out", out)
		require.Equal(t, 0, code, errs)
		assert.Contains(t, errs, f+": ")
		assert.Contains(t, errs, " 0 rejected")
		for _, name := range []string{"priced.csv", "providers.csv"} {
			b, err := os.ReadFile(filepath.Join(out, name))
			require.NoError(t, err)
			priced[f] = append(priced[f], string(b))
		}
		priced[f] = append(priced[f], stdout)
	}
	assert.Equal(t, priced[csvFile], priced[xlsxFile], "priced.csv, providers.csv and the table")

	wb, err := excelize.OpenFile(xlsxFile)
	require.NoError(t, err)
	require.NoError(t, wb.SetCellValue("claims", "E3", -3))
	require.NoError(t, wb.SetCellValue("claims", "G4", "yesterday"))
	require.NoError(t, wb.Save())
	require.NoError(t, wb.Close())
	code, _, errs := paysim(t, context.Background(), "price", "--claims", xlsxFile, "county-drg", "--persons", "2000")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, xlsxFile+`:claims!E3: age: "-3"; want an age in years, a whole number from 0 to 255`+"\n")
	assert.Contains(t, errs, xlsxFile+`:claims!G4: admitted: "yesterday"; want a date, as an Excel date or text YYYY-MM-DD`+"\n")
	assert.Contains(t, errs, "2 rejected (2 malformed, 0 the scenario cannot price)")
	assert.Contains(t, errs, "malformed rows by the column of their first problem: age 1 admitted 1\n")
}
