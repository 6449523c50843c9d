package report

import (
	"encoding/xml"
	"io"
)

// A TestCase is one check reported as JUnit XML: an expectation, or a
// figure compared by paysim diff.
type TestCase struct {
	Name    string
	Class   string
	Failure string // empty when the check passed
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes cases as one JUnit test suite (testsuites / testsuite /
// testcase / failure), the shape GitLab, Jenkins and GitHub read.
func WriteJUnit(w io.Writer, suite string, cases []TestCase) error {
	s := junitSuite{Name: suite, Tests: len(cases)}
	for _, c := range cases {
		jc := junitCase{Name: c.Name, Classname: c.Class, Time: "0"}
		if c.Failure != "" {
			s.Failures++
			jc.Failure = &junitFailure{Message: c.Failure, Text: c.Failure}
		}
		s.Cases = append(s.Cases, jc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{s}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
