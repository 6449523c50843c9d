package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/paysim/paysim/sim/diff"
	"github.com/paysim/paysim/sim/report"
)

// errMoved is a diff with figures beyond tolerance (exit status 1).
var errMoved = errors.New("figures moved beyond tolerance")

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "compare two runs' outputs figure by figure, with tolerances",
		ArgsUsage: "OLD NEW",
		Description: `OLD and NEW are output folders (written by paysim run --out) or summary.json
files. Every figure of the two summaries is compared: new and old agree when
|new − old| ≤ atol + rtol × |old|. What moved is printed, and the exit status is
1 when anything moved beyond tolerance (or is in one summary only), 0 otherwise.

A tolerances file gives a default and per-figure tolerances, the last matching
rule winning; * stands for one segment of a path:

   default: {rtol: 0.02}
   metrics:
     - {path: "yearly.*.fund.reserve_months", atol: 0.5}
     - {path: "yearly.*.health.deaths", rtol: 0.15}

Paths name list items by year, tier, provider or name: yearly.2025.fund.payout,
yearly.2025.tiers.county.visits. --junit writes one test case per figure group
(a year's fund, a tier's year, …) for GitLab, Jenkins or GitHub.`,
		Flags: []cli.Flag{
			&cli.Float64Flag{Name: "rtol", Usage: "default relative tolerance"},
			&cli.Float64Flag{Name: "atol", Usage: "default absolute tolerance"},
			&cli.StringFlag{Name: "tolerances", Usage: "YAML `FILE` of a default and per-figure tolerances (overrides --rtol and --atol)"},
			&cli.StringFlag{Name: "junit", Usage: "write the comparison as JUnit XML to `FILE`"},
			&cli.BoolFlag{Name: "all", Usage: "print the figures that moved within tolerance too"},
		},
		Action: diffAction,
	}
}

func diffAction(c *cli.Context) error {
	if c.NArg() != 2 {
		return usagef("diff takes OLD and NEW, got %d arguments", c.NArg())
	}
	oldJSON, err := readSummary(c.Args().Get(0))
	if err != nil {
		return err
	}
	newJSON, err := readSummary(c.Args().Get(1))
	if err != nil {
		return err
	}
	tol := &diff.Tolerances{Default: diff.Tol{RTol: c.Float64("rtol"), ATol: c.Float64("atol")}}
	if f := c.String("tolerances"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return usagef("--tolerances: %v", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(tol); err != nil {
			return usagef("--tolerances %s: %v; want default: {rtol, atol} and metrics: [{path, rtol, atol}]", f, err)
		}
	}
	diffs, n, err := diff.Compare(oldJSON, newJSON, tol)
	if err != nil {
		return usagef("%v", err)
	}
	beyond := 0
	for _, d := range diffs {
		if d.Beyond {
			beyond++
		}
		if d.Beyond || c.Bool("all") {
			fmt.Fprintln(c.App.Writer, d)
		}
	}
	fmt.Fprintf(c.App.Writer, "%d figures compared: %d moved, %d beyond tolerance\n", n, len(diffs), beyond)
	if path := c.String("junit"); path != "" {
		if err := writeJUnit(c.App.Writer, path, "paysim diff", junitCases(diffs, newJSON)); err != nil {
			return err
		}
	}
	if beyond > 0 {
		return errMoved
	}
	return nil
}

// junitCases groups figures into test cases by their first three path
// segments (yearly.2025.fund), every group of the new summary a case, failing
// with the figures of the group that moved beyond tolerance.
func junitCases(diffs []diff.Difference, newJSON []byte) []report.TestCase {
	group := func(p string) string {
		seg := strings.Split(p, ".")
		return strings.Join(seg[:min(3, len(seg))], ".")
	}
	failures := map[string][]string{}
	groups := map[string]bool{}
	for _, d := range diffs {
		groups[group(d.Path)] = true
		if d.Beyond {
			failures[group(d.Path)] = append(failures[group(d.Path)], d.String())
		}
	}
	all, _, _ := diff.Compare([]byte("{}"), newJSON, &diff.Tolerances{}) // every figure of new, to name the groups
	for _, d := range all {
		groups[group(d.Path)] = true
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	cases := make([]report.TestCase, len(names))
	for i, g := range names {
		cases[i] = report.TestCase{Name: g, Class: "paysim.diff", Failure: strings.Join(failures[g], "\n")}
	}
	return cases
}

// readSummary reads summary.json from an output folder or a file.
func readSummary(p string) ([]byte, error) {
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		p = filepath.Join(p, "summary.json")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return b, nil
}
