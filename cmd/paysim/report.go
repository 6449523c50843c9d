package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim/brief"
)

// workbookName is the Excel workbook paysim run --out and paysim compare
// --out write beside their other files.
const workbookName = "results.xlsx"

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "turn output folders into an HTML report with charts (and an Excel workbook)",
		ArgsUsage: "DIR...",
		Description: `Each DIR is a folder paysim run --out (summary.json), paysim compare --out
(compare.json), paysim price --claims --out (repricing.json) or paysim sweep --out
(sweep.json) wrote. The report is one HTML file that opens offline in any
browser: the charts' library (Apache ECharts) and the data are inside it. It
has a part for each folder, with the charts its figures allow: the fund and
its reserve, payout per enrollee, where visits and admissions go against the
national targets, referrals, out-of-pocket share, providers' revenue and
margin, the global budget's settlement, why spending moved under responses,
the Markov trace (from trace.csv); for a comparison, each figure's paths with their 95% intervals and the
paired differences, and the strategies' cost-effectiveness plane and
acceptability curve; for a repricing, the gain or loss of each provider and
tier against fee-for-service and the providers' case-mix index, with the
suppressed providers named as such; for a sweep, the tornado (docs/report.md
lists every chart and its figures).
Nothing is run again. --xlsx also writes the folders' tables as an Excel
workbook.

--lang zh or en chooses the language of the report and the workbook; by
default the locale's (LC_ALL, LC_MESSAGES, LANG: Chinese when it starts
with zh).

Examples:
   paysim compare county-ffs county-global-budget --replicates 10 --out cmp
   paysim report cmp --out cmp/report.html --lang zh
   paysim report out/ffs out/global-budget cmp --out brief.html --xlsx brief.xlsx`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "report.html", Usage: "the HTML `FILE` to write"},
			&cli.StringFlag{Name: "xlsx", Usage: "also write the folders' tables as an Excel workbook to `FILE`"},
			langFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("report needs at least one DIR written by paysim run --out, paysim compare --out, paysim price --claims --out or paysim sweep --out")
			}
			l, err := lang(c)
			if err != nil {
				return err
			}
			var srcs []*brief.Source
			for _, dir := range c.Args().Slice() {
				src, err := brief.Read(dir)
				if err != nil {
					return usagef("%v", err)
				}
				srcs = append(srcs, src)
			}
			if err := writeReport(c.String("out"), l, srcs); err != nil {
				return err
			}
			if path := c.String("xlsx"); path != "" {
				return writeWorkbookFile(path, l, srcs)
			}
			return nil
		},
	}
}

// langFlag is --lang, the language of the report and the workbook.
func langFlag() cli.Flag {
	return &cli.StringFlag{Name: "lang", Usage: "language of the table, the report, the workbook, this help and the messages of usage errors: zh or en (default: the locale's)"}
}

// appLangFlag is --lang before any command, for paysim --help --lang zh;
// hidden, so that the app's help lists the commands only.
func appLangFlag() cli.Flag {
	f := langFlag().(*cli.StringFlag)
	f.Hidden = true
	return f
}

// lang is the language --lang asks for, or the locale's.
func lang(c *cli.Context) (brief.Lang, error) {
	if !c.IsSet("lang") {
		return brief.LangFromEnv(os.Getenv), nil
	}
	l, err := brief.ParseLang(c.String("lang"))
	if err != nil {
		return "", usagef("--lang: %v", err)
	}
	return l, nil
}

// writeReport writes the HTML report of srcs to path, as writeFiles writes
// a file.
func writeReport(path string, l brief.Lang, srcs []*brief.Source) error {
	var b bytes.Buffer
	if err := brief.WriteHTML(&b, l, srcs); err != nil {
		return err
	}
	return writeOne(path, &b, "--report")
}

// writeFolderReport writes files, in order, and the workbook of srcs in l
// to the folder --out, and the report of srcs to --report, each when
// asked for.
func writeFolderReport(c *cli.Context, l brief.Lang, srcs []*brief.Source, files map[string]*bytes.Buffer, order []string) error {
	if dir := c.String("out"); dir != "" {
		xs := new(bytes.Buffer)
		if err := brief.WriteWorkbook(xs, l, srcs); err != nil {
			return err
		}
		files[workbookName] = xs
		if err := writeFiles(dir, files, append(order, workbookName)); err != nil {
			return fmt.Errorf("writing %s: %w", dir, err)
		}
	}
	if path := c.String("report"); path != "" {
		return writeReport(path, l, srcs)
	}
	return nil
}

// writeWorkbookFile writes the workbook of srcs to path.
func writeWorkbookFile(path string, l brief.Lang, srcs []*brief.Source) error {
	var b bytes.Buffer
	if err := brief.WriteWorkbook(&b, l, srcs); err != nil {
		return err
	}
	return writeOne(path, &b, "--xlsx")
}

// writeOne writes one file through writeFiles; flag names the flag that
// asked for it, for the message of a folder given as a file.
func writeOne(path string, b *bytes.Buffer, flag string) error {
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return usagef("%s %s: a folder; want a file name", flag, path)
	}
	if err := writeFiles(filepath.Dir(path), map[string]*bytes.Buffer{filepath.Base(path): b}, []string{filepath.Base(path)}); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
