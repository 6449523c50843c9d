package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/calibrate"
	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/scenario"
)

func calibrateCommand() *cli.Command {
	return &cli.Command{
		Name:  "calibrate",
		Usage: "write a scenario that extends a base and reproduces a claims file",
		Description: `Reads a claims file (docs/claims.md) and the population table the claims come
from (CSV: from,to,sex,persons, one row per age band and sex), and writes a
scenario that extends --base with what the claims determine: each group's mean
charges and LOS at each tier, each tier's charges per visit, the background
visit and admission rates of each age band, the tiers' choice constants, the
spread of stays' charges and LOS around their group's mean (which decides how
many stays are a DRG's or DIP's outliers), and the population's size, sexes
and band weights. The rates and constants are
fitted by simulating the scenario over the years the claims span, as often as
--iterations allows, until the fit report (observed against simulated, per
figure) is within its tolerances. The report is printed and written as CSV.
When figures are still outside their tolerance after --iterations
simulations, the scenario and the report are written all the same, the
figures that missed are listed on stderr, and the exit status is 1.

Examples:
   paysim calibrate --claims claims.csv --population population.csv \
       --base county-ffs --out county/my-county.yaml`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "claims", Usage: "the claims file (required): CSV, or an Excel workbook (.xlsx, its first sheet)"},
			&cli.StringFlag{Name: "population", Usage: "the population table, CSV from,to,sex,persons (required)"},
			&cli.StringFlag{Name: "base", Usage: "the scenario to extend: a file in the folder of --out or below it, or a built-in scenario (required)"},
			&cli.StringFlag{Name: "out", Usage: "the scenario file to write (required)"},
			&cli.StringFlag{Name: "fit", Usage: "the fit report to write as CSV (default: --out with -fit.csv for .yaml)"},
			&cli.IntFlag{Name: "iterations", Value: 10, Usage: "simulations of the fit at most"},
			&cli.IntFlag{Name: "replicates", Value: 4, Usage: "simulations with other seeds whose spread gives each figure's sampling error (1: the claims' own only)"},
			&cli.Uint64Flag{Name: "seed", Usage: "random seed of the simulations (default: the base's)"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "goroutines stepping the population; the result does not depend on it"},
		},
		Action: calibrateAction,
	}
}

func calibrateAction(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("calibrate takes no arguments, got %d (see paysim calibrate --help)", c.NArg())
	}
	for _, f := range []string{"claims", "population", "base", "out"} {
		if c.String(f) == "" {
			return usagef("calibrate needs --%s (see paysim calibrate --help)", f)
		}
	}
	out, base := c.String("out"), c.String("base")
	fitFile := c.String("fit")
	if fitFile == "" {
		fitFile = strings.TrimSuffix(out, ".yaml") + "-fit.csv"
	}
	extends, copies, err := baseFor(out, base)
	if err != nil {
		return err
	}
	tab, err := readTable(c.String("population"))
	if err != nil {
		return err
	}
	obs, err := tallyClaims(c.String("claims"), tab, c.App.ErrWriter)
	if err != nil {
		return err
	}
	res, err := calibrate.Run(c.Context, calibrate.Options{
		ClaimsFile: filepath.Base(c.String("claims")), Claims: obs, Table: tab,
		Load: func(sets []string) (*scenario.Scenario, error) { return loadScenario(base, sets) },
		Seed: c.Uint64("seed"), Workers: c.Int("workers"), Iterations: c.Int("iterations"), Replicates: c.Int("replicates"),
	})
	var ce *claims.Error
	if errors.As(err, &ce) { // the population table does not fit the base
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	for _, what := range slices.Sorted(maps.Keys(res.Unmatched)) {
		fmt.Fprintf(c.App.ErrWriter, "%s: %d %s, left out\n", c.String("claims"), res.Unmatched[what], what)
	}
	for name, data := range copies {
		if err := writeFile(filepath.Join(filepath.Dir(out), filepath.FromSlash(name)), data); err != nil {
			return err
		}
	}
	name := strings.TrimSuffix(filepath.Base(out), ".yaml")
	err = writeStream(out, func(f *os.File) error { return res.WriteYAML(f, extends, name) })
	if err != nil {
		return err
	}
	if _, err := scenario.Load(out, nil); err != nil {
		return fmt.Errorf("the calibrated scenario does not load: %w", err)
	}
	err = writeStream(fitFile, func(f *os.File) error { return calibrate.WriteCSV(f, res.Fit) })
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s: extends %s, calibrated from %s (%d claims, %d year(s)) and %s (%.0f persons); fit in %d simulation(s), seed %d\n\n",
		out, extends, c.String("claims"), obs.Claims, res.Years, c.String("population"), tab.Persons(), res.Iterations, res.Seed)
	if err := calibrate.WriteReport(w, res.Fit); err != nil {
		return err
	}
	if _, err = fmt.Fprintf(w, "fit report: %s\n", fitFile); err != nil {
		return err
	}
	return missedFigures(c.App.ErrWriter, res, out)
}

// missedFigures lists on stderr the figures of the fit outside their
// tolerance, if any, and returns a failed expectation (exit status 1): the
// scenario and the fit report are written all the same.
func missedFigures(stderr io.Writer, res *calibrate.Result, out string) error {
	var missed []calibrate.Figure
	for _, f := range res.Fit {
		if !f.OK() {
			missed = append(missed, f)
		}
	}
	if len(missed) == 0 {
		return nil
	}
	for _, f := range missed {
		fmt.Fprintf(stderr, "fit: %s: simulated %s, observed %s: %s apart; want at most %s\n",
			f.Name, calibrate.Num(f.Simulated), calibrate.Num(f.Observed), calibrate.Num(math.Abs(f.Simulated-f.Observed)), calibrate.Num(f.Tolerance))
	}
	return fmt.Errorf("%s: %d of %d figures of the fit outside their tolerance after %d simulation(s); written all the same (--iterations bounds the simulations)",
		out, len(missed), len(res.Fit), res.Iterations)
}

func readTable(name string) (*calibrate.Table, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, usagef("%v", err)
	}
	defer f.Close()
	tab, err := calibrate.ReadTable(bufio.NewReader(f), name)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return tab, nil
}

// tallyClaims reads the claims file name, reporting its rejected rows on
// stderr as paysim price --claims does, and tallies the good ones.
func tallyClaims(name string, tab *calibrate.Table, stderr io.Writer) (*calibrate.Tally, error) {
	r, err := claims.Open(name)
	if err != nil {
		return nil, usagef("%v", err)
	}
	defer r.Close()
	ew := bufio.NewWriter(stderr)
	defer ew.Flush()
	r.Reject = func(errs []*claims.Error) {
		for _, e := range errs {
			fmt.Fprintln(ew, e)
		}
	}
	t := calibrate.NewTally(tab)
	var cl claims.Claim
	for r.Next(&cl) {
		t.Add(&cl)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if sum := r.Summary(); sum.Rejected > 0 {
		fmt.Fprintf(ew, "%s: %d rows, %d kept, %d rejected\n", name, sum.Rows, sum.Kept, sum.Rejected)
	}
	return t, nil
}

// baseFor is the extends path of the scenario written to out on base: a
// scenario file's path relative to out's folder, which must hold it; or a
// built-in scenario's file name, with the files of its extends chain to
// write beside out (by path relative to out's folder).
func baseFor(out, base string) (string, map[string][]byte, error) {
	if _, err := os.Stat(base); err == nil {
		dir, err := filepath.Abs(filepath.Dir(out))
		if err != nil {
			return "", nil, err
		}
		abs, err := filepath.Abs(base)
		if err != nil {
			return "", nil, err
		}
		rel, err := filepath.Rel(dir, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", nil, usagef("--base %s is outside the folder of --out %s; want it there or below (extends cannot leave the folder)", base, out)
		}
		return filepath.ToSlash(rel), nil, nil
	}
	for _, n := range []string{base, base + ".yaml", strings.TrimPrefix(base, "scenarios/")} {
		if _, err := fs.Stat(scenarios.FS, n); err != nil {
			continue
		}
		copies := map[string][]byte{}
		dir := path.Dir(n)
		for f := n; f != ""; {
			data, err := fs.ReadFile(scenarios.FS, f)
			if err != nil {
				return "", nil, err
			}
			rel := f // below dir, as extends cannot leave the top file's folder
			if dir != "." {
				rel = strings.TrimPrefix(f, dir+"/")
			}
			dst := filepath.Join(filepath.Dir(out), filepath.FromSlash(rel))
			if old, err := os.ReadFile(dst); err == nil && !bytes.Equal(old, data) {
				return "", nil, usagef("%s is not the built-in %s; want it removed, or --base %s", dst, f, dst)
			}
			copies[rel] = data
			var head struct {
				Extends string `yaml:"extends"`
			}
			if err := yaml.Unmarshal(data, &head); err != nil {
				return "", nil, err
			}
			next := ""
			if head.Extends != "" {
				next = path.Join(path.Dir(f), head.Extends)
			}
			f = next
		}
		return path.Base(n), copies, nil
	}
	return "", nil, usagef("no scenario file or built-in scenario %q (see paysim scenarios)", base)
}

// writeFile writes data to name atomically.
func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return writeStream(name, func(f *os.File) error { _, err := f.Write(data); return err })
}
