package brief

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/study"
)

// A Source is what one output folder holds: the summary of a run
// (summary.json, with its Markov trace from trace.csv), a comparison
// (compare.json), or both; or a file of claims repriced (repricing.json);
// or a one-way sensitivity analysis (sweep.json).
type Source struct {
	Dir       string
	Run       *report.Summary
	Compare   *Comparison
	Repricing *Repricing // repricing.json of paysim price --claims --out
	Sweep     *Sweep     // sweep.json of paysim sweep --out
}

// Sweep is sweep.json as paysim sweep writes it (docs/output.md): the
// outcomes that have no value are null, here nil.
type Sweep = study.SweepFile

// Comparison is compare.json as paysim compare writes it
// (docs/output.md): the figures that are undefined in a year are null,
// here nil.
type Comparison = study.CompareFile

// CompareRow is one figure in one year (Year 0: the whole run), by scenario.
type CompareRow = study.FileRow

// Read reads the output folder dir: its summary.json (and trace.csv, when
// there is one), its compare.json, its repricing.json. A folder with none
// of them is an error.
func Read(dir string) (*Source, error) {
	src := &Source{Dir: dir}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder; want a folder paysim run --out, paysim compare --out, paysim price --claims --out or paysim sweep --out wrote", dir)
	}
	var err error
	if src.Run, err = readIf(dir, "summary.json", DecodeSummary); err != nil {
		return nil, err
	}
	if src.Run != nil {
		tr, err := readIf(dir, "trace.csv", func(b []byte) (*report.Trace, error) {
			tr, err := DecodeTrace(b)
			return &tr, err
		})
		if err != nil {
			return nil, err
		}
		if tr != nil {
			src.Run.Trace = *tr
		}
	}
	if src.Compare, err = readIf(dir, "compare.json", DecodeComparison); err != nil {
		return nil, err
	}
	if src.Repricing, err = readIf(dir, "repricing.json", DecodeRepricing); err != nil {
		return nil, err
	}
	if src.Sweep, err = readIf(dir, "sweep.json", DecodeSweep); err != nil {
		return nil, err
	}
	if src.Run == nil && src.Compare == nil && src.Repricing == nil && src.Sweep == nil {
		return nil, fmt.Errorf("%s: no summary.json, compare.json, repricing.json or sweep.json; want a folder paysim run --out, paysim compare --out, paysim price --claims --out or paysim sweep --out wrote", dir)
	}
	return src, nil
}

// readIf decodes the file name of dir, or returns nil when the folder has
// no such file.
func readIf[T any](dir, name string, decode func([]byte) (*T, error)) (*T, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	}
	v, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// DecodeSummary reads summary.json.
func DecodeSummary(b []byte) (*report.Summary, error) {
	var s report.Summary
	if err := decode(b, &s); err != nil {
		return nil, err
	}
	if s.Schema != report.Schema {
		return nil, fmt.Errorf("schema %q; want %s", s.Schema, report.Schema)
	}
	return &s, nil
}

// DecodeComparison reads compare.json.
func DecodeComparison(b []byte) (*Comparison, error) {
	var c Comparison
	if err := decode(b, &c); err != nil {
		return nil, err
	}
	if c.Schema != study.CompareSchema {
		return nil, fmt.Errorf("schema %q; want %s", c.Schema, study.CompareSchema)
	}
	for _, r := range c.Rows {
		n := len(c.Scenarios)
		if len(r.Mean) != n || len(r.Half) != n || len(r.Delta) != n || len(r.DeltaHalf) != n || len(r.UnpairedHalf) != n {
			return nil, fmt.Errorf("row %s %d: want one figure for each of the %d scenarios", r.Metric, r.Year, n)
		}
	}
	return &c, nil
}

// DecodeRepricing reads repricing.json.
func DecodeRepricing(b []byte) (*Repricing, error) {
	var r Repricing
	if err := decode(b, &r); err != nil {
		return nil, err
	}
	if r.Schema != RepricingSchema {
		return nil, fmt.Errorf("schema %q; want %s", r.Schema, RepricingSchema)
	}
	return &r, nil
}

// DecodeSweep reads sweep.json.
func DecodeSweep(b []byte) (*Sweep, error) {
	var s Sweep
	if err := decode(b, &s); err != nil {
		return nil, err
	}
	if s.Schema != study.SweepSchema {
		return nil, fmt.Errorf("schema %q; want %s", s.Schema, study.SweepSchema)
	}
	for i, b := range s.Bars {
		if b.Path == "" {
			return nil, fmt.Errorf("bars[%d]: no path; want the parameter's path", i)
		}
	}
	return &s, nil
}

// DecodeTrace reads trace.csv (docs/output.md): cycle, time, alive, a
// column per condition's state, background.
func DecodeTrace(b []byte) (report.Trace, error) {
	var tr report.Trace
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return tr, err
	}
	if len(rows) == 0 || len(rows[0]) < 4 || rows[0][0] != "cycle" || rows[0][1] != "time" || rows[0][2] != "alive" || rows[0][len(rows[0])-1] != "background" {
		return tr, fmt.Errorf("want a header cycle,time,alive,<condition.state>...,background")
	}
	head := rows[0]
	tr.States = append([]string(nil), head[3:len(head)-1]...)
	for i, row := range rows[1:] {
		if len(row) != len(head) {
			return tr, fmt.Errorf("line %d: %d columns, want %d", i+2, len(row), len(head))
		}
		x := make([]float64, len(row))
		for j, f := range row {
			if x[j], err = strconv.ParseFloat(f, 64); err != nil {
				return tr, fmt.Errorf("line %d, %s: %q is not a number", i+2, head[j], f)
			}
		}
		tr.Rows = append(tr.Rows, report.TraceRow{Cycle: int(x[0]), Time: x[1], Alive: x[2],
			States: x[3 : len(x)-1], Background: x[len(x)-1]})
	}
	return tr, nil
}

// decode reads JSON into v; fields it does not know are left out (a newer
// summary within the same schema only adds fields).
func decode(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	return d.Decode(v)
}
