package brief

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paysim/paysim/sim/report"
)

// The targets and warning levels the charts draw.
const (
	reserveLow      = 3    // months of payout: under it the fund is at risk
	reserveHigh     = 9    // months of payout: over it the balance is excessive
	primaryTarget   = 0.65 // share of visits at primary tiers (基层就诊率)
	inCountyTarget  = 0.90 // share of admissions in the county (县域内住院率)
	defaultHeight   = 380
	panelHeight     = 520
	compareHeight   = 480
	economicsHeight = 420
)

// runCharts are the charts of one run, each only when the summary has its
// figures.
func runCharts(l Lang, ids *chartID, s *report.Summary) []chart {
	var years []int
	for _, y := range s.Yearly {
		years = append(years, y.Year)
	}
	b := runBuilder{l: l, ids: ids, s: s, x: yearNames(years)}
	care := s.Overall.Income != 0 || s.Overall.Charges != 0 // a model with no care (a textbook Markov model) has its health only
	if care {
		b.fund()
		b.payoutPerEnrollee()
		b.tierShares("visits", primaryTarget, func(t report.TierYear) float64 { return float64(t.Visits) },
			func(y report.Year) float64 { return y.Utilisation.PrimaryOutpatientShare })
		b.tierShares("admissions", inCountyTarget, func(t report.TierYear) float64 { return float64(t.Admissions) },
			func(y report.Year) float64 { return y.Utilisation.InCountyAdmissionShare })
		b.referrals()
		b.oop()
		b.tierFinances()
		b.providers()
		b.budget()
		b.settlement()
	}
	if s.Incentives != nil {
		b.chain()
		b.responses()
	}
	b.health()
	b.trace()
	return b.charts
}

type runBuilder struct {
	l      Lang
	ids    *chartID
	s      *report.Summary
	x      []string // the years
	charts []chart
}

func (b *runBuilder) add(key string, height int, option obj, formats, axisFormats []string, noteArgs ...any) {
	b.charts = append(b.charts, chart{ID: b.ids.next(), Key: key, Title: b.l.t("chart." + key), Note: b.l.t("note."+key, noteArgs...),
		Height: height, Option: option, Formats: formats, AxisFormats: axisFormats, Tooltip: "axis"})
}

// each is f of every year.
func (b *runBuilder) each(f func(report.Year) any) []any {
	out := make([]any, len(b.s.Yearly))
	for i, y := range b.s.Yearly {
		out[i] = f(y)
	}
	return out
}

func (b *runBuilder) millions() string { return b.l.millions(b.s.Currency) }

// fund: income and payout as bars, the balance as a line, in millions, and
// the reserve in months of payout on the right against the 3 and 9 month
// lines.
func (b *runBuilder) fund() {
	l := b.l
	m := func(f func(report.Year) float64) []any {
		return b.each(func(y report.Year) any { return val(f(y) / 1e6) })
	}
	reserve := line(l.t("series.reserve_months"), b.each(func(y report.Year) any { return opt(y.Fund.ReserveMonths) }), 3)
	reserve["yAxisIndex"] = 1
	refLine(reserve, warnColor, at(reserveLow, l.t("ref.reserve_low")), at(reserveHigh, l.t("ref.reserve_high")))
	top := 10.0
	for _, y := range b.s.Yearly {
		if r := y.Fund.ReserveMonths; r != nil && !math.IsInf(*r, 0) {
			top = max(top, math.Ceil(*r+1))
		}
	}
	months := valueAxis(l.t("unit.months"))
	months["min"], months["max"] = 0, top
	months["splitLine"] = obj{"show": false}
	series := []obj{
		bar(l.t("series.income"), m(func(y report.Year) float64 { return y.Fund.Income }), 0),
		bar(l.t("series.payout"), m(func(y report.Year) float64 { return y.Fund.Payout }), 1),
		line(l.t("series.balance"), m(func(y report.Year) float64 { return y.Fund.Balance }), 2),
		reserve,
	}
	b.add("fund", defaultHeight, axisChart(b.x, []obj{valueAxis(b.millions()), months}, series),
		[]string{"n1", "n1", "n1", "n1"}, []string{"n0", "n0"})
}

// payoutPerEnrollee: the payout per enrollee, with its 95% interval when
// the summary is the mean of replicates.
func (b *runBuilder) payoutPerEnrollee() {
	l := b.l
	name := l.t("series.payout_per_enrollee")
	var hi, lo []any
	if iv := b.s.Interval; iv != nil && len(iv.Lo.Yearly) == len(b.s.Yearly) && len(iv.Hi.Yearly) == len(b.s.Yearly) {
		for i := range b.s.Yearly {
			lo = append(lo, val(iv.Lo.Yearly[i].Fund.PayoutPerEnrollee))
			hi = append(hi, val(iv.Hi.Yearly[i].Fund.PayoutPerEnrollee))
		}
	}
	data := b.each(func(y report.Year) any { return val(y.Fund.PayoutPerEnrollee) })
	if lo != nil {
		for i := range data {
			h, hok := hi[i].(float64)
			lw, lok := lo[i].(float64)
			if hok && lok {
				data[i] = withHalf(data[i], (h-lw)/2)
			}
		}
	}
	series := []obj{line(name, data, 0)}
	formats := []string{"n0"}
	if lo != nil {
		series = append(series, band(name, lo, hi, 0)...)
		formats = append(formats, "", "")
	}
	y := valueAxis(l.money(b.s.Currency))
	y["scale"] = true
	b.add("payout_per_enrollee", defaultHeight, axisChart(b.x, []obj{y}, series), formats, []string{"n0"})
	if lo != nil {
		b.charts[len(b.charts)-1].Note = l.t("note.payout_per_enrollee_ci", b.s.Replicates)
	}
}

// tierShares: each tier's share of the year's visits (or admissions) as
// stacked bars, and the share the national target counts (primary tiers'
// visits, in-county admissions) as a line against the target.
func (b *runBuilder) tierShares(what string, target float64, count func(report.TierYear) float64, share func(report.Year) float64) {
	l := b.l
	var series []obj
	var formats []string
	for t, name := range b.s.Tiers {
		seen := false
		data := b.each(func(y report.Year) any {
			total := 0.0
			for _, ty := range y.Tiers {
				total += count(ty)
			}
			if t >= len(y.Tiers) || total == 0 {
				return nil
			}
			if count(y.Tiers[t]) > 0 {
				seen = true
			}
			return count(y.Tiers[t]) / total
		})
		if !seen {
			continue
		}
		s := bar(l.tier(name), data, t)
		s["stack"] = "tiers"
		series = append(series, s)
		formats = append(formats, "pct")
	}
	if len(series) == 0 {
		return
	}
	s := line(l.t("series."+what+"_target_share"), b.each(func(y report.Year) any { return val(share(y)) }), len(b.s.Tiers))
	s["lineStyle"] = obj{"width": 3, "color": targetColor}
	s["itemStyle"] = obj{"color": targetColor}
	refLine(s, warnColor, at(target, l.t("ref."+what+"_target")))
	series = append(series, s)
	formats = append(formats, "pct")
	y := valueAxis(l.t("unit.share"))
	y["max"] = 1
	b.add(what+"_tiers", defaultHeight, axisChart(b.x, []obj{y}, series), formats, []string{"pct"})
}

// referrals: referrals up and down in each year.
func (b *runBuilder) referrals() {
	l := b.l
	up := b.each(func(y report.Year) any { return float64(y.Utilisation.ReferralsUp) })
	down := b.each(func(y report.Year) any { return float64(y.Utilisation.ReferralsDown) })
	series := []obj{bar(l.t("series.referrals_up"), up, 0), bar(l.t("series.referrals_down"), down, 1)}
	b.add("referrals", defaultHeight, axisChart(b.x, []obj{valueAxis(l.t("unit.admissions"))}, series), []string{"n0", "n0"}, []string{"n0"})
}

// oop: the charges split into the part the benefit design covers and what
// patients pay, in millions, and the out-of-pocket share on the right.
func (b *runBuilder) oop() {
	l := b.l
	covered := bar(l.t("series.fund_covered"), b.each(func(y report.Year) any { return val((y.Cost.Charges - y.Cost.OOP) / 1e6) }), 0)
	oop := bar(l.t("series.oop"), b.each(func(y report.Year) any { return val(y.Cost.OOP / 1e6) }), 3)
	covered["stack"], oop["stack"] = "charges", "charges"
	share := line(l.t("series.oop_share"), b.each(func(y report.Year) any { return val(y.Cost.OOPShare) }), 2)
	share["yAxisIndex"] = 1
	right := valueAxis(l.t("unit.share"))
	right["min"], right["max"] = 0, 1
	right["splitLine"] = obj{"show": false}
	b.add("oop", defaultHeight, axisChart(b.x, []obj{valueAxis(b.millions()), right}, []obj{covered, oop, share}),
		[]string{"n1", "n1", "pct"}, []string{"n0", "pct"})
}

// tierFinances: each tier's revenue, resource cost and margin over the
// whole run, in millions.
func (b *runBuilder) tierFinances() {
	l := b.l
	rev, cost, margin := make([]float64, len(b.s.Tiers)), make([]float64, len(b.s.Tiers)), make([]float64, len(b.s.Tiers))
	for _, y := range b.s.Yearly {
		for t, ty := range y.Tiers {
			if t < len(rev) {
				rev[t] += ty.Revenue
				cost[t] += ty.ResourceCost
				margin[t] += ty.Margin
			}
		}
	}
	if allZero(rev) && allZero(cost) {
		return
	}
	names := make([]string, len(b.s.Tiers))
	for i, t := range b.s.Tiers {
		names[i] = l.tier(t)
	}
	b.finances("tiers", names, rev, cost, margin)
}

// providers: each provider's revenue, resource cost and margin over the
// whole run, when some tier has more than one provider.
func (b *runBuilder) providers() {
	if len(b.s.Yearly) == 0 {
		return
	}
	ps := b.s.Yearly[0].Payment.Providers
	tiers := map[string]int{}
	several := false
	for _, p := range ps {
		tiers[p.Tier]++
		several = several || tiers[p.Tier] > 1
	}
	if !several {
		return
	}
	names := make([]string, len(ps))
	rev, cost, margin := make([]float64, len(ps)), make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		names[i] = p.Provider
	}
	for _, y := range b.s.Yearly {
		for i, p := range y.Payment.Providers {
			if i < len(ps) {
				rev[i] += p.Revenue
				cost[i] += p.ResourceCost
				margin[i] += p.Margin
			}
		}
	}
	b.finances("providers", names, rev, cost, margin)
}

func (b *runBuilder) finances(key string, names []string, rev, cost, margin []float64) {
	l := b.l
	m := func(x []float64) []any {
		out := make([]any, len(x))
		for i := range x {
			out[i] = val(x[i] / 1e6)
		}
		return out
	}
	series := []obj{bar(l.t("series.revenue"), m(rev), 0), bar(l.t("series.resource_cost"), m(cost), 1), bar(l.t("series.margin"), m(margin), 2)}
	opt := axisChart(names, []obj{valueAxis(b.millions())}, series)
	if len(names) > 6 {
		opt["xAxis"].(obj)["axisLabel"] = obj{"rotate": 30, "interval": 0}
		opt["grid"].(obj)["bottom"] = 110
	}
	first, last := b.s.StartYear, b.s.StartYear+len(b.s.Yearly)-1
	b.add(key, defaultHeight+40, opt, []string{"n2", "n2", "n2"}, []string{"n1"}, first, last)
}

// hasBudget reports whether a year of the run has a consortium's budget.
func (b *runBuilder) hasBudget() bool {
	return slices.ContainsFunc(b.s.Yearly, func(y report.Year) bool { return y.Payment.Budget != nil })
}

// budgetMillions is f of each year's budget account in millions, nil in a
// year without one.
func (b *runBuilder) budgetMillions(f func(*report.BudgetYear) float64) []any {
	return b.each(func(y report.Year) any {
		if y.Payment.Budget == nil {
			return nil
		}
		return val(f(y.Payment.Budget) / 1e6)
	})
}

// budget: the consortium's global budget (the fund's part, public-health
// funds) with the risk reserve kept back, beside what the residents' care
// cost it (members, providers outside), and the surplus or overspend.
func (b *runBuilder) budget() {
	l := b.l
	if !b.hasBudget() {
		return
	}
	m := b.budgetMillions
	stack := func(s obj, name string) obj { s["stack"] = name; return s }
	series := []obj{
		stack(bar(l.t("series.budget_insurance"), m(func(g *report.BudgetYear) float64 { return g.Insurance }), 0), "budget"),
		stack(bar(l.t("series.budget_public_health"), m(func(g *report.BudgetYear) float64 { return g.PublicHealth }), 4), "budget"),
		stack(bar(l.t("series.budget_risk_reserve"), m(func(g *report.BudgetYear) float64 { return g.RiskReserve }), 8), "budget"),
		stack(bar(l.t("series.spending_internal"), m(func(g *report.BudgetYear) float64 { return g.Internal }), 1), "spending"),
		stack(bar(l.t("series.spending_outside"), m(func(g *report.BudgetYear) float64 { return g.Outside }), 6), "spending"),
	}
	series[2]["itemStyle"].(obj)["opacity"] = 0.45
	surplus := line(l.t("series.surplus"), m(func(g *report.BudgetYear) float64 { return g.Surplus }), 3)
	series = append(series, surplus)
	b.add("budget", defaultHeight, axisChart(b.x, []obj{valueAxis(b.millions())}, series),
		[]string{"n2", "n2", "n2", "n2", "n2", "n2"}, []string{"n0"})
}

// settlement: who bore the budget's result: the consortium's part (what it
// keeps of a surplus, or bears of an overspend) and the fund's (what it
// keeps, or covers), which add up to the surplus or overspend.
func (b *runBuilder) settlement() {
	l := b.l
	if !b.hasBudget() {
		return
	}
	m := b.budgetMillions
	community := bar(l.t("series.retained"), m(func(g *report.BudgetYear) float64 { return g.Retained }), 1)
	fund := bar(l.t("series.fund_result"), m(func(g *report.BudgetYear) float64 { return g.FundKept - g.FundCovered }), 0)
	community["stack"], fund["stack"] = "result", "result"
	surplus := line(l.t("series.surplus"), m(func(g *report.BudgetYear) float64 { return g.Surplus }), 3)
	refLine(surplus, targetColor, at(0, ""))
	b.add("settlement", defaultHeight, axisChart(b.x, []obj{valueAxis(b.millions())}, []obj{community, fund, surplus}),
		[]string{"n2", "n2", "n2"}, []string{"n1"})
}

// chain: why the money moved under responses, panel by panel: prevention
// effort → management and control → new complications → admissions →
// the fund-covered charges → payout per enrollee.
func (b *runBuilder) chain() {
	l := b.l
	type figure struct {
		name, format string
		data         []any
	}
	type panel struct {
		title   string
		format  string
		figures []figure
	}
	cond := func(f func(report.ConditionYear) float64) func(c string) []any {
		return func(c string) []any {
			return b.each(func(y report.Year) any { return val(f(y.Health.Conditions[c])) })
		}
	}
	managed := cond(func(c report.ConditionYear) float64 { return c.ManagedShare })
	control := cond(func(c report.ConditionYear) float64 { return c.ControlRate })
	newComp := cond(func(c report.ConditionYear) float64 { return float64(c.NewComplications) })
	ps := []panel{{title: l.t("panel.effort"), format: "n2", figures: []figure{{l.t("series.prevention_effort"), "n2",
		b.each(func(y report.Year) any { return val(y.Responses.PreventionEffort) })}}}}
	mc := panel{title: l.t("panel.management"), format: "pct"}
	nc := panel{title: l.t("panel.new_complications"), format: "n0"}
	for _, c := range b.s.Conditions {
		mc.figures = append(mc.figures, figure{l.t("series.managed_share", c), "pct", managed(c)}, figure{l.t("series.control_rate", c), "pct", control(c)})
		nc.figures = append(nc.figures, figure{c, "n0", newComp(c)})
	}
	ps = append(ps, mc, nc,
		panel{title: l.t("panel.admissions"), format: "n1", figures: []figure{{l.t("series.admissions_per_100"), "n1",
			b.each(func(y report.Year) any { return val(y.Utilisation.AdmissionsPer100) })}}},
		panel{title: l.t("panel.fund_covered", b.millions()), format: "n1", figures: []figure{{l.t("series.fund_covered"), "n1",
			b.each(func(y report.Year) any { return val(y.Cost.FundCovered / 1e6) })}}},
		panel{title: l.t("panel.payout_per_enrollee", l.money(b.s.Currency)), format: "n0", figures: []figure{{l.t("series.payout_per_enrollee"), "n0",
			b.each(func(y report.Year) any { return val(y.Fund.PayoutPerEnrollee) })}}},
	)
	titles := make([]string, len(ps))
	for i, p := range ps {
		titles[i] = p.title
	}
	grids, heads := panels(titles, 3)
	var xs, ys, series []any
	var formats, axisFormats []string
	var named []obj
	c := 0
	for i, p := range ps {
		xs = append(xs, obj{"type": "category", "data": b.x, "gridIndex": i})
		ys = append(ys, obj{"type": "value", "gridIndex": i, "scale": true})
		axisFormats = append(axisFormats, p.format)
		for _, f := range p.figures {
			s := line(f.name, f.data, c)
			s["xAxisIndex"], s["yAxisIndex"] = i, i
			series = append(series, s)
			named = append(named, s)
			formats = append(formats, f.format)
			c++
		}
	}
	legend := legendOf(named)
	legend["top"], legend["bottom"] = nil, 0
	for _, g := range grids {
		g.(obj)["height"] = "26%"
	}
	option := obj{"title": heads, "grid": grids, "xAxis": xs, "yAxis": ys, "series": series, "legend": legend,
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 0}}
	b.add("chain", panelHeight, option, formats, axisFormats)
}

// responses: the episodes the providers' responses added or withheld:
// visits in one panel, admissions, split stays and readmissions in the
// other.
func (b *runBuilder) responses() {
	l := b.l
	n := func(f func(report.Responses) int64) []any {
		return b.each(func(y report.Year) any { return float64(f(y.Responses)) })
	}
	grids, heads := panels([]string{l.t("panel.visits"), l.t("panel.stays")}, 2)
	figs := []struct {
		name  string
		panel int
		data  []any
	}{
		{l.t("series.induced_visits"), 0, n(func(r report.Responses) int64 { return r.InducedVisits })},
		{l.t("series.withheld_visits"), 0, n(func(r report.Responses) int64 { return r.WithheldVisits })},
		{l.t("series.induced_admissions"), 1, n(func(r report.Responses) int64 { return r.InducedAdmissions })},
		{l.t("series.withheld_admissions"), 1, n(func(r report.Responses) int64 { return r.WithheldAdmissions })},
		{l.t("series.split_admissions"), 1, n(func(r report.Responses) int64 { return r.SplitAdmissions })},
		{l.t("series.added_readmissions"), 1, n(func(r report.Responses) int64 { return r.AddedReadmissions })},
	}
	var series []any
	var formats []string
	var legend []string
	for i, f := range figs {
		s := bar(f.name, f.data, i)
		s["xAxisIndex"], s["yAxisIndex"] = f.panel, f.panel
		series = append(series, s)
		formats = append(formats, "n0")
		legend = append(legend, f.name)
	}
	for _, g := range grids {
		g.(obj)["top"] = "22%"
		g.(obj)["height"] = "62%"
	}
	for _, h := range heads {
		h.(obj)["top"] = "13%"
	}
	option := obj{"title": heads, "grid": grids, "series": series, "legend": obj{"data": legend, "top": 0, "type": "scroll"},
		"xAxis":   []any{obj{"type": "category", "data": b.x, "gridIndex": 0}, obj{"type": "category", "data": b.x, "gridIndex": 1}},
		"yAxis":   []any{obj{"type": "value", "gridIndex": 0}, obj{"type": "value", "gridIndex": 1}},
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 22}}
	b.add("responses", defaultHeight, option, formats, []string{"n0", "n0"})
}

// health: the persons alive at each year's end, and each condition's
// prevalence on the right.
func (b *runBuilder) health() {
	l := b.l
	alive := bar(l.t("series.alive"), b.each(func(y report.Year) any { return float64(y.Health.Alive) }), 0)
	series := []obj{alive}
	formats := []string{"n0"}
	for i, c := range b.s.Conditions {
		s := line(l.t("series.prevalence", c), b.each(func(y report.Year) any { return val(y.Health.Conditions[c].Prevalence) }), i+1)
		s["yAxisIndex"] = 1
		series = append(series, s)
		formats = append(formats, "pct")
	}
	persons := valueAxis(l.t("unit.persons"))
	axes := []obj{persons}
	axisFormats := []string{"n0"}
	if len(b.s.Conditions) > 0 {
		right := valueAxis(l.t("unit.share"))
		right["min"] = 0
		right["splitLine"] = obj{"show": false}
		axes = append(axes, right)
		axisFormats = append(axisFormats, "pct")
	}
	b.add("health", defaultHeight, axisChart(b.x, axes, series), formats, axisFormats)
}

// trace: the Markov trace, each condition's states as shares of the
// persons at the start over the run, one panel per condition; dead states
// count the share dead by entering them so far.
func (b *runBuilder) trace() {
	tr := b.s.Trace
	if len(tr.Rows) < 2 || len(tr.States) == 0 {
		return
	}
	l := b.l
	var conds []string
	cond := make([]int, len(tr.States))
	for i, st := range tr.States {
		c, _, _ := strings.Cut(st, ".")
		if k := slices.Index(conds, c); k >= 0 {
			cond[i] = k
		} else {
			cond[i] = len(conds)
			conds = append(conds, c)
		}
	}
	titles := append([]string(nil), conds...)
	cols := min(len(conds), 2)
	grids, heads := panels(titles, cols)
	var xs, ys, series []any
	var named []obj
	var formats, axisFormats []string
	for k := range conds {
		xs = append(xs, obj{"type": "value", "gridIndex": k, "name": l.t("unit.years"), "nameLocation": "middle", "nameGap": 24})
		ys = append(ys, obj{"type": "value", "gridIndex": k, "min": 0, "max": 1})
		axisFormats = append(axisFormats, "pct")
	}
	for i, st := range tr.States {
		data := make([]any, len(tr.Rows))
		for r, row := range tr.Rows {
			data[r] = []any{row.Time, val(row.States[i])}
		}
		_, state, _ := strings.Cut(st, ".")
		s := line(state, data, i)
		s["showSymbol"] = false
		s["xAxisIndex"], s["yAxisIndex"] = cond[i], cond[i]
		series = append(series, s)
		named = append(named, s)
		formats = append(formats, "pct")
	}
	legend := legendOf(named)
	legend["top"], legend["bottom"] = nil, 0
	for _, g := range grids {
		g.(obj)["height"] = strconv.FormatFloat(float64(100/((len(conds)+cols-1)/cols))-24, 'f', 1, 64) + "%"
	}
	height := defaultHeight + 220*((len(conds)+cols-1)/cols-1)
	option := obj{"title": heads, "grid": grids, "xAxis": xs, "yAxis": ys, "series": series, "legend": legend,
		"toolbox": obj{"feature": obj{"saveAsImage": obj{}}, "right": 8, "top": 0}}
	b.add("trace", height, option, formats, axisFormats)
	b.charts[len(b.charts)-1].XFormats = nil
}

func allZero(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}
