package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/brief"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "run scenarios or a scenario's strategies side by side on common random numbers",
		ArgsUsage: "A B [C ...] | A-with-strategies",
		Description: `Runs every scenario for the same replicates: replicate r of each scenario draws
the same persons and the same random streams, so that the differences between
scenarios are differences of the scenarios, not noise. Prints, per year and for
the whole run, fund payout and balance, reserve months, patients' out-of-pocket
payments and share, the fund's share of charges, admissions, length of stay,
down-referrals, in-county admission and primary outpatient shares, control
rate, new and prevalent complications, deaths and condition deaths at 30–69,
with each scenario's difference to the first and the 95% interval of that
difference from the paired replicates. --out DIR writes compare.json (which
also gives the interval the difference would have from independent runs),
compare.csv, psa.csv and the workbook results.xlsx; --report FILE the
comparison's HTML report with charts (docs/report.md), in the language of
--lang (zh or en).

A scenario that declares strategies (strategies: [{name, set: [path=value, ...]}])
stands for its arms: paysim compare FILE compares them, the first the reference.
After the figures comes the cost-effectiveness of the scenarios as strategies,
per person at the start and discounted: cost (--perspective health_system: state
costs and all charges; payer: state costs and what the fund paid), QALYs (or
life-years when a scenario declares no utility), increments against the frontier
strategy before with paired 95% intervals, ICERs after removing dominated and
extendedly dominated strategies, and with --wtp the net monetary benefit at each
willingness to pay and the share of replicates in which each strategy is the most
cost-effective. Scenarios with uncertain parameters (uncertain: [...]) draw them
anew in each replicate, the same in every scenario: a probabilistic sensitivity
analysis, with the expected value of perfect information at each --wtp; psa.csv
in --out holds each replicate's draws, costs and effects.

--set applies to every scenario: --set responses.enabled=false compares the
accounting of the rules alone, --set responses.enabled=true with every
provider responding to its incentive (docs/responses.md).

--mode cohort compares the exact expected values of scenarios whose
conditions are Markov chains (paysim run --help): one run of each, no noise,
and no interval (unless the scenarios draw uncertain parameters, replicate by
replicate).

Examples:
   paysim compare county-ffs county-global-budget --replicates 20
   paysim compare luojiang-2023 luojiang-2024 --replicates 20
   paysim compare teaching/sick-sicker-strategies --replicates 20 --wtp 50000,100000
   paysim compare teaching/markov-4state my-treatment.yaml --mode cohort
   paysim compare county-ffs county-global-budget --out cmp/ --report cmp/report.html --lang zh`,
		Flags: []cli.Flag{
			&cli.Uint64Flag{Name: "seed", Usage: "random seed (default: the first scenario's)"},
			&cli.IntFlag{Name: "replicates", Value: 10, Usage: "paired replicates (1 with --mode cohort)"},
			&cli.StringFlag{Name: "mode", Value: "microsimulation", Usage: "microsimulation or cohort (exact expected values; see paysim run --help)"},
			&cli.IntFlag{Name: "years", Usage: "years to simulate (default: each scenario's)"},
			&cli.IntFlag{Name: "persons", Usage: "persons at start (default: each scenario's)"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "goroutines in all, shared among the runs at once; results do not depend on it"},
			parallelFlag(),
			shardFlag(),
			&cli.StringFlag{Name: "format", Value: "table", Usage: "table, json or csv"},
			&cli.StringFlag{Name: "out", Usage: "folder to write compare.json, compare.csv and results.xlsx to"},
			&cli.StringFlag{Name: "report", Usage: "write the comparison's HTML report with charts to `FILE`"},
			langFlag(),
			&cli.StringSliceFlag{Name: "set", Usage: "override a value of every scenario, `path=value`; repeatable"},
			&cli.StringSliceFlag{Name: "wtp", Usage: "willingness to pay per QALY (or life-year) in the scenarios' currency, for net monetary benefit; repeatable or comma-separated"},
			&cli.StringFlag{Name: "perspective", Value: string(study.HealthSystem), Usage: "whose costs the cost-effectiveness counts: health_system (state costs and all charges) or payer (state costs and what the fund paid)"},
		},
		Action: compareAction,
	}
}

func compareAction(c *cli.Context) error {
	if c.NArg() < 1 {
		return usagef("compare needs two scenarios, or one that declares strategies")
	}
	format := c.String("format")
	if format != "table" && format != "json" && format != "csv" {
		return usagef("--format %q: want table, json or csv", format)
	}
	l, err := lang(c)
	if err != nil {
		return err
	}
	persp := study.Perspective(c.String("perspective"))
	if persp != study.HealthSystem && persp != study.Payer {
		return usagef("--perspective %q: want health_system or payer", persp)
	}
	var wtp []float64
	for _, list := range c.StringSlice("wtp") {
		for _, f := range strings.Split(list, ",") {
			l, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || !(l >= 0) || math.IsInf(l, 0) {
				return usagef("--wtp %q: want a willingness to pay of 0 or more, e.g. --wtp 50000,100000", f)
			}
			wtp = append(wtp, l)
		}
	}
	mode, err := modeFlag(c)
	if err != nil {
		return err
	}
	shard, sharded, err := parseShard(c)
	if err != nil {
		return err
	}
	if sharded && c.IsSet("report") {
		return usagef("--report with --shard: a shard has no comparison; give it to paysim merge")
	}
	memory := availableMemory()
	if mode == sim.Cohort {
		memory = 0 // a cohort holds no persons
	}
	sets := flagSets(c)
	var arms []study.Arm
	var refused []error
	for _, name := range c.Args().Slice() {
		ss, err := loadArms(name, sets, c.NArg() > 1)
		if err != nil {
			return err
		}
		for _, s := range ss {
			if mode == sim.Cohort {
				if err := sim.CheckCohort(s); err != nil {
					refused = append(refused, err)
				}
			}
		}
		arms = append(arms, withLoaders(name, sets, ss)...)
		var uncertain []string
		for _, u := range ss[0].Uncertain {
			uncertain = append(uncertain, u.Set)
		}
		for _, msg := range overridden(ss[0], uncertain, "the analysis draws") {
			fmt.Fprintln(c.App.ErrWriter, "paysim: warning: "+msg)
		}
	}
	if len(refused) > 0 {
		return errors.Join(refused...)
	}
	if len(arms) < 2 {
		return usagef("compare needs at least two scenarios or strategies, got %d", len(arms))
	}
	replicates := c.Int("replicates")
	if mode == sim.Cohort && len(arms[0].Scenario.Uncertain) == 0 {
		// A cohort is exact: one run of each arm, unless its uncertain
		// parameters are drawn replicate by replicate.
		if c.IsSet("replicates") && replicates != 1 {
			return usagef("--replicates %d: a cohort is exact and every replicate would be the same; drop --replicates with --mode cohort (it draws the uncertain: parameters of a scenario that has them)", replicates)
		}
		replicates = 1
	}
	seed := arms[0].Scenario.Seed
	if c.IsSet("seed") {
		seed = c.Uint64("seed")
	}
	ss := make([]*scenario.Scenario, len(arms))
	for k, a := range arms {
		ss[k] = a.Scenario
	}
	opt := sim.Options{Seed: seed, Mode: mode}
	head, err := study.NewCompareHead(arms, opt)
	if errors.Is(err, study.ErrIncomparable) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	lo, hi := shard.Range(replicates)
	if opt.Parallel, opt.Workers, err = pool(c, ss, (hi-lo)*len(arms), memory); err != nil {
		return err
	}
	var done func()
	if mode != sim.Cohort {
		opt.Progress, done = terminalProgress(c, ss[0], (hi-lo)*len(arms))
	}
	runs, draws, err := study.CompareRuns(c.Context, arms, opt, lo, hi)
	if done != nil {
		done()
	}
	if err != nil {
		return err
	}
	if sharded {
		job := study.Job{Command: "compare", Args: c.Args().Slice(), Sets: sets, Seed: seed, Replicates: replicates, Mode: mode,
			Perspective: string(persp), WTP: wtp, Build: build()}
		return writePart(c, c.String("out"), study.NewComparePart(job, shard, lo, head, runs, draws), lo, hi)
	}
	return compareOutputs(c, study.Assemble(head, runs, draws), persp, wtp, l)
}

// compareOutputs evaluates a comparison's economics for a perspective and
// willingness to pay, writes its files to --out and its report to
// --report, and prints it in --format.
func compareOutputs(c *cli.Context, cmp *study.Comparison, persp study.Perspective, wtp []float64, l brief.Lang) error {
	cmp.Evaluate(persp, wtp)
	if c.String("out") != "" || c.String("report") != "" {
		if err := writeCompareFiles(c, cmp, l); err != nil {
			return err
		}
	}
	switch c.String("format") {
	case "json":
		return writeCompareJSON(c.App.Writer, cmp)
	case "csv":
		return writeCompareCSV(c.App.Writer, cmp)
	}
	return writeCompareTable(c.App.Writer, cmp, l)
}

// writeCompareFiles writes a comparison's files to --out and its report to
// --report.
func writeCompareFiles(c *cli.Context, cmp *study.Comparison, l brief.Lang) error {
	js := new(bytes.Buffer)
	if err := writeCompareJSON(js, cmp); err != nil {
		return err
	}
	// The report and the workbook read the comparison as compare.json has it.
	doc, err := brief.DecodeComparison(js.Bytes())
	if err != nil {
		return err
	}
	cs, ps := new(bytes.Buffer), new(bytes.Buffer)
	if err := writeCompareCSV(cs, cmp); err != nil {
		return err
	}
	if err := writePSA(ps, cmp); err != nil {
		return err
	}
	return writeFolderReport(c, l, []*brief.Source{{Compare: doc}},
		map[string]*bytes.Buffer{"compare.json": js, "compare.csv": cs, "psa.csv": ps}, []string{"compare.json", "compare.csv", "psa.csv"})
}

// loadArms loads a scenario, or, when it declares strategies, each of its
// arms: the scenario with the arm's sets applied before the command line's,
// named after the arm (prefixed by the scenario's name when qualified, for
// a compare of several files).
func loadArms(name string, sets []string, qualified bool) ([]*scenario.Scenario, error) {
	return loadArmsAround(name, nil, sets, qualified)
}

// loadArmsAround is loadArms with sets applied before the arms' (the arms'
// own values win over them) and after them.
func loadArmsAround(name string, before, after []string, qualified bool) ([]*scenario.Scenario, error) {
	s, err := loadScenario(name, slices.Concat(before, after))
	if err != nil {
		return nil, err
	}
	names, sets := s.Arms()
	if len(names) == 0 {
		return []*scenario.Scenario{s}, nil
	}
	var arms []*scenario.Scenario
	for k, arm := range names {
		a, err := loadScenario(name, slices.Concat(before, sets[k], after))
		if err != nil {
			return nil, fmt.Errorf("%s of %s: %w", arm, s.Name, err)
		}
		a.Name = arm
		if qualified {
			a.Name = s.Name + "/" + arm
		}
		arms = append(arms, a)
	}
	return arms, nil
}

// withLoaders pairs the scenarios loadArms loaded from name with sets with
// how to load each again with extra values (a replicate's draws of its
// uncertain parameters). The draws go under a strategy's own sets: a value
// a strategy sets is its treatment, and stays; the command line's sets
// stay on top.
func withLoaders(name string, sets []string, ss []*scenario.Scenario) []study.Arm {
	arms := make([]study.Arm, len(ss))
	for k, s := range ss {
		var own []string
		if _, sets := s.Arms(); len(sets) == len(ss) && len(ss) > 1 {
			own = sets[k]
		}
		arms[k] = study.Arm{Scenario: s, Load: func(extra []string) (*scenario.Scenario, error) {
			return loadScenario(name, slices.Concat(extra, own, sets))
		}}
	}
	return arms
}

// overridden returns, for each strategy that sets one of paths, a warning
// that the strategy keeps its own value of it.
func overridden(s *scenario.Scenario, paths []string, what string) []string {
	var out []string
	for _, st := range s.Strategies {
		for _, set := range st.Set {
			p, _, _ := strings.Cut(set, "=")
			if slices.Contains(paths, strings.TrimSpace(p)) {
				out = append(out, fmt.Sprintf("strategy %s sets %s; %s it in the other strategies only", st.Name, strings.TrimSpace(p), what))
			}
		}
	}
	return out
}

func writeCompareJSON(w io.Writer, c *study.Comparison) error {
	b, err := json.MarshalIndent(c.File(), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func writeCompareCSV(w io.Writer, c *study.Comparison) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"metric", "year", "scenario", "mean", "half_width_95", "delta", "delta_half_width_95", "unpaired_half_width_95"}); err != nil {
		return err
	}
	f := report.Decimal
	for _, r := range c.Rows {
		year := strconv.Itoa(r.Year)
		if r.Year == 0 {
			year = "all"
		}
		for k, name := range c.Scenarios {
			if err := cw.Write([]string{r.Metric, year, name, f(r.Mean[k]), f(r.Half[k]), f(r.Delta[k]), f(r.DeltaHalf[k]), f(r.UnpairedHalf[k])}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeCompareTable prints one block per figure: years across, the
// scenarios' means down, and each scenario's difference to the first with
// the half-width of its paired 95% interval.
func writeCompareTable(w io.Writer, c *study.Comparison, l brief.Lang) error {
	tr := tableLabels(l)
	exact := c.Mode == sim.Cohort && c.Replicates == 1 // a cohort's figures, once: no interval
	names := strings.Join(c.Scenarios, tr(" vs "))
	switch {
	case exact:
		fmt.Fprintln(w, tr("%s; cohorts (expected values); Δ: difference to %s", names, c.Scenarios[0]))
	case c.Mode == sim.Cohort:
		fmt.Fprintln(w, tr("%s; cohorts, seed %d, %d replicates of the uncertain parameters; Δ: difference to %s, ± its 95%% interval",
			names, c.Seed, c.Replicates, c.Scenarios[0]))
	default:
		fmt.Fprintln(w, tr("%s; seed %d, %d paired replicates; Δ: difference to %s, ± its 95%% interval; %s",
			names, c.Seed, c.Replicates, c.Scenarios[0], responsesNote(c, tr)))
	}
	// The providers' margins are shown with a budget's settlement, whose
	// story they finish: who gained what inside the budget.
	budget := false
	for _, r := range c.Rows {
		if strings.HasPrefix(r.Metric, "payment.budget.") && !allZero([]study.CompareRow{r}) {
			budget = true
		}
	}
	label := func(r study.CompareRow) string {
		if l == brief.En {
			return r.Label
		}
		return brief.MetricLabel(l, c.Currency, r.Metric, tr(r.Label))
	}
	width := 0
	for _, r := range c.Rows {
		width = max(width, report.Width(label(r)))
	}
	for _, name := range c.Scenarios {
		width = max(width, report.Width(name)+2)
	}
	// Each figure is a block of its own, its columns as wide as its cells.
	var out strings.Builder
	for start := 0; start < len(c.Rows); {
		end := start
		for end < len(c.Rows) && c.Rows[end].Metric == c.Rows[start].Metric {
			end++
		}
		rows := c.Rows[start:end]
		start = end
		if allZero(rows) || (rows[0].Metric == "payment.providers.margin" && !budget) { // a figure no scenario has (a Markov model's fund, say)
			continue
		}
		labels := []string{label(rows[0])}
		head := make([]string, len(rows))
		for i, r := range rows {
			head[i] = strconv.Itoa(r.Year)
			if r.Year == 0 {
				head[i] = tr("all years")
			}
		}
		cells := [][]string{head}
		for k, name := range c.Scenarios {
			labels = append(labels, "  "+name)
			mean := make([]string, len(rows))
			for i, r := range rows {
				mean[i] = figure(r.Mean[k])
			}
			cells = append(cells, mean)
			if k == 0 {
				continue
			}
			labels = append(labels, "    Δ")
			delta := make([]string, len(rows))
			for i, r := range rows {
				delta[i] = signed(r.Delta[k])
				if !exact {
					delta[i] += " ±" + figure(r.DeltaHalf[k])
				}
			}
			cells = append(cells, delta)
		}
		out.WriteString("\n" + report.Align(labels, width, cells))
	}
	switch {
	case c.Case != nil: // the arms are a waterfall's steps, not strategies
		if err := writeCase(&out, c.Case, tr); err != nil {
			return err
		}
	case c.Economics != nil:
		writeEconomics(&out, c.Economics, scenario.Currency(c.Currency).Prefix(), exact, tr)
	}
	return report.WriteTrimmed(w, out.String())
}

// tableLabels renders the labels of the terminal's tables in l from the
// catalogue (sim/brief/messages/terminal.*.json, keys "table." and the
// English label); a label it lacks (the name of a tier of the scenario's
// own) stays as it is.
func tableLabels(l brief.Lang) report.Translate {
	return func(format string, args ...any) string {
		if key := "table." + format; l.Has(key) {
			return l.T(key, args...)
		}
		return report.English(format, args...)
	}
}

// writeCase prints a measured study beside the model: each figure's
// observed change, the model's with its 95% interval, a district's chance
// variation and the verdict; then the waterfall, a column per figure: the
// change with every mechanism off and each mechanism's contribution. Its
// words are rendered by tr; the figures' and mechanisms' names are the
// scenario's.
func writeCase(w io.Writer, c *study.Case, tr report.Translate) error {
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
	spct := func(x float64) string {
		if x >= 0 {
			return "+" + pct(x)
		}
		return pct(x)
	}
	// table lays out rows under a header, the first column right-aligned
	// as the other columns are, in a terminal's cells.
	table := func(header []string, labels []string, rows [][]string) error {
		labels = append([]string{""}, labels...)
		rows = append([][]string{header}, rows...)
		width := 0
		for _, l := range labels {
			width = max(width, report.Width(l))
		}
		for i, l := range labels {
			labels[i] = strings.Repeat(" ", 2+width-report.Width(l)) + l
		}
		return report.WriteTrimmed(w, report.Align(labels, width+2, rows))
	}
	fmt.Fprint(w, "\n  "+tr("the study as measured: %d against %d", c.After, c.Before))
	if c.Source != "" {
		fmt.Fprintf(w, " (%s)", c.Source)
	}
	fmt.Fprint(w, "\n  "+tr("model: the mean change ± its %s interval; with nothing changed: every mechanism off, ± 1.96 SD of one district's change (chance)", "95%")+"\n")
	var defined []study.CaseFigure // the figures with a waterfall
	var labels []string
	var rows [][]string
	for _, f := range c.Results {
		obs := "–"
		if f.Observed != nil {
			obs = spct(*f.Observed)
		}
		labels = append(labels, f.Label)
		if f.Verdict == study.VerdictUndefined {
			rows = append(rows, []string{obs, "–", "–", tr(f.Verdict)})
			continue
		}
		defined = append(defined, f)
		rows = append(rows, []string{obs, spct(f.Change) + " ±" + pct(f.Half), spct(f.Baseline) + " ±" + pct(f.Chance), tr(f.Verdict)})
	}
	if err := table([]string{tr("study"), tr("model"), tr("with nothing changed"), tr("verdict")}, labels, rows); err != nil || len(defined) == 0 {
		return err
	}
	fmt.Fprint(w, "\n  "+tr("waterfall: each mechanism's contribution to the change, switched on in turn on common random numbers")+"\n")
	var header []string
	for _, f := range defined {
		header = append(header, f.Label)
	}
	labels, rows = nil, nil
	for k := range defined[0].Steps {
		labels = append(labels, defined[0].Steps[k].Name)
		var row []string
		for _, f := range defined {
			row = append(row, spct(f.Steps[k].Change)+" ±"+pct(f.Steps[k].Half))
		}
		rows = append(rows, row)
	}
	labels = append(labels, tr("= the model's change"))
	var row []string
	for _, f := range defined {
		row = append(row, spct(f.Change)+" ±"+pct(f.Half))
	}
	return table(header, labels, append(rows, row))
}

// responsesNote says whether the compared scenarios' providers respond to
// their incentives: all alike, or scenario by scenario.
func responsesNote(c *study.Comparison, tr report.Translate) string {
	if len(c.Responses) != len(c.Scenarios) {
		return tr("provider responses unknown") // a compare.json of an older paysim
	}
	if !slices.Contains(c.Responses, !c.Responses[0]) {
		return report.ResponsesNote(c.Responses[0], tr)
	}
	var on, off []string
	for k, name := range c.Scenarios {
		if c.Responses[k] {
			on = append(on, name)
		} else {
			off = append(off, name)
		}
	}
	return tr("provider responses on in %s, off in %s", strings.Join(on, tr(", ")), strings.Join(off, tr(", ")))
}

// allZero reports whether every scenario's mean of a figure is 0, or
// undefined, in every year.
func allZero(rows []study.CompareRow) bool {
	for _, r := range rows {
		for _, m := range r.Mean {
			if m != 0 && !math.IsNaN(m) {
				return false
			}
		}
	}
	return true
}

// writeEconomics prints the strategies' cost-effectiveness: mean cost and
// effect per person, increments against the frontier strategy before with
// their paired 95% intervals, the ICER or why there is none, and at each
// willingness to pay the net monetary benefit and the share of replicates
// in which the strategy is the most cost-effective. Exact figures (a
// cohort's, one run of each) have no interval and no share of replicates.
func writeEconomics(w io.Writer, e *study.Economics, money string, exact bool, tr report.Translate) {
	if money == "¥" {
		money = tr("¥")
	}
	unit, units := tr("QALY"), tr("QALYs")
	if e.Effect == "life_years" {
		unit, units = tr("life-year"), tr("life-years")
	}
	who := tr("the health system: state costs and all charges")
	if e.Perspective == study.Payer {
		who = tr("the payer: state costs and what the fund paid")
	}
	fmt.Fprint(w, "\n  "+tr("cost-effectiveness per person at start, discounted; costs of %s", who)+"\n")
	width := 0
	for _, st := range e.Strategies {
		width = max(width, report.Width(st.Name)+2)
	}
	labels := []string{""}
	rows := [][]string{{tr("cost"), units, tr("Δ cost"), tr("Δ %s", units), tr("ICER (%s/%s)", money, unit)}}
	for _, st := range e.Strategies {
		labels = append(labels, "  "+st.Name)
		row := []string{report.Group(int64(math.Round(st.Cost))), strconv.FormatFloat(st.Effect, 'f', 3, 64)}
		switch {
		case st.Against == "":
			row = append(row, "–", "–")
		case exact:
			row = append(row, signedGroup(st.DCost), signedFixed(st.DEffect, 3))
		default:
			row = append(row, signedGroup(st.DCost)+" ±"+report.Group(int64(math.Round(st.DCostHalf))),
				signedFixed(st.DEffect, 3)+" ±"+strconv.FormatFloat(st.DEffectHalf, 'f', 3, 64))
		}
		switch {
		case st.ICER != nil:
			row = append(row, report.Group(int64(math.Round(*st.ICER))))
		case st.Status == study.Frontier:
			row = append(row, "–")
		case st.Against != "":
			row = append(row, tr("%s by %s", tr(string(st.Status)), st.Against))
		}
		rows = append(rows, row)
	}
	fmt.Fprint(w, report.Align(labels, width, rows))
	writeCostCategories(w, e, money, width)
	if len(e.WTP) == 0 {
		return
	}
	// By willingness to pay: each strategy's net monetary benefit and,
	// across replicates, the share in which it is best (the acceptability
	// curve), the optimal strategy (the frontier) and EVPI. The first
	// column, the thresholds, is right-aligned as the others are.
	if exact {
		fmt.Fprint(w, "\n  "+tr("net monetary benefit per person (%s) at a willingness to pay per %s", money, unit)+"\n")
	} else {
		fmt.Fprint(w, "\n  "+tr("net monetary benefit per person (%s), and the share of replicates in which each strategy is best, at a willingness to pay per %s", money, unit)+"\n")
	}
	head := []string{money + "/" + unit}
	for _, st := range e.Strategies {
		head = append(head, st.Name)
	}
	head = append(head, tr("optimal"))
	if e.EVPI != nil {
		head = append(head, tr("EVPI (%s)", money))
	}
	rows = [][]string{head}
	for i, l := range e.WTP {
		row := []string{report.Group(int64(math.Round(l)))}
		for _, st := range e.Strategies {
			if exact {
				row = append(row, report.Group(int64(math.Round(st.NMB[i]))))
			} else {
				row = append(row, fmt.Sprintf("%s (%.2f)", report.Group(int64(math.Round(st.NMB[i]))), st.ProbBest[i]))
			}
		}
		if exact {
			row = append(row, e.Optimal[i])
		} else {
			row = append(row, fmt.Sprintf("%s (%.2f)", e.Optimal[i], e.OptimalProb[i]))
		}
		if e.EVPI != nil {
			row = append(row, report.Group(int64(math.Round(e.EVPI[i]))))
		}
		rows = append(rows, row)
	}
	fmt.Fprint(w, report.Align(make([]string, len(rows)), 0, rows))
}

// writeCostCategories prints the strategies' costs by category beside
// their totals, discounted and not, when more than one category has a
// cost: the categories that have one, in Economics.CostCategories' order.
func writeCostCategories(w io.Writer, e *study.Economics, money string, width int) {
	var cats []string
	for _, name := range e.CostCategories {
		for _, st := range e.Strategies {
			if st.CostBy[name] != 0 || st.UndiscountedCostBy[name] != 0 {
				cats = append(cats, name)
				break
			}
		}
	}
	if len(cats) < 2 {
		return
	}
	width = max(width+2, len("  undiscounted")) // names indented under the blocks' labels
	fmt.Fprintf(w, "\n  cost by category per person (%s)\n", money)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\t%s\ttotal\t\n", width, "", strings.Join(cats, "\t"))
	for _, block := range []struct {
		label string
		cost  func(study.StrategyCE) (float64, map[string]float64)
	}{
		{"discounted", func(st study.StrategyCE) (float64, map[string]float64) { return st.Cost, st.CostBy }},
		{"undiscounted", func(st study.StrategyCE) (float64, map[string]float64) {
			return st.UndiscountedCost, st.UndiscountedCostBy
		}},
	} {
		fmt.Fprintf(tw, "%-*s\t%s\t\n", width, "  "+block.label, strings.Repeat("\t", len(cats)))
		for _, st := range e.Strategies {
			total, by := block.cost(st)
			fmt.Fprintf(tw, "%-*s\t", width, "    "+st.Name)
			for _, name := range cats {
				fmt.Fprintf(tw, "%s\t", report.Group(int64(math.Round(by[name]))))
			}
			fmt.Fprintf(tw, "%s\t\n", report.Group(int64(math.Round(total))))
		}
	}
	tw.Flush()
}

// writePSA writes psa.csv: one line per replicate, the values its
// uncertain parameters drew, then each strategy's cost and effect per
// person (discounted; the perspective and effect of compare.json's
// economics), the points of the cost-effectiveness plane.
func writePSA(w io.Writer, c *study.Comparison) error {
	cw := csv.NewWriter(w)
	e := c.Economics
	head := []string{"replicate"}
	if c.Draws != nil {
		head = append(head, c.Draws.Paths...)
	}
	for _, st := range e.Strategies {
		head = append(head, st.Name+"_cost", st.Name+"_"+e.Effect)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	costs, effects := c.PerReplicate()
	for r := range costs[0] {
		row := []string{strconv.Itoa(r)}
		if c.Draws != nil {
			for _, v := range c.Draws.Values[r] {
				row = append(row, f(v))
			}
		}
		for k := range e.Strategies {
			row = append(row, f(costs[k][r]), f(effects[k][r]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func signedGroup(x float64) string {
	if r := math.Round(x); r > 0 {
		return "+" + report.Group(int64(r))
	}
	return report.Group(int64(math.Round(x)))
}

func signedFixed(x float64, d int) string {
	f := strconv.FormatFloat(x, 'f', d, 64)
	if x > 0 {
		return "+" + f
	}
	return f
}

// figure writes a number with precision to suit its size.
func figure(x float64) string {
	a := math.Abs(x)
	switch {
	case a < 5e-4:
		return "0"
	case math.IsNaN(x):
		return "–"
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}

func signed(x float64) string {
	if f := figure(x); x > 0 && f != "0" {
		return "+" + f
	}
	return figure(x)
}
