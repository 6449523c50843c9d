package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/scenario"
)

func priceCommand() *cli.Command {
	return &cli.Command{
		Name:      "price",
		Usage:     "price one case by a scenario's payment rule, step by step, or a claims file",
		ArgsUsage: "SCENARIO",
		Description: `Prices one case the way a hospital's billing office or a student would, like a
payer's pricer: the rule bound to the provider and service in the scenario
prices it with the same code the simulation uses, and every step of the
formula is printed with its numbers. The patient's share comes from the
scenario's benefit design (without the annual ceiling); the fund pays the
rule's payment less that share, and nothing when the share is larger.

With --claims FILE it prices every claim of a claims file (docs/claims.md) by
the same rules, as one year, with the year-end settlement of point values
over the whole file, and prints the gain or loss of each provider against
what the claims say was paid; --out DIR writes priced.csv (per claim),
providers.csv, repricing.json (for paysim report DIR) and the workbook
results.xlsx (by provider and by tier, in --lang). FILE is CSV, or an Excel
workbook when it ends in .xlsx (its first sheet). Providers with fewer than
--min-cases claims are suppressed in every aggregated output. Bad rows are reported on stderr, one a line, and
left out; the good ones are priced.

Examples:
   paysim price county-ffs --group stroke --tier county --los 9 --charges 8000
   paysim price teaching/us-ipps --group sepsis --tier hospital --los 3 --charges 90000 --transfer
   paysim price county-drg --group stroke --tier county --los 9 --charges 8000 --readmit-days 10 --prev-revenue 7000 --format json
   paysim claims county-ffs --years 1 --out claims.csv && paysim price --claims claims.csv county-dip --out priced/`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "group", Usage: "inpatient group (none: an outpatient visit)"},
			&cli.StringFlag{Name: "tier", Usage: "tier of the provider (required)"},
			&cli.StringFlag{Name: "provider", Usage: "provider (default: the tier's first)"},
			&cli.StringFlag{Name: "service", Usage: "outpatient, inpatient or long_stay (default: inpatient with --group)"},
			&cli.IntFlag{Name: "los", Usage: "length of stay [days]"},
			&cli.Float64Flag{Name: "charges", Usage: "itemised charges, in the scenario's currency (required)"},
			&cli.BoolFlag{Name: "transfer", Usage: "the patient was discharged to a post-acute stay (a transfer case)"},
			&cli.IntFlag{Name: "readmit-days", Value: -1, Usage: "days since the discharge of a stay in the same group at the same provider"},
			&cli.Float64Flag{Name: "prev-revenue", Usage: "the revenue of that earlier stay, in the scenario's currency"},
			&cli.Float64Flag{Name: "point-value", Usage: "price at this point value (point methods)"},
			&cli.StringFlag{Name: "format", Value: "table", Usage: "table or json"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario value, `path=value`; repeatable"},
			&cli.StringFlag{Name: "claims", Usage: "price every claim of the claims `FILE` instead of one case"},
			&cli.StringFlag{Name: "out", Usage: "with --claims: folder to write priced.csv, providers.csv, repricing.json and results.xlsx to"},
			&cli.IntFlag{Name: "min-cases", Value: 10, Usage: "with --claims: suppress providers with fewer claims in aggregated outputs"},
			&cli.IntFlag{Name: "persons", Usage: "with --claims: the enrollees the claims come from, for budgets per enrollee (default: the scenario's population.size)"},
			langFlag(),
		},
		Action: priceAction,
	}
}

func priceAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("price takes one scenario, got %d", c.NArg())
	}
	if c.IsSet("claims") {
		return priceClaimsAction(c)
	}
	for _, name := range []string{"out", "min-cases", "persons", "lang"} {
		if c.IsSet(name) {
			return usagef("--%s goes with --claims", name)
		}
	}
	format := c.String("format")
	if format != "table" && format != "json" {
		return usagef("--format %q: want table or json", format)
	}
	if err := checkPriceFlags(c); err != nil {
		return err
	}
	s, err := loadScenario(c.Args().First(), c.StringSlice("set"))
	if err != nil {
		return err
	}
	q, err := sim.Price(s, sim.PriceRequest{
		Group: c.String("group"), Tier: c.String("tier"), Provider: c.String("provider"), Service: c.String("service"),
		LOS: c.Int("los"), Charges: c.Float64("charges"), Transfer: c.Bool("transfer"),
		ReadmitDays: c.Int("readmit-days"), PrevRevenue: c.Float64("prev-revenue"), PointValue: c.Float64("point-value"),
	})
	if err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			return err
		}
		return usagef("%v", err) // a case the scenario cannot price as asked
	}
	if format == "json" {
		b, err := json.MarshalIndent(q, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.App.Writer, "%s\n", b)
		return err
	}
	return writeQuote(c.App.Writer, q)
}

// maxAmount bounds the money of a priced case, as every number of a
// scenario is bounded [the scenario's currency].
const maxAmount = 1e12

// checkPriceFlags refuses a case no bill describes: a missing tier or
// charges, negative or non-finite money, negative days.
func checkPriceFlags(c *cli.Context) error {
	for _, name := range []string{"tier", "charges"} {
		if !c.IsSet(name) {
			return usagef("price needs --%s (see paysim price --help)", name)
		}
	}
	for _, name := range []string{"charges", "prev-revenue", "point-value"} {
		if x := c.Float64(name); !(x >= 0 && x <= maxAmount) {
			return usagef("--%s %v: want a number from 0 to %g (in the scenario's currency)", name, x, maxAmount)
		}
	}
	if los := c.Int("los"); los < 0 || los > math.MaxUint16 {
		return usagef("--los %d: want a length of stay from 0 to %d days", los, math.MaxUint16)
	}
	if d := c.Int("readmit-days"); d < -1 || d > math.MaxUint16 {
		return usagef("--readmit-days %d: want the days since the earlier stay's discharge, 0 to %d (or -1: none)", d, math.MaxUint16)
	}
	return nil
}

// writeQuote prints a priced case for people.
func writeQuote(w io.Writer, q *sim.Quote) error {
	what := "outpatient visit"
	if q.Group != "" {
		what = fmt.Sprintf("%s stay in group %s, %d days", q.Service, q.Group, q.LOS)
	}
	fmt.Fprintf(w, "%s at %s (%s), charges %s%.2f\n", what, q.Provider, q.Tier, scenario.Currency(q.Currency).Prefix(), q.Charges)
	fmt.Fprintf(w, "rule: %s (%s)\n\n", q.Rule, q.Binding)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, st := range q.Steps {
		fmt.Fprintf(tw, "%2d. %s\t%s\t%12.2f\n", i+1, st.Name, st.Formula, st.Amount)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nbase payment      %12.2f\n", q.Base)
	fmt.Fprintf(w, "outlier payment   %12.2f\n", q.Outlier)
	if q.Points != 0 {
		fmt.Fprintf(w, "points            %12.2f\n", q.Points)
	}
	fmt.Fprintf(w, "payment           %12.2f   the rule's price of the case\n", q.Payment)
	fmt.Fprintf(w, "patient pays      %12.2f   out of pocket, by the benefit design\n", q.PatientOOP)
	fmt.Fprintf(w, "fund pays         %12.2f   payment − patient's share, at least 0\n", q.FundPays)
	fmt.Fprintf(w, "provider revenue  %12.2f   fund + patient: the provider keeps the patient's share\n", q.Revenue)
	if q.Provisional {
		fmt.Fprintln(w, "\nPoints are priced at a point value the year-end settlement replaces; in a run the")
		fmt.Fprintln(w, "fund advances a share of the payment monthly and settles the rest at the year's end.")
	}
	return nil
}
