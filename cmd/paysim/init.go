package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a starter scenario that extends a built-in one, with the keys a planner changes commented",
		ArgsUsage: "FILE | DIR",
		Description: `Writes FILE, a scenario that extends a built-in scenario (county-ffs unless
--from names another; see paysim scenarios) by name, so that it runs with only the
paysim binary at hand. Its name is FILE's, and the keys a county's planner
usually changes (the horizon, the population, contributions, cost sharing by
tier, provider responses) follow as comments holding the built-in scenario's
values: uncomment a line and change its value. An existing FILE is never
overwritten (exit status 2).

Given a folder instead (a name that does not end in .yaml or .yml, or ends in /,
or an existing folder), init makes it and writes the scenario to DIR/county.yaml,
named after the folder, with DIR/README.md: how to check, run, compare and report
on it, and where the documentation is. The folder must be new or empty (exit
status 2 otherwise).

Examples:
   paysim init my-county.yaml
   paysim init --from county-drg my-drg.yaml
   paysim validate my-county.yaml && paysim run my-county.yaml
   paysim init lujiang && paysim run lujiang/county.yaml`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "from", Value: strings.TrimSuffix(scenarios.Default, ".yaml"), Usage: "the built-in scenario to extend"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("init needs one FILE or DIR to write, got %d", c.NArg())
			}
			target, from := c.Args().First(), c.String("from")
			f, ok := scenario.Builtin(from)
			if !ok {
				return usagef("--from %q: no built-in scenario (see paysim scenarios)%s", from, suggestScenario(from))
			}
			base, err := scenario.LoadFS(scenarios.FS, f, nil)
			if err != nil {
				return err
			}
			from = strings.TrimSuffix(f, ".yaml")
			dir, err := initDir(target)
			if err != nil {
				return err
			}
			if dir == "" {
				if err := createNew(target, []byte(starter(from, scenarioName(target), base))); err != nil {
					return err
				}
				fmt.Fprintf(c.App.ErrWriter, "wrote %s, which extends %s; check it with: paysim validate %s\n", target, from, target)
				return nil
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			name := safeName(filepath.Base(abs))
			file := filepath.Join(dir, "county.yaml")
			if err := createNew(file, []byte(starter(from, name, base))); err != nil {
				return err
			}
			if err := createNew(filepath.Join(dir, "README.md"), []byte(starterReadme(from, name))); err != nil {
				os.Remove(file)
				return err
			}
			fmt.Fprintf(c.App.ErrWriter, "wrote %s, which extends %s, and %s; check it with: paysim validate %s\n",
				file, from, filepath.Join(dir, "README.md"), file)
			return nil
		},
	}
}

// initDir says whether init's argument names a folder to start a county
// in (an existing folder, a name ending in a separator, or one without a
// .yaml or .yml extension) and, if so, makes it and returns its path; it
// returns "" for a file. A folder that exists and holds anything, or a
// file that stands where the folder would be, is refused (a usage error).
func initDir(target string) (string, error) {
	info, err := os.Stat(target)
	exists := err == nil
	ext := strings.ToLower(filepath.Ext(target))
	sep := strings.HasSuffix(target, "/") || strings.HasSuffix(target, string(filepath.Separator))
	switch {
	case exists && info.IsDir():
		entries, err := os.ReadDir(target)
		if err != nil {
			return "", err
		}
		if len(entries) > 0 {
			return "", usagef("%s is a folder that is not empty; init starts a county only in a new or empty folder", target)
		}
		return target, nil
	case !sep && (ext == ".yaml" || ext == ".yml"):
		return "", nil // a file; createNew refuses an existing one
	case exists:
		return "", usagef("%s exists; init never overwrites a file: give a new name, or remove it first", target)
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		return "", fmt.Errorf("making the folder %s: %w", target, err)
	}
	return target, nil
}

// starterReadme is the README.md init writes beside a county's starter
// scenario (county.yaml, named name, extending the built-in from): what to
// run next, with only the paysim binary, and where to read more.
func starterReadme(from, name string) string {
	return fmt.Sprintf(`# %[2]s

A county scenario for paysim, started with paysim init. county.yaml extends the
built-in scenario %[1]s: every value it does not set is %[1]s's, and the keys a
county usually changes are in it as comments holding %[1]s's values. Remove the
"# " before a key and change its value; paysim show %[1]s prints all of %[1]s,
each figure with its source.

In this folder:

    paysim validate county.yaml                 # every problem at file:line:col
    paysim run county.yaml --persons 20000      # a quick look: the summary, year by year
    paysim run county.yaml --out out            # the whole county: summary.json, CSV files, results.xlsx
    paysim compare %[1]s county.yaml --replicates 10 --out compare
                                                # against %[1]s on common random numbers,
                                                # each difference with its 95%% interval
    paysim report out compare --out report.html --xlsx results.xlsx
                                                # an HTML report with charts that opens
                                                # offline, and an Excel workbook

--lang zh (or a Chinese locale) writes the tables, the report and the workbook in
Chinese. paysim help COMMAND explains each command and its flags; paysim schema
writes the JSON Schema of the scenario format, for an editor that checks keys as
you type. In paysim's source, docs/scenario.md describes every key, docs/output.md
every output file and docs/report.md every chart.
`, from, name)
}

// createNew writes data to a new file at path, and refuses (a usage
// error) when something is there already. A failed write leaves no file.
func createNew(path string, data []byte) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usagef("%s exists; init never overwrites a file: give a new name, or remove it first", path)
	}
	if err != nil {
		return err
	}
	_, err = out.Write(data)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// scenarioName is a scenario name made of a file's name: its base without
// the extension, made safe.
func scenarioName(file string) string {
	return safeName(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
}

// safeName is n with the characters names may not hold replaced by "-",
// or my-county when nothing is left.
func safeName(n string) string {
	n = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`.*?[]\/= `, r) {
			return '-'
		}
		return r
	}, n)
	if n == "" || n == "-" {
		return "my-county"
	}
	return n
}

// starter is the text of a scenario named name that extends the built-in
// scenario from (loaded as base), with the keys a planner usually changes
// as comments holding base's values. Only the keys base gives are listed.
func starter(from, name string, base *scenario.Scenario) string {
	var b strings.Builder
	has := func(path string) bool { _, ok := base.Pos[path]; return ok }
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	fmt.Fprintf(&b, `# A scenario for paysim, started by: paysim init --from %[1]s
#
# It extends the built-in scenario %[1]s: every value not written here is %[1]s's.
# See them, each with its source, with: paysim show %[1]s
# The lines commented out below hold %[1]s's values of the keys a county usually
# changes. Remove the "# " before a key (and before the keys above it, down to the
# left margin) and change its value. To pay providers another way, start from another
# built-in scenario (paysim scenarios lists them): paysim init --from county-drg FILE.
# Then check the file and run it:
#   paysim validate FILE
#   paysim run FILE
# docs/scenario.md describes every key; for checking in an editor, write the schema with
#   paysim schema > scenario.schema.json
# and make this the file's first line:
#   # yaml-language-server: $schema=scenario.schema.json
extends: %[1]s
name: %[2]s
description: >
  %[2]s, starting from the built-in scenario %[1]s.
`, from, name)
	line := func(indent int, key, value, comment string) {
		kv := strings.Repeat(" ", indent) + key + ": " + value
		if comment != "" {
			kv = fmt.Sprintf("%-28s # %s", kv, comment)
		}
		b.WriteString("# " + kv + "\n")
	}
	b.WriteString("\n")
	if has("start_year") {
		line(0, "start_year", strconv.Itoa(base.StartYear), "calendar year of the first simulated year")
	}
	line(0, "years", strconv.Itoa(base.Years), "years to simulate")
	if has("population.size") {
		b.WriteString("\n# population:\n")
		line(2, "size", strconv.Itoa(base.Population.Size), "insured persons at the start")
	}
	if has("fund") {
		f, cur := base.Fund, " ["+string(base.Currency.Code())+"]"
		b.WriteString("\n# fund:\n")
		line(2, "individual", num(f.Individual), "individual contribution per enrollee a year"+cur)
		line(2, "subsidy", num(f.Subsidy), "government subsidy per enrollee a year"+cur)
		line(2, "growth", num(f.Growth), "yearly growth of both")
		if has("fund.opening_per_enrollee") {
			line(2, "opening_per_enrollee", num(f.OpeningPerEnrollee), "opening balance per enrollee"+cur)
		} else {
			line(2, "opening_balance", num(f.OpeningBalance), "the fund's balance at the start"+cur)
		}
	}
	if has("benefit.tiers") {
		b.WriteString("\n# benefit:\n")
		if has("benefit.inpatient_ceiling") {
			line(2, "inpatient_ceiling", num(base.Benefit.InpatientCeiling), "fund-paid inpatient amount per person a year, at most")
		}
		b.WriteString("#   tiers:                     # deductible per episode; share of eligible charges the fund pays\n")
		for i, t := range base.Benefit.Tiers {
			fmt.Fprintf(&b, "#     - tier: %s\n", t.Tier)
			for _, svc := range []struct {
				key string
				sh  scenario.Sharing
			}{{scenario.Outpatient, t.Outpatient}, {scenario.Inpatient, t.Inpatient}} {
				if !has(fmt.Sprintf("benefit.tiers[%d].%s", i, svc.key)) {
					continue
				}
				line(6, svc.key, fmt.Sprintf("{deductible: %s, ratio: %s}", num(svc.sh.Deductible), num(svc.sh.Ratio)), "")
			}
		}
	}
	if len(base.Tiers) > 0 {
		on := base.Responses != nil && (base.Responses.Enabled == nil || *base.Responses.Enabled)
		b.WriteString("\n# Provider responses: true adds what providers do about how they are paid\n# (docs/responses.md); false is accounting only.\n# responses:\n")
		line(2, "enabled", strconv.FormatBool(on), "")
	}
	return b.String()
}
