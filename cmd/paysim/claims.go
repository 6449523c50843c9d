package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/payment"
)

func claimsCommand() *cli.Command {
	return &cli.Command{
		Name:      "claims",
		Usage:     "write the episodes a scenario's simulation generates as a claims file",
		ArgsUsage: "SCENARIO",
		Description: `Runs the scenario's microsimulation and writes every discharge and visit it
generates as a row of a claims file (docs/claims.md): synthetic claims for
tests and demonstrations, priced by paysim price --claims. The rows carry the
patient's age and sex, never who the patient is. The same scenario and seed
give the same file whatever --workers.

Examples:
   paysim claims county-ffs --years 1 --out claims.csv
   paysim claims county-ffs --persons 20000 --years 1 --seed 7 --out small.csv
   paysim claims county-ffs --persons 20000 --years 1 --out small.xlsx`,
		Flags: []cli.Flag{
			&cli.Uint64Flag{Name: "seed", Usage: "random seed (default: the scenario's)"},
			&cli.IntFlag{Name: "years", Usage: "years to simulate (default: the scenario's)"},
			&cli.IntFlag{Name: "persons", Usage: "persons at start (default: the scenario's population.size)"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "goroutines stepping the population; the file does not depend on it"},
			&cli.StringFlag{Name: "out", Usage: "the claims file to write (required): CSV, or an Excel workbook when it ends in .xlsx"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario value, `path=value`; repeatable"},
		},
		Action: claimsAction,
	}
}

func claimsAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("claims takes one scenario, got %d", c.NArg())
	}
	out := c.String("out")
	if out == "" {
		return usagef("claims needs --out FILE (see paysim claims --help)")
	}
	sets := flagSets(c)
	s, err := loadScenario(c.Args().First(), sets)
	if err != nil {
		return err
	}
	if err := sim.CheckSize(s, c.Int("workers"), 1, 1, availableMemory()); err != nil {
		return usagef("%v", err)
	}
	seed := s.Seed
	if c.IsSet("seed") {
		seed = c.Uint64("seed")
	}
	var n [payment.NService]int
	err = writeStream(out, func(f *os.File) error {
		w, err := newClaimsWriter(out, f)
		if err != nil {
			return err
		}
		err = sim.GenerateClaims(c.Context, s, sim.Options{Seed: seed, Workers: c.Int("workers")}, func(cl *claims.Claim) error {
			n[cl.Service]++
			return w.Write(cl)
		})
		return errors.Join(err, w.Flush())
	})
	if errors.Is(err, claims.ErrSheetFull) {
		return usagef("%s: %v; want fewer --persons or --years, or a CSV file", out, claims.ErrSheetFull)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "%s: %d claims (%d inpatient stays, %d long stays, %d outpatient visits), %d–%d, seed %d\n",
		out, n[0]+n[1]+n[2], n[payment.Inpatient], n[payment.LongStay], n[payment.Outpatient], s.StartYear, s.StartYear+s.Years-1, seed)
	return err
}

// A claimsWriter writes claims to a file, CSV or a workbook.
type claimsWriter interface {
	Write(*claims.Claim) error
	Flush() error
}

// newClaimsWriter writes the claims file name to w: an Excel workbook when
// name ends in .xlsx, else CSV.
func newClaimsWriter(name string, w io.Writer) (claimsWriter, error) {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return claims.NewExcelWriter(w)
	}
	return claims.NewWriter(w), nil
}

// writeStream writes the file path by write, streamed to a temporary file
// in the same folder that replaces path only when write succeeds.
func writeStream(path string, write func(f *os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".paysim-*")
	if err != nil {
		return err
	}
	err = errors.Join(write(f), f.Chmod(0o644), f.Sync())
	if err = errors.Join(err, f.Close()); err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
