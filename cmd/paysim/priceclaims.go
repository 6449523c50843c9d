package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/paysim/paysim/sim"
	"github.com/paysim/paysim/sim/brief"
	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/payment"
)

func priceClaimsAction(c *cli.Context) error {
	for _, name := range []string{"group", "tier", "provider", "service", "los", "charges", "transfer", "readmit-days", "prev-revenue", "point-value"} {
		if c.IsSet(name) {
			return usagef("--%s prices one case; --claims prices a file", name)
		}
	}
	if c.String("format") != "table" {
		return usagef("--format %q: --claims prints a table; --out DIR writes CSV", c.String("format"))
	}
	l, err := lang(c)
	if err != nil {
		return err
	}
	minCases := c.Int("min-cases")
	if minCases < 0 {
		return usagef("--min-cases %d: want 0 or more", minCases)
	}
	sets := flagSets(c)
	s, err := loadScenario(c.Args().First(), sets)
	if err != nil {
		return err
	}
	path := c.String("claims")
	if _, err := os.Stat(path); err != nil {
		return usagef("--claims: %v", err)
	}
	dir := c.String("out")
	stderr := bufio.NewWriter(c.App.ErrWriter)
	var first, last *claims.Reader
	defer func() {
		if last != nil {
			last.Close()
		}
	}()
	open := func() (*claims.Reader, error) { // the file is read twice
		if last != nil {
			last.Close()
			last = nil
		}
		r, err := claims.Open(path)
		if err != nil {
			return nil, err // the header, or not a workbook
		}
		last = r
		if first == nil {
			first = r
			r.Reject = func(errs []*claims.Error) {
				for _, e := range errs {
					fmt.Fprintln(stderr, e)
				}
			}
		}
		return r, nil
	}
	// priced.csv is as long as the claims file: streamed, never held.
	var pc *sim.PricedClaims
	price := func(each func(*sim.PricedClaim) error) (err error) {
		pc, err = sim.PriceClaims(s, open, each)
		return err
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		err = writeStream(filepath.Join(dir, "priced.csv"), func(f *os.File) error {
			w := bufio.NewWriterSize(f, 1<<16)
			writePricedHeader(w)
			var b []byte
			err := price(func(c *sim.PricedClaim) error {
				b = appendPriced(b[:0], c)
				_, err := w.Write(b)
				return err
			})
			return errors.Join(err, w.Flush())
		})
	} else {
		err = price(nil)
	}
	if err != nil {
		stderr.Flush()
		var ce *claims.Error
		if errors.As(err, &ce) {
			return usagef("%v", err) // a header no claims file has: invalid input (exit 2)
		}
		return err
	}
	sum := first.Summary()
	fmt.Fprintf(stderr, "%s: %d rows, %d priced, %d rejected (%d malformed, %d the scenario cannot price)\n",
		path, sum.Rows, pc.Priced, sum.Rejected+pc.Unpriced, sum.Rejected, pc.Unpriced)
	if sum.Rejected > 0 {
		fmt.Fprint(stderr, "malformed rows by the column of their first problem:")
		for _, col := range append([]string{"row"}, claims.Columns...) {
			if n := sum.ByColumn[col]; n > 0 {
				fmt.Fprintf(stderr, " %s %d", col, n)
			}
		}
		fmt.Fprintln(stderr)
	}
	if err := stderr.Flush(); err != nil {
		return err
	}
	if dir != "" {
		rp := repricingOf(s.Name, filepath.Base(path), pc, sum, minCases)
		files := map[string]*bytes.Buffer{"providers.csv": {}, "repricing.json": {}, workbookName: {}}
		writeProvidersCSV(files["providers.csv"], pc, minCases)
		enc := json.NewEncoder(files["repricing.json"])
		enc.SetIndent("", "  ")
		if err := enc.Encode(rp); err != nil {
			return err
		}
		if err := brief.WriteWorkbook(files[workbookName], l, []*brief.Source{{Dir: dir, Repricing: rp}}); err != nil {
			return err
		}
		if err := writeFiles(dir, files, []string{"providers.csv", "repricing.json", workbookName}); err != nil {
			return fmt.Errorf("writing %s: %w", dir, err)
		}
	}
	return writeProvidersTable(c.App.Writer, s.Name, pc, minCases)
}

// repricingOf is what repricing.json holds of the claims file priced by
// the scenario name: the providers' figures, those with fewer than
// minCases claims suppressed, and the year-end settlements' figures.
func repricingOf(name, file string, pc *sim.PricedClaims, sum claims.Summary, minCases int) *brief.Repricing {
	rp := &brief.Repricing{Schema: brief.RepricingSchema, Scenario: name, Claims: file, Currency: pc.Currency,
		Rows: sum.Rows, Priced: pc.Priced, Rejected: sum.Rejected + pc.Unpriced, MinCases: minCases}
	for i := range pc.Providers {
		p := &pc.Providers[i]
		if p.Cases < minCases {
			rp.Providers = append(rp.Providers, brief.RepricedProvider{Provider: p.Provider, Tier: p.Tier, Suppressed: true})
			continue
		}
		c := func(x float64) float64 { return math.Round(x*100) / 100 } // to the cent
		rp.Providers = append(rp.Providers, brief.RepricedProvider{Provider: p.Provider, Tier: p.Tier, Cases: p.Cases, Stays: p.Stays,
			CMI: math.Round(p.CMI*1e4) / 1e4, Charges: c(p.Charges), FFSPaid: c(p.FFS), Revenue: c(p.Revenue), FundPays: c(p.FundPays),
			PatientPays: c(p.Patient), Gain: c(p.Gain())})
	}
	for _, v := range pc.Values {
		rp.Settlement = append(rp.Settlement, brief.SettledValue{Binding: pc.Bindings[v.Binding], Name: v.Name, Value: v.Value})
	}
	return rp
}

// flagNames are the payment flags priced.csv has a column for.
var flagNames = []struct {
	name string
	flag uint16
}{{"high_outlier", payment.HighOutlier}, {"low_outlier", payment.LowOutlier}, {"review", payment.Review},
	{"incomplete", payment.Incomplete}, {"outside_window", payment.OutsideWindow}, {"readmission", payment.Readmission}}

// writePricedHeader writes the header of priced.csv.
func writePricedHeader(w *bufio.Writer) {
	w.WriteString("row,provider,tier,service,group,los,charges,binding,rule,payment,outlier_payment,points")
	for _, f := range flagNames {
		w.WriteString("," + f.name)
	}
	w.WriteString(",revenue,fund_pays,patient_pays,settled_revenue,settled_fund_pays,ffs_paid,gain\n")
}

// appendPriced appends the row of priced.csv of c.
func appendPriced(b []byte, c *sim.PricedClaim) []byte {
	b = strconv.AppendInt(b, int64(c.Row), 10)
	for _, s := range []string{c.Provider, c.Tier, c.Service.String(), c.Group} {
		b = append(b, ',')
		b = appendCSV(b, s)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.LOS), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, c.Charges, 'f', 2, 64)
	b = append(b, ',')
	b = appendCSV(b, c.Binding)
	b = append(b, ',')
	b = append(b, c.Rule...)
	for _, x := range []float64{c.Payment, c.Outlier, c.Points} {
		b = append(b, ',')
		b = strconv.AppendFloat(b, x, 'f', 2, 64)
	}
	for _, f := range flagNames {
		if c.Flags&f.flag != 0 {
			b = append(b, ",1"...)
		} else {
			b = append(b, ",0"...)
		}
	}
	for _, x := range []float64{c.Revenue, c.FundPays, c.PatientPays, c.Settled, c.SettledFund, c.FFS, c.Settled - c.FFS} {
		b = append(b, ',')
		b = strconv.AppendFloat(b, x, 'f', 2, 64)
	}
	return append(b, '\n')
}

func appendCSV(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r' {
			return strconv.AppendQuote(b, s) // names of this kind are rare; Go quoting is CSV-safe for plain text
		}
	}
	return append(b, s...)
}

// writeProvidersCSV writes one row per provider; the figures of a provider
// with fewer than minCases claims are left empty and suppressed is 1.
func writeProvidersCSV(w *bytes.Buffer, pc *sim.PricedClaims, minCases int) {
	w.WriteString("provider,tier,suppressed,cases,stays,cmi,charges,ffs_paid,revenue,fund_pays,patient_pays,revenue_less_charges,gain,gain_share\n")
	for i := range pc.Providers {
		p := &pc.Providers[i]
		fmt.Fprintf(w, "%s,%s,", string(appendCSV(nil, p.Provider)), string(appendCSV(nil, p.Tier)))
		if p.Cases < minCases {
			w.WriteString("1,,,,,,,,,,,\n")
			continue
		}
		fmt.Fprintf(w, "0,%d,%d,%.4f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.4f\n", p.Cases, p.Stays, p.CMI, p.Charges, p.FFS,
			p.Revenue, p.FundPays, p.Patient, p.Revenue-p.Charges, p.Gain(), share(p.Gain(), p.FFS))
	}
}

func share(x, of float64) float64 {
	if of == 0 {
		return 0
	}
	return x / of
}

// writeProvidersTable prints the providers' gains and losses for people.
func writeProvidersTable(w io.Writer, name string, pc *sim.PricedClaims, minCases int) error {
	fmt.Fprintf(w, "%s: %d claims priced, amounts in thousand %s\n\n", name, pc.Priced, pc.Currency)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "provider\ttier\tcases\tCMI\tcharges\tpaid (FFS)\trevenue\tfund pays\tvs charges\tgain\tgain %\t")
	var tot sim.ProviderTotal
	suppressed := 0
	for i := range pc.Providers {
		p := &pc.Providers[i]
		tot.Cases += p.Cases
		tot.Charges += p.Charges
		tot.FFS += p.FFS
		tot.Revenue += p.Revenue
		tot.FundPays += p.FundPays
		if p.Cases < minCases {
			suppressed++
			fmt.Fprintf(tw, "%s\t%s\t<%d\t\t\t\t\t\t\t\t\t\n", p.Provider, p.Tier, minCases)
			continue
		}
		cmi := ""
		if p.CMI > 0 {
			cmi = fmt.Sprintf("%.3f", p.CMI)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%+.1f\t%+.1f\t%+.1f%%\t\n", p.Provider, p.Tier, p.Cases, cmi,
			p.Charges/1e3, p.FFS/1e3, p.Revenue/1e3, p.FundPays/1e3, (p.Revenue-p.Charges)/1e3, p.Gain()/1e3, 100*share(p.Gain(), p.FFS))
	}
	fmt.Fprintf(tw, "all\t\t%d\t\t%.1f\t%.1f\t%.1f\t%.1f\t%+.1f\t%+.1f\t%+.1f%%\t\n", tot.Cases, tot.Charges/1e3, tot.FFS/1e3,
		tot.Revenue/1e3, tot.FundPays/1e3, (tot.Revenue-tot.Charges)/1e3, tot.Gain()/1e3, 100*share(tot.Gain(), tot.FFS))
	if err := tw.Flush(); err != nil {
		return err
	}
	if suppressed > 0 {
		fmt.Fprintf(w, "\n%d providers with fewer than %d claims suppressed (--min-cases); the total includes them.\n", suppressed, minCases)
	}
	if len(pc.Values) > 0 {
		fmt.Fprintln(w, "\nyear-end settlement:")
		for _, v := range pc.Values {
			fmt.Fprintf(w, "  %-14s %-26s %14.4f\n", pc.Bindings[v.Binding], v.Name, v.Value)
		}
	}
	_, err := fmt.Fprintln(w, "\nrevenue: under the scenario's rules, after the year-end settlement; paid (FFS): fund + patient as the claims say; gain: revenue − paid")
	return err
}
