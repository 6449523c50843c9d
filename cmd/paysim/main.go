// Command paysim simulates how a health-insurance fund's way of paying
// providers changes its balance, costs, patients' out-of-pocket spending and
// where patients are treated.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/brief"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailed      = 1 // a failed run or expectation
	exitInvalid     = 2 // invalid input or usage
	exitInterrupted = 130
)

// usageError is a command line that cannot be run as given: its message's
// English format and arguments, so that it can be said in the user's
// language (in).
type usageError struct {
	format string
	args   []any
}

func (e *usageError) Error() string { return fmt.Sprintf(e.format, e.args...) }

// in is the message in l, from the catalogue's "error." keys; in English
// when the catalogue lacks the format.
func (e *usageError) in(l brief.Lang) string { return say(l, e.format, e.args, e.Error()) }

func usagef(format string, args ...any) error { return &usageError{format, args} }

// A hint is the name a message suggests for a misspelt one, "" for none;
// it prints as "; did you mean X?" (nothing for none).
type hint string

func (h hint) String() string { return h.in(brief.En) }

// Format prints h as its String, whatever the verb.
func (h hint) Format(f fmt.State, _ rune) { fmt.Fprint(f, h.String()) }

// in is h in l.
func (h hint) in(l brief.Lang) string {
	if h == "" {
		return ""
	}
	return l.T("error.; did you mean %s?", string(h))
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the first signal stops the run cleanly; a second one ends the process at once
	}()
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	app.Metadata = map[string]any{argsKey: args}
	localizeHelp(app, errorLang(args))
	if !slices.Contains(args, "--generate-bash-completion") { // a completion is asked of the words as typed
		args = flagsFirst(args, boolFlags(app))
	}
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	msg := inLang(err, errorLang(args))
	fmt.Fprintln(stderr, "paysim:", strings.ReplaceAll(msg, "\n", "\npaysim: "))
	return exitCode(err)
}

// errorLang is the language of a command line's usage errors: its --lang
// when it has one that paysim knows, else the locale's.
func errorLang(args []string) brief.Lang {
	for i, a := range args {
		v, ok := strings.CutPrefix(a, "--lang=")
		if !ok && a == "--lang" && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if l, err := brief.ParseLang(v); ok && err == nil {
			return l
		}
	}
	return brief.LangFromEnv(os.Getenv)
}

// flagsFirst moves a command's flags before its arguments, so that
// `paysim run county.yaml --persons 5000` means what it says: the command
// line parser stops reading flags at the first argument. A flag takes the
// next word as its value unless it is boolean (in noValue) or written
// --flag=value; "--" ends the flags.
func flagsFirst(args []string, noValue map[string]bool) []string {
	if len(args) < 3 || strings.HasPrefix(args[1], "-") {
		return args
	}
	out := []string{args[0], args[1]}
	var rest []string
	for i := 2; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case !strings.HasPrefix(a, "-") || a == "-":
			rest = append(rest, a)
		case strings.Contains(a, "=") || noValue[strings.TrimLeft(a, "-")]:
			out = append(out, a)
		default:
			out = append(out, a)
			if i+1 < len(args) {
				out = append(out, args[i+1])
				i++
			}
		}
	}
	return append(out, rest...)
}

// defaultWorkers is the machine's number of cores.
func defaultWorkers() int { return runtime.NumCPU() }

// boolFlags names the flags of app's commands that take no value, --help
// included.
func boolFlags(app *cli.App) map[string]bool {
	names := map[string]bool{"help": true, "h": true}
	for _, c := range app.Commands {
		for _, f := range c.Flags {
			if _, ok := f.(*cli.BoolFlag); ok {
				for _, n := range f.Names() {
					names[n] = true
				}
			}
		}
	}
	return names
}

// exitCode maps an error to the process's exit code, in this one place.
func exitCode(err error) int {
	var se *scenario.Error
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &se), errors.As(err, &ue):
		return exitInvalid
	default:
		return exitFailed
	}
}

// onUsageError makes flag errors usage errors (exit code 2), suggesting
// the command's flag nearest to an unknown one.
func onUsageError(c *cli.Context, err error, _ bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok && c.Command != nil {
		var names []string
		for _, f := range c.Command.Flags {
			names = append(names, f.Names()...)
		}
		for i, n := range names {
			names[i] = "--" + n
		}
		return usagef("flag provided but not defined: %s%s", name, didYouMean("--"+strings.TrimLeft(name, "-"), names))
	}
	return usagef("%s", msg)
}

// suggestCommand is the command of app nearest to name, as a hint.
func suggestCommand(app *cli.App, name string) hint {
	var names []string
	for _, c := range app.Commands {
		names = append(names, c.Names()...)
	}
	return didYouMean(name, names)
}
func newApp(stdout, stderr io.Writer) *cli.App {
	cmds := []*cli.Command{runCommand(), compareCommand(), mergeCommand(), sweepCommand(), reportCommand(), priceCommand(), claimsCommand(), calibrateCommand(), diffCommand(), validateCommand(), scenariosCommand(), showCommand(), initCommand(), schemaCommand(), completionCommand(), versionCommand()}
	for _, c := range cmds {
		c.OnUsageError = onUsageError
		c.BashComplete = complete
		if !slices.ContainsFunc(c.Flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), "lang") }) {
			c.Flags = append(c.Flags, langFlag()) // the language of its messages
		}
	}
	app := &cli.App{
		Name:  "paysim",
		Usage: "simulate how health-insurance payment methods move a fund, its costs and its patients",
		Description: `paysim runs a synthetic insured population month by month through the tiers of
care of a county (village, township, county, out-of-county), applies the benefit
design and the payment rules of a scenario file, and reports what happens to the
fund's balance, to costs, to patients' out-of-pocket spending and to where
patients are treated.

Start with:
   paysim run                       the default county under fee-for-service
   paysim scenarios                 the scenarios built into paysim
   paysim run teaching/markov-4state
   paysim compare county-ffs county-global-budget --replicates 20
   paysim validate my-county.yaml   check a scenario file, every problem at file:line:col
   paysim price county-drg --group stroke --tier county --los 9 --charges 8000
   paysim diff baseline/ out/ --rtol 0.02   did any figure move beyond 2%?
   paysim report out/ --lang zh     an HTML report with charts, in Chinese

Exit status: 0 success, 1 a failed run, 2 invalid input or usage, 130 interrupted.`,
		EnableBashCompletion:      true, // paysim completion bash|zsh|fish
		BashComplete:              complete,
		Writer:                    stdout,
		ErrWriter:                 stderr,
		DisableSliceFlagSeparator: true,
		ExitErrHandler:            func(*cli.Context, error) {}, // main maps errors to exit codes
		OnUsageError:              onUsageError,
		CommandNotFound: func(c *cli.Context, name string) {
			args, _ := c.App.Metadata[argsKey].([]string)
			fmt.Fprintln(c.App.ErrWriter, "paysim:", usagef("no command %q; see paysim --help%s", name, suggestCommand(c.App, name)).(*usageError).in(errorLang(args)))
		},
		Commands: cmds,
		Flags:    []cli.Flag{appLangFlag()}, // paysim --help --lang zh
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("no command %q; see paysim --help%s", c.Args().First(), suggestCommand(c.App, c.Args().First()))
			}
			return cli.ShowAppHelp(c)
		},
	}
	withHelp(app)
	return app
}

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a scenario and print its yearly summary",
		ArgsUsage: "[SCENARIO]",
		Description: `SCENARIO is a scenario file, or the name of a built-in scenario (see
paysim scenarios); without one, the default county (county-ffs) runs.

The same scenario and seed give byte-identical results whatever --workers.
With --out DIR, summary.json, yearly.csv, tiers.csv, trace.csv and the
workbook results.xlsx are written to DIR (docs/output.md describes every
field); a run that fails or is interrupted leaves no half-written file there.
--report FILE writes the run's HTML report with charts (docs/report.md);
--lang zh or en is the language of the report and the workbook.

--mode cohort computes, instead of drawing persons, the exact expected values
of a scenario whose conditions are Markov chains (a teaching model): the same
summary, without sampling noise, with the counts of persons the expected
counts of population.size persons. A scenario with care or payments, a
frailty drawn per person, responses or entrants is refused: run it without
--mode cohort.

Examples:
   paysim run
   paysim run --persons 20000 --years 3 --format json
   paysim run scenarios/county-ffs.yaml --set benefit.tiers.county.inpatient.ratio=0.8 --out out/
   paysim run teaching/markov-4state --mode cohort --out out/
   paysim run county-global-budget --out gb/ --report gb/report.html --lang zh`,
		Flags: []cli.Flag{
			&cli.Uint64Flag{Name: "seed", Usage: "random seed (default: the scenario's)"},
			&cli.IntFlag{Name: "years", Usage: "years to simulate (default: the scenario's)"},
			&cli.IntFlag{Name: "persons", Usage: "persons at start (default: the scenario's population.size)"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "goroutines in all, shared among the runs at once; results do not depend on it"},
			&cli.IntFlag{Name: "replicates", Value: 1, Usage: "independent replicates; with more than one, every figure is their mean, with its 95% confidence interval in summary.json"},
			parallelFlag(),
			shardFlag(),
			&cli.StringFlag{Name: "mode", Value: sim.Microsimulation, Usage: "microsimulation (persons drawn one by one) or cohort (the exact expected values of the conditions' Markov chains)"},
			&cli.StringFlag{Name: "format", Value: "table", Usage: "what to print: table, json (summary.json) or csv (yearly.csv)"},
			&cli.StringFlag{Name: "out", Usage: "folder to write summary.json, yearly.csv, tiers.csv, trace.csv and results.xlsx to"},
			&cli.StringFlag{Name: "report", Usage: "write the run's HTML report with charts to `FILE`"},
			langFlag(),
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario value, `path=value` (e.g. population.size=20000); repeatable"},
			&cli.StringFlag{Name: "junit", Usage: "write the scenario's expectations as JUnit XML to `FILE`"},
		},
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	if c.NArg() > 1 {
		return usagef("run takes one scenario, got %d", c.NArg())
	}
	format := c.String("format")
	if format != "table" && format != "json" && format != "csv" {
		return usagef("--format %q: want table, json or csv", format)
	}
	mode, err := modeFlag(c)
	if err != nil {
		return err
	}
	l, err := lang(c)
	if err != nil {
		return err
	}
	shard, sharded, err := parseShard(c)
	if err != nil {
		return err
	}
	if sharded && (c.IsSet("junit") || c.IsSet("report")) {
		return usagef("--junit and --report with --shard: a shard has no summary; give them to paysim merge")
	}
	sets := flagSets(c)
	s, err := loadScenario(c.Args().First(), sets)
	if err != nil {
		return err
	}
	memory := availableMemory()
	if mode == sim.Cohort {
		memory = 0 // a cohort holds no persons
		if c.Int("replicates") > 1 && len(s.Uncertain) == 0 {
			return usagef("--replicates %d: a cohort is exact and every replicate would be the same; drop --replicates with --mode cohort (it draws the uncertain: parameters of a scenario that has them)", c.Int("replicates"))
		}
		if err := sim.CheckCohort(s); err != nil {
			return err
		}
	}
	n := c.Int("replicates")
	lo, hi := shard.Range(n)
	parallel, workers, err := pool(c, []*scenario.Scenario{s}, hi-lo, memory)
	if err != nil {
		return err
	}
	seed := s.Seed
	if c.IsSet("seed") {
		seed = c.Uint64("seed")
	}
	opt := sim.Options{Seed: seed, Workers: workers, Parallel: parallel, Mode: mode}
	var done func()
	if mode != sim.Cohort {
		opt.Progress, done = terminalProgress(c, s, hi-lo)
	}
	load := func(draws []string) (*scenario.Scenario, error) {
		return loadScenario(c.Args().First(), append(append([]string(nil), sets...), draws...))
	}
	if sharded {
		job := study.Job{Command: "run", Args: []string{c.Args().First()}, Sets: sets, Seed: seed, Replicates: n, Mode: mode, Build: build()}
		var sums []*report.Summary
		var draws *report.Draws
		if len(s.Uncertain) > 0 {
			sums, draws, err = study.RunUncertainRange(c.Context, load, s, opt, lo, hi)
		} else {
			sums, err = sim.RunRange(c.Context, s, opt, lo, hi)
		}
		if done != nil {
			done()
		}
		if err != nil {
			return err
		}
		return writePart(c, c.String("out"), study.NewRunPart(job, shard, lo, sums, draws), lo, hi)
	}
	var sum *report.Summary
	if len(s.Uncertain) > 0 {
		sum, err = study.RunUncertain(c.Context, load, s, opt, n)
	} else {
		sum, err = sim.RunReplicates(c.Context, s, opt, n)
	}
	if done != nil {
		done()
	}
	if err != nil {
		return err
	}
	return runOutputs(c, s, sum, l)
}

// runOutputs writes a run's files to --out and its report to --report,
// prints it in --format, and checks the scenario's expectations (s nil:
// none checked).
func runOutputs(c *cli.Context, s *scenario.Scenario, sum *report.Summary, l brief.Lang) error {
	if dir := c.String("out"); dir != "" {
		if err := writeOutputs(dir, sum, l); err != nil {
			return fmt.Errorf("writing %s: %w", dir, err)
		}
	}
	if path := c.String("report"); path != "" {
		if err := writeReport(path, l, []*brief.Source{{Run: sum}}); err != nil {
			return err
		}
	}
	var err error
	switch c.String("format") {
	case "json":
		err = report.WriteJSON(c.App.Writer, sum)
	case "csv":
		err = report.WriteYearlyCSV(c.App.Writer, sum)
	default:
		err = report.WriteTableIn(c.App.Writer, sum, tableLabels(l))
	}
	if err != nil || s == nil {
		return err
	}
	return expectations(c, s, sum)
}

// flagSets is a command's --set values, then --years and --persons as the
// values they stand for, when the command has them and they are given.
func flagSets(c *cli.Context) []string {
	sets := c.StringSlice("set")
	if c.IsSet("years") {
		sets = append(sets, "years="+strconv.Itoa(c.Int("years")))
	}
	if c.IsSet("persons") {
		sets = append(sets, "population.size="+strconv.Itoa(c.Int("persons")))
	}
	return sets
}

// modeFlag is the --mode of a command.
func modeFlag(c *cli.Context) (string, error) {
	switch m := c.String("mode"); m {
	case sim.Microsimulation, sim.Cohort:
		return m, nil
	default:
		return "", usagef("--mode %q: want %s or %s", m, sim.Microsimulation, sim.Cohort)
	}
}

// expectations checks the scenario's expect: block, reports each failed
// one and a count on stderr, writes them as JUnit XML when asked, and
// returns the failure (exit status 1).
func expectations(c *cli.Context, s *scenario.Scenario, sum *report.Summary) error {
	outcomes, err := study.Expect(s, sum)
	var ee *study.ExpectationError
	if err != nil && !errors.As(err, &ee) {
		return err
	}
	if len(outcomes) > 0 {
		fmt.Fprintf(c.App.ErrWriter, "expectations: %d checked, %d failed\n", len(outcomes), len(outcomes)-countOK(outcomes))
	}
	if path := c.String("junit"); path != "" {
		cases := make([]report.TestCase, len(outcomes))
		for i, o := range outcomes {
			cases[i] = report.TestCase{Name: fmt.Sprintf("expect[%d] %s %d", o.Index, o.Metric, o.Year), Class: "paysim.expect." + s.Name}
			if !o.OK {
				cases[i].Failure = o.String()
			}
		}
		if err := writeJUnit(c.App.Writer, path, "paysim expectations: "+s.Name, cases); err != nil {
			return err
		}
	}
	return err
}

func countOK(os []study.Outcome) int {
	n := 0
	for _, o := range os {
		if o.OK {
			n++
		}
	}
	return n
}

// writeOutputs renders every output file, the workbook in l, then writes
// them all atomically.
func writeOutputs(dir string, sum *report.Summary, l brief.Lang) error {
	files := map[string]*bytes.Buffer{}
	order := []string{"summary.json", "yearly.csv", "tiers.csv", "trace.csv", workbookName}
	writers := []func(io.Writer, *report.Summary) error{report.WriteJSON, report.WriteYearlyCSV, report.WriteTiersCSV, report.WriteTraceCSV,
		func(w io.Writer, s *report.Summary) error {
			return brief.WriteWorkbook(w, l, []*brief.Source{{Run: s}})
		}}
	for i, name := range order {
		files[name] = new(bytes.Buffer)
		if err := writers[i](files[name], sum); err != nil {
			return err
		}
	}
	return writeFiles(dir, files, order)
}

// loadScenario loads a scenario file, or a built-in scenario by name, or the
// default one when name is empty.
func loadScenario(name string, sets []string) (*scenario.Scenario, error) {
	if name == "" {
		return scenario.LoadFS(scenarios.FS, scenarios.Default, sets)
	}
	if _, err := os.Stat(name); err == nil {
		return scenario.Load(name, sets)
	}
	if f, ok := scenario.Builtin(name); ok {
		return scenario.LoadFS(scenarios.FS, f, sets)
	}
	return nil, usagef("no scenario file or built-in scenario %q (see paysim scenarios)%s", name, suggestScenario(name))
}

// suggestScenario is the built-in scenario nearest to name, as a hint.
func suggestScenario(name string) hint {
	return didYouMean(strings.TrimPrefix(strings.TrimSuffix(name, ".yaml"), "scenarios/"), scenario.Builtins())
}

// didYouMean is the word of among nearest to word (scenario.Nearest), as a
// hint: none when no word is near.
func didYouMean(word string, among []string) hint { return hint(scenario.Nearest(word, among)) }
func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check scenario files and report every problem at file:line:col",
		ArgsUsage: "FILE...",
		Description: `Each FILE is read as paysim run would read it — extends, types, ranges,
references between names, sums of probabilities, the payment bindings — and
every problem is reported, not only the first. Exit status 2 when any file is
invalid. --set values are applied to every FILE before it is checked.`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario value, `path=value`; repeatable"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("validate needs at least one FILE")
			}
			var errs []error
			for _, name := range c.Args().Slice() {
				s, err := loadScenario(name, c.StringSlice("set"))
				if err == nil {
					err = sim.Check(s)
				}
				if err != nil {
					errs = append(errs, err)
					continue
				}
				fmt.Fprintf(c.App.Writer, "%s: ok\n", name)
			}
			return errors.Join(errs...)
		},
	}
}

func scenariosCommand() *cli.Command {
	return &cli.Command{
		Name:  "scenarios",
		Usage: "list the scenarios built into paysim, one line each",
		Action: func(c *cli.Context) error {
			tw := tabwriter.NewWriter(c.App.Writer, 0, 0, 2, ' ', 0)
			err := fs.WalkDir(scenarios.FS, ".", func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
					return err
				}
				s, err := scenario.LoadFS(scenarios.FS, path, nil)
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%s\n", strings.TrimSuffix(path, ".yaml"), firstSentence(s.Description))
				return nil
			})
			if err != nil {
				return err
			}
			return tw.Flush()
		},
	}
}

// firstSentence returns the first sentence of a description on one line,
// cut at a word boundary to about 90 characters.
func firstSentence(s string) string {
	const width = 90
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 && !strings.HasSuffix(s[:i], " al") {
		s = s[:i+1]
	}
	if r := []rune(s); len(r) > width {
		cut := string(r[:width])
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
		s = strings.TrimRight(cut, " ,;:(") + " …"
	}
	return s
}
