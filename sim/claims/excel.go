package claims

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxSource gives the rows of a workbook's sheet as its Rows iterator
// streams them, with the cells' own values (numbers unformatted, dates as
// Excel's serial day numbers). Empty rows are skipped, as a CSV reader
// skips empty lines.
type xlsxSource struct {
	rows *excelize.Rows
	row  int
}

func (s *xlsxSource) read() ([]string, int, error) {
	for s.rows.Next() {
		s.row++
		rec, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, 0, fmt.Errorf("row %d: %w", s.row, err)
		}
		for _, f := range rec {
			if f != "" {
				return rec, s.row, nil
			}
		}
	}
	if err := s.rows.Error(); err != nil {
		return nil, 0, err
	}
	return nil, 0, io.EOF
}

type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// openExcel opens the workbook name and reads the header of its first
// sheet.
func openExcel(name string) (*Reader, error) {
	f, err := excelize.OpenFile(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("not an Excel workbook (%v); want an .xlsx file, or a CSV file named otherwise", err)}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &Error{Pos: Pos{File: name}, Msg: "no sheet; want the claims on the first sheet"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: sheet %s: %w", name, sheets[0], err)
	}
	r, err := newReader(&xlsxSource{rows: rows}, name, sheets[0])
	if err != nil {
		rows.Close()
		f.Close()
		return nil, err
	}
	r.excel = true
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		r.date19 = *props.Date1904
	}
	r.closer = closers{rows, f}
	return r, nil
}

// excelDate is the day of an Excel serial date (a time of day is
// dropped), in the 1900 or the 1904 date system.
func excelDate(s string, date1904 bool) (t time.Time, ok bool) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || x < 1 || x > 2958465 { // 9999-12-31
		return t, false
	}
	t, err = excelize.ExcelDateToTime(math.Floor(x), date1904)
	return t, err == nil
}

// ErrSheetFull is the error of an ExcelWriter given more claims than a
// sheet holds.
var ErrSheetFull = fmt.Errorf("more than %d claims, the most rows an Excel sheet holds below its header", excelize.TotalRows-1)

// An ExcelWriter writes claims as a workbook of one sheet, "claims": the
// header, then a row per claim, dates as Excel dates (shown YYYY-MM-DD),
// amounts as numbers to the cent, an empty cell where a CSV file has an
// empty field. Rows are streamed to a temporary file, not held in memory;
// Flush writes the workbook.
type ExcelWriter struct {
	w         io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	row       int
	dateStyle int
	vals      []any
	err       error
}

// ExcelSheet is the name of the sheet an ExcelWriter writes.
const ExcelSheet = "claims"

// NewExcelWriter starts a workbook to write to w, with the header row.
func NewExcelWriter(w io.Writer) (*ExcelWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName(f.GetSheetName(0), ExcelSheet); err != nil {
		f.Close()
		return nil, err
	}
	ew := &ExcelWriter{w: w, f: f, row: 1, vals: make([]any, nCol)}
	fm := "yyyy-mm-dd"
	var err error
	if ew.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fm}); err == nil {
		ew.sw, err = f.NewStreamWriter(ExcelSheet)
	}
	if err == nil {
		err = ew.sw.SetColWidth(ColAdmitted+1, ColDischarged+1, 11)
	}
	if err == nil {
		head := make([]any, nCol)
		for i, c := range Columns {
			head[i] = c
		}
		err = ew.sw.SetRow("A1", head, excelize.RowOpts{})
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return ew, nil
}

// Write writes c as the next row; past the last row a sheet holds, it
// returns ErrSheetFull.
func (w *ExcelWriter) Write(c *Claim) error {
	if w.err != nil {
		return w.err
	}
	if w.row >= excelize.TotalRows {
		w.err = ErrSheetFull
		return w.err
	}
	w.row++
	v := w.vals
	v[ColProvider], v[ColTier], v[ColService] = c.Provider, c.Tier, c.Service.String()
	v[ColGroup] = nil
	if c.Group != "" {
		v[ColGroup] = c.Group
	}
	v[ColAge], v[ColSex] = c.Age, c.Sex.String()
	v[ColAdmitted] = excelize.Cell{StyleID: w.dateStyle, Value: c.Admitted}
	v[ColDischarged] = excelize.Cell{StyleID: w.dateStyle, Value: c.Discharged}
	v[ColLOS] = c.LOS
	v[ColCharges], v[ColFundPaid], v[ColPatientPaid] = cents(c.Charges), cents(c.FundPaid), cents(c.PatientPaid)
	v[ColTransfer] = 0
	if c.Transfer {
		v[ColTransfer] = 1
	}
	v[ColReadmit] = nil
	if c.Readmit != NoReadmit {
		v[ColReadmit] = c.Readmit
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err == nil {
		err = w.sw.SetRow(cell, v)
	}
	w.err = err
	return err
}

// cents rounds an amount to the cent exactly as a CSV file writes it
// (from the binary value, so 1.6249999… is 1.62).
func cents(x float64) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return y
}

// Flush ends the sheet and writes the workbook.
func (w *ExcelWriter) Flush() error {
	defer w.f.Close()
	if w.err != nil {
		return w.err
	}
	if err := w.sw.Flush(); err != nil {
		return err
	}
	_, err := w.f.WriteTo(w.w)
	return err
}
