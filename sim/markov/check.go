package markov

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/scenario"
)

// MaxCells is the most cells a cohort may hold: age groups × sexes × the
// states, management and times in state of every condition.
const MaxCells = 1_000_000

// refusal is one reason a scenario cannot run as a cohort: the first place
// that gives it, how many more do, and what it is.
type refusal struct {
	path string
	what string // the value found at path
	more int
}

// check returns the reasons s cannot run as an exact cohort, as
// *scenario.Error values at the first place each is given, sorted by
// position; nil when it can.
func check(s *scenario.Scenario) error {
	var care, hetero, money refusal
	found := func(r *refusal, path, what string) {
		if r.path == "" {
			r.path, r.what = path, what
		} else {
			r.more++
		}
	}
	for i, b := range s.Population.AgeBands {
		p := fmt.Sprintf("population.age_bands[%d]", i)
		if b.Visits > 0 {
			found(&care, p+".visits", fmt.Sprintf("%s visits a year", num(b.Visits)))
		}
		if b.Admissions > 0 {
			found(&care, p+".admissions", fmt.Sprintf("%s admissions a year", num(b.Admissions)))
		}
	}
	for ci, c := range s.Conditions {
		cp := fmt.Sprintf("conditions[%d]", ci)
		for si, st := range c.States {
			p := fmt.Sprintf("%s.states[%d]", cp, si)
			if st.Visits > 0 {
				found(&care, p+".visits", fmt.Sprintf("%s visits a year", num(st.Visits)))
			}
			if st.VisitsManaged != nil && *st.VisitsManaged > 0 {
				found(&care, p+".visits_managed", fmt.Sprintf("%s visits a year", num(*st.VisitsManaged)))
			}
			for ei, ev := range st.Events {
				if ev.Rate > 0 {
					found(&care, fmt.Sprintf("%s.events[%d].rate", p, ei), fmt.Sprintf("%s admitting events a year", num(ev.Rate)))
				}
			}
		}
		frail := false
		for ti, tr := range c.Transitions {
			if tr.Admit != "" {
				found(&care, fmt.Sprintf("%s.transitions[%d].admit", cp, ti), fmt.Sprintf("an admission in %q", tr.Admit))
			}
			frail = frail || tr.Frailty
		}
		if c.Heterogeneity > 0 && frail {
			found(&hetero, cp+".heterogeneity", fmt.Sprintf("a frailty of coefficient of variation %s", num(c.Heterogeneity)))
		}
	}
	if s.Fund.Individual > 0 || s.Fund.Subsidy > 0 {
		path, x := "fund.individual", s.Fund.Individual
		if x == 0 {
			path, x = "fund.subsidy", s.Fund.Subsidy
		}
		found(&money, path, fmt.Sprintf("contributions of %s a year", num(x)))
	}
	for i, b := range s.Payment {
		if b.Method == scenario.MethodCapitation {
			found(&money, fmt.Sprintf("payment[%d].method", i), "capitation, paid per person-year")
		}
	}
	for i, c := range s.Consortia {
		if c.Budget != nil {
			found(&money, fmt.Sprintf("consortia[%d].budget", i), "a global budget")
		}
	}

	if sv := s.Supervision; sv != nil && (sv.Detection > 0 || sv.CostPerEnrollee > 0) {
		found(&money, "supervision", "an audit of the claims")
	}
	if c := s.Contracts; c != nil && c.Fee > 0 {
		found(&money, "contracts.fee", fmt.Sprintf("a contract fee of %s a year", num(c.Fee)))
	}
	var errs []*scenario.Error
	refuse := func(r refusal, why string) {
		if r.path == "" {
			return
		}
		more := ""
		if r.more > 0 {
			more = fmt.Sprintf(" (and %d more like it)", r.more)
		}
		errs = append(errs, &scenario.Error{Pos: s.At(r.path), Msg: fmt.Sprintf("%s: %s%s; %s", r.path, r.what, more, why)})
	}
	refuse(care, "cohort mode computes the expected values of Markov chains; care (visits, admissions) and the payment rules that price it are driven by individual events; run it without --mode cohort")
	refuse(hetero, "cohort mode computes one Markov chain for everyone and cannot follow a frailty drawn for each person; set heterogeneity: 0, or run it without --mode cohort")
	refuse(money, "cohort mode keeps no fund account: it counts no contributions and makes no payments; set them to 0, or run it without --mode cohort")
	if s.ResponsesOn() {
		errs = append(errs, &scenario.Error{Pos: s.At("responses"), Msg: "responses: providers respond to the incentives of the payment rules, episode by episode; cohort mode has no episodes; set responses.enabled: false, or run it without --mode cohort"})
	}
	if r := s.Population.Entrants.Rate; r > 0 {
		errs = append(errs, &scenario.Error{Pos: s.At("population.entrants.rate"), Msg: fmt.Sprintf(
			"population.entrants.rate: %s; cohort mode follows a closed cohort, and entrants join as whole persons, a share of those alive at each year's end; set it to 0, or run it without --mode cohort", num(r))})
	}
	if len(s.Phases) > 0 {
		errs = append(errs, &scenario.Error{Pos: s.At("phases"), Msg: "phases: cohort mode runs one Markov model through the run; run the phases without --mode cohort, or each phase's scenario as a cohort of its own"})
	}
	if len(s.Population.Enrolment) > 0 {
		errs = append(errs, &scenario.Error{Pos: s.At("population.enrolment"), Msg: "population.enrolment: cohort mode follows a closed cohort, and joiners and leavers are whole persons drawn at each year's end; remove it, or run it without --mode cohort"})
	}
	slices.SortStableFunc(errs, func(a, b *scenario.Error) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}

// checkSize refuses a cohort of more than MaxCells cells, at the by_years
// step that makes the largest condition's times in state many.
func checkSize(m *model.Model, groups int, conds []*condition) error {
	cells := 0
	for _, c := range conds {
		cells += groups * c.cells
	}
	if cells <= MaxCells {
		return nil
	}
	big := 0
	for i, c := range conds {
		if c.cells > conds[big].cells {
			big = i
		}
	}
	path, years := fmt.Sprintf("conditions[%d]", big), -1.0
	for ti, tr := range m.S.Conditions[big].Transitions {
		if n := len(tr.ByYears); n > 0 && tr.ByYears[n-1].Years > years {
			path, years = fmt.Sprintf("conditions[%d].transitions[%d].by_years[%d]", big, ti, n-1), tr.ByYears[n-1].Years
		}
	}
	c := conds[big]
	return errors.Join(&scenario.Error{Pos: m.S.At(path), Msg: fmt.Sprintf(
		"%s: the cohort would hold %d cells, more than %d: %d groups of age and sex, each with the cells of every condition, and %s has %d (%d states × %d of management × %d of whole cycles in a state, up to its last by_years step); run it without --mode cohort",
		path, cells, MaxCells, groups, c.name, c.cells, c.ns, c.nm, c.nd)})
}

func num(x float64) string { return fmt.Sprint(x) }
