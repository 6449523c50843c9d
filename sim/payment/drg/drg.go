// Package drg is payment by diagnosis-related group (MODEL §5), by the rate
// method (费率法) or the point method (点数法).
//
// A case of group g at provider h is priced in this order; each step is
// explained (see payment.Price.Explain):
//
//  1. window: a stay of fewer than WindowMin days, or of more than WindowMax
//     days when WindowMax > 0, is priced by the Fallback rule and flagged
//     OutsideWindow (Qingyang 2025: stays ≤ 2 days and ≥ 60 days are outside
//     DRG, i.e. WindowMin 3, WindowMax 59). Nothing below applies to it.
//  2. base payment: P = base_rate × RW_g × k_h (rate method), or
//     points = 100 × RW_g × k_h and P = points × the provisional point value
//     (point method). B = P ÷ k_h is the group's base payment, without the
//     provider's coefficient.
//  3. transfer or incomplete stay, when the case was discharged to a
//     post-acute stay (Case.Transfer) and the rule has a transfer method
//     (flag Incomplete): per_diem (42 CFR 412.4) applies only to groups on
//     the post-acute transfer list: PostAcute groups pay P × min(1,
//     round4((max(LOS, 1) + 1) ÷ GMLOS_g)), SpecialPay groups P × min(1,
//     0.5 + round4(0.5 × (max(LOS, 1) + 1) ÷ GMLOS_g)), rounded as the CMS
//     pricer rounds; other groups are paid P. china pays B × min(1, c ÷
//     mean_g) (Zhejiang; see transfer).
//  4. low-cost case: c < L × mean_g → min(B, B × c ÷ mean_g), without k_h
//     (flag LowOutlier; Jinhua: 病组基准点数 × 实际费用 ÷ 平均费用). A
//     case priced as a transfer in step 3 is not also a low-cost case: its
//     payment already follows its shorter stay or its lower cost.
//  5. high-cost outlier on the payment of steps 3–4 (flag HighOutlier), none
//     for a low-cost case. Family multiple: c > H_g × mean_g → extra = (c −
//     H_g × mean_g) × marginal. Family fixed_loss (42 CFR 412.80–412.84):
//     cost = charges × cost_to_charge, extra = m × max(0, cost − threshold)
//     with threshold = P + fixed_loss × k_h, m = burn_marginal for burn
//     groups. For a transfer case both P and the threshold are the
//     transfer-adjusted amounts (412.80(b)): the threshold is scaled like
//     the payment, (P + fixed_loss × k_h) × transfer payment ÷ P.
//  6. readmission within ReadmitDays days of a stay in the same group at
//     the same provider, group not exempt (flag Readmission): the first
//     stay's payment is halved, booked as an adjustment of −0.5 × that
//     stay's revenue on this case (Zhejiang: the earlier stay's points are
//     halved). The payment is not floored: a readmission paid less than
//     half the first stay has a negative revenue, and under the rate method
//     the fund's part of the clawback is then limited by the floor of
//     payment.Settlement.Book at 0.
//
// A case without a group (an outpatient visit bound to the rule) is paid
// its charges.
//
// c is the case's charges wherever it is compared with mean_g, since mean_g
// is a mean of charges (the Chinese rules compare 住院总费用 with 次均费用);
// only the fixed-loss family uses cost = charges × cost_to_charge.
//
// Under the point method every amount is first computed in yuan at the
// provisional point value and the case's points are then payment ÷ point
// value, so outlier, low-cost, transfer and readmission adjustments apply
// to points exactly as to P. A stay outside the window is converted to
// points the same way (point methods convert item and bed-day payments to
// points by their price ratio), so that the whole budget is settled at the
// year's end: the settled point value = budget × (1 − reserve) ÷ the year's
// points, and each provider is paid its points × that value, less its
// patients' out-of-pocket and the advances.
package drg

import (
	"math"
	"slices"
	"strconv"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/window"
	"github.com/paysim/paysim/sim/scenario"
)

// Mode is the DRG method.
type Mode uint8

// The DRG methods.
const (
	ModeRate   Mode = iota // 费率法: P = base_rate × RW × k_h
	ModePoints             // 点数法: points = 100 × RW × k_h, paid at a settled point value
)

// Family is a family of high-cost outlier payments.
type Family uint8

// The outlier families.
const (
	OutlierNone      Family = iota
	OutlierMultiple         // China: c > H_g × mean_g
	OutlierFixedLoss        // US IPPS: cost above P + fixed loss × k_h
)

// Transfer is the payment method of transfer cases and incomplete stays.
type Transfer uint8

// The transfer methods.
const (
	TransferNone    Transfer = iota // transfers are paid as complete stays
	TransferPerDiem                 // US: per diem P ÷ GMLOS for listed groups (42 CFR 412.4(f))
	TransferChina                   // Zhejiang: base points without k_h × c ÷ mean, capped
)

// Params are a DRG rule's parameters. The per-group slices are indexed by
// group and have one length; K is indexed by provider.
type Params struct {
	// GroupNames and ProvNames, when given, name groups and providers in
	// explanations.
	GroupNames, ProvNames []string

	Mode     Mode
	BaseRate float64 // rate method: payment per unit of RW × k_h in the first year [yuan]
	// Rebase re-derives the rate method's base rate every year from the
	// year's spending and case weights (YearEnd); false: BaseRate always.
	Rebase bool

	RW   []float64 // relative weight RW_g, ≥ 0
	Mean []float64 // mean charges of the group in the first year, mean_g [yuan], > 0; YearEnd re-derives it
	// MeanTier is, by group, the tier whose cases give next year's mean_g:
	// the tier the first year's was taken at; -1: all the rule's tiers (a
	// regional mean the scenario gives, or a reference tier the rule does
	// not pay). Nil: all tiers.
	MeanTier  []int
	GMLOS     []float64 // geometric mean length of stay [days], > 0
	PostAcute []bool    // on the post-acute transfer list: per-diem transfer payment (42 CFR 412.4(c))
	// SpecialPay marks the special-pay post-acute transfer groups (42 CFR
	// 412.4(f)(2)): half the full payment plus half the per-diem payment.
	SpecialPay []bool
	Burn       []bool    // burn group: fixed-loss marginal factor BurnMarginal
	Exempt     []bool    // exempt from the readmission rule (chemotherapy, radiotherapy)
	H          []float64 // multiple family: threshold multiple H_g; ≤ 0: no outlier payment for g

	K []float64 // k_h, the provider's coefficient (tier coefficient or WageFactor), by provider

	Outlier      Family
	FixedLoss    float64 // fixed-loss threshold before k_h [yuan]
	Marginal     float64 // marginal cost factor [0,1]
	BurnMarginal float64 // fixed-loss marginal factor of burn groups [0,1]
	CostToCharge float64 // fixed loss: cost = charges × this

	LowBelow    float64 // low-cost case below LowBelow × mean_g; 0: none
	Transfer    Transfer
	ReadmitDays int // readmissions within so many days halve the first stay; 0: none

	Window *window.Window // stays outside it are priced by its fallback rule; nil: no window

	Reserve    float64 // point method: adjustment reserve share of the budget [0,1)
	Advance    float64 // point method: share of the provisional fund payment advanced monthly [0,1]
	PointValue float64 // point method: provisional point value of the first year [yuan per point], > 0
	Budget     float64 // point method: budget of the first year, last year's spending × (1 + Growth) [yuan]
	Growth     float64 // point method: yearly growth of the budget; rate method with Rebase: of the spending
	// Rebased is, by year, the factor procurement's cuts put on the rule's
	// prices once they are re-based on the cut cost: on the base rate, or
	// on the budget of the point method and of Rebase (model.Care.Rebased);
	// nil: 1.
	Rebased []float64
}

// rebased is Rebased's factor of year (0-based).
func (p *Params) rebased(year int) float64 {
	if year < len(p.Rebased) {
		return p.Rebased[year]
	}
	return 1
}

// Rule is a DRG payment rule. Under the point method its Valuation is the
// provisional point value of the current year, which YearEnd updates; under
// the rate method with Rebase, YearEnd updates its base rate. Every year
// YearEnd re-derives the group means from the year's cases.
type Rule struct {
	p    Params
	rate float64   // rate method: the base rate of the current year [yuan]
	mean []float64 // mean_g of the current year: last year's mean charges of the group [yuan]
	payment.Valuation
}

var (
	_ payment.Rule        = (*Rule)(nil)
	_ payment.Pricer      = (*Rule)(nil)
	_ payment.YearEnder   = (*Rule)(nil)
	_ payment.PointValuer = (*Rule)(nil)
	_ payment.Enterer     = (*Rule)(nil)
)

// New returns the rule of p. It panics if the per-group slices of p differ
// in length.
func New(p Params) *Rule {
	n := len(p.RW)
	if len(p.Mean) != n || len(p.GMLOS) != n || len(p.PostAcute) != n || len(p.SpecialPay) != n ||
		len(p.Burn) != n || len(p.Exempt) != n || len(p.H) != n || p.MeanTier != nil && len(p.MeanTier) != n {
		panic("drg: per-group parameters of different lengths")
	}
	r := &Rule{p: p, rate: p.BaseRate * p.rebased(0), mean: slices.Clone(p.Mean)}
	if p.Mode == ModePoints {
		r.SetPointValue(p.PointValue)
	}
	return r
}

// Enter starts the rule in year (a phase of the run): the rate method's
// base rate is that of the year — the base rate given, or under Rebase
// the first year's grown as its budget grows, (1 + growth)^year, the
// weight of the year before taken as the first year's — re-based on
// procurement's cuts in force then; the point method's budget and point
// value follow the year already. The group means stay the first year's.
func (r *Rule) Enter(year int) {
	if r.p.Mode == ModePoints {
		return
	}
	r.rate = r.p.BaseRate * r.p.rebased(year)
	if r.p.Rebase {
		r.rate *= math.Pow(1+r.p.Growth, float64(year))
	}
}

// WageFactor is the US IPPS hospital coefficient k_h = share × index +
// (1 − share), where share is shareHigh when the wage index is above 1 and
// shareLow otherwise (IPPS FY2025: 0.676 and 0.62).
func WageFactor(index, shareHigh, shareLow float64) float64 {
	share := shareLow
	if index > 1 {
		share = shareHigh
	}
	return share*index + 1 - share
}

// Price prices a case in the order of the package comment.
func (r *Rule) Price(c *payment.Case, explain bool) payment.Price {
	p := payment.Price{Rule: string(scenario.MethodDRG)}
	if explain {
		p.Steps = []payment.Step{}
	}
	pv := r.For(c)
	g := c.Group
	switch {
	case g < 0:
		p.Base, p.Payment = c.Charges, c.Charges
		if explain {
			p.Explain("no group", c.Charges, "an outpatient visit has no DRG group: paid its itemised charges")
		}
		return r.finish(&p, pv)
	case r.p.Window.Outside(c.LOS):
		fb := r.p.Window.Price(c, explain)
		if explain {
			p.Explain("window", float64(c.LOS), "length of stay %d days is outside the DRG window, %s: priced by the fallback rule",
				c.LOS, r.p.Window)
			steps := fb.Steps
			if n := len(steps); n > 0 && steps[n-1].Name == "payment" {
				steps = steps[:n-1] // finish adds the payment
			}
			p.Steps = append(p.Steps, steps...)
		}
		p.Base, p.Outlier, p.Payment = fb.Base, fb.Outlier, fb.Payment
		p.Flags = fb.Flags | payment.OutsideWindow
		p.Score = r.p.RW[g] * c.Weight() * r.p.K[c.Provider] // a case of the group all the same
		return r.finish(&p, pv)
	}

	// Base payment: P, and B = P without k_h (the group's base payment).
	rw, k, mean := r.p.RW[g], r.p.K[c.Provider], r.mean[g]
	if w := c.Weight(); w != 1 {
		if explain {
			p.Explain("coded weight", w, "RW %.4g of group %s as the provider codes it: × %.4g", rw, r.name(r.p.GroupNames, g), w)
		}
		rw *= w
	}
	var full, base float64
	if r.p.Mode == ModePoints {
		pts := 100 * rw * k
		full, base = pts*pv, 100*rw*pv
		if explain {
			p.Explain("relative weight", rw, "RW of group %s", r.name(r.p.GroupNames, g))
			p.Explain("tier coefficient", k, "k_h of provider %s", r.name(r.p.ProvNames, c.Provider))
			p.Explain("base points", pts, "100 × RW %.4g × k_h %.4g", rw, k)
			p.Explain("base payment", full, "%.4g points × provisional point value %.4g", pts, pv)
		}
	} else {
		full, base = r.rate*rw*k, r.rate*rw
		if explain {
			p.Explain("relative weight", rw, "RW of group %s", r.name(r.p.GroupNames, g))
			p.Explain("tier coefficient", k, "k_h of provider %s", r.name(r.p.ProvNames, c.Provider))
			p.Explain("base payment", full, "base rate %.2f × RW %.4g × k_h %.4g", r.rate, rw, k)
		}
	}
	p.Base = full
	p.Score = rw * k // the case's weight in the base rate's derivation (YearEnd)
	pay := full

	transfer := false
	if c.Transfer && r.p.Transfer != TransferNone {
		pay, transfer = r.transfer(&p, c, full, base)
	}
	if transfer {
		p.Flags |= payment.Incomplete
	}

	if low := !transfer && r.p.LowBelow > 0 && c.Charges < r.p.LowBelow*mean; low {
		// The group's base payment without k_h, in proportion to the
		// charges (Jinhua 病组点数法: 病组基准点数 × 实际费用 ÷ 平均费用):
		// a low-cost case is paid about its cost whatever the provider's
		// coefficient. L ≤ 1, so the cap at B never binds; it states the
		// rule.
		pay = min(base, base*c.Charges/mean)
		p.Flags |= payment.LowOutlier
		if explain {
			p.Explain("low-cost case", pay, "charges %.2f < %.4g × mean %.2f: base payment without k_h %.2f × charges ÷ mean",
				c.Charges, r.p.LowBelow, mean, base)
		}
	} else if p.Outlier = r.outlier(&p, c, full, pay); p.Outlier > 0 {
		p.Flags |= payment.HighOutlier
	}

	adj := 0.0
	if days := r.p.ReadmitDays; days > 0 && c.Readmit >= 0 && c.Readmit <= days && c.PrevRevenue > 0 {
		switch {
		case r.p.Exempt[g]:
			if explain {
				p.Explain("readmission", 0, "readmitted after %d days, but group %s is exempt from the readmission rule", c.Readmit, r.name(r.p.GroupNames, g))
			}
		default:
			adj = -0.5 * c.PrevRevenue
			p.Flags |= payment.Readmission
			if explain {
				p.Explain("readmission", adj, "readmitted after %d ≤ %d days to the same group: the first stay's revenue %.2f is halved, −0.5 × %.2f booked here",
					c.Readmit, days, c.PrevRevenue, c.PrevRevenue)
			}
		}
	}
	p.Payment = pay + p.Outlier + adj
	return r.finish(&p, pv)
}

// finish converts the payment to points at point value pv under the point
// method and adds the last step.
func (r *Rule) finish(p *payment.Price, pv float64) payment.Price {
	if r.p.Mode == ModePoints && pv != 0 {
		p.Points = p.Payment / pv
		if p.Steps != nil {
			p.Explain("points", p.Points, "payment %.2f ÷ provisional point value %.4g", p.Payment, pv)
		}
	}
	if p.Steps != nil {
		p.Explain("payment", p.Payment, "provider revenue")
	}
	return *p
}

// transfer prices a transfer or incomplete stay of full payment P; base is
// B, P without k_h. It reports whether the case is priced as a transfer.
func (r *Rule) transfer(p *payment.Price, c *payment.Case, full, base float64) (float64, bool) {
	g := c.Group
	days := float64(max(c.LOS, 1) + 1) // a same-day transfer is paid two per diems
	switch r.p.Transfer {
	case TransferPerDiem:
		// 42 CFR 412.4(c): a discharge to post-acute care is a transfer only
		// for the groups on the post-acute transfer list; a group not on it
		// is paid the full DRG payment. The CMS pricer rounds the fraction
		// of P to 4 decimals, half up (IPPS Pricer, COBOL PPCAL
		// 3000-CALC-PAYMENT; Java gov.cms.fiss.pricers.ipps
		// CalculateFractionalAdjustments: H-TRANSFER-ADJ ROUNDED =
		// H-PERDIEM-DAYS / H-ALOS, PIC 9V9(4)), and pays the fraction only
		// when it is below 1.
		gm := r.p.GMLOS[g]
		switch {
		case r.p.SpecialPay[g]:
			// 42 CFR 412.4(f)(2), Social Security Act §1886(d)(5)(J)(i): half
			// the full payment plus half the per-diem payment, at most P.
			// The pricer's discharge fraction is 0.5 + round4(0.5 × days ÷
			// GMLOS).
			f := min(1, 0.5+round4(0.5*days/gm))
			pay := full * f
			if p.Steps != nil {
				p.Explain("transfer", pay, "special-pay post-acute transfer group: P %.2f × min(1, 0.5 + round4(0.5 × (max(LOS %d, 1) + 1) ÷ GMLOS %.4g)) = P × %.4f",
					full, c.LOS, gm, f)
			}
			return pay, true
		case r.p.PostAcute[g]:
			// 42 CFR 412.4(f)(1): per diem = P ÷ GMLOS, paid for each day
			// plus one, at most P: P × round4((LOS + 1) ÷ GMLOS).
			f := min(1, round4(days/gm))
			pay := full * f
			if p.Steps != nil {
				p.Explain("transfer", pay, "post-acute transfer group: per diem P %.2f ÷ GMLOS %.4g × (max(LOS %d, 1) + 1) = P × min(1, round4(%.4g ÷ %.4g)) = P × %.4f",
					full, gm, c.LOS, days, gm, f)
			}
			return pay, true
		}
		if p.Steps != nil {
			p.Explain("transfer", full, "group %s is not on the post-acute transfer list: a discharge to post-acute care is paid the full P %.2f",
				r.name(r.p.GroupNames, g), full)
		}
		return full, false
	case TransferChina:
		// Zhejiang (浙医保联发〔2019〕21号, as published by Hangzhou,
		// hznews.hangzhou.com.cn 2019-11-23): an incomplete stay is paid
		// the group's base points (该DRG基准点数), without the provider's
		// coefficient, × min(1, charges ÷ the group's mean). For a
		// provider with k_h < 1 and charges near the mean this is more than
		// its complete stay's P, as the text reads.
		mean := r.mean[g]
		pay := base * min(1, c.Charges/mean)
		if p.Steps != nil {
			p.Explain("transfer", pay, "incomplete stay: base payment without k_h %.2f × min(1, charges %.2f ÷ mean %.2f)", base, c.Charges, mean)
		}
		return pay, true
	}
	return full, false
}

// round4 rounds x ≥ 0 to 4 decimals, half up, as the CMS pricer's COBOL
// ROUNDED into PIC 9V9(4).
func round4(x float64) float64 { return math.Floor(x*1e4+0.5) / 1e4 }

// outlier returns the extra payment of a high-cost outlier with full
// payment P and pay, its transfer-adjusted payment.
func (r *Rule) outlier(p *payment.Price, c *payment.Case, full, pay float64) float64 {
	g := c.Group
	switch r.p.Outlier {
	case OutlierMultiple:
		h, mean := r.p.H[g], r.mean[g]
		if h <= 0 || !(c.Charges > h*mean) {
			return 0
		}
		extra := (c.Charges - h*mean) * r.p.Marginal
		if p.Steps != nil {
			p.Explain("high-cost outlier", extra, "charges %.2f > H %.4g × mean %.2f: (charges − %.2f) × marginal %.4g",
				c.Charges, h, mean, h*mean, r.p.Marginal)
		}
		return extra
	case OutlierFixedLoss:
		// 42 CFR 412.80(a), 412.84: cost = charges × cost-to-charge ratio;
		// the outlier payment is the marginal factor times the cost above
		// the DRG payment plus the fixed-loss amount, the latter adjusted
		// for geographic variation like the payment (× k_h). For a transfer
		// case the threshold is adjusted as the payment is, by pay ÷ P
		// (412.80(b)); for other cases pay = P and the ratio is 1.
		k := r.p.K[c.Provider]
		cost := c.Charges * r.p.CostToCharge
		ratio := 1.0
		if full > 0 {
			ratio = pay / full
		}
		threshold := (full + r.p.FixedLoss*k) * ratio
		m := r.p.Marginal
		if r.p.Burn[g] {
			m = r.p.BurnMarginal
		}
		if !(cost > threshold) {
			return 0
		}
		extra := m * (cost - threshold)
		if p.Steps != nil {
			p.Explain("high-cost outlier", extra, "cost %.2f = charges × %.4g; threshold (P %.2f + fixed loss %.2f × k_h %.4g) × payment ÷ P %.4g = %.2f; %.4g × (cost − threshold)",
				cost, r.p.CostToCharge, full, r.p.FixedLoss, k, ratio, threshold, m)
		}
		return extra
	}
	return 0
}

// Settle prices every event. The rate method books each at its price; the
// point method books the provisional payment as revenue and advances
// Advance × max(0, payment − OOP) to the provider, settled at the year's
// end (YearEnd).
func (r *Rule) Settle(coding []float64, evs []payment.Event, out *payment.Settlement) {
	for i := range evs {
		ev := &evs[i]
		c := payment.CaseOf(ev)
		if coding != nil {
			c.Coding = coding[c.Provider]
		}
		pr := r.Price(&c, false)
		if r.p.Mode == ModePoints {
			out.BookAdvance(ev, &pr, pr.Payment, r.p.Advance*max(0, pr.Payment-ev.OOP))
		} else {
			out.Book(ev, &pr)
		}
	}
}

// YearEnd settles the year and takes next year's group means from its
// cases (rederive).
//
// Rate method: it reports the year's base rate ("base_rate") and, with
// Rebase, derives the next year's: base_rate = S × (1 + Growth) ÷ W, where
// S is the year's spending on the rule's cases, their charges (MODEL §5:
// last year's actual spending on care), and W = Σ over the year's cases of
// their coded RW × k_h (Price.Score), so that coding heavier or admitting
// cheaper cases lowers next year's rate. Nothing is settled.
//
// Point method: the year's budget is B_y = Budget × (1 + Growth)^year, of
// which Reserve × B_y is the adjustment reserve (调节金). The reserve funds
// the sharing of an overspend: of the year's charges C of the rule's cases
// above B_y × (1 − Reserve), the reserve pays up to its whole amount,
// min(Reserve × B_y, max(0, C − B_y × (1 − Reserve))), and what it does not
// pay stays with the fund. The settled point value is (B_y × (1 − Reserve)
// + the reserve paid) ÷ the year's points. Each provider's final revenue is
// its points × that value; the fund owes it final revenue − its patients'
// OOP and pays the difference with the advances (negative: a clawback).
// The settled value is the provisional one of the next year. Without points
// there is nothing to settle and the provisional value stays.
func (r *Rule) YearEnd(year, binding int, tot *payment.Settlement, out *payment.YearEnd) {
	t := &tot.Rules[binding]
	r.rederive(t)
	if r.p.Mode != ModePoints {
		out.Report(binding, "base_rate", r.rate)
		switch {
		case r.p.Rebase && t.Score > 0:
			// MODEL §5, CHS-DRG 费率 = DRG budget ÷ total weight: next year's
			// budget over the weight this year's cases were coded at, so that
			// volume and upcoding lower next year's rate.
			next := r.p.Budget * math.Pow(1+r.p.Growth, float64(year+1)) * r.p.rebased(year+1)
			out.Report(binding, "budget_next", next)
			r.rate = next / t.Score
		case !r.p.Rebase:
			r.rate = r.p.BaseRate * r.p.rebased(year+1)
		}
		return
	}
	budget := r.p.Budget * math.Pow(1+r.p.Growth, float64(year)) * r.p.rebased(year)
	reserve := budget * r.p.Reserve
	out.Report(binding, "point_value_provisional", r.PointValue())
	out.Report(binding, "budget", budget)
	out.Report(binding, "reserve", reserve)
	if !(t.Points > 0) {
		return
	}
	pool := budget - reserve
	paid := min(reserve, max(0, t.Charges-pool))
	out.Report(binding, "reserve_paid", paid)
	v := (pool + paid) / t.Points
	out.Report(binding, "point_value_settled", v)
	for prov, pts := range t.ProvPoints {
		if pts == 0 && t.ProvFund[prov] == 0 && t.ProvOOP[prov] == 0 {
			continue
		}
		owed := pts*v - t.ProvOOP[prov]
		out.Settle(binding, prov, owed-t.ProvFund[prov], t, "DRG point value settlement")
	}
	r.SetPointValue(v)
}

// rederive sets next year's group means, mean_g, to the year's mean
// charges of the group's cases the rule priced (a stay outside the window
// is not in the group), on the basis of the first year's: at the tier it
// was taken at (MeanTier), or over every tier the rule pays when the
// scenario gave a regional mean. The high- and low-cost thresholds and the
// Chinese incomplete stay are multiples of the group's mean (次均费用) of
// the year before, so they follow the charges as they grow (CHS-DRG
// 分组与付费技术规范, 2020: 费用极高/极低病例 against 该DRG组次均费用). A
// group without cases there in the year keeps its mean.
func (r *Rule) rederive(t *payment.RuleTally) {
	for g := range r.mean {
		tier := -1
		if r.p.MeanTier != nil {
			tier = r.p.MeanTier[g]
		}
		if m, ok := t.GroupMean(g, tier); ok && m > 0 {
			r.mean[g] = m
		}
	}
}

// Margin is what the rule pays at the margin of a stay (a long stay too is
// paid per case): one more case its price, or its cost when a mild case is a
// low-cost case; a day more nothing; coding a case heavier its weight; a stay
// billed as two a second price, half of it under the readmission rule,
// which halves the first part's payment. A visit is paid its charges.
func (r *Rule) Margin(e payment.Episode) payment.Margin {
	if e.Service == payment.Outpatient {
		return payment.ItemMargin(e)
	}
	m := payment.Margin{Case: 1, Weight: 1, Split: 1}
	if r.p.LowBelow > 0 && e.Mild < r.p.LowBelow {
		m.Case = e.Mild
	}
	if r.p.ReadmitDays > 0 {
		m.Split = 0.5
	}
	return m
}

// name is names[i] for explanations, or the index when names are not given.
func (r *Rule) name(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return strconv.Itoa(i)
}
