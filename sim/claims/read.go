package claims

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paysim/paysim/sim/payment"
)

// MaxAge is the oldest age a claim may give [years]: the oldest the
// simulation holds (ages are a byte).
const MaxAge = 255

// A Reader reads the claims of a claims file one row at a time, in memory
// bounded by one row (and the errors of the bad rows). A row with any bad
// field is rejected whole: each of its problems is reported as an Error,
// and the Summary counts it. The good rows are returned by Next.
type Reader struct {
	file  string
	sheet string // of a workbook; empty for CSV
	src   source
	col   [nCol]int // the field of each column
	nf    int       // fields per row
	row   int       // the row being read
	err   error     // an error that ends the file: reading or the header
	sum   Summary
	errs  []*Error // of the row being read
	// Reject, if set, is called with the problems of every rejected row, in
	// file order; else Errors keeps them.
	Reject func(errs []*Error)
	kept   []*Error
	excel  bool // dates may be Excel's serial day numbers
	date19 bool // the workbook counts days from 1904
	closer io.Closer
}

// A source gives the rows of a file, each with its row number: io.EOF
// after the last; an *Error for a row that is not one (a CSV syntax
// error), after which the file goes on; any other error ends the file.
type source interface {
	read() (rec []string, row int, err error)
}

type csvSource struct {
	file string
	cr   *csv.Reader
}

func (s *csvSource) read() ([]string, int, error) {
	rec, err := s.cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, pe.StartLine, &Error{Pos: Pos{File: s.file, Row: pe.StartLine}, Msg: fmt.Sprintf("not a CSV row: %v (at line %d, byte %d)", pe.Err, pe.Line, pe.Column)}
	}
	if err != nil {
		return nil, 0, err
	}
	row, _ := s.cr.FieldPos(0)
	return rec, row, nil
}

// Summary counts what a Reader read.
type Summary struct {
	Rows     int            // rows after the header
	Kept     int            // good rows, returned by Next
	Rejected int            // bad rows: Rows − Kept
	ByColumn map[string]int // rejected rows by the column of their first problem ("row": the row as a whole)
}

// NewReader reads the header of the CSV claims file r, named file in
// errors. The header must name every column of Columns once, in any
// order, and no other; its problems are *Error values joined.
func NewReader(r io.Reader, file string) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	return newReader(&csvSource{file, cr}, file, "")
}

// Open opens the claims file name and reads its header: an Excel workbook
// (.xlsx, the first sheet) or, by any other name, CSV. Close it when done.
func Open(name string) (*Reader, error) {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return openExcel(name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(bufio.NewReaderSize(f, 1<<16), name)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// Close closes the file Open opened.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

func newReader(src source, file, sheet string) (*Reader, error) {
	rd := &Reader{file: file, sheet: sheet, src: src, sum: Summary{ByColumn: map[string]int{}}}
	head, hrow, err := src.read()
	if err == io.EOF {
		return nil, &Error{Pos: Pos{File: file, Sheet: sheet, Row: 1}, Msg: "the file is empty; want a header row naming the columns " + strings.Join(Columns, ",")}
	}
	var re *Error
	if errors.As(err, &re) {
		return nil, re
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for i := range rd.col {
		rd.col[i] = -1
	}
	var errs []error
	at := func(f int) Pos { return Pos{File: file, Sheet: sheet, Row: hrow, Col: f} }
	for f, name := range head {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")) // a BOM, as spreadsheets write
		c := index(Columns, name)
		switch {
		case c < 0 && name == "" && sheet != "": // an empty cell amid a sheet's header
			errs = append(errs, &Error{Pos: at(f + 1), Msg: fmt.Sprintf("an empty header cell; want one of %s", strings.Join(Columns, ","))})
		case c < 0:
			errs = append(errs, &Error{Pos: at(f + 1), Column: name, Msg: fmt.Sprintf("unknown column %q; want one of %s", name, strings.Join(Columns, ","))})
		case rd.col[c] >= 0:
			errs = append(errs, &Error{Pos: at(f + 1), Column: name, Msg: fmt.Sprintf("column %q again (first at column %d)", name, rd.col[c]+1)})
		default:
			rd.col[c] = f
		}
	}
	for c, f := range rd.col {
		if f < 0 {
			errs = append(errs, &Error{Pos: at(0), Column: Columns[c], Msg: fmt.Sprintf("no column %q; want every one of %s", Columns[c], strings.Join(Columns, ","))})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	rd.nf = len(head)
	return rd, nil
}

func index(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// Next reads the next good row into c and reports whether there was one;
// it rejects the bad rows before it. At the end of the file, or when the
// file cannot be read further (Err), it returns false.
func (r *Reader) Next(c *Claim) bool {
	for r.err == nil {
		rec, row, err := r.src.read()
		if err == io.EOF {
			return false
		}
		var re *Error
		switch {
		case errors.As(err, &re):
			r.sum.Rows++
			r.row = row
			r.errs = append(r.errs[:0], re)
			r.reject()
			continue
		case err != nil:
			r.err = fmt.Errorf("%s: %w", r.file, err)
			return false
		}
		r.sum.Rows++
		r.row = row
		if r.parse(rec, c) {
			r.sum.Kept++
			return true
		}
		r.reject()
	}
	return false
}

// File is the name of the file being read.
func (r *Reader) File() string { return r.file }

// Row is the row of the claim Next returned last.
func (r *Reader) Row() int { return r.row }

// Col is the column (from 1) of the file in which column col of Columns
// (ColProvider, ...) is.
func (r *Reader) Col(col int) int { return r.col[col] + 1 }

// Pos is the place of column col of Columns in the row of the claim Next
// returned last.
func (r *Reader) Pos(col int) Pos {
	return Pos{File: r.file, Sheet: r.sheet, Row: r.row, Col: r.col[col] + 1}
}

// Err is the error that ended the file early (reading it), if any; bad
// rows are not errors of the file.
func (r *Reader) Err() error { return r.err }

// Summary counts the rows read so far.
func (r *Reader) Summary() Summary { return r.sum }

// Errors returns the problems of the rows rejected so far, in file order
// (none when Reject takes them).
func (r *Reader) Errors() []*Error { return r.kept }

func (r *Reader) reject() {
	r.sum.Rejected++
	first := r.errs[0].Column
	if first == "" {
		first = "row"
	}
	r.sum.ByColumn[first]++
	if r.Reject != nil {
		r.Reject(r.errs)
	} else {
		r.kept = append(r.kept, r.errs...)
	}
	r.errs = r.errs[:0]
}

// errorf records a problem of column col of the row being read.
func (r *Reader) errorf(col int, format string, args ...any) {
	r.errs = append(r.errs, &Error{Pos: r.Pos(col), Column: Columns[col], Msg: Columns[col] + ": " + fmt.Sprintf(format, args...)})
}

// parse reads rec into c and reports whether the row is good.
func (r *Reader) parse(rec []string, c *Claim) bool {
	r.errs = r.errs[:0]
	switch {
	case r.sheet != "" && len(rec) > r.nf: // a sheet leaves out empty cells at the end of a row
		r.errs = append(r.errs, &Error{Pos: Pos{File: r.file, Sheet: r.sheet, Row: r.row, Col: r.nf + 1},
			Msg: fmt.Sprintf("%q beyond the header's %d columns; want nothing there", rec[r.nf], r.nf)})
		return false
	case r.sheet != "":
		for len(rec) < r.nf {
			rec = append(rec, "")
		}
	case len(rec) != r.nf:
		r.errs = append(r.errs, &Error{Pos: Pos{File: r.file, Row: r.row}, Msg: fmt.Sprintf("%d fields; want %d, as the header has", len(rec), r.nf)})
		return false
	}
	f := func(col int) string { return strings.TrimSpace(rec[r.col[col]]) }
	*c = Claim{Readmit: NoReadmit}
	if c.Provider = f(ColProvider); c.Provider == "" {
		r.errorf(ColProvider, "empty; want the provider's name")
	}
	if c.Tier = f(ColTier); c.Tier == "" {
		r.errorf(ColTier, "empty; want the provider's tier")
	}
	svc, okSvc := payment.ParseService(f(ColService))
	if !okSvc {
		r.errorf(ColService, "%q; want outpatient, inpatient or long_stay", f(ColService))
	}
	c.Service = svc
	c.Group = f(ColGroup)
	switch {
	case okSvc && svc == payment.Outpatient && c.Group != "":
		r.errorf(ColGroup, "%q for an outpatient visit; want it empty", c.Group)
	case okSvc && svc != payment.Outpatient && c.Group == "":
		r.errorf(ColGroup, "empty; want the group of the %s stay", svc)
	}
	c.Age = r.whole(f(ColAge), ColAge, MaxAge, "an age in years")
	switch f(ColSex) {
	case "F":
		c.Sex = Female
	case "M":
		c.Sex = Male
	default:
		r.errorf(ColSex, "%q; want F or M", f(ColSex))
	}
	var okIn, okOut bool
	c.Admitted, okIn = r.date(f(ColAdmitted), ColAdmitted)
	c.Discharged, okOut = r.date(f(ColDischarged), ColDischarged)
	c.LOS = r.whole(f(ColLOS), ColLOS, MaxDays, "a length of stay in days")
	if okIn && okOut && c.LOS >= 0 {
		days := int(c.Discharged.Sub(c.Admitted).Hours() / 24)
		switch {
		case days < 0:
			r.errorf(ColDischarged, "%s is before the admission on %s", f(ColDischarged), f(ColAdmitted))
		case days != c.LOS:
			r.errorf(ColLOS, "%d days; want %d, the days from admission to discharge", c.LOS, days)
		case okSvc && svc == payment.Outpatient && c.LOS != 0:
			r.errorf(ColLOS, "%d days for an outpatient visit; want 0 (admitted and discharged the same day)", c.LOS)
		}
	}
	c.Charges = r.amount(f(ColCharges), ColCharges)
	c.FundPaid = r.amount(f(ColFundPaid), ColFundPaid)
	c.PatientPaid = r.amount(f(ColPatientPaid), ColPatientPaid)
	if c.Charges >= 0 && c.PatientPaid > c.Charges+0.005 {
		r.errorf(ColPatientPaid, "%.2f is more than the charges %.2f; want at most the charges", c.PatientPaid, c.Charges)
	}
	switch f(ColTransfer) {
	case "0", "":
	case "1":
		c.Transfer = true
	default:
		r.errorf(ColTransfer, "%q; want 1 (a transfer) or 0", f(ColTransfer))
	}
	if s := f(ColReadmit); s != "" {
		c.Readmit = r.whole(s, ColReadmit, MaxDays, "days since the earlier stay's discharge, or empty")
		if okSvc && svc != payment.Inpatient && c.Readmit >= 0 {
			r.errorf(ColReadmit, "%s for %s care; want it empty (only inpatient stays are readmissions)", s, svc)
		}
	}
	return len(r.errs) == 0
}

// whole parses a whole number from 0 to hi, or records a problem and
// returns −1.
func (r *Reader) whole(s string, col, hi int, want string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > hi {
		r.errorf(col, "%q; want %s, a whole number from 0 to %d", s, want, hi)
		return -1
	}
	return n
}

// amount parses an amount from 0 to MaxAmount, or records a problem and
// returns −1.
func (r *Reader) amount(s string, col int) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || x < 0 || x > MaxAmount {
		r.errorf(col, "%q; want an amount from 0 to %g", s, float64(MaxAmount))
		return -1
	}
	return x
}

// date parses a date as DateLayout writes it.
func (r *Reader) date(s string, col int) (time.Time, bool) {
	t, err := time.Parse(DateLayout, s)
	if err == nil {
		return t, true
	}
	if r.excel {
		if t, ok := excelDate(s, r.date19); ok {
			return t, true
		}
		r.errorf(col, "%q; want a date, as an Excel date or text YYYY-MM-DD", s)
		return t, false
	}
	r.errorf(col, "%q; want a date as YYYY-MM-DD", s)
	return t, false
}
