package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// services are the services a binding may name.
var services = []string{Outpatient, Inpatient, LongStay}

const (
	maxSize      = 50_000_000  // persons at start
	maxPersons   = 200_000_000 // persons a run may grow to
	maxAge       = 120
	maxYears     = 200
	maxStepYears = 1000 // time in a state a by_years step may start at
	maxRunSteps  = 64   // steps of a by_run_years modifier
	maxVisits    = 500  // outpatient visits per person-year from one source
	maxAdmits    = 50   // admissions per person-year from one source
	sumTolerance = 1e-6
)

// Validate checks the scenario's values and the references between them.
// The loaders call it; call it again after changing a scenario. Empty
// Cycle, Currency, Population.Townships and Providers are taken as their
// defaults.
//
// An error is an errors.Join of *Error values sorted by position.
func (s *Scenario) Validate() error {
	s.SetDefaults()
	return s.validate(nil).err()
}

// validate collects the problems of s. bad holds paths whose values could
// not be read; problems there are not reported again.
func (s *Scenario) validate(bad map[string]bool) errorList {
	v := &validator{s: s, bad: bad, tainted: map[string]bool{}}
	for p := range bad {
		for q := p; q != ""; q = parent(q) {
			v.tainted[q] = true
		}
	}
	v.finite(reflect.ValueOf(s).Elem(), "")
	v.top()
	v.population()
	v.tiers()
	v.groups()
	v.admissions()
	v.conditions()
	v.providers()
	v.rest()
	v.payment()
	v.consortia()
	v.uplift()
	v.responses()
	v.supervision()
	v.expectations()
	v.uncertain()
	v.strategies()
	v.phases()
	v.measured()
	return v.errs
}

type validator struct {
	s       *Scenario
	errs    errorList
	bad     map[string]bool // paths the decoder could not read
	tainted map[string]bool // those paths and their parents

	bandIdx, tierIdx, groupIdx, townshipIdx map[string]int
	bandNames, tierNames, groupNames        []string
	townshipNames                           []string
	provs                                   []Provider
	inpatientTier                           map[string]string // tier → a group it treats
	rehabTier                               map[string]string // tier → a group it takes long stays of
}

// errorf reports a problem at the value at path.
func (v *validator) errorf(path, format string, args ...any) {
	if v.bad[path] {
		return
	}
	v.errs.add(v.s.At(path), format, args...)
}

// sumf reports a problem of the values in container path (a sum, say),
// unless one of them could not be read.
func (v *validator) sumf(path, format string, args ...any) {
	if v.tainted[path] {
		return
	}
	v.errs.add(v.s.At(path), format, args...)
}

// num formats a number for messages: as written for most, rounded to 6
// significant digits for sums.
func num(x float64) string {
	if a := math.Abs(x); a != 0 && (a >= 1e15 || a < 1e-6) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func sum(x float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return num(r)
}

// thousands formats n with comma separators.
func thousands(n float64) string {
	if n >= 1e18 {
		return strconv.FormatFloat(n, 'g', 3, 64)
	}
	s := strconv.FormatInt(int64(n), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// atLeast reports x < lo. Non-finite values are reported by finite.
func (v *validator) atLeast(path string, x, lo float64) {
	switch {
	case !finite(x) || x >= lo:
	case lo == 0:
		v.errorf(path, "%s: %s is negative; want at least 0", path, num(x))
	default:
		v.errorf(path, "%s: %s is less than %s; want at least %s", path, num(x), num(lo), num(lo))
	}
}

// between reports x outside [lo, hi].
func (v *validator) between(path string, x, lo, hi float64) {
	if finite(x) && (x < lo || x > hi) {
		v.errorf(path, "%s: %s is out of range; want %s to %s", path, num(x), num(lo), num(hi))
	}
}

// positive reports x ≤ 0.
func (v *validator) positive(path string, x float64) {
	if finite(x) && x <= 0 {
		v.errorf(path, "%s: %s is not positive; want more than 0", path, num(x))
	}
}

func (v *validator) optAtLeast(path string, x *float64, lo float64) {
	if x != nil {
		v.atLeast(path, *x, lo)
	}
}

func (v *validator) optBetween(path string, x *float64, lo, hi float64) {
	if x != nil {
		v.between(path, *x, lo, hi)
	}
}

// names checks that the n names (name(i) at path(i)+".name") are non-empty
// and unique, and returns the index of each.
func (v *validator) names(what string, n int, name func(int) string, path func(int) string) map[string]int {
	idx := make(map[string]int, n)
	for i := range n {
		nm, p := name(i), path(i)
		switch first, dup := idx[nm]; {
		case nm == "":
			v.errorf(p+".name", "%s.name is empty; want the %s's name", p, what)
		case strings.ContainsAny(nm, pathChars):
			v.errorf(p+".name", "%s.name: %s %q has one of %s; want a name without them (names are segments of paths in --set, summary.json and diff)", p, phrase(what), nm, pathChars)
		case dup:
			v.errorf(p+".name", "%s.name: %s %q is already defined by %s", p, phrase(what), nm, path(first))
		default:
			idx[nm] = i
		}
	}
	return idx
}

// pathChars are the characters a name may not hold: they separate or
// match the segments of the paths --set, summary.json and diff use.
const pathChars = `.*?[]\/=`

// listed tracks the keys the items of a list name, so that a list names
// each key once: a tier in by_tier, a group in drg.groups, a township.
type listed map[string]int

// record records that item i names key and returns the index of the item
// that named it before, or −1 when none did.
func (l listed) record(key string, i int) int {
	if j, ok := l[key]; ok {
		return j
	}
	l[key] = i
	return -1
}

// ref reports a name that is not among the defined ones.
func (v *validator) ref(path, what, name string, defined map[string]int, list []string) bool {
	if _, ok := defined[name]; ok {
		return true
	}
	if len(list) == 0 {
		v.errorf(path, "%s: %s %q is not defined; no %ss are defined", path, phrase(what), name, phrase(what))
	} else {
		v.errorf(path, "%s: %s %q is not defined; want one of %s%s", path, phrase(what), name, short(list), didYouMean(name, list))
	}
	return false
}

// short joins names, at most ten of them.
func short(list []string) string {
	if len(list) > 10 {
		return strings.Join(list[:10], ", ") + ", …"
	}
	return strings.Join(list, ", ")
}

// finite reports every NaN and infinity in the numbers of val.
// maxMagnitude bounds every number of a scenario: amounts above it lose
// whole yuan once the run adds them up over persons and years (float64
// holds integers exactly to 2^53 ≈ 9 × 10^15).
const maxMagnitude = 1e12

// number reports a number that is not finite, or too large to add up.
func (v *validator) number(path string, x float64) {
	switch {
	case !finite(x):
		v.errorf(path, "%s: %s is not a finite number", path, num(x))
	case math.Abs(x) > maxMagnitude:
		v.errorf(path, "%s: %s is too large; want a magnitude of at most 1e12 (larger amounts lose whole units of money in the run's sums)", path, num(x))
	}
}

func (v *validator) finite(val reflect.Value, path string) {
	t := val.Type()
	switch {
	case t == distType:
		for _, sh := range val.Interface().(Dist) {
			v.number(join(path, sh.Name), sh.Value)
		}
		return
	case t == costsType:
		c := val.Interface().(Costs)
		for _, a := range c {
			v.number(c.path(path, a.Name), a.Value)
		}
		return
	case t.Kind() == reflect.Float64:
		v.number(path, val.Float())
	case t.Kind() == reflect.Pointer:
		if !val.IsNil() {
			v.finite(val.Elem(), path)
		}
	case t.Kind() == reflect.Slice:
		for i := range val.Len() {
			v.finite(val.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
	case t.Kind() == reflect.Struct:
		sc := schemaOf(t)
		for _, key := range sc.keys {
			v.finite(val.Field(sc.index[key]), join(path, key))
		}
	}
}

func (v *validator) top() {
	s := v.s
	if s.Version != 1 {
		v.errorf("version", "version: %d is not known; want 1", s.Version)
	}
	if s.Name == "" {
		v.errorf("name", "name is empty; want a short identifier")
	}
	if s.Years < 1 || s.Years > maxYears {
		v.errorf("years", "years: %d is out of range; want 1 to %d", s.Years, maxYears)
	}
	if s.Cycle != "" && s.Cycle != Month && s.Cycle != Year {
		v.errorf("cycle", "cycle: %q is not known; want month or year", s.Cycle)
	}
	if s.Currency != "" && !s.Currency.valid() {
		v.errorf("currency", "currency: %q is not a currency code; want three capital letters, such as CNY or USD (ISO 4217)", s.Currency)
	}
	v.rate("discount_rate", &s.DiscountRate)
	if t := s.Rewards.Timing; t != "" && !slices.Contains(Timings, t) {
		v.errorf("rewards.timing", "rewards.timing: %q is not known; want one of %s", t, timingList())
	}
	v.rate("rewards.discount_costs", s.Rewards.DiscountCosts)
	v.rate("rewards.discount_effects", s.Rewards.DiscountEffects)
	if t := s.Rewards.Timing; t != "" && t != TimingStart && s.Population.Entrants.Rate > 0 {
		v.errorf("rewards.timing", "rewards.timing: %s counts a point of time towards the cycle before it too, which an entrant, joining at a year's end, did not live; want start with population.entrants", t)
	}
}

// rate checks an annual discount rate at path, if given: in [0, 1).
func (v *validator) rate(path string, x *float64) {
	if x != nil && finite(*x) && (*x < 0 || *x >= 1) {
		v.errorf(path, "%s: %s is out of range; want at least 0 and less than 1", path, num(*x))
	}
}

// timingList lists the timings for messages.
func timingList() string {
	names := make([]string, len(Timings))
	for i, t := range Timings {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func (v *validator) population() {
	p := &v.s.Population
	if p.Size < 1 || p.Size > maxSize {
		v.errorf("population.size", "population.size: %d is out of range; want 1 to %s", p.Size, thousands(maxSize))
	} else if v.s.Years >= 1 && v.s.Years <= maxYears && v.growthValid() {
		if n := v.s.PersonsEver(); n > maxPersons {
			joiners := Phrase{}
			if len(p.Enrolment) > 0 {
				joiners = phrase(" with population.enrolment's joiners")
			}
			v.errorf("population.entrants.rate",
				"population.entrants.rate: %s%s would grow %s persons to %s in %d years; at most %s fit in memory",
				num(p.Entrants.Rate), joiners, thousands(float64(p.Size)), thousands(n), v.s.Years, thousands(maxPersons))
		}
	}
	v.between("population.male_share", p.MaleShare, 0, 1)
	v.optAtLeast("population.male_mortality", p.MaleMortality, 0)

	// Age bands.
	bp := func(i int) string { return fmt.Sprintf("population.age_bands[%d]", i) }
	if len(p.AgeBands) == 0 {
		v.errorf("population.age_bands", "population.age_bands is empty; want at least one age band")
	}
	v.bandIdx = v.names("age band", len(p.AgeBands), func(i int) string { return p.AgeBands[i].Name }, bp)
	total := 0.0
	for i, b := range p.AgeBands {
		switch {
		case i == 0 && b.From != 0:
			v.errorf(bp(i)+".from", "%s.from: %d; want 0 (the first band starts at birth)", bp(i), b.From)
		case i > 0 && b.From != p.AgeBands[i-1].To+1:
			v.errorf(bp(i)+".from", "%s.from: %d does not follow %s.to %d; want %d",
				bp(i), b.From, bp(i-1), p.AgeBands[i-1].To, p.AgeBands[i-1].To+1)
		}
		switch {
		case b.To > maxAge:
			v.errorf(bp(i)+".to", "%s.to: %d is out of range; want at most %d", bp(i), b.To, maxAge)
		case b.To < b.From:
			v.errorf(bp(i)+".to", "%s.to: %d is before from %d; want at least %d", bp(i), b.To, b.From, b.From)
		}
		v.between(bp(i)+".weight", b.Weight, 0, 1)
		v.atLeast(bp(i)+".mortality", b.Mortality, 0)
		v.between(bp(i)+".visits", b.Visits, 0, maxVisits)
		v.between(bp(i)+".admissions", b.Admissions, 0, maxAdmits)
		v.optBetween(bp(i)+".utility", b.Utility, 0, 1)
		total += b.Weight
		v.bandNames = append(v.bandNames, b.Name)
	}
	if len(p.AgeBands) > 0 && finite(total) && math.Abs(total-1) > sumTolerance {
		v.sumf("population.age_bands", "age band weights sum to %s, want 1", sum(total))
	}

	// Townships.
	tp := func(i int) string { return fmt.Sprintf("population.townships[%d]", i) }
	ts := p.Townships
	if len(ts) == 0 {
		ts = []Township{{Name: "all", Weight: 1}}
	}
	v.townshipIdx = v.names("township", len(ts), func(i int) string { return ts[i].Name }, tp)
	total = 0
	for i, t := range ts {
		v.between(tp(i)+".weight", t.Weight, 0, 1)
		total += t.Weight
		v.townshipNames = append(v.townshipNames, t.Name)
	}
	if finite(total) && math.Abs(total-1) > sumTolerance {
		v.sumf("population.townships", "township weights sum to %s, want 1", sum(total))
	}

	// Entrants.
	v.between("population.entrants.rate", p.Entrants.Rate, 0, 1)
	if n := len(p.AgeBands); n > 0 {
		lo, hi := p.AgeBands[0].From, max(p.AgeBands[n-1].To, p.AgeBands[0].From)
		if a := p.Entrants.Age; a < lo || a > hi {
			v.errorf("population.entrants.age", "population.entrants.age: %d is outside the age bands; want %d to %d", a, lo, hi)
		}
	}

	v.between("population.background_ncd_share", p.BackgroundNCDShare, 0, 1)

	// Enrolment.
	first, last := v.s.StartYear+1, v.s.StartYear+v.s.Years-1
	for i, e := range p.Enrolment {
		ep := fmt.Sprintf("population.enrolment[%d]", i)
		switch {
		case e.Year < first || e.Year > last:
			v.errorf(ep+".year", "%s.year: %d is not a year whose start the run reaches from a year before, %d to %d; want one of them (the first year's enrollees are population.size)",
				ep, e.Year, first, last)
		case i > 0 && e.Year <= p.Enrolment[i-1].Year:
			v.errorf(ep+".year", "%s.year: %d does not follow %d; want the changes in the order of their years, one a year", ep, e.Year, p.Enrolment[i-1].Year)
		}
		v.between(ep+".leave", e.Leave, 0, 1)
		v.between(ep+".join", e.Join, 0, 1)
	}
}

// growthValid reports whether the rates that grow the population are in
// range, so that Scenario.PersonsEver can be computed.
func (v *validator) growthValid() bool {
	ok := func(r float64) bool { return finite(r) && r >= 0 && r <= 1 }
	for _, e := range v.s.Population.Enrolment {
		if !ok(e.Join) {
			return false
		}
	}
	return ok(v.s.Population.Entrants.Rate)
}

func (v *validator) conditions() {
	s := v.s
	cp := func(i int) string { return fmt.Sprintf("conditions[%d]", i) }
	v.names("condition", len(s.Conditions), func(i int) string { return s.Conditions[i].Name }, cp)
	for ci := range s.Conditions {
		if s.Conditions[ci].Name == "background" {
			v.errorf(cp(ci)+".name", "%s.name: \"background\" names the deaths of no condition in reports; want another name", cp(ci))
		}
		v.condition(cp(ci), &s.Conditions[ci])
	}
}

func (v *validator) condition(path string, c *Condition) {
	sp := func(i int) string { return fmt.Sprintf("%s.states[%d]", path, i) }
	if len(c.States) < 2 {
		v.errorf(path+".states", "%s.states has %d states; want at least 2", path, len(c.States))
	}
	states := v.names("state", len(c.States), func(i int) string { return c.States[i].Name }, sp)
	var stateNames []string
	for i := range c.States {
		st := &c.States[i]
		p := sp(i)
		stateNames = append(stateNames, st.Name)
		if i == 0 && st.Dead {
			v.errorf(p+".dead", "%s: the first state %q is dead; want the condition-free state first", p, st.Name)
		}
		v.between(p+".visits", st.Visits, 0, maxVisits)
		v.optBetween(p+".visits_managed", st.VisitsManaged, 0, maxVisits)
		v.costs(p+".cost", st.Cost)
		for j, cs := range st.CostByRunYears {
			yp := fmt.Sprintf("%s.cost_by_run_years[%d]", p, j)
			v.between(yp+".years", cs.Years, 0, maxYears)
			if j > 0 && finite(cs.Years) && cs.Years <= st.CostByRunYears[j-1].Years {
				v.errorf(yp+".years", "%s.years: %s is not after cost_by_run_years[%d].years %s; want increasing years",
					yp, num(cs.Years), j-1, num(st.CostByRunYears[j-1].Years))
			}
			v.costs(yp+".cost", cs.Cost)
		}
		if n := len(st.CostByRunYears); n > maxRunSteps {
			v.errorf(p+".cost_by_run_years", "%s.cost_by_run_years: %d steps; want at most %d", p, n, maxRunSteps)
		}
		v.optBetween(p+".utility", st.Utility, 0, 1)
		if st.Dead {
			if st.Visits != 0 {
				v.errorf(p+".visits", "%s.visits: %s in dead state %q; want none", p, num(st.Visits), st.Name)
			}
			if st.VisitsManaged != nil && *st.VisitsManaged != 0 {
				v.errorf(p+".visits_managed", "%s.visits_managed: %s in dead state %q; want none", p, num(*st.VisitsManaged), st.Name)
			}
			if len(st.Events) > 0 {
				v.errorf(p+".events", "%s.events: %d events in dead state %q; want none", p, len(st.Events), st.Name)
			}
		}
		for j, e := range st.Events {
			ep := fmt.Sprintf("%s.events[%d]", p, j)
			v.ref(ep+".group", "group", e.Group, v.groupIdx, v.groupNames)
			v.between(ep+".rate", e.Rate, 0, maxAdmits)
			v.optAtLeast(ep+".managed", e.Managed, 0)
		}
	}

	// Initial distribution.
	seen := listed{}
	for i, bd := range c.Initial {
		p := fmt.Sprintf("%s.initial[%d]", path, i)
		if v.ref(p+".band", "age band", bd.Band, v.bandIdx, v.bandNames) {
			if j := seen.record(bd.Band, i); j >= 0 {
				v.errorf(p+".band", "%s.band: age band %q is already given by %s.initial[%d]", p, bd.Band, path, j)
			}
		}
		total := 0.0
		for _, sh := range bd.States {
			sp := p + ".states." + sh.Name
			if v.ref(sp, "state", sh.Name, states, stateNames) && c.States[states[sh.Name]].Dead && sh.Value > 0 {
				v.errorf(sp, "%s: %q is a dead state; want the living to start in living states", sp, sh.Name)
			}
			v.between(sp, sh.Value, 0, 1)
			total += sh.Value
		}
		if finite(total) && math.Abs(total-1) > sumTolerance {
			v.sumf(p+".states", "%s.states: shares of age band %q sum to %s, want 1", p, bd.Band, sum(total))
		}
	}

	// Transitions.
	type row struct {
		first    int  // index of the first transition out of the state
		rate     bool // kind of the first
		mixed    bool
		prob     []float64 // by age band (one entry without bands): sum of probabilities with the largest modifiers
		modified bool
		badProb  bool // a probability is out of range
	}
	rows := map[string]*row{}
	var order []string
	pairs := map[[2]string]int{}
	for i := range c.Transitions {
		t := &c.Transitions[i]
		p := fmt.Sprintf("%s.transitions[%d]", path, i)
		fromOK := v.ref(p+".from", "state", t.From, states, stateNames)
		toOK := v.ref(p+".to", "state", t.To, states, stateNames)
		if fromOK && toOK {
			switch j, dup := pairs[[2]string{t.From, t.To}]; {
			case t.From == t.To:
				v.errorf(p+".to", "%s.to: %q is the state it leaves; want another state", p, t.To)
			case dup:
				v.errorf(p, "%s: a second transition from %q to %q; want at most one (the first is %s.transitions[%d])", p, t.From, t.To, path, j)
			default:
				pairs[[2]string{t.From, t.To}] = i
			}
		}
		if fromOK && c.States[states[t.From]].Dead {
			v.errorf(p+".from", "%s.from: %q is a dead state; want no transitions out of it", p, t.From)
		}
		switch {
		case t.Rate == nil && t.Prob == nil:
			v.errorf(p, "%s: neither rate nor prob; want exactly one", p)
		case t.Rate != nil && t.Prob != nil:
			v.errorf(p+".prob", "%s: both rate and prob; want exactly one", p)
		case t.Rate != nil:
			v.atLeast(p+".rate", *t.Rate, 0)
		default:
			v.between(p+".prob", *t.Prob, 0, 1)
			if t.Frailty {
				v.errorf(p+".frailty", "%s.frailty: frailty applies to rates only; want false with prob", p)
			}
		}
		for _, sh := range t.ByBand {
			bp := p + ".by_band." + sh.Name
			v.ref(bp, "age band", sh.Name, v.bandIdx, v.bandNames)
			v.atLeast(bp, sh.Value, 0)
		}
		v.optAtLeast(p+".managed", t.Managed, 0)
		if t.Admit != "" {
			v.ref(p+".admit", "group", t.Admit, v.groupIdx, v.groupNames)
		}
		v.steps(p+".by_years", t.ByYears, maxStepYears)
		v.steps(p+".by_run_years", t.ByRunYears, maxYears)
		if n := len(t.ByRunYears); n > maxRunSteps {
			v.errorf(p+".by_run_years", "%s.by_run_years: %d steps; want at most %d", p, n, maxRunSteps)
		}

		// Rows out of one state: all rates or all probabilities.
		if (t.Rate == nil) == (t.Prob == nil) {
			continue
		}
		r := rows[t.From]
		if r == nil {
			r = &row{first: i, rate: t.Rate != nil}
			rows[t.From] = r
			order = append(order, t.From)
		} else if !r.mixed && r.rate != (t.Rate != nil) {
			r.mixed = true
			v.errorf(p, "%s: transitions out of %q mix rates and probabilities (%s.transitions[%d] has a %s); want all rates or all probs",
				p, t.From, path, r.first, map[bool]string{true: "rate", false: "prob"}[r.rate])
		}
		if t.Prob != nil {
			bands := v.bandFactors(t)
			if r.prob == nil {
				r.prob = make([]float64, len(bands))
			}
			m := v.maxModifier(t) * v.maxEffort(c, t)
			for b, f := range bands {
				r.prob[b] += *t.Prob * f * m
				r.modified = r.modified || f*m != 1
			}
			r.badProb = r.badProb || *t.Prob < 0 || *t.Prob > 1
		}
	}
	for _, from := range order {
		r := rows[from]
		if r.rate || r.mixed || r.badProb {
			continue
		}
		most := slices.Max(r.prob) // the band whose row sums highest
		if !finite(most) || most <= 1+1e-9 {
			continue
		}
		with := Phrase{}
		if r.modified {
			with = phrase(" with modifiers")
		}
		v.sumf(fmt.Sprintf("%s.transitions[%d]", path, r.first), "probabilities out of %q sum to %s%s, want at most 1", from, sum(most), with)
	}

	v.between(path+".heterogeneity", c.Heterogeneity, 0, 3)
	v.atLeast(path+".initial_years", c.InitialYears, 0)
	v.between(path+".management.initial", c.Management.Initial, 0, 1)
	v.atLeast(path+".management.enrol", c.Management.Enrol, 0)
	v.atLeast(path+".management.drop", c.Management.Drop, 0)
}

// steps checks the steps of a modifier by time at path: years in [0, max],
// increasing, factors ≥ 0.
func (v *validator) steps(path string, steps []Step, max float64) {
	key := path[strings.LastIndexByte(path, '.')+1:]
	for j, st := range steps {
		yp := fmt.Sprintf("%s[%d]", path, j)
		v.between(yp+".years", st.Years, 0, max)
		if j > 0 && finite(st.Years) && st.Years <= steps[j-1].Years {
			v.errorf(yp+".years", "%s.years: %s is not after %s[%d].years %s; want increasing years",
				yp, num(st.Years), key, j-1, num(steps[j-1].Years))
		}
		v.atLeast(yp+".factor", st.Factor, 0)
	}
}

// costs checks a state cost at path: amounts ≥ 0, categories named, and
// none named CareCategory, which the outputs keep for the cost of care.
func (v *validator) costs(path string, c Costs) {
	for _, a := range c {
		p := c.path(path, a.Name)
		switch a.Name {
		case "":
			v.errorf(p, "%s: a cost category without a name; want a name such as drug", path)
		case CareCategory:
			v.errorf(p, "%s: the category %q is the cost of care (charges or the fund's payments) in the outputs; want another name for a state cost", p, a.Name)
		}
		v.atLeast(p, a.Value, 0)
	}
}

// bandFactors are t's factors by age band, in the order of the bands (1
// for a band not listed; one factor 1 when the scenario has no bands). A row
// out of a state is checked band by band: the age bands hold apart, so
// only the factors of one band multiply together.
func (v *validator) bandFactors(t *Transition) []float64 {
	if len(v.bandNames) == 0 {
		return []float64{1}
	}
	out := make([]float64, len(v.bandNames))
	for b, name := range v.bandNames {
		out[b] = 1
		for _, sh := range t.ByBand {
			if sh.Name == name {
				out[b] = sh.Value
			}
		}
	}
	return out
}

// maxModifier is the largest factor the modifiers of t other than its age
// band can apply: max(1, managed) × the largest time-in-state factor × the
// largest run-time factor, each of the time factors at least 1 unless its
// first step starts at 0 (before the first step the factor is 1).
func (v *validator) maxModifier(t *Transition) float64 {
	m := 1.0
	if t.Managed != nil {
		m = max(m, *t.Managed)
	}
	return m * maxStep(t.ByYears) * maxStep(t.ByRunYears)
}

// maxStep is the largest factor of a modifier by time: its steps' factors,
// and 1 for the time before its first step (all time without steps).
func maxStep(steps []Step) float64 {
	f := 1.0
	if len(steps) > 0 && steps[0].Years <= 0 {
		f = 0
	}
	for _, st := range steps {
		f = max(f, st.Factor)
	}
	return f
}

// maxEffort is the largest factor prevention effort (at most 1) can put on
// t when the scenario's responses are on: 1 + control into a controlled
// state, 1 + screening into a diagnosed one, from a prevalent state (as
// model.effortFactor applies them).
func (v *validator) maxEffort(c *Condition, t *Transition) float64 {
	r := v.s.Responses
	if !v.s.ResponsesOn() || r.Prevention.Control == nil || r.Prevention.Screening == nil {
		return 1
	}
	from, to := -1, -1
	for i := range c.States {
		if c.States[i].Name == t.From {
			from = i
		}
		if c.States[i].Name == t.To {
			to = i
		}
	}
	if from < 0 || to < 0 {
		return 1
	}
	switch PreventionOf(&c.States[from], &c.States[to], c.IsPrevalent(from)) {
	case Control:
		return 1 + max(0, *r.Prevention.Control)
	case Screening:
		return 1 + max(0, *r.Prevention.Screening)
	}
	return 1
}

func (v *validator) tiers() {
	s := v.s
	tp := func(i int) string { return fmt.Sprintf("tiers[%d]", i) }
	if len(s.Tiers) == 0 {
		v.errorf("tiers", "tiers is empty; want at least one tier")
	}
	v.tierIdx = v.names("tier", len(s.Tiers), func(i int) string { return s.Tiers[i].Name }, tp)
	outpatient := false
	for i, t := range s.Tiers {
		p := tp(i)
		v.tierNames = append(v.tierNames, t.Name)
		v.atLeast(p+".visit_charges", t.VisitCharges, 0)
		if t.Outpatient && finite(t.VisitCharges) && t.VisitCharges == 0 {
			v.errorf(p+".visit_charges", "%s.visit_charges: 0 with outpatient: true; want more than 0", p)
		}
		outpatient = outpatient || t.Outpatient
		v.atLeast(p+".bed_day_charges", t.BedDayCharges, 0)
		if t.CostToCharge != nil && finite(*t.CostToCharge) && (*t.CostToCharge <= 0 || *t.CostToCharge > 10) {
			v.errorf(p+".cost_to_charge", "%s.cost_to_charge: %s is out of range; want more than 0 and at most 10", p, num(*t.CostToCharge))
		}
		v.atLeast(p+".capability", t.Capability, 0)
	}
	if len(s.Tiers) > 0 && !outpatient {
		v.sumf("tiers", "no tier has outpatient: true; want at least one")
	}
}

func (v *validator) groups() {
	s := v.s
	gp := func(i int) string { return fmt.Sprintf("groups[%d]", i) }
	v.groupIdx = v.names("group", len(s.Groups), func(i int) string { return s.Groups[i].Name }, gp)
	for _, g := range s.Groups {
		v.groupNames = append(v.groupNames, g.Name)
	}
	v.inpatientTier = map[string]string{}
	v.rehabTier = map[string]string{}
	for i, g := range s.Groups {
		p := gp(i)
		v.optAtLeast(p+".rw", g.RW, 0)
		v.atLeast(p+".severity", g.Severity, 0)
		if len(g.ByTier) == 0 {
			v.errorf(p+".by_tier", "%s.by_tier is empty; want at least one tier that treats group %q", p, g.Name)
		}
		seen := listed{}
		capable := len(g.ByTier) == 0 // a group with no tier is reported above
		for j, gt := range g.ByTier {
			tp := fmt.Sprintf("%s.by_tier[%d]", p, j)
			if v.ref(tp+".tier", "tier", gt.Tier, v.tierIdx, v.tierNames) {
				if k := seen.record(gt.Tier, j); k >= 0 {
					v.errorf(tp+".tier", "%s.tier: tier %q is already listed by %s.by_tier[%d]", tp, gt.Tier, p, k)
				}
				if _, ok := v.inpatientTier[gt.Tier]; !ok {
					v.inpatientTier[gt.Tier] = g.Name
				}
			}
			v.positive(tp+".charges", gt.Charges)
			v.atLeast(tp+".los", gt.LOS, 1)
			v.atLeast(tp+".requires", gt.Requires, 0)
			if t, ok := v.tierIdx[gt.Tier]; !ok || gt.Requires <= s.Tiers[t].Capability {
				capable = true
			}
		}
		if !capable {
			v.errorf(p+".by_tier", "%s.by_tier: every tier requires more capability than it has; want one tier that treats group %q from the start", p, g.Name)
		}
		if r := g.Rehab; r != nil {
			rp := p + ".rehab"
			v.between(rp+".share", r.Share, 0, 1)
			if v.ref(rp+".tier", "tier", r.Tier, v.tierIdx, v.tierNames) {
				if t := s.Tiers[v.tierIdx[r.Tier]]; finite(t.BedDayCharges) && t.BedDayCharges <= 0 {
					v.errorf(rp+".tier", "%s.tier: tier %q has bed_day_charges %s; want more than 0 for long stays", rp, r.Tier, num(t.BedDayCharges))
				}
				if _, ok := v.rehabTier[r.Tier]; !ok {
					v.rehabTier[r.Tier] = g.Name
				}
			}
			v.atLeast(rp+".los", r.LOS, 1)
		}
	}
}

// admissions checks the case mix of background admissions.
func (v *validator) admissions() {
	p := &v.s.Population
	total := 0.0
	for _, sh := range p.Admissions {
		ap := "population.admissions." + sh.Name
		v.ref(ap, "group", sh.Name, v.groupIdx, v.groupNames)
		v.between(ap, sh.Value, 0, 1)
		total += sh.Value
	}
	if len(p.Admissions) > 0 && finite(total) && math.Abs(total-1) > sumTolerance {
		v.sumf("population.admissions", "population.admissions: shares sum to %s, want 1", sum(total))
	}
	if len(p.Admissions) > 0 || v.tainted["population.admissions"] {
		return
	}
	for i, b := range p.AgeBands {
		if b.Admissions > 0 {
			ap := fmt.Sprintf("population.age_bands[%d].admissions", i)
			v.errorf(ap, "%s: %s background admissions but population.admissions is empty; want the groups of these admissions there",
				ap, num(b.Admissions))
			return
		}
	}
}

// treats says what a tier treats, or an empty Phrase when nothing.
func (v *validator) treats(tier string) Phrase {
	if i, ok := v.tierIdx[tier]; ok && v.s.Tiers[i].Outpatient {
		return phrase("outpatients")
	}
	if g, ok := v.inpatientTier[tier]; ok {
		return phrase("admissions of group %q", g)
	}
	if g, ok := v.rehabTier[tier]; ok {
		return phrase("long stays after group %q", g)
	}
	return Phrase{}
}

func (v *validator) providers() {
	s := v.s
	v.provs = s.Providers
	if len(v.provs) == 0 {
		v.provs = defaultProviders(s.Tiers)
		return // the default serves every tier and township
	}
	pp := func(i int) string { return fmt.Sprintf("providers[%d]", i) }
	v.names("provider", len(s.Providers), func(i int) string { return s.Providers[i].Name }, pp)
	byTier := map[string][]int{}
	for i, pr := range s.Providers {
		p := pp(i)
		if v.ref(p+".tier", "tier", pr.Tier, v.tierIdx, v.tierNames) {
			byTier[pr.Tier] = append(byTier[pr.Tier], i)
		}
		seen := listed{}
		for j, t := range pr.Townships {
			tp := fmt.Sprintf("%s.townships[%d]", p, j)
			if !v.ref(tp, "township", t, v.townshipIdx, v.townshipNames) {
				continue
			}
			if k := seen.record(t, j); k >= 0 {
				v.errorf(tp, "%s: township %q is already listed by %s.townships[%d]", tp, t, p, k)
			}
		}
	}
	serves := func(pr Provider, t string) bool { return len(pr.Townships) == 0 || slices.Contains(pr.Townships, t) }
	for _, tier := range v.tierNames {
		ids, ok := byTier[tier]
		if !ok {
			if what := v.treats(tier); what.Format != "" {
				v.sumf("providers", "tier %q has no provider but treats %s; want a provider of tier %q", tier, what, tier)
			}
			continue
		}
		for _, t := range v.townshipNames {
			var by []int
			for _, i := range ids {
				if serves(s.Providers[i], t) {
					by = append(by, i)
				}
			}
			switch len(by) {
			case 0:
				v.sumf("providers", "township %q has no %s provider; want one provider of each tier to serve it", t, tier)
			case 1:
			default:
				var names []string
				for _, i := range by {
					names = append(names, s.Providers[i].Name)
				}
				v.errorf(pp(by[1]), "township %q has %d %s providers: %s; want one", t, len(by), tier, strings.Join(names, ", "))
			}
		}
	}
}

func (v *validator) rest() {
	s := v.s
	v.atLeast("choice.price_sensitivity", s.Choice.PriceSensitivity, 0)
	v.between("variation.charges", s.Variation.Charges, 0, 5)
	v.between("variation.los", s.Variation.LOS, 0, 5)

	v.positive("benefit.inpatient_ceiling", s.Benefit.InpatientCeiling)
	v.atLeast("benefit.outpatient_ceiling", s.Benefit.OutpatientCeiling, 0)
	if s.Benefit.OutpatientCeiling == 0 {
		for i, tb := range s.Benefit.Tiers {
			if tb.Outpatient.Ratio > 0 {
				v.errorf("benefit.outpatient_ceiling", "benefit.outpatient_ceiling: 0 covers no outpatient care, but benefit.tiers[%d] (%s) pays outpatient ratio %s; want a ceiling above 0", i, tb.Tier, num(tb.Outpatient.Ratio))
				break
			}
		}
	}
	seen := listed{}
	for i, tb := range s.Benefit.Tiers {
		p := fmt.Sprintf("benefit.tiers[%d]", i)
		if v.ref(p+".tier", "tier", tb.Tier, v.tierIdx, v.tierNames) {
			if j := seen.record(tb.Tier, i); j >= 0 {
				v.errorf(p+".tier", "%s.tier: tier %q already has its benefit in benefit.tiers[%d]", p, tb.Tier, j)
			}
		}
		for _, sh := range []struct {
			key string
			sh  *Sharing
		}{{"outpatient", &tb.Outpatient}, {"inpatient", &tb.Inpatient}, {"long_stay", &tb.LongStay}} {
			sp := p + "." + sh.key
			v.atLeast(sp+".deductible", sh.sh.Deductible, 0)
			v.between(sp+".ratio", sh.sh.Ratio, 0, 1)
			v.optBetween(sp+".eligible", sh.sh.Eligible, 0, 1)
		}
	}

	v.atLeast("fund.individual", s.Fund.Individual, 0)
	v.atLeast("fund.subsidy", s.Fund.Subsidy, 0)
	v.between("fund.growth", s.Fund.Growth, -0.5, 1)
	v.atLeast("fund.opening_per_enrollee", s.Fund.OpeningPerEnrollee, 0)
	v.between("fund.other_income", s.Fund.OtherIncome, 0, 1)
	v.between("fund.premium", s.Fund.Premium, 0, 0.99)
	v.trends()
}

// trends checks the growth rates, the tiers they name and the shocks.
func (v *validator) trends() {
	t := &v.s.Trends
	rates := func(path string, r *ServiceRates) {
		for _, svc := range services {
			v.optBetween(path+"."+svc, r.Of(svc), -0.5, 1)
		}
	}
	rates("trends.price", &t.Price)
	rates("trends.intensity", &t.Intensity)
	seen := listed{}
	for i, tt := range t.Tiers {
		p := fmt.Sprintf("trends.tiers[%d]", i)
		if v.ref(p+".tier", "tier", tt.Tier, v.tierIdx, v.tierNames) && seen.record(tt.Tier, i) >= 0 {
			v.errorf(p+".tier", "%s.tier: tier %q already has its trend in trends.tiers[%d]; want one entry per tier", p, tt.Tier, seen[tt.Tier])
		}
		rates(p+".price", &tt.Price)
		rates(p+".intensity", &tt.Intensity)
	}
	v.between("trends.volume.visits", t.Volume.Visits, -0.5, 1)
	v.between("trends.volume.admissions", t.Volume.Admissions, -0.5, 1)
	v.between("trends.mortality", t.Mortality, -0.5, 1)
	svcIdx := map[string]int{}
	for i, sv := range services {
		svcIdx[sv] = i
	}
	for i := range t.Shocks {
		sh := &t.Shocks[i]
		p := fmt.Sprintf("trends.shocks[%d]", i)
		if last := v.s.StartYear + v.s.Years - 1; sh.Year < v.s.StartYear || sh.Year > last {
			v.errorf(p+".year", "%s.year: %d is outside the run, %d to %d; want a year within it (a cut before the start is in the first year's charges already)",
				p, sh.Year, v.s.StartYear, last)
		}
		for j, sv := range sh.Services {
			v.ref(fmt.Sprintf("%s.services[%d]", p, j), "service", sv, svcIdx, services)
		}
		for j, tr := range sh.Tiers {
			v.ref(fmt.Sprintf("%s.tiers[%d]", p, j), "tier", tr, v.tierIdx, v.tierNames)
		}
		for j, g := range sh.Groups {
			v.ref(fmt.Sprintf("%s.groups[%d]", p, j), "group", g, v.groupIdx, v.groupNames)
		}
		if len(sh.Groups) > 0 && slices.ContainsFunc(sh.Services, func(sv string) bool { return sv != Inpatient }) {
			v.errorf(p+".services", "%s.services: groups cut inpatient stays only; want services empty or [inpatient] with groups", p)
		}
		v.between(p+".share", sh.Share, 0, 1)
		v.between(p+".cut", sh.Cut, 0, 1)
		if r := sh.RebasedFrom; r != 0 {
			switch last := v.s.StartYear + v.s.Years - 1; {
			case r < sh.Year || r > last:
				v.errorf(p+".rebased_from", "%s.rebased_from: %d is not a year of the cut within the run, %d to %d; want one of them, or leave it out if the prices are never re-based",
					p, r, sh.Year, last)
			case len(sh.Tiers) > 0:
				v.errorf(p+".rebased_from", "%s.rebased_from: the shock cuts some tiers only, and re-basing weighs each group's cut at its reference tier; want a shock on every tier to re-base, or leave rebased_from out", p)
			case !v.caseRuleCuts(sh):
				v.errorf(p+".rebased_from", "%s.rebased_from: no DRG or DIP binding pays the inpatient stays the shock cuts, so re-basing their prices would change nothing; leave it out", p)
			}
		}
	}
}

// caseRuleCuts reports whether a DRG or DIP binding pays inpatient stays at
// a tier whose stays sh cuts.
func (v *validator) caseRuleCuts(sh *Shock) bool {
	if len(sh.Services) > 0 && !slices.Contains(sh.Services, Inpatient) {
		return false
	}
	for _, b := range v.s.Payment {
		if b.Method != MethodDRG && b.Method != MethodDIP || len(b.Services) > 0 && !slices.Contains(b.Services, Inpatient) {
			continue
		}
		tiers := slices.Clone(b.Tiers)
		for _, pr := range v.s.Providers {
			if slices.Contains(b.Providers, pr.Name) {
				tiers = append(tiers, pr.Tier)
			}
		}
		if len(tiers) == 0 && len(b.Providers) == 0 || len(sh.Tiers) == 0 ||
			slices.ContainsFunc(tiers, func(t string) bool { return slices.Contains(sh.Tiers, t) }) {
			return true
		}
	}
	return false
}

func (v *validator) payment() {
	s := v.s
	if len(s.Payment) == 0 {
		v.errorf("payment", "payment is empty; want at least one binding of a method to providers and services")
		return
	}
	provIdx := map[string]int{}
	var provNames []string
	for i, pr := range v.provs {
		if _, dup := provIdx[pr.Name]; !dup {
			provIdx[pr.Name] = i
		}
		provNames = append(provNames, pr.Name)
	}
	var names []string
	for _, m := range Methods {
		names = append(names, string(m))
	}
	want := phrase("want one of %s", strings.Join(names, ", "))
	svcIdx := map[string]int{}
	for i, sv := range services {
		svcIdx[sv] = i
	}
	covers := make([]func(pr Provider, svc string) bool, len(s.Payment))
	named := listed{}
	for i, b := range s.Payment {
		p := fmt.Sprintf("payment[%d]", i)
		if j := named.record(b.Name, i); j >= 0 && b.Name != "" {
			v.errorf(p+".name", "%s.name: binding %q is already defined by payment[%d]; want unique names (reports and extends: use them)", p, b.Name, j)
		}
		if !slices.Contains(Methods, b.Method) {
			v.errorf(p+".method", "%s.method: method %q is not known; %s", p, b.Method, want)
		}
		v.methodParams(p, &s.Payment[i])
		for j, t := range b.Tiers {
			v.ref(fmt.Sprintf("%s.tiers[%d]", p, j), "tier", t, v.tierIdx, v.tierNames)
		}
		for j, pr := range b.Providers {
			v.ref(fmt.Sprintf("%s.providers[%d]", p, j), "provider", pr, provIdx, provNames)
		}
		for j, sv := range b.Services {
			v.ref(fmt.Sprintf("%s.services[%d]", p, j), "service", sv, svcIdx, services)
		}
		covers[i] = func(pr Provider, svc string) bool {
			all := len(b.Tiers) == 0 && len(b.Providers) == 0
			return (all || slices.Contains(b.Tiers, pr.Tier) || slices.Contains(b.Providers, pr.Name)) &&
				(len(b.Services) == 0 || slices.Contains(b.Services, svc))
		}
	}
	v.ratesCover(covers)
	for _, pr := range v.provs {
		for _, svc := range services {
			if !v.needs(pr, svc) {
				continue
			}
			first := -1
			for i := range s.Payment {
				if !covers[i](pr, svc) {
					continue
				}
				if first < 0 {
					first = i
					continue
				}
				v.errorf(fmt.Sprintf("payment[%d]", i), "provider %q %s is bound twice: by payment[%d] and payment[%d]; want one binding",
					pr.Name, svc, first, i)
			}
			if first < 0 {
				v.sumf("payment", "provider %q %s has no payment rule; want a binding that covers it", pr.Name, svc)
			}
		}
	}
}

// needs reports whether provider pr gives care of service svc: outpatient
// care at a tier that sees outpatients, stays at a tier that treats some
// group, long stays at a tier some group refers down to.
func (v *validator) needs(pr Provider, svc string) bool {
	ti, ok := v.tierIdx[pr.Tier]
	if !ok {
		return false
	}
	switch svc {
	case Outpatient:
		return v.s.Tiers[ti].Outpatient
	case Inpatient:
		_, ok = v.inpatientTier[pr.Tier]
	case LongStay:
		_, ok = v.rehabTier[pr.Tier]
	}
	return ok
}

// ratesCover checks that a binding priced by rates per tier has a rate for
// the tier of every provider it covers: a per_diem or capitation binding
// for any service (capitation pays per enrollee whatever care the provider
// gives), a DRG or DIP window's per_diem fallback for stays, the only care
// it prices.
func (v *validator) ratesCover(covers []func(pr Provider, svc string) bool) {
	for i := range v.s.Payment {
		b := &v.s.Payment[i]
		var rates []TierRate
		var path string
		var what Phrase
		svcs := services
		switch {
		case b.Method == MethodPerDiem && b.PerDiem != nil:
			rates, path, what = b.PerDiem.Rates, "per_diem", phrase("per-diem")
		case b.Method == MethodCapitation && b.Capitation != nil:
			rates, path, what = b.Capitation.Rates, "capitation", phrase("capitation")
		case b.Method == MethodDRG && b.DRG != nil && b.DRG.Window != nil && b.DRG.Window.Fallback == MethodPerDiem && b.DRG.Window.PerDiem != nil:
			rates, path, what = b.DRG.Window.PerDiem.Rates, "drg.window.per_diem", phrase("per-diem")
			svcs = []string{Inpatient, LongStay}
		case b.Method == MethodDIP && b.DIP != nil && b.DIP.Window != nil && b.DIP.Window.Fallback == MethodPerDiem && b.DIP.Window.PerDiem != nil:
			rates, path, what = b.DIP.Window.PerDiem.Rates, "dip.window.per_diem", phrase("per-diem")
			svcs = []string{Inpatient, LongStay}
		default:
			continue
		}
		path = fmt.Sprintf("payment[%d].%s", i, path)
		has := map[string]bool{}
		for _, r := range rates {
			has[r.Tier] = true
		}
		for _, pr := range v.provs {
			if _, ok := v.tierIdx[pr.Tier]; !ok || has[pr.Tier] || !slices.ContainsFunc(svcs, func(svc string) bool { return covers[i](pr, svc) }) {
				continue
			}
			has[pr.Tier] = true // once per tier
			v.errorf(path+".rates", "%s.rates: tier %q of provider %q has no %s rate; want one for every tier the binding covers", path, pr.Tier, pr.Name, what)
		}
	}
}
