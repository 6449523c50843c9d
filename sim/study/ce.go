package study

import (
	"math"
	"slices"

	"github.com/paysim/paysim/sim/report"
	"github.com/paysim/paysim/sim/scenario"
)

// Status is a strategy's place in an incremental cost-effectiveness
// analysis.
type Status string

// The statuses of a strategy.
const (
	Frontier   Status = "frontier"             // on the efficiency frontier: its ICER is against the frontier strategy before it
	Dominated  Status = "dominated"            // another strategy costs no more and is at least as effective (one of them strictly)
	Extended   Status = "extendedly dominated" // a mix of two frontier strategies gives more effect for its cost
	Equivalent Status = "equivalent"           // the same cost and effect as a frontier strategy listed before it
)

// Incremental is one strategy's row of an incremental analysis.
type Incremental struct {
	Status Status
	// Against is the index of the frontier strategy its increments are
	// against (the next cheaper on the frontier), −1 for the cheapest.
	Against        int
	DCost, DEffect float64 // increments against Against (0 for the cheapest)
	ICER           float64 // DCost ÷ DEffect; NaN off the frontier and for the cheapest
}

// Increments ranks strategies of mean costs and effects by cost and
// removes the dominated and the extendedly dominated ones, as the
// textbooks do (Drummond et al., Methods for the Economic Evaluation of
// Health Care Programmes, 4th ed., §4.3; the NICE and CHEERS practice):
//
//  1. order by cost, then by effect (more effective first at equal cost);
//  2. a strategy that costs at least as much as a cheaper one and is no
//     more effective is dominated;
//  3. among the rest, in cost order, a strategy whose ICER against the one
//     before is higher than the ICER of the next against it is extendedly
//     dominated; remove it and repeat until the ICERs rise along the
//     frontier.
//
// Off the frontier the increments are against the frontier strategy that
// dominates it or the one before it in cost order.
func Increments(cost, effect []float64) []Incremental {
	n := len(cost)
	out := make([]Incremental, n)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case cost[a] < cost[b]:
			return -1
		case cost[a] > cost[b]:
			return 1
		case effect[a] > effect[b]:
			return -1
		case effect[a] < effect[b]:
			return 1
		}
		return 0
	})
	// Strong dominance: in cost order, a strategy no more effective than
	// the best before it is dominated by that one (or equivalent to it).
	var front []int
	best := -1
	for _, i := range order {
		if best >= 0 && effect[i] <= effect[best] {
			out[i].Status, out[i].Against = Dominated, best
			if effect[i] == effect[best] && cost[i] == cost[best] {
				out[i].Status = Equivalent
			}
			continue
		}
		front = append(front, i)
		best = i
	}
	// Extended dominance: drop the first strategy whose ICER exceeds the
	// next one's, until the ICERs increase.
	icer := func(a, b int) float64 { return (cost[b] - cost[a]) / (effect[b] - effect[a]) }
	for {
		drop := -1
		for k := 1; k+1 < len(front); k++ {
			if icer(front[k-1], front[k]) > icer(front[k], front[k+1]) {
				drop = k
				break
			}
		}
		if drop < 0 {
			break
		}
		i := front[drop]
		out[i].Status, out[i].Against = Extended, front[drop-1]
		front = slices.Delete(front, drop, drop+1)
	}
	for k, i := range front {
		out[i].Status = Frontier
		out[i].Against = -1
		out[i].ICER = math.NaN()
		if k > 0 {
			a := front[k-1]
			out[i].Against = a
			out[i].ICER = icer(a, i)
		}
	}
	for i := range out {
		if a := out[i].Against; a >= 0 {
			out[i].DCost, out[i].DEffect = cost[i]-cost[a], effect[i]-effect[a]
		}
		if out[i].Status != Frontier {
			out[i].ICER = math.NaN()
		}
	}
	return out
}

// Perspective is whose costs a cost-effectiveness analysis counts.
type Perspective string

// The perspectives.
const (
	// HealthSystem counts the state costs and all charges of care, whoever
	// pays them (fund and patients).
	HealthSystem Perspective = "health_system"
	// Payer counts the state costs and what the fund paid.
	Payer Perspective = "payer"
)

// Economics is the cost-effectiveness of compared scenarios taken as
// strategies, per person at the start, discounted to it: each strategy's
// mean cost and effect with their 95% intervals, its increments against the
// frontier strategy before it with paired intervals, its ICER, and at each
// willingness to pay λ its net monetary benefit λ·effect − cost and the
// share of replicates in which it has the highest (the acceptability
// curve's points).
type Economics struct {
	Perspective Perspective `json:"perspective"`
	Effect      string      `json:"effect"` // qalys, or life_years when a scenario declares no utility
	// CostCategories are the categories of the strategies' costs, in the
	// order their CostBy adds up to their Cost: the state cost categories
	// of the scenarios, then care (the charges, or the fund's payments,
	// under the perspective).
	CostCategories []string     `json:"cost_categories"`
	WTP            []float64    `json:"wtp"` // willingness to pay per unit of effect, in the scenarios' currency
	Strategies     []StrategyCE `json:"strategies"`
	// By WTP: the strategy of the highest mean net monetary benefit and the
	// share of replicates in which it is the best (the acceptability
	// frontier, CEAF).
	Optimal     []string  `json:"optimal"`
	OptimalProb []float64 `json:"optimal_prob"`
	// EVPI is, by WTP, the expected value of perfect information per person,
	// E[max NMB] − max E[NMB] over the replicates; only when the replicates
	// drew the uncertain parameters (a PSA), where their spread is the
	// parameters' uncertainty and not Monte Carlo noise.
	EVPI []float64 `json:"evpi,omitempty"`
}

// StrategyCE is one strategy's line of Economics.
type StrategyCE struct {
	Name     string  `json:"name"`
	Cost     float64 `json:"cost"` // the sum of CostBy in the order of Economics.CostCategories
	CostHalf float64 `json:"cost_half_width_95"`
	// CostBy is the mean cost by category (Economics.CostCategories).
	CostBy map[string]float64 `json:"cost_by_category"`
	// UndiscountedCost and UndiscountedCostBy are the same not
	// discounted.
	UndiscountedCost   float64            `json:"undiscounted_cost"`
	UndiscountedCostBy map[string]float64 `json:"undiscounted_cost_by_category"`
	Effect             float64            `json:"effect"`
	EffectHalf         float64            `json:"effect_half_width_95"`
	LifeYears          float64            `json:"life_years"`
	QALYs              *float64           `json:"qalys,omitempty"`
	Status             Status             `json:"status"`
	Against            string             `json:"against,omitempty"` // the strategy its increments are against
	DCost              float64            `json:"d_cost"`
	DCostHalf          float64            `json:"d_cost_half_width_95"`
	DEffect            float64            `json:"d_effect"`
	DEffectHalf        float64            `json:"d_effect_half_width_95"`
	ICER               *float64           `json:"icer"` // nil off the frontier and for its cheapest strategy
	NMB                []float64          `json:"nmb"`  // by WTP
	NMBHalf            []float64          `json:"nmb_half_width_95"`
	ProbBest           []float64          `json:"prob_cost_effective"` // by WTP: share of replicates where its NMB is the highest
}

// ceDraws are the per-replicate figures Evaluate works from:
// [strategy][replicate].
type ceDraws struct {
	names                         []string
	stateCosts, charges, fundPaid [][]float64
	// categories are the state cost categories of every strategy, in
	// order; disc and undisc the runs' totals per person, discounted and
	// not, [strategy][replicate], whose categories costBy reads.
	categories       []string
	disc, undisc     [][]report.Discounted
	lifeYears, qalys [][]float64
	utilities        bool // every strategy declares utilities: the effect is QALYs
}

// PerReplicate returns each strategy's cost and effect per person in each
// replicate, [strategy][replicate], as c.Economics counts them.
func (c *Comparison) PerReplicate() (costs, effects [][]float64) {
	return c.draws.perReplicate(c.Economics.Perspective)
}

func (d *ceDraws) perReplicate(p Perspective) (costs, effects [][]float64) {
	n := len(d.names)
	costs, effects = make([][]float64, n), make([][]float64, n)
	for k := range n {
		costs[k] = make([]float64, len(d.stateCosts[k]))
		for r := range costs[k] {
			paid := d.charges[k][r]
			if p == Payer {
				paid = d.fundPaid[k][r]
			}
			costs[k][r] = d.stateCosts[k][r] + paid
		}
		effects[k] = d.lifeYears[k]
		if d.utilities {
			effects[k] = d.qalys[k]
		}
	}
	return costs, effects
}

// costBy is the mean cost by category of runs (one strategy's
// replicates), the state cost categories and then care under perspective
// p, and their sum in that order (t is Student's t of the replicates).
func (d *ceDraws) costBy(runs []report.Discounted, p Perspective, t float64) (total float64, by map[string]float64) {
	by = map[string]float64{}
	x := make([]float64, len(runs))
	for _, name := range d.categories {
		for r := range runs {
			x[r] = runs[r].StateCostsBy[name]
		}
		by[name], _ = report.MeanHalfWidth(x, t)
		total += by[name]
	}
	for r := range runs {
		x[r] = runs[r].Charges
		if p == Payer {
			x[r] = runs[r].FundPaid
		}
	}
	by[scenario.CareCategory], _ = report.MeanHalfWidth(x, t)
	return total + by[scenario.CareCategory], by
}

// Evaluate sets c.Economics for a perspective and willingness-to-pay
// thresholds (none: no net monetary benefit).
func (c *Comparison) Evaluate(p Perspective, wtp []float64) {
	d := c.draws
	if d == nil {
		return
	}
	n := len(d.names)
	costs, effects := d.perReplicate(p)
	e := &Economics{Perspective: p, Effect: "life_years", WTP: wtp,
		CostCategories: append(slices.Clip(d.categories), scenario.CareCategory)}
	if d.utilities {
		e.Effect = "qalys"
	}
	mc, me := make([]float64, n), make([]float64, n)
	t := 0.0
	for k := range n {
		t = report.T95(len(costs[k]))
		s := StrategyCE{Name: d.names[k]}
		s.Cost, s.CostHalf = report.MeanHalfWidth(costs[k], t)
		if k < len(d.disc) {
			s.Cost, s.CostBy = d.costBy(d.disc[k], p, t)
			s.UndiscountedCost, s.UndiscountedCostBy = d.costBy(d.undisc[k], p, t)
		}
		s.Effect, s.EffectHalf = report.MeanHalfWidth(effects[k], t)
		s.LifeYears, _ = report.MeanHalfWidth(d.lifeYears[k], t)
		if d.utilities {
			q, _ := report.MeanHalfWidth(d.qalys[k], t)
			s.QALYs = &q
		}
		mc[k], me[k] = s.Cost, s.Effect
		e.Strategies = append(e.Strategies, s)
	}
	for k, in := range Increments(mc, me) {
		s := &e.Strategies[k]
		s.Status = in.Status
		if !math.IsNaN(in.ICER) {
			icer := in.ICER
			s.ICER = &icer
		}
		if a := in.Against; a >= 0 {
			s.Against = d.names[a]
			s.DCost, s.DCostHalf = report.MeanHalfWidth(diff(costs[k], costs[a]), t)
			s.DEffect, s.DEffectHalf = report.MeanHalfWidth(diff(effects[k], effects[a]), t)
		}
	}
	for _, l := range wtp {
		reps := len(costs[0])
		wins := make([]int, n)
		perfect := 0.0 // Σ over replicates of the best strategy's NMB
		for r := range reps {
			best := 0
			for k := 1; k < n; k++ {
				if l*effects[k][r]-costs[k][r] > l*effects[best][r]-costs[best][r] {
					best = k
				}
			}
			wins[best]++
			perfect += l*effects[best][r] - costs[best][r]
		}
		opt := 0
		for k := 1; k < n; k++ {
			if l*me[k]-mc[k] > l*me[opt]-mc[opt] {
				opt = k
			}
		}
		e.Optimal = append(e.Optimal, d.names[opt])
		e.OptimalProb = append(e.OptimalProb, float64(wins[opt])/float64(reps))
		if c.Draws != nil {
			e.EVPI = append(e.EVPI, max(0, perfect/float64(reps)-(l*me[opt]-mc[opt])))
		}
		for k := range n {
			nmb := make([]float64, reps)
			for r := range nmb {
				nmb[r] = l*effects[k][r] - costs[k][r]
			}
			m, h := report.MeanHalfWidth(nmb, t)
			s := &e.Strategies[k]
			s.NMB = append(s.NMB, m)
			s.NMBHalf = append(s.NMBHalf, h)
			s.ProbBest = append(s.ProbBest, float64(wins[k])/float64(reps))
		}
	}
	c.Economics = e
}

// diff is x − y element by element (paired replicates).
func diff(x, y []float64) []float64 {
	d := make([]float64, len(x))
	for i := range d {
		d[i] = x[i] - y[i]
	}
	return d
}
