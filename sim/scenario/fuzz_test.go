package scenario

import (
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzLoad checks properties of the loader on any input: it does not panic,
// every error is an *Error with a file, and an accepted scenario validates
// again. The input is read both alone (Parse) and as a file that may extend
// the valid base scenario (LoadFS), with one --set.
func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob("../../testdata/*/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	files = append(files, baseFile)
	for _, file := range files {
		f.Add(readFile(f, file), "")
	}
	f.Add(readFile(f, baseFile), "tiers.county.capability=2")
	f.Add([]byte("extends: base/ok.yaml\n"), "conditions.hypertension.transitions.none->undiagnosed.prob=0.1")
	f.Add([]byte("extends: base/ok.yaml\n"+
		"responses: {baseline: need, mild: 0.4, prevention: {effort: 0.5, complications: 0.1}}\n"+
		"consortia:\n"+
		"  - {name: alliance, tiers: [township, county], referral: {pull: 0.3, down: 0.2}, protocols: [{condition: hypertension, effort: 0.4}]}\n"),
		"responses.los=0.2")
	base := readFile(f, baseFile)

	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		s, err := Parse("fuzz.yaml", data, sets)
		check(t, s, err)
		fsys := fstest.MapFS{
			"fuzz.yaml":    {Data: data},
			"base/ok.yaml": {Data: base},
		}
		s, err = LoadFS(fsys, "fuzz.yaml", sets)
		check(t, s, err)
	})
}

func check(t *testing.T, s *Scenario, err error) {
	t.Helper()
	if err != nil {
		if s != nil {
			t.Fatalf("got a scenario and an error: %v", err)
		}
		j, ok := err.(interface{ Unwrap() []error })
		if !ok {
			t.Fatalf("error %T is not an errors.Join: %v", err, err)
		}
		errs := j.Unwrap()
		if len(errs) == 0 {
			t.Fatalf("empty error")
		}
		for _, e := range errs {
			se, ok := e.(*Error)
			if !ok {
				t.Fatalf("error %T is not an *Error: %v", e, e)
			}
			if se.Pos.File == "" {
				t.Fatalf("error without a file: %v", se)
			}
		}
		return
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("accepted scenario does not validate again: %v", err)
	}
}

// FuzzSet checks --set on the valid base scenario: any path and value is
// applied or refused with errors at --set or in the file, never a panic,
// and an accepted result validates again.
func FuzzSet(f *testing.F) {
	for _, s := range []string{
		"tiers.county.capability=2", "population.size=abc", "payment.everything={method: drg, drg: {base_rate: abc}}",
		"conditions.hypertension.transitions.none->undiagnosed.prob=0.1", "trends={price: {inpatient: 0.02}}",
		"population.age_bands[0].utility=0.9", "tiers[9].x=1", "=1", "a..b=1", "population.admissions={stroke: 1}",
		"consortia=[{name: c, tiers: [county], budget: {base: income, income_share: 0.5, tier_shares: {county: 1}}}]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		s, err := Load(baseFile, []string{set})
		check(t, s, err)
	})
}
