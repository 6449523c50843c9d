package brief

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/study"
)

// A Source is what one output folder holds: the summary of a run
// (summary.json), a comparison (compare.json), or both.
type Source struct {
	Dir     string
	Run     *report.Summary
	Compare *Comparison
}

// Comparison is compare.json as paysim compare writes it
// (docs/output.md): the figures that are undefined in a year are null,
// here nil.
type Comparison struct {
	Schema     string           `json:"schema"`
	Scenarios  []string         `json:"scenarios"`
	Seed       uint64           `json:"seed"`
	Replicates int              `json:"replicates"`
	Currency   string           `json:"currency"`
	Rows       []CompareRow     `json:"rows"`
	Economics  *study.Economics `json:"economics"`
}

// CompareRow is one figure in one year (Year 0: the whole run), by scenario.
type CompareRow struct {
	Metric       string     `json:"metric"`
	Label        string     `json:"label"`
	Year         int        `json:"year"`
	Mean         []*float64 `json:"mean"`
	Half         []*float64 `json:"half_width_95"`
	Delta        []*float64 `json:"delta"`
	DeltaHalf    []*float64 `json:"delta_half_width_95"`
	UnpairedHalf []*float64 `json:"unpaired_half_width_95"`
}

// Read reads the output folder dir: its summary.json, its compare.json, or
// both. A folder with neither is an error.
func Read(dir string) (*Source, error) {
	src := &Source{Dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	switch {
	case err == nil:
		if src.Run, err = DecodeSummary(b); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	b, err = os.ReadFile(filepath.Join(dir, "compare.json"))
	switch {
	case err == nil:
		if src.Compare, err = DecodeComparison(b); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "compare.json"), err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	if src.Run == nil && src.Compare == nil {
		return nil, fmt.Errorf("%s: no summary.json or compare.json; want a folder paysim run --out or paysim compare --out wrote", dir)
	}
	return src, nil
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

// decode reads JSON into v; fields it does not know are left out (a newer
// summary within the same schema only adds fields).
func decode(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	return d.Decode(v)
}
