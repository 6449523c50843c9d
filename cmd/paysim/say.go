package main

import (
	"strings"

	"github.com/paysim/paysim/sim/brief"
	"github.com/paysim/paysim/sim/scenario"
)

// inLang is err's message in l: usage errors and scenario errors from the
// catalogue's "error." keys, the errors an errors.Join holds one line each,
// any other error by its text as a key (the operating system's "no such
// file or directory", say), or in English.
func inLang(err error, l brief.Lang) string {
	switch e := err.(type) {
	case *usageError:
		return e.in(l)
	case scenario.Phrase:
		return say(l, e.Format, e.Args, e.String())
	case *scenario.Error:
		if l == brief.En {
			return e.Error()
		}
		return e.Pos.String() + ": " + say(l, e.Format, e.Args, e.Msg)
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		en := make([]string, len(errs))
		lines := make([]string, len(errs))
		for i, e := range errs {
			en[i], lines[i] = e.Error(), inLang(e, l)
		}
		if strings.Join(en, "\n") == err.Error() { // an errors.Join, not an error that says more
			return strings.Join(lines, "\n")
		}
	}
	if s := err.Error(); !strings.Contains(s, "%") { // a key with no verbs
		return say(l, s, nil, s)
	}
	return err.Error()
}

// say is the message of an English format and its arguments in l, from the
// catalogue's key "error." + format; english (the message in English) when
// the catalogue lacks it. The arguments that are words are said in l too:
// a scenario.Phrase or a hint by its own key, an error as inLang says it.
func say(l brief.Lang, format string, args []any, english string) string {
	key := "error." + format
	if format == "" || !l.Has(key) {
		return english
	}
	in := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case scenario.Phrase:
			in[i] = say(l, a.Format, a.Args, a.String())
		case hint:
			in[i] = a.in(l)
		case error:
			in[i] = inLang(a, l)
		default:
			in[i] = a
		}
	}
	return l.T(key, in...)
}
