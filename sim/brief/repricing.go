package brief

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// RepricingSchema is the schema of repricing.json.
const RepricingSchema = "paysim.repricing/1"

// A Repricing is what paysim price --claims --out writes to
// repricing.json (docs/claims.md): last year's claims priced under a
// scenario's rules, by provider, against what fee-for-service paid. A
// provider with fewer claims than MinCases is suppressed: its name and
// tier only.
type Repricing struct {
	Schema    string             `json:"schema"`
	Scenario  string             `json:"scenario"`
	Claims    string             `json:"claims"` // the claims file's name
	Currency  string             `json:"currency"`
	Rows      int                `json:"rows"`     // rows of the file
	Priced    int                `json:"priced"`   // claims priced
	Rejected  int                `json:"rejected"` // rows malformed or that the scenario cannot price
	MinCases  int                `json:"min_cases"`
	Providers []RepricedProvider `json:"providers"`
	// Settlement holds the year-end settlements' figures (a point method's
	// settled point value), by binding.
	Settlement []SettledValue `json:"settlement,omitempty"`
}

// A RepricedProvider is one provider's claims, priced. Amounts are sums
// over its claims; Gain is Revenue − FFSPaid.
type RepricedProvider struct {
	Provider    string  `json:"provider"`
	Tier        string  `json:"tier"`
	Suppressed  bool    `json:"suppressed,omitempty"`
	Cases       int     `json:"cases,omitempty"`
	Stays       int     `json:"stays,omitempty"` // stays the rule weighted
	CMI         float64 `json:"cmi,omitempty"`   // case-mix index; 0: no weighted stays
	Charges     float64 `json:"charges,omitempty"`
	FFSPaid     float64 `json:"ffs_paid,omitempty"` // fund + patient paid, as the claims say
	Revenue     float64 `json:"revenue,omitempty"`  // under the scenario's rules, after the year-end settlement
	FundPays    float64 `json:"fund_pays,omitempty"`
	PatientPays float64 `json:"patient_pays,omitempty"`
	Gain        float64 `json:"gain,omitempty"`
}

// A SettledValue is one figure of a year-end settlement.
type SettledValue struct {
	Binding string  `json:"binding"`
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
}

// A repricedTier is the sum of a tier's providers that are not
// suppressed, and how many are.
type repricedTier struct {
	RepricedProvider
	suppressed int
	cmiStays   float64 // Σ CMI × stays
}

// tiers sums the providers by tier, in the order the tiers first appear.
// Suppressed providers are left out of their tier's figures, so that the
// tier's figures cannot give theirs back by difference; they are counted.
func (r *Repricing) tiers() []repricedTier {
	var out []repricedTier
	at := map[string]int{}
	for _, p := range r.Providers {
		i, ok := at[p.Tier]
		if !ok {
			i = len(out)
			at[p.Tier] = i
			out = append(out, repricedTier{RepricedProvider: RepricedProvider{Tier: p.Tier}})
		}
		t := &out[i]
		if p.Suppressed {
			t.suppressed++
			continue
		}
		t.Cases += p.Cases
		t.Stays += p.Stays
		t.cmiStays += p.CMI * float64(p.Stays)
		t.Charges += p.Charges
		t.FFSPaid += p.FFSPaid
		t.Revenue += p.Revenue
		t.FundPays += p.FundPays
		t.PatientPays += p.PatientPays
		t.Gain += p.Gain
	}
	for i := range out {
		if out[i].Stays > 0 {
			out[i].CMI = out[i].cmiStays / float64(out[i].Stays)
		}
	}
	return out
}

// share is x ÷ of, or nil when of is 0.
func share(x, of float64) any {
	if of == 0 {
		return nil
	}
	return x / of
}

// suppressedName labels a suppressed provider on an axis.
func (l Lang) suppressedName(name string, minCases int) string {
	return l.t("label.suppressed", name, minCases)
}

// repricingCharts are the charts of a repricing: gain or loss by provider
// and by tier against fee-for-service, and the providers' case-mix index.
func repricingCharts(l Lang, ids *chartID, r *Repricing) []chart {
	var charts []chart
	add := func(key string, height int, option obj, formats, axisFormats []string, noteArgs ...any) {
		charts = append(charts, chart{ID: ids.next(), Key: key, Title: l.t("chart." + key), Note: l.t("note."+key, noteArgs...),
			Height: height, Option: option, Formats: formats, AxisFormats: axisFormats, Tooltip: "axis"})
	}
	thousands := l.t("unit.thousands", l.money(r.Currency))
	k := func(x float64) any { return val(x / 1e3) }
	// rotate shows every name, slanted when they would not fit side by
	// side.
	rotate := func(opt obj, names []string) {
		width := 0
		for _, n := range names {
			width += utf8.RuneCountInString(n) + 2
		}
		label := obj{"interval": 0}
		if len(names) > 6 || width > 110 {
			label["rotate"] = 30
			opt["grid"].(obj)["bottom"] = 120
		}
		opt["xAxis"].(obj)["axisLabel"] = label
	}

	// gainChart plots the gain or loss of each item in thousands, and as a
	// share of what was paid on the right axis; the paid amounts and the
	// revenue, much larger, are in the workbook.
	gainChart := func(key string, height int, names []string, gain, gainShare []any, noteArgs ...any) {
		gs := line(l.t("series.gain_share"), gainShare, 3)
		gs["yAxisIndex"] = 1
		opt := axisChart(names, []obj{valueAxis(thousands), valueAxis("%")}, []obj{bar(l.t("series.gain"), gain, 2), gs})
		rotate(opt, names)
		add(key, height, opt, []string{"n1", "pct"}, []string{"n0", "pct"}, noteArgs...)
	}

	// By provider; a suppressed provider is named as such, with no figures.
	var names []string
	var gain, gainShare []any
	suppressed := 0
	for _, p := range r.Providers {
		if p.Suppressed {
			suppressed++
			names = append(names, l.suppressedName(p.Provider, r.MinCases))
			gain, gainShare = append(gain, nil), append(gainShare, nil)
			continue
		}
		names = append(names, p.Provider)
		gain, gainShare = append(gain, k(p.Gain)), append(gainShare, share(p.Gain, p.FFSPaid))
	}
	if len(names) > 0 {
		gainChart("repricing_providers", defaultHeight+60, names, gain, gainShare, r.MinCases, suppressed)
	}

	// By tier, over the providers not suppressed.
	var tnames []string
	var tgain, tshare []any
	for _, t := range r.tiers() {
		name := l.tier(t.Tier)
		if t.suppressed > 0 {
			name = l.t("label.tier_suppressed", name, t.suppressed)
		}
		tnames = append(tnames, name)
		tgain, tshare = append(tgain, k(t.Gain)), append(tshare, share(t.Gain, t.FFSPaid))
	}
	if len(tnames) > 0 {
		gainChart("repricing_tiers", defaultHeight, tnames, tgain, tshare, r.MinCases)
	}

	// The case-mix index of the providers with weighted stays, against the
	// county's average of 1; a suppressed provider is named where its tier
	// has weighted stays.
	weighted := map[string]bool{}
	for _, p := range r.Providers {
		weighted[p.Tier] = weighted[p.Tier] || p.Stays > 0
	}
	var cnames []string
	var cmi []any
	nc := 0
	for _, p := range r.Providers {
		switch {
		case p.Suppressed && weighted[p.Tier]:
			cnames, cmi = append(cnames, l.suppressedName(p.Provider, r.MinCases)), append(cmi, nil)
		case p.Stays > 0 && p.CMI > 0:
			cnames, cmi = append(cnames, p.Provider), append(cmi, val(p.CMI))
			nc++
		}
	}
	if nc > 0 {
		s := bar(l.t("series.cmi"), cmi, 4)
		refLine(s, targetColor, at(1, l.t("ref.cmi_average")))
		opt := axisChart(cnames, []obj{valueAxis("CMI")}, []obj{s})
		rotate(opt, cnames)
		add("repricing_cmi", defaultHeight+40, opt, []string{"n3"}, []string{"n2"})
	}
	return charts
}

// repricingMeta is the line under a repricing's title.
func repricingMeta(l Lang, r *Repricing) string {
	s := l.t("meta.repricing", r.Claims, r.Priced, r.Rejected, r.MinCases)
	var vals []string
	for _, v := range r.Settlement {
		if v.Name == "point_value_settled" {
			vals = append(vals, fmt.Sprintf("%s %.4f", v.Binding, v.Value))
		}
	}
	if len(vals) > 0 {
		s += l.t("meta.point_value_settled", strings.Join(vals, ", "))
	}
	return s
}

// repricingSheets are the tables of repricings: one row per provider, and
// one per tier over the providers not suppressed.
func repricingSheets(l Lang, rs []*Repricing) []*sheet {
	var codes []string
	for _, r := range rs {
		codes = append(codes, r.Currency)
	}
	money, _ := moneyUnit(l, codes)
	type provOf struct {
		r *Repricing
		p RepricedProvider
	}
	type tierOf struct {
		r *Repricing
		t repricedTier
	}
	var provs []provOf
	var tiers []tierOf
	for _, r := range rs {
		for _, p := range r.Providers {
			provs = append(provs, provOf{r, p})
		}
		for _, t := range r.tiers() {
			tiers = append(tiers, tierOf{r, t})
		}
	}
	// fig is a figure of a provider, or nothing when it is suppressed.
	fig := func(f func(RepricedProvider) any) func(provOf) any {
		return func(p provOf) any {
			if p.p.Suppressed {
				return nil
			}
			return f(p.p)
		}
	}
	ps := &sheet{key: "repricing_providers"}
	addRows(ps, []column[provOf]{
		{l.head("scenario", ""), "", func(p provOf) any { return p.r.Scenario }},
		{l.head("provider", ""), "", func(p provOf) any { return p.p.Provider }},
		{l.head("tier", ""), "", func(p provOf) any { return l.tier(p.p.Tier) }},
		{l.head("suppressed", ""), "", func(p provOf) any {
			if p.p.Suppressed {
				return l.t("label.fewer_cases", p.r.MinCases)
			}
			return nil
		}},
		{l.head("cases", ""), fmtWhole, fig(func(p RepricedProvider) any { return p.Cases })},
		{l.head("weighted_stays", ""), fmtWhole, fig(func(p RepricedProvider) any { return p.Stays })},
		{l.head("cmi", ""), fmtProb, fig(func(p RepricedProvider) any {
			if p.Stays == 0 {
				return nil
			}
			return p.CMI
		})},
		{l.head("charges", money), fmtMoney, fig(func(p RepricedProvider) any { return p.Charges })},
		{l.head("ffs_paid", money), fmtMoney, fig(func(p RepricedProvider) any { return p.FFSPaid })},
		{l.head("repriced_revenue", money), fmtMoney, fig(func(p RepricedProvider) any { return p.Revenue })},
		{l.head("fund_pays", money), fmtMoney, fig(func(p RepricedProvider) any { return p.FundPays })},
		{l.head("patient_pays", money), fmtMoney, fig(func(p RepricedProvider) any { return p.PatientPays })},
		{l.head("gain", money), fmtMoney, fig(func(p RepricedProvider) any { return p.Gain })},
		{l.head("gain_share", "%"), fmtShare, fig(func(p RepricedProvider) any { return share(p.Gain, p.FFSPaid) })},
	}, provs)
	ts := &sheet{key: "repricing_tiers"}
	addRows(ts, []column[tierOf]{
		{l.head("scenario", ""), "", func(t tierOf) any { return t.r.Scenario }},
		{l.head("tier", ""), "", func(t tierOf) any { return l.tier(t.t.Tier) }},
		{l.head("suppressed_providers", ""), fmtWhole, func(t tierOf) any { return t.t.suppressed }},
		{l.head("cases", ""), fmtWhole, func(t tierOf) any { return t.t.Cases }},
		{l.head("weighted_stays", ""), fmtWhole, func(t tierOf) any { return t.t.Stays }},
		{l.head("cmi", ""), fmtProb, func(t tierOf) any {
			if t.t.Stays == 0 {
				return nil
			}
			return t.t.CMI
		}},
		{l.head("charges", money), fmtMoney, func(t tierOf) any { return t.t.Charges }},
		{l.head("ffs_paid", money), fmtMoney, func(t tierOf) any { return t.t.FFSPaid }},
		{l.head("repriced_revenue", money), fmtMoney, func(t tierOf) any { return t.t.Revenue }},
		{l.head("fund_pays", money), fmtMoney, func(t tierOf) any { return t.t.FundPays }},
		{l.head("patient_pays", money), fmtMoney, func(t tierOf) any { return t.t.PatientPays }},
		{l.head("gain", money), fmtMoney, func(t tierOf) any { return t.t.Gain }},
		{l.head("gain_share", "%"), fmtShare, func(t tierOf) any { return share(t.t.Gain, t.t.FFSPaid) }},
	}, tiers)
	return []*sheet{ps, ts}
}
