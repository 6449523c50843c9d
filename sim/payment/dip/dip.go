// Package dip is payment by disease-procedure points (按病种分值付费, DIP;
// MODEL §5): a case scores points = score × k_h, adjusted for cost outliers;
// the fund advances a share of points × a budget point value every month and
// settles the year at the point value its DIP fund buys, less what the
// patients paid.
//
// Source: 国家医疗保障按病种分值付费（DIP）技术规范 (医保办发〔2020〕50号),
// read in a secondary summary (恒健知行, "按病种分值付费（DIP）技术规范的核心概念",
// 2025-12-26), the same [S] grade as CALIBRATION.md "Payment parameters".
package dip

import (
	"fmt"
	"math"
	"slices"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/window"
	"github.com/paysim/paysim/sim/scenario"
)

// Outlier classes, as multiples of the benchmark b, last year's mean cost
// of the group at the case's tier (医保办发〔2020〕50号, 费用异常病例; see
// Price for why the class and the coefficient share b).
const (
	LowBelow    = 0.5 // c < 0.5 b: ultra-low case (费用超低病例)
	HighAbove   = 2   // c > 2 b: ultra-high case (费用超高病例)
	ReviewAbove = 5   // c > 5 b: extreme case (极端异常病例), to expert review (paid by item here)
)

// History weights of E(t−3), E(t−2), E(t−1) in the budget point value (1:2:7).
var weights = [3]float64{0.1, 0.2, 0.7}

// Params are a DIP rule's parameters.
type Params struct {
	Score []float64 // points per case before k_h, by group; > 0
	// B is the benchmark b of the outlier classes and coefficients, by
	// group: last year's mean cost of the group [yuan]. 0: b = s = score ×
	// point value, the payment standard (MODEL §5: "a scenario may set b = s").
	B []float64
	// BTier, when set, is b by group and tier ([group*NTier + tier]): last
	// year's mean cost of the group at the case's tier (MODEL §5); a value of
	// 0 falls back to B.
	BTier []float64
	NTier int
	K     []float64 // k_h, by provider; nil: 1 for every provider
	// History is E(t−3), E(t−2), E(t−1): the total cost (住院总费用, fund and
	// patients together) of the DIP cases in the three years before the first
	// [yuan]; E(t−1) > 0.
	History [3]float64
	// AllMean is the mean of all groups' mean costs [yuan], > 0: the cost of
	// 100 points, which estimates the points of the year before the first
	// (see New).
	AllMean  float64
	LastYear float64 // last year's DIP fund [yuan]; the fund of year y (0-based) is LastYear × (1+Growth)^(y+1)
	Growth   float64 // yearly growth of the DIP fund
	// Rebased is, by year, the factor procurement's cuts put on the DIP fund
	// once it is re-based on the cut cost (model.Care.Rebased); nil: 1.
	Rebased   []float64
	FundRatio float64 // fund reimbursement ratio (医保报销比例) (0,1]
	Advance   float64 // share of points × budget point value × FundRatio advanced monthly [0,1]
	// Window: a stay outside it is priced by its fallback rule, paid at
	// once and flagged OutsideWindow; nil: no window.
	Window *window.Window
}

// Rule prices cases in DIP points and settles the year. Price and Settle
// read it only; YearEnd moves it to the next year. Its Valuation is the
// budget point value of the current year (预算点值): what the monthly
// advances and the payment standards use.
type Rule struct {
	p     Params
	hist  [3]float64 // E(t−3), E(t−2), E(t−1) of the current year
	b     []float64  // B of the current year
	bTier []float64  // BTier of the current year
	payment.Valuation
}

var (
	_ payment.Rule        = (*Rule)(nil)
	_ payment.Pricer      = (*Rule)(nil)
	_ payment.YearEnder   = (*Rule)(nil)
	_ payment.PointValuer = (*Rule)(nil)
)

// New returns the rule of p in its first year. Before the first year the
// points of the year before (Σ score × cases in the budget point value) are
// not known; New estimates them as E(t−1) × 100 ÷ AllMean, last year's
// spending at the average cost of a point, so that the first budget point
// value is AllMean ÷ 100 × (0.1·E(t−3) + 0.2·E(t−2) + 0.7·E(t−1)) ÷ E(t−1).
// New panics if AllMean, E(t−1) or FundRatio is not positive.
func New(p Params) *Rule {
	if !(p.AllMean > 0 && p.History[2] > 0 && p.FundRatio > 0) {
		panic(fmt.Sprintf("dip.New: AllMean %v, E(t−1) %v and FundRatio %v must be positive", p.AllMean, p.History[2], p.FundRatio))
	}
	r := &Rule{p: p, hist: p.History, b: slices.Clone(p.B), bTier: slices.Clone(p.BTier)}
	r.SetPointValue(budgetValue(r.hist, r.hist[2]*100/p.AllMean))
	return r
}

// budgetValue is the budget point value (预算点值):
// (0.1·E(t−3) + 0.2·E(t−2) + 0.7·E(t−1)) ÷ last year's points.
func budgetValue(h [3]float64, points float64) float64 {
	return (weights[0]*h[0] + weights[1]*h[1] + weights[2]*h[2]) / points
}

// k returns k_h of provider p.
func (r *Rule) k(p int) float64 {
	if r.p.K == nil {
		return 1
	}
	return r.p.K[p]
}

// benchmark returns b of case c: the group's mean cost at the case's tier,
// else the group's; 0 when neither is known, and Price takes b = s, the
// payment standard (score × point value).
//
// 医保办发〔2020〕50号 (费用异常病例, read in a secondary copy) names the
// payment standard (病种组合支付标准) in the classes — below 50%, above 2
// and 5 times — and last year's mean cost of the group at the same level
// (上一年度同级别定点医疗机构该病种次均医疗总费用) in the coefficients, c ÷ b
// and (c ÷ b − 2) + 1. paysim reads the two as one benchmark, b: the high
// coefficient is 1 exactly at c = 2 b, so only a class at 2 b joins the
// normal class without a step (classed at 2 s with s < b, a case just above
// 2 s scores fewer points than a normal case, and with s < b ÷ 2 none at
// all); local rules written from 50号 class at the same mean (费用在上一年度
// 同级别定点医疗机构该病种次均医疗总费用200%以上、50%以下的病例). Where no b is
// known, b = s and the readings agree.
func (r *Rule) benchmark(c *payment.Case) float64 {
	if r.bTier != nil {
		if bt := r.bTier[c.Group*r.p.NTier+c.Tier]; bt > 0 {
			return bt
		}
	}
	return r.b[c.Group]
}

// Price prices a case at the budget point value: points = score × k_h,
// reclassed by its cost c (the itemised charges) against b, last year's
// mean cost of the group at the case's tier (b = s = score × point value
// where the scenario gives none), which also scales the coefficients:
//
//	c < 0.5 b        points × c ÷ b                (LowOutlier)
//	2 b < c ≤ 5 b    points × (c ÷ b − 1)          (HighOutlier)
//	c > 5 b          paid by item: charges, 0 points (Review)
//
// The payment is points × point value, the provisional revenue that the
// year-end settlement replaces. A case without a group (an outpatient
// visit) has no score and is paid by item.
func (r *Rule) Price(c *payment.Case, explain bool) payment.Price {
	p := payment.Price{Rule: string(scenario.MethodDIP)}
	if explain {
		p.Steps = []payment.Step{}
	}
	cost := c.Charges
	if c.Group < 0 {
		p.Base, p.Payment = cost, cost
		if explain {
			p.Explain("charges", cost, "a case without a DIP group (an outpatient visit) is paid by item")
		}
		return p
	}
	if r.p.Window.Outside(c.LOS) {
		fb := r.p.Window.Price(c, explain)
		if explain {
			p.Steps = append([]payment.Step{{Name: "window", Amount: float64(c.LOS),
				Formula: fmt.Sprintf("length of stay %d days is outside the DIP window, %s: priced by the fallback rule", c.LOS, r.p.Window)}}, fb.Steps...)
		}
		p.Base, p.Payment, p.Flags = fb.Base, fb.Payment, fb.Flags|payment.OutsideWindow
		return p
	}
	score, k, pv := r.p.Score[c.Group], r.k(c.Provider), r.For(c)
	if w := c.Weight(); w != 1 {
		if explain {
			p.Explain("coded score", score*w, "score %.4g as the provider codes it: × %.4g", score, w)
		}
		score *= w
	}
	base := score * k
	if explain {
		p.Explain("points", base, "score %.4g × k_h %.4g", score, k)
	}
	p.Base = base * pv
	b := r.benchmark(c)
	if b <= 0 {
		b = score * pv
		if explain {
			p.Explain("benchmark", b, "b = s = score %.4g × point value %.4f (no mean cost of the group known)", score, pv)
		}
	} else if explain {
		p.Explain("benchmark", b, "b = last year's mean cost of the group at the case's tier")
	}
	points := base
	switch {
	case cost > ReviewAbove*b:
		p.Flags |= payment.Review
		p.Payment = cost
		if explain {
			p.Explain("review", cost, "cost %.2f > %g b = %.2f: extreme case, to review; paid by item, no points", cost, float64(ReviewAbove), ReviewAbove*b)
		}
		return p
	case cost > HighAbove*b:
		// 50号: coefficient (c ÷ b − 2) + 1, which is 1 at c = 2 b: the
		// class joins the normal class without a step.
		points = base * (cost/b - 1)
		p.Flags |= payment.HighOutlier
		if explain {
			p.Explain("high outlier", points, "cost %.2f > %g b = %.2f: points %.4g × (cost %.2f ÷ b %.2f − 1)",
				cost, float64(HighAbove), HighAbove*b, base, cost, b)
		}
	case cost < LowBelow*b:
		points = base * cost / b
		p.Flags |= payment.LowOutlier
		if explain {
			p.Explain("low outlier", points, "cost %.2f < %g b = %.2f: points %.4g × cost %.2f ÷ b %.2f",
				cost, LowBelow, LowBelow*b, base, cost, b)
		}
	}
	p.Points = points
	p.Score = score
	p.Payment = points * pv
	if p.Flags&payment.HighOutlier != 0 {
		p.Outlier = p.Payment - p.Base
	}
	if explain {
		p.Explain("payment", p.Payment, "%.4g points × point value %.4f (provisional; settled at year end)", points, pv)
	}
	return p
}

// Settle books every case. Cases paid by item (reviews, visits) and stays
// outside the window are booked at their price: the fund pays price − OOP
// now. Scored cases earn
// points × budget point value provisionally and the fund advances Advance ×
// that × FundRatio, about Advance × the fund's share of the case; YearEnd
// settles the rest.
func (r *Rule) Settle(coding []float64, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		ev := &evs[i]
		c := payment.CaseOf(ev)
		if coding != nil {
			c.Coding = coding[c.Provider]
		}
		p := r.Price(&c, false)
		if c.Group < 0 || p.Flags&(payment.Review|payment.OutsideWindow) != 0 {
			out.Book(ev, &p)
			continue
		}
		out.BookAdvance(ev, &p, p.Payment, r.p.Advance*p.Payment*r.p.FundRatio)
	}
}

// Fund returns the DIP fund of year (0-based): LastYear × (1+Growth)^(year+1),
// × the year's Rebased factor.
func (r *Rule) Fund(year int) float64 {
	f := r.p.LastYear * math.Pow(1+r.p.Growth, float64(year+1))
	if year < len(r.p.Rebased) {
		f *= r.p.Rebased[year]
	}
	return f
}

// YearEnd settles the year of binding. With F the year's DIP fund and P all
// points of the year, the settled point value (结算点值) is (F ÷ FundRatio) ÷
// P (医保办发〔2020〕50号: 结算点值 = (当年医保基金可用于DIP付费总额 ÷ 医保报销
// 比例) ÷ Σ 分值). Each provider is owed Σ its points × settled value, of
// which its patients paid their itemised share of the scored cases (OOP);
// the fund owes the rest, at least 0 (a price below the patients' share
// leaves the provider that share, as Book does for a case), and pays it
// less its advances (Advance × its points × budget point value ×
// FundRatio: the budget value does not change within a year). Reviews,
// visits and stays outside the window were paid at once and are not settled
// again.
//
// The fund therefore pays F ÷ FundRatio − the patients' share of the
// scored cases, which is F only when that share is (1 − FundRatio) ×
// F ÷ FundRatio: more than F when the patients paid less, less when they
// paid more (FundRatio is the scenario's, the patients' share follows the
// benefit design case by case).
//
// It reports point_value_budget, point_value_settled, dip_fund and
// dip_fund_paid (the fund's payments for the year's scored cases, advances
// and settlement), and moves the rule to the next year: E(t) is the year's
// total cost of the DIP cases (住院总费用, the quantity 50号 weights 1:2:7),
// and the next budget point value divides the weighted history by Σ score ×
// cases. A year without points changes neither. It takes next year's b
// from the year's cases (rederive).
func (r *Rule) YearEnd(year, binding int, tot *payment.Settlement, out *payment.YearEnd) {
	t := &tot.Rules[binding]
	fund := r.Fund(year)
	spv := 0.0
	if t.Points > 0 {
		spv = fund / r.p.FundRatio / t.Points
	}
	pv := r.PointValue()
	paid := 0.0
	for prov, pts := range t.ProvPoints {
		if pts == 0 && t.ProvRevenue[prov] == 0 && t.ProvOOP[prov] == 0 {
			continue // no cases (cases of 0 points still settle their revenue)
		}
		advanced := r.p.Advance * pts * pv * r.p.FundRatio
		// The cases paid at once were booked at max(price, OOP), the fund
		// paying max(0, price − OOP): the difference is their OOP, and what
		// is left of the tallies is the scored cases'.
		byItemOOP := (t.ProvRevenue[prov] - pts*pv) - (t.ProvFund[prov] - advanced)
		oop := t.ProvOOP[prov] - byItemOOP
		due := max(0, pts*spv-oop)
		paid += due
		out.Settle(binding, prov, due-advanced, t, "DIP settlement")
	}
	out.Report(binding, "point_value_budget", pv)
	out.Report(binding, "point_value_settled", spv)
	out.Report(binding, "dip_fund", fund)
	out.Report(binding, "dip_fund_paid", paid)
	// Next year's budget point value (MODEL §5): the last three years' total
	// cost of the DIP cases, weighted 1:2:7, over Σ score × cases of the year.
	if t.Score > 0 {
		r.hist = [3]float64{r.hist[1], r.hist[2], t.Charges}
		r.SetPointValue(budgetValue(r.hist, t.Score))
	}
	r.rederive(t)
}

// rederive sets next year's benchmarks b to the year's mean cost of the
// group's scored and reviewed cases (a stay outside the window is not in
// the group): at the case's tier where b is by tier, over the tiers where
// the group has one b (医保办发〔2020〕50号: 上一年度同级别定点医疗机构该病种
// 次均医疗总费用). A group with b by tier keeps its one b (the reference
// tier's, for tiers that do not treat the group); a benchmark of 0 (b = s)
// stays 0; one without cases in the year keeps its value.
func (r *Rule) rederive(t *payment.RuleTally) {
	for g := range r.b {
		byTier := false
		for tier := 0; r.bTier != nil && tier < r.p.NTier; tier++ {
			i := g*r.p.NTier + tier
			if r.bTier[i] > 0 {
				byTier = true
				if m, ok := t.GroupMean(g, tier); ok && m > 0 {
					r.bTier[i] = m
				}
			}
		}
		if m, ok := t.GroupMean(g, -1); !byTier && ok && m > 0 && r.b[g] > 0 {
			r.b[g] = m
		}
	}
}

// Margin is what the rule pays at the margin of a stay (a long stay too is
// scored): one more case its points, or its cost when a mild case is an
// ultra-low case (below 0.5 b, b about the average episode's charges at
// its tier); a day more nothing; coding a case heavier its score; a
// stay billed as two a second case's points. A visit is paid by item.
func (r *Rule) Margin(e payment.Episode) payment.Margin {
	if e.Service == payment.Outpatient {
		return payment.ItemMargin(e)
	}
	m := payment.Margin{Case: 1, Weight: 1, Split: 1}
	if e.Mild < LowBelow {
		m.Case = e.Mild
	}
	return m
}
