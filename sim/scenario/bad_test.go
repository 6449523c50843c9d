package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const badDir = "../../testdata/bad"

// errorComment matches the expectations of bad inputs: # ERROR "message".
var errorComment = regexp.MustCompile(`# ERROR ("(?:[^"\\]|\\.)*")`)

// expectations returns the expected message substrings of a file by line.
func expectations(t *testing.T, file string) map[int][]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{}
	for i, line := range strings.Split(string(data), "\n") {
		for _, m := range errorComment.FindAllStringSubmatch(line, -1) {
			msg, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s:%d: bad ERROR comment %s: %v", file, i+1, m[1], err)
			}
			want[i+1] = append(want[i+1], msg)
		}
	}
	return want
}

// scenarioErrors unwraps a loader error into its *Error values.
func scenarioErrors(t *testing.T, err error) []*Error {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not joined: %v", err, err)
	}
	var errs []*Error
	for _, e := range j.Unwrap() {
		var se *Error
		if !errors.As(e, &se) {
			t.Fatalf("error %T is not an *Error: %v", e, e)
		}
		errs = append(errs, se)
	}
	return errs
}

// TestBadInputs loads every testdata/bad/*.yaml and checks that each
// # ERROR "msg" comment has an error on its line containing msg, and that
// every error is on a line with such a comment.
func TestBadInputs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(badDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found %d bad inputs, want at least 20", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want := expectations(t, file)
			if len(want) == 0 {
				t.Fatalf("%s has no ERROR comments", file)
			}
			s, err := Load(file, nil)
			if err == nil {
				t.Fatalf("Load(%s) = %s, nil; want errors", file, s.Name)
			}
			errs := scenarioErrors(t, err)
			found := map[int][]string{}
			for _, e := range errs {
				if e.Pos.File != file || want[e.Pos.Line] == nil {
					t.Errorf("unexpected error %v", e)
					continue
				}
				found[e.Pos.Line] = append(found[e.Pos.Line], e.Msg)
			}
			for line, msgs := range want {
			next:
				for _, w := range msgs {
					for _, got := range found[line] {
						if strings.Contains(got, w) {
							continue next
						}
					}
					t.Errorf("%s:%d: no error containing %q; got %q", file, line, w, found[line])
				}
			}
		})
	}
}

// TestBaseOK checks that the scenario the bad inputs extend is valid.
func TestBaseOK(t *testing.T) {
	if _, err := Load(filepath.Join(badDir, "base", "ok.yaml"), nil); err != nil {
		t.Fatalf("Load(base/ok.yaml): %v", err)
	}
}

// TestErrorFormat checks the form of error strings: file:line:col: message,
// one error per line, sorted by position.
func TestErrorFormat(t *testing.T) {
	file := filepath.Join(badDir, "two_mistakes.yaml")
	_, err := Load(file, nil)
	if err == nil {
		t.Fatalf("Load(%s) = nil error; want two errors", file)
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		file + ":3:8: years: 0 is out of range; want 1 to 200",
		file + ":5:11: fund.growth: 2 is out of range; want -0.5 to 1",
	}
	if len(lines) != len(want) {
		t.Fatalf("Load(%s) error =\n%s\nwant\n%s", file, err, strings.Join(want, "\n"))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("error line %d = %q, want %q", i, lines[i], want[i])
		}
	}
	var se *Error
	if !errors.As(err, &se) || se.Pos.Line != 3 || se.Pos.Col != 8 {
		t.Errorf("errors.As(err, *Error) = %v, want the error at line 3, column 8", se)
	}
}
