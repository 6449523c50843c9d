package report

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/respond"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
)

// Schema names the version of the summary format; see docs/output.md.
const Schema = "paysim.summary/v1"

// The modes of a run.
const (
	Microsimulation = "microsimulation"
	Cohort          = "cohort"
)

// Summary is the result of a run: what summary.json holds and every other
// writer reads. It is built from tallies only, never from engine internals.
type Summary struct {
	Schema    string `json:"schema"`
	Scenario  string `json:"scenario"`
	Seed      uint64 `json:"seed"`
	Persons   int    `json:"persons"`
	StartYear int    `json:"start_year"`
	Years     int    `json:"years"`
	Cycle     string `json:"cycle"`
	// Mode is how the run computed its figures: microsimulation (persons
	// drawn one by one) or cohort (the exact expected values of the
	// conditions' Markov chains).
	Mode       string   `json:"mode"`
	Currency   string   `json:"currency"` // ISO 4217 code of every amount
	Rewards    Rewards  `json:"rewards"`
	Replicates int      `json:"replicates"`
	Tiers      []string `json:"tiers"`
	Conditions []string `json:"conditions"`
	// CostCategories are the categories of the state costs, in the
	// scenario's order (a cost given as a number is in "state"); absent
	// when no state has a cost.
	CostCategories []string `json:"cost_categories,omitempty"`
	// Phases are the changes of rules within the run: from each one's year
	// its scenario runs (scenario.Phase).
	Phases  []Phase `json:"phases,omitempty"`
	Yearly  []Year  `json:"yearly"`
	Overall Overall `json:"overall"`
	// Interval is set when the summary is the mean of several replicates:
	// the 95% confidence interval of each mean (see Merge).
	Interval *Interval `json:"interval_95,omitempty"`
	// Draws are the values of the scenario's uncertain parameters in each
	// replicate, when it has any (a probabilistic sensitivity analysis).
	Draws *Draws `json:"draws,omitempty"`
	// Incentives are what each provider gains at the margin under its rules
	// and budget, and what its responses make of it; absent when the
	// scenario has no responses (docs/responses.md).
	Incentives []ProviderIncentive `json:"incentives,omitempty"`
	// Trace is the run's Markov trace (trace.csv), not in summary.json.
	Trace Trace `json:"-"`
}

// Trace is the occupancy of the conditions' states over the run, as shares
// of the persons at the start: one row per point of time, the start of each
// cycle and the end of the last.
type Trace struct {
	// States names the columns of each row's States: condition.state.
	States []string
	Rows   []TraceRow
}

// TraceRow is the trace at one point of time.
type TraceRow struct {
	Cycle int
	Time  float64 // years since the start of the run
	Alive float64
	// States are by column: the share alive in a living state, the share
	// dead by entering a dead state so far.
	States     []float64
	Background float64 // the share dead from background causes so far
}

// Rewards are the conventions the run counted the state rewards by
// (scenario.Rewards, with its defaults).
type Rewards struct {
	Timing          string  `json:"timing"`           // start, end, half_cycle or life_table
	DiscountCosts   float64 `json:"discount_costs"`   // annual rate that discounts money
	DiscountEffects float64 `json:"discount_effects"` // annual rate that discounts life-years and QALYs
}

// ProviderIncentive is one provider's incentive (respond.Incentive) and the
// factors its responses put on its care.
type ProviderIncentive struct {
	Provider  string  `json:"provider"`
	Tier      string  `json:"tier"`
	Visit     float64 `json:"visit"`     // net income of a mild visit more, above the baseline, per yuan of a visit's charges
	Stay      float64 `json:"stay"`      // the same for an admission
	Day       float64 `json:"day"`       // net income of a bed-day more, above the baseline, per yuan of its charges
	LongDay   float64 `json:"long_day"`  // the same for a long stay after a down-referral
	Weight    float64 `json:"weight"`    // revenue of coding a case heavier, per yuan of its price
	Split     float64 `json:"split"`     // revenue of billing a stay as two, per yuan of its price
	Retention float64 `json:"retention"` // share of savings on its residents' care its side keeps
	LOSFactor float64 `json:"los_factor"`
	// LongLOSFactor is the factor on the length of its long stays.
	LongLOSFactor float64 `json:"long_los_factor"`
	// Coding is the coded-weight factor of the last year.
	Coding float64 `json:"coding"`
}

// Draws are the parameter values each replicate drew: Values[r][i] is the
// value at Paths[i] in replicate r.
type Draws struct {
	Paths  []string    `json:"paths"`
	Values [][]float64 `json:"values"`
}

// Year is one year of a run.
type Year struct {
	Year        int         `json:"year"`
	Fund        Fund        `json:"fund"`
	Utilisation Utilisation `json:"utilisation"`
	Cost        Cost        `json:"cost"`
	Health      HealthYear  `json:"health"`
	Tiers       []TierYear  `json:"tiers"`
	Payment     Payment     `json:"payment"`
	Responses   Responses   `json:"responses"`
	// Supervision is the year's audit of the claims; absent without one
	// (or with detection and cost 0).
	Supervision *SupervisionYear `json:"supervision,omitempty"`
	// Contracts are the year's family-doctor contracts; absent without a
	// contract fee.
	Contracts *ContractsYear `json:"contracts,omitempty"`
	// Capability is a consortium's capability uplift in the year (absent
	// without one; docs/mechanisms.md).
	Capability *CapabilityYear `json:"capability,omitempty"`
}

// SupervisionYear is what the fund's audit (智慧医保 监管) did in a year:
// its detection rate, its cost to the government (not in the fund's
// payout), and the induced episodes whose claims it denied, with their
// charges (billed to no one) and resource cost (borne by the providers).
// Upcoded cases found are paid at their true weight: that shows in the
// rules' payments and in incentives[].coding, not here.
type SupervisionYear struct {
	Detection        float64 `json:"detection"`         // share of the unjustified claims detected (0 before since)
	Cost             float64 `json:"cost"`              // total [currency]
	CostPerEnrollee  float64 `json:"cost_per_enrollee"` // per enrollee at the year's start
	DeniedVisits     int64   `json:"denied_visits"`
	DeniedAdmissions int64   `json:"denied_admissions"`
	DeniedCharges    float64 `json:"denied_charges"` // total
	DeniedCost       float64 `json:"denied_cost"`    // total resource cost, borne by the providers
}

// ContractsYear are a year's family-doctor contracts: the contracted
// (managed) person-years, and the fees paid to the primary providers, in
// total, by the fund (in its payout and fund_paid) and by the persons.
type ContractsYear struct {
	PersonYears   float64 `json:"person_years"`
	Fees          float64 `json:"fees"`
	FundPaid      float64 `json:"fund_paid"`
	PaidByPersons float64 `json:"paid_by_persons"`
}

// CapabilityYear is a year of a consortium's investment in the capability
// of its members' tiers (远程医疗, 专家下沉, 人员轮岗).
type CapabilityYear struct {
	Investment            float64 `json:"investment"`              // the year's investment, total [yuan]
	InvestmentPerEnrollee float64 `json:"investment_per_enrollee"` // the same per enrollee at the year's start [yuan]
	// Tiers are each tier's capability in the year, the stock built so far included.
	Tiers []TierCapability `json:"tiers"`
}

// TierCapability is one tier's capability in a year.
type TierCapability struct {
	Tier       string  `json:"tier"`
	Capability float64 `json:"capability"`
}

// Responses are the episodes that providers' responses to their incentives
// added or withheld in a year, and the prevention effort they gave (zero
// without responses).
type Responses struct {
	PreventionEffort float64 `json:"prevention_effort"` // mean over conditions of their effort (ConditionYear.Effort)
	// ControlEffort is the mean over conditions of their effort on control
	// (ConditionYear.ControlEffort), absent unless a staff's pay is tied to
	// indicators.
	ControlEffort      float64 `json:"control_effort,omitempty"`
	InducedVisits      int64   `json:"induced_visits"`
	WithheldVisits     int64   `json:"withheld_visits"`
	InducedAdmissions  int64   `json:"induced_admissions"`
	WithheldAdmissions int64   `json:"withheld_admissions"`
	SplitAdmissions    int64   `json:"split_admissions"`
	AddedReadmissions  int64   `json:"added_readmissions"`
}

// Payment is what the payment rules did in a year.
type Payment struct {
	Rules     []RuleYear     `json:"rules"`
	Providers []ProviderYear `json:"providers"`
	Budget    *BudgetYear    `json:"budget,omitempty"`
}

// BudgetYear is the consortium's global budget in a year (absent without one).
type BudgetYear struct {
	Consortium   string  `json:"consortium"`
	Enrollees    float64 `json:"enrollees"`
	PerCapita    float64 `json:"per_capita"`
	Insurance    float64 `json:"insurance"`
	RiskReserve  float64 `json:"risk_reserve"` // kept back in the fund
	PublicHealth float64 `json:"public_health"`
	Budget       float64 `json:"budget"`
	Advanced     float64 `json:"advanced"`
	Internal     float64 `json:"internal"`
	Outside      float64 `json:"outside"`
	Spending     float64 `json:"spending"` // internal + outside: what the residents' care cost
	Surplus      float64 `json:"surplus"`
	Retained     float64 `json:"retained"`
	FundCovered  float64 `json:"fund_covered"`
	FundKept     float64 `json:"fund_kept"`
	Transfer     float64 `json:"transfer"`
	FundOutlay   float64 `json:"fund_outlay"`
	// Investment is the consortium's investment in capability, paid out of
	// the members' result (uplift; absent without one).
	Investment float64 `json:"investment,omitempty"`
	// OverspendForecast is the probability of an overspend the members
	// planned the year on, forecast at the end of the year before, and
	// MarginCost what a yuan more of their care was then expected to cost
	// their side: α·P(surplus) + (1 − β)·P(overspend within the cap) +
	// P(beyond it). Responses follow the margin.
	OverspendForecast float64 `json:"overspend_forecast"`
	MarginCost        float64 `json:"margin_cost"`
	// ManagedPersonYears and Prevention are, when the budget costs the
	// prevention work its pooled public-health funds pay for, the year's
	// managed person-years and that work's cost, paid to the members out
	// of the budget: surplus = budget − spending − prevention.
	ManagedPersonYears float64 `json:"managed_person_years,omitempty"`
	Prevention         float64 `json:"prevention,omitempty"`
}

// RuleYear is one payment binding's year.
type RuleYear struct {
	Name           string             `json:"name"`
	Method         string             `json:"method"`
	Cases          int64              `json:"cases"`
	HighOutliers   int64              `json:"high_outliers"`
	LowOutliers    int64              `json:"low_outliers"`
	Reviews        int64              `json:"reviews"`
	Incomplete     int64              `json:"incomplete"`
	OutsideWindow  int64              `json:"outside_window"`
	OutlierPayment float64            `json:"outlier_payment"`
	Points         float64            `json:"points"`
	Revenue        float64            `json:"revenue"`
	FundPaid       float64            `json:"fund_paid"`
	Settlement     float64            `json:"settlement"`
	Values         map[string]float64 `json:"values,omitempty"`
}

// ProviderYear is one provider's year.
type ProviderYear struct {
	Provider     string  `json:"provider"`
	Tier         string  `json:"tier"`
	Cases        int64   `json:"cases"`
	Revenue      float64 `json:"revenue"`
	ResourceCost float64 `json:"resource_cost"`
	Margin       float64 `json:"margin"`
	FundPaid     float64 `json:"fund_paid"`
	// DeniedCost is the resource cost of its claims an audit denied,
	// which it bears: margin = revenue − resource cost − denied cost.
	DeniedCost float64 `json:"denied_cost,omitempty"`
}

// Fund is the fund's account of a year.
type Fund struct {
	Enrollees         float64  `json:"enrollees"`
	Income            float64  `json:"income"`
	Payout            float64  `json:"payout"`
	Premium           float64  `json:"premium"` // of payout, the serious-illness premium paid to its insurer
	Balance           float64  `json:"balance"`
	ReserveMonths     *float64 `json:"reserve_months"` // null when nothing was paid out
	PayoutPerEnrollee float64  `json:"payout_per_enrollee"`
}

// Utilisation is the use of care in a year.
type Utilisation struct {
	Visits                 int64   `json:"visits"`
	Admissions             int64   `json:"admissions"`
	LongStays              int64   `json:"long_stays"`
	VisitsPerPerson        float64 `json:"visits_per_person"`
	AdmissionsPer100       float64 `json:"admissions_per_100"`
	PrimaryOutpatientShare float64 `json:"primary_outpatient_share"`
	InCountyAdmissionShare float64 `json:"in_county_admission_share"`
	MeanLOS                float64 `json:"mean_los"`
	ReferralsUp            int64   `json:"referrals_up"`
	ReferralsDown          int64   `json:"referrals_down"`
}

// Phase is a change of rules within a run: from Year, the scenario named
// Scenario.
type Phase struct {
	Year        int    `json:"year"`
	Scenario    string `json:"scenario"`
	Description string `json:"description,omitempty"`
}

// Cost is what care cost and who paid in a year.
type Cost struct {
	ResourceCost       float64 `json:"resource_cost"`
	Charges            float64 `json:"charges"`
	FundPaid           float64 `json:"fund_paid"`
	FundCovered        float64 `json:"fund_covered"` // the fund-covered part of the charges under the benefit design
	OOP                float64 `json:"oop"`
	OOPShare           float64 `json:"oop_share"`
	ChargesPerEnrollee float64 `json:"charges_per_enrollee"`
}

// HealthYear is the population's health in a year.
type HealthYear struct {
	Alive    int64 `json:"alive"` // enrolled at the year's end, after entrants, joiners and leavers
	Entrants int64 `json:"entrants"`
	// Joined and Left are the persons who join the scheme and those who
	// leave it alive at the year's end (population.enrolment).
	Joined          int64   `json:"joined"`
	Left            int64   `json:"left"`
	Deaths          int64   `json:"deaths"`
	PrematureDeaths int64   `json:"premature_deaths"`
	CrudeDeathRate  float64 `json:"crude_death_rate"` // deaths per 1,000 enrollee-years [‰]
	// PrematureProbability is the probability of dying between exact ages
	// 30 and 70 from the four major NCDs at the year's death rates (WHO,
	// MODEL §7): the declared conditions' deaths and
	// population.background_ncd_share of the background deaths, by
	// five-year band; absent in cohort mode and without person-time there.
	PrematureProbability *float64 `json:"premature_probability,omitempty"`
	// ManagedSevereRate is the share of the persons managed for a
	// condition who are in one of its complication states at the year's
	// end, over all conditions: the severe-case rate of the managed.
	// ManagedSevereIncidence is the entries into a complication state of
	// persons managed for the condition in the year ÷ their person-years at
	// risk (managed, and not in a complication state): the rate of new
	// severe cases among the managed [per person-year]. Both are absent in
	// cohort mode and without managed persons.
	ManagedSevereRate      *float64                 `json:"managed_severe_rate,omitempty"`
	ManagedSevereIncidence *float64                 `json:"managed_severe_incidence,omitempty"`
	DeathsByCause          map[string]int64         `json:"deaths_by_cause"`
	Conditions             map[string]ConditionYear `json:"conditions"`
}

// ConditionYear is one condition at a year's end.
type ConditionYear struct {
	Prevalence       float64 `json:"prevalence"`
	AdultPrevalence  float64 `json:"adult_prevalence"`
	ControlRate      float64 `json:"control_rate"`
	Complications    int64   `json:"complications"`
	ComplicationRate float64 `json:"complication_rate"`
	ManagedShare     float64 `json:"managed_share"`
	// ManagedSevereRate is the share of the managed in a complication state.
	ManagedSevereRate float64 `json:"managed_severe_rate"`
	// NewComplications are the entries into a complication state in the
	// year; ComplicationIncidence is them ÷ the prevalent at the year's end.
	NewComplications      int64   `json:"new_complications"`
	ComplicationIncidence float64 `json:"complication_incidence"`
	// Effort is primary care's prevention effort for the condition, the
	// mean over the year's person-months [0,1]; with a staff's performance
	// pay tied to indicators, the effort on finding and managing patients,
	// and ControlEffort the effort on their control (absent otherwise).
	Effort        float64 `json:"effort"`
	ControlEffort float64 `json:"control_effort,omitempty"`
}

// TierYear is one tier's care in a year.
type TierYear struct {
	Tier          string  `json:"tier"`
	Visits        int64   `json:"visits"`
	ChronicVisits int64   `json:"chronic_visits"`
	Admissions    int64   `json:"admissions"`
	BedDays       int64   `json:"bed_days"`
	MeanLOS       float64 `json:"mean_los"`
	LongStays     int64   `json:"long_stays"`
	LongStayDays  int64   `json:"long_stay_days"`
	Charges       float64 `json:"charges"`
	ResourceCost  float64 `json:"resource_cost"`
	FundPaid      float64 `json:"fund_paid"`
	OOP           float64 `json:"oop"`
	Revenue       float64 `json:"revenue"`
	Margin        float64 `json:"margin"`
	DeniedCost    float64 `json:"denied_cost,omitempty"` // as ProviderYear's
}

// Overall sums the whole horizon.
type Overall struct {
	Income     float64    `json:"income"`
	Payout     float64    `json:"payout"`
	Charges    float64    `json:"charges"`
	OOP        float64    `json:"oop"`
	Deaths     int64      `json:"deaths"`
	Entrants   int64      `json:"entrants"`
	Joined     int64      `json:"joined"`
	Left       int64      `json:"left"`
	Discounted Discounted `json:"discounted"`
	PerPerson  Discounted `json:"per_person"` // Discounted ÷ persons at start
	// Undiscounted are the same totals, not discounted, and
	// PerPersonUndiscounted them ÷ persons at start.
	Undiscounted          Discounted `json:"undiscounted"`
	PerPersonUndiscounted Discounted `json:"per_person_undiscounted"`
}

// Discounted are totals discounted to the start of the run at the
// scenario's discount rates (money at rewards.discount_costs, life-years and
// QALYs at rewards.discount_effects), or the same undiscounted; life-years,
// QALYs and state costs count the states by rewards.timing.
type Discounted struct {
	LifeYears float64  `json:"life_years"`
	QALYs     *float64 `json:"qalys,omitempty"` // absent when the scenario declares no utility
	// StateCosts is the sum of StateCostsBy in the order of the summary's
	// CostCategories.
	StateCosts   float64            `json:"state_costs"`
	StateCostsBy map[string]float64 `json:"state_costs_by_category,omitempty"` // by cost category
	Charges      float64            `json:"charges"`
	FundPaid     float64            `json:"fund_paid"`
	OOP          float64            `json:"oop"`
}

// Symbol is what the summary's amounts are printed with: ¥, $, or the
// currency's code.
func (s *Summary) Symbol() string { return scenario.Currency(s.Currency).Symbol() }

// NewSummary starts the summary of a run of m.
func NewSummary(m *model.Model, plan *respond.Plan, seed uint64) *Summary {
	s := &Summary{Schema: Schema, Scenario: m.S.Name, Seed: seed, Persons: m.S.Population.Size,
		StartYear: m.S.StartYear, Years: m.S.Years, Cycle: string(m.S.Cycle), Mode: Microsimulation, Currency: string(m.S.Currency), Replicates: 1,
		Tiers: m.TierNames, CostCategories: m.CostCategories,
		Rewards: Rewards{Timing: string(m.S.Rewards.Timing), DiscountCosts: m.CostRate, DiscountEffects: m.EffectRate}}
	for _, c := range m.Cond {
		s.Conditions = append(s.Conditions, c.Name)
		for _, st := range c.StateNames {
			s.Trace.States = append(s.Trace.States, c.Name+"."+st)
		}
	}
	if r := plan; r.On {
		for p, in := range r.Incentive {
			s.Incentives = append(s.Incentives, ProviderIncentive{
				Provider: m.ProvNames[p], Tier: m.TierNames[m.ProvTier[p]],
				Visit: in.Visit, Stay: in.Stay, Day: in.Day, LongDay: in.LongDay, Weight: in.Weight, Split: in.Split,
				Retention: in.Retention, LOSFactor: r.LOS[p], LongLOSFactor: r.LongLOS[p], Coding: r.Coding.At(m.Cycles-1, p),
			})
		}
	}
	return s
}

// AddYear appends year in to the summary and its totals.
func (s *Summary) AddYear(m *model.Model, plan *respond.Plan, in tally.Year) {
	c, h := in.Counts, in.Health
	enrollees := float64(c.PersonCycles) / float64(m.CyclesPerYear)
	var capability *CapabilityYear
	if u := in.Uplift; u != nil {
		capability = &CapabilityYear{Investment: u.Investment, InvestmentPerEnrollee: u.PerEnrollee}
		for t, k := range u.Stock {
			capability.Tiers = append(capability.Tiers, TierCapability{Tier: m.TierNames[t], Capability: k})
		}
	}
	visits, adms := tally.SumInt(c.Visits), tally.SumInt(c.Admissions)
	var primary, inCounty int64
	for t := range c.Visits {
		if m.Primary[t] {
			primary += c.Visits[t]
		}
		if m.InCounty[t] {
			inCounty += c.Admissions[t]
		}
	}
	charges, oop := tally.Sum(c.Charges), tally.Sum(c.OOP)
	y := Year{
		Year:       m.S.StartYear + in.Index,
		Capability: capability,
		Fund: Fund{
			Enrollees: enrollees, Income: in.Fund.Income, Payout: in.Fund.Payout, Premium: in.Fund.Premium, Balance: in.Fund.Closing,
			PayoutPerEnrollee: ratio(in.Fund.Payout, enrollees),
		},
		Utilisation: Utilisation{
			Visits: visits, Admissions: adms, LongStays: tally.SumInt(c.LongStays),
			VisitsPerPerson:        ratio(float64(visits), enrollees),
			AdmissionsPer100:       100 * ratio(float64(adms), enrollees),
			PrimaryOutpatientShare: ratio(float64(primary), float64(visits)),
			InCountyAdmissionShare: ratio(float64(inCounty), float64(adms)),
			MeanLOS:                ratio(float64(tally.SumInt(c.StayDays)), float64(adms)),
			ReferralsUp:            c.ReferralsUp, ReferralsDown: c.ReferralsDown,
		},
		Cost: Cost{
			ResourceCost: tally.Sum(c.Cost), Charges: charges, FundPaid: tally.Sum(c.FundPaid), FundCovered: tally.Sum(c.Covered), OOP: oop,
			OOPShare: ratio(oop, charges), ChargesPerEnrollee: ratio(charges, enrollees),
		},
		Health: HealthYear{
			Alive: h.Alive - h.Left + in.Entrants + in.Joined, Entrants: in.Entrants, Joined: in.Joined, Left: h.Left,
			Deaths: c.Deaths, PrematureDeaths: c.Premature,
			CrudeDeathRate: 1000 * ratio(float64(c.Deaths), enrollees),
			DeathsByCause:  map[string]int64{"background": c.DeathsBy[0]},
			Conditions:     map[string]ConditionYear{},
		},
	}
	if rm := in.Fund.ReserveMonths(); !math.IsInf(rm, 0) {
		y.Fund.ReserveMonths = &rm
	}
	census := tally.Sum(in.Set.Census)
	for i, cd := range m.Cond {
		effort, control := 0.0, 0.0
		for w, n := range in.Set.Census {
			if plan.On {
				effort += n * plan.Effort[i*m.NTown+w]
			}
			if plan.ControlEffort != nil {
				control += n * plan.ControlEffort[i*m.NTown+w]
			}
		}
		effort, control = ratio(effort, census), ratio(control, census)
		y.Responses.PreventionEffort += effort / float64(len(m.Cond))
		y.Responses.ControlEffort += control / float64(len(m.Cond))
		y.Health.DeathsByCause[cd.Name] = c.DeathsBy[1+i]
		y.Health.Conditions[cd.Name] = ConditionYear{
			NewComplications:      c.NewComplications[i],
			ComplicationIncidence: ratio(float64(c.NewComplications[i]), float64(h.Prevalent[i])),
			Effort:                effort,
			ControlEffort:         control,
			Prevalence:            ratio(float64(h.Prevalent[i]), float64(h.Alive)),
			AdultPrevalence:       ratio(float64(h.AdultPrev[i]), float64(h.Adults)),
			ControlRate:           ratio(float64(h.Controlled[i]), float64(h.Prevalent[i])),
			Complications:         h.Complication[i],
			ComplicationRate:      ratio(float64(h.Complication[i]), float64(h.Prevalent[i])),
			ManagedShare:          ratio(float64(h.Managed[i]), float64(h.Prevalent[i])),
			ManagedSevereRate:     ratio(float64(h.ManagedSevere[i]), float64(h.Managed[i])),
		}
	}
	if managed := float64(tally.SumInt(h.Managed)); managed > 0 {
		rate := float64(tally.SumInt(h.ManagedSevere)) / managed
		y.Health.ManagedSevereRate = &rate
	}
	if atRisk := float64(tally.SumInt(c.ManagedAtRisk)) / float64(m.CyclesPerYear); atRisk > 0 {
		inc := float64(tally.SumInt(c.NewComplicationsManaged)) / atRisk
		y.Health.ManagedSevereIncidence = &inc
	}
	y.Health.PrematureProbability = premature(c, float64(m.CyclesPerYear), m.S.Population.BackgroundNCDShare)
	for t, name := range m.TierNames {
		y.Tiers = append(y.Tiers, TierYear{
			Tier: name, Visits: c.Visits[t], ChronicVisits: c.ChronicVisits[t],
			Admissions: c.Admissions[t], BedDays: c.StayDays[t],
			MeanLOS:   ratio(float64(c.StayDays[t]), float64(c.Admissions[t])),
			LongStays: c.LongStays[t], LongStayDays: c.LongDays[t],
			Charges: c.Charges[t], ResourceCost: c.Cost[t], FundPaid: c.FundPaid[t], OOP: c.OOP[t],
			Revenue: c.Revenue[t],
		})
	}
	y.Responses.InducedVisits, y.Responses.WithheldVisits = c.InducedVisits, c.WithheldVisits
	y.Responses.InducedAdmissions, y.Responses.WithheldAdmissions = c.InducedAdmissions, c.WithheldAdmissions
	y.Responses.SplitAdmissions, y.Responses.AddedReadmissions = c.SplitAdmissions, c.AddedReadmissions
	y.Payment = paymentYear(m, in)
	for _, tr := range in.YearEnd.Transfers {
		t := m.ProvTier[tr.Provider]
		y.Tiers[t].Revenue += tr.Revenue
		y.Tiers[t].FundPaid += tr.Amount
	}
	for p, b := range in.Bonus {
		y.Tiers[m.ProvTier[p]].Revenue += b
	}
	y.Cost.FundPaid = in.Fund.Payout - in.Fund.Premium // care only
	for p, d := range in.Set.Denied {
		y.Tiers[m.ProvTier[p]].DeniedCost += d
	}
	for t := range y.Tiers {
		y.Tiers[t].Margin = y.Tiers[t].Revenue - y.Tiers[t].ResourceCost - y.Tiers[t].DeniedCost
	}
	y.Supervision, y.Contracts = supervisionYear(m, in), contractsYear(m, in)
	s.Yearly = append(s.Yearly, y)

	o := &s.Overall
	o.Income += in.Fund.Income
	o.Payout += in.Fund.Payout
	o.Charges += charges
	o.OOP += oop
	o.Deaths += c.Deaths
	o.Entrants += in.Entrants
	o.Joined += in.Joined
	o.Left += h.Left
	s.addTrace(m, in.Trace, float64(s.Persons))
	d := in.Disc
	s.addCategories(m.CostCategories) // a phase may bring its own
	o.Discounted.add(m, d.LY, d.QALY, in.DiscStateCosts, tally.Sum(d.Charges), in.DiscPayout, tally.Sum(d.OOP))
	o.Undiscounted.add(m, c.LY, c.QALY, in.StateCosts, charges, in.Payout, oop)
	o.perPerson(s.Persons, s.CostCategories)
}

// premature is the probability of dying between exact ages 30 and 70 at
// the death rates of c (WHO's 30q70 from five-year rates): 1 − Π_b (1 −
// 5 m_b ÷ (1 + 2.5 m_b)), m_b the deaths in band b — the conditions' and
// share of the background's — per person-year there. It is nil when a
// band has no person-time.
func premature(c *tally.Counts, cyclesPerYear, share float64) *float64 {
	survive := 1.0
	for b := range tally.PrematureBands {
		py := float64(c.PrematurePC[b]) / cyclesPerYear
		if py <= 0 {
			return nil
		}
		m := (float64(c.PrematureCond[b]) + share*float64(c.PrematureBg[b])) / py
		survive *= 1 - 5*m/(1+2.5*m)
	}
	q := 1 - survive
	return &q
}

// AddExpected appends the year a cohort computed (package markov) to the
// summary, whose Mode it sets to Cohort. Counts of persons are the
// expected counts among the persons at the start, rounded to whole persons
// (deaths by cause so that they add up to the deaths, deaths so that the
// alive and the dead add up to the persons at the start); shares, rates and
// the overall totals are exact.
func (s *Summary) AddExpected(m *model.Model, e *tally.Expected) {
	s.Mode = Cohort
	n := float64(s.Persons)
	alivePrev := int64(s.Persons)
	if len(s.Yearly) > 0 {
		alivePrev = s.Yearly[len(s.Yearly)-1].Health.Alive
	}
	alive := int64(math.Round(n * e.Alive))
	deaths := alivePrev - alive
	enrollees := n * e.PersonCycles / float64(m.CyclesPerYear)
	byCause := apportion(scaled(e.DeathsBy, n), deaths)
	condDeaths := deaths - byCause[0]
	opening := m.S.Fund.OpeningBalance + m.S.Fund.OpeningPerEnrollee*n
	y := Year{
		Year: m.S.StartYear + e.Index,
		Fund: Fund{Enrollees: enrollees, Balance: opening},
		Health: HealthYear{
			Alive: alive, Deaths: deaths, PrematureDeaths: min(int64(math.Round(n*e.Premature)), condDeaths),
			CrudeDeathRate: 1000 * ratio(n*e.Deaths(), enrollees),
			DeathsByCause:  map[string]int64{"background": byCause[0]},
			Conditions:     map[string]ConditionYear{},
		},
		Payment: paymentYear(m, tally.Year{Set: payment.NewSettlement(m.NProv, m.NTown, len(m.S.Payment))}),
	}
	for i, cd := range m.Cond {
		y.Health.DeathsByCause[cd.Name] = byCause[1+i]
		y.Health.Conditions[cd.Name] = ConditionYear{
			NewComplications:      int64(math.Round(n * e.NewComplications[i])),
			ComplicationIncidence: ratio(e.NewComplications[i], e.Prevalent[i]),
			Prevalence:            ratio(e.Prevalent[i], e.Alive),
			AdultPrevalence:       ratio(e.AdultPrev[i], e.Adults),
			ControlRate:           ratio(e.Controlled[i], e.Prevalent[i]),
			Complications:         int64(math.Round(n * e.Complication[i])),
			ComplicationRate:      ratio(e.Complication[i], e.Prevalent[i]),
			ManagedShare:          ratio(e.Managed[i], e.Prevalent[i]),
		}
	}
	for _, name := range m.TierNames {
		y.Tiers = append(y.Tiers, TierYear{Tier: name})
	}
	s.Yearly = append(s.Yearly, y)
	s.addTrace(m, e.Trace, 1)

	o := &s.Overall
	o.Deaths += deaths
	o.Discounted.add(m, n*e.DiscLY, n*e.DiscQALY, scaled(e.DiscStateCosts, n), 0, 0, 0)
	o.Undiscounted.add(m, n*e.LY, n*e.QALY, scaled(e.StateCosts, n), 0, 0, 0)
	o.perPerson(s.Persons, s.CostCategories)
}

// scaled is x × f.
func scaled(x []float64, f float64) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		out[i] = x[i] * f
	}
	return out
}

// apportion rounds x to whole numbers that add up to total: each x down,
// then the largest remainders up (or, should total be below the sum of
// the floors, the smallest remainders down), ties to the first.
func apportion(x []float64, total int64) []int64 {
	out := make([]int64, len(x))
	order := make([]int, len(x))
	left := total
	for i, v := range x {
		out[i] = int64(math.Floor(v))
		left -= out[i]
		order[i] = i
	}
	frac := func(i int) float64 { return x[i] - math.Floor(x[i]) }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(frac(b), frac(a)) })
	for k := 0; left > 0 && len(order) > 0; k = (k + 1) % len(order) {
		out[order[k]]++
		left--
	}
	for k := len(order) - 1; left < 0 && k >= 0; k-- {
		if out[order[k]] > 0 {
			out[order[k]]--
			left++
		}
	}
	return out
}

// addTrace appends the points of a year to the trace, as shares: the
// points' values ÷ per.
func (s *Summary) addTrace(m *model.Model, points []tally.Point, per float64) {
	n := per
	for _, p := range points {
		r := TraceRow{Cycle: p.Cycle, Time: float64(p.Cycle) * m.DT, Alive: p.Alive / n,
			States: make([]float64, len(p.States)), Background: p.Background / n}
		for k, x := range p.States {
			r.States[k] = x / n
		}
		s.Trace.Rows = append(s.Trace.Rows, r)
	}
}

// addCategories adds to s.CostCategories those of names it lacks, in
// order: the categories of a phase's model after the run's.
func (s *Summary) addCategories(names []string) {
	for _, name := range names {
		if !slices.Contains(s.CostCategories, name) {
			s.CostCategories = append(s.CostCategories, name)
		}
	}
}

// add adds a year's totals to d, the state costs by category
// (m.CostCategories); QALYs only when the model declares utilities. The
// total of the state costs is set by Overall.perPerson.
func (d *Discounted) add(m *model.Model, ly, qaly float64, stateCosts []float64, charges, fundPaid, oop float64) {
	d.LifeYears += ly
	if m.Utilities {
		q := qaly
		if d.QALYs != nil {
			q += *d.QALYs
		}
		d.QALYs = &q
	}
	if len(m.CostCategories) > 0 && d.StateCostsBy == nil {
		d.StateCostsBy = map[string]float64{}
	}
	for j, name := range m.CostCategories {
		d.StateCostsBy[name] += stateCosts[j]
	}
	d.Charges += charges
	d.FundPaid += fundPaid
	d.OOP += oop
}

// sumCategories sets d.StateCosts to the sum of its categories, in order.
func (d *Discounted) sumCategories(categories []string) {
	d.StateCosts = 0
	for _, name := range categories {
		d.StateCosts += d.StateCostsBy[name]
	}
}

// perPerson sets the totals of the state costs, the sums of their
// categories, and the per-person totals from the totals.
func (o *Overall) perPerson(persons int, categories []string) {
	o.Discounted.sumCategories(categories)
	o.Undiscounted.sumCategories(categories)
	o.PerPerson = o.Discounted.per(persons, categories)
	o.PerPersonUndiscounted = o.Undiscounted.per(persons, categories)
}

// sumCategories sets the state costs of every total of o to the sum of
// their categories (after Merge has averaged each apart).
func (o *Overall) sumCategories(categories []string) {
	for _, d := range []*Discounted{&o.Discounted, &o.PerPerson, &o.Undiscounted, &o.PerPersonUndiscounted} {
		d.sumCategories(categories)
	}
}

// per is d ÷ persons; its state costs the sum of its categories ÷ persons.
func (d *Discounted) per(persons int, categories []string) Discounted {
	n := float64(persons)
	p := Discounted{LifeYears: d.LifeYears / n, Charges: d.Charges / n,
		FundPaid: d.FundPaid / n, OOP: d.OOP / n}
	if q := d.QALYs; q != nil {
		pq := *q / n
		p.QALYs = &pq
	}
	if d.StateCostsBy != nil {
		p.StateCostsBy = map[string]float64{}
		for name, x := range d.StateCostsBy {
			p.StateCostsBy[name] = x / n
		}
	}
	p.sumCategories(categories)
	return p
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// paymentYear builds the payment section of a year: per binding and per
// provider, year-end settlements included.
func paymentYear(m *model.Model, in tally.Year) Payment {
	var p Payment
	set := in.Set
	for b, bind := range m.S.Payment {
		t := &set.Rules[b]
		name := bind.Name
		if name == "" {
			name = fmt.Sprintf("payment[%d] %s", b, bind.Method)
		}
		p.Rules = append(p.Rules, RuleYear{
			Name: name, Method: string(bind.Method), Cases: t.Cases, HighOutliers: t.HighOutliers, LowOutliers: t.LowOutliers,
			Reviews: t.Reviews, Incomplete: t.Incomplete, OutsideWindow: t.OutsideWindow,
			OutlierPayment: t.OutlierPaid, Points: t.Points, Revenue: t.Revenue, FundPaid: t.FundPaid,
		})
	}
	for i, name := range m.ProvNames {
		p.Providers = append(p.Providers, ProviderYear{
			Provider: name, Tier: m.TierNames[m.ProvTier[i]], Cases: int64(set.Cases[i]),
			Revenue: set.Revenue[i], ResourceCost: set.Cost[i], FundPaid: set.FundPaid[i],
		})
	}
	for _, tr := range in.YearEnd.Transfers {
		r := &p.Rules[tr.Binding]
		r.Settlement += tr.Amount
		r.Revenue += tr.Revenue
		r.FundPaid += tr.Amount
		p.Providers[tr.Provider].Revenue += tr.Revenue
		p.Providers[tr.Provider].FundPaid += tr.Amount
	}
	for _, v := range in.YearEnd.Values {
		r := &p.Rules[v.Binding]
		if r.Values == nil {
			r.Values = map[string]float64{}
		}
		r.Values[v.Name] = v.Value
	}
	for i, b := range in.Bonus {
		p.Providers[i].Revenue += b
	}
	for i := range p.Providers {
		p.Providers[i].DeniedCost = set.Denied[i]
		p.Providers[i].Margin = p.Providers[i].Revenue - p.Providers[i].ResourceCost - set.Denied[i]
	}
	if b := in.Budget; b != nil {
		p.Budget = &BudgetYear{Consortium: m.S.Budgeted().Name, Enrollees: b.Enrollees, PerCapita: b.PerCapita,
			Insurance: b.Insurance, RiskReserve: b.Reserve, PublicHealth: b.PublicHealth, Budget: b.G,
			Advanced: b.Advanced, Internal: b.Internal, Outside: b.Outside, Spending: b.Spending, Surplus: b.Surplus, Retained: b.Retained,
			FundCovered: b.FundCovered, FundKept: b.FundKept, Transfer: b.Transfer, FundOutlay: b.FundOutlay, Investment: b.Investment}
		p.Budget.OverspendForecast, p.Budget.MarginCost = in.OverspendForecast, in.Margin
		if b.Prevention != 0 {
			p.Budget.ManagedPersonYears, p.Budget.Prevention = b.Managed, b.Prevention
		}
	}
	return p
}

// supervisionYear is the year's audit, or nil when the scenario's has
// neither a detection rate nor a cost.
func supervisionYear(m *model.Model, in tally.Year) *SupervisionYear {
	sv := m.S.Supervision
	if sv == nil || (sv.Detection == 0 && sv.CostPerEnrollee == 0) {
		return nil
	}
	c := in.Counts
	y := &SupervisionYear{Detection: m.S.DetectionIn(in.Index), Cost: in.AuditCost,
		DeniedVisits: c.DeniedVisits, DeniedAdmissions: c.DeniedAdmissions, DeniedCharges: c.DeniedCharges, DeniedCost: c.DeniedCost}
	if m.S.Audits(in.Index) {
		y.CostPerEnrollee = sv.CostPerEnrollee
	}
	return y
}

// contractsYear is the year's family-doctor contracts, or nil without a fee.
func contractsYear(m *model.Model, in tally.Year) *ContractsYear {
	if ct := m.S.Contracts; ct == nil || ct.Fee == 0 {
		return nil
	}
	c := in.Contracts
	return &ContractsYear{PersonYears: c.PersonYears, Fees: c.Fees, FundPaid: c.FundPaid, PaidByPersons: c.Fees - c.FundPaid}
}

// NonFinite returns the path of the first figure of s that is NaN or
// infinite, and the figure, or "" when every figure is finite.
func NonFinite(s *Summary) (string, float64) {
	return nonFinite(reflect.ValueOf(s).Elem(), "")
}

func nonFinite(v reflect.Value, path string) (string, float64) {
	switch v.Kind() {
	case reflect.Float64:
		if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
			return path, x
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nonFinite(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
			if name == "" || name == "-" || !t.Field(i).IsExported() {
				continue
			}
			if p, x := nonFinite(v.Field(i), strings.TrimPrefix(path+"."+name, ".")); p != "" {
				return p, x
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if p, x := nonFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, x
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if p, x := nonFinite(v.MapIndex(k), path+"."+k.String()); p != "" {
				return p, x
			}
		}
	}
	return "", 0
}
