package scenario

// Defaults of the responses (docs/responses.md gives each one's source or
// marks it an assumption).
var (
	defaultMild         = 0.5
	defaultInduced      = 0.1
	defaultWithheld     = 0.05
	defaultLOS          = 0.1
	defaultLOSCharges   = 0.5
	defaultUpcoding     = 0.015
	defaultUpcodingCap  = 0.05
	defaultSplit        = 0.02
	defaultReadmission  = 0.03
	defaultPull         = 0.25
	defaultDownReferral = 0.3
	defaultEffort       = 0.5
	defaultScreening    = 0.5
	defaultEnrolment    = 0.5
	defaultControl      = 0.2
	defaultComplication = 0.04
	defaultStaff        = 1.0
)

// setDefaults fills the parameters not given with their defaults.
func (r *Responses) setDefaults() {
	if r.Enabled == nil {
		r.Enabled = ptr(true)
	}
	if r.Baseline == "" {
		r.Baseline = BaselineFFS
	}
	for _, d := range []struct {
		p   **float64
		def float64
	}{
		{&r.Mild, defaultMild}, {&r.Induced, defaultInduced}, {&r.Withheld, defaultWithheld},
		{&r.LOS, defaultLOS}, {&r.LOSCharges, defaultLOSCharges}, {&r.Upcoding, defaultUpcoding}, {&r.UpcodingCap, defaultUpcodingCap},
		{&r.Split, defaultSplit}, {&r.Readmission, defaultReadmission}, {&r.Pull, defaultPull},
		{&r.DownReferral, defaultDownReferral},
		{&r.Prevention.Effort, defaultEffort}, {&r.Prevention.Screening, defaultScreening},
		{&r.Prevention.Enrolment, defaultEnrolment}, {&r.Prevention.Control, defaultControl},
		{&r.Prevention.Complications, defaultComplication}, {&r.Prevention.Staff, defaultStaff},
	} {
		if *d.p == nil {
			*d.p = ptr(d.def)
		}
	}
}

func ptr[T any](x T) *T { return &x }

// ResponsesOn reports whether the scenario's providers respond to their incentives:
// it has a responses block that is enabled.
func (s *Scenario) ResponsesOn() bool {
	return s.Responses != nil && (s.Responses.Enabled == nil || *s.Responses.Enabled)
}

// responses checks the responses block: every parameter ≥ 0; the shares,
// the length-of-stay and upcoding factors and the baseline in their ranges.
func (v *validator) responses() {
	r := v.s.Responses
	if r == nil {
		return
	}
	const p = "responses"
	if r.Baseline != BaselineFFS && r.Baseline != BaselineNeed {
		v.errorf(p+".baseline", "%s.baseline: %q is not known; want %s or %s", p, r.Baseline, BaselineFFS, BaselineNeed)
	}
	v.optBetween(p+".mild", r.Mild, 0, 1)
	if r.Mild != nil && *r.Mild == 0 {
		v.errorf(p+".mild", "%s.mild: 0; want an induced episode's share of an average one's charges in (0,1]", p)
	}
	v.optBetween(p+".los_charges", r.LOSCharges, 0, 1)
	v.optBetween(p+".los", r.LOS, 0, 1)
	v.optBetween(p+".upcoding", r.Upcoding, 0, 1)
	v.optBetween(p+".upcoding_cap", r.UpcodingCap, 0, 1)
	v.optBetween(p+".prevention.complications", r.Prevention.Complications, 0, 1)
	for _, x := range []struct {
		path string
		x    *float64
	}{
		{"induced", r.Induced}, {"withheld", r.Withheld}, {"split", r.Split},
		{"readmission", r.Readmission}, {"pull", r.Pull}, {"down_referral", r.DownReferral},
		{"prevention.effort", r.Prevention.Effort}, {"prevention.screening", r.Prevention.Screening},
		{"prevention.enrolment", r.Prevention.Enrolment}, {"prevention.control", r.Prevention.Control},
		{"prevention.staff", r.Prevention.Staff},
	} {
		v.optAtLeast(p+"."+x.path, x.x, 0)
	}
}

// Budgeted returns the consortium holding the global budget, or nil.
func (s *Scenario) Budgeted() *Consortium {
	for i := range s.Consortia {
		if s.Consortia[i].Budget != nil {
			return &s.Consortia[i]
		}
	}
	return nil
}

// IsPrevalent reports whether state i of c counts toward its prevalence:
// its prevalent flag, by default every state but the first.
func (c *Condition) IsPrevalent(i int) bool {
	if p := c.States[i].Prevalent; p != nil {
		return *p
	}
	return i > 0
}

// PreventionTarget is the prevention parameter that scales a transition.
type PreventionTarget int

// The transitions prevention effort scales (Prevention).
const (
	NoPrevention  PreventionTarget = iota
	Complications                  // into death, or into a complication from a state without one: × (1 − e × complications)
	Control                        // from a prevalent state into a controlled one: × (1 + e × control)
	Screening                      // from a prevalent, undiagnosed state into a diagnosed one: × (1 + e × screening)
)

// PreventionOf classifies the transition from one state to another, the
// first prevalent or not: effort does not make anyone ill, so it scales
// screening and control only from a prevalent state.
func PreventionOf(from, to *State, fromPrevalent bool) PreventionTarget {
	switch {
	case to.Dead || (to.Complication && !from.Complication):
		return Complications
	case !fromPrevalent:
		return NoPrevention
	case to.Controlled && !from.Controlled:
		return Control
	case to.Diagnosed && !from.Diagnosed:
		return Screening
	}
	return NoPrevention
}
