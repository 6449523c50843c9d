package claims

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// writeExcel writes cs as a workbook to dir/name and returns its path.
func writeExcel(t *testing.T, dir, name string, cs []Claim) string {
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w, err := NewExcelWriter(f)
	require.NoError(t, err)
	for i := range cs {
		require.NoError(t, w.Write(&cs[i]))
	}
	require.NoError(t, w.Flush())
	return path
}

// readAll reads every good claim of the file path.
func readAll(t *testing.T, path string) ([]Claim, *Reader) {
	r, err := Open(path)
	require.NoError(t, err)
	defer r.Close()
	var out []Claim
	var c Claim
	for r.Next(&c) {
		out = append(out, c)
	}
	require.NoError(t, r.Err())
	return out, r
}

// A workbook holds what a CSV file holds: the claims written to each and
// read back are the same, amounts to the cent.
func TestExcelRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cs := sample(300)
	cs[1].Charges, cs[1].PatientPaid, cs[1].FundPaid = 27.36, 25.74, 1.6249999999 // written 1.62, as CSV writes it
	csvPath := filepath.Join(dir, "c.csv")
	require.NoError(t, os.WriteFile(csvPath, write(t, cs), 0o644))
	fromCSV, _ := readAll(t, csvPath)
	fromExcel, r := readAll(t, writeExcel(t, dir, "c.xlsx", cs))
	require.Len(t, fromExcel, len(cs))
	assert.Equal(t, fromCSV, fromExcel)
	assert.Equal(t, 1.62, fromExcel[1].FundPaid)
	assert.Empty(t, r.Errors())
	assert.Equal(t, Summary{Rows: 300, Kept: 300, ByColumn: map[string]int{}}, r.Summary())
}

// A workbook typed by hand: dates as text or as Excel dates, cells left
// empty at the end of a row, an empty row between claims; every bad cell
// reported at its sheet and cell.
func TestExcelCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Extract 2025" // a name Excel quotes in a reference
	require.NoError(t, f.SetSheetName(f.GetSheetName(0), sh))
	// The columns in another order than a Writer's: group before service.
	head := []any{"provider", "tier", "group", "service", "age", "sex", "admitted", "discharged", "los", "charges", "fund_paid", "patient_paid", "transfer", "readmit_days"}
	set := func(row int, vals ...any) {
		cell, err := excelize.CoordinatesToCellName(1, row)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow(sh, cell, &vals))
	}
	set(1, head...)
	set(2, "p", "county", "stroke", "inpatient", 70, "M", "2025-03-01", "2025-03-10", 9, 8000, 5000, 3000) // transfer, readmit_days left empty
	set(3, "p", "county", nil, "outpatient", 40, "F", 45717, 45717, 0, 80.5, 50, 30.5, 0)                  // 45717: 2025-03-01 as Excel counts
	// row 4 empty
	set(5, "p", "county", "stroke", "inpatient", -3, "M", "2025-03-01", "2025-03-10", 8, 8000, 5000, 3000, 0)
	set(6, "p", "county", "stroke", "inpatient", 70, "M", "March 1", "2025-03-10", 9, 8000, 5000, 3000, 0)
	set(7, "p", "county", nil, "outpatient", 40, "F", 45717, 45717, 0, 80.5, 50, 30.5, 0, nil, "note")
	path := filepath.Join(t.TempDir(), "x.xlsx")
	require.NoError(t, f.SaveAs(path))

	got, r := readAll(t, path)
	require.Len(t, got, 2)
	assert.Equal(t, Claim{Provider: "p", Tier: "county", Service: got[0].Service, Group: "stroke", Age: 70, Sex: Male,
		Admitted: day("2025-03-01"), Discharged: day("2025-03-10"), LOS: 9, Charges: 8000, FundPaid: 5000, PatientPaid: 3000, Readmit: NoReadmit}, got[0])
	assert.Equal(t, day("2025-03-01"), got[1].Admitted)
	assert.Equal(t, 80.5, got[1].Charges)
	var msgs []string
	for _, e := range r.Errors() {
		msgs = append(msgs, strings.TrimPrefix(e.Error(), filepath.Dir(path)+string(filepath.Separator)))
	}
	assert.Equal(t, []string{
		`x.xlsx:'Extract 2025'!E5: age: "-3"; want an age in years, a whole number from 0 to 255`,
		`x.xlsx:'Extract 2025'!I5: los: 8 days; want 9, the days from admission to discharge`,
		`x.xlsx:'Extract 2025'!G6: admitted: "March 1"; want a date, as an Excel date or text YYYY-MM-DD`,
		`x.xlsx:'Extract 2025'!O7: "note" beyond the header's 14 columns; want nothing there`,
	}, msgs)
	assert.Equal(t, Summary{Rows: 5, Kept: 2, Rejected: 3, ByColumn: map[string]int{"age": 1, "admitted": 1, "row": 1}}, r.Summary())
}

func TestExcelHeaderAndFile(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"provider", "colour"}))
	dir := t.TempDir()
	path := filepath.Join(dir, "h.xlsx")
	require.NoError(t, f.SaveAs(path))
	_, err := Open(path)
	var e *Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Contains(t, err.Error(), `h.xlsx:Sheet1!B1: unknown column "colour"`)
	assert.Contains(t, err.Error(), `h.xlsx:Sheet1!1:1: no column "service"`)

	notBook := filepath.Join(dir, "n.xlsx")
	require.NoError(t, os.WriteFile(notBook, []byte(strings.Join(Columns, ",")+"\n"), 0o644))
	_, err = Open(notBook)
	require.True(t, errors.As(err, &e), "%v", err)
	assert.True(t, strings.HasPrefix(err.Error(), notBook+": not an Excel workbook"), err.Error())
}

func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		p    Pos
		want string
	}{
		{Pos{File: "c.csv", Row: 3, Col: 5}, "c.csv:3:5"},
		{Pos{File: "c.csv", Row: 3}, "c.csv:3:0"},
		{Pos{File: "c.csv"}, "c.csv"},
		{Pos{File: "c.xlsx", Sheet: "claims", Row: 3, Col: 5}, "c.xlsx:claims!E3"},
		{Pos{File: "c.xlsx", Sheet: "claims", Row: 3, Col: 27}, "c.xlsx:claims!AA3"},
		{Pos{File: "c.xlsx", Sheet: "claims", Row: 3}, "c.xlsx:claims!3:3"},
		{Pos{File: "c.xlsx", Sheet: "Bob's 2025", Row: 1, Col: 1}, "c.xlsx:'Bob''s 2025'!A1"},
		{Pos{File: "c.xlsx", Sheet: "理赔", Row: 2, Col: 2}, "c.xlsx:理赔!B2"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}
