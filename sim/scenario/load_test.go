package scenario

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var (
	minimalFile = filepath.Join("..", "..", "testdata", "good", "minimal.yaml")
	baseFile    = filepath.Join(badDir, "base", "ok.yaml")
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wantErrors checks that err holds exactly one *Error per entry of want,
// in order, each at the given file and line and containing the message.
func wantErrors(t *testing.T, err error, want []Error) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %d errors", len(want))
	}
	got := scenarioErrors(t, err)
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(got), len(want), err)
	}
	for i, w := range want {
		g := got[i]
		if g.Pos.File != w.Pos.File || g.Pos.Line != w.Pos.Line || !strings.Contains(g.Msg, w.Msg) {
			t.Errorf("error %d = %v, want %s:%d: …%s…", i, g, w.Pos.File, w.Pos.Line, w.Msg)
		}
	}
}

func TestLoadMinimal(t *testing.T) {
	s, err := Load(minimalFile, nil)
	if err != nil {
		t.Fatalf("Load(%s): %v", minimalFile, err)
	}
	if s.File != minimalFile {
		t.Errorf("File = %q, want %q", s.File, minimalFile)
	}
	if s.Name != "minimal" || s.Years != 10 || s.Population.Size != 20000 {
		t.Errorf("name, years, size = %q, %d, %d; want minimal, 10, 20000", s.Name, s.Years, s.Population.Size)
	}
	// Defaults.
	if s.Cycle != Month {
		t.Errorf("Cycle = %q, want month", s.Cycle)
	}
	if want := []Township{{Name: "all", Weight: 1}}; !reflect.DeepEqual(s.Population.Townships, want) {
		t.Errorf("Townships = %v, want %v", s.Population.Townships, want)
	}
	if want := []Provider{{Name: "clinic", Tier: "clinic"}}; !reflect.DeepEqual(s.Providers, want) {
		t.Errorf("Providers = %v, want %v", s.Providers, want)
	}
	if s.Population.MaleMortality != nil || s.Tiers[0].CostToCharge != nil || s.Benefit.Tiers[0].Outpatient.Eligible != nil {
		t.Errorf("pointer defaults were filled in; want nil")
	}
	// Positions.
	for path, want := range map[string]Pos{
		"population.size":                   {minimalFile, 6, 9},
		"population":                        {minimalFile, 5, 1},
		"population.age_bands":              {minimalFile, 7, 3},
		"population.age_bands[0]":           {minimalFile, 8, 7},
		"population.age_bands[0].weight":    {minimalFile, 8, 45},
		"tiers":                             {minimalFile, 9, 1},
		"benefit.tiers[0].outpatient.ratio": {minimalFile, 16, 27},
	} {
		if got := s.Pos[path]; got != want {
			t.Errorf("Pos[%q] = %v, want %v", path, got, want)
		}
	}
	if got, want := s.At("population.age_bands[0].utility"), s.Pos["population.age_bands[0]"]; got != want {
		t.Errorf("At(unset utility) = %v, want the band's position %v", got, want)
	}
	if got := s.At("nothing.here"); got != (Pos{File: minimalFile}) {
		t.Errorf("At(nothing.here) = %v, want the file", got)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate() after Load = %v, want nil", err)
	}
}

func TestLoadBase(t *testing.T) {
	s, err := Load(baseFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Conditions[0]
	if want := (Dist{{"none", 0.5}, {"undiagnosed", 0.2}, {"uncontrolled", 0.15}, {"controlled", 0.15}}); !reflect.DeepEqual(c.Initial[1].States, want) {
		t.Errorf("Initial[1].States = %v, want %v (file order)", c.Initial[1].States, want)
	}
	tr := c.Transitions[3]
	if tr.Rate == nil || *tr.Rate != 0.2 || tr.Prob != nil || len(tr.ByYears) != 2 || tr.ByYears[1] != (Step{5, 1.2}) {
		t.Errorf("Transitions[3] = %+v, want rate 0.2 and two steps", tr)
	}
	if p := s.Pos["conditions[0].initial[1].states.undiagnosed"]; p.Line != 49 || p.Col != 42 {
		t.Errorf("Pos of an initial share = %v, want 49:42", p)
	}
	if p := s.Pos["conditions[0].transitions[3].by_years[1].factor"]; p.Line != 54 {
		t.Errorf("Pos of a by_years factor = %v, want line 54", p)
	}
	if g := s.Groups[1]; g.Rehab == nil || *g.Rehab != (Rehab{Share: 0.4, Tier: "township", LOS: 20}) || *g.RW != 2.5 {
		t.Errorf("Groups[1] = %+v, want rw 2.5 and a rehab at the township", g)
	}
	if s.Seed != 7 || s.Population.MaleMortality == nil || *s.Population.MaleMortality != 1.2 {
		t.Errorf("seed, male_mortality = %d, %v; want 7, 1.2", s.Seed, s.Population.MaleMortality)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load("no/such/file.yaml", nil)
	wantErrors(t, err, []Error{{Pos: Pos{File: "no/such/file.yaml"}, Msg: "cannot read the scenario"}})
}

// TestValidateAgain changes an accepted scenario and validates it again.
func TestValidateAgain(t *testing.T) {
	s, err := Load(minimalFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Population.Size = 0
	s.DiscountRate = math.NaN()
	wantErrors(t, s.Validate(), []Error{
		{Pos: Pos{File: minimalFile}, Msg: "discount_rate: NaN is not a finite number"}, // no position: sorts first
		{Pos: Pos{File: minimalFile, Line: 6}, Msg: "population.size: 0 is out of range"},
	})

	// A scenario built in code, without positions or defaults.
	s = &Scenario{
		Version: 1, Name: "code", Years: 1,
		Population: Population{Size: 10, AgeBands: []AgeBand{{Name: "all", To: 120, Weight: 1}}},
		Tiers:      []Tier{{Name: "clinic", Outpatient: true, VisitCharges: 1}},
		Benefit:    Benefit{InpatientCeiling: 1},
		Payment:    []Binding{{Method: "ffs"}},
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate(scenario built in code) = %v, want nil", err)
	}
}

// TestDecode checks how scalars are read.
func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		set  string
		want func(s *Scenario) bool
	}{
		{"population.size=2e4", func(s *Scenario) bool { return s.Population.Size == 20000 }},
		{"population.size=20_000", func(s *Scenario) bool { return s.Population.Size == 20000 }},
		{"seed=0x10", func(s *Scenario) bool { return s.Seed == 16 }},
		{"population.male_share=1", func(s *Scenario) bool { return s.Population.MaleShare == 1 }},
		{"population.male_mortality=~", func(s *Scenario) bool { return s.Population.MaleMortality == nil }},
		{"description=123", func(s *Scenario) bool { return s.Description == "123" }},
		{"tiers.village.primary=false", func(s *Scenario) bool { return !s.Tiers[0].Primary }},
	} {
		s, err := Load(baseFile, []string{tc.set})
		if err != nil {
			t.Errorf("Load(--set %s): %v", tc.set, err)
			continue
		}
		if !tc.want(s) {
			t.Errorf("Load(--set %s) did not set the value", tc.set)
		}
	}
	for _, tc := range []struct{ set, msg string }{
		{"population.size=2.5", `population.size: 2.5 is not an integer`},
		{"population.size=1e30", `population.size: 1e30 is out of range for an integer`},
		{"population.size=99999999999999999999", `is out of range for an integer`},
		{"seed=-1", `seed: -1 is not an integer from 0`},
		{"tiers.village.primary=yes", `tiers[0].primary: "yes" is not true or false`},
		{"population.male_share=.inf", `population.male_share: .inf is not a finite number`},
		{"population.male_share=1e999", `population.male_share: "1e999" is not a number`}, // yaml.v3 reads it as a string
		{"name=[a]", `name: found a sequence, want a string`},
		{"population.admissions=[a]", `population.admissions: found a sequence, want a mapping of names to numbers`},
		{"population.admissions={stroke: ~}", `population.admissions.stroke: found null, want a number`},
	} {
		_, err := Load(baseFile, []string{tc.set})
		wantErrors(t, err, []Error{{Pos: setPos, Msg: tc.msg}})
	}
}

// TestYAMLFeatures checks anchors, aliases, merge keys and what yaml.v3
// leaves to the loader.
func TestYAMLFeatures(t *testing.T) {
	base := string(readFile(t, minimalFile))
	s, err := Parse("a.yaml", []byte(strings.Replace(base,
		"  - {name: clinic, primary: true, outpatient: true, visit_charges: 80}",
		"  - &clinic {name: clinic, primary: true, outpatient: true, visit_charges: 80}\n"+
			"  - {<<: *clinic, name: hospital, primary: false}", 1)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Tier{Name: "hospital", Outpatient: true, VisitCharges: 80}); !reflect.DeepEqual(s.Tiers[1], want) {
		t.Errorf("merged tier = %+v, want %+v", s.Tiers[1], want)
	}

	for _, tc := range []struct {
		name, doc string
		line      int
		msg       string
	}{
		{"self alias", "version: 1\nname: &a [*a]\n", 2, "alias *a is inside its own anchor"},
		{"two documents", "version: 1\n---\nversion: 1\n", 2, "a second YAML document"},
		{"key not a scalar", "version: 1\n[a]: 1\n", 2, "a sequence as a key"},
		{"merge a scalar", "version: 1\npopulation: {<<: 3}\n", 2, "<< merges 3; want a mapping"},
		{"not a mapping", "- 1\n- 2\n", 1, "the scenario: found a sequence, want a mapping"},
		{"null document", "~\n", 0, "version: 0 is not known"}, // found by FuzzLoad: lost the file name
		{"syntax", "version: 1\nname: 'x\n", 2, "invalid YAML"},
		{"tab", "version: 1\n\tname: x\n", 2, "invalid YAML: found a tab character"},
	} {
		_, err := Parse("a.yaml", []byte(tc.doc), nil)
		if err == nil {
			t.Errorf("%s: Parse = nil error, want %q", tc.name, tc.msg)
			continue
		}
		found := false
		for _, e := range scenarioErrors(t, err) {
			found = found || e.Pos.File == "a.yaml" && e.Pos.Line == tc.line && strings.Contains(e.Msg, tc.msg)
		}
		if !found {
			t.Errorf("%s: Parse error =\n%v\nwant one at line %d containing %q", tc.name, err, tc.line, tc.msg)
		}
	}

	// Aliases that would expand to a billion values stop early.
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		laughs += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+", ", 9) + "*" + string(prev) + "]\n"
	}
	start := time.Now()
	_, err = Parse("laughs.yaml", []byte(laughs), nil)
	if err == nil || !strings.Contains(err.Error(), "after expanding aliases") {
		t.Errorf("Parse(billion laughs) error = %v, want too many values", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Parse(billion laughs) took %v", d)
	}

	// An empty file is a scenario with nothing in it.
	_, err = Parse("empty.yaml", nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "empty.yaml: version: 0 is not known; want 1") {
		t.Errorf("Parse(empty) error = %v, want version: 0 first", err)
	}
}

func TestParseExtends(t *testing.T) {
	_, err := Parse("x.yaml", []byte("extends: base.yaml\nyears: 3\n"), nil)
	wantErrors(t, err, []Error{{Pos: Pos{File: "x.yaml", Line: 1}, Msg: `extends "base.yaml" needs a file`}})
}

// extendsFS is a folder of scenarios that extend each other.
func extendsFS(t *testing.T) fstest.MapFS {
	base := readFile(t, baseFile)
	return fstest.MapFS{
		"sc/base.yaml": {Data: base},
		"sc/child.yaml": {Data: []byte(`extends: base.yaml
name: child
years: 8
tiers:
  - {name: county, capability: 2.5}
  - {name: city, outpatient: true, visit_charges: 300}
conditions:
  - name: hypertension
    transitions:
      - {from: none, to: undiagnosed, rate: 0.03}
groups:
  - name: stroke
    by_tier:
      - {tier: county, los: 10}
population:
  townships: [{name: east, weight: 0.4}, {name: north, weight: 0.1}]
benefit:
  tiers:
    - tier: outside
      inpatient: {ratio: 0.6}
`)},
		// a ← sub/b ← c, with a mistake in each.
		"sc/a.yaml": {Data: []byte(strings.Replace(string(base), "growth: 0.05", "growth: 3", 1))},
		"sc/sub/b.yaml": {Data: []byte(`extends: ../a.yaml
tiers:
  - name: county
    capability: -1
`)},
		"sc/c.yaml": {Data: []byte(`extends: sub/b.yaml
years: 0
`)},
		"sc/x.yaml":      {Data: []byte("extends: y.yaml\nname: x\n")},
		"sc/y.yaml":      {Data: []byte("name: y\nextends: x.yaml\n")},
		"sc/escape.yaml": {Data: []byte("extends: ../base.yaml\n")},
		"sc/abs.yaml":    {Data: []byte("extends: /sc/base.yaml\n")},
		"sc/list.yaml":   {Data: []byte("extends: [base.yaml]\n")},
		"sc/dup.yaml": {Data: []byte(`extends: base.yaml
tiers:
  - {name: county, capability: 3}
  - {name: county, capability: 4}
`)},
		"base.yaml": {Data: base},
	}
}

func TestExtends(t *testing.T) {
	fsys := extendsFS(t)
	s, err := LoadFS(fsys, "sc/child.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Scalars are replaced; named items merge and new ones are appended.
	if s.Name != "child" || s.Years != 8 || s.StartYear != 2025 {
		t.Errorf("name, years, start_year = %q, %d, %d; want child, 8, 2025", s.Name, s.Years, s.StartYear)
	}
	var tiers []string
	for _, tr := range s.Tiers {
		tiers = append(tiers, tr.Name)
	}
	if want := []string{"village", "township", "county", "outside", "city"}; !reflect.DeepEqual(tiers, want) {
		t.Errorf("tiers = %v, want %v", tiers, want)
	}
	county := s.Tiers[2]
	if county.Capability != 2.5 || county.VisitCharges != 150 || county.CostToCharge == nil || *county.CostToCharge != 0.8 {
		t.Errorf("county = %+v, want capability 2.5 from the child, the rest from the base", county)
	}
	tr := s.Conditions[0].Transitions[0]
	if *tr.Rate != 0.03 || !reflect.DeepEqual(tr.ByBand, Dist{{"60+", 2}}) {
		t.Errorf("transition none → undiagnosed = %+v, want rate 0.03 and the base's by_band", tr)
	}
	if gt := s.Groups[1].ByTier[0]; gt != (GroupTier{Tier: "county", Charges: 20000, LOS: 10}) {
		t.Errorf("stroke at county = %+v, want charges from the base, los from the child", gt)
	}
	if want := []Township{{"east", 0.4}, {"west", 0.5}, {"north", 0.1}}; !reflect.DeepEqual(s.Population.Townships, want) {
		t.Errorf("townships = %v, want %v", s.Population.Townships, want)
	}
	if tb := s.Benefit.Tiers[3]; tb.Tier != "outside" || tb.Inpatient.Ratio != 0.6 || tb.Inpatient.Deductible != 1500 {
		t.Errorf("benefit at outside = %+v, want ratio 0.6 and deductible 1500", tb)
	}
	// Every value keeps the file it was written in.
	for path, file := range map[string]string{
		"tiers[2].capability":    "sc/child.yaml",
		"tiers[2].visit_charges": "sc/base.yaml",
		"tiers[4]":               "sc/child.yaml",
		"population.size":        "sc/base.yaml",
		"years":                  "sc/child.yaml",
	} {
		if got := s.Pos[path].File; got != file {
			t.Errorf("Pos[%q].File = %q, want %q", path, got, file)
		}
	}
}

func TestExtendsErrors(t *testing.T) {
	fsys := extendsFS(t)
	for _, tc := range []struct {
		file string
		want []Error
	}{
		{"sc/c.yaml", []Error{
			{Pos: Pos{File: "sc/a.yaml", Line: 101}, Msg: "fund.growth: 3 is out of range"},
			{Pos: Pos{File: "sc/c.yaml", Line: 2}, Msg: "years: 0 is out of range"},
			{Pos: Pos{File: "sc/sub/b.yaml", Line: 4}, Msg: "tiers[2].capability: -1 is negative"},
		}},
		{"sc/x.yaml", []Error{{Pos: Pos{File: "sc/y.yaml", Line: 2}, Msg: `extends "x.yaml" makes a cycle: sc/x.yaml → sc/y.yaml → sc/x.yaml`}}},
		{"sc/escape.yaml", []Error{{Pos: Pos{File: "sc/escape.yaml", Line: 1}, Msg: `extends "../base.yaml" leaves the scenario's folder sc`}}},
		{"sc/abs.yaml", []Error{{Pos: Pos{File: "sc/abs.yaml", Line: 1}, Msg: `extends "/sc/base.yaml" is not a relative path`}}},
		{"sc/list.yaml", []Error{{Pos: Pos{File: "sc/list.yaml", Line: 1}, Msg: `extends: found a sequence; want the name of a file`}}},
		{"sc/dup.yaml", []Error{{Pos: Pos{File: "sc/dup.yaml", Line: 4}, Msg: `tiers[4].name: tier "county" is already defined by tiers[2]`}}},
		{"sc/none.yaml", []Error{{Pos: Pos{File: "sc/none.yaml"}, Msg: `cannot read the scenario`}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := LoadFS(fsys, tc.file, nil)
			wantErrors(t, err, tc.want)
		})
	}
}

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		set  string
		path string // whose position must be --set
		want func(s *Scenario) bool
	}{
		{"population.size=20000", "population.size", func(s *Scenario) bool { return s.Population.Size == 20000 }},
		{"tiers.county.capability=2", "tiers[2].capability", func(s *Scenario) bool { return s.Tiers[2].Capability == 2 }},
		{"conditions.hypertension.states.controlled.visits=6", "conditions[0].states[3].visits",
			func(s *Scenario) bool { return s.Conditions[0].States[3].Visits == 6 }},
		{"benefit.tiers.county.inpatient.ratio=0.8", "benefit.tiers[2].inpatient.ratio",
			func(s *Scenario) bool { return s.Benefit.Tiers[2].Inpatient.Ratio == 0.8 }},
		{"conditions.hypertension.transitions.none->undiagnosed.rate=0.05", "conditions[0].transitions[0].rate",
			func(s *Scenario) bool { return *s.Conditions[0].Transitions[0].Rate == 0.05 }},
		{"tiers[0].visit_charges=35", "tiers[0].visit_charges", func(s *Scenario) bool { return s.Tiers[0].VisitCharges == 35 }},
		{"tiers.1.visit_charges=70", "tiers[1].visit_charges", func(s *Scenario) bool { return s.Tiers[1].VisitCharges == 70 }},
		{"groups.stroke.by_tier.outside.los = 15", "groups[1].by_tier[1].los", func(s *Scenario) bool { return s.Groups[1].ByTier[1].LOS == 15 }},
		{"tiers.village.constants.visit=1.5", "tiers[0].constants", // creates constants
			func(s *Scenario) bool { return s.Tiers[0].Constants.Visit == 1.5 }},
		{"population.admissions={stroke: 1}", "population.admissions.stroke",
			func(s *Scenario) bool { return reflect.DeepEqual(s.Population.Admissions, Dist{{"stroke", 1}}) }},
		{"payment=[{method: ffs, services: [outpatient, inpatient, long_stay]}]", "payment[0].services[2]",
			func(s *Scenario) bool { return len(s.Payment) == 1 && s.Payment[0].Name == "" }},
		{"cycle=year", "cycle", func(s *Scenario) bool { return s.Cycle == Year }},
	} {
		s, err := Load(baseFile, []string{tc.set})
		if err != nil {
			t.Errorf("--set %s: %v", tc.set, err)
			continue
		}
		if !tc.want(s) {
			t.Errorf("--set %s did not set the value", tc.set)
		}
		if p := s.Pos[tc.path]; p != setPos {
			t.Errorf("--set %s: Pos[%q] = %v, want %v", tc.set, tc.path, p, setPos)
		}
	}

	// Later sets win.
	s, err := Load(baseFile, []string{"years=3", "years=4"})
	if err != nil || s.Years != 4 {
		t.Errorf("--set years=3 --set years=4: years = %v, %v; want 4", s, err)
	}
}

func TestSetErrors(t *testing.T) {
	for _, tc := range []struct{ set, msg string }{
		{"nope", `--set "nope": no '='; want path=value`},
		{"=1", `--set "=1": empty path`},
		{"tiers..x=1", `--set "tiers..x=1": malformed path`},
		{"tiers[x]=1", `malformed path`},
		{"tiers.nosuch.capability=1", `--set "tiers.nosuch.capability=1": no item "nosuch" in tiers`},
		{"tiers[9].capability=1", `no item [9] in tiers`},
		{"years.x=1", `years is 5, a single value; cannot select "x" in it`},
		{"population[0]=1", `population is a mapping; want a key, not [0]`},
		{"population.nosuch=1", `unknown key "nosuch" in population; want one of size,`},
		{"population.nosuch.deeper=1", `unknown key "nosuch" in population`},
		{"population.size=[1", `--set "population.size=[1": invalid YAML`},
		{"extends=x.yaml", `extends cannot be set`},
		{"population.size=abc", `population.size: "abc" is not an integer`},
		// A bad value inside a method's block is one error: not also a block missing.
		{"payment.everything={method: drg, drg: {base_rate: abc}}", `payment[0].drg.base_rate: "abc" is not a number`},
	} {
		_, err := Load(baseFile, []string{tc.set})
		wantErrors(t, err, []Error{{Pos: setPos, Msg: tc.msg}})
	}
	// All of them at once.
	_, err := Load(baseFile, []string{"nope", "=1", "years.x=1"})
	if got := len(scenarioErrors(t, err)); got != 3 {
		t.Errorf("three bad sets give %d errors, want 3:\n%v", got, err)
	}
	var se *Error
	if !errors.As(err, &se) || se.Pos != setPos || !strings.HasPrefix(err.Error(), "--set: --set ") {
		t.Errorf("error = %v, want errors at --set", err)
	}
}

// TestCurrencySymbol: reports print the sign of the common currencies, the
// code of the others, and ¥ for a scenario that sets none.
func TestCurrencySymbol(t *testing.T) {
	for c, want := range map[Currency]string{"": "¥", "CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "CHF": "CHF"} {
		if got := c.Symbol(); got != want {
			t.Errorf("Currency(%q).Symbol() = %q, want %q", c, got, want)
		}
	}
	for c, want := range map[Currency]string{"": "¥", "USD": "$", "CHF": "CHF "} {
		if got := c.Prefix(); got != want {
			t.Errorf("Currency(%q).Prefix() = %q, want %q", c, got, want)
		}
	}
}

// TestExtendsBuiltin: extends names a built-in scenario when no file of
// that name is beside the scenario, and the built-in one's own extends stay
// among the built-in scenarios.
func TestExtendsBuiltin(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s, err := Load(write("mine.yaml", "extends: county-drg\nname: mine\nyears: 2\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// county-drg.yaml extends county-ffs.yaml: its population comes from there.
	if s.Name != "mine" || s.Years != 2 || s.Population.Size != 250000 || len(s.Payment) == 0 {
		t.Errorf("name, years, size, bindings = %q, %d, %d, %d; want mine, 2, 250000 from county-ffs and county-drg's bindings",
			s.Name, s.Years, s.Population.Size, len(s.Payment))
	}
	for path, file := range map[string]string{
		"years":           filepath.Join(dir, "mine.yaml"),
		"payment[0]":      "built-in/county-drg.yaml",
		"population.size": "built-in/county-ffs.yaml",
	} {
		if got := s.Pos[path].File; got != file {
			t.Errorf("Pos[%q].File = %q, want %q", path, got, file)
		}
	}
	for _, ext := range []string{"county-ffs.yaml", "teaching/markov-4state", "scenarios/county-ffs"} {
		if _, err := Load(write("x.yaml", "extends: "+ext+"\nname: x\n"), nil); err != nil {
			t.Errorf("extends: %s: %v", ext, err)
		}
	}
	// A file beside the scenario comes first.
	write("county-ffs.yaml", "extends: county-ffs\nname: local\nyears: 3\n")
	s, err = Load(write("y.yaml", "extends: county-ffs.yaml\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "local" || s.Years != 3 {
		t.Errorf("name, years = %q, %d; want local, 3 from the file beside it", s.Name, s.Years)
	}
	// A misspelt name is an error at the extends line, with a suggestion.
	_, err = Load(write("z.yaml", "name: z\nextends: contry-ffs\n"), nil)
	wantErrors(t, err, []Error{{Pos: Pos{File: filepath.Join(dir, "z.yaml"), Line: 2},
		Msg: `; want a file relative to this one or a built-in scenario (paysim scenarios); did you mean "county-ffs"?`}})
}

func TestBuiltins(t *testing.T) {
	names := Builtins()
	if len(names) < 10 || names[0] != "county-dip" || !slices.Contains(names, "teaching/markov-4state") {
		t.Errorf("Builtins() = %v, want county-dip first and teaching/markov-4state among them", names)
	}
	for _, n := range names {
		if f, ok := Builtin(n); !ok || f != n+".yaml" {
			t.Errorf("Builtin(%q) = %q, %v; want %q, true", n, f, ok, n+".yaml")
		}
	}
	for _, n := range []string{"nope", "../county-ffs", "teaching", ""} {
		if f, ok := Builtin(n); ok {
			t.Errorf("Builtin(%q) = %q, true; want false", n, f)
		}
	}
}
