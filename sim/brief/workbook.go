package brief

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

// Number formats of the workbook's cells: the values are stored in full
// precision, as numbers; the format only says how Excel shows them, never
// in exponent notation.
const (
	fmtWhole   = "#,##0"      // counts, and amounts in whole units of money
	fmtMoney   = "#,##0.00"   // amounts per person, point values
	fmtDec1    = "#,##0.0"    // months of reserve, admissions per 100
	fmtDec2    = "#,##0.00"   // days, visits per person, rates per 1,000
	fmtDec3    = "#,##0.000"  // life-years, QALYs
	fmtShare   = "0.0%"       // shares in [0, 1]
	fmtProb    = "0.00"       // probabilities, factors
	fmtYear    = "0"          // calendar years
	fmtGeneral = "#,##0.0###" // figures of any size
)

// A column is one column of a sheet: its header, the format of its
// numbers and the value of each row.
type column[T any] struct {
	head   string
	format string
	get    func(T) any
}

// A sheet is one table of the workbook.
type sheet struct {
	key     string // its name in the catalogue: sheet.<key>
	heads   []string
	formats []string // by column; "" for text
	rows    [][]any
	// rowFormats override formats for the number columns of a row (a
	// comparison's figures each have their own).
	rowFormats []string
}

func addRows[T any](s *sheet, cols []column[T], items []T) {
	if s.heads == nil {
		for _, c := range cols {
			s.heads = append(s.heads, c.head)
			s.formats = append(s.formats, c.format)
		}
	}
	for _, it := range items {
		row := make([]any, len(cols))
		for i, c := range cols {
			row[i] = c.get(it)
		}
		s.rows = append(s.rows, row)
	}
}

// head writes a header with its unit: "income (¥)", "基金收入（元）".
func (l Lang) head(key string, unit string) string {
	if unit == "" {
		return l.t("col." + key)
	}
	return l.t("col.unit", l.t("col."+key), unit)
}

// yearOf is one year of one run.
type yearOf struct {
	s *report.Summary
	y report.Year
}

// WriteWorkbook writes the tables of sources as an Excel workbook in l:
// one sheet per table (yearly, tiers, providers, payment rules, the global
// budget, a comparison with its intervals, the strategies' economics and
// acceptability, a repricing by provider and by tier, a one-way
// sensitivity analysis), a row per year and item, a column per figure,
// with the unit in the header and the header row frozen. A sheet no source has is left out.
func WriteWorkbook(w io.Writer, l Lang, sources []*Source) error {
	var runs []*report.Summary
	var cmps []*Comparison
	var reps []*Repricing
	var sweeps []*Sweep
	for _, src := range sources {
		if src.Sweep != nil {
			sweeps = append(sweeps, src.Sweep)
		}
		if src.Repricing != nil {
			reps = append(reps, src.Repricing)
		}
		if src.Run != nil {
			runs = append(runs, src.Run)
		}
		if src.Compare != nil {
			cmps = append(cmps, src.Compare)
		}
	}
	var sheets []*sheet
	if len(runs) > 0 {
		sheets = append(sheets, runSheets(l, runs)...)
	}
	if len(cmps) > 0 {
		sheets = append(sheets, compareSheets(l, cmps)...)
	}
	if len(reps) > 0 {
		sheets = append(sheets, repricingSheets(l, reps)...)
	}
	if len(sweeps) > 0 {
		sheets = append(sheets, sweepSheet(l, sweeps))
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		name := l.t("sheet." + s.key)
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := writeSheet(f, name, s); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

// writeSheet writes a table to the sheet name: the header row in bold,
// frozen and filtered, each number with its column's format.
func writeSheet(f *excelize.File, name string, s *sheet) error {
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF1"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F8C9A", Style: 1}}})
	if err != nil {
		return err
	}
	styles := map[string]int{}
	style := func(format string) (int, error) {
		if id, ok := styles[format]; ok {
			return id, nil
		}
		fm := format
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fm})
		styles[format] = id
		return id, err
	}
	heads := make([]any, len(s.heads))
	for i, h := range s.heads {
		heads[i] = h
	}
	if err := f.SetSheetRow(name, "A1", &heads); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(s.heads), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", last, head); err != nil {
		return err
	}
	for r, row := range s.rows {
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(name, cell, &row); err != nil {
			return err
		}
		for c, v := range row {
			format := s.formats[c]
			if s.rowFormats != nil && format == fmtGeneral {
				format = s.rowFormats[r]
			}
			if format == "" || v == nil {
				continue
			}
			if _, ok := v.(string); ok {
				continue
			}
			id, err := style(format)
			if err != nil {
				return err
			}
			at, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := f.SetCellStyle(name, at, at, id); err != nil {
				return err
			}
		}
	}
	for c, h := range s.heads {
		col, err := excelize.ColumnNumberToName(c + 1)
		if err != nil {
			return err
		}
		width := 12.0
		for _, r := range h {
			if utf8.RuneLen(r) > 1 {
				width += 0.9 // a wide character takes about two narrow ones
			}
		}
		width = min(max(width, float64(utf8.RuneCountInString(h))*0.55+4), 28)
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	return f.AutoFilter(name, "A1:"+last, nil)
}

// runSheets are the tables of runs: yearly, tiers, providers, payment
// rules, and the global budget when a run has one.
func runSheets(l Lang, runs []*report.Summary) []*sheet {
	var codes []string
	for _, s := range runs {
		codes = append(codes, s.Currency)
	}
	money, mixed := moneyUnit(l, codes)
	var years []yearOf
	for _, s := range runs {
		for _, y := range s.Yearly {
			years = append(years, yearOf{s, y})
		}
	}
	scen := column[yearOf]{l.head("scenario", ""), "", func(y yearOf) any { return y.s.Scenario }}
	year := column[yearOf]{l.head("year", ""), fmtYear, func(y yearOf) any { return y.y.Year }}
	lead := []column[yearOf]{scen, year}
	if mixed { // amounts in several currencies: each row says which
		lead = append(lead, column[yearOf]{l.head("currency", ""), "", func(y yearOf) any { return y.s.Currency }})
	}
	pct := "%"
	yc := append(lead[:len(lead):len(lead)], []column[yearOf]{
		{l.head("enrollees", ""), fmtDec1, func(y yearOf) any { return y.y.Fund.Enrollees }},
		{l.head("income", money), fmtWhole, func(y yearOf) any { return y.y.Fund.Income }},
		{l.head("payout", money), fmtWhole, func(y yearOf) any { return y.y.Fund.Payout }},
		{l.head("premium", money), fmtWhole, func(y yearOf) any { return y.y.Fund.Premium }},
		{l.head("balance", money), fmtWhole, func(y yearOf) any { return y.y.Fund.Balance }},
		{l.head("reserve_months", l.t("unit.months")), fmtDec1, func(y yearOf) any { return optional(y.y.Fund.ReserveMonths) }},
		{l.head("payout_per_enrollee", money), fmtMoney, func(y yearOf) any { return y.y.Fund.PayoutPerEnrollee }},
		{l.head("visits", ""), fmtWhole, func(y yearOf) any { return y.y.Utilisation.Visits }},
		{l.head("admissions", ""), fmtWhole, func(y yearOf) any { return y.y.Utilisation.Admissions }},
		{l.head("long_stays", ""), fmtWhole, func(y yearOf) any { return y.y.Utilisation.LongStays }},
		{l.head("visits_per_person", ""), fmtDec2, func(y yearOf) any { return y.y.Utilisation.VisitsPerPerson }},
		{l.head("admissions_per_100", ""), fmtDec2, func(y yearOf) any { return y.y.Utilisation.AdmissionsPer100 }},
		{l.head("primary_outpatient_share", pct), fmtShare, func(y yearOf) any { return y.y.Utilisation.PrimaryOutpatientShare }},
		{l.head("in_county_admission_share", pct), fmtShare, func(y yearOf) any { return y.y.Utilisation.InCountyAdmissionShare }},
		{l.head("mean_los", l.t("unit.days")), fmtDec2, func(y yearOf) any { return y.y.Utilisation.MeanLOS }},
		{l.head("referrals_up", ""), fmtWhole, func(y yearOf) any { return y.y.Utilisation.ReferralsUp }},
		{l.head("referrals_down", ""), fmtWhole, func(y yearOf) any { return y.y.Utilisation.ReferralsDown }},
		{l.head("resource_cost", money), fmtWhole, func(y yearOf) any { return y.y.Cost.ResourceCost }},
		{l.head("charges", money), fmtWhole, func(y yearOf) any { return y.y.Cost.Charges }},
		{l.head("fund_paid", money), fmtWhole, func(y yearOf) any { return y.y.Cost.FundPaid }},
		{l.head("fund_covered", money), fmtWhole, func(y yearOf) any { return y.y.Cost.FundCovered }},
		{l.head("oop", money), fmtWhole, func(y yearOf) any { return y.y.Cost.OOP }},
		{l.head("oop_share", pct), fmtShare, func(y yearOf) any { return y.y.Cost.OOPShare }},
		{l.head("charges_per_enrollee", money), fmtMoney, func(y yearOf) any { return y.y.Cost.ChargesPerEnrollee }},
		{l.head("alive", ""), fmtWhole, func(y yearOf) any { return y.y.Health.Alive }},
		{l.head("entrants", ""), fmtWhole, func(y yearOf) any { return y.y.Health.Entrants }},
		{l.head("deaths", ""), fmtWhole, func(y yearOf) any { return y.y.Health.Deaths }},
		{l.head("premature_deaths", ""), fmtWhole, func(y yearOf) any { return y.y.Health.PrematureDeaths }},
		{l.head("crude_death_rate", "‰"), fmtDec2, func(y yearOf) any { return y.y.Health.CrudeDeathRate }},
		{l.head("prevention_effort", "0–1"), fmtProb, func(y yearOf) any { return y.y.Responses.PreventionEffort }},
	}...)
	var conds []string
	for _, s := range runs {
		for _, c := range s.Conditions {
			if !slices.Contains(conds, c) {
				conds = append(conds, c)
			}
		}
	}
	for _, c := range conds {
		cond := func(f func(report.ConditionYear) any) func(yearOf) any {
			return func(y yearOf) any {
				cy, ok := y.y.Health.Conditions[c]
				if !ok {
					return nil
				}
				return f(cy)
			}
		}
		head := func(key, unit string) string {
			if unit == "" {
				return l.t("col.condition."+key, c)
			}
			return l.t("col.unit", l.t("col.condition."+key, c), unit)
		}
		yc = append(yc,
			column[yearOf]{head("prevalence", pct), fmtShare, cond(func(c report.ConditionYear) any { return c.Prevalence })},
			column[yearOf]{head("adult_prevalence", pct), fmtShare, cond(func(c report.ConditionYear) any { return c.AdultPrevalence })},
			column[yearOf]{head("control_rate", pct), fmtShare, cond(func(c report.ConditionYear) any { return c.ControlRate })},
			column[yearOf]{head("managed_share", pct), fmtShare, cond(func(c report.ConditionYear) any { return c.ManagedShare })},
			column[yearOf]{head("complications", ""), fmtWhole, cond(func(c report.ConditionYear) any { return c.Complications })},
			column[yearOf]{head("new_complications", ""), fmtWhole, cond(func(c report.ConditionYear) any { return c.NewComplications })},
		)
	}
	yearly := &sheet{key: "yearly"}
	addRows(yearly, yc, years)

	type tierOf struct {
		yearOf
		t report.TierYear
	}
	var tiers []tierOf
	for _, y := range years {
		for _, t := range y.y.Tiers {
			tiers = append(tiers, tierOf{y, t})
		}
	}
	ts := &sheet{key: "tiers"}
	addRows(ts, append(lift(lead, func(t tierOf) yearOf { return t.yearOf }), []column[tierOf]{
		{l.head("tier", ""), "", func(t tierOf) any { return t.t.Tier }},
		{l.head("visits", ""), fmtWhole, func(t tierOf) any { return t.t.Visits }},
		{l.head("chronic_visits", ""), fmtWhole, func(t tierOf) any { return t.t.ChronicVisits }},
		{l.head("admissions", ""), fmtWhole, func(t tierOf) any { return t.t.Admissions }},
		{l.head("bed_days", ""), fmtWhole, func(t tierOf) any { return t.t.BedDays }},
		{l.head("mean_los", l.t("unit.days")), fmtDec2, func(t tierOf) any { return t.t.MeanLOS }},
		{l.head("long_stays", ""), fmtWhole, func(t tierOf) any { return t.t.LongStays }},
		{l.head("long_stay_days", ""), fmtWhole, func(t tierOf) any { return t.t.LongStayDays }},
		{l.head("charges", money), fmtWhole, func(t tierOf) any { return t.t.Charges }},
		{l.head("resource_cost", money), fmtWhole, func(t tierOf) any { return t.t.ResourceCost }},
		{l.head("fund_paid", money), fmtWhole, func(t tierOf) any { return t.t.FundPaid }},
		{l.head("oop", money), fmtWhole, func(t tierOf) any { return t.t.OOP }},
		{l.head("revenue", money), fmtWhole, func(t tierOf) any { return t.t.Revenue }},
		{l.head("margin", money), fmtWhole, func(t tierOf) any { return t.t.Margin }},
	}...), tiers)

	type providerOf struct {
		yearOf
		p report.ProviderYear
	}
	var provs []providerOf
	for _, y := range years {
		for _, p := range y.y.Payment.Providers {
			provs = append(provs, providerOf{y, p})
		}
	}
	ps := &sheet{key: "providers"}
	addRows(ps, append(lift(lead, func(p providerOf) yearOf { return p.yearOf }), []column[providerOf]{
		{l.head("provider", ""), "", func(p providerOf) any { return p.p.Provider }},
		{l.head("tier", ""), "", func(p providerOf) any { return p.p.Tier }},
		{l.head("cases", ""), fmtWhole, func(p providerOf) any { return p.p.Cases }},
		{l.head("revenue", money), fmtWhole, func(p providerOf) any { return p.p.Revenue }},
		{l.head("resource_cost", money), fmtWhole, func(p providerOf) any { return p.p.ResourceCost }},
		{l.head("margin", money), fmtWhole, func(p providerOf) any { return p.p.Margin }},
		{l.head("fund_paid", money), fmtWhole, func(p providerOf) any { return p.p.FundPaid }},
	}...), provs)

	type ruleOf struct {
		yearOf
		r report.RuleYear
	}
	var rules []ruleOf
	var valueKeys []string
	for _, y := range years {
		for _, r := range y.y.Payment.Rules {
			rules = append(rules, ruleOf{y, r})
			for k := range r.Values {
				if !slices.Contains(valueKeys, k) {
					valueKeys = append(valueKeys, k)
				}
			}
		}
	}
	sort.Strings(valueKeys)
	rc := append(lift(lead, func(r ruleOf) yearOf { return r.yearOf }), []column[ruleOf]{
		{l.head("rule", ""), "", func(r ruleOf) any { return r.r.Name }},
		{l.head("method", ""), "", func(r ruleOf) any { return r.r.Method }},
		{l.head("cases", ""), fmtWhole, func(r ruleOf) any { return r.r.Cases }},
		{l.head("high_outliers", ""), fmtWhole, func(r ruleOf) any { return r.r.HighOutliers }},
		{l.head("low_outliers", ""), fmtWhole, func(r ruleOf) any { return r.r.LowOutliers }},
		{l.head("reviews", ""), fmtWhole, func(r ruleOf) any { return r.r.Reviews }},
		{l.head("incomplete", ""), fmtWhole, func(r ruleOf) any { return r.r.Incomplete }},
		{l.head("outside_window", ""), fmtWhole, func(r ruleOf) any { return r.r.OutsideWindow }},
		{l.head("outlier_payment", money), fmtWhole, func(r ruleOf) any { return r.r.OutlierPayment }},
		{l.head("points", ""), fmtDec1, func(r ruleOf) any { return r.r.Points }},
		{l.head("revenue", money), fmtWhole, func(r ruleOf) any { return r.r.Revenue }},
		{l.head("fund_paid", money), fmtWhole, func(r ruleOf) any { return r.r.FundPaid }},
		{l.head("settlement", money), fmtWhole, func(r ruleOf) any { return r.r.Settlement }},
	}...)
	for _, k := range valueKeys {
		rc = append(rc, column[ruleOf]{k, fmtGeneral, func(r ruleOf) any {
			if v, ok := r.r.Values[k]; ok {
				return v
			}
			return nil
		}})
	}
	rs := &sheet{key: "rules"}
	addRows(rs, rc, rules)
	out := []*sheet{yearly, ts, ps, rs}

	var budgets []yearOf
	for _, y := range years {
		if y.y.Payment.Budget != nil {
			budgets = append(budgets, y)
		}
	}
	if len(budgets) > 0 {
		g := func(f func(*report.BudgetYear) float64) func(yearOf) any {
			return func(y yearOf) any { return f(y.y.Payment.Budget) }
		}
		bs := &sheet{key: "budget"}
		addRows(bs, append(lead[:len(lead):len(lead)], []column[yearOf]{
			{l.head("consortium", ""), "", func(y yearOf) any { return y.y.Payment.Budget.Consortium }},
			{l.head("enrollees", ""), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Enrollees })},
			{l.head("per_capita", money), fmtMoney, g(func(b *report.BudgetYear) float64 { return b.PerCapita })},
			{l.head("insurance", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Insurance })},
			{l.head("risk_reserve", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.RiskReserve })},
			{l.head("public_health", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.PublicHealth })},
			{l.head("budget", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Budget })},
			{l.head("advanced", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Advanced })},
			{l.head("internal", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Internal })},
			{l.head("outside", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Outside })},
			{l.head("spending", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Spending })},
			{l.head("surplus", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Surplus })},
			{l.head("retained", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Retained })},
			{l.head("budget_fund_covered", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.FundCovered })},
			{l.head("fund_kept", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.FundKept })},
			{l.head("transfer", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.Transfer })},
			{l.head("fund_outlay", money), fmtWhole, g(func(b *report.BudgetYear) float64 { return b.FundOutlay })},
			{l.head("overspend_forecast", ""), fmtProb, g(func(b *report.BudgetYear) float64 { return b.OverspendForecast })},
			{l.head("margin_cost", ""), fmtProb, g(func(b *report.BudgetYear) float64 { return b.MarginCost })},
		}...), budgets)
		out = append(out, bs)
	}
	return out
}

// excelFormats are the cell formats of compare.json's figures, by the
// report's format of their values.
var excelFormats = map[string]string{"pct": fmtShare, "n0": fmtWhole, "n1": fmtDec1, "n2": fmtDec2, "n3": fmtDec3}

// compareSheets are the tables of comparisons: each figure by year and
// scenario with its 95% interval and its paired difference to the first
// scenario; and when the scenarios were evaluated as strategies, their
// economics and, with willingness-to-pay thresholds, their acceptability.
func compareSheets(l Lang, cmps []*Comparison) []*sheet {
	type cell struct {
		c *Comparison
		r CompareRow
		k int
	}
	var cells []cell
	var formats []string
	for _, c := range cmps {
		for _, r := range c.Rows {
			format := fmtDec2
			if spec, ok := metrics[r.Metric]; ok {
				format = excelFormats[spec.format]
			}
			for k := range c.Scenarios {
				cells = append(cells, cell{c, r, k})
				formats = append(formats, format)
			}
		}
	}
	num := func(f func(cell) *float64) func(cell) any {
		return func(c cell) any {
			if p := f(c); p != nil {
				return *p
			}
			return nil
		}
	}
	bound := func(sign float64, m, h func(cell) *float64) func(cell) any {
		return func(c cell) any {
			if m(c) == nil || h(c) == nil {
				return nil
			}
			return *m(c) + sign**h(c)
		}
	}
	mean := func(c cell) *float64 { return c.r.Mean[c.k] }
	half := func(c cell) *float64 { return c.r.Half[c.k] }
	delta := func(c cell) *float64 { return c.r.Delta[c.k] }
	dhalf := func(c cell) *float64 { return c.r.DeltaHalf[c.k] }
	cs := &sheet{key: "compare", rowFormats: formats}
	addRows(cs, []column[cell]{
		{l.head("comparison", ""), "", func(c cell) any { return comparisonName(l, c.c) }},
		{l.head("metric", ""), "", func(c cell) any { return c.r.Metric }},
		{l.head("label", ""), "", func(c cell) any { return metricLabel(l, c.c, c.r.Metric, c.r.Label) }},
		{l.head("year", ""), fmtYear, func(c cell) any {
			if c.r.Year == 0 {
				return l.t("col.all_years")
			}
			return c.r.Year
		}},
		{l.head("scenario", ""), "", func(c cell) any { return c.c.Scenarios[c.k] }},
		{l.head("mean", ""), fmtGeneral, num(mean)},
		{l.head("half_width_95", ""), fmtGeneral, num(half)},
		{l.head("lo_95", ""), fmtGeneral, bound(-1, mean, half)},
		{l.head("hi_95", ""), fmtGeneral, bound(+1, mean, half)},
		{l.head("delta", ""), fmtGeneral, num(delta)},
		{l.head("delta_half_width_95", ""), fmtGeneral, num(dhalf)},
		{l.head("delta_lo_95", ""), fmtGeneral, bound(-1, delta, dhalf)},
		{l.head("delta_hi_95", ""), fmtGeneral, bound(+1, delta, dhalf)},
		{l.head("unpaired_half_width_95", ""), fmtGeneral, num(func(c cell) *float64 { return c.r.UnpairedHalf[c.k] })},
	}, cells)
	out := []*sheet{cs}

	type strategyOf struct {
		c *Comparison
		s study.StrategyCE
	}
	var strategies []strategyOf
	type pointOf struct {
		strategyOf
		i int // the threshold's index
	}
	var points []pointOf
	for _, c := range cmps {
		e := c.Economics
		if e == nil || len(e.Strategies) == 0 || e.Strategies[0].Cost+e.Strategies[0].Effect == 0 {
			continue
		}
		for _, s := range e.Strategies {
			strategies = append(strategies, strategyOf{c, s})
			for i := range e.WTP {
				points = append(points, pointOf{strategyOf{c, s}, i})
			}
		}
	}
	if len(strategies) == 0 {
		return out
	}
	var codes, effects []string
	for _, s := range strategies {
		codes = append(codes, s.c.Currency)
		effects = append(effects, s.c.Economics.Effect)
	}
	money, mixed := moneyUnit(l, codes)
	effect := effectUnit(l, strategies[0].c.Economics)
	if slices.ContainsFunc(effects, func(e string) bool { return e != effects[0] }) {
		effect = l.t("unit.see_effect") // QALYs in one comparison, life-years in another
	}
	comparison := func(c *Comparison) string { return comparisonName(l, c) }
	lead := []column[strategyOf]{{l.head("comparison", ""), "", func(s strategyOf) any { return comparison(s.c) }}}
	if mixed {
		lead = append(lead, column[strategyOf]{l.head("currency", ""), "", func(s strategyOf) any { return s.c.Currency }})
	}
	// The cost categories of every comparison, in order, a column each
	// (empty where a comparison has no such category).
	var categories []string
	for _, s := range strategies {
		for _, name := range s.c.Economics.CostCategories {
			if !slices.Contains(categories, name) {
				categories = append(categories, name)
			}
		}
	}
	var byCategory []column[strategyOf]
	for _, name := range categories {
		head := l.t("col.cost_category", name)
		if name == scenario.CareCategory {
			head = l.t("col.cost_care")
		}
		byCategory = append(byCategory, column[strategyOf]{l.t("col.unit", head, money), fmtWhole, func(s strategyOf) any {
			if !slices.Contains(s.c.Economics.CostCategories, name) {
				return nil
			}
			return s.s.CostBy[name]
		}})
	}
	es := &sheet{key: "economics"}
	addRows(es, slices.Concat(lead[:len(lead):len(lead)], []column[strategyOf]{
		{l.head("effect_unit", ""), "", func(s strategyOf) any { return effectUnit(l, s.c.Economics) }},
		{l.head("perspective", ""), "", func(s strategyOf) any { return perspective(l, s.c.Economics) }},
		{l.head("strategy", ""), "", func(s strategyOf) any { return s.s.Name }},
		{l.head("cost", money), fmtWhole, func(s strategyOf) any { return s.s.Cost }},
		{l.head("cost_half_width_95", money), fmtWhole, func(s strategyOf) any { return s.s.CostHalf }},
	}, byCategory, []column[strategyOf]{
		{l.head("effect", effect), fmtDec3, func(s strategyOf) any { return s.s.Effect }},
		{l.head("effect_half_width_95", effect), fmtDec3, func(s strategyOf) any { return s.s.EffectHalf }},
		{l.head("life_years", ""), fmtDec3, func(s strategyOf) any { return s.s.LifeYears }},
		{l.head("qalys", ""), fmtDec3, func(s strategyOf) any { return optional(s.s.QALYs) }},
		{l.head("status", ""), "", func(s strategyOf) any { return status(l, s.s, money) }},
		{l.head("against", ""), "", func(s strategyOf) any { return s.s.Against }},
		{l.head("d_cost", money), fmtWhole, func(s strategyOf) any { return s.s.DCost }},
		{l.head("d_cost_half_width_95", money), fmtWhole, func(s strategyOf) any { return s.s.DCostHalf }},
		{l.head("d_effect", effect), fmtDec3, func(s strategyOf) any { return s.s.DEffect }},
		{l.head("d_effect_half_width_95", effect), fmtDec3, func(s strategyOf) any { return s.s.DEffectHalf }},
		{l.head("icer", money+"/"+effect), fmtWhole, func(s strategyOf) any { return optional(s.s.ICER) }},
	}), strategies)
	out = append(out, es)
	if len(points) > 0 {
		as := &sheet{key: "acceptability"}
		addRows(as, append(lift(lead, func(p pointOf) strategyOf { return p.strategyOf }), []column[pointOf]{
			{l.head("wtp", money+"/"+effect), fmtWhole, func(p pointOf) any { return p.c.Economics.WTP[p.i] }},
			{l.head("strategy", ""), "", func(p pointOf) any { return p.s.Name }},
			{l.head("nmb", money), fmtWhole, func(p pointOf) any { return p.s.NMB[p.i] }},
			{l.head("nmb_half_width_95", money), fmtWhole, func(p pointOf) any { return p.s.NMBHalf[p.i] }},
			{l.head("prob_cost_effective", ""), fmtProb, func(p pointOf) any { return p.s.ProbBest[p.i] }},
		}...), points)
		out = append(out, as)
	}
	return out
}

// lift makes columns of an item's part into columns of the item.
func lift[P, T any](cols []column[P], part func(T) P) []column[T] {
	out := make([]column[T], len(cols))
	for i, c := range cols {
		out[i] = column[T]{c.head, c.format, func(t T) any { return c.get(part(t)) }}
	}
	return out
}

// moneyUnit is the unit of amounts in the currencies of codes: its sign
// when they are one currency; else the rows' currency column, and true.
func moneyUnit(l Lang, codes []string) (string, bool) {
	for _, c := range codes {
		if scenario.Currency(c).Code() != scenario.Currency(codes[0]).Code() {
			return l.t("unit.see_currency"), true
		}
	}
	if len(codes) == 0 {
		return l.money(""), false
	}
	return l.money(codes[0]), false
}

// comparisonName names a comparison by its scenarios: "A vs B".
func comparisonName(l Lang, c *Comparison) string { return strings.Join(c.Scenarios, l.t("meta.vs")) }

// optional is *x, or an empty cell.
func optional(x *float64) any {
	if x == nil {
		return nil
	}
	return *x
}
