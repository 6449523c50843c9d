package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// sheets lists the sheets of a workbook file.
func sheets(t *testing.T, path string) []string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	return f.GetSheetList()
}

// TestReportFromRunAndCompare: run --out and compare --out write the
// workbook, --report the HTML report, in the language of --lang; paysim
// report makes one report and one workbook of both folders.
func TestReportFromRunAndCompare(t *testing.T) {
	tmp := t.TempDir()
	run, cmp := filepath.Join(tmp, "gb"), filepath.Join(tmp, "cmp")
	code, _, stderr := paysim(t, context.Background(), "run", "county-global-budget", "--persons", "2000", "--years", "2",
		"--out", run, "--report", filepath.Join(run, "report.html"), "--lang", "zh")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, []string{"年度", "各级机构", "医疗机构", "支付规则", "总额预算清算"}, sheets(t, filepath.Join(run, "results.xlsx")))
	b, err := os.ReadFile(filepath.Join(run, "report.html"))
	require.NoError(t, err)
	html := string(b)
	for _, want := range []string{`<html lang="zh-CN">`, "总额预算清算：结余或超支由谁承担", "county-global-budget", "Apache ECharts"} {
		assert.Contains(t, html, want)
	}

	code, _, stderr = paysim(t, context.Background(), "compare", "county-ffs", "county-global-budget", "--replicates", "2",
		"--persons", "2000", "--years", "2", "--out", cmp, "--report", filepath.Join(cmp, "report.html"), "--lang", "en")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, []string{"compare", "economics"}, sheets(t, filepath.Join(cmp, "results.xlsx")))
	b, err = os.ReadFile(filepath.Join(cmp, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "fund payout (million ¥)")

	out, xlsx := filepath.Join(tmp, "brief", "report.html"), filepath.Join(tmp, "brief", "results.xlsx")
	code, stdout, stderr := paysim(t, context.Background(), "report", run, cmp, "--out", out, "--xlsx", xlsx, "--lang", "en")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Equal(t, []string{"yearly", "tiers", "providers", "payment rules", "budget settlement", "compare", "economics"}, sheets(t, xlsx))
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	html = string(b)
	assert.Less(t, strings.Index(html, "<h2>county-global-budget</h2>"), strings.Index(html, "<h2>county-ffs vs county-global-budget</h2>"), "the folders in the order given")
}

func TestReportUsage(t *testing.T) {
	empty := t.TempDir()
	for _, args := range [][]string{
		{"report"},
		{"report", empty},
		{"report", filepath.Join(empty, "missing")},
		{"run", "--lang", "fr"},
		{"compare", "county-ffs", "county-drg", "--lang", "de"},
		{"report", "../../sim/brief/testdata/markov", "--out", empty + "/"},
	} {
		code, _, stderr := paysim(t, context.Background(), args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
	code, _, stderr := paysim(t, context.Background(), "report", empty)
	require.Equal(t, 2, code)
	assert.Contains(t, stderr, "no summary.json, compare.json, repricing.json or sweep.json")
	code, _, stderr = paysim(t, context.Background(), "report", filepath.Join(empty, "missing"))
	require.Equal(t, 2, code)
	assert.Contains(t, stderr, "missing: not a folder")
}

// TestReportBytes: the workbook and the report are byte-identical whatever
// --workers, as every other output file is.
func TestReportBytes(t *testing.T) {
	tmp := t.TempDir()
	for _, w := range []string{"1", "3"} {
		dir := filepath.Join(tmp, "w"+w)
		code, _, stderr := paysim(t, context.Background(), "run", "county-drg", "--persons", "2000", "--years", "2",
			"--workers", w, "--out", dir, "--report", filepath.Join(dir, "report.html"), "--lang", "en")
		require.Equal(t, 0, code, stderr)
	}
	for _, f := range []string{"results.xlsx", "report.html"} {
		a, err := os.ReadFile(filepath.Join(tmp, "w1", f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(tmp, "w3", f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between --workers 1 and 3", f)
	}
}

// TestSweepOut: sweep --out writes sweep.json (what --format json prints),
// sweep.csv and the workbook, --report the tornado, in the language of
// --lang; paysim report draws the tornado from the folder; an interrupted
// sweep writes nothing.
func TestSweepOut(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "tornado")
	args := []string{"sweep", "teaching/lesson", "--mode", "cohort",
		"--vary", "conditions.disease.transitions.ill->well.prob=0.1,0.3", "--vary", "discount_rate=0,0.06"}
	code, table, stderr := paysim(t, context.Background(), append(args, "--out", dir, "--report", filepath.Join(dir, "report.html"), "--lang", "zh")...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, table, "基准值 15888；精确期望值（队列模式）", "the table as without --out, in the language of --lang")
	code, js, stderr := paysim(t, context.Background(), append(args, "--format", "json")...)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(filepath.Join(dir, "sweep.json"))
	require.NoError(t, err)
	assert.Equal(t, js, string(b), "sweep.json is what --format json prints")
	for _, want := range []string{`"schema": "paysim.sweep/v1"`, `"scenario": "lesson"`, `"metric": "icer"`, `"strategy": "new-drug"`,
		`"reference": "usual-care"`, `"unit": "money/qaly"`, `"currency": "USD"`, `"mode": "cohort"`, `"base": 15887.56`} {
		assert.Contains(t, js, want)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "parameter,low,high,base,at_low,at_high,swing", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "conditions.disease.transitions.ill->well.prob,0.1,0.3,15887.56"), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "discount_rate,0,0.06,15887.56"), lines[2])
	assert.Equal(t, []string{"单因素敏感性分析"}, sheets(t, filepath.Join(dir, "results.xlsx")))
	b, err = os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "龙卷风图：new-drug 相对 usual-care 的增量成本效果比（ICER）")

	out := filepath.Join(tmp, "report.html")
	code, _, stderr = paysim(t, context.Background(), "report", dir, "--out", out, "--lang", "en")
	require.Equal(t, 0, code, stderr)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "Tornado: ICER of new-drug against usual-care")
	assert.Contains(t, string(b), "<h2>lesson: one-way sensitivity</h2>")

	gone := filepath.Join(tmp, "interrupted")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, _ = paysim(t, ctx, "sweep", "teaching/markov-4state", "--persons", "500", "--replicates", "1",
		"--vary", "discount_rate=0,0.05", "--out", gone, "--report", filepath.Join(tmp, "interrupted.html"))
	assert.Equal(t, 130, code)
	for _, p := range []string{gone, filepath.Join(tmp, "interrupted.html")} {
		_, err = os.Stat(p)
		assert.True(t, os.IsNotExist(err), "an interrupted sweep writes nothing: %s", p)
	}
}
