package claims

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// A Writer writes claims as a CSV claims file: the header, then a row per
// claim, amounts to the cent. Call Flush at the end.
type Writer struct {
	w   *bufio.Writer
	b   []byte
	err error
}

// NewWriter writes the header of a claims file to w.
func NewWriter(w io.Writer) *Writer {
	cw := &Writer{w: bufio.NewWriterSize(w, 1<<16)}
	_, cw.err = cw.w.WriteString(strings.Join(Columns, ",") + "\n")
	return cw
}

// Write writes c as a row. Names with a comma, quote or line break are
// quoted.
func (w *Writer) Write(c *Claim) error {
	if w.err != nil {
		return w.err
	}
	b := w.b[:0]
	b = appendField(b, c.Provider)
	b = append(b, ',')
	b = appendField(b, c.Tier)
	b = append(b, ',')
	b = append(b, c.Service.String()...)
	b = append(b, ',')
	b = appendField(b, c.Group)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.Age), 10)
	b = append(b, ',')
	b = append(b, c.Sex.String()...)
	b = append(b, ',')
	b = c.Admitted.AppendFormat(b, DateLayout)
	b = append(b, ',')
	b = c.Discharged.AppendFormat(b, DateLayout)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.LOS), 10)
	for _, x := range [...]float64{c.Charges, c.FundPaid, c.PatientPaid} {
		b = append(b, ',')
		b = strconv.AppendFloat(b, x, 'f', 2, 64)
	}
	b = append(b, ',')
	if c.Transfer {
		b = append(b, '1')
	} else {
		b = append(b, '0')
	}
	b = append(b, ',')
	if c.Readmit != NoReadmit {
		b = strconv.AppendInt(b, int64(c.Readmit), 10)
	}
	b = append(b, '\n')
	w.b = b
	_, w.err = w.w.Write(b)
	return w.err
}

// Flush writes what is buffered.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// appendField appends s, quoted as CSV quotes it when it must be.
func appendField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") && strings.TrimSpace(s) == s {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
