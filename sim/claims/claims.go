// Package claims reads and writes claims files: one row per discharge or
// visit, as a county's claims extract has them (docs/claims.md), as CSV or
// as the first sheet of an Excel workbook. A Reader
// streams a file row by row, keeps the good rows and reports every bad one
// at its file, row and column; a Writer writes rows in the same format.
// Nothing in a claim identifies a person.
package claims

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/paysim/paysim/sim/payment"
)

// Sex is the sex of the patient.
type Sex uint8

// The sexes, as a claims file writes them: F and M.
const (
	Female Sex = iota
	Male
)

func (s Sex) String() string {
	if s == Male {
		return "M"
	}
	return "F"
}

// NoReadmit is the Readmit of a claim that follows no earlier stay.
const NoReadmit = -1

// MaxAmount bounds every amount of a claim [the scenario's currency].
const MaxAmount = 1e12

// MaxDays bounds a length of stay and a readmission interval [days].
const MaxDays = 65535

// DateLayout is how a claims file writes dates.
const DateLayout = "2006-01-02"

// A Claim is one discharge or visit.
type Claim struct {
	Provider    string          // the provider, as the scenario names it
	Tier        string          // the provider's tier
	Service     payment.Service // outpatient, inpatient or long_stay
	Group       string          // inpatient group (or diagnosis code); empty for a visit
	Age         int             // completed years at the start of the year of service, 0–255
	Sex         Sex
	Admitted    time.Time // admission, or the visit's date
	Discharged  time.Time // discharge; the visit's date for a visit
	LOS         int       // length of stay [days]: Discharged − Admitted; 0 for a visit
	Charges     float64   // itemised charges [the scenario's currency]
	FundPaid    float64   // what the fund paid under the rule in force
	PatientPaid float64   // what the patient paid out of pocket
	Transfer    bool      // discharged to a post-acute stay elsewhere
	// Readmit is the days from the discharge of the patient's earlier stay
	// in the same group at the same provider to this admission, or
	// NoReadmit.
	Readmit int
}

// Columns are the columns of a claims file, in the order a Writer writes
// them. A Reader takes them in any order and needs every one.
var Columns = []string{"provider", "tier", "service", "group", "age", "sex", "admitted", "discharged",
	"los", "charges", "fund_paid", "patient_paid", "transfer", "readmit_days"}

// The columns' indexes in Columns.
const (
	ColProvider = iota
	ColTier
	ColService
	ColGroup
	ColAge
	ColSex
	ColAdmitted
	ColDischarged
	ColLOS
	ColCharges
	ColFundPaid
	ColPatientPaid
	ColTransfer
	ColReadmit
	nCol
)

// Pos is a place in a claims file: a row (the file's line, the header
// being 1, or the sheet's row of a workbook) and a column (the field, from
// 1); 0: the row or column as a whole.
type Pos struct {
	File     string
	Sheet    string // the sheet of a workbook; empty for CSV
	Row, Col int
}

// String is FILE:ROW:COLUMN in a CSV file, FILE:SHEET!CELL in a workbook
// (claims.xlsx:Sheet1!C4), with the row as Excel names it when the column
// is 0 (claims.xlsx:Sheet1!4:4); FILE alone for the file as a whole.
func (p Pos) String() string {
	switch {
	case p.Row == 0 && p.Col == 0 && p.Sheet == "": // the file as a whole
		return p.File
	case p.Sheet == "":
		return fmt.Sprintf("%s:%d:%d", p.File, p.Row, p.Col)
	}
	sheet := p.Sheet
	if strings.ContainsFunc(sheet, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }) {
		sheet = "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	}
	if p.Col <= 0 {
		return fmt.Sprintf("%s:%s!%d:%d", p.File, sheet, p.Row, p.Row)
	}
	cell, err := excelize.CoordinatesToCellName(p.Col, max(p.Row, 1))
	if err != nil {
		return fmt.Sprintf("%s:%s!R%dC%d", p.File, sheet, p.Row, p.Col)
	}
	return p.File + ":" + sheet + "!" + cell
}

// An Error is one problem of a claims file, at the row and column that
// caused it.
type Error struct {
	Pos    Pos
	Column string // the column's name; empty for the row as a whole
	Msg    string // what was found and what was expected
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }
