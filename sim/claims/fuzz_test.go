package claims

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReader: any file is read without a panic, every row is kept or
// rejected, and every problem of a rejected row has its row.
func FuzzReader(f *testing.F) {
	head := strings.Join(Columns, ",") + "\n"
	f.Add([]byte(head + "p,county,inpatient,stroke,70,M,2025-03-01,2025-03-10,9,8000,5000,3000,0,\n"))
	f.Add([]byte(head + "p,county,outpatient,,70,F,2025-03-01,2025-03-01,0,80,50,30,1,3\n\"x\n"))
	f.Add([]byte("provider\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), "f.csv")
		if err != nil {
			return
		}
		var c Claim
		kept := 0
		for r.Next(&c) {
			kept++
		}
		if r.Err() != nil {
			return
		}
		s := r.Summary()
		if s.Kept != kept || s.Kept+s.Rejected != s.Rows {
			t.Fatalf("summary %+v, %d kept", s, kept)
		}
		rows := map[int]bool{}
		for _, e := range r.Errors() {
			if e.Pos.Row < 2 || e.Pos.File != "f.csv" {
				t.Fatalf("%v: no row", e)
			}
			rows[e.Pos.Row] = true
		}
		if len(rows) != s.Rejected {
			t.Fatalf("%d rows with problems, %d rejected", len(rows), s.Rejected)
		}
	})
}
