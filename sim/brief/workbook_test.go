package brief

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// workbook reads back the workbook of the test folders in l.
type workbook struct {
	t *testing.T
	f *excelize.File
	l Lang
}

func openWorkbook(t *testing.T, l Lang, srcs []*Source) (*workbook, []byte) {
	var b bytes.Buffer
	require.NoError(t, WriteWorkbook(&b, l, srcs))
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return &workbook{t, f, l}, b.Bytes()
}

// col is the column of a header in a sheet, as a letter.
func (w *workbook) col(sheet, head string) string {
	w.t.Helper()
	rows, err := w.f.GetRows(sheet)
	require.NoError(w.t, err)
	for i, h := range rows[0] {
		if h == head {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	w.t.Fatalf("sheet %s has no column %q; it has %q", sheet, head, rows[0])
	return ""
}

// number is the stored value of a cell, which must be a number.
func (w *workbook) number(sheet, cell string) float64 {
	w.t.Helper()
	typ, err := w.f.GetCellType(sheet, cell)
	require.NoError(w.t, err)
	require.Contains(w.t, []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeNumber}, typ, "%s!%s is stored as a number", sheet, cell)
	raw, err := w.f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}) // 15 significant digits, as Excel keeps
	require.NoError(w.t, err)
	x, err := strconv.ParseFloat(raw, 64)
	require.NoError(w.t, err, "%s!%s = %q", sheet, cell, raw)
	return x
}

// equal checks a stored number against the figure it comes from: a
// workbook keeps 15 significant digits, as Excel does.
func (w *workbook) equal(want float64, sheet, cell string, msg ...any) {
	w.t.Helper()
	got := w.number(sheet, cell)
	if want == 0 {
		assert.Zero(w.t, got, msg...)
		return
	}
	assert.InEpsilon(w.t, want, got, 1e-14, msg...)
}

// format is the number format of a cell.
func (w *workbook) format(sheet, cell string) string {
	id, err := w.f.GetCellStyle(sheet, cell)
	require.NoError(w.t, err)
	st, err := w.f.GetStyle(id)
	require.NoError(w.t, err)
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// row finds the first row whose cells in the given columns read as want.
func (w *workbook) row(sheet string, want map[string]string) int {
	w.t.Helper()
	rows, err := w.f.GetRows(sheet)
	require.NoError(w.t, err)
	heads := rows[0]
	for r, row := range rows[1:] {
		ok := true
		for head, v := range want {
			i := -1
			for j, h := range heads {
				if h == head {
					i = j
				}
			}
			if i < 0 || i >= len(row) || row[i] != v {
				ok = false
				break
			}
		}
		if ok {
			return r + 2
		}
	}
	w.t.Fatalf("sheet %s has no row %v", sheet, want)
	return 0
}

// cellAt names the cell of a column and a row.
func cellAt(col string, row int) string { return col + strconv.Itoa(row) }

// TestWorkbook reads the workbook back: a sheet per table, the header row
// frozen, every figure stored as the number summary.json or compare.json
// has, with a number format, and no cell shown in exponent notation.
func TestWorkbook(t *testing.T) {
	srcs := testSources(t)
	run, cmp := srcs[0].Run, srcs[1].Compare
	w, first := openWorkbook(t, En, srcs[:2]) // amounts in yuan
	assert.Equal(t, []string{"yearly", "tiers", "providers", "payment rules", "budget settlement", "compare", "economics"}, w.f.GetSheetList(),
		"no acceptability without a willingness to pay")

	for _, sheet := range w.f.GetSheetList() {
		panes, err := w.f.GetPanes(sheet)
		require.NoError(t, err)
		assert.True(t, panes.Freeze, "%s: header frozen", sheet)
		assert.Equal(t, 1, panes.YSplit, "%s: one header row", sheet)
		rows, err := w.f.GetRows(sheet)
		require.NoError(t, err)
		assert.Greater(t, len(rows), 1, sheet)
		for r, row := range rows {
			for c, v := range row {
				if strings.ContainsAny(v, "Ee") && strings.ContainsAny(v, "+-") && strings.Trim(v, "0123456789.,E+-e") == "" {
					t.Errorf("%s row %d column %d shows %q: exponent notation", sheet, r+1, c+1, v)
				}
			}
		}
	}

	// yearly: the global budget's run, 2026.
	r := w.row("yearly", map[string]string{"scenario": run.Scenario, "year": "2026"})
	y := run.Yearly[1]
	income := w.col("yearly", "fund income (¥)")
	w.equal(y.Fund.Income, "yearly", cellAt(income, r))
	assert.Equal(t, "#,##0", w.format("yearly", cellAt(income, r)))
	w.equal(*y.Fund.ReserveMonths, "yearly", cellAt(w.col("yearly", "reserve (months)"), r))
	share := w.col("yearly", "primary outpatient share (%)")
	w.equal(y.Utilisation.PrimaryOutpatientShare, "yearly", cellAt(share, r))
	assert.Equal(t, "0.0%", w.format("yearly", cellAt(share, r)))
	assert.Equal(t, float64(y.Health.Conditions["diabetes"].NewComplications),
		w.number("yearly", cellAt(w.col("yearly", "diabetes new complications"), r)))
	got, err := w.f.GetCellValue("yearly", cellAt(income, r))
	require.NoError(t, err)
	assert.NotContains(t, got, "E", "income as Excel shows it: %s", got)

	// tiers and providers.
	r = w.row("tiers", map[string]string{"scenario": run.Scenario, "year": "2025", "tier": "county"})
	w.equal(run.Yearly[0].Tiers[2].Margin, "tiers", cellAt(w.col("tiers", "margin (¥)"), r))
	p := run.Yearly[2].Payment.Providers[10]
	r = w.row("providers", map[string]string{"year": "2027", "provider": p.Provider})
	w.equal(p.Revenue, "providers", cellAt(w.col("providers", "revenue (¥)"), r))

	// payment rules, with the rules' values.
	rule := run.Yearly[1].Payment.Rules[2]
	r = w.row("payment rules", map[string]string{"year": "2026", "payment rule": rule.Name})
	w.equal(rule.FundPaid, "payment rules", cellAt(w.col("payment rules", "paid by the fund (¥)"), r))
	for k, v := range rule.Values {
		w.equal(v, "payment rules", cellAt(w.col("payment rules", k), r), k)
	}

	// the budget's settlement.
	b := run.Yearly[1].Payment.Budget
	r = w.row("budget settlement", map[string]string{"year": "2026"})
	w.equal(b.Surplus, "budget settlement", cellAt(w.col("budget settlement", "surplus (overspend < 0) (¥)"), r))
	w.equal(b.Retained, "budget settlement", cellAt(w.col("budget settlement", "consortium's result (¥)"), r))

	// compare, with the intervals.
	var row CompareRow
	for _, cr := range cmp.Rows {
		if cr.Metric == "fund.payout" && cr.Year == 2026 {
			row = cr
		}
	}
	r = w.row("compare", map[string]string{"figure": "fund.payout", "year": "2026", "scenario": cmp.Scenarios[1]})
	for head, want := range map[string]float64{
		"mean": *row.Mean[1], "± 95% interval": *row.Half[1], "95% interval, low": *row.Mean[1] - *row.Half[1],
		"difference to the first": *row.Delta[1], "difference ± paired 95% interval": *row.DeltaHalf[1],
		"± 95% interval if unpaired": *row.UnpairedHalf[1],
	} {
		w.equal(want, "compare", cellAt(w.col("compare", head), r), head)
	}
	assert.Equal(t, "#,##0.0", w.format("compare", cellAt(w.col("compare", "mean"), r)), "fund payout in millions, one decimal")
	r = w.row("compare", map[string]string{"figure": "fund.payout", "year": "all years", "scenario": cmp.Scenarios[0]})
	assert.Positive(t, r)

	// the county scenarios' economics: costs and life-years.
	st := cmp.Economics.Strategies[1]
	r = w.row("economics", map[string]string{"strategy": st.Name})
	w.equal(st.Cost, "economics", cellAt(w.col("economics", "cost per person (¥)"), r))
	w.equal(st.DEffect, "economics", cellAt(w.col("economics", "Δ effect (life-years)"), r))

	// The same sources give the same bytes.
	_, again := openWorkbook(t, En, srcs[:2])
	assert.True(t, bytes.Equal(first, again), "the workbook is not byte-identical from one write to the next")
}

// TestWorkbookMixed: folders in yuan and in dollars, QALYs and
// life-years: each row says its currency and its unit of effect.
func TestWorkbookMixed(t *testing.T) {
	srcs := testSources(t)
	str, markov := srcs[2].Compare, srcs[3].Run
	w, _ := openWorkbook(t, En, srcs)
	assert.Equal(t, []string{"yearly", "tiers", "providers", "payment rules", "budget settlement", "compare", "economics", "acceptability",
		"repricing by provider", "repricing by tier", "one-way sensitivity"}, w.f.GetSheetList())
	r := w.row("yearly", map[string]string{"scenario": markov.Scenario, "year": "6", "currency": "USD"})
	w.equal(float64(markov.Yearly[5].Health.Alive), "yearly", cellAt(w.col("yearly", "alive at year end"), r))
	sb := str.Economics.Strategies[2]
	r = w.row("economics", map[string]string{"strategy": sb.Name, "currency": "USD", "effect in": "QALYs"})
	w.equal(sb.Cost, "economics", cellAt(w.col("economics", "cost per person (in the row's currency)"), r))
	// its cost by category: the states', and care (none in a Markov model)
	w.equal(sb.CostBy["state"], "economics", cellAt(w.col("economics", "cost per person: state (in the row's currency)"), r))
	w.equal(0, "economics", cellAt(w.col("economics", "cost per person: care (in the row's currency)"), r))
	if sb.ICER != nil {
		w.equal(*sb.ICER, "economics", cellAt(w.col("economics", "ICER (in the row's currency/in the row's effect unit)"), r))
	}
	r = w.row("acceptability", map[string]string{"strategy": sb.Name, "willingness to pay (in the row's currency/in the row's effect unit)": "50,000"})
	w.equal(sb.ProbBest[1], "acceptability", cellAt(w.col("acceptability", "P(cost-effective)"), r))

	// the lesson's tornado: a row per parameter, widest swing first.
	sw := srcs[5].Sweep
	r = w.row("one-way sensitivity", map[string]string{"parameter": "discount_rate"})
	assert.Equal(t, 3, r, "the narrower swing second, under the header")
	unit, err := w.f.GetCellValue("one-way sensitivity", cellAt(w.col("one-way sensitivity", "unit"), r))
	require.NoError(t, err)
	assert.Equal(t, "$ per QALY", unit)
	w.equal(0.06, "one-way sensitivity", cellAt(w.col("one-way sensitivity", "high"), r))
	w.equal(*sw.Base, "one-way sensitivity", cellAt(w.col("one-way sensitivity", "outcome at base"), r))
	w.equal(*sw.Bars[1].AtHigh, "one-way sensitivity", cellAt(w.col("one-way sensitivity", "outcome at high"), r))
	assert.Equal(t, "#,##0", w.format("one-way sensitivity", cellAt(w.col("one-way sensitivity", "outcome at high"), r)), "money per QALY, whole")
	assert.Equal(t, "#,##0.0#####", w.format("one-way sensitivity", cellAt(w.col("one-way sensitivity", "high"), r)))
}

// TestWorkbookChinese: the sheets and headers in Chinese, the same numbers.
func TestWorkbookChinese(t *testing.T) {
	srcs := testSources(t)
	run := srcs[0].Run
	w, _ := openWorkbook(t, Zh, srcs[:3])
	assert.Equal(t, []string{"年度", "各级机构", "医疗机构", "支付规则", "总额预算清算", "情景比较", "成本效果", "可接受曲线"}, w.f.GetSheetList())
	r := w.row("年度", map[string]string{"情景": run.Scenario, "年份": "2025"})
	w.equal(run.Yearly[0].Fund.Payout, "年度", cellAt(w.col("年度", "基金支出（元）"), r))
	w.equal(run.Yearly[0].Utilisation.InCountyAdmissionShare, "年度", cellAt(w.col("年度", "县域内住院率（%）"), r))
	rows, err := w.f.GetRows("年度")
	require.NoError(t, err)
	assert.Empty(t, missingKey.FindAllString(strings.Join(rows[0], "|"), -1))
}
