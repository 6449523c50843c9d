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
//     (point method).
//  3. transfer or incomplete stay, when the case was discharged to a
//     post-acute stay (Case.Transfer) and the rule has a transfer method
//     (flag Incomplete): per_diem pays min(P, P ÷ GMLOS_g × (max(LOS, 1) + 1)),
//     groups marked post-acute min(P, P × (0.5 + 0.5 × (max(LOS, 1) + 1) ÷
//     GMLOS_g)) (42 CFR 412.4(f)); china pays P × min(1, c ÷ mean_g)
//     (MODEL §5; see transfer for the Zhejiang text).
//  4. low-cost case: c < L × mean_g → P × c ÷ mean_g (flag LowOutlier). A
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
	"fmt"
	"math"
	"strconv"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/payment/ffs"
	"github.com/paysim/paysim/sim/payment/perdiem"
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
	TransferPerDiem                 // US: per diem P ÷ GMLOS (42 CFR 412.4(f))
	TransferChina                   // Zhejiang: P × c ÷ mean, capped
)

// Params are a DRG rule's parameters. The per-group slices are indexed by
// group and have one length; K is indexed by provider.
type Params struct {
	// GroupNames and ProvNames, when given, name groups and providers in
	// explanations.
	GroupNames, ProvNames []string

	Mode     Mode
	BaseRate float64 // rate method: payment per unit of RW × k_h [yuan]

	RW        []float64 // relative weight RW_g, ≥ 0
	Mean      []float64 // mean charges of the group, mean_g [yuan], > 0
	GMLOS     []float64 // geometric mean length of stay [days], > 0
	PostAcute []bool    // post-acute transfer group (42 CFR 412.4)
	Burn      []bool    // burn group: fixed-loss marginal factor BurnMarginal
	Exempt    []bool    // exempt from the readmission rule (chemotherapy, radiotherapy)
	H         []float64 // multiple family: threshold multiple H_g; ≤ 0: no outlier payment for g

	K []float64 // k_h, the provider's coefficient (tier coefficient or WageFactor), by provider

	Outlier      Family
	FixedLoss    float64 // fixed-loss threshold before k_h [yuan]
	Marginal     float64 // marginal cost factor [0,1]
	BurnMarginal float64 // fixed-loss marginal factor of burn groups [0,1]
	CostToCharge float64 // fixed loss: cost = charges × this

	LowBelow    float64 // low-cost case below LowBelow × mean_g; 0: none
	Transfer    Transfer
	ReadmitDays int // readmissions within so many days halve the first stay; 0: none

	WindowMin int            // stays shorter than this [days] are outside the window
	WindowMax int            // stays longer than this [days] are outside; 0: no upper bound
	Fallback  payment.Pricer // prices stays outside the window; nil: no window

	Reserve    float64 // point method: adjustment reserve share of the budget [0,1)
	Advance    float64 // point method: share of the provisional fund payment advanced monthly [0,1]
	PointValue float64 // point method: provisional point value of the first year [yuan per point], > 0
	Budget     float64 // point method: budget of the first year, last year's spending × (1 + Growth) [yuan]
	Growth     float64 // point method: yearly growth of the budget
}

// Rule is a DRG payment rule. Under the point method its Valuation is the
// provisional point value of the current year, which YearEnd updates.
type Rule struct {
	p Params
	payment.Valuation
}

var (
	_ payment.Rule        = (*Rule)(nil)
	_ payment.Pricer      = (*Rule)(nil)
	_ payment.YearEnder   = (*Rule)(nil)
	_ payment.PointValuer = (*Rule)(nil)
)

// New returns the rule of p. It panics if the per-group slices of p differ
// in length.
func New(p Params) *Rule {
	n := len(p.RW)
	if len(p.Mean) != n || len(p.GMLOS) != n || len(p.PostAcute) != n || len(p.Burn) != n ||
		len(p.Exempt) != n || len(p.H) != n {
		panic("drg: per-group parameters of different lengths")
	}
	r := &Rule{p: p}
	if p.Mode == ModePoints {
		r.SetPointValue(p.PointValue)
	}
	return r
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

// outside reports whether a stay of los days is outside the DRG window.
func (r *Rule) outside(los int) bool {
	return r.p.Fallback != nil && (los < r.p.WindowMin || (r.p.WindowMax > 0 && los > r.p.WindowMax))
}

// fallback prices a case outside the window by the fallback rule. The rules
// the scenario format offers are called directly, so that c does not escape
// through the interface and the cases of the simulation are not allocated.
func (r *Rule) fallback(c *payment.Case, explain bool) payment.Price {
	switch f := r.p.Fallback.(type) {
	case ffs.Rule:
		return f.Price(c, explain)
	case *perdiem.Rule:
		return f.Price(c, explain)
	}
	cc := *c // another Pricer: a copy escapes, c does not
	return r.p.Fallback.Price(&cc, explain)
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
	case r.outside(c.LOS):
		fb := r.fallback(c, explain)
		if explain {
			p.Explain("window", float64(c.LOS), "length of stay %d days is outside the DRG window, %s: priced by the fallback rule",
				c.LOS, r.window())
			steps := fb.Steps
			if n := len(steps); n > 0 && steps[n-1].Name == "payment" {
				steps = steps[:n-1] // finish adds the payment
			}
			p.Steps = append(p.Steps, steps...)
		}
		p.Base, p.Outlier, p.Payment = fb.Base, fb.Outlier, fb.Payment
		p.Flags = fb.Flags | payment.OutsideWindow
		return r.finish(&p, pv)
	}

	// Base payment: P, and P without k_h (the group's base amount).
	rw, k, mean := r.p.RW[g], r.p.K[c.Provider], r.p.Mean[g]
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
		full, base = r.p.BaseRate*rw*k, r.p.BaseRate*rw
		if explain {
			p.Explain("relative weight", rw, "RW of group %s", r.name(r.p.GroupNames, g))
			p.Explain("tier coefficient", k, "k_h of provider %s", r.name(r.p.ProvNames, c.Provider))
			p.Explain("base payment", full, "base rate %.2f × RW %.4g × k_h %.4g", r.p.BaseRate, rw, k)
		}
	}
	p.Base = full
	pay := full

	transfer := c.Transfer && r.p.Transfer != TransferNone
	if transfer {
		pay = r.transfer(&p, c, full, base)
		p.Flags |= payment.Incomplete
	}

	if low := !transfer && r.p.LowBelow > 0 && c.Charges < r.p.LowBelow*mean; low {
		pay = full * c.Charges / mean
		p.Flags |= payment.LowOutlier
		if explain {
			p.Explain("low-cost case", pay, "charges %.2f < %.4g × mean %.2f: P %.2f × charges ÷ mean", c.Charges, r.p.LowBelow, mean, full)
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

// window describes the DRG window for explanations.
func (r *Rule) window() string {
	if r.p.WindowMax > 0 {
		return fmt.Sprintf("[%d, %d] days", r.p.WindowMin, r.p.WindowMax)
	}
	return fmt.Sprintf("at least %d days", r.p.WindowMin)
}

// transfer prices a transfer or incomplete stay of full payment P; base is
// P without k_h.
func (r *Rule) transfer(p *payment.Price, c *payment.Case, full, base float64) float64 {
	g := c.Group
	days := float64(max(c.LOS, 1) + 1) // a same-day transfer is paid two per diems
	switch r.p.Transfer {
	case TransferPerDiem:
		gm := r.p.GMLOS[g]
		if r.p.PostAcute[g] {
			// 42 CFR 412.4(f): half the full payment plus half the per-diem
			// payment, at most the full payment.
			pay := min(full, full*(0.5+0.5*days/gm))
			if p.Steps != nil {
				p.Explain("transfer", pay, "post-acute transfer group: min(P %.2f, P × (0.5 + 0.5 × (max(LOS %d, 1) + 1) ÷ GMLOS %.4g))",
					full, c.LOS, gm)
			}
			return pay
		}
		// 42 CFR 412.4(f): per diem = full payment ÷ GMLOS, paid for each
		// day plus one, at most the full payment.
		d := full / gm
		pay := min(full, d*days)
		if p.Steps != nil {
			p.Explain("transfer", pay, "per diem P %.2f ÷ GMLOS %.4g = %.2f; min(P, per diem × (max(LOS %d, 1) + 1))", full, gm, d, c.LOS)
		}
		return pay
	case TransferChina:
		// MODEL §5: P × min(1, c ÷ mean_g). Zhejiang (浙医保联发〔2019〕21号,
		// as published by Hangzhou, hznews.hangzhou.com.cn 2019-11-23) caps
		// the incomplete stay's points at "该DRG基准点数", which read without
		// k_h would pay a hospital with k_h < 1 more for an incomplete stay
		// than for a complete one; the secondary source is ambiguous on k_h,
		// and the cap at P is kept.
		mean := r.p.Mean[g]
		pay := full * min(1, c.Charges/mean)
		if p.Steps != nil {
			p.Explain("transfer", pay, "incomplete stay: P %.2f × min(1, charges %.2f ÷ mean %.2f)", full, c.Charges, mean)
		}
		return pay
	}
	return full
}

// outlier returns the extra payment of a high-cost outlier with full
// payment P and pay, its transfer-adjusted payment.
func (r *Rule) outlier(p *payment.Price, c *payment.Case, full, pay float64) float64 {
	g := c.Group
	switch r.p.Outlier {
	case OutlierMultiple:
		h, mean := r.p.H[g], r.p.Mean[g]
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

// YearEnd settles the point method's year (the rate method has nothing to
// settle). The year's budget is B_y = Budget × (1 + Growth)^year; the
// settled point value is B_y × (1 − Reserve) ÷ the year's points. Each
// provider's final revenue is its points × that value; the fund owes it
// final revenue − its patients' OOP and pays the difference with the
// advances (negative: a clawback). The settled value is the provisional one
// of the next year. Without points there is nothing to settle and the
// provisional value stays.
func (r *Rule) YearEnd(year, binding int, tot *payment.Settlement, out *payment.YearEnd) {
	if r.p.Mode != ModePoints {
		return
	}
	t := &tot.Rules[binding]
	budget := r.p.Budget * math.Pow(1+r.p.Growth, float64(year))
	out.Report(binding, "point_value_provisional", r.PointValue())
	out.Report(binding, "budget", budget)
	if !(t.Points > 0) {
		return
	}
	v := budget * (1 - r.p.Reserve) / t.Points
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
