// Package study runs experiments over runs of a scenario: paired comparisons
// on common random numbers (Compare), probabilistic sensitivity analysis
// (RunUncertain) and a scenario's own expectations (Expect).
package study

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// CompareSchema names the version of compare.json.
const CompareSchema = "paysim.compare/v1"

// Comparison is paysim compare's result: scenarios run on common random
// numbers, figure by figure, with their differences to the first scenario.
type Comparison struct {
	Schema     string   `json:"schema"`
	Scenarios  []string `json:"scenarios"`
	Seed       uint64   `json:"seed"`
	Replicates int      `json:"replicates"`
	Mode       string   `json:"mode"`     // sim.Microsimulation or sim.Cohort
	Currency   string   `json:"currency"` // ISO 4217 code of the amounts, common to the scenarios
	// Responses are, by scenario, whether its providers respond to their
	// incentives (scenario.ResponsesOn).
	Responses []bool       `json:"responses"`
	Rows      []CompareRow `json:"rows"`
	// Economics is the scenarios' cost-effectiveness as strategies
	// (Evaluate; by default from the health system's perspective, without
	// a willingness to pay).
	Economics *Economics `json:"economics"`
	// Case is the first scenario's measured study beside the model, with
	// the waterfall of each of its figures over the arms (nil without one).
	Case *Case `json:"case,omitempty"`
	// Draws are the uncertain parameters' values of each replicate (a
	// probabilistic sensitivity analysis), when the first scenario has any.
	Draws *report.Draws `json:"draws,omitempty"`

	draws *ceDraws
}

// CompareRow is one figure in one year (Year 0: the whole run) across the
// scenarios. Mean and Half are the mean across replicates and the half-width
// of its 95% interval; Delta is the mean difference to the first scenario,
// DeltaHalf the half-width of its 95% interval from paired replicates (the
// same persons and random streams), and UnpairedHalf the half-width the same
// difference would have from independent runs, for comparison.
type CompareRow struct {
	Metric       string    `json:"metric"`
	Label        string    `json:"label"`
	Year         int       `json:"year"`
	Mean         []float64 `json:"mean"`
	Half         []float64 `json:"half_width_95"`
	Delta        []float64 `json:"delta"`
	DeltaHalf    []float64 `json:"delta_half_width_95"`
	UnpairedHalf []float64 `json:"unpaired_half_width_95"`
}

// compareFigure is a figure paysim compare reports; ¤ in its label stands
// for the scenarios' currency symbol.
type compareFigure struct {
	metric, label string
	year          func(report.Year) float64
}

var compareFigures = []compareFigure{
	{"fund.payout", "fund payout (million ¤)", func(y report.Year) float64 { return y.Fund.Payout / 1e6 }},
	{"fund.enrollees", "enrollees (person-years)", func(y report.Year) float64 { return y.Fund.Enrollees }},
	{"fund.payout_per_enrollee", "payout per enrollee (¤)", func(y report.Year) float64 { return y.Fund.PayoutPerEnrollee }},
	{"fund.balance", "balance at year end (million ¤)", func(y report.Year) float64 { return y.Fund.Balance / 1e6 }},
	{"fund.reserve_months", "reserve (months of payout)", func(y report.Year) float64 { return optional(y.Fund.ReserveMonths) }},
	{"cost.oop", "patients' OOP (million ¤)", func(y report.Year) float64 { return y.Cost.OOP / 1e6 }},
	{"cost.oop_share", "OOP share of charges", func(y report.Year) float64 { return y.Cost.OOPShare }},
	{"cost.fund_covered", "fund's share of charges (million ¤)", func(y report.Year) float64 { return y.Cost.FundCovered / 1e6 }},
	{"utilisation.admissions_per_100", "admissions per 100 enrollees", func(y report.Year) float64 { return y.Utilisation.AdmissionsPer100 }},
	{"utilisation.mean_los", "mean length of stay (days)", func(y report.Year) float64 { return y.Utilisation.MeanLOS }},
	{"utilisation.referrals_down", "referrals down", func(y report.Year) float64 { return float64(y.Utilisation.ReferralsDown) }},
	{"utilisation.in_county_admission_share", "in-county admission share", func(y report.Year) float64 { return y.Utilisation.InCountyAdmissionShare }},
	{"utilisation.primary_outpatient_share", "primary outpatient share", func(y report.Year) float64 { return y.Utilisation.PrimaryOutpatientShare }},
	{"payment.budget.surplus", "budget surplus, overspend < 0 (million ¤)", budget(func(b *report.BudgetYear) float64 { return b.Surplus })},
	{"payment.budget.retained", "members kept, borne < 0 (million ¤)", budget(func(b *report.BudgetYear) float64 { return b.Retained })},
	{"payment.providers.margin", "providers' margin (million ¤)", func(y report.Year) float64 {
		m := 0.0
		for _, p := range y.Payment.Providers {
			m += p.Margin
		}
		return m / 1e6
	}},
	{"health.control_rate", "control rate, all conditions", func(y report.Year) float64 {
		controlled, prevalent := 0.0, 0.0
		for _, c := range y.Health.Conditions {
			controlled += c.ControlRate * c.Prevalence
			prevalent += c.Prevalence
		}
		if prevalent == 0 {
			return math.NaN()
		}
		return controlled / prevalent
	}},
	{"health.new_complications", "new complications", func(y report.Year) float64 {
		n := 0.0
		for _, c := range y.Health.Conditions {
			n += float64(c.NewComplications)
		}
		return n
	}},
	{"health.complications", "complications (persons)", func(y report.Year) float64 {
		n := 0.0
		for _, c := range y.Health.Conditions {
			n += float64(c.Complications)
		}
		return n
	}},
	{"health.deaths", "deaths", func(y report.Year) float64 { return float64(y.Health.Deaths) }},
	{"health.premature_deaths", "condition deaths at 30–69", func(y report.Year) float64 { return float64(y.Health.PrematureDeaths) }},
	{"health.crude_death_rate", "deaths per 1,000 enrollees", func(y report.Year) float64 { return y.Health.CrudeDeathRate }},
	{"health.premature_probability", "premature mortality, 4 NCDs, 30–70", func(y report.Year) float64 { return optional(y.Health.PrematureProbability) }},
	{"health.managed_severe_rate", "severe cases among the managed", func(y report.Year) float64 { return optional(y.Health.ManagedSevereRate) }},
	{"health.managed_severe_incidence", "new severe cases per managed person-year", func(y report.Year) float64 { return optional(y.Health.ManagedSevereIncidence) }},
}

// optional is *x, or NaN (a figure without a value) when x is nil.
func optional(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}

// budget is a figure of a year's consortium budget in millions, 0 in a year
// without one.
func budget(f func(*report.BudgetYear) float64) func(report.Year) float64 {
	return func(y report.Year) float64 {
		if y.Payment.Budget == nil {
			return 0
		}
		return f(y.Payment.Budget) / 1e6
	}
}

// ErrIncomparable is the error of scenarios that cannot be compared: other
// horizons, other currencies.
var ErrIncomparable = errors.New("compare")

// Arm is a compared scenario and how to load it again with extra --set
// values: replicate r of a scenario with uncertain parameters runs it with
// that replicate's draws (Draw), the same in every arm, a probabilistic
// sensitivity analysis. Load may be nil for a scenario without them.
type Arm struct {
	Scenario *scenario.Scenario
	Load     Loader
}

// Compare runs every scenario for the same replicates — replicate r of each
// draws persons and events from the same streams — opt.Parallel runs at
// once, and compares their figures with the first scenario's. The result
// does not depend on opt.Parallel.
func Compare(ctx context.Context, ss []*scenario.Scenario, opt sim.Options, replicates int) (*Comparison, error) {
	arms := make([]Arm, len(ss))
	for k, s := range ss {
		arms[k] = Arm{Scenario: s}
	}
	return CompareArms(ctx, arms, opt, replicates)
}

// CompareArms is Compare of arms whose uncertain parameters each replicate
// draws anew: the comparison then carries the draws (Comparison.Draws).
func CompareArms(ctx context.Context, arms []Arm, opt sim.Options, replicates int) (*Comparison, error) {
	head, err := NewCompareHead(arms, opt)
	if err != nil {
		return nil, err
	}
	runs, draws, err := CompareRuns(ctx, arms, opt, 0, replicates)
	if err != nil {
		return nil, err
	}
	return Assemble(head, runs, draws), nil
}

// CompareHead is what a comparison knows of its scenarios besides their
// runs.
type CompareHead struct {
	Scenarios []string `json:"scenarios"`
	Seed      uint64   `json:"seed"`
	Mode      string   `json:"mode"` // sim.Microsimulation or sim.Cohort
	StartYear int      `json:"start_year"`
	Years     int      `json:"years"`
	Currency  string   `json:"currency"` // ISO 4217 code
	// Case is the first scenario's measured study, if it has one: the
	// comparison's arms are the steps of its waterfall.
	Case *CaseSpec `json:"case,omitempty"`
	// Responses are, by scenario, whether its providers respond to their
	// incentives.
	Responses []bool `json:"responses"`
}

// NewCompareHead is the head of a comparison of arms run with opt, or
// ErrIncomparable when they run other horizons or count other currencies.
func NewCompareHead(arms []Arm, opt sim.Options) (CompareHead, error) {
	ss := make([]*scenario.Scenario, len(arms))
	for k, a := range arms {
		ss[k] = a.Scenario
		if len(a.Scenario.Uncertain) > 0 && a.Load == nil {
			return CompareHead{}, fmt.Errorf("%s has uncertain parameters and no loader to draw them", a.Scenario.Name)
		}
	}
	if len(ss) < 2 {
		return CompareHead{}, fmt.Errorf("compare needs at least two scenarios")
	}
	years := ss[0].Years
	for _, s := range ss[1:] {
		if s.Years != years || s.StartYear != ss[0].StartYear {
			return CompareHead{}, fmt.Errorf("%w: %s runs %d years from %d, %s %d from %d; want the same horizon",
				ErrIncomparable, ss[0].Name, years, ss[0].StartYear, s.Name, s.Years, s.StartYear)
		}
		if s.Currency.Code() != ss[0].Currency.Code() {
			return CompareHead{}, fmt.Errorf("%w: %s counts money in %s, %s in %s; want one currency",
				ErrIncomparable, ss[0].Name, ss[0].Currency.Code(), s.Name, s.Currency.Code())
		}
	}
	mode := opt.Mode
	if mode == "" {
		mode = sim.Microsimulation
	}
	spec, err := NewCaseSpec(ss[0])
	if err != nil {
		return CompareHead{}, err
	}
	h := CompareHead{Seed: opt.Seed, Mode: mode, StartYear: ss[0].StartYear, Years: years, Currency: string(ss[0].Currency.Code()), Case: spec}
	for _, s := range ss {
		h.Scenarios = append(h.Scenarios, s.Name)
		h.Responses = append(h.Responses, s.ResponsesOn())
	}
	return h, nil
}

// CompareRun is what a comparison keeps of one replicate of one scenario:
// each of its figures in each year, and its discounted totals per person.
type CompareRun struct {
	Figures   Figures           `json:"figures"`
	PerPerson report.Discounted `json:"per_person"`
	// Undiscounted are the same totals per person, not discounted.
	Undiscounted report.Discounted `json:"per_person_undiscounted"`
	// CostCategories are the categories of PerPerson's state costs, in the
	// scenario's order (report.Summary.CostCategories).
	CostCategories []string `json:"cost_categories,omitempty"`
}

// Figures are a run's compare figures, [figure][year] in the order of the
// comparison's rows; NaN, a figure without a value (the reserve of a year
// without payout), is null in JSON.
type Figures [][]float64

// MarshalJSON writes NaN as null.
func (f Figures) MarshalJSON() ([]byte, error) {
	out := make([][]*float64, len(f))
	for i, ys := range f {
		out[i] = make([]*float64, len(ys))
		for y := range ys {
			if !math.IsNaN(ys[y]) {
				out[i][y] = &ys[y]
			}
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads null as NaN.
func (f *Figures) UnmarshalJSON(b []byte) error {
	var in [][]*float64
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*f = make(Figures, len(in))
	for i, ys := range in {
		(*f)[i] = make([]float64, len(ys))
		for y, v := range ys {
			(*f)[i][y] = math.NaN()
			if v != nil {
				(*f)[i][y] = *v
			}
		}
	}
	return nil
}

// CompareRuns runs replicates opt.Replicate+lo to opt.Replicate+hi−1 of
// every arm, opt.Parallel runs at once, and returns what Compare keeps of
// each, runs[r−lo][k] replicate r of arm k, and the draws of the first
// arm's uncertain parameters in each replicate (nil without them).
func CompareRuns(ctx context.Context, arms []Arm, opt sim.Options, lo, hi int) ([][]CompareRun, *report.Draws, error) {
	n, na := max(hi-lo, 0), len(arms)
	runs := make([][]CompareRun, n)
	for r := range runs {
		runs[r] = make([]CompareRun, na)
	}
	var draws *report.Draws
	if u := arms[0].Scenario.Uncertain; len(u) > 0 {
		draws = &report.Draws{}
		for _, x := range u {
			draws.Paths = append(draws.Paths, x.Set)
		}
		for r := range n {
			draws.Values = append(draws.Values, Draw(arms[0].Scenario, opt.Seed, opt.Replicate+lo+r))
		}
	}
	o := opt
	if n*na > 1 {
		cycles := 0
		for _, a := range arms {
			cycles += n * sim.Cycles(a.Scenario)
		}
		o.Progress = sim.SharedProgress(opt.Progress, cycles)
	}
	err := sim.Parallel(ctx, n*na, opt.Parallel, func(ctx context.Context, i int) error {
		r, k := i/na, i%na
		s := arms[k].Scenario
		o := o
		o.Replicate = opt.Replicate + lo + r
		if len(s.Uncertain) > 0 {
			vals := Draw(s, opt.Seed, o.Replicate)
			sets := make([]string, len(vals))
			for i, v := range vals {
				sets[i] = s.Uncertain[i].Set + "=" + strconv.FormatFloat(v, 'g', -1, 64)
			}
			drawn, err := arms[k].Load(sets)
			if err != nil {
				return fmt.Errorf("%s, replicate %d: %w", s.Name, o.Replicate, err)
			}
			drawn.Name = s.Name
			s = drawn
		}
		sum, err := sim.Run(ctx, s, o)
		if err != nil {
			return fmt.Errorf("%s, replicate %d: %w", s.Name, o.Replicate, err)
		}
		runs[r][k] = compareRun(sum)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return runs, draws, nil
}

// compareRun keeps of a summary what Compare needs.
func compareRun(sum *report.Summary) CompareRun {
	c := CompareRun{Figures: make(Figures, len(compareFigures)), PerPerson: sum.Overall.PerPerson,
		Undiscounted: sum.Overall.PerPersonUndiscounted, CostCategories: sum.CostCategories}
	for f, fig := range compareFigures {
		c.Figures[f] = make([]float64, len(sum.Yearly))
		for y, yr := range sum.Yearly {
			c.Figures[f][y] = fig.year(yr)
		}
	}
	return c
}

// Assemble compares the runs of the scenarios of h, runs[r][k] replicate r
// of scenario k, with the draws of their uncertain parameters (nil without
// them): the rows of figures, and the economics from the health system's
// perspective without a willingness to pay (see Evaluate).
func Assemble(h CompareHead, runs [][]CompareRun, draws *report.Draws) *Comparison {
	ns, years := len(h.Scenarios), h.Years
	// vals[k][f][y][r]: scenario k, figure f, year y (years: the whole run), replicate r.
	nf := len(compareFigures)
	vals := make([][][][]float64, ns)
	for k := range vals {
		vals[k] = make([][][]float64, nf)
		for f := range vals[k] {
			vals[k][f] = make([][]float64, years+1)
		}
	}
	d := &ceDraws{utilities: true,
		stateCosts: make([][]float64, ns), charges: make([][]float64, ns), fundPaid: make([][]float64, ns),
		disc: make([][]report.Discounted, ns), undisc: make([][]report.Discounted, ns),
		lifeYears: make([][]float64, ns), qalys: make([][]float64, ns)}
	for _, rep := range runs { // the state cost categories of every scenario, in order
		for _, run := range rep {
			for _, name := range run.CostCategories {
				if !slices.Contains(d.categories, name) {
					d.categories = append(d.categories, name)
				}
			}
		}
	}
	for _, rep := range runs {
		for k, run := range rep {
			pp := run.PerPerson
			d.disc[k] = append(d.disc[k], pp)
			d.undisc[k] = append(d.undisc[k], run.Undiscounted)
			d.stateCosts[k] = append(d.stateCosts[k], pp.StateCosts)
			d.charges[k] = append(d.charges[k], pp.Charges)
			d.fundPaid[k] = append(d.fundPaid[k], pp.FundPaid)
			d.lifeYears[k] = append(d.lifeYears[k], pp.LifeYears)
			if pp.QALYs != nil {
				d.qalys[k] = append(d.qalys[k], *pp.QALYs)
			} else {
				d.utilities = false
			}
			for f := range compareFigures {
				total := 0.0
				for y, v := range run.Figures[f] {
					vals[k][f][y] = append(vals[k][f][y], v)
					total += v
				}
				vals[k][f][years] = append(vals[k][f][years], total)
			}
		}
	}
	c := &Comparison{Schema: CompareSchema, Scenarios: h.Scenarios, Seed: h.Seed, Replicates: len(runs), Mode: h.Mode,
		Currency: h.Currency, Responses: h.Responses, draws: d, Draws: draws}
	sym := scenario.Currency(h.Currency).Symbol()
	d.names = c.Scenarios
	for f, fig := range compareFigures {
		for y := 0; y <= years; y++ {
			if y == years && !additive(fig.metric) {
				continue // shares and stocks have no total over the years
			}
			row := CompareRow{Metric: fig.metric, Label: strings.ReplaceAll(fig.label, "¤", sym)}
			if y < years {
				row.Year = h.StartYear + y
			}
			base := vals[0][f][y]
			for k := range ns {
				x := vals[k][f][y]
				t := report.T95(len(x))
				m, hw := report.MeanHalfWidth(x, t)
				row.Mean = append(row.Mean, m)
				row.Half = append(row.Half, hw)
				d := make([]float64, len(x))
				for r := range x {
					d[r] = x[r] - base[r]
				}
				dm, dh := report.MeanHalfWidth(d, t)
				row.Delta = append(row.Delta, dm)
				row.DeltaHalf = append(row.DeltaHalf, dh)
				// Had the runs been independent, the difference's interval
				// would combine the two means' (same t): √(h_first² + h²).
				_, h0 := report.MeanHalfWidth(base, t)
				row.UnpairedHalf = append(row.UnpairedHalf, math.Hypot(h0, hw))
			}
			c.Rows = append(c.Rows, row)
		}
	}
	if h.Case != nil {
		c.Case = measure(h.Case, h.Scenarios, h.StartYear, runs)
	}
	c.Evaluate(HealthSystem, nil)
	return c
}

// additive reports whether a figure's total over the years means something.
func additive(metric string) bool {
	switch metric {
	case "fund.payout", "cost.oop", "cost.fund_covered", "utilisation.referrals_down", "health.new_complications",
		"payment.budget.surplus", "payment.budget.retained", "payment.providers.margin",
		"health.deaths", "health.premature_deaths":
		return true
	}
	return false
}

// CompareFile is compare.json: a Comparison with its figures that are
// undefined in a year (a reserve without payout) null, here nil. paysim
// compare writes it (Comparison.File) and paysim report reads it.
type CompareFile struct {
	Schema     string        `json:"schema"`
	Scenarios  []string      `json:"scenarios"`
	Seed       uint64        `json:"seed"`
	Replicates int           `json:"replicates"`
	Mode       string        `json:"mode"`
	Currency   string        `json:"currency"`
	Responses  []bool        `json:"responses"`
	Rows       []FileRow     `json:"rows"`
	Economics  *Economics    `json:"economics"`
	Case       *Case         `json:"case,omitempty"`
	Draws      *report.Draws `json:"draws,omitempty"`
}

// FileRow is a CompareRow of compare.json, by scenario, nil where undefined.
type FileRow struct {
	Metric       string     `json:"metric"`
	Label        string     `json:"label"`
	Year         int        `json:"year"`
	Mean         []*float64 `json:"mean"`
	Half         []*float64 `json:"half_width_95"`
	Delta        []*float64 `json:"delta"`
	DeltaHalf    []*float64 `json:"delta_half_width_95"`
	UnpairedHalf []*float64 `json:"unpaired_half_width_95"`
}

// File is c as compare.json holds it.
func (c *Comparison) File() *CompareFile {
	opt := func(x []float64) []*float64 {
		out := make([]*float64, len(x))
		for i := range x {
			if !math.IsNaN(x[i]) && !math.IsInf(x[i], 0) {
				out[i] = &x[i]
			}
		}
		return out
	}
	rows := make([]FileRow, len(c.Rows))
	for i, r := range c.Rows {
		rows[i] = FileRow{r.Metric, r.Label, r.Year, opt(r.Mean), opt(r.Half), opt(r.Delta), opt(r.DeltaHalf), opt(r.UnpairedHalf)}
	}
	return &CompareFile{c.Schema, c.Scenarios, c.Seed, c.Replicates, c.Mode, c.Currency, c.Responses, rows, c.Economics, c.Case, c.Draws}
}
