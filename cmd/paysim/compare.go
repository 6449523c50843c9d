package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "run scenarios side by side on common random numbers",
		ArgsUsage: "A B [C ...]",
		Description: `Runs every scenario for the same replicates: replicate r of each scenario draws
the same persons and the same random streams, so that the differences between
scenarios are differences of the scenarios, not noise. Prints, per year and for
the whole run, fund payout and balance, reserve months, patients' out-of-pocket
payments and share, the fund's share of charges, admissions, length of stay,
down-referrals, in-county admission and primary outpatient shares, control
rate, new and prevalent complications, deaths and condition deaths at 30–69,
with each scenario's difference to the first and the 95% interval of that
difference from the paired replicates. --out DIR writes compare.json (which
also gives the interval the difference would have from independent runs) and
compare.csv.

--set applies to every scenario: --set responses.enabled=false compares the
accounting of the rules alone, --set responses.enabled=true with every
provider responding to its incentive (docs/responses.md).

Examples:
   paysim compare county-ffs county-global-budget --replicates 20
   paysim compare luojiang-2023 luojiang-2024 --replicates 20`,
		Flags: []cli.Flag{
			&cli.Uint64Flag{Name: "seed", Usage: "random seed (default: the first scenario's)"},
			&cli.IntFlag{Name: "replicates", Value: 10, Usage: "paired replicates"},
			&cli.IntFlag{Name: "years", Usage: "years to simulate (default: each scenario's)"},
			&cli.IntFlag{Name: "persons", Usage: "persons at start (default: each scenario's)"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "goroutines; results do not depend on it"},
			&cli.StringFlag{Name: "format", Value: "table", Usage: "table, json or csv"},
			&cli.StringFlag{Name: "out", Usage: "folder to write compare.json and compare.csv to"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a value of every scenario, `path=value`; repeatable"},
		},
		Action: compareAction,
	}
}

func compareAction(c *cli.Context) error {
	if c.NArg() < 2 {
		return usagef("compare needs at least two scenarios, got %d", c.NArg())
	}
	format := c.String("format")
	if format != "table" && format != "json" && format != "csv" {
		return usagef("--format %q: want table, json or csv", format)
	}
	sets := c.StringSlice("set")
	if c.IsSet("years") {
		sets = append(sets, "years="+strconv.Itoa(c.Int("years")))
	}
	if c.IsSet("persons") {
		sets = append(sets, "population.size="+strconv.Itoa(c.Int("persons")))
	}
	var ss []*scenario.Scenario
	for _, name := range c.Args().Slice() {
		s, err := loadScenario(name, sets)
		if err != nil {
			return err
		}
		if err := sim.CheckSize(s, c.Int("workers"), c.Int("replicates"), availableMemory()); err != nil {
			return usagef("%v", err)
		}
		ss = append(ss, s)
	}
	seed := ss[0].Seed
	if c.IsSet("seed") {
		seed = c.Uint64("seed")
	}
	cmp, err := study.Compare(c.Context, ss, sim.Options{Seed: seed, Workers: c.Int("workers")}, c.Int("replicates"))
	if errors.Is(err, study.ErrIncomparable) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if dir := c.String("out"); dir != "" {
		js, cs := new(bytes.Buffer), new(bytes.Buffer)
		if err := writeCompareJSON(js, cmp); err != nil {
			return err
		}
		if err := writeCompareCSV(cs, cmp); err != nil {
			return err
		}
		if err := writeFiles(dir, map[string]*bytes.Buffer{"compare.json": js, "compare.csv": cs}, []string{"compare.json", "compare.csv"}); err != nil {
			return fmt.Errorf("writing %s: %w", dir, err)
		}
	}
	switch format {
	case "json":
		return writeCompareJSON(c.App.Writer, cmp)
	case "csv":
		return writeCompareCSV(c.App.Writer, cmp)
	}
	return writeCompareTable(c.App.Writer, cmp)
}

func writeCompareJSON(w io.Writer, c *study.Comparison) error {
	b, err := json.MarshalIndent(nanToNull(c), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// nanToNull replaces NaN figures (a reserve of a year without payout) by
// JSON nulls.
func nanToNull(c *study.Comparison) any {
	type row struct {
		Metric       string     `json:"metric"`
		Label        string     `json:"label"`
		Year         int        `json:"year"`
		Mean         []*float64 `json:"mean"`
		Half         []*float64 `json:"half_width_95"`
		Delta        []*float64 `json:"delta"`
		DeltaHalf    []*float64 `json:"delta_half_width_95"`
		UnpairedHalf []*float64 `json:"unpaired_half_width_95"`
	}
	opt := func(x []float64) []*float64 {
		out := make([]*float64, len(x))
		for i := range x {
			if !math.IsNaN(x[i]) && !math.IsInf(x[i], 0) {
				out[i] = &x[i]
			}
		}
		return out
	}
	rows := make([]row, len(c.Rows))
	for i, r := range c.Rows {
		rows[i] = row{r.Metric, r.Label, r.Year, opt(r.Mean), opt(r.Half), opt(r.Delta), opt(r.DeltaHalf), opt(r.UnpairedHalf)}
	}
	return struct {
		Schema     string   `json:"schema"`
		Scenarios  []string `json:"scenarios"`
		Seed       uint64   `json:"seed"`
		Replicates int      `json:"replicates"`
		Currency   string   `json:"currency"`
		Rows       []row    `json:"rows"`
	}{c.Schema, c.Scenarios, c.Seed, c.Replicates, c.Currency, rows}
}

func writeCompareCSV(w io.Writer, c *study.Comparison) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"metric", "year", "scenario", "mean", "half_width_95", "delta", "delta_half_width_95", "unpaired_half_width_95"}); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
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
func writeCompareTable(w io.Writer, c *study.Comparison) error {
	fmt.Fprintf(w, "%s; seed %d, %d paired replicates; Δ: difference to %s, ± its 95%% interval\n",
		strings.Join(c.Scenarios, " vs "), c.Seed, c.Replicates, c.Scenarios[0])
	width := 0
	for _, r := range c.Rows {
		width = max(width, len([]rune(r.Label)))
	}
	for _, name := range c.Scenarios {
		width = max(width, len([]rune(name))+2)
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	for start := 0; start < len(c.Rows); {
		end := start
		for end < len(c.Rows) && c.Rows[end].Metric == c.Rows[start].Metric {
			end++
		}
		rows := c.Rows[start:end]
		fmt.Fprintf(tw, "\t\n%-*s\t", width, rows[0].Label)
		for _, r := range rows {
			if r.Year == 0 {
				fmt.Fprint(tw, "all years\t")
			} else {
				fmt.Fprintf(tw, "%d\t", r.Year)
			}
		}
		fmt.Fprintln(tw)
		for k, name := range c.Scenarios {
			fmt.Fprintf(tw, "%-*s\t", width, "  "+name)
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t", figure(r.Mean[k]))
			}
			fmt.Fprintln(tw)
			if k == 0 {
				continue
			}
			fmt.Fprintf(tw, "%-*s\t", width, "    Δ")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s ±%s\t", signed(r.Delta[k]), figure(r.DeltaHalf[k]))
			}
			fmt.Fprintln(tw)
		}
		start = end
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return report.WriteTrimmed(w, buf.String())
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
