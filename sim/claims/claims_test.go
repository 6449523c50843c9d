package claims

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/payment"
)

func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sample returns n claims, a stay every third.
func sample(n int) []Claim {
	out := make([]Claim, n)
	for i := range out {
		in := day("2025-01-01").AddDate(0, 0, i%365)
		c := Claim{Provider: "county-hospital", Tier: "county", Service: payment.Outpatient, Age: i % 100,
			Sex: Sex(i % 2), Admitted: in, Discharged: in, Charges: float64(100 + i%900), Readmit: NoReadmit}
		c.PatientPaid = c.Charges * 0.5
		c.FundPaid = c.Charges - c.PatientPaid
		if i%3 == 0 {
			c.Service, c.Group, c.LOS = payment.Inpatient, "stroke", 1+i%20
			c.Discharged = in.AddDate(0, 0, c.LOS)
			c.Charges *= 10
			c.PatientPaid, c.FundPaid = c.Charges*0.4, c.Charges*0.6
			c.Transfer = i%7 == 0
			if i%11 == 0 {
				c.Readmit = i % 30
			}
		}
		if i == 5 {
			c.Provider = `Hospital "No. 1", east` // quoted on writing
		}
		out[i] = c
	}
	return out
}

func write(t *testing.T, cs []Claim) []byte {
	var b bytes.Buffer
	w := NewWriter(&b)
	for i := range cs {
		require.NoError(t, w.Write(&cs[i]))
	}
	require.NoError(t, w.Flush())
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	cs := sample(300)
	r, err := NewReader(bytes.NewReader(write(t, cs)), "claims.csv")
	require.NoError(t, err)
	var c Claim
	i := 0
	for r.Next(&c) {
		assert.Equal(t, cs[i], c, "row %d", i+2)
		i++
	}
	require.NoError(t, r.Err())
	assert.Equal(t, len(cs), i)
	assert.Empty(t, r.Errors())
}

// A file with 1% malformed rows: every bad row is reported at its row and
// column, every good row is kept, and the summary counts them.
func TestMalformedRows(t *testing.T) {
	const n = 10000
	lines := strings.Split(strings.TrimSuffix(string(write(t, sample(n))), "\n"), "\n")
	// Each corruption changes one field (by its column, 1-based) of a row
	// and names the column and the message expected.
	type bad struct {
		col  int
		val  string
		msg  string
		name string
	}
	corrupt := []bad{
		{3, "surgery", `service: "surgery"; want outpatient, inpatient or long_stay`, "service"},
		{5, "-3", `age: "-3"; want an age in years`, "age"},
		{5, "", `age: ""; want an age in years`, "age"},
		{6, "X", `sex: "X"; want F or M`, "sex"},
		{7, "2025-13-01", `admitted: "2025-13-01"; want a date as YYYY-MM-DD`, "admitted"},
		{9, "abc", `los: "abc"; want a length of stay in days`, "los"},
		{10, "1,2", "", "row"}, // an unquoted comma: a field too many
		{10, "NaN", `charges: "NaN"; want an amount from 0 to 1e+12`, "charges"},
		{12, "1e13", `patient_paid: "1e13"; want an amount`, "patient_paid"},
		{13, "yes", `transfer: "yes"; want 1 (a transfer) or 0`, "transfer"},
	}
	want := map[int]bad{} // by row (line of the file)
	for k := range n / 100 {
		row := 2 + k*100 + 37 // a row after the header, 1% of them
		b := corrupt[k%len(corrupt)]
		f := strings.Split(lines[row-1], ",")
		if row-2 == 5 {
			t.Fatal("corrupting the quoted row would shift its columns")
		}
		f[b.col-1] = b.val
		lines[row-1] = strings.Join(f, ",")
		want[row] = b
	}
	r, err := NewReader(strings.NewReader(strings.Join(lines, "\n")+"\n"), "bad.csv")
	require.NoError(t, err)
	var c Claim
	kept := 0
	for r.Next(&c) {
		kept++
	}
	require.NoError(t, r.Err())
	s := r.Summary()
	assert.Equal(t, Summary{Rows: n, Kept: n - n/100, Rejected: n / 100,
		ByColumn: map[string]int{"service": 10, "age": 20, "sex": 10, "admitted": 10, "los": 10, "row": 10, "charges": 10, "patient_paid": 10, "transfer": 10}}, s)
	assert.Equal(t, n-n/100, kept)
	seen := map[int]bool{}
	for _, e := range r.Errors() {
		b, ok := want[e.Pos.Row]
		if !ok {
			t.Errorf("%v: a good row reported", e)
			continue
		}
		seen[e.Pos.Row] = true
		if b.name == "row" {
			assert.Equal(t, 0, e.Pos.Col, "%v", e)
			assert.Contains(t, e.Msg, "15 fields; want 14", "%v", e)
			continue
		}
		assert.Equal(t, b.col, e.Pos.Col, "%v", e)
		assert.Equal(t, "bad.csv:"+fmt.Sprint(e.Pos.Row)+":"+fmt.Sprint(b.col)+": "+e.Msg, e.Error())
		if !strings.HasPrefix(e.Msg, b.msg) {
			t.Errorf("%v: want message %q", e, b.msg)
		}
	}
	assert.Len(t, seen, n/100, "every bad row reported")
}

func TestRowChecks(t *testing.T) {
	head := strings.Join(Columns, ",") + "\n"
	for _, tc := range []struct {
		row  string
		want string // the error, "" for a good row
	}{
		{"p,county,inpatient,stroke,70,M,2025-03-01,2025-03-10,9,8000,5000,3000,0,", ""},
		{"p,county,inpatient,stroke,70,M,2025-03-01,2025-03-10,8,8000,5000,3000,0,", "f.csv:2:9: los: 8 days; want 9, the days from admission to discharge"},
		{"p,county,inpatient,stroke,70,M,2025-03-10,2025-03-01,9,8000,5000,3000,0,", "f.csv:2:8: discharged: 2025-03-01 is before the admission on 2025-03-10"},
		{"p,county,inpatient,,70,M,2025-03-01,2025-03-10,9,8000,5000,3000,0,", "f.csv:2:4: group: empty; want the group of the inpatient stay"},
		{"p,county,outpatient,stroke,70,M,2025-03-01,2025-03-01,0,80,50,30,0,", `f.csv:2:4: group: "stroke" for an outpatient visit; want it empty`},
		{"p,county,outpatient,,70,M,2025-03-01,2025-03-02,1,80,50,30,0,", "f.csv:2:9: los: 1 days for an outpatient visit; want 0 (admitted and discharged the same day)"},
		{"p,county,inpatient,stroke,70,M,2025-03-01,2025-03-10,9,8000,5000,9000,0,", "f.csv:2:12: patient_paid: 9000.00 is more than the charges 8000.00; want at most the charges"},
		{"p,county,outpatient,,70,M,2025-03-01,2025-03-01,0,80,50,30,0,4", "f.csv:2:14: readmit_days: 4 for outpatient care; want it empty (only inpatient stays are readmissions)"},
		{`p,county,"inpatient,stroke,70,M,2025-03-01,2025-03-10,9,8000,5000,3000,0,`, "f.csv:2:0: not a CSV row"},
	} {
		r, err := NewReader(strings.NewReader(head+tc.row+"\n"), "f.csv")
		require.NoError(t, err)
		var c Claim
		got := r.Next(&c)
		if tc.want == "" {
			assert.True(t, got, "%s: %v", tc.row, r.Errors())
			continue
		}
		require.False(t, got, tc.row)
		require.NotEmpty(t, r.Errors(), tc.row)
		if e := r.Errors()[0].Error(); !strings.HasPrefix(e, tc.want) {
			t.Errorf("%s: error %q, want %q", tc.row, e, tc.want)
		}
	}
}

func TestHeader(t *testing.T) {
	_, err := NewReader(strings.NewReader("provider,tier,colour\n"), "h.csv")
	var e *Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Contains(t, err.Error(), `h.csv:1:3: unknown column "colour"`)
	assert.Contains(t, err.Error(), `h.csv:1:0: no column "service"`)
	_, err = NewReader(strings.NewReader(""), "e.csv")
	assert.EqualError(t, err, "e.csv:1:0: the file is empty; want a header row naming the columns "+strings.Join(Columns, ","))
}
