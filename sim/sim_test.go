package sim

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr[T any](x T) *T { return &x }

// randomScenario makes a valid scenario with random sizes, rates and
// benefits, small enough to run in a blink.
func randomScenario(r *rand.Rand) *scenario.Scenario {
	s := &scenario.Scenario{
		Version: 1, Name: "random", Seed: r.Uint64(), StartYear: 2030, Years: 1 + r.IntN(3),
		Cycle: scenario.Month, DiscountRate: 0.05 * r.Float64(),
	}
	if r.IntN(4) == 0 {
		s.Cycle = scenario.Year
	}
	p := &s.Population
	p.Size = 200 + r.IntN(6000)
	p.MaleShare = r.Float64()
	p.MaleMortality = ptr(0.5 + r.Float64())
	nb := 1 + r.IntN(4)
	from := 0
	for b := 0; b < nb; b++ {
		to := from + 5 + r.IntN(30)
		if b == nb-1 {
			to = 120
		}
		p.AgeBands = append(p.AgeBands, scenario.AgeBand{Name: fmt.Sprintf("b%d", b), From: from, To: to,
			Weight: 1 / float64(nb), Mortality: 0.2 * r.Float64() * r.Float64(), Visits: 10 * r.Float64(),
			Admissions: 0.5 * r.Float64(), Utility: ptr(0.5 + r.Float64()/2)})
		from = to + 1
	}
	nt := 1 + r.IntN(3)
	for i := 0; i < nt; i++ {
		p.Townships = append(p.Townships, scenario.Township{Name: fmt.Sprintf("t%d", i), Weight: 1 / float64(nt)})
	}
	p.Entrants = scenario.Entrants{Rate: 0.05 * r.Float64(), Age: 0}
	if s.Years > 1 && r.IntN(2) == 0 {
		p.Enrolment = []scenario.EnrolmentChange{{Year: s.StartYear + 1, Leave: 0.1 * r.Float64(), Join: 0.1 * r.Float64()}}
	}

	ntier := 1 + r.IntN(4)
	for i := 0; i < ntier; i++ {
		s.Tiers = append(s.Tiers, scenario.Tier{Name: fmt.Sprintf("tier%d", i), Primary: i == 0, InCounty: i < ntier-1,
			Outpatient: true, VisitCharges: 20 + 300*r.Float64(), BedDayCharges: 100 + 500*r.Float64(),
			CostToCharge: ptr(0.5 + r.Float64()/2), Capability: float64(i),
			Constants: scenario.Constants{Visit: r.NormFloat64(), Chronic: r.NormFloat64(), Admission: r.NormFloat64()}})
		s.Providers = append(s.Providers, scenario.Provider{Name: fmt.Sprintf("p%d", i), Tier: s.Tiers[i].Name})
		s.Benefit.Tiers = append(s.Benefit.Tiers, scenario.TierBenefit{Tier: s.Tiers[i].Name,
			Outpatient: scenario.Sharing{Deductible: 10 * r.Float64(), Ratio: r.Float64(), Eligible: ptr(r.Float64())},
			Inpatient:  scenario.Sharing{Deductible: 1000 * r.Float64(), Ratio: r.Float64()},
			LongStay:   scenario.Sharing{Ratio: r.Float64()}})
	}
	ng := 1 + r.IntN(4)
	for g := 0; g < ng; g++ {
		gr := scenario.Group{Name: fmt.Sprintf("g%d", g), Severity: 3 * r.Float64()}
		for i := r.IntN(ntier); i < ntier; i++ {
			gr.ByTier = append(gr.ByTier, scenario.GroupTier{Tier: s.Tiers[i].Name, Charges: 500 + 20000*r.Float64(), LOS: 1 + 15*r.Float64()})
		}
		if r.IntN(2) == 0 {
			gr.Rehab = &scenario.Rehab{Share: r.Float64(), Tier: s.Tiers[0].Name, LOS: 1 + 30*r.Float64()}
		}
		s.Groups = append(s.Groups, gr)
		p.Admissions = append(p.Admissions, scenario.Share{Name: gr.Name, Value: 1 / float64(ng)})
	}
	nc := r.IntN(3)
	for c := 0; c < nc; c++ {
		cond := scenario.Condition{Name: fmt.Sprintf("c%d", c), Heterogeneity: r.Float64(), InitialYears: 10 * r.Float64(),
			Management: scenario.Management{Initial: r.Float64(), Enrol: r.Float64(), Drop: r.Float64() / 5}}
		cond.States = []scenario.State{
			{Name: "free"},
			{Name: "ill", Diagnosed: true, Visits: 12 * r.Float64(), VisitsManaged: ptr(12 * r.Float64()), Utility: ptr(0.8), Cost: scenario.Costs{{Name: scenario.StateCategory, Value: 1000}},
				Events: []scenario.Event{{Group: s.Groups[r.IntN(ng)].Name, Rate: r.Float64(), Managed: ptr(r.Float64())}}},
			{Name: "controlled", Diagnosed: true, Controlled: true, Visits: 6},
			{Name: "severe", Diagnosed: true, Complication: true, Utility: ptr(0.4)},
			{Name: "dead", Dead: true, Utility: ptr(0.0)},
		}
		cond.Initial = []scenario.BandDist{{Band: p.AgeBands[nb-1].Name,
			States: scenario.Dist{{Name: "free", Value: 0.5}, {Name: "ill", Value: 0.3}, {Name: "controlled", Value: 0.2}}}}
		rate := func() *float64 { return ptr(r.Float64()) }
		cond.Transitions = []scenario.Transition{
			{From: "free", To: "ill", Rate: rate(), ByBand: scenario.Dist{{Name: p.AgeBands[0].Name, Value: 0.1}}, Frailty: true},
			{From: "ill", To: "controlled", Rate: rate(), Managed: ptr(3.0)},
			{From: "ill", To: "severe", Rate: rate(), ByYears: []scenario.Step{{Years: 1, Factor: 2}, {Years: 3, Factor: 4}}, Frailty: true},
			{From: "controlled", To: "ill", Rate: rate()},
			{From: "severe", To: "dead", Prob: ptr(0.05 * r.Float64()), ByYears: []scenario.Step{{Years: 2, Factor: 1.5}}},
		}
		s.Conditions = append(s.Conditions, cond)
	}
	s.Choice.PriceSensitivity = r.Float64()
	s.Variation = scenario.Variation{Charges: r.Float64(), LOS: r.Float64()}
	s.Benefit.InpatientCeiling = 5000 + 100000*r.Float64()
	s.Benefit.OutpatientCeiling = 1000 * r.Float64()
	s.Fund = scenario.Fund{Individual: 400, Subsidy: 700, Growth: 0.03, OpeningBalance: 1e6 * r.Float64(), Premium: 0.05 * r.Float64()}
	s.Payment = []scenario.Binding{{Method: "ffs"}}
	switch r.IntN(6) {
	case 5: // outpatients per capita, the rest fee-for-service
		rates := []scenario.TierRate{}
		for _, t := range s.Tiers {
			rates = append(rates, scenario.TierRate{Tier: t.Name, Rate: 200 * r.Float64()})
		}
		s.Payment = []scenario.Binding{
			{Method: "ffs", Services: []string{"inpatient", "long_stay"}},
			{Method: "capitation", Services: []string{"outpatient"}, Capitation: &scenario.Capitation{Rates: rates}},
		}
	case 4: // inpatient stays by DRG points with every adjustment, the rest fee-for-service
		s.Payment = []scenario.Binding{
			{Method: "ffs", Services: []string{"outpatient", "long_stay"}},
			{Method: "drg", Services: []string{"inpatient"}, DRG: &scenario.DRG{Mode: "points",
				Budget:      &scenario.DRGBudget{LastYear: float64(p.Size) * 500 * r.Float64(), Growth: 0.05 * r.Float64()},
				Points:      &scenario.DRGPoints{Reserve: 0.1 * r.Float64(), Advance: r.Float64(), PointValue: 10 + 100*r.Float64()},
				HighOutlier: &scenario.HighOutlier{Family: "multiple", Multiples: []scenario.Multiple{{H: 1 + 2*r.Float64()}}, Marginal: r.Float64()},
				LowOutlier:  &scenario.LowOutlier{Below: 0.5 * r.Float64()},
				Transfer:    "per_diem", Readmission: &scenario.Readmission{Days: 1 + r.IntN(30)},
				Window: &scenario.Window{MinLOS: r.IntN(3), MaxLOS: 30 + r.IntN(30), Fallback: "ffs"}}},
		}
	case 3: // inpatient stays by DRG rate with fixed-loss outliers, the rest fee-for-service
		s.Payment = []scenario.Binding{
			{Method: "ffs", Services: []string{"outpatient", "long_stay"}},
			{Method: "drg", Services: []string{"inpatient"}, DRG: &scenario.DRG{BaseRate: 1000 + 10000*r.Float64(),
				HighOutlier: &scenario.HighOutlier{Family: "fixed_loss", FixedLoss: 20000 * r.Float64(), Marginal: r.Float64(), CostToCharge: ptr(r.Float64())},
				Transfer:    "china", Readmission: &scenario.Readmission{Days: 15}}},
		}
	case 2: // inpatient stays by DIP points, the rest fee-for-service
		s.Payment = []scenario.Binding{
			{Method: "ffs", Services: []string{"outpatient", "long_stay"}},
			{Method: "dip", Services: []string{"inpatient"}, DIP: &scenario.DIP{
				Budget:    scenario.DRGBudget{LastYear: float64(p.Size) * 500 * r.Float64(), Growth: 0.05 * r.Float64()},
				FundRatio: 0.3 + 0.7*r.Float64(), Advance: r.Float64()}},
		}
	case 1: // long stays by bed-day, the rest fee-for-service
		rates := []scenario.TierRate{}
		for _, t := range s.Tiers {
			rates = append(rates, scenario.TierRate{Tier: t.Name, Rate: 50 + 400*r.Float64()})
		}
		s.Payment = []scenario.Binding{
			{Method: "ffs", Services: []string{"outpatient", "inpatient"}},
			{Method: "per_diem", Services: []string{"long_stay"}, PerDiem: &scenario.PerDiem{
				Rates: rates, DayCap: r.IntN(40), Threshold: r.IntN(20), After: ptr(r.Float64())}},
		}
	}
	if ntier > 1 && r.IntN(3) == 0 { // a consortium of every tier but the highest
		c := scenario.Consortium{Name: "community", Budget: &scenario.Budget{
			PerCapita: 200 + 2000*r.Float64(), Growth: 0.1 * r.Float64(), RiskReserve: 0.1 * r.Float64(),
			PublicHealth: 100 * r.Float64(), Advance: ptr(r.Float64()),
			SurplusShare: r.Float64(), OverspendShare: r.Float64(), OverspendCap: r.Float64()}}
		for i := 0; i < ntier-1; i++ {
			c.Tiers = append(c.Tiers, s.Tiers[i].Name)
			c.Budget.TierShares = append(c.Budget.TierShares, scenario.Share{Name: s.Tiers[i].Name, Value: 1 / float64(ntier-1)})
		}
		s.Consortia = []scenario.Consortium{c}
	}
	// The audit, family-doctor contracts and a budget's prevention work
	// (docs/mechanisms.md), drawn after the rest.
	if r.IntN(2) == 0 {
		s.Supervision = &scenario.Supervision{Detection: r.Float64(), CostPerEnrollee: 5 * r.Float64()}
	}
	if r.IntN(2) == 0 {
		s.Contracts = &scenario.Contracts{Fee: 200 * r.Float64(), FundShare: r.Float64()}
	}
	if len(s.Consortia) > 0 && r.IntN(2) == 0 {
		s.Consortia[0].Budget.PreventionCost = 100 * r.Float64()
	}
	return s
}

// TestConservationRandom runs random scenarios and checks the identities of
// MODEL §6 from the outside, on the summary (the engine checks them inside
// on every cycle too, and fails the run when one breaks).
func TestConservationRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var fees, prevention int // years in which contract fees, a budget's prevention work were paid
	for i := 0; i < 40; i++ {
		s := randomScenario(r)
		require.NoError(t, s.Validate(), "random scenario %d", i)
		sum, err := Run(context.Background(), s, Options{Seed: uint64(i), Workers: 1 + i%3})
		require.NoError(t, err, "random scenario %d", i)
		for _, y := range sum.Yearly {
			if y.Contracts != nil && y.Contracts.Fees > 0 {
				fees++
			}
			if b := y.Payment.Budget; b != nil && b.Prevention > 0 {
				prevention++
			}
		}
		balance := s.Fund.OpeningBalance
		alive := int64(s.Population.Size)
		for _, y := range sum.Yearly {
			balance += y.Fund.Income - y.Fund.Payout
			assert.True(t, ledger.Close(balance, y.Fund.Balance), "scenario %d year %d: balance %v, want opening + income − payout = %v", i, y.Year, y.Fund.Balance, balance)
			var revenue, ruleFund float64
			for _, rule := range y.Payment.Rules {
				revenue += rule.Revenue
				ruleFund += rule.FundPaid
			}
			var tierFund float64
			var visits, adms int64
			for _, tier := range y.Tiers {
				tierFund += tier.FundPaid
				visits += tier.Visits
				adms += tier.Admissions
			}
			// The fund's share of the contract fees is paid beside the rules
			// (docs/mechanisms.md §2).
			var contractFund, contractFees float64
			if c := y.Contracts; c != nil {
				contractFund, contractFees = c.FundPaid, c.Fees
				assert.True(t, ledger.Close(c.Fees, c.FundPaid+c.PaidByPersons), "scenario %d year %d: contract fees", i, y.Year)
			}
			assert.True(t, ledger.Close(tierFund, ruleFund+contractFund), "scenario %d year %d: tiers' paid %v ≠ rules' %v + contracts' %v", i, y.Year, tierFund, ruleFund, contractFund)
			if b := y.Payment.Budget; b != nil {
				// The fund pays outside care, the advances, the year-end transfer
				// and the serious-illness premium; the consortium ends with what it
				// paid its members and its result.
				assert.True(t, ledger.Close(y.Fund.Payout, b.Outside+b.Advanced+b.Transfer+y.Fund.Premium), "scenario %d year %d: payout %v ≠ outside %v + advances %v + transfer %v + premium %v", i, y.Year, y.Fund.Payout, b.Outside, b.Advanced, b.Transfer, y.Fund.Premium)
				assert.True(t, ledger.Close(y.Fund.Payout-y.Fund.Premium, b.FundOutlay), "scenario %d year %d: payout %v less premium ≠ the budget's fund outlay %v", i, y.Year, y.Fund.Payout, b.FundOutlay)
				assert.True(t, ledger.Close(ruleFund+contractFund, b.Internal+b.Outside), "scenario %d year %d: rules' and contracts' payments %v ≠ internal %v + outside %v", i, y.Year, ruleFund+contractFund, b.Internal, b.Outside)
				assert.True(t, ledger.Close(b.Advanced+b.PublicHealth+b.Transfer, b.Internal+b.Prevention+b.Retained), "scenario %d year %d: consortium received %v, want internal + prevention + retained %v", i, y.Year, b.Advanced+b.PublicHealth+b.Transfer, b.Internal+b.Prevention+b.Retained)
				assert.True(t, ledger.Close(b.Surplus, b.Budget-b.Spending-b.Prevention), "scenario %d year %d: surplus %v ≠ budget − spending − prevention", i, y.Year, b.Surplus)
				revenue += b.Retained // members' revenue includes the consortium's result
			} else {
				assert.True(t, ledger.Close(ruleFund+contractFund, y.Fund.Payout-y.Fund.Premium), "scenario %d year %d: rules' and contracts' fund paid %v ≠ payout %v less premium %v", i, y.Year, ruleFund+contractFund, y.Fund.Payout, y.Fund.Premium)
			}
			// Every rule pays on a cash basis: what the payers paid (cycle payments,
			// advances and settlements) plus what patients paid, plus the
			// consortium's result shared among its members.
			retained := 0.0
			if y.Payment.Budget != nil {
				retained = y.Payment.Budget.Retained
			}
			assert.True(t, ledger.Close(revenue, ruleFund+y.Cost.OOP+retained), "scenario %d year %d: revenue %v ≠ paid %v + OOP %v + retained %v", i, y.Year, revenue, ruleFund, y.Cost.OOP, retained)
			if len(y.Payment.Rules) == 1 && y.Payment.Budget == nil { // fee-for-service only: the fund pays the covered part
				assert.True(t, ledger.Close(y.Cost.Charges, y.Cost.FundPaid-contractFund+y.Cost.OOP), "scenario %d year %d: charges %v ≠ fund %v + OOP %v under FFS", i, y.Year, y.Cost.Charges, y.Cost.FundPaid-contractFund, y.Cost.OOP)
				assert.True(t, ledger.Close(revenue, y.Cost.Charges), "scenario %d year %d: FFS revenue %v ≠ charges %v", i, y.Year, revenue, y.Cost.Charges)
			}
			var provRevenue float64
			for _, pr := range y.Payment.Providers {
				provRevenue += pr.Revenue
			}
			assert.True(t, ledger.Close(provRevenue, revenue+contractFees), "scenario %d year %d: providers' revenue %v ≠ rules' %v + contract fees %v", i, y.Year, provRevenue, revenue, contractFees)
			assert.True(t, ledger.Close(y.Fund.Payout, y.Cost.FundPaid+y.Fund.Premium), "scenario %d year %d: payout %v ≠ fund paid for care %v + premium %v", i, y.Year, y.Fund.Payout, y.Cost.FundPaid, y.Fund.Premium)
			assert.Equal(t, y.Utilisation.Visits, visits)
			assert.Equal(t, y.Utilisation.Admissions, adms)
			alive += y.Health.Entrants + y.Health.Joined - y.Health.Left - y.Health.Deaths
			assert.Equal(t, alive, y.Health.Alive, "scenario %d year %d: enrolled = start + entrants + joined − left − deaths", i, y.Year)
			var byCause int64
			for _, n := range y.Health.DeathsByCause {
				byCause += n
			}
			assert.Equal(t, y.Health.Deaths, byCause, "scenario %d year %d: deaths by cause", i, y.Year)
		}
	}
	assert.Positive(t, fees, "years with contract fees paid: the identities above were checked on none")
	assert.Positive(t, prevention, "years with a budget's prevention work: the identities above were checked on none")
}

func loadDefault(t testing.TB, sets ...string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.LoadFS(scenarios.FS, scenarios.Default, sets)
	require.NoError(t, err)
	return s
}

func summaryJSON(t testing.TB, s *scenario.Scenario, workers int) []byte {
	t.Helper()
	sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: workers})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, report.WriteJSON(&b, sum))
	return b.Bytes()
}

// TestDeterministicWorkers: the same scenario and seed give the same bytes
// whatever the number of workers, for every payment method: the summary and
// the trace.
func TestDeterministicWorkers(t *testing.T) {
	for _, name := range []string{"county-ffs.yaml", "county-drg.yaml", "county-dip.yaml", "county-global-budget.yaml"} {
		s, err := scenario.LoadFS(scenarios.FS, name, []string{"population.size=20000", "years=2"})
		require.NoError(t, err)
		want, wantTrace := outputs(t, s, 1)
		for _, w := range []int{2, 8} {
			got, trace := outputs(t, s, w)
			if !bytes.Equal(got, want) {
				t.Errorf("%s: summary with %d workers differs from 1 worker", name, w)
			}
			if !bytes.Equal(trace, wantTrace) {
				t.Errorf("%s: trace with %d workers differs from 1 worker", name, w)
			}
		}
	}
}

// outputs runs s on workers goroutines and returns its summary.json and
// trace.csv.
func outputs(t testing.TB, s *scenario.Scenario, workers int) (summary, trace []byte) {
	t.Helper()
	sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: workers})
	require.NoError(t, err)
	var js, tr bytes.Buffer
	require.NoError(t, report.WriteJSON(&js, sum))
	require.NoError(t, report.WriteTraceCSV(&tr, sum))
	return js.Bytes(), tr.Bytes()
}

// TestGoldenDefault compares the default scenario's summary.json with the
// golden file; go test ./sim -update rewrites it (review the diff).
func TestGoldenDefault(t *testing.T) {
	_, b := fullDefault(t)
	golden(t, filepath.Join("..", "testdata", "golden", "county-ffs.summary.json"), b)
}

// markovExpected is the expected discounted state cost, life-years and QALYs
// per person of a one-condition scenario whose transitions are per-cycle
// probabilities, from its Markov trace (everyone starts in the first state;
// a cycle counts the states held at its start, discounted from t = 0).
func markovExpected(s *scenario.Scenario) (cost, ly, qaly float64) {
	c := s.Conditions[0]
	n := len(c.States)
	idx := map[string]int{}
	for i, st := range c.States {
		idx[st.Name] = i
	}
	P := make([][]float64, n)
	for i := range P {
		P[i] = make([]float64, n)
	}
	for _, tr := range c.Transitions {
		P[idx[tr.From]][idx[tr.To]] = *tr.Prob
	}
	for i := range P {
		stay := 1.0
		for j := range P[i] {
			stay -= P[i][j]
		}
		P[i][i] += stay
	}
	trace := make([]float64, n)
	trace[0] = 1
	for k := 0; k < s.Years; k++ {
		df := math.Pow(1+s.DiscountRate, -float64(k))
		for i, st := range c.States {
			if st.Dead {
				continue
			}
			u := 1.0
			if st.Utility != nil {
				u = *st.Utility
			}
			cost += df * trace[i] * st.Cost.Total()
			ly += df * trace[i]
			qaly += df * trace[i] * u
		}
		next := make([]float64, n)
		for i := range trace {
			for j := range trace {
				next[j] += trace[i] * P[i][j]
			}
		}
		trace = next
	}
	return cost, ly, qaly
}

// TestMarkovClosedForm runs the textbook four-state model and compares its
// discounted costs, life-years and QALYs per person with the expected values
// of the Markov trace computed directly from the transition matrix.
func TestMarkovClosedForm(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "teaching/markov-4state.yaml", []string{"population.size=200000"})
	require.NoError(t, err)
	sum, err := Run(context.Background(), s, Options{Seed: 11, Workers: 2})
	require.NoError(t, err)
	cost, ly, qaly := markovExpected(s)
	got := sum.Overall.PerPerson
	t.Logf("closed form: cost %.1f, life-years %.4f, QALYs %.4f; simulated: %.1f, %.4f, %.4f", cost, ly, qaly, got.StateCosts, got.LifeYears, *got.QALYs)
	// 200,000 persons: the standard errors are well under 0.3% of each figure.
	assert.InEpsilon(t, cost, got.StateCosts, 0.01)
	assert.InEpsilon(t, ly, got.LifeYears, 0.005)
	assert.InEpsilon(t, qaly, *got.QALYs, 0.005)
}

// TestIntervalCoverage: the 95% interval of the mean across replicates covers
// the closed-form expected value in about 95% of runs.
func TestIntervalCoverage(t *testing.T) {
	s, err := scenario.LoadFS(scenarios.FS, "teaching/markov-4state.yaml", []string{"population.size=1000", "years=10"})
	require.NoError(t, err)
	_, _, want := markovExpected(s)
	const runs, reps = 60, 5
	covered := 0
	for k := 0; k < runs; k++ {
		sum, err := RunReplicates(context.Background(), s, Options{Seed: uint64(100 + k), Workers: 2}, reps)
		require.NoError(t, err)
		lo, hi := *sum.Interval.Lo.Overall.PerPerson.QALYs, *sum.Interval.Hi.Overall.PerPerson.QALYs
		if lo <= want && want <= hi {
			covered++
		}
	}
	// 95% of 60 is 57, with a binomial spread of about 1.7: fewer than 51
	// (or all 60 with intervals far too wide) would mean wrong intervals.
	t.Logf("%d of %d intervals cover the expected QALYs %.4f", covered, runs, want)
	if covered < 51 {
		t.Errorf("%d of %d 95%% intervals cover the expected value; want about 57", covered, runs)
	}
}

// TestPriceTrendScalesCharges: a price trend changes no episode, only its
// charges: with every service's prices growing 10% a year, each year's
// charges are 1.1^y × those without the trend, and the fund pays more.
func TestPriceTrendScalesCharges(t *testing.T) {
	sets := []string{"population.size=3000", "years=3"}
	flat := loadDefault(t, append(sets, "trends={}")...)
	grown := loadDefault(t, append(sets, "trends={price: {outpatient: 0.1, inpatient: 0.1, long_stay: 0.1}}")...)
	a, err := Run(context.Background(), flat, Options{Seed: 3, Workers: 2})
	require.NoError(t, err)
	b, err := Run(context.Background(), grown, Options{Seed: 3, Workers: 2})
	require.NoError(t, err)
	for y := range a.Yearly {
		f := math.Pow(1.1, float64(y))
		ya, yb := a.Yearly[y], b.Yearly[y]
		assert.Equal(t, ya.Utilisation, yb.Utilisation, "year %d: care", ya.Year)
		assert.InEpsilon(t, f*ya.Cost.Charges, yb.Cost.Charges, 1e-9, "year %d: charges", ya.Year)
		assert.InEpsilon(t, f*ya.Cost.ResourceCost, yb.Cost.ResourceCost, 1e-9, "year %d: resource cost", ya.Year)
		if y > 0 && !(yb.Fund.Payout > ya.Fund.Payout) {
			t.Errorf("year %d: payout %v with the trend, %v without; want more", ya.Year, yb.Fund.Payout, ya.Fund.Payout)
		}
	}
}

// TestQALYsOnlyWithUtilities: a scenario that declares no utility reports
// life-years but no QALYs; one that declares any reports them.
func TestQALYsOnlyWithUtilities(t *testing.T) {
	none := loadDefault(t, "population.size=1000", "years=1")
	sum, err := Run(context.Background(), none, Options{Seed: 1, Workers: 1})
	require.NoError(t, err)
	assert.Nil(t, sum.Overall.Discounted.QALYs, "QALYs without utilities")
	assert.Positive(t, sum.Overall.Discounted.LifeYears, "life-years")
	some := loadDefault(t, "population.size=1000", "years=1", `population.age_bands[0].utility=0.9`)
	sum, err = Run(context.Background(), some, Options{Seed: 1, Workers: 1})
	require.NoError(t, err)
	require.NotNil(t, sum.Overall.Discounted.QALYs, "QALYs with a band's utility")
	assert.Less(t, *sum.Overall.Discounted.QALYs, sum.Overall.Discounted.LifeYears, "QALYs below life-years with a utility below 1")
}
