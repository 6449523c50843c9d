package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/brief"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "one-way sensitivity: an outcome with each parameter at the ends of its range, as a tornado table",
		ArgsUsage: "SCENARIO",
		Description: `Runs SCENARIO at its base values, then with each parameter alone at the low and
the high end of its range, and prints the outcome at each, the parameters ordered
by how far the outcome swings, widest first (the bars of a tornado diagram).

The ranges are --vary path=low,high (repeatable), or without any the scenario's
uncertain[] parameters: a uniform's bounds, or the 2.5% and 97.5% quantiles of any
other distribution.

For a scenario that declares strategies the outcome is one strategy's (--strategy,
default the second) against the first: icer (Δ cost ÷ Δ effect, per person,
discounted, the default), d_cost, d_effect, or nmb (λ × Δ effect − Δ cost at
--wtp λ); costs from --perspective. For any other scenario --outcome is a figure
of summary.json: a path below a year (fund.payout, in --year, default the last)
or below the summary (overall.per_person.qalys, the default; life_years without
utilities).

Every run uses the same seed and replicates: the outcome moves with the
parameter, not with the draws.

--out DIR writes sweep.json (what --format json prints), sweep.csv and the
workbook results.xlsx; --report FILE the tornado chart as an HTML report
(docs/report.md), in the language of --lang (zh or en).

Examples:
   paysim sweep teaching/sick-sicker-strategies --strategy treatment-b \
     --vary conditions.sick-sicker.states.sick.utility=0.65,0.85 \
     --vary conditions.sick-sicker.transitions.healthy->sick.prob=0.1,0.2
   paysim sweep county-global-budget --outcome fund.payout --replicates 2 \
     --vary consortia.0.budget.growth=0,0.06
   paysim sweep teaching/lesson --mode cohort --out tornado --report tornado/report.html --lang zh`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "vary", Usage: "a parameter's range, `path=low,high`; repeatable"},
			&cli.StringFlag{Name: "outcome", Usage: "icer, d_cost, d_effect or nmb for strategies; else a summary figure's path"},
			&cli.StringFlag{Name: "strategy", Usage: "the strategy whose outcome against the first is swept (default: the second)"},
			&cli.Float64Flag{Name: "wtp", Usage: "willingness to pay per unit of effect, for --outcome nmb"},
			&cli.StringFlag{Name: "perspective", Value: string(study.HealthSystem), Usage: "health_system or payer (see paysim compare)"},
			&cli.IntFlag{Name: "year", Usage: "calendar year of a yearly --outcome (default: the last)"},
			&cli.IntFlag{Name: "replicates", Value: 4, Usage: "replicates per run, on common random numbers (1 with --mode cohort)"},
			&cli.StringFlag{Name: "mode", Value: sim.Microsimulation, Usage: "microsimulation, or cohort: the exact expected values of a Markov model (see paysim run)"},
			&cli.Uint64Flag{Name: "seed", Usage: "random seed (default: the scenario's)"},
			&cli.IntFlag{Name: "years", Usage: "years to simulate (default: the scenario's)"},
			&cli.IntFlag{Name: "persons", Usage: "persons at start (default: the scenario's)"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "goroutines in all, shared among the runs at once; results do not depend on it"},
			parallelFlag(),
			&cli.StringFlag{Name: "format", Value: "table", Usage: "table or json"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario value, `path=value`; repeatable"},
			&cli.StringFlag{Name: "out", Usage: "folder to write sweep.json, sweep.csv and results.xlsx to"},
			&cli.StringFlag{Name: "report", Usage: "write the tornado chart as an HTML report to `FILE`"},
			langFlag(),
		},
		Action: sweepAction,
	}
}

func sweepAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("sweep needs one scenario, got %d", c.NArg())
	}
	format := c.String("format")
	if format != "table" && format != "json" {
		return usagef("--format %q: want table or json", format)
	}
	persp := study.Perspective(c.String("perspective"))
	if persp != study.HealthSystem && persp != study.Payer {
		return usagef("--perspective %q: want health_system or payer", persp)
	}
	if c.Int("replicates") < 1 {
		return usagef("--replicates %d: want at least 1", c.Int("replicates"))
	}
	l, err := lang(c)
	if err != nil {
		return err
	}
	name := c.Args().First()
	base := flagSets(c)
	arms, err := loadArms(name, base, false)
	if err != nil {
		return err
	}
	ranges := []study.Range{}
	for _, v := range c.StringSlice("vary") {
		r, err := study.ParseRange(v)
		if err != nil {
			return usagef("--vary %v", err)
		}
		ranges = append(ranges, r)
	}
	if len(ranges) == 0 {
		ranges = study.Ranges(arms[0])
	}
	if len(ranges) == 0 {
		return usagef("%s has no uncertain parameters; give the ranges with --vary path=low,high", arms[0].Name)
	}
	seed := arms[0].Seed
	if c.IsSet("seed") {
		seed = c.Uint64("seed")
	}
	mode, err := modeFlag(c)
	if err != nil {
		return err
	}
	reps := c.Int("replicates")
	if mode == sim.Cohort {
		reps = 1 // exact: every replicate would be the same
		for _, a := range arms {
			if err := sim.CheckCohort(a); err != nil {
				return err
			}
		}
	}
	parallel, workers, err := pool(c, arms, reps*len(arms), availableMemory())
	if err != nil {
		return err
	}
	opt := sim.Options{Seed: seed, Workers: workers, Parallel: parallel, Mode: mode}

	var label string
	var outcome func(sets []string) (float64, error)
	head := study.SweepFile{Scenario: arms[0].Name, Currency: string(arms[0].Currency.Code()), Seed: seed, Replicates: reps, Mode: mode}
	if len(arms) > 1 {
		o := c.String("outcome")
		if o == "" {
			o = "icer"
		}
		if !slices.Contains([]string{"icer", "d_cost", "d_effect", "nmb"}, o) {
			return usagef("--outcome %q: want icer, d_cost, d_effect or nmb for a scenario with strategies", o)
		}
		if o == "nmb" && !c.IsSet("wtp") {
			return usagef("--outcome nmb needs --wtp")
		}
		k := 1
		if s := c.String("strategy"); s != "" {
			k = slices.IndexFunc(arms, func(a *scenario.Scenario) bool { return a.Name == s })
			if k <= 0 {
				return usagef("--strategy %q: want one of the strategies after the first (%s)", s, armNames(arms[1:]))
			}
		}
		label = fmt.Sprintf("%s of %s against %s", o, arms[k].Name, arms[0].Name)
		whole, err := loadScenario(name, base) // the scenario's own name, which its arms take their strategies'
		if err != nil {
			return err
		}
		head.Scenario = whole.Name
		effect := "life_years"
		if slices.ContainsFunc(arms, (*scenario.Scenario).HasUtilities) {
			effect = "qalys"
		}
		head.Metric, head.Strategy, head.Reference, head.Perspective, head.Unit = o, arms[k].Name, arms[0].Name, string(persp), study.Unit(o, effect)
		if o == "nmb" {
			w := c.Float64("wtp")
			head.WTP = &w
		}
		// A strategy's own value of a parameter is its treatment: the swept
		// value goes under the arms' sets, and an arm that sets the
		// parameter keeps its value.
		var paths []string
		for _, r := range ranges {
			paths = append(paths, r.Path)
		}
		for _, msg := range overridden(arms[0], paths, "the sweep varies") {
			fmt.Fprintln(c.App.ErrWriter, "paysim: warning: "+msg)
		}
		outcome = func(sets []string) (float64, error) {
			as, err := loadArmsAround(name, sets, base, false)
			if err != nil {
				return 0, err
			}
			for _, a := range as {
				a.Uncertain = nil // the other parameters at their base values, not drawn
			}
			cmp, err := study.Compare(c.Context, as, opt, reps)
			if err != nil {
				return 0, err
			}
			cmp.Evaluate(persp, nil)
			return cmp.Incremental(o, k, c.Float64("wtp"))
		}
	} else {
		metric := c.String("outcome")
		if metric == "" {
			metric = "overall.per_person.life_years"
			if arms[0].HasUtilities() {
				metric = "overall.per_person.qalys"
			}
		}
		label = metric
		if c.IsSet("year") {
			label += " in " + strconv.Itoa(c.Int("year"))
		}
		head.Metric, head.Year, head.Unit = metric, c.Int("year"), study.Unit(metric, "")
		outcome = func(sets []string) (float64, error) {
			s, err := loadScenario(name, append(slices.Clone(base), sets...))
			if err != nil {
				return 0, err
			}
			runs, err := sim.RunRange(c.Context, s, opt, 0, reps)
			if err != nil {
				return 0, err
			}
			sum, err := report.Merge(runs)
			if err != nil {
				return 0, err
			}
			x, err := study.Figure(sum, metric, c.Int("year"))
			if err != nil {
				return 0, usagef("--outcome %v", err)
			}
			return x, nil
		}
	}
	t, err := study.Sweep(label, ranges, outcome)
	if err != nil {
		return err
	}
	file := t.File(head)
	js := new(bytes.Buffer)
	if err := writeSweepJSON(js, file); err != nil {
		return err
	}
	if err := writeSweepFiles(c, js, l); err != nil {
		return err
	}
	if format == "json" {
		_, err = c.App.Writer.Write(js.Bytes())
		return err
	}
	tr := tableLabels(l)
	how := tr("%d replicates on common random numbers", reps)
	if mode == sim.Cohort {
		how = tr("exact expected values (cohort)")
	}
	return writeTornado(c.App.Writer, t, how, tr)
}

// writeSweepJSON writes sweep.json; a path's arrow stays as it is written
// (ill->well, not ill-\u003ewell).
func writeSweepJSON(w io.Writer, f *study.SweepFile) error {
	e := json.NewEncoder(w)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	return e.Encode(f)
}

// writeSweepCSV writes sweep.csv: one line per parameter, widest swing
// first; an outcome without a value is empty.
func writeSweepCSV(w io.Writer, f *study.SweepFile) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"parameter", "low", "high", "base", "at_low", "at_high", "swing"}); err != nil {
		return err
	}
	num := func(x *float64) string {
		if x == nil {
			return ""
		}
		return report.Decimal(*x)
	}
	for _, b := range f.Bars {
		if err := cw.Write([]string{b.Path, report.Decimal(b.Low), report.Decimal(b.High), num(f.Base), num(b.AtLow), num(b.AtHigh), num(b.Swing)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeSweepFiles writes a sweep's files to --out and its report to
// --report, once the sweep is done: an interrupted or failed sweep writes
// nothing.
func writeSweepFiles(c *cli.Context, js *bytes.Buffer, l brief.Lang) error {
	if c.String("out") == "" && c.String("report") == "" {
		return nil
	}
	// The report and the workbook read the sweep as sweep.json has it.
	doc, err := brief.DecodeSweep(js.Bytes())
	if err != nil {
		return err
	}
	cs := new(bytes.Buffer)
	if err := writeSweepCSV(cs, doc); err != nil {
		return err
	}
	return writeFolderReport(c, l, []*brief.Source{{Sweep: doc}},
		map[string]*bytes.Buffer{"sweep.json": js, "sweep.csv": cs}, []string{"sweep.json", "sweep.csv"})
}

func armNames(arms []*scenario.Scenario) string {
	var b bytes.Buffer
	for i, a := range arms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.Name)
	}
	return b.String()
}

// writeTornado prints a one-way sensitivity analysis, widest swing first,
// its labels rendered by tr and its columns aligned in a terminal's cells.
func writeTornado(w io.Writer, t *study.Tornado, how string, tr report.Translate) error {
	fmt.Fprint(w, tr("one-way sensitivity of %s; base %s; %s", t.Outcome, figure(t.Base), how)+"\n\n")
	labels := []string{"  " + tr("parameter")}
	rows := [][]string{{tr("low"), tr("high"), tr("at low"), tr("at high"), tr("swing")}}
	width := report.Width(labels[0])
	for _, b := range t.Bars {
		labels = append(labels, "  "+b.Path)
		width = max(width, report.Width(labels[len(labels)-1]))
		rows = append(rows, []string{strconv.FormatFloat(b.Low, 'g', 6, 64), strconv.FormatFloat(b.High, 'g', 6, 64),
			figure(b.AtLow), figure(b.AtHigh), figure(b.Swing)})
	}
	return report.WriteTrimmed(w, report.Align(labels, width, rows))
}
