// Package calibrate fits a scenario to a county's claims: from a claims
// file and a population table it derives the mean charges and length of
// stay of each group at each tier, the background rates of visits and
// admissions by age band and the tier choice constants that reproduce the
// observed shares, checks them against a simulation of the calibrated
// scenario, and writes them as a scenario that extends a base
// (docs/claims.md, "Calibration from claims").
package calibrate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim/claims"
)

// A Band is one age band of a population table.
type Band struct {
	From, To int        // ages [years], inclusive
	Persons  [2]float64 // persons by sex (claims.Female, claims.Male)
}

// A Table is the population the claims come from: persons by age band and
// sex, the denominator of every rate.
type Table struct {
	File  string
	Bands []Band // contiguous, sorted by From, the first from 0
}

// TableColumns are the columns of a population table, in any order.
var TableColumns = []string{"from", "to", "sex", "persons"}

// ReadTable reads a population table: a CSV file with the header
// from,to,sex,persons and one row per age band and sex. Problems are
// *claims.Error values at their row and column, joined.
func ReadTable(r io.Reader, file string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &claims.Error{Pos: claims.Pos{File: file, Row: 1}, Msg: fmt.Sprintf("no header (%v); want %s", err, strings.Join(TableColumns, ","))}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	if len(col) != len(TableColumns) || len(head) != len(TableColumns) {
		return nil, &claims.Error{Pos: claims.Pos{File: file, Row: 1}, Msg: fmt.Sprintf("header %q; want the columns %s in any order", strings.Join(head, ","), strings.Join(TableColumns, ","))}
	}
	for _, c := range TableColumns {
		if _, ok := col[c]; !ok {
			return nil, &claims.Error{Pos: claims.Pos{File: file, Row: 1}, Msg: fmt.Sprintf("no column %q; want %s in any order", c, strings.Join(TableColumns, ","))}
		}
	}
	var errs []error
	bad := func(row int, c string, format string, args ...any) {
		errs = append(errs, &claims.Error{Pos: claims.Pos{File: file, Row: row, Col: col[c] + 1}, Column: c, Msg: c + ": " + fmt.Sprintf(format, args...)})
	}
	byRange := map[[2]int]int{} // band → index in t.Bands
	seen := map[[3]int]int{}
	t := &Table{File: file}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row, _ := cr.FieldPos(0)
		if err != nil {
			errs = append(errs, &claims.Error{Pos: claims.Pos{File: file, Row: row}, Msg: fmt.Sprintf("not a row of %d fields: %v", len(TableColumns), err)})
			continue
		}
		if len(rec) != len(TableColumns) {
			errs = append(errs, &claims.Error{Pos: claims.Pos{File: file, Row: row}, Msg: fmt.Sprintf("%d fields; want %d, as the header has", len(rec), len(TableColumns))})
			continue
		}
		n0 := len(errs)
		from, err1 := strconv.Atoi(strings.TrimSpace(rec[col["from"]]))
		if err1 != nil || from < 0 || from > claims.MaxAge {
			bad(row, "from", "%q; want the band's first age, a whole number from 0 to %d", rec[col["from"]], claims.MaxAge)
		}
		to, err2 := strconv.Atoi(strings.TrimSpace(rec[col["to"]]))
		if err2 != nil || to < from || to > claims.MaxAge {
			bad(row, "to", "%q; want the band's last age, a whole number from %q to %d", rec[col["to"]], rec[col["from"]], claims.MaxAge)
		}
		sex := -1
		switch strings.TrimSpace(rec[col["sex"]]) {
		case "F":
			sex = int(claims.Female)
		case "M":
			sex = int(claims.Male)
		default:
			bad(row, "sex", "%q; want F or M", rec[col["sex"]])
		}
		p, err3 := strconv.ParseFloat(strings.TrimSpace(rec[col["persons"]]), 64)
		if err3 != nil || p < 0 || p > 5e7 {
			bad(row, "persons", "%q; want the persons of the band and sex, from 0 to 50000000", rec[col["persons"]])
		}
		if len(errs) > n0 {
			continue
		}
		if r0, ok := seen[[3]int{from, to, sex}]; ok {
			errs = append(errs, &claims.Error{Pos: claims.Pos{File: file, Row: row}, Msg: fmt.Sprintf("band %d–%d sex %s again (first at row %d)", from, to, claims.Sex(sex), r0)})
			continue
		}
		seen[[3]int{from, to, sex}] = row
		i, ok := byRange[[2]int{from, to}]
		if !ok {
			i = len(t.Bands)
			byRange[[2]int{from, to}] = i
			t.Bands = append(t.Bands, Band{From: from, To: to})
		}
		t.Bands[i].Persons[sex] += p
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(t.Bands, func(i, j int) bool { return t.Bands[i].From < t.Bands[j].From })
	next := 0
	for _, b := range t.Bands {
		if b.From != next {
			return nil, &claims.Error{Pos: claims.Pos{File: file}, Msg: fmt.Sprintf("bands leave a gap or overlap at age %d (band %d–%d); want contiguous bands from age 0", next, b.From, b.To)}
		}
		next = b.To + 1
	}
	if len(t.Bands) == 0 || t.Persons() <= 0 {
		return nil, &claims.Error{Pos: claims.Pos{File: file}, Msg: "no persons; want at least one band with persons"}
	}
	return t, nil
}

// Persons is the table's total.
func (t *Table) Persons() float64 {
	var n float64
	for _, b := range t.Bands {
		n += b.Persons[0] + b.Persons[1]
	}
	return n
}

// Band is the index of the band an age falls in; the last band holds
// everyone older.
func (t *Table) Band(age int) int {
	for i, b := range t.Bands {
		if age <= b.To {
			return i
		}
	}
	return len(t.Bands) - 1
}
