// Package scenario reads paysim scenario files (format version 1) into plain,
// validated structs. It imports no other sim package.
//
// A scenario is YAML. Mappings decode into the structs below by their yaml
// tags; every value keeps the file, line and column it came from (see Pos and
// Scenario.Pos), so that every problem can be reported where it is.
package scenario

import "slices"

// Cycle is the length of one simulated step.
type Cycle string

// The cycles a scenario may use.
const (
	Month Cycle = "month" // 12 cycles a year (the default)
	Year  Cycle = "year"  // 1 cycle a year, for textbook Markov models
)

// Currency is a currency's ISO 4217 code: three capital letters (not
// checked against the list).
type Currency string

// CNY, the Chinese yuan, is the default currency.
const CNY Currency = "CNY"

// currencySymbols are the symbols reports print for the common codes.
var currencySymbols = map[Currency]string{"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}

// Code is c, or CNY when c is empty (a scenario built in code and not
// validated).
func (c Currency) Code() Currency {
	if c == "" {
		return CNY
	}
	return c
}

// Symbol is what reports print for the currency: its sign for CNY, USD, EUR
// and GBP, the code itself otherwise ("million CHF"); ¥ when empty.
func (c Currency) Symbol() string {
	if sym, ok := currencySymbols[c.Code()]; ok {
		return sym
	}
	return string(c)
}

// Prefix is what reports print before an amount: the sign ("¥1,234"), or
// the code and a space ("CHF 1,234").
func (c Currency) Prefix() string {
	if sym, ok := currencySymbols[c.Code()]; ok {
		return sym
	}
	return string(c) + " "
}

// valid reports whether c is three capital letters A–Z.
func (c Currency) valid() bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// CyclesPerYear is 12 for Month and 1 for Year.
func (c Cycle) CyclesPerYear() int {
	if c == Year {
		return 1
	}
	return 12
}

// Services a payment rule can be bound to.
const (
	Outpatient = "outpatient"
	Inpatient  = "inpatient"
	LongStay   = "long_stay" // post-acute stays after a down-referral (rehab)
)

// Scenario is one validated scenario file (after `extends:` and `--set` are
// applied).
type Scenario struct {
	Version      int     `yaml:"version"`       // format version; must be 1
	Name         string  `yaml:"name"`          // short identifier, shown in reports
	Description  string  `yaml:"description"`   // one paragraph for people
	Seed         uint64  `yaml:"seed"`          // default random seed
	StartYear    int     `yaml:"start_year"`    // calendar year of the first simulated year
	Years        int     `yaml:"years"`         // horizon [years], 1..200
	Cycle        Cycle   `yaml:"cycle"`         // "month" (default) or "year"
	DiscountRate float64 `yaml:"discount_rate"` // annual rate for discounted costs, life-years and QALYs [0,1)
	// Rewards are when a cycle's state rewards (life-years, QALYs, state
	// costs) are counted, and the discount rates of costs and effects.
	Rewards Rewards `yaml:"rewards"`
	// Currency is the ISO 4217 code of the scenario's money (every amount
	// the scenario gives and every amount reported); default CNY.
	Currency   Currency    `yaml:"currency"`
	Population Population  `yaml:"population"`
	Conditions []Condition `yaml:"conditions"` // chronic conditions, each a state machine
	Tiers      []Tier      `yaml:"tiers"`      // tiers of care, in order from the lowest (village) up
	Providers  []Provider  `yaml:"providers"`  // optional; default: one provider per tier, named after it
	Groups     []Group     `yaml:"groups"`     // inpatient case groups (DRG/DIP-like)
	Choice     Choice      `yaml:"choice"`     // how patients choose a tier
	Variation  Variation   `yaml:"variation"`  // spread of charges and length of stay around their means
	Benefit    Benefit     `yaml:"benefit"`    // patient cost sharing
	Fund       Fund        `yaml:"fund"`       // contributions and opening balance
	// Trends are how prices, the intensity of care and its volume grow from
	// year to year; none: the charges of an episode and the rates of care
	// stay as the first year's.
	Trends  Trends    `yaml:"trends"`
	Payment []Binding `yaml:"payment"` // payment rules bound to (providers, services)
	// Consortia hold a global budget (按人头总额付费): their members are paid
	// by the rules bound to them out of the budget instead of by the fund.
	Consortia []Consortium `yaml:"consortia"`
	// Uplift is what a consortium's investment in the capability of its
	// members' tiers buys (远程医疗, 专家下沉, 人员轮岗; docs/mechanisms.md).
	// Absent, capability stays as the tiers give it.
	Uplift *Uplift `yaml:"uplift"`
	// Responses are how providers respond to the incentives they face (MODEL
	// §4; docs/responses.md). Absent, the run is accounting only: nothing
	// responds to how it is paid.
	Responses *Responses `yaml:"responses"`
	// Supervision is the fund's smart audit (智慧医保 监管): it detects a
	// share of the upcoded and induced claims. Absent: none.
	Supervision *Supervision `yaml:"supervision"`
	// Contracts are family-doctor contracts (家庭医生签约) of the managed
	// persons, with their fee. Absent: no fee is paid.
	Contracts *Contracts `yaml:"contracts"`
	// Expect are assertions on the run's results, checked after it: a failed
	// one makes paysim run exit with status 1.
	Expect []Expectation `yaml:"expect"`
	// Uncertain parameters are drawn once per replicate from their
	// distributions (a probabilistic sensitivity analysis): each replaces the
	// value at its path, as --set would.
	Uncertain []Uncertain `yaml:"uncertain"`
	// Strategies are the scenario's arms for paysim compare: each is the
	// scenario with its sets applied, as --set would apply them.
	Strategies []Strategy `yaml:"strategies"`
	// Phases change the rules of the run from a year on: from its year,
	// each phase's scenario (a file of the same county) runs in place of
	// this one, on the same persons and the same fund.
	Phases []Phase `yaml:"phases"`
	// Measured is a before–after study the scenario poses as it was
	// measured: paysim compare FILE reports the study's figures beside the
	// model's, and decomposes each change by mechanism.
	Measured *Measured `yaml:"measured"`

	// Pos maps the path of every value read (dotted, with list indexes, as
	// messages write it: payment[0].drg.mode) to where it was read. The loader fills it; validation and later stages use it to
	// place their errors.
	Pos map[string]Pos `yaml:"-"`
	// File is the file the scenario was loaded from (the top of the extends chain).
	File string `yaml:"-"`
}

// Rewards are the conventions of a cohort model's rewards (docs/scenario.md
// §5.2a): when in a cycle the states held are counted, and the annual rates
// that discount money and health.
type Rewards struct {
	Timing Timing `yaml:"timing"` // start (the default), end, half_cycle or life_table
	// DiscountCosts discounts money: state costs, charges and payments
	// [0,1); default DiscountRate.
	DiscountCosts *float64 `yaml:"discount_costs"`
	// DiscountEffects discounts life-years and QALYs [0,1); default
	// DiscountRate.
	DiscountEffects *float64 `yaml:"discount_effects"`
}

// Timing is when a cycle counts the states held, for its state rewards.
type Timing string

// The timings a scenario may use.
const (
	// TimingStart counts the states at the start of each cycle, discounted
	// from there.
	TimingStart Timing = "start"
	// TimingEnd counts the states at the end of each cycle, discounted
	// from there.
	TimingEnd Timing = "end"
	// HalfCycle is the half-cycle correction: the counts at the start of
	// every cycle and at the end of the last, the first and the last
	// halved, each discounted from its time (the trapezoid rule).
	HalfCycle Timing = "half_cycle"
	// LifeTable counts in each cycle the mean of the states at its start
	// and at its end (the life table's person-years), discounted from the
	// middle of the cycle.
	LifeTable Timing = "life_table"
)

// Timings are the timings a scenario may use, in the order messages list
// them.
var Timings = []Timing{TimingStart, TimingEnd, HalfCycle, LifeTable}

// CostRate is the annual rate that discounts money: rewards.discount_costs,
// or discount_rate.
func (s *Scenario) CostRate() float64 {
	if r := s.Rewards.DiscountCosts; r != nil {
		return *r
	}
	return s.DiscountRate
}

// EffectRate is the annual rate that discounts life-years and QALYs:
// rewards.discount_effects, or discount_rate.
func (s *Scenario) EffectRate() float64 {
	if r := s.Rewards.DiscountEffects; r != nil {
		return *r
	}
	return s.DiscountRate
}

// Population is the synthetic insured cohort at the start of the run.
type Population struct {
	Size      int     `yaml:"size"`       // insured persons at start, 1..50,000,000
	MaleShare float64 `yaml:"male_share"` // share of males [0,1]
	// MaleMortality multiplies the background death rate of males (default 1).
	MaleMortality *float64   `yaml:"male_mortality"`
	AgeBands      []AgeBand  `yaml:"age_bands"` // contiguous, from age 0 up; weights sum to 1
	Townships     []Township `yaml:"townships"` // optional; default one township "all"
	// Admissions is the case mix of the background admissions of AgeBand.Admissions:
	// group name → share; shares sum to 1. Required when any band has admissions.
	Admissions Dist     `yaml:"admissions"`
	Entrants   Entrants `yaml:"entrants"`
	// BackgroundNCDShare is the share of the background deaths at ages
	// 30–69 that are from the four major non-communicable diseases
	// (cardiovascular disease, cancer, chronic respiratory disease,
	// diabetes) other than the declared conditions: with the conditions'
	// deaths they make the premature mortality the WHO defines [0,1],
	// default 0 (the declared conditions only).
	BackgroundNCDShare float64 `yaml:"background_ncd_share"`
	// Enrolment is the turnover of the insured by year: who leaves the
	// scheme alive and who joins it, each change applying from its year on.
	Enrolment []EnrolmentChange `yaml:"enrolment"`
}

// AgeBand is a range of ages with its share of the cohort, its background
// mortality and its background use of care (care not caused by a declared
// condition).
type AgeBand struct {
	Name       string   `yaml:"name"`       // e.g. "60-69"; referenced by conditions
	From       int      `yaml:"from"`       // first age in the band [years], 0..120
	To         int      `yaml:"to"`         // last age in the band, inclusive; the last band also holds everyone older
	Weight     float64  `yaml:"weight"`     // share of the starting population [0,1]
	Mortality  float64  `yaml:"mortality"`  // background death rate [per person-year], ≥ 0
	Visits     float64  `yaml:"visits"`     // background outpatient visits [per person-year], ≥ 0
	Admissions float64  `yaml:"admissions"` // background admissions [per person-year], ≥ 0
	Utility    *float64 `yaml:"utility"`    // baseline utility weight [0,1], default 1
}

// Township is a part of the pool; providers may serve only some townships.
type Township struct {
	Name   string  `yaml:"name"`
	Weight float64 `yaml:"weight"` // share of the population [0,1]; weights sum to 1
}

// Entrants join the pool at each year's end.
type Entrants struct {
	Rate float64 `yaml:"rate"` // entrants per year as a share of the persons alive at year end [0,1]
	Age  int     `yaml:"age"`  // age of entrants [years]; must fall in a band
}

// EnrolmentChange is the turnover of the insured from a year on, until the
// next change: at the start of that year and of each year after it, a share
// Leave of the persons enrolled at the end of the year before leave the
// scheme alive (they migrate, or stop paying the contribution), and
// Join × those persons join it, drawn as the starting population was.
type EnrolmentChange struct {
	Year  int     `yaml:"year"`  // calendar year from whose start it applies; after the first year, within the horizon
	Leave float64 `yaml:"leave"` // share of the enrolled who leave at the start of each year [0,1]
	Join  float64 `yaml:"join"`  // persons who join at the start of each year ÷ the enrolled [0,1]
}

// Turnover returns the shares of the enrolled who leave and join at the
// start of calendar year y: those of the last change from y or before, 0
// before the first.
func (p *Population) Turnover(y int) (leave, join float64) {
	for _, e := range p.Enrolment {
		if e.Year <= y {
			leave, join = e.Leave, e.Join
		}
	}
	return leave, join
}

// PersonsEver is the number of persons the run holds by its last year: the
// starting population grown by each year's entrants and joiners (those who
// die or leave keep their places).
func (s *Scenario) PersonsEver() float64 {
	n := float64(s.Population.Size)
	for y := 1; y < s.Years; y++ {
		_, join := s.Population.Turnover(s.StartYear + y)
		n *= 1 + s.Population.Entrants.Rate + join
	}
	return n
}

// Condition is a chronic condition declared as a state machine.
//
// The first state is the condition-free state everyone outside the initial
// distribution starts in. Transitions from one state are either all annual
// rates (resolved as competing risks) or all per-cycle probabilities (a row
// summing to at most 1 with every modifier applied; the rest is staying).
type Condition struct {
	Name        string       `yaml:"name"`
	States      []State      `yaml:"states"`      // at least 2; names unique within the condition
	Initial     []BandDist   `yaml:"initial"`     // state distribution at start, per age band; bands not listed start in the first state
	Transitions []Transition `yaml:"transitions"` // at most one per (from, to)
	// Heterogeneity is the coefficient of variation of a per-person frailty
	// factor (lognormal, mean 1), drawn once when the cohort is made and
	// multiplying the transitions that set frailty: true. 0 means none. [0,3]
	Heterogeneity float64 `yaml:"heterogeneity"`
	// InitialYears: time already spent in the initial state is drawn uniformly
	// in [0, InitialYears) when the cohort is made [years], ≥ 0.
	InitialYears float64    `yaml:"initial_years"`
	Management   Management `yaml:"management"`
}

// State is one state of a condition and what a person in it needs.
type State struct {
	Name string `yaml:"name"`
	// Prevalent counts the state toward the condition's prevalence. Default:
	// true for every state but the first.
	Prevalent    *bool   `yaml:"prevalent"`
	Diagnosed    bool    `yaml:"diagnosed"`    // known to the health system: may enrol in management
	Controlled   bool    `yaml:"controlled"`   // counts toward the control rate
	Complication bool    `yaml:"complication"` // a severe case or complication (重症)
	Dead         bool    `yaml:"dead"`         // absorbing: entering it is death from the condition
	Visits       float64 `yaml:"visits"`       // outpatient visits [per person-year], ≥ 0
	// VisitsManaged replaces Visits for persons enrolled in management (default: Visits).
	VisitsManaged *float64 `yaml:"visits_managed"`
	Events        []Event  `yaml:"events"` // acute events, each causing an admission
	// Cost is the annual state cost for teaching models [per person-year],
	// ≥ 0, not billed: a number, or a mapping of cost categories (drug,
	// hospital) to amounts that the outputs report apart.
	Cost Costs `yaml:"cost"`
	// CostByRunYears changes Cost with the time since the start of the run,
	// the same for everyone (a drug given for the first N years): the cost
	// of the last step whose Years is at most that time applies.
	CostByRunYears []CostStep `yaml:"cost_by_run_years"`
	Utility        *float64   `yaml:"utility"` // utility weight [0,1], default 1; multiplies the band's utility and other conditions'
}

// Event is an acute event of a state that causes an admission in Group.
type Event struct {
	Group   string   `yaml:"group"`   // an inpatient group
	Rate    float64  `yaml:"rate"`    // events [per person-year], ≥ 0
	Managed *float64 `yaml:"managed"` // rate multiplier when enrolled in management, ≥ 0, default 1
}

// Transition is a move between two states of a condition.
type Transition struct {
	From string   `yaml:"from"`
	To   string   `yaml:"to"`
	Rate *float64 `yaml:"rate"` // annual rate, ≥ 0 (exactly one of rate and prob)
	Prob *float64 `yaml:"prob"` // per-cycle probability [0,1]
	// ByBand multiplies by age band: band name → factor ≥ 0; bands not listed: 1.
	ByBand Dist `yaml:"by_band"`
	// Managed multiplies when the person is enrolled in management, ≥ 0, default 1.
	Managed *float64 `yaml:"managed"`
	// ByYears multiplies by the time spent in the current state: the factor of
	// the last step whose Years is at most that time applies (1 before the first).
	ByYears []Step `yaml:"by_years"`
	// ByRunYears multiplies by the time since the start of the run, the same
	// for everyone: the factor of the last step whose Years is at most that
	// time applies (1 before the first). A treatment effect that lasts five
	// years is [{years: 0, factor: 0.5}, {years: 5, factor: 1}].
	ByRunYears []Step `yaml:"by_run_years"`
	Frailty    bool   `yaml:"frailty"` // multiply by the person's frailty factor
	// Admit names the group of the admission the transition causes (a stroke
	// admitted as hypertension turns into post-stroke, say); empty: none.
	// The admission is booked even when the transition is death.
	Admit string `yaml:"admit"`
}

// CostStep is one step of a state cost that changes with run time.
type CostStep struct {
	Years float64 `yaml:"years"` // time since the start of the run from which Cost applies [years], ≥ 0, increasing
	Cost  Costs   `yaml:"cost"`  // the state's annual cost from then on, ≥ 0, as State.Cost; categories it leaves out cost 0
}

// Costs is a state's annual cost by category, in the file's order. A
// number is one amount in the category StateCategory.
type Costs []Share

// The cost categories the outputs name without a scenario declaring them.
const (
	// StateCategory holds a state cost given as a number.
	StateCategory = "state"
	// CareCategory is the cost of care (the episodes' charges, or what the
	// fund paid for them) in a comparison's costs; no state cost may use it.
	CareCategory = "care"
)

// CostCategories are the categories of the scenario's state costs, in the
// order they first appear in its conditions' states and their steps; none
// when no state has a cost.
func (s *Scenario) CostCategories() []string {
	var out []string
	add := func(c Costs) {
		for _, a := range c {
			if !slices.Contains(out, a.Name) {
				out = append(out, a.Name)
			}
		}
	}
	for _, c := range s.Conditions {
		for _, st := range c.States {
			add(st.Cost)
			for _, cs := range st.CostByRunYears {
				add(cs.Cost)
			}
		}
	}
	return out
}

// path is the path of category name's amount in a cost at path: path
// itself for a cost given as a number (the one amount in StateCategory).
func (c Costs) path(path, name string) string {
	if len(c) == 1 && name == StateCategory {
		return path
	}
	return join(path, name)
}

// Total is the sum of the amounts.
func (c Costs) Total() float64 {
	t := 0.0
	for _, a := range c {
		t += a.Value
	}
	return t
}

// Of is the amount of category name (0 when c leaves it out).
func (c Costs) Of(name string) float64 {
	for _, a := range c {
		if a.Name == name {
			return a.Value
		}
	}
	return 0
}

// Step is one step of a modifier by time: time in the state (by_years) or
// since the start of the run (by_run_years).
type Step struct {
	Years  float64 `yaml:"years"`  // time from which Factor applies [years], ≥ 0, increasing
	Factor float64 `yaml:"factor"` // multiplier, ≥ 0
}

// BandDist is a distribution over a condition's states for one age band.
type BandDist struct {
	Band   string `yaml:"band"`
	States Dist   `yaml:"states"` // state name → share; sums to 1
}

// Management is enrolment in chronic-disease management (family-doctor
// contract, 家庭医生签约) among persons in diagnosed states.
type Management struct {
	Initial float64 `yaml:"initial"` // share of diagnosed persons enrolled at start [0,1]
	Enrol   float64 `yaml:"enrol"`   // enrolment rate of diagnosed, unenrolled persons [per person-year], ≥ 0
	Drop    float64 `yaml:"drop"`    // drop-out rate of enrolled persons [per person-year], ≥ 0
}

// Tier is a level of care.
type Tier struct {
	Name     string `yaml:"name"`
	Primary  bool   `yaml:"primary"`   // counts toward the primary outpatient share (基层就诊率)
	InCounty bool   `yaml:"in_county"` // counts toward the in-county admission share (县域内住院率)
	// Outpatient: the tier sees outpatients; VisitCharges is then > 0.
	Outpatient   bool    `yaml:"outpatient"`
	VisitCharges float64 `yaml:"visit_charges"` // mean charges per outpatient visit [yuan], ≥ 0
	// BedDayCharges are the charges per bed-day of a long stay (rehab) [yuan], ≥ 0.
	BedDayCharges float64 `yaml:"bed_day_charges"`
	// CostToCharge is resource cost ÷ charges (default 1), (0,10].
	CostToCharge *float64 `yaml:"cost_to_charge"`
	// Capability multiplies a group's severity in the tier's utility, ≥ 0.
	Capability float64 `yaml:"capability"`
	// Constants are the tier's utility constants in the choice model.
	Constants Constants `yaml:"constants"`
}

// Constants are a tier's utility constants by kind of episode.
type Constants struct {
	Visit     float64 `yaml:"visit"`     // background outpatient visits
	Chronic   float64 `yaml:"chronic"`   // visits caused by a condition state
	Admission float64 `yaml:"admission"` // first contact of an admission
}

// Provider is a facility (or an aggregate of facilities) of one tier.
type Provider struct {
	Name      string   `yaml:"name"`
	Tier      string   `yaml:"tier"`
	Townships []string `yaml:"townships"` // served townships; empty: all. Each township is served by exactly one provider of each tier that has providers.
}

// Group is an inpatient case group.
type Group struct {
	Name     string   `yaml:"name"`
	RW       *float64 `yaml:"rw"`       // relative weight, ≥ 0 (optional in version 1)
	Severity float64  `yaml:"severity"` // utility per unit of tier capability in the choice model, ≥ 0
	// ByTier: the tiers able to treat the group, with mean charges and length
	// of stay there. At least one.
	ByTier []GroupTier `yaml:"by_tier"`
	Rehab  *Rehab      `yaml:"rehab"` // optional down-referral to a long stay after the admission
}

// GroupTier is how a tier treats a group.
type GroupTier struct {
	Tier    string  `yaml:"tier"`
	Charges float64 `yaml:"charges"` // mean charges per stay [yuan], > 0
	LOS     float64 `yaml:"los"`     // mean length of stay [days], ≥ 1
	// Requires is the capability the tier needs to treat the group, ≥ 0
	// (default 0: always). An entry whose tier's capability is below it
	// treats nothing until a consortium's investment raises the tier's
	// capability to it (Uplift; docs/mechanisms.md).
	Requires float64 `yaml:"requires"`
}

// Rehab is a post-acute long stay (下转) that follows some admissions of a group.
type Rehab struct {
	Share float64 `yaml:"share"` // share of admissions referred down [0,1]
	Tier  string  `yaml:"tier"`  // tier of the long stay; must have bed_day_charges > 0
	LOS   float64 `yaml:"los"`   // mean length of the long stay [days], ≥ 1
}

// Choice holds the parameters of the tier choice (multinomial logit) shared
// by all tiers. Utility = tier constant + group severity × tier capability −
// price sensitivity × expected out-of-pocket [thousand yuan].
type Choice struct {
	PriceSensitivity float64 `yaml:"price_sensitivity"` // utility per thousand yuan of expected OOP, ≥ 0
}

// Variation is the spread of draws around their means (lognormal, mean kept).
type Variation struct {
	Charges float64 `yaml:"charges"` // coefficient of variation of charges per episode [0,5]
	LOS     float64 `yaml:"los"`     // coefficient of variation of length of stay [0,5]
}

// Benefit is the patient cost sharing (MODEL §5, benefit design).
type Benefit struct {
	InpatientCeiling  float64       `yaml:"inpatient_ceiling"`  // 封顶线: fund-covered inpatient and long-stay amount per person-year [yuan], > 0
	OutpatientCeiling float64       `yaml:"outpatient_ceiling"` // fund-covered outpatient amount per person-year [yuan], ≥ 0
	Tiers             []TierBenefit `yaml:"tiers"`              // one per tier; a tier not listed pays nothing
}

// TierBenefit is the cost sharing at one tier.
type TierBenefit struct {
	Tier       string  `yaml:"tier"`
	Outpatient Sharing `yaml:"outpatient"`
	Inpatient  Sharing `yaml:"inpatient"`
	LongStay   Sharing `yaml:"long_stay"`
}

// Sharing is the cost sharing of one service: the fund covers
// Ratio × max(0, Eligible × charges − Deductible), within the annual ceiling.
type Sharing struct {
	Deductible float64  `yaml:"deductible"` // per episode (起付线) [yuan], ≥ 0
	Ratio      float64  `yaml:"ratio"`      // reimbursement ratio (报销比例) [0,1]
	Eligible   *float64 `yaml:"eligible"`   // share of charges inside the catalogue (政策范围内) [0,1], default 1
}

// Fund is the pool's income side and opening balance.
type Fund struct {
	Individual     float64 `yaml:"individual"`      // individual contribution [yuan per enrollee-year], ≥ 0
	Subsidy        float64 `yaml:"subsidy"`         // government subsidy [yuan per enrollee-year], ≥ 0
	Growth         float64 `yaml:"growth"`          // yearly growth of both after the first year [-0.5,1]
	OpeningBalance float64 `yaml:"opening_balance"` // balance at start [yuan]
	// OpeningPerEnrollee adds this much per person at the start to the
	// opening balance [yuan], so that the balance scales with population.size.
	OpeningPerEnrollee float64 `yaml:"opening_per_enrollee"`
	// OtherIncome is the fund's income above the standard contributions
	// (interest, other revenue), as a share of them [0,1].
	OtherIncome float64 `yaml:"other_income"`
	// Premium is the share of the fund's income paid to the serious-illness
	// (大病保险) insurer as its premium, every cycle, whatever pays the
	// providers [0,1).
	Premium float64 `yaml:"premium"`
}

// Trends are how the baseline grows (docs/scenario.md, trends): in year y
// of the run (0 the first) an episode's charges are its first-year charges
// × (1 + price)^y × (1 + intensity)^y of its service (a tier's own where
// Tiers gives one) × (1 − share × cut) of every shock in force; background
// visits and admissions per person grow by Volume. Resource cost follows
// the charges (cost_to_charge).
type Trends struct {
	Price     ServiceRates `yaml:"price"`     // yearly growth of unit prices, by service [-0.5,1]
	Intensity ServiceRates `yaml:"intensity"` // yearly growth of the services in an episode, by service [-0.5,1]
	Tiers     []TierTrend  `yaml:"tiers"`     // a tier's own price and intensity growth, by service
	Volume    Volume       `yaml:"volume"`
	// Mortality is the yearly change of the age bands' background death
	// rates [-0.5,1]: a rate of year y is its first-year rate × (1 +
	// mortality)^y (negative: mortality falls, as it does secularly).
	Mortality float64 `yaml:"mortality"`
	Shocks    []Shock `yaml:"shocks"`
}

// ServiceRates are yearly rates by service; a service not given has none
// (or, in a tier's trend, the service's).
type ServiceRates struct {
	Outpatient *float64 `yaml:"outpatient"`
	Inpatient  *float64 `yaml:"inpatient"`
	LongStay   *float64 `yaml:"long_stay"`
}

// Of returns the rate of the service named svc (Outpatient, Inpatient or
// LongStay), or nil.
func (r *ServiceRates) Of(svc string) *float64 {
	switch svc {
	case Outpatient:
		return r.Outpatient
	case Inpatient:
		return r.Inpatient
	case LongStay:
		return r.LongStay
	}
	return nil
}

// TierTrend is a tier's own price and intensity growth.
type TierTrend struct {
	Tier      string       `yaml:"tier"`
	Price     ServiceRates `yaml:"price"`
	Intensity ServiceRates `yaml:"intensity"`
}

// Volume is the yearly growth of the background rates of care per person
// (the age bands' visits and admissions; the conditions' care follows the
// conditions) [-0.5,1].
type Volume struct {
	Visits     float64 `yaml:"visits"`
	Admissions float64 `yaml:"admissions"`
}

// Shock is a price cut from a year on: volume-based procurement (集采)
// cutting the price of the drugs and consumables in the charges. Several
// shocks give the share by service, tier and group, and cuts by year.
//
// What the providers do with the margin the cut leaves depends on how they
// are paid: fee-for-service passes the cut on to the fund and the patients
// at once, while a case price (DRG, DIP) or a budget set before the cut
// leaves it with the providers, until the price is re-based on the new
// cost (RebasedFrom).
type Shock struct {
	Name     string   `yaml:"name"`
	Year     int      `yaml:"year"`     // calendar year from which the cut applies, within the horizon
	Services []string `yaml:"services"` // services whose charges it cuts; empty: all (with groups: inpatient)
	Tiers    []string `yaml:"tiers"`    // tiers whose charges it cuts; empty: all
	Groups   []string `yaml:"groups"`   // inpatient groups whose stays it cuts; empty: every stay and visit of its services
	Share    float64  `yaml:"share"`    // share of the charges the cut applies to (drugs and consumables) [0,1]
	Cut      float64  `yaml:"cut"`      // the price cut on that share [0,1]
	// RebasedFrom is the calendar year from which the DRG and DIP rules
	// paying the stays it cuts re-base their prices on the cut cost
	// (docs/payment.md, "Procurement"); 0: never, the providers keep the
	// margin.
	RebasedFrom int `yaml:"rebased_from"`
}

// Cuts reports whether the shock cuts, in calendar year y, the charges of
// service at tier for a stay in group ("" for a visit).
func (sh *Shock) Cuts(y int, service, tier, group string) bool {
	return sh.Year <= y && (len(sh.Services) == 0 && (len(sh.Groups) == 0 || service == Inpatient) || slices.Contains(sh.Services, service)) &&
		(len(sh.Tiers) == 0 || slices.Contains(sh.Tiers, tier)) && (len(sh.Groups) == 0 || slices.Contains(sh.Groups, group))
}

// Binding binds a payment method to providers and services. The method's
// parameters are in the block named after it (per_diem, drg, dip,
// capitation: a field of the method's name); ffs has none.
type Binding struct {
	Name       string      `yaml:"name"` // optional label used in reports
	Method     Method      `yaml:"method"`
	Tiers      []string    `yaml:"tiers"`     // the providers of these tiers
	Providers  []string    `yaml:"providers"` // these providers (with Tiers: the union); both empty: all providers
	Services   []string    `yaml:"services"`  // outpatient, inpatient, long_stay; empty: all
	PerDiem    *PerDiem    `yaml:"per_diem"`
	DRG        *DRG        `yaml:"drg"`
	DIP        *DIP        `yaml:"dip"`
	Capitation *Capitation `yaml:"capitation"`
}

// Method is a payment method as a binding names it. The method's parameter
// block, if it has one, is the Binding field of the same YAML name.
type Method string

// The payment methods, in the order messages list them. sim's table of
// methods builds a rule for each; a method is added there, here, and in its
// own folder under sim/payment.
const (
	MethodFFS        Method = "ffs"        // fee-for-service: the itemised charges
	MethodPerDiem    Method = "per_diem"   // by bed-day (按床日)
	MethodDRG        Method = "drg"        // by diagnosis-related group (费率法 or 点数法)
	MethodDIP        Method = "dip"        // by disease-procedure points (按病种分值付费)
	MethodCapitation Method = "capitation" // per enrollee (按人头付费)
)

// Methods are the payment methods a binding may name.
var Methods = []Method{MethodFFS, MethodPerDiem, MethodDRG, MethodDIP, MethodCapitation}

// DRGMode is the DRG method: the rate method or the point method.
type DRGMode string

// The DRG modes.
const (
	RateMethod  DRGMode = "rate"   // 费率法 (also the empty default)
	PointMethod DRGMode = "points" // 点数法
)

// Transfer is how a DRG pays transfers and incomplete stays.
type Transfer string

// The transfer methods.
const (
	TransferPerDiem Transfer = "per_diem" // US: per diem P ÷ GMLOS (42 CFR 412.4(f))
	TransferChina   Transfer = "china"    // Zhejiang: P × min(1, c ÷ mean)
)

// Family is a family of DRG high-cost outlier payments.
type Family string

// The outlier families.
const (
	OutlierMultiple  Family = "multiple"   // China: c > H × mean
	OutlierFixedLoss Family = "fixed_loss" // US IPPS: cost above P + fixed loss × k_h
)

// Capitation is payment per enrollee (按人头付费): each bound provider is paid
// its tier's rate for every person-year lived in the townships it serves,
// whatever care it gives; per case it keeps only the patient's share.
type Capitation struct {
	Rates []TierRate `yaml:"rates"` // rate per enrollee-year by tier [yuan]; every bound provider's tier needs one
}

// PerDiem is payment by bed-day (按床日): revenue = rate × days paid, where
// days beyond Threshold are paid at After × rate and no more than DayCap days
// are paid.
type PerDiem struct {
	Rates     []TierRate `yaml:"rates"`     // rate per bed-day by tier; every bound provider's tier needs one
	DayCap    int        `yaml:"day_cap"`   // most days paid per stay; 0: no cap
	Threshold int        `yaml:"threshold"` // days paid at the full rate before it declines; 0: never declines
	After     *float64   `yaml:"after"`     // share of the rate paid for days beyond Threshold [0,1], default 1
}

// TierRate is a rate for one tier.
type TierRate struct {
	Tier string  `yaml:"tier"`
	Rate float64 `yaml:"rate"` // [yuan per bed-day], ≥ 0
}

// DRG is payment by diagnosis-related group, rate method (费率法) or point
// method (点数法); MODEL §5.
type DRG struct {
	Mode DRGMode `yaml:"mode"` // rate (default) or points
	// BaseRate is the rate method's payment per unit of RW [yuan]; when 0 it
	// is derived from the cost tables and Budget's growth (docs/payment.md).
	BaseRate float64    `yaml:"base_rate"`
	Budget   *DRGBudget `yaml:"budget"`
	// Groups gives per-group DRG data; groups not listed use their RW (or
	// the derived one) and defaults.
	Groups []DRGGroup `yaml:"groups"`
	// Coefficients are the tier coefficients k_h: tier → factor (default 1).
	Coefficients Dist         `yaml:"coefficients"`
	Wage         *Wage        `yaml:"wage"`         // US-style k_h from a wage index; replaces coefficients
	HighOutlier  *HighOutlier `yaml:"high_outlier"` // none when absent
	LowOutlier   *LowOutlier  `yaml:"low_outlier"`  // none when absent
	Transfer     Transfer     `yaml:"transfer"`     // per_diem (US: per-diem d = P ÷ GMLOS), china (P × min(1, c ÷ mean)), empty: none
	Readmission  *Readmission `yaml:"readmission"`  // none when absent
	Window       *Window      `yaml:"window"`       // none when absent
	Points       *DRGPoints   `yaml:"points"`       // point method settings
}

// DRGBudget is the budget a base rate or a point value is derived from:
// last year's spending × (1 + growth).
type DRGBudget struct {
	LastYear float64 `yaml:"last_year"` // last year's spending [yuan], > 0; or:
	// PerEnrollee is last year's spending per person at the start [yuan]; the
	// budget is then per_enrollee × population.size, so that it scales with
	// the population (and --persons). Give exactly one of the two.
	PerEnrollee float64 `yaml:"per_enrollee"`
	Growth      float64 `yaml:"growth"` // [-0.5,1]
}

// DRGGroup is a group's DRG data.
type DRGGroup struct {
	Group     string   `yaml:"group"`
	RW        *float64 `yaml:"rw"`         // relative weight; default: the group's rw, or derived from the cost tables
	Mean      *float64 `yaml:"mean"`       // mean cost of the group in the year before the first [yuan], re-derived from each year's cases; default: charges at the reference tier
	GMLOS     *float64 `yaml:"gmlos"`      // geometric mean LOS [days]; default: LOS at the reference tier
	PostAcute bool     `yaml:"post_acute"` // on the post-acute transfer list: per-diem transfer payment (42 CFR 412.4(c), (f)(1))
	// SpecialPay marks a special-pay post-acute transfer group (42 CFR
	// 412.4(f)(2)): half the full payment plus half the per-diem payment.
	SpecialPay bool `yaml:"special_pay"`
	// Cases is last year's case count of the group, its weight in the mean
	// cost that derived relative weights and base rates divide by; default:
	// the expected first-year admissions (docs/payment.md). ≥ 0.
	Cases  *float64 `yaml:"cases"`
	Burn   bool     `yaml:"burn"`   // burn group: fixed-loss marginal factor burn_marginal
	Exempt bool     `yaml:"exempt"` // exempt from the readmission rule (chemotherapy, radiotherapy)
}

// Wage is the US IPPS hospital adjustment: k_h = labour share × wage index +
// (1 − labour share), the labour share depending on whether the index is
// above 1.
type Wage struct {
	Index     float64 `yaml:"index"`      // wage index, > 0
	ShareHigh float64 `yaml:"share_high"` // labour share when index > 1 (IPPS FY2025: 0.676)
	ShareLow  float64 `yaml:"share_low"`  // labour share when index ≤ 1 (0.62)
}

// HighOutlier is the high-cost outlier payment, in one of two families.
type HighOutlier struct {
	Family Family `yaml:"family"` // multiple (China) or fixed_loss (US)
	// multiple: cost c > H × mean → extra = (c − H × mean) × marginal, H by RW.
	Multiples []Multiple `yaml:"multiples"`
	// fixed_loss: extra = marginal × max(0, c − (P + fixed_loss × k_h)).
	FixedLoss    float64  `yaml:"fixed_loss"`     // [yuan]
	Marginal     float64  `yaml:"marginal"`       // marginal cost factor [0,1]
	BurnMarginal *float64 `yaml:"burn_marginal"`  // for burn groups, default marginal
	CostToCharge *float64 `yaml:"cost_to_charge"` // c = charges × this; default 1
}

// Multiple is the threshold multiple H for groups with RW up to RWMax (the
// last entry may omit rw_max: all heavier groups).
type Multiple struct {
	RWMax *float64 `yaml:"rw_max"`
	H     float64  `yaml:"h"` // > 0
}

// LowOutlier is the low-cost case: c < Below × mean → paid P × c ÷ mean.
type LowOutlier struct {
	Below float64 `yaml:"below"` // (0,1]
}

// Readmission: a readmission to the same group at the same provider within
// Days days halves the first stay's payment.
type Readmission struct {
	Days int `yaml:"days"` // ≥ 1
}

// Window routes stays outside [MinLOS, MaxLOS] days to the fallback method
// (a DRG or DIP block's).
type Window struct {
	MinLOS   int      `yaml:"min_los"`  // stays shorter than this are outside (≥ 0)
	MaxLOS   int      `yaml:"max_los"`  // stays longer than this are outside (0: no upper bound)
	Fallback Method   `yaml:"fallback"` // ffs or per_diem
	PerDiem  *PerDiem `yaml:"per_diem"` // with fallback per_diem
}

// DRGPoints are the point method's settings.
type DRGPoints struct {
	Reserve    float64 `yaml:"reserve"`     // adjustment reserve share of the budget [0,1) (typically 0.05)
	Advance    float64 `yaml:"advance"`     // share of the provisional payment advanced monthly [0,1] (e.g. 0.85)
	PointValue float64 `yaml:"point_value"` // provisional point value of the first year [yuan per point], > 0
}

// DIP is payment by disease-procedure points (按病种分值付费); MODEL §5.
type DIP struct {
	Groups       []DIPGroup `yaml:"groups"`       // scores; groups not listed: mean ÷ all-case mean × 100
	Coefficients Dist       `yaml:"coefficients"` // tier → k_h (default 1)
	// History is the total inpatient cost of the DIP cases (fund and patients)
	// in the three years before the first: E(t−3), E(t−2), E(t−1) [yuan];
	// the budget point value is (0.1·E(t−3) + 0.2·E(t−2) + 0.7·E(t−1)) ÷ last
	// year's points. Default: every year budget ÷ fund_ratio.
	History   []float64 `yaml:"history"`
	Budget    DRGBudget `yaml:"budget"`     // the year's DIP fund: last_year × (1 + growth)
	FundRatio float64   `yaml:"fund_ratio"` // fund reimbursement ratio (0,1]
	Advance   float64   `yaml:"advance"`    // share of the month's points × budget point value advanced [0,1]
	// Window routes stays outside [min_los, max_los] days to its fallback
	// method, as a DRG window does; none when absent (50号 scores every
	// stay).
	Window *Window `yaml:"window"`
}

// DIPGroup is one disease-procedure group's data.
type DIPGroup struct {
	Group string   `yaml:"group"`
	Score *float64 `yaml:"score"` // points per case before k_h; default derived
	Mean  *float64 `yaml:"mean"`  // b: the mean cost of the group in the year before the first [yuan], at every tier, re-derived from each year's cases; default: the group's mean charges at the case's tier
}

// Dist is an ordered mapping from names to numbers, read from a YAML mapping
// (`{none: 0.8, undiagnosed: 0.2}`); the order of the file is kept.
type Dist []Share

// Share is one entry of a Dist.
type Share struct {
	Name  string
	Value float64
}

// Consortium is a group of providers (医共体 / 医联体). With a budget it is a
// tight county medical community holding a global budget for all the pool's
// residents (MODEL §5; a scenario has at most one): the fund advances the
// budget monthly, pays care outside the consortium and charges it against the
// budget, and settles the surplus or overspend at the year's end. Without
// one it is a loose consortium: its members are paid by the fund by their own
// rules and share only referral agreements and care protocols.
type Consortium struct {
	Name      string   `yaml:"name"`
	Tiers     []string `yaml:"tiers"`     // members: the providers of these tiers
	Providers []string `yaml:"providers"` // and these providers; a provider belongs to at most one consortium
	Budget    *Budget  `yaml:"budget"`    // the global budget; absent: a loose consortium
	// Referral is the members' referral agreement (双向转诊): it keeps
	// patients with members and sends more post-acute stays down.
	Referral Referral `yaml:"referral"`
	// Protocols are shared care protocols of a condition pathway (a
	// specialty alliance, 专科联盟): primary members follow them whatever
	// they are paid (when responses are on; see Protocol).
	Protocols []Protocol `yaml:"protocols"`
	// Decides is who decides the members' investment in capability
	// (Uplift): community, the community as one (人财物统一管理, 国卫基层发〔2023〕41号:
	// a tight community's staff, money and services managed as one), or
	// members, each member tier for itself. Default: community with a
	// budget, members without one (a loose consortium has no common account).
	Decides Decider `yaml:"decides"`
}

// Decider is who decides a consortium's investment in capability.
type Decider string

// The deciders.
const (
	DecidesCommunity Decider = "community" // the community, on its whole retained share of a saving
	DecidesMembers   Decider = "members"   // each member tier, on its own tier share of it
)

// Unified reports whether c's investment is decided by the community as
// one: decides community, or none given and a budget.
func (c *Consortium) Unified() bool {
	return c.Decides == DecidesCommunity || c.Decides == "" && c.Budget != nil
}

// Referral is a referral agreement among a consortium's members.
type Referral struct {
	// Pull is added to the utility of member tiers in the patient's choice of
	// tier (MODEL §3), for visits and admissions, ≥ 0.
	Pull float64 `yaml:"pull"`
	// Down raises the share of a group's admissions at members that are
	// referred down to a long stay: share × (1 + down + the response
	// down_referral × the budget's surplus share), at most 1; ≥ 0.
	Down float64 `yaml:"down"`
}

// Protocol is a shared protocol for one condition: the prevention effort
// primary members give its patients, as a global budget's surplus would
// buy. Its effect runs through Responses.Prevention, so it acts only when
// responses are on.
type Protocol struct {
	Condition string  `yaml:"condition"`
	Effort    float64 `yaml:"effort"` // prevention effort [0,1]
}

// Budget is a consortium's global budget (docs/payment.md §8): with b the
// per-capita base of the year, G = enrollees × b × (1 − risk_reserve) +
// enrollees × public_health (the fund pays the serious-illness premium
// before, from its income: fund.premium). The base follows Base: last year's actual
// per-capita spending on the residents' care × (1 + growth), or a share of
// the year's fund income. At the year's end S = G − (payments to members +
// outside care): a surplus is split surplus_share to the consortium (then
// among member tiers by tier_shares), the rest to the fund; an overspend is
// covered by the fund at overspend_share up to overspend_cap × G, the
// consortium bearing the rest.
type Budget struct {
	// Base is how the per-capita base is set: spending (default; 上年实际支出
	// × (1 + growth)) or income (以收定支: income_share of the year's fund
	// income per enrollee).
	Base           BudgetBase `yaml:"base"`
	PerCapita      float64    `yaml:"per_capita"`      // base spending: last year's per-capita spending on care before the first year [yuan per enrollee], > 0
	Growth         float64    `yaml:"growth"`          // base spending: growth cap [-0.5,1]
	IncomeShare    float64    `yaml:"income_share"`    // base income: share of the fund's income per enrollee (0,1]
	RiskReserve    float64    `yaml:"risk_reserve"`    // share kept back in the fund as risk reserve [0,1)
	PublicHealth   float64    `yaml:"public_health"`   // public-health funds pooled into the budget [yuan per enrollee], ≥ 0; paid by government, not the fund
	Advance        *float64   `yaml:"advance"`         // share of the insurance budget advanced monthly [0,1], default 1
	SurplusShare   float64    `yaml:"surplus_share"`   // α: share of a surplus the consortium keeps [0,1]
	TierShares     Dist       `yaml:"tier_shares"`     // member tier → share of the consortium's result; sums to 1
	OverspendShare float64    `yaml:"overspend_share"` // β: share of an overspend the fund covers [0,1]
	OverspendCap   float64    `yaml:"overspend_cap"`   // the fund covers at most this × G [0,1]
	// ForecastSD is the standard deviation of the members' forecast of a
	// year's spending, as a share of the budget [0,1], default
	// DefaultForecastSD: what they plan the year's margin on.
	ForecastSD *float64 `yaml:"forecast_sd"`
	// PreventionCost is the cost of the prevention work the pooled
	// public-health funds pay for, charged to the budget [yuan per managed
	// person-year], ≥ 0; only with public_health (docs/mechanisms.md §2).
	PreventionCost float64 `yaml:"prevention_cost"`
	// PublicHealthWork is the cost of the basic public-health package the
	// pooled funds pay for (国家基本公共卫生服务, every service of it), done by
	// the members and charged to the budget [yuan per enrollee], ≥ 0;
	// default public_health: the package costs what it is funded with, so
	// pooling is not free surplus. Managed patients' work beyond it is
	// prevention_cost.
	PublicHealthWork *float64 `yaml:"public_health_work"`
	// StaffShare is the share of the consortium's retained surplus paid to
	// its primary-care staff as performance pay (绩效) tied to Indicators
	// [0,1], default 0 (docs/mechanisms.md).
	StaffShare float64 `yaml:"staff_share"`
	// Indicators weigh the assessment the staff's pay is tied to; with a
	// staff share they sum to 1.
	Indicators Indicators `yaml:"indicators"`
}

// Indicators are the weights of a performance assessment (绩效考核): the
// share of the staff's performance pay tied to each indicator of the
// scenario's conditions.
type Indicators struct {
	Managed float64 `yaml:"managed"` // the managed share of the prevalent (规范管理率) [0,1]
	Control float64 `yaml:"control"` // the control rate (控制率) [0,1]
}

// Uplift is the technology of capability uplift (远程医疗, 专家下沉, 人员轮岗):
// what a yuan per enrollee invested in a year adds to a tier's capability
// stock, and how fast the stock wears off. How much a consortium invests
// follows from what it keeps of the saving (docs/mechanisms.md).
type Uplift struct {
	// Tiers whose capability a consortium's investment raises, among its
	// members' tiers.
	Tiers []string `yaml:"tiers"`
	// Gain is the capability a yuan per enrollee adds at the first yuan of
	// a year's investment [per yuan per enrollee], ≥ 0; 0 switches uplift off.
	Gain float64 `yaml:"gain"`
	// Scale is the year's investment at which a yuan's gain has halved
	// [yuan per enrollee], > 0: the gain of investing I is
	// gain × scale × ln(1 + I ÷ scale).
	Scale float64 `yaml:"scale"`
	// Depreciation is the share of the stock lost in a year (0,1]: a unit
	// built lasts 1 ÷ depreciation years on average.
	Depreciation float64 `yaml:"depreciation"`
}

// DefaultForecastSD is a budget's forecast_sd when none is given.
const DefaultForecastSD = 0.03

// SD is the budget's forecast_sd, or its default.
func (b *Budget) SD() float64 {
	if b.ForecastSD == nil {
		return DefaultForecastSD
	}
	return *b.ForecastSD
}

// HasUtilities reports whether an age band or a condition state declares a
// utility: only then are QALYs a figure of the scenario's.
func (s *Scenario) HasUtilities() bool {
	for _, b := range s.Population.AgeBands {
		if b.Utility != nil {
			return true
		}
	}
	for _, c := range s.Conditions {
		for _, st := range c.States {
			if st.Utility != nil {
				return true
			}
		}
	}
	return false
}

// Strategy is an arm of a scenario: the scenario with Set applied.
type Strategy struct {
	Name        string   `yaml:"name"`        // shown in compare's tables, unique
	Description string   `yaml:"description"` // one sentence for people
	Set         []string `yaml:"set"`         // path=value, as --set takes them; none: the scenario as written
}

// Phase is a change of the rules within a run, a reform that starts in a
// year: from the start of Year the scenario of file Scenario — the same
// persons, conditions, tiers, groups, providers and fund, with other
// payment rules, budgets, responses or rates — runs in place of the one
// before. The loader reads the file, with the same command-line sets, into
// Resolved.
type Phase struct {
	Year        int       `yaml:"year"`        // calendar year from whose start the phase's scenario runs, after the first
	Scenario    string    `yaml:"scenario"`    // the phase's scenario file, relative to this one
	Description string    `yaml:"description"` // one sentence for people
	Resolved    *Scenario `yaml:"-"`
}

// Measured is a before–after study of the county, as it was measured: the
// change of each of its figures from year Before to year After of the run,
// and the mechanisms that make the change, each switched off by its sets.
// paysim compare FILE runs the scenario with every mechanism off, then
// switches them on one at a time in their order, on common random numbers:
// the steps of a waterfall, each mechanism's contribution to each change.
type Measured struct {
	Source     string           `yaml:"source"` // where the study's figures come from
	Before     int              `yaml:"before"` // calendar year of the study's baseline
	After      int              `yaml:"after"`  // calendar year it compares with Before
	Figures    []MeasuredFigure `yaml:"figures"`
	Mechanisms []Mechanism      `yaml:"mechanisms"`
}

// MeasuredFigure is one figure of a study: a compare metric (paysim
// compare's rows, e.g. cost.fund_covered) and the study's relative change
// After ÷ Before − 1, if it reports one.
type MeasuredFigure struct {
	Metric   string   `yaml:"metric"`
	Label    string   `yaml:"label"`    // the study's name of it; default the metric's label
	Observed *float64 `yaml:"observed"` // the study's change, a fraction (−0.0913 for −9.13%)
}

// Mechanism is a cause of the study's changes and how to switch it off:
// path=value sets, as --set takes them.
type Mechanism struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Off         []string `yaml:"off"`
}

// Arms are the runs a comparison of s alone makes: its strategies, or the
// steps of its measured study's waterfall — every mechanism off, then each
// switched on in turn — by name, with the sets of each. None: s is one arm.
func (s *Scenario) Arms() (names []string, sets [][]string) {
	for _, st := range s.Strategies {
		names, sets = append(names, st.Name), append(sets, st.Set)
	}
	if m := s.Measured; m != nil && len(m.Mechanisms) > 0 && len(s.Strategies) == 0 {
		for k := 0; k <= len(m.Mechanisms); k++ {
			name := "without the mechanisms"
			if k > 0 {
				name = "+ " + m.Mechanisms[k-1].Name
			}
			var off []string
			for _, mc := range m.Mechanisms[k:] {
				off = append(off, mc.Off...)
			}
			names, sets = append(names, name), append(sets, off)
		}
	}
	return names, sets
}

// BudgetBase is how a global budget's per-capita base is set.
type BudgetBase string

// The bases of a budget.
const (
	BaseSpending BudgetBase = "spending" // last year's actual per-capita spending × (1 + growth) (also the empty default)
	BaseIncome   BudgetBase = "income"   // 以收定支: a share of the year's fund income per enrollee
)

// Expectation is an assertion on a figure of the run's summary.
type Expectation struct {
	// Metric is the figure's path in summary.json: below a year's object for
	// yearly figures ("fund.reserve_months", "utilisation.in_county_admission_share",
	// "health.conditions.hypertension.control_rate"), or below the summary
	// for others ("overall.per_person.qalys").
	Metric string `yaml:"metric"`
	// Years the expectation holds in: "all" (the default for a yearly
	// figure), "last", or calendar years; empty for a figure of the summary.
	Years []string `yaml:"years"`
	Min   *float64 `yaml:"min"`  // the figure is at least Min
	Max   *float64 `yaml:"max"`  // the figure is at most Max
	Near  *float64 `yaml:"near"` // the figure is within RTol of Near
	RTol  float64  `yaml:"rtol"` // relative tolerance of Near [0,1], e.g. 0.02
}

// Uncertain is a parameter drawn once per replicate.
type Uncertain struct {
	Set          string   `yaml:"set"`          // the parameter's path, as --set takes it (tiers.county.capability)
	Distribution string   `yaml:"distribution"` // beta, gamma, lognormal, normal or uniform
	Mean         *float64 `yaml:"mean"`         // beta, gamma, lognormal, normal
	SD           *float64 `yaml:"sd"`           // beta, gamma, lognormal, normal: standard deviation > 0
	Min          *float64 `yaml:"min"`          // uniform
	Max          *float64 `yaml:"max"`          // uniform
}

// Baselines a scenario's care tables may be observed under.
const (
	// BaselineFFS: the tables describe care as providers paid by fee for
	// service give it (the data of a county before reform); a response is
	// the difference a provider's incentive makes from that.
	BaselineFFS = "fee_for_service"
	// BaselineNeed: the tables describe need; a response is what a
	// provider's whole incentive makes of it, fee for service included.
	BaselineNeed = "need"
)

// Responses are the providers' and patients' responses to the incentives of
// the payment rules (MODEL §4). Each is driven by an incentive computed from
// the rules bound to a provider and its consortium's budget, never from a
// rule's name; docs/responses.md gives the formulas, defaults and sources.
// Every parameter is ≥ 0 and 0 switches its response off (mild, the size
// of an induced episode, is in (0,1]); a parameter not given takes its
// documented default.
type Responses struct {
	Enabled  *bool  `yaml:"enabled"`  // false switches every response off (default true)
	Baseline string `yaml:"baseline"` // fee_for_service (default) or need: what the care tables describe
	// Mild is the charges and length of stay of an induced episode ÷ those
	// of an average one of its kind (0,1].
	Mild *float64 `yaml:"mild"`
	// Induced: extra episodes per episode per unit of a provider's volume
	// incentive above the baseline's (supplier-induced demand; low-standard
	// admissions under case payment).
	Induced *float64 `yaml:"induced"`
	// Withheld: discretionary episodes not given per unit of volume
	// incentive below the baseline's (under-provision: a higher admission
	// threshold).
	Withheld *float64 `yaml:"withheld"`
	// LOS: a stay's length is multiplied by exp(los × Δ), Δ the bed-day
	// incentive above the baseline's.
	LOS *float64 `yaml:"los"`
	// LOSCharges is the share of a stay's charges that scale with its days [0,1].
	LOSCharges *float64 `yaml:"los_charges"`
	// Upcoding: the coded case weight grows by this share a year per unit of
	// coding incentive (DRG creep).
	Upcoding *float64 `yaml:"upcoding"`
	// UpcodingCap is the most the coded weight grows in all: the factor is
	// at most 1 + upcoding_cap.
	UpcodingCap *float64 `yaml:"upcoding_cap"`
	// Split: share of stays billed as two admissions per unit of split incentive.
	Split *float64 `yaml:"split"`
	// Readmission: extra readmissions per stay per unit by which a
	// provider's bed-day incentive falls below the baseline's (premature discharge).
	Readmission *float64 `yaml:"readmission"`
	// Pull: utility added to a tier in the patient's choice per unit of the
	// surplus share of the budget its providers belong to, weighted by the
	// townships they serve.
	Pull *float64 `yaml:"pull"`
	// DownReferral: a group's down-referral share at a member of a budget
	// with surplus share α is multiplied by (1 + down_referral × α + its
	// consortium's referral.down), at most 1.
	DownReferral *float64   `yaml:"down_referral"`
	Prevention   Prevention `yaml:"prevention"`
}

// Prevention is primary care's prevention effort (医防融合) and what it does
// to the conditions. Effort e = min(1, effort × retention), retention being
// the share of savings on its residents a township's primary provider keeps;
// a condition's transitions and enrolment are then scaled by e.
type Prevention struct {
	Effort *float64 `yaml:"effort"` // effort per unit of retention
	// Screening: transitions from undiagnosed to diagnosed states × (1 + e × screening).
	Screening *float64 `yaml:"screening"`
	// Enrolment: the management enrolment rate × (1 + e × enrolment).
	Enrolment *float64 `yaml:"enrolment"`
	// Control: transitions into controlled states × (1 + e × control).
	Control *float64 `yaml:"control"`
	// Complications: transitions into complication or death states
	// × (1 − e × complications), [0,1].
	Complications *float64 `yaml:"complications"`
	// Staff: effort on an indicator per unit of the staff's expected pay
	// per unit of effort, staff_share × α × the indicator's weight
	// (Budget.StaffShare; docs/mechanisms.md).
	Staff *float64 `yaml:"staff"`
}
