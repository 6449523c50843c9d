package scenario

import (
	"errors"
	"fmt"
	"sort"
)

// Pos is a place in a scenario file. Values given on the command line with
// --set have File "--set" and no line.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// An Error is one problem in a scenario, at the node that caused it.
type Error struct {
	Pos Pos
	Msg string // what was found and what was expected

	// Format and Args are Msg before fmt.Sprintf made it: the English
	// format, the key by which a message catalogue says it in another
	// language, and its arguments, some of them Phrases to say in that
	// language too. Format is "" for an Error made with Msg alone.
	Format string
	Args   []any
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// At returns the position of the value at path (see Scenario.Pos), or of the
// closest enclosing value that has one, or the scenario's file.
func (s *Scenario) At(path string) Pos {
	for p := path; p != ""; p = parent(p) {
		if pos, ok := s.Pos[p]; ok {
			return pos
		}
	}
	return Pos{File: s.File}
}

// parent strips the last element of a path: "a.b[2].c" → "a.b[2]" → "a.b" → "a" → "".
func parent(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '.':
			return p[:i]
		case '[':
			return p[:i]
		}
	}
	return ""
}

// errorList collects Errors and joins them sorted by position.
type errorList []*Error

func (l *errorList) add(pos Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Format: format, Args: args})
}

// A Phrase is a part of a message that another language says in words of
// its own: an English format and its arguments. It prints as its English
// text with %s and %v; an Error's Args hold it where a message has such a
// part (a "did you mean", what kind of value was found, what a name names).
// It is an error too, for a reason a message quotes (why a file cannot be
// read).
type Phrase struct {
	Format string
	Args   []any
}

func phrase(format string, args ...any) Phrase { return Phrase{format, args} }

func (p Phrase) Error() string { return p.String() }

func (p Phrase) String() string {
	if p.Format == "" {
		return ""
	}
	return fmt.Sprintf(p.Format, p.Args...)
}

// phrase is e's message as a Phrase, for a message that quotes it.
func (e *Error) phrase() Phrase {
	if e.Format == "" {
		return phrase("%s", e.Msg)
	}
	return Phrase{e.Format, e.Args}
}

// err returns the collected errors sorted by file, line and column, joined
// with errors.Join; nil when there are none.
func (l errorList) err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errors.Join(errs...)
}
