package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/study"
)

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "merge the parts of a run or comparison split with --shard into what the whole run writes",
		ArgsUsage: "PART...",
		Description: `paysim run --shard I/N --out DIR and paysim compare --shard I/N --out DIR run
only the I-th of N contiguous blocks of the replicates (shards 0 to N-1) and
write DIR/part-I-of-N.json: each replicate's summary (and a PSA's draws), or
what compare keeps of each replicate of each scenario. Run the N shards
anywhere — other processes, other machines, a Slurm job array, a Kubernetes
Indexed Job — then merge their parts: paysim merge prints and writes (--out)
exactly the bytes the single run would — summary.json, yearly.csv,
tiers.csv, trace.csv and results.xlsx, or compare.json, compare.csv, psa.csv
and results.xlsx, and --report's HTML — whatever the number of shards.

Each PART is a part file, or a folder whose part-*.json files are taken. The
parts must be every shard of one job (the same command, scenarios, --set
values, seed, replicates, --mode and build of paysim), each once, in any
order.

A run's expectations (expect:) are checked as paysim run checks them, with
the scenario read again from where the shards read it.

Examples:
   for i in 0 1 2 3; do paysim run --replicates 100 --shard $i/4 --out parts/; done
   paysim merge parts/ --out out/
   paysim merge parts/part-*.json --format json`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "table", Usage: "what to print: table, json or csv, as paysim run or compare prints it"},
			&cli.StringFlag{Name: "out", Usage: "folder to write the whole run's files to"},
			&cli.StringFlag{Name: "report", Usage: "write the HTML report with charts to `FILE`"},
			langFlag(),
			&cli.StringFlag{Name: "junit", Usage: "write a run's expectations as JUnit XML to `FILE`"},
		},
		Action: mergeAction,
	}
}

func mergeAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("merge needs the parts: part files, or folders holding them")
	}
	if f := c.String("format"); f != "table" && f != "json" && f != "csv" {
		return usagef("--format %q: want table, json or csv", f)
	}
	l, err := lang(c)
	if err != nil {
		return err
	}
	var paths []string
	for _, arg := range c.Args().Slice() {
		fi, err := os.Stat(arg)
		if err != nil {
			return usagef("part %v", err)
		}
		if !fi.IsDir() {
			paths = append(paths, arg)
			continue
		}
		found, err := filepath.Glob(filepath.Join(arg, "part-*-of-*.json"))
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return usagef("%s: no part-*-of-*.json in the folder", arg)
		}
		slices.Sort(found)
		paths = append(paths, found...)
	}
	parts := make([]*study.Part, len(paths))
	for i, path := range paths {
		p, err := readPart(path)
		if err != nil {
			return err
		}
		parts[i] = p
	}
	job := parts[0].Job
	switch job.Command {
	case "run":
		sum, err := study.MergeRun(parts)
		if err != nil {
			return usagef("%v", err)
		}
		var s *scenario.Scenario
		if len(job.Args) == 1 {
			if s, err = loadScenario(job.Args[0], job.Sets); err != nil {
				fmt.Fprintf(c.App.ErrWriter, "paysim: warning: the scenario cannot be read again (%v); its expectations are not checked\n", err)
				s = nil
			}
		}
		return runOutputs(c, s, sum, l)
	case "compare":
		if c.IsSet("junit") {
			return usagef("--junit: a comparison has no expectations; want the parts of a run")
		}
		cmp, err := study.MergeCompare(parts)
		if err != nil {
			return usagef("%v", err)
		}
		return compareOutputs(c, cmp, study.Perspective(job.Perspective), job.WTP, l)
	}
	return usagef("%s: a part of %q; want a part of run or compare", paths[0], job.Command)
}

// readPart reads a part file, refusing what is not one.
func readPart(path string) (*study.Part, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("part %v", err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	p := study.Part{Name: path}
	if err := d.Decode(&p); err != nil {
		return nil, usagef("%s: not a paysim part file: %v", path, err)
	}
	if p.Schema != study.PartSchema {
		return nil, usagef("%s: schema %q; want %q (a part written by paysim run or compare --shard)", path, p.Schema, study.PartSchema)
	}
	return &p, nil
}
