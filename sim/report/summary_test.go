package report

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// TestAddYear is a worked example of the yearly figures from hand-made
// tallies: two tiers (primary in-county, and outside), one condition.
func TestAddYear(t *testing.T) {
	s := &scenario.Scenario{Name: "toy", StartYear: 2030, Years: 1, Cycle: scenario.Month,
		Population: scenario.Population{Size: 1000},
		Payment:    []scenario.Binding{{Name: "all", Method: "ffs"}}}
	m := &model.Model{Care: &model.Care{S: s, CyclesPerYear: 12, NTier: 2, TierNames: []string{"village", "outside"},
		Primary: []bool{true, false}, InCounty: []bool{true, false},
		ProvNames: []string{"v", "o"}, ProvTier: []uint8{0, 1}}, Cond: []model.Cond{{Name: "htn"}}}
	c := tally.NewCounts(2, 1, 3)
	c.PersonCycles = 12000 // 1000 enrollees all year
	c.Visits[0], c.Visits[1] = 6000, 1500
	c.Admissions[0], c.Admissions[1] = 180, 20
	c.StayDays[0], c.StayDays[1] = 1400, 200
	c.Charges[0], c.Charges[1] = 900000, 300000
	c.OOP[0], c.OOP[1] = 300000, 150000
	c.Deaths, c.DeathsBy[0], c.DeathsBy[1] = 10, 7, 3
	h := tally.NewHealth(1, 3)
	h.Alive, h.Adults, h.Left = 990, 800, 20 // 20 of the 990 leave the scheme at the year's end
	h.Prevalent[0], h.AdultPrev[0], h.Controlled[0], h.Complication[0], h.Managed[0] = 200, 200, 30, 10, 50
	set := payment.NewSettlement(2, 1, 1)
	in := tally.Year{Counts: c, Disc: tally.NewCounts(2, 1, 3), Health: h, Set: set, Entrants: 5, Joined: 12,
		Fund: ledger.Year{Opening: 500000, Income: 1100000, Payout: 750000, Closing: 850000}}
	plan := &respond.Plan{}
	sum := NewSummary(m, plan, 1)
	sum.AddYear(m, plan, in)
	y := sum.Yearly[0]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"enrollees", y.Fund.Enrollees, 1000},                                    // 12000 person-months ÷ 12
		{"payout per enrollee", y.Fund.PayoutPerEnrollee, 750},                   // 750000 ÷ 1000
		{"reserve months", *y.Fund.ReserveMonths, 13.6},                          // 850000 ÷ (750000 ÷ 12)
		{"visits per person", y.Utilisation.VisitsPerPerson, 7.5},                // 7500 ÷ 1000
		{"admissions per 100", y.Utilisation.AdmissionsPer100, 20},               // 100 × 200 ÷ 1000
		{"primary outpatient share", y.Utilisation.PrimaryOutpatientShare, 0.8},  // 6000 ÷ 7500
		{"in-county admission share", y.Utilisation.InCountyAdmissionShare, 0.9}, // 180 ÷ 200
		{"mean LOS", y.Utilisation.MeanLOS, 8},                                   // 1600 ÷ 200
		{"OOP share", y.Cost.OOPShare, 0.375},                                    // 450000 ÷ 1200000
		{"prevalence", y.Health.Conditions["htn"].Prevalence, 200.0 / 990},       // prevalent ÷ alive
		{"adult prevalence", y.Health.Conditions["htn"].AdultPrevalence, 0.25},   // 200 ÷ 800
		{"control rate", y.Health.Conditions["htn"].ControlRate, 0.15},           // 30 ÷ 200
		{"complication rate", y.Health.Conditions["htn"].ComplicationRate, 0.05}, // 10 ÷ 200
		{"enrolled at year end", float64(y.Health.Alive), 987},                   // 990 − 20 leavers + 5 entrants + 12 joiners
		{"joined", float64(y.Health.Joined), 12},
		{"left", float64(y.Health.Left), 20},
		{"condition deaths", float64(y.Health.DeathsByCause["htn"]), 3},
		{"crude death rate", y.Health.CrudeDeathRate, 10}, // 10 deaths ÷ 1,000 enrollee-years × 1,000
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	var b bytes.Buffer
	if err := WriteYearlyCSV(&b, sum); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "htn_prevalence,htn_adult_prevalence,htn_control_rate,htn_complications,htn_deaths,crude_death_rate,joined,left") ||
		!strings.HasSuffix(lines[1], ",10,12,20") {
		t.Errorf("yearly.csv = %q", b.String())
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000"} {
		if got := Group(in); got != want {
			t.Errorf("Group(%d) = %q, want %q", in, got, want)
		}
	}
}

// TestNonFinite finds a NaN or infinite figure anywhere in a summary, by
// its path, and nothing in a finite one.
func TestNonFinite(t *testing.T) {
	s := &Summary{Yearly: []Year{{Year: 2025}, {Year: 2026}}}
	if p, _ := NonFinite(s); p != "" {
		t.Errorf("NonFinite(finite) = %q, want none", p)
	}
	s.Yearly[1].Fund.Payout = math.Inf(1)
	if p, x := NonFinite(s); p != "yearly[1].fund.payout" || !math.IsInf(x, 1) {
		t.Errorf("NonFinite = %q, %v; want yearly[1].fund.payout, +Inf", p, x)
	}
	s.Yearly[1].Fund.Payout = 0
	nan := math.NaN()
	s.Yearly[0].Fund.ReserveMonths = &nan
	if p, _ := NonFinite(s); p != "yearly[0].fund.reserve_months" {
		t.Errorf("NonFinite = %q, want yearly[0].fund.reserve_months", p)
	}
}

// TestWriteTableCurrency: the text report prints amounts with the
// summary's currency.
func TestWriteTableCurrency(t *testing.T) {
	s := &Summary{Scenario: "x", Persons: 1, StartYear: 2025, Years: 1, Currency: "USD",
		Yearly: []Year{{Year: 2025}}, Overall: Overall{Income: 1, Charges: 1}}
	var b strings.Builder
	if err := WriteTable(&b, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Fund (million $)", "payout per enrollee ($)", "Cost (million $)", "charges ($)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "¥") {
		t.Errorf("a USD table prints ¥:\n%s", b.String())
	}
}

// TestTableTeachingRows: a model without care shows only the health rows
// it defines: no control rate or complications when no state counts as
// controlled or as a complication, no deaths at 30–69 when there are none;
// a model with care shows them all.
func TestTableTeachingRows(t *testing.T) {
	mk := func(charges float64, control float64) *Summary {
		s := &Summary{Scenario: "m", Persons: 10, StartYear: 1, Years: 1, Cycle: "year", Conditions: []string{"c"}, Currency: "USD"}
		s.Overall.Charges = charges
		s.Yearly = []Year{{Year: 1, Health: HealthYear{Alive: 9, Deaths: 1,
			Conditions: map[string]ConditionYear{"c": {AdultPrevalence: 0.5, ControlRate: control}}}}}
		return s
	}
	var b bytes.Buffer
	require.NoError(t, WriteTable(&b, mk(0, 0)))
	for _, no := range []string{"control rate", "complications", "deaths at 30–69"} {
		assert.NotContains(t, b.String(), no)
	}
	assert.Contains(t, b.String(), "c prevalence, adults")
	b.Reset()
	require.NoError(t, WriteTable(&b, mk(0, 0.25)))
	assert.Contains(t, b.String(), "c control rate", "a control rate the model has")
	b.Reset()
	require.NoError(t, WriteTable(&b, mk(100, 0)))
	for _, yes := range []string{"control rate", "complications", "deaths at 30–69"} {
		assert.Contains(t, b.String(), yes, "a model with care shows every row")
	}
}

// TestWriteTablePerPerson: the table's last block gives the per-person
// figures discounted and undiscounted side by side, the rows the model has
// (state costs, QALYs; no money without care), and says how they were
// counted.
func TestWriteTablePerPerson(t *testing.T) {
	q, uq := 15.5, 22.0
	s := &Summary{Scenario: "x", Persons: 1, StartYear: 2025, Years: 2, Currency: "USD", Conditions: []string{"a"},
		Yearly: []Year{{Year: 2025}, {Year: 2026}},
		Overall: Overall{PerPerson: Discounted{LifeYears: 1.5, QALYs: &q, StateCosts: 1234.4},
			PerPersonUndiscounted: Discounted{LifeYears: 2, QALYs: &uq, StateCosts: 2000.5}},
		Rewards: Rewards{Timing: "half_cycle", DiscountCosts: 0.03, DiscountEffects: 0.015}}
	var b strings.Builder
	require.NoError(t, WriteTable(&b, s))
	out := b.String()
	for _, want := range []string{"state costs ($)", "1,234", "2,001", "15.500", "22.000",
		"Costs discounted at 3% a year, life-years and QALYs at 1.5%", "half-cycle correction"} {
		assert.Contains(t, out, want)
	}
	for _, not := range []string{"charges", "fund paid", "Fund"} {
		assert.NotContains(t, out, not, "a model without care")
	}
}

// TestDecimal checks that the CSV files never write exponent notation.
func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{1e6, "1000000"},
		{1.9707892289335574e+06, "1970789.2289335574"},
		{2.7826700459455915e+07, "27826700.459455915"},
		{1.5e-7, "0.00000015"},
		{-3.25e21, "-3250000000000000000000"},
		{0, "0"},
		{0.1, "0.1"},
	} {
		if got := Decimal(c.x); got != c.want {
			t.Errorf("Decimal(%g) = %s, want %s", c.x, got, c.want)
		}
	}
}

// TestWriteTableBudget: a run with a consortium's budget shows its
// settlement (surplus = members' part + the fund's) and the margins by tier;
// a run without one shows neither; the header says whether providers
// respond.
func TestWriteTableBudget(t *testing.T) {
	mk := func(b *BudgetYear, responses bool) *Summary {
		s := &Summary{Scenario: "gb", Persons: 100, StartYear: 2025, Years: 1, Currency: "CNY", Tiers: []string{"village", "county"},
			Overall: Overall{Income: 1, Charges: 1},
			Yearly: []Year{{Year: 2025, Tiers: []TierYear{{Tier: "village", Margin: -40_000}, {Tier: "county", Margin: 2_560_000}},
				Payment: Payment{Budget: b}}}}
		if responses {
			s.Incentives = []ProviderIncentive{{Provider: "village", Tier: "village"}}
		}
		return s
	}
	// An overspend of 2.0 m: G 21.4 m, spending 23.4 m; the members bear
	// half (1.0 m), the fund covers the other half.
	over := &BudgetYear{Consortium: "community", Budget: 21.4e6, Spending: 23.4e6, Surplus: -2e6, Retained: -1e6, FundCovered: 1e6}
	var b strings.Builder
	require.NoError(t, WriteTable(&b, mk(over, false)))
	out := b.String()
	assert.Contains(t, out, "gb: 100 persons, 2025–2025, monthly cycle, seed 0, provider responses off\n")
	assert.Contains(t, out, "\n  Budget of community (million ¥)\n")
	assert.Contains(t, out, "\n  Provider margin, revenue - cost (million ¥)\n")
	for label, value := range map[string]string{
		"budget":                              "21.4",
		"spending, members and outside":       "23.4",
		"surplus (+) or overspend (-)":        "-2.0",
		"kept (+) or borne (-) by members":    "-1.0",
		"kept (+) or covered (-) by the fund": "-1.0",
		"village":                             "0.0", // -40,000 is -0.04 m: no "-0.0"
		"county":                              "2.6",
	} {
		row := regexp.MustCompile(`(?m)^    ` + regexp.QuoteMeta(label) + ` +(\S+)$`).FindStringSubmatch(out)
		if row == nil || row[1] != value {
			t.Errorf("row %q = %v, want %s", label, row, value)
		}
	}
	b.Reset()
	require.NoError(t, WriteTable(&b, mk(nil, true)))
	out = b.String()
	assert.Contains(t, out, "seed 0, provider responses on\n")
	for _, not := range []string{"Budget", "margin"} {
		assert.NotContains(t, out, not, "no budget")
	}
}

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":                0,
		"visits":          6,
		"县医院":             6,  // three wide characters
		"基金（百万元）":         14, // fullwidth brackets are wide too
		"2025–2027 ±0.3%": 15, // the en dash and ± take one cell
		"e\u0301":         1,  // a combining accent takes none
	} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
	if got := PadRight("县", 4); got != "县  " {
		t.Errorf("PadRight(县, 4) = %q, want two blanks after it", got)
	}
}

// TestWriteTableCJK: with labels of wide characters, every row's figures
// end in the same cell of the terminal, and the labels' column is as wide
// as its widest label in cells.
func TestWriteTableCJK(t *testing.T) {
	s := &Summary{Scenario: "县", Persons: 1000, StartYear: 2025, Years: 2, Currency: "CNY", Conditions: []string{"高血压"},
		Overall: Overall{Income: 1, Charges: 1},
		Yearly:  []Year{{Year: 2025, Fund: Fund{Income: 12.5e6}}, {Year: 2026, Fund: Fund{Income: 1234.5e6}}}}
	// Labels with more or fewer wide characters: every "e" becomes 额.
	wide := func(format string, args ...any) string {
		return strings.ReplaceAll(English(format, args...), "e", "额")
	}
	var b strings.Builder
	require.NoError(t, WriteTableIn(&b, s, wide))
	blocks := strings.Split(b.String(), "\n\n") // the header, the years, the figures per person
	require.Len(t, blocks, 3)
	assert.Contains(t, blocks[1], "  Fund (million ¥)\n    incom额  ")
	right := -1
	for _, line := range strings.Split(blocks[1], "\n") {
		if !regexp.MustCompile(`[\d%]$`).MatchString(line) {
			continue // a section
		}
		if right < 0 {
			right = Width(line)
		}
		if Width(line) != right {
			t.Errorf("row %q ends in cell %d, want %d", line, Width(line), right)
		}
	}
	if right < 0 {
		t.Fatal("no rows of figures")
	}
}
