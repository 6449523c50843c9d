// Package budget is the global budget of a county medical community
// (按人头总额付费, MODEL §5): a per-capita budget the fund advances monthly,
// out of which the consortium pays its members by their rules; the fund pays
// care outside the consortium and charges it against the budget; at the
// year's end the surplus is shared, or the overspend covered in part, and
// the consortium's result is split among its member tiers. A Budget is the
// payment.Payer the engine routes the fund's payments through.
package budget

import (
	"math"

	"github.com/paysim/paysim/sim/ledger"
	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

// Params are a budget's parameters.
type Params struct {
	// Income, when set, makes the per-capita base of year y Income[y]
	// (以收定支: a share of the fund's income per enrollee) instead of last
	// year's spending grown by Growth.
	Income       []float64
	PerCapita    float64 // last year's per-capita spending on care before the first year [yuan]
	Growth       float64 // growth cap
	RiskReserve  float64 // share of the budget kept back in the fund as risk reserve
	PublicHealth float64 // public-health funds pooled in, per enrollee [yuan]; paid by government
	Advance      float64 // share of the insurance budget advanced monthly
	Alpha        float64 // share of a surplus the consortium keeps
	Beta         float64 // share of an overspend the fund covers
	Cap          float64 // the fund covers at most Cap × G of an overspend
	// ForecastSD is the standard deviation of the members' forecast of next
	// year's spending, as a share of the budget: 0 makes the forecast sure.
	ForecastSD    float64
	TierShare     []float64 // by tier: share of the consortium's result
	Member        []bool    // by provider: paid out of the budget
	Tier          []int     // by provider: its tier, an index of TierShare
	CyclesPerYear int
	// PreventionCost is what the prevention work the pooled public-health
	// funds pay for costs, per managed person-year [yuan], and
	// PublicHealthWork what the public-health package costs per enrollee.
	PreventionCost, PublicHealthWork float64
}

// Budget is a consortium's budget from year to year.
type Budget struct {
	p    Params
	base float64            // last year's per-capita spending on care (base spending)
	y    payment.BudgetYear // the year being run
	year int                // the year being run, 0-based

	// first and spent are the per-capita spending of the first and the last
	// year settled (0 before the first), settled the number of years
	// settled: the observed growth the forecast averages.
	first, spent float64
	settled      int
	over, margin float64 // the forecast of the coming year (Forecast)
}

var (
	_ payment.Payer      = (*Budget)(nil)
	_ payment.Forecaster = (*Budget)(nil)
	_ payment.Preventer  = (*Budget)(nil)
	_ payment.Investor   = (*Budget)(nil)
)

// New returns the budget of p.
func New(p Params) *Budget {
	b := &Budget{p: p, base: p.PerCapita}
	// The first year: last year's spending per head, under base spending,
	// is the base before the reserve, grown as the forecast grows spending;
	// under base income it is not known and the year is an even chance.
	d := 0.0
	if p.Income == nil && p.PerCapita > 0 {
		d = b.excess(p.PerCapita*(1-p.RiskReserve)*(1+b.growth()), b.base*(1+p.Growth))
	}
	b.forecast(d)
	return b
}

// Rebase takes the fund's spending on care per enrollee in the year before
// the budget's first as its base, in place of PerCapita: the base before
// the risk reserve, as a settled year sets it, and the forecast of the
// first year from it, as New makes it. Under base income it changes
// nothing.
func (b *Budget) Rebase(spent float64) {
	if b.p.Income != nil {
		return
	}
	b.base = spent / (1 - b.p.RiskReserve)
	b.forecast(b.excess(spent*(1+b.growth()), b.base*(1+b.p.Growth)))
}

// growth is the forecast's growth of spending per head: the geometric mean
// of the growth observed since the first year settled and of a prior year
// at the budget's own growth (the growth cap under base spending, the
// income's growth under base income), so that one dear or cheap year does
// not make the forecast (a budget that follows spending makes a dear year's
// successor cheap).
func (b *Budget) growth() float64 {
	p := &b.p
	prior := 1 + p.Growth
	if p.Income != nil && len(p.Income) > 1 && p.Income[0] > 0 {
		prior = p.Income[1] / p.Income[0]
	}
	if b.settled < 2 || b.first <= 0 {
		return prior - 1
	}
	return math.Pow(prior*b.spent/b.first, 1/float64(b.settled)) - 1
}

// excess is the share by which spending of spent per head would exceed a
// budget of per per head (b, before the reserve): spent ÷ G − 1 per head.
func (b *Budget) excess(spent, per float64) float64 {
	g := per*(1-b.p.RiskReserve) + b.p.PublicHealth
	if g <= 0 {
		return 0
	}
	return spent/g - 1
}

// Build returns the budget of the scenario's consortium that holds one, or
// nil when none does.
func Build(c *model.Care) *Budget {
	cons := c.S.Budgeted()
	if cons == nil {
		return nil
	}
	b := cons.Budget
	p := Params{PerCapita: b.PerCapita, Growth: b.Growth, RiskReserve: b.RiskReserve,
		PublicHealth: b.PublicHealth, PreventionCost: b.PreventionCost, PublicHealthWork: b.PublicHealth, Advance: 1, Alpha: b.SurplusShare, Beta: b.OverspendShare, Cap: b.OverspendCap,
		ForecastSD: b.SD(),
		TierShare:  make([]float64, c.NTier), Member: c.Member, Tier: make([]int, c.NProv), CyclesPerYear: c.CyclesPerYear}
	if b.Advance != nil {
		p.Advance = *b.Advance
	}
	if b.PublicHealthWork != nil {
		p.PublicHealthWork = *b.PublicHealthWork
	}
	if b.Base == scenario.BaseIncome {
		f := &c.S.Fund
		p.Income = ledger.Contributions((f.Individual+f.Subsidy)*(1+f.OtherIncome), f.Growth, c.S.Years)
		for y := range p.Income {
			p.Income[y] *= b.IncomeShare
		}
	}
	for _, sh := range b.TierShares {
		for t, name := range c.TierNames {
			if name == sh.Name {
				p.TierShare[t] = sh.Value
			}
		}
	}
	for prov, t := range c.ProvTier {
		p.Tier[prov] = int(t)
	}
	return New(p)
}

// Open starts year (0-based) for the given enrollees: G = enrollees × b ×
// (1 − risk reserve) + enrollees × public health, with b the base × (1 +
// growth), or the year's income share.
func (b *Budget) Open(year int, enrollees float64) { b.y, b.year = b.open(year, enrollees), year }

// Invest charges the year being run with the consortium's investment in
// capability: its members share Retained − Investment (the fund's
// accounts do not change).
func (b *Budget) Invest(amount float64) { b.y.Investment += amount }

// Year is the account of the year being run.
func (b *Budget) Year() payment.BudgetYear { return b.y }

// Cycle books a cycle's payments: the members' are paid out of the budget,
// the others' by the fund and charged against it; the fund pays them and
// the cycle's advance.
func (b *Budget) Cycle(fundPaid []float64) float64 {
	y := &b.y
	fund := 0.0
	for p, paid := range fundPaid {
		if b.p.Member[p] {
			y.Internal += paid
		} else {
			fund += paid
		}
	}
	adv := b.advance(y, b.p.CyclesPerYear)
	y.Advanced += adv
	y.Outside += fund
	return fund + adv
}

// Close routes the rules' year-end transfers as Cycle routes payments,
// settles the year, and returns what the fund pays at the year's end (the
// non-members' transfers and the budget's) and each member's share of the
// consortium's result.
func (b *Budget) Close(transfers []payment.Transfer, revenue []float64) (payout float64, share []float64) {
	y := &b.y
	for _, t := range transfers {
		if b.p.Member[t.Provider] {
			y.Internal += t.Amount // the consortium settles with its members
			continue
		}
		y.Outside += t.Amount
		payout += t.Amount
	}
	b.settle(y)
	return payout + y.Transfer, b.share(y, revenue)
}

// Prevent books the year's managed person-years and the public-health
// work of the year: the package for every enrollee at the year's start
// (PublicHealthWork each) and the managed patients' work (PreventionCost
// per managed person-year), paid out of the budget to the members at cost:
// the work moves no member's margin, and lowers the surplus they share
// (docs/mechanisms.md §2). The engine calls it before Close.
func (b *Budget) Prevent(managedYears float64) {
	b.y.Managed = managedYears
	b.y.Prevention = managedYears*b.p.PreventionCost + b.y.Enrollees*b.p.PublicHealthWork
}

// open is year (0-based) of the given enrollees.
func (b *Budget) open(year int, enrollees float64) payment.BudgetYear {
	p := &b.p
	y := payment.BudgetYear{Enrollees: enrollees, PerCapita: b.base * (1 + p.Growth)}
	if p.Income != nil {
		y.PerCapita = p.Income[min(year, len(p.Income)-1)]
	}
	y.Insurance = enrollees * y.PerCapita * (1 - p.RiskReserve)
	y.Reserve = enrollees * y.PerCapita * p.RiskReserve
	y.PublicHealth = enrollees * p.PublicHealth
	y.G = y.Insurance + y.PublicHealth
	return y
}

// advance is the fund's advance for one of cyclesPerYear cycles.
func (b *Budget) advance(y *payment.BudgetYear, cyclesPerYear int) float64 {
	return y.Insurance * b.p.Advance / float64(cyclesPerYear)
}

// settle settles the year from y.Advanced, y.Internal and y.Outside: the
// surplus or overspend, who keeps or bears it, and the year-end transfer
// that leaves the consortium with Internal + Prevention + Retained, having
// received the advances and the public-health funds. Under base spending the next
// year's base is the year's actual per-capita spending on care, before
// the risk reserve.
func (b *Budget) settle(y *payment.BudgetYear) {
	p := &b.p
	y.Spending = y.Internal + y.Outside
	y.Surplus = y.G - y.Spending - y.Prevention
	if y.Surplus >= 0 {
		y.Retained = p.Alpha * y.Surplus
		y.FundKept = y.Surplus - y.Retained
	} else {
		y.FundCovered = p.Beta * min(-y.Surplus, p.Cap*y.G)
		y.Retained = y.Surplus + y.FundCovered
	}
	y.Transfer = y.Internal + y.Prevention + y.Retained - y.Advanced - y.PublicHealth
	y.FundOutlay = y.Advanced + y.Outside + y.Transfer
	if y.Enrollees > 0 {
		// 上年实际支出: what the residents' care cost, whoever ended up paying
		// it (a surplus kept or an overspend covered by the fund moves money,
		// not the cost of care), before the risk reserve, so that the reserve
		// is taken once a year and not compounded: spending of exactly the
		// insurance budget grows next year's base by the growth cap.
		b.base = y.Spending / (1 - p.RiskReserve) / y.Enrollees
		spent := y.Spending / y.Enrollees
		if b.settled == 0 {
			b.first = spent
		}
		b.spent = spent
		b.settled++
		per := b.base * (1 + p.Growth) // next year's b under base spending
		if p.Income != nil {
			per = p.Income[min(b.year+1, len(p.Income)-1)]
		}
		// The prevention work is forecast at this year's cost per head.
		b.forecast(b.excess(spent*(1+b.growth())+y.Prevention/y.Enrollees, per))
		return
	}
	b.forecast(0)
}

// Forecast is the members' forecast of the coming year (the first, before
// it): the probability that it ends in an overspend, and what a yuan more
// of their care is then expected to cost their side, the margin
// α·P(surplus) + (1 − β)·P(overspend within the cap) + P(beyond the cap).
func (b *Budget) Forecast() (over, margin float64) { return b.over, b.margin }

// forecast sets the forecast of a year whose spending is expected to
// exceed the budget by d (a share of it, negative: a surplus), with a
// normal error of ForecastSD; members ignore that their spending raises
// next year's base (the ratchet), as they would under a budget set by
// income.
func (b *Budget) forecast(d float64) {
	p := &b.p
	cdf := func(x float64) float64 { // P(overspend share > x)
		if p.ForecastSD == 0 {
			switch {
			case math.Abs(d-x) <= 1e-9: // an even chance, as any error would make it
				return 0.5
			case d > x:
				return 1
			}
			return 0
		}
		return 0.5 * math.Erfc(-(d-x)/(p.ForecastSD*math.Sqrt2))
	}
	over := cdf(0)
	beyond := over // without a cap (or a share) the fund covers none of it
	if p.Beta > 0 {
		beyond = cdf(p.Cap)
	}
	b.over = over
	b.margin = p.Alpha*(1-over) + (1-p.Beta)*(over-beyond) + beyond
}

// share splits the consortium's result among its member tiers by the tier
// shares, and within a tier among its members in proportion to their
// revenue of the year (equally when none earned any).
func (b *Budget) share(y *payment.BudgetYear, revenue []float64) []float64 {
	p := &b.p
	out := make([]float64, len(p.Member))
	for t := range p.TierShare {
		var rev float64
		var members int
		for prov, member := range p.Member {
			if member && p.Tier[prov] == t {
				rev += revenue[prov]
				members++
			}
		}
		for prov, member := range p.Member {
			if !member || p.Tier[prov] != t {
				continue
			}
			w := 1 / float64(members)
			if rev > 0 {
				w = revenue[prov] / rev
			}
			out[prov] = (y.Retained - y.Investment) * p.TierShare[t] * w
		}
	}
	return out
}
