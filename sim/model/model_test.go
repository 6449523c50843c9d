package model

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
)

func TestRateToProb(t *testing.T) {
	cases := []struct {
		rate, dt, want float64
	}{
		{0, 1.0 / 12, 0},
		{0.1, 1, 0.09516258196404048},         // 1 − e^−0.1
		{0.12, 1.0 / 12, 0.00995016625083189}, // 1 − e^−0.01
		{1, 1, 0.6321205588285577},            // 1 − e^−1
		{math.Log(2), 1, 0.5},                 // a rate of ln 2 halves the survivors in a year
	}
	for _, c := range cases {
		if got := RateToProb(c.rate, c.dt); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("RateToProb(%v, %v) = %v, want %v", c.rate, c.dt, got, c.want)
		}
	}
}

func TestLogitShares(t *testing.T) {
	cases := []struct {
		name string
		u    []float64
		want []float64
	}{
		{"equal utilities share equally", []float64{0.3, 0.3}, []float64{0.5, 0.5}},
		// e^0 : e^ln3 = 1 : 3
		{"utility ln 3 apart", []float64{0, math.Log(3)}, []float64{0.25, 0.75}},
		// e^1, e^0, e^-1 over their sum 4.0861...: 0.6652, 0.2447, 0.0900
		{"three tiers", []float64{1, 0, -1}, []float64{0.6652409557748219, 0.24472847105479764, 0.09003057317038046}},
		// only differences matter: adding 500 changes nothing (and must not overflow)
		{"shifted by 500", []float64{501, 500, 499}, []float64{0.6652409557748219, 0.24472847105479764, 0.09003057317038046}},
	}
	for _, c := range cases {
		got := LogitShares(c.u)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: LogitShares(%v) = %v, want %v", c.name, c.u, got, c.want)
				break
			}
		}
	}
}

func TestLogitCumSkipsUnavailable(t *testing.T) {
	cum := logitCum([]float64{5, 0, 0}, []bool{false, true, true})
	want := []float64{0, 0.5, 1}
	for i := range cum {
		if math.Abs(cum[i]-want[i]) > 1e-15 {
			t.Fatalf("logitCum with the first tier unavailable = %v, want %v", cum, want)
		}
	}
}

func TestCovered(t *testing.T) {
	ns := int(payment.NService)
	m := &Care{NTier: 2,
		Ded:   make([]float64, 2*ns),
		Ratio: make([]float64, 2*ns),
		Elig:  make([]float64, 2*ns),
	}
	set := func(tier int, svc payment.Service, ded, ratio, elig float64) {
		k := tier*ns + int(svc)
		m.Ded[k], m.Ratio[k], m.Elig[k] = ded, ratio, elig
	}
	set(0, payment.Inpatient, 200, 0.85, 1)
	set(1, payment.Inpatient, 500, 0.6, 0.9)
	set(1, payment.Outpatient, 0, 0.5, 1)
	cases := []struct {
		name    string
		tier    int
		svc     payment.Service
		charges float64
		want    float64
	}{
		{"ratio after deductible", 0, payment.Inpatient, 3200, 2550},          // (3200−200)·0.85
		{"below the deductible", 0, payment.Inpatient, 150, 0},                // 150 < 200
		{"exactly the deductible", 0, payment.Inpatient, 200, 0},              // (200−200)·0.85
		{"eligible share then deductible", 1, payment.Inpatient, 10000, 5100}, // (0.9·10000−500)·0.6
		{"outpatient without deductible", 1, payment.Outpatient, 120, 60},     // 120·0.5
		{"no benefit for the service", 0, payment.Outpatient, 120, 0},         // ratio 0
	}
	for _, c := range cases {
		if got := m.Covered(c.tier, c.svc, c.charges); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Covered(%d, %v, %v) = %v, want %v", c.name, c.tier, c.svc, c.charges, got, c.want)
		}
	}
}

func TestPoissonCount(t *testing.T) {
	// Poisson(0.5): P(0) = e^−0.5 = 0.6065, P(≤1) = 1.5·e^−0.5 = 0.9098,
	// P(≤2) = 1.625·e^−0.5 = 0.9856, P(≤3) = 0.99825, P(≤4) = 0.99983.
	r := NewRate(0.5)
	cases := []struct {
		u    float64
		want int
	}{
		{0, 0}, {0.6065, 0}, {0.6066, 1}, {0.9097, 1}, {0.9099, 2}, {0.9856, 2}, {0.9857, 3}, {0.9998, 4}, {0.9999, 5},
	}
	for _, c := range cases {
		if got := PoissonCount(c.u, r.P0, r.Mean); got != c.want {
			t.Errorf("PoissonCount(%v, Poisson(0.5)) = %d, want %d", c.u, got, c.want)
		}
	}
	// Sources add: two sources of 0.2 and 0.3 are one of 0.5.
	a, b := NewRate(0.2), NewRate(0.3)
	if p0 := a.P0 * b.P0; math.Abs(p0-r.P0) > 1e-15 {
		t.Errorf("P0(0.2)·P0(0.3) = %v, want P0(0.5) = %v", p0, r.P0)
	}
	// A mean of 0 never counts anything.
	if got := PoissonCount(0.999999, 1, 0); got != 0 {
		t.Errorf("PoissonCount(0.999999, Poisson(0)) = %d, want 0", got)
	}
}

func TestMatchedLognormal(t *testing.T) {
	for _, c := range []struct {
		n  int
		cv float64
	}{{NFrail, 0.3}, {NFrail, 1}, {NFrail, 3}, {NQuantile, 0.5}, {NQuantile, 5}} {
		x := make([]float64, c.n)
		matchedLognormal(x, c.cv)
		sum, ss := 0.0, 0.0
		for i, v := range x {
			sum += v
			ss += (v - 1) * (v - 1)
			if i > 0 && v < x[i-1] {
				t.Fatalf("n=%d cv=%v: points not increasing", c.n, c.cv)
			}
		}
		mean, cv := sum/float64(c.n), math.Sqrt(ss/float64(c.n))
		if math.Abs(mean-1) > 1e-9 || math.Abs(cv-c.cv) > 1e-6 {
			t.Errorf("matchedLognormal(n=%d, cv=%v): mean %v, cv %v; want 1, %v", c.n, c.cv, mean, cv, c.cv)
		}
	}
}

// TestEffortFactor classifies the transitions of a hypertension-like state
// list at effort e = 0.5 with screening 0.4, control 0.2, complications 0.1,
// for a managed and an unmanaged patient.
func TestEffortFactor(t *testing.T) {
	st := map[string]*scenario.State{
		"none":         {Name: "none"},
		"undiagnosed":  {Name: "undiagnosed"},
		"uncontrolled": {Name: "uncontrolled", Diagnosed: true},
		"controlled":   {Name: "controlled", Diagnosed: true, Controlled: true},
		"stroke":       {Name: "stroke", Diagnosed: true, Complication: true},
		"esrd":         {Name: "esrd", Diagnosed: true, Complication: true},
		"dead":         {Name: "dead", Dead: true},
	}
	prev := scenario.Prevention{Effort: ptr(1.0), Screening: ptr(0.4), Enrolment: ptr(1.0), Control: ptr(0.2), Complications: ptr(0.1)}
	const e = 0.5
	cases := []struct {
		from, to  string
		want      float64 // for a managed patient
		unmanaged float64
	}{
		{"none", "undiagnosed", 1, 1},             // onset: effort does not prevent it
		{"none", "uncontrolled", 1, 1},            // nor, straight into a diagnosed state, cause it
		{"none", "controlled", 1, 1},              // nor into a controlled one
		{"undiagnosed", "uncontrolled", 1.2, 1.2}, // screening: 1 + 0.5·0.4
		{"uncontrolled", "controlled", 1.1, 1.1},  // control gained: 1 + 0.5·0.2
		{"undiagnosed", "controlled", 1.1, 1.1},   // found and controlled: control comes first
		{"uncontrolled", "stroke", 0.95, 1},       // complication: 1 − 0.5·0.1, for the managed only
		{"controlled", "stroke", 0.95, 1},         // from control too
		{"undiagnosed", "stroke", 0.95, 1},        // and undiagnosed (never managed)
		{"uncontrolled", "dead", 0.95, 1},         // death: 1 − 0.5·0.1
		{"stroke", "dead", 0.95, 1},               // death after a complication
		{"stroke", "esrd", 1, 1},                  // one complication to another: no new complication
		{"stroke", "uncontrolled", 1, 1},          // recovery is not changed
	}
	for _, c := range cases {
		for _, mg := range []struct {
			managed bool
			want    float64
		}{{true, c.want}, {false, c.unmanaged}} {
			if got := effortFactor(st[c.from], st[c.to], c.from != "none", mg.managed, Levers{e, e}, prev); math.Abs(got-mg.want) > 1e-12 {
				t.Errorf("effortFactor(%s → %s, managed %v, e = %v) = %v, want %v", c.from, c.to, mg.managed, e, got, mg.want)
			}
			if got := effortFactor(st[c.from], st[c.to], c.from != "none", mg.managed, Levers{}, prev); got != 1 {
				t.Errorf("effortFactor(%s → %s, managed %v, e = 0) = %v, want 1", c.from, c.to, mg.managed, got)
			}
		}
	}
	// Losing control is not changed: control multiplies only the gain of
	// control, so that a low control rate rises by about e·control instead
	// of being squared through the back-flow.
	if got := effortFactor(st["controlled"], st["uncontrolled"], true, true, Levers{e, e}, prev); got != 1 {
		t.Errorf("effortFactor(controlled → uncontrolled, e = %v) = %v, want 1", e, got)
	}
	// The levers apart: effort on finding patients screens and nothing
	// else; effort on control gains control and averts complications.
	for _, c := range []struct {
		from, to    string
		find, contr float64 // the factor under Levers{e, 0} and Levers{0, e}
	}{
		{"undiagnosed", "uncontrolled", 1.2, 1},
		{"uncontrolled", "controlled", 1, 1.1},
		{"uncontrolled", "stroke", 1, 0.95},
	} {
		if got := effortFactor(st[c.from], st[c.to], true, true, Levers{Find: e}, prev); math.Abs(got-c.find) > 1e-12 {
			t.Errorf("effortFactor(%s → %s, find %v) = %v, want %v", c.from, c.to, e, got, c.find)
		}
		if got := effortFactor(st[c.from], st[c.to], true, true, Levers{Control: e}, prev); math.Abs(got-c.contr) > 1e-12 {
			t.Errorf("effortFactor(%s → %s, control %v) = %v, want %v", c.from, c.to, e, got, c.contr)
		}
	}
}

func ptr[T any](x T) *T { return &x }

// TestTrends: the factor on charges compounds price and intensity by year,
// a tier's own rates replace the service's, a shock cuts its share of the
// charges from its year on; background rates grow by volume, and
// background mortality falls by trends.mortality.
func TestTrends(t *testing.T) {
	s, err := scenario.Load("../../testdata/bad/base/ok.yaml", []string{
		"trends={price: {inpatient: 0.1}, intensity: {inpatient: 0.05, outpatient: 0.02}, tiers: [{tier: outside, price: {inpatient: 0}}], " +
			"volume: {visits: 0.01, admissions: 0.03}, mortality: -0.1, shocks: [{name: vbp, year: 2026, services: [inpatient], share: 0.4, cut: 0.5}]}"})
	require.NoError(t, err)
	c, err := CompileCare(s)
	require.NoError(t, err)
	county, outside := slices.Index(c.TierNames, "county"), slices.Index(c.TierNames, "outside")
	at := func(y, tier int, svc payment.Service) float64 {
		return c.Charges(y)[tier*int(payment.NService)+int(svc)]
	}
	cases := []struct {
		name      string
		got, want float64
	}{
		{"county stays, 2025", at(0, county, payment.Inpatient), 1},
		{"county stays, 2026: grown and cut", at(1, county, payment.Inpatient), 1.1 * 1.05 * (1 - 0.4*0.5)},
		{"county stays, 2029", at(4, county, payment.Inpatient), math.Pow(1.1, 4) * math.Pow(1.05, 4) * 0.8},
		{"outside stays: its own price, the service's intensity", at(4, outside, payment.Inpatient), math.Pow(1.05, 4) * 0.8},
		{"county visits: intensity only, no shock", at(2, county, payment.Outpatient), 1.02 * 1.02},
		{"long stays: no trend", at(4, county, payment.LongStay), 1},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s: factor %v, want %v", c.name, c.got, c.want)
		}
	}
	// Background admissions of the first band in 2028: 0.05 × 1.03³ a year.
	nb := c.NBand
	if got, want := c.BaseAdm[3*nb].Mean, 0.05*math.Pow(1.03, 3)/12; math.Abs(got-want) > 1e-15 {
		t.Errorf("background admissions per cycle in 2028 = %v, want %v", got, want)
	}
	if got, want := c.BaseVisits[0].Mean, 2.0/12; math.Abs(got-want) > 1e-15 {
		t.Errorf("background visits per cycle in 2025 = %v, want %v", got, want)
	}
	// Background deaths of the last band (0.04 a year) in 2027, women: the
	// rate × 0.9², as a monthly probability; in 2025 the rate itself.
	last := nb - 1
	if got, want := c.Morts(2)[2*last], Threshold(RateToProb(0.04*math.Pow(0.9, 2), 1.0/12)); got != want {
		t.Errorf("background death threshold of the last band in 2027 = %v, want %v", got, want)
	}
	if got, want := c.Morts(0)[2*last], Threshold(RateToProb(0.04, 1.0/12)); got != want {
		t.Errorf("background death threshold of the last band in 2025 = %v, want %v", got, want)
	}
}

// TestTinySpread: a coefficient of variation too small to tell from 0 gives
// no spread at once (the σ search is bounded), and one just above keeps the
// mean at 1.
func TestTinySpread(t *testing.T) {
	for _, cv := range []float64{5e-324, 1e-200, 1e-13} {
		var q [NQuantile]float64
		lognormalQuantiles(&q, cv)
		for i, x := range q {
			if x != 1 {
				t.Fatalf("cv %v: quantile %d = %v, want 1", cv, i, x)
			}
		}
	}
	var q [NQuantile]float64
	lognormalQuantiles(&q, 1e-9)
	sum := 0.0
	for _, x := range q {
		sum += x
	}
	if math.Abs(sum/NQuantile-1) > 1e-12 || q[0] >= 1 || q[NQuantile-1] <= 1 {
		t.Errorf("cv 1e-9: mean %v, ends %v and %v; want mean 1 and a spread", sum/NQuantile, q[0], q[NQuantile-1])
	}
}

// TestMoves: the probabilities of a row under the modifiers by time. The
// base scenario's hypertension, monthly, with its transition out of
// "undiagnosed" to "uncontrolled" halved for the first 18 months of the run
// and doubled from 18 months spent in the state (without heterogeneity).
func TestMoves(t *testing.T) {
	s, err := scenario.Load("../../testdata/bad/base/ok.yaml", []string{"conditions.hypertension.heterogeneity=0",
		"conditions.hypertension.transitions.undiagnosed->uncontrolled.by_run_years=[{years: 0, factor: 0.5}, {years: 1.5, factor: 1}]",
		"conditions.hypertension.transitions.undiagnosed->uncontrolled.by_years=[{years: 1.5, factor: 2}]",
	})
	require.NoError(t, err)
	c, err := CompileCare(s)
	require.NoError(t, err)
	m := Compile(c, nil, nil)
	cd := &m.Cond[0]
	if cd.PeriodFrom[1] != 18 || cd.Period[17] != 0 || cd.Period[18] != 1 {
		t.Fatalf("periods from %v, cycle 17 in %d, 18 in %d; want a second period from cycle 18", cd.PeriodFrom, cd.Period[17], cd.Period[18])
	}
	from, to := 1, 2 // undiagnosed → uncontrolled
	var r float64
	for _, tr := range s.Conditions[0].Transitions {
		if tr.From == "undiagnosed" && tr.To == "uncontrolled" {
			r = *tr.Rate
		}
	}
	require.Len(t, s.Conditions[0].Transitions, 5, "the base's transitions")
	band := 1 // 15-59, no by_band for this transition
	p := make([]float64, cd.NState)
	for _, c := range []struct {
		period, dur int
		f           float64
	}{
		{0, 0, 0.5}, // the treatment halves the rate
		{1, 0, 1},
		{0, 1, 0.5 * 2}, // and 18 months in the state double it
		{1, 1, 2},
	} {
		leave := m.Moves(p, 0, c.period, band, 0, c.dur, 0, from)
		want := RateToProb(r*c.f, m.DT) // the only transition out of undiagnosed
		if math.Abs(leave-want) > 1e-15 || math.Abs(p[to]-want) > 1e-15 {
			t.Errorf("period %d, bucket %d: leave %v, to uncontrolled %v; want 1 − exp(−%v × %v / 12) = %v", c.period, c.dur, leave, p[to], r, c.f, want)
		}
	}
}

// TestChoiceAtUplift: the default county's complex surgery is treated
// outside only until the county hospital's capability reaches the 2.5 its
// latent entry requires (from 2): at +0.4 a county first contact is still
// referred out, at +0.5 the county treats it at its own charges. A tier's
// utility rises by the group's severity × the capability added: with the
// township +0.5, a stroke's first contacts at the township (referred up to
// the county) rise by the logit's odds e^(1.2 × 0.5).
func TestChoiceAtUplift(t *testing.T) {
	s, err := scenario.Load("../../scenarios/county-ffs.yaml", nil)
	require.NoError(t, err)
	c, err := CompileCare(s)
	require.NoError(t, err)
	m := Compile(c, nil, nil)
	g := slices.Index(c.GroupNames, "complex_surgery")
	county, outside, township := slices.Index(c.TierNames, "county"), slices.Index(c.TierNames, "outside"), slices.Index(c.TierNames, "township")
	k := g*c.NTier + county
	require.Zero(t, c.StayMean[k], "the latent entry treats nothing at the start")
	require.Equal(t, 2.5, c.Latent[k])

	if m.ChoiceAt(nil) != &m.Choice {
		t.Error("ChoiceAt(nil) is not the model's own choice")
	}
	up := make([]float64, c.NTier)
	up[county] = 0.4
	ch := m.ChoiceAt(up)
	if int(ch.Treat[k]) != outside || !ch.Referred[k] {
		t.Errorf("county +0.4: complex surgery first seen at the county treated at %d (referred %v), want outside, referred", ch.Treat[k], ch.Referred[k])
	}
	up[county] = 0.5
	ch = m.ChoiceAt(up)
	if int(ch.Treat[k]) != county || ch.Referred[k] || ch.Stay[k] != 20000 || ch.LOS[k] != 14 {
		t.Errorf("county +0.5: complex surgery at the county treated at %d (referred %v) at ¥%v, %v days; want the county, ¥20000, 14 days",
			ch.Treat[k], ch.Referred[k], ch.Stay[k], ch.LOS[k])
	}
	if m.StayMean[k] != 0 || m.Choice.Stay[k] != 0 {
		t.Error("an uplift changed the model's own tables")
	}

	stroke := slices.Index(c.GroupNames, "stroke")
	share := func(ch *Choice, t int) float64 {
		lo := uint64(0)
		if t > 0 {
			lo = ch.AdmCum[stroke*c.NTier+t-1]
		}
		return float64(ch.AdmCum[stroke*c.NTier+t]-lo) * 0x1p-64
	}
	up = make([]float64, c.NTier)
	up[township] = 0.5
	base, raised := m.ChoiceAt(nil), m.ChoiceAt(up)
	odds := func(p float64) float64 { return p / (1 - p) }
	if got, want := odds(share(raised, township))/odds(share(base, township)), math.Exp(1.2*0.5); math.Abs(got-want) > 1e-9 {
		t.Errorf("township +0.5: odds of a stroke's first contact at the township × %v, want e^0.6 = %v", got, want)
	}
}
