package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/paysim/paysim/sim/scenario"
)

// WriteJSON writes s as indented JSON (summary.json).
func WriteJSON(w io.Writer, s *Summary) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// YearlyColumns are the columns of yearly.csv before the per-condition ones.
var YearlyColumns = []string{
	"year", "enrollees", "income", "payout", "balance", "reserve_months", "payout_per_enrollee",
	"visits_per_person", "admissions_per_100", "primary_outpatient_share", "in_county_admission_share",
	"mean_los", "referrals_up", "referrals_down", "resource_cost", "charges", "fund_paid", "oop", "oop_share",
	"alive", "entrants", "deaths", "premature_deaths",
}

// WriteYearlyCSV writes one row per year (yearly.csv).
func WriteYearlyCSV(w io.Writer, s *Summary) error {
	cw := csv.NewWriter(w)
	head := append([]string(nil), YearlyColumns...)
	for _, c := range s.Conditions {
		head = append(head, c+"_prevalence", c+"_adult_prevalence", c+"_control_rate", c+"_complications", c+"_deaths")
	}
	head = append(head, "crude_death_rate", "joined", "left")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, y := range s.Yearly {
		f, u, c, h := y.Fund, y.Utilisation, y.Cost, y.Health
		row := []string{
			strconv.Itoa(y.Year), num(f.Enrollees), num(f.Income), num(f.Payout), num(f.Balance),
			optNum(f.ReserveMonths), num(f.PayoutPerEnrollee),
			num(u.VisitsPerPerson), num(u.AdmissionsPer100), num(u.PrimaryOutpatientShare),
			num(u.InCountyAdmissionShare), num(u.MeanLOS), integer(u.ReferralsUp), integer(u.ReferralsDown),
			num(c.ResourceCost), num(c.Charges), num(c.FundPaid), num(c.OOP), num(c.OOPShare),
			integer(h.Alive), integer(h.Entrants), integer(h.Deaths), integer(h.PrematureDeaths),
		}
		for _, name := range s.Conditions {
			cy := h.Conditions[name]
			row = append(row, num(cy.Prevalence), num(cy.AdultPrevalence), num(cy.ControlRate),
				integer(cy.Complications), integer(h.DeathsByCause[name]))
		}
		row = append(row, num(h.CrudeDeathRate), integer(h.Joined), integer(h.Left))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTiersCSV writes one row per year and tier (tiers.csv).
func WriteTiersCSV(w io.Writer, s *Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"year", "tier", "visits", "chronic_visits", "admissions", "bed_days", "mean_los",
		"long_stays", "long_stay_days", "charges", "resource_cost", "fund_paid", "oop", "revenue"}); err != nil {
		return err
	}
	for _, y := range s.Yearly {
		for _, t := range y.Tiers {
			if err := cw.Write([]string{strconv.Itoa(y.Year), t.Tier, integer(t.Visits), integer(t.ChronicVisits),
				integer(t.Admissions), integer(t.BedDays), num(t.MeanLOS), integer(t.LongStays), integer(t.LongStayDays),
				num(t.Charges), num(t.ResourceCost), num(t.FundPaid), num(t.OOP), num(t.Revenue)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTraceCSV writes the run's Markov trace (trace.csv): one row per
// point of time, the start of each cycle and the end of the last, the
// shares to 12 significant digits (the rounding of a cohort's sums lies
// beyond them).
func WriteTraceCSV(w io.Writer, s *Summary) error {
	cw := csv.NewWriter(w)
	head := append(append([]string{"cycle", "time", "alive"}, s.Trace.States...), "background")
	if err := cw.Write(head); err != nil {
		return err
	}
	share := func(x float64) string { // 12 significant digits, as a plain decimal
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
		return Decimal(r)
	}
	for _, r := range s.Trace.Rows {
		row := []string{strconv.Itoa(r.Cycle), share(r.Time), share(r.Alive)}
		for _, x := range r.States {
			row = append(row, share(x))
		}
		if err := cw.Write(append(row, share(r.Background))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Decimal writes x in full precision as a plain decimal: the shortest
// digits that read back as x, never in exponent notation (1e+06 is written
// 1000000, 1.5e-07 0.00000015), so that a spreadsheet reads every CSV cell
// as the number it is.
func Decimal(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func num(x float64) string   { return Decimal(x) }
func integer(x int64) string { return strconv.FormatInt(x, 10) }
func optNum(x *float64) string {
	if x == nil {
		return ""
	}
	return num(*x)
}

// maxColumns is the most years the table shows side by side; labelWidth is
// the least width of the first column.
const (
	maxColumns = 10
	labelWidth = 32
)

// A Translate renders a label of the table in the table's language from its
// English fmt format and arguments. A format without arguments is a label
// as it stands (a tier's name may hold a %).
type Translate func(format string, args ...any) string

// English is the table's labels as they are written.
func English(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// WriteTable writes a summary for people in English: one column per year
// (a selection of years when there are more than maxColumns), one row per
// figure.
func WriteTable(w io.Writer, s *Summary) error { return WriteTableIn(w, s, English) }

// WriteTableIn is WriteTable with every label rendered by tr; the label
// column is as wide as its widest label in a terminal's cells (a CJK
// character takes two).
func WriteTableIn(w io.Writer, s *Summary, tr Translate) error {
	years := s.Yearly
	note := ""
	sym := s.Symbol()
	if sym == "¥" {
		sym = tr("¥") // 元 in Chinese
	}
	if len(years) > maxColumns {
		sel := make([]Year, maxColumns)
		for i := range sel {
			sel[i] = years[i*(len(years)-1)/(maxColumns-1)]
		}
		years = sel
		note = tr(" (selected years)")
	}
	cycle := tr("monthly cycle")
	if s.Cycle == "year" {
		cycle = tr("yearly cycle")
	}
	last := s.StartYear + s.Years - 1
	if s.Replicates > 1 {
		note += tr(", means of %d replicates (95%% intervals in summary.json)", s.Replicates)
	}
	care := s.Overall.Income != 0 || s.Overall.Charges != 0 // a model with no care (a textbook Markov model) shows its health only
	if care {
		note = tr(", %s", ResponsesNote(s.Incentives != nil, tr)) + note
	}
	if s.Mode == Cohort {
		fmt.Fprint(w, tr("%s: cohort of %s persons (expected values), %d–%d, %s%s", s.Scenario, Group(int64(s.Persons)), s.StartYear, last, cycle, note)+"\n")
	} else {
		fmt.Fprint(w, tr("%s: %s persons, %d–%d, %s, seed %d%s", s.Scenario, Group(int64(s.Persons)), s.StartYear, last, cycle, s.Seed, note)+"\n")
	}
	for _, ph := range s.Phases { // the rules change within the run
		fmt.Fprint(w, tr("from %d: %s", ph.Year, ph.Scenario)+"\n")
	}
	fmt.Fprintln(w)
	// defined reports whether a health row means something for the model:
	// a model with care shows them all, one without only those not 0 in
	// every year (a Markov model without a state counted as controlled or
	// as a complication, or deaths at 30–69).
	defined := func(f func(Year) float64) bool {
		if care {
			return true
		}
		for _, y := range s.Yearly {
			if f(y) != 0 {
				return true
			}
		}
		return false
	}

	mill := func(x float64) string { return strconv.FormatFloat(x/1e6, 'f', 1, 64) }
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
	fix := func(d int) func(float64) string {
		return func(x float64) string { return strconv.FormatFloat(x, 'f', d, 64) }
	}
	body := func(row func(string, func(Year) string)) {
		section := func(title string) { row(title, func(Year) string { return "" }) }
		row("", func(y Year) string { return strconv.Itoa(y.Year) })
		if care {
			writeMoney(tr, sym, row, section, mill, pct, fix)
			writeBudget(tr, s, sym, row, section, mill)
		}
		if s.Incentives != nil {
			writeChain(tr, s, sym, row, section, mill, pct, fix)
		}
		if care {
			writeMechanisms(tr, s, sym, row, section, mill, fix)
		}
		section(tr("Health"))
		row("  "+tr("enrollees (person-years)"), func(y Year) string { return Group(int64(math.Round(y.Fund.Enrollees))) })
		row("  "+tr("enrolled at year end"), func(y Year) string { return Group(y.Health.Alive) })
		if s.Overall.Joined+s.Overall.Left > 0 {
			row("  "+tr("joined / left the scheme"), func(y Year) string { return Group(y.Health.Joined) + " / " + Group(y.Health.Left) })
		}
		row("  "+tr("deaths"), func(y Year) string { return Group(y.Health.Deaths) })
		row("  "+tr("deaths per 1,000 enrollees"), func(y Year) string { return fix(1)(y.Health.CrudeDeathRate) })
		if defined(func(y Year) float64 { return float64(y.Health.PrematureDeaths) }) {
			row("  "+tr("condition deaths at 30–69"), func(y Year) string { return Group(y.Health.PrematureDeaths) })
		}
		for _, c := range s.Conditions {
			row("  "+tr("%s prevalence, adults", c), func(y Year) string { return pct(y.Health.Conditions[c].AdultPrevalence) })
			if defined(func(y Year) float64 { return y.Health.Conditions[c].ControlRate }) {
				row("  "+tr("%s control rate", c), func(y Year) string { return pct(y.Health.Conditions[c].ControlRate) })
			}
			if defined(func(y Year) float64 { return float64(y.Health.Conditions[c].Complications) }) {
				row("  "+tr("%s complications", c), func(y Year) string { return Group(y.Health.Conditions[c].Complications) })
			}
		}
	}
	// The labels' column is as wide as the longest label, at least labelWidth.
	width := labelWidth
	body(func(label string, _ func(Year) string) { width = max(width, Width(label)) })
	var labels []string
	var cells [][]string
	body(func(label string, f func(Year) string) {
		labels = append(labels, label)
		row := make([]string, len(years))
		for i, y := range years {
			row[i] = f(y)
		}
		cells = append(cells, row)
	})
	if err := WriteTrimmed(w, Align(labels, width, cells)); err != nil { // section rows end in blank cells
		return err
	}
	return writePerPerson(w, s, width, tr, sym)
}

// Align lays out a table in a terminal's cells: line i is labels[i] padded
// to width, then the cells of row i, each right-aligned in its column and
// two blanks after the one before; the line starts two blanks in. Unlike
// text/tabwriter, which counts a character as one cell, it counts a CJK
// character as the two it takes.
func Align(labels []string, width int, rows [][]string) string {
	var widths []int
	for _, row := range rows {
		for j, c := range row {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], Width(c))
		}
	}
	var b strings.Builder
	for i, label := range labels {
		b.WriteString("  " + PadRight(label, width))
		if i < len(rows) {
			for j, c := range rows[i] {
				b.WriteString(strings.Repeat(" ", 2+widths[j]-Width(c)) + c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Width is the width of s in a terminal's cells: two for East Asian wide
// and fullwidth characters (汉字, ，), none for combining marks, one for
// the others.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// PadRight pads s with blanks to width cells.
func PadRight(s string, width int) string {
	return s + strings.Repeat(" ", max(width-Width(s), 0))
}

// writePerPerson writes the table's last block: the figures per person at
// the start, discounted and undiscounted side by side, and the conventions
// they were counted by.
func writePerPerson(w io.Writer, s *Summary, width int, tr Translate, sym string) error {
	d, u := s.Overall.PerPerson, s.Overall.PerPersonUndiscounted
	head := tr("Per person at start, over %d years", s.Years)
	if s.Years == 1 {
		head = tr("Per person at start, over 1 year")
	}
	width = max(width, Width(head))
	var labels []string
	var cells [][]string
	row := func(label, disc, undisc string) {
		labels = append(labels, label)
		cells = append(cells, []string{disc, undisc})
	}
	money := func(x float64) string { return Group(int64(math.Round(x))) }
	fix3 := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	row(head, tr("discounted"), tr("undiscounted"))
	row("  "+tr("life-years"), fix3(d.LifeYears), fix3(u.LifeYears))
	if d.QALYs != nil && u.QALYs != nil {
		row("  "+tr("QALYs"), fix3(*d.QALYs), fix3(*u.QALYs))
	}
	if u.StateCosts != 0 { // a model whose states have costs
		row("  "+tr("state costs (%s)", sym), money(d.StateCosts), money(u.StateCosts))
		if cats := s.CostCategories; len(cats) > 1 || len(cats) == 1 && cats[0] != scenario.StateCategory {
			for _, name := range cats { // the categories apart
				row("    "+name, money(d.StateCostsBy[name]), money(u.StateCostsBy[name]))
			}
		}
	}
	if s.Overall.Income != 0 || s.Overall.Charges != 0 {
		row("  "+tr("charges (%s)", sym), money(d.Charges), money(u.Charges))
		row("  "+tr("fund paid (%s)", sym), money(d.FundPaid), money(u.FundPaid))
	}
	if _, err := fmt.Fprint(w, "\n"); err != nil {
		return err
	}
	if err := WriteTrimmed(w, Align(labels, width, cells)); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "  %s\n", tr("%s; %s.", discounting(s.Rewards, tr), tr(timings[s.Rewards.Timing])))
	return err
}

// timings say how each rewards.timing counts the states of a cycle.
var timings = map[string]string{
	"":           "the states of each cycle counted at its start",
	"start":      "the states of each cycle counted at its start",
	"end":        "the states of each cycle counted at its end",
	"half_cycle": "half-cycle correction (the first and the last point counted half)",
	"life_table": "life-table method (each cycle counts the mean of its start and its end)",
}

// discounting says at what rates the figures are discounted.
func discounting(r Rewards, tr Translate) string {
	// 100 × 0.035 is 3.5000000000000004 in binary: 10 significant digits
	// print the rate as given.
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'g', 10, 64) + "%" }
	switch {
	case r.DiscountCosts == r.DiscountEffects && r.DiscountCosts == 0:
		return tr("Not discounted")
	case r.DiscountCosts == r.DiscountEffects:
		return tr("Discounted at %s a year", pct(r.DiscountCosts))
	}
	return tr("Costs discounted at %s a year, life-years and QALYs at %s", pct(r.DiscountCosts), pct(r.DiscountEffects))
}

// Group writes n with thousands separators: 1234567 → "1,234,567".
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// writeMoney writes the fund, care and cost rows of WriteTable.
func writeMoney(tr Translate, sym string, row func(string, func(Year) string), section func(string),
	mill, pct func(float64) string, fix func(int) func(float64) string) {
	section(tr("Fund (million %s)", sym))
	row("  "+tr("income"), func(y Year) string { return mill(y.Fund.Income) })
	row("  "+tr("payout"), func(y Year) string { return mill(y.Fund.Payout) })
	row("  "+tr("balance at year end"), func(y Year) string { return mill(y.Fund.Balance) })
	row("  "+tr("reserve (months of payout)"), func(y Year) string {
		if y.Fund.ReserveMonths == nil {
			return "–"
		}
		return fix(1)(*y.Fund.ReserveMonths)
	})
	row("  "+tr("payout per enrollee (%s)", sym), func(y Year) string { return fix(0)(y.Fund.PayoutPerEnrollee) })
	section(tr("Care"))
	row("  "+tr("visits per enrollee"), func(y Year) string { return fix(2)(y.Utilisation.VisitsPerPerson) })
	row("  "+tr("admissions per 100 enrollees"), func(y Year) string { return fix(1)(y.Utilisation.AdmissionsPer100) })
	row("  "+tr("primary outpatient share"), func(y Year) string { return pct(y.Utilisation.PrimaryOutpatientShare) })
	row("  "+tr("in-county admission share"), func(y Year) string { return pct(y.Utilisation.InCountyAdmissionShare) })
	row("  "+tr("mean length of stay (days)"), func(y Year) string { return fix(1)(y.Utilisation.MeanLOS) })
	row("  "+tr("referrals up / down"), func(y Year) string {
		return Group(y.Utilisation.ReferralsUp) + " / " + Group(y.Utilisation.ReferralsDown)
	})
	section(tr("Cost (million %s)", sym))
	row("  "+tr("charges"), func(y Year) string { return mill(y.Cost.Charges) })
	row("  "+tr("paid by the fund"), func(y Year) string { return mill(y.Cost.FundPaid) })
	row("  "+tr("paid by patients (OOP)"), func(y Year) string { return mill(y.Cost.OOP) })
	row("  "+tr("OOP share of charges"), func(y Year) string { return pct(y.Cost.OOPShare) })
}

// ResponsesNote says in a table's header whether providers respond to their
// incentives (docs/responses.md) or the run is accounting only.
func ResponsesNote(on bool, tr Translate) string {
	if on {
		return tr("provider responses on")
	}
	return tr("provider responses off")
}

// writeBudget writes, for a scenario with a consortium's global budget, the
// budget's settlement (who kept the surplus or bore the overspend) and the
// providers' margins by tier; nothing without a budget.
func writeBudget(tr Translate, s *Summary, sym string, row func(string, func(Year) string), section func(string), mill func(float64) string) {
	name := ""
	for _, y := range s.Yearly {
		if b := y.Payment.Budget; b != nil {
			name = b.Consortium
			break
		}
	}
	if name == "" {
		return
	}
	signed := func(x float64) string {
		if m := mill(x); m != "-0.0" {
			return m
		}
		return "0.0"
	}
	budget := func(f func(*BudgetYear) float64) func(Year) string {
		return func(y Year) string {
			if y.Payment.Budget == nil {
				return "–"
			}
			return signed(f(y.Payment.Budget))
		}
	}
	section(tr("Budget of %s (million %s)", name, sym))
	row("  "+tr("budget"), budget(func(b *BudgetYear) float64 { return b.Budget }))
	row("  "+tr("spending, members and outside"), budget(func(b *BudgetYear) float64 { return b.Spending }))
	row("  "+tr("surplus (+) or overspend (-)"), budget(func(b *BudgetYear) float64 { return b.Surplus }))
	row("  "+tr("kept (+) or borne (-) by members"), budget(func(b *BudgetYear) float64 { return b.Retained }))
	row("  "+tr("kept (+) or covered (-) by the fund"), budget(func(b *BudgetYear) float64 { return b.FundKept - b.FundCovered }))
	section(tr("Provider margin, revenue - cost (million %s)", sym))
	for t, name := range s.Tiers {
		row("  "+tr(name), func(y Year) string { // the usual tiers have a name in the catalogue
			if t >= len(y.Tiers) {
				return "–"
			}
			return signed(y.Tiers[t].Margin)
		})
	}
}

// writeChain writes the rows that let a reader follow why the money moved
// under responses: prevention effort → management and control →
// complications → admissions → spending, then the episodes the providers'
// incentives added or withheld.
func writeChain(tr Translate, s *Summary, sym string, row func(string, func(Year) string), section func(string),
	mill, pct func(float64) string, fix func(int) func(float64) string) {
	section(tr("Why it moved (prevention → spending)"))
	if slices.ContainsFunc(s.Yearly, func(y Year) bool { return y.Responses.ControlEffort != 0 }) {
		row("  "+tr("prevention effort, finding patients (0–1)"), func(y Year) string { return fix(2)(y.Responses.PreventionEffort) })
		row("  "+tr("prevention effort, control (0–1)"), func(y Year) string { return fix(2)(y.Responses.ControlEffort) })
	} else {
		row("  "+tr("prevention effort (0–1)"), func(y Year) string { return fix(2)(y.Responses.PreventionEffort) })
	}
	for _, c := range s.Conditions {
		row("  "+tr("%s managed share", c), func(y Year) string { return pct(y.Health.Conditions[c].ManagedShare) })
		row("  "+tr("%s control rate", c), func(y Year) string { return pct(y.Health.Conditions[c].ControlRate) })
		row("  "+tr("%s new complications", c), func(y Year) string { return Group(y.Health.Conditions[c].NewComplications) })
	}
	row("  "+tr("admissions per 100 enrollees"), func(y Year) string { return fix(1)(y.Utilisation.AdmissionsPer100) })
	row("  "+tr("fund's share of charges (million %s)", sym), func(y Year) string { return mill(y.Cost.FundCovered) })
	row("  "+tr("payout per enrollee (%s)", sym), func(y Year) string { return fix(0)(y.Fund.PayoutPerEnrollee) })
	section(tr("Responses to incentives (episodes)"))
	pair := func(a, b int64) string { return Group(a) + " / " + Group(b) }
	row("  "+tr("visits induced / withheld"), func(y Year) string { return pair(y.Responses.InducedVisits, y.Responses.WithheldVisits) })
	row("  "+tr("admissions induced / withheld"), func(y Year) string {
		return pair(y.Responses.InducedAdmissions, y.Responses.WithheldAdmissions)
	})
	row("  "+tr("stays split / readmissions added"), func(y Year) string {
		return pair(y.Responses.SplitAdmissions, y.Responses.AddedReadmissions)
	})
	growth := func(label string, count func(Year) int64) {
		prev := map[int]int64{}
		for i, y := range s.Yearly {
			if i > 0 {
				prev[y.Year] = count(s.Yearly[i-1])
			}
		}
		row(label, func(y Year) string {
			p, ok := prev[y.Year]
			if !ok || p == 0 {
				return "–"
			}
			return fmt.Sprintf("%+.1f%%", 100*(float64(count(y))/float64(p)-1))
		})
	}
	growth("  "+tr("referrals up, growth"), func(y Year) int64 { return y.Utilisation.ReferralsUp })
	growth("  "+tr("referrals down, growth"), func(y Year) int64 { return y.Utilisation.ReferralsDown })
}

// writeMechanisms writes the rows of the audit, the family-doctor contracts,
// the budget's prevention work and a consortium's capability uplift, when
// the run has them (docs/mechanisms.md).
func writeMechanisms(tr Translate, s *Summary, sym string, row func(string, func(Year) string), section func(string),
	mill func(float64) string, fix func(int) func(float64) string) {
	has := func(f func(Year) bool) bool { return slices.ContainsFunc(s.Yearly, f) }
	if has(func(y Year) bool { return y.Supervision != nil }) {
		sv := func(y Year) SupervisionYear { return orZero(y.Supervision) }
		section(tr("Supervision (smart audit)"))
		row("  "+tr("detection rate"), func(y Year) string { return fix(2)(sv(y).Detection) })
		row("  "+tr("cost to government (million %s)", sym), func(y Year) string { return mill(sv(y).Cost) })
		row("  "+tr("cost per enrollee (%s)", sym), func(y Year) string { return fix(1)(sv(y).CostPerEnrollee) })
		row("  "+tr("claims denied: visits / admissions"), func(y Year) string {
			return Group(sv(y).DeniedVisits) + " / " + Group(sv(y).DeniedAdmissions)
		})
		row("  "+tr("denied, cost borne by providers (million %s)", sym), func(y Year) string { return mill(sv(y).DeniedCost) })
	}
	if has(func(y Year) bool { return y.Contracts != nil }) {
		ct := func(y Year) ContractsYear { return orZero(y.Contracts) }
		section(tr("Family-doctor contracts"))
		row("  "+tr("contracted person-years"), func(y Year) string { return Group(int64(math.Round(ct(y).PersonYears))) })
		row("  "+tr("fees (million %s)", sym), func(y Year) string { return mill(ct(y).Fees) })
		row("  "+tr("paid by the fund / persons (million %s)", sym), func(y Year) string {
			return mill(ct(y).FundPaid) + " / " + mill(ct(y).PaidByPersons)
		})
	}
	if has(func(y Year) bool { return y.Payment.Budget != nil && y.Payment.Budget.Prevention != 0 }) {
		section(tr("Budget: pooled public-health funds (million %s)", sym))
		b := func(y Year) BudgetYear { return orZero(y.Payment.Budget) }
		row("  "+tr("public-health funds pooled"), func(y Year) string { return mill(b(y).PublicHealth) })
		row("  "+tr("prevention work charged"), func(y Year) string { return mill(b(y).Prevention) })
		row("  "+tr("surplus (overspend −)"), func(y Year) string { return mill(b(y).Surplus) })
		row("  "+tr("retained by the members"), func(y Year) string { return mill(b(y).Retained) })
	}
	if has(func(y Year) bool { return y.Capability != nil }) {
		cp := func(y Year) CapabilityYear { return orZero(y.Capability) }
		section(tr("Capability uplift"))
		row("  "+tr("investment per enrollee (%s)", sym), func(y Year) string { return fix(1)(cp(y).InvestmentPerEnrollee) })
		for i, tc := range orZero(s.Yearly[0].Capability).Tiers {
			row("  "+tr("%s capability", tc.Tier), func(y Year) string {
				if t := cp(y).Tiers; i < len(t) {
					return fix(2)(t[i].Capability)
				}
				return "–"
			})
		}
		row("  "+tr("in-county admission share"), func(y Year) string { return fix(1)(100*y.Utilisation.InCountyAdmissionShare) + "%" })
		row("  "+tr("referrals down"), func(y Year) string { return Group(y.Utilisation.ReferralsDown) })
	}
}

// orZero is *p, or the zero value for nil: a year without the section.
func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// WriteTrimmed writes text with the blanks at the end of its lines removed
// (tabwriter pads empty cells).
func WriteTrimmed(w io.Writer, text string) error {
	for _, line := range strings.SplitAfter(text, "\n") {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n"))); err != nil {
			return err
		}
	}
	return nil
}
