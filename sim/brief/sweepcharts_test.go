package brief

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/study"
)

// TestSweepFile: a tornado written as sweep.json reads back as written,
// an outcome without a value (an ICER without an increment of effect) as
// null both ways; the lesson's file is what paysim sweep --out wrote.
func TestSweepFile(t *testing.T) {
	tor := &study.Tornado{Outcome: "icer of b against a", Base: 15000, Bars: []study.Bar{
		{Path: "conditions.x.transitions.ill->well.prob", Low: 0.1, High: 0.3, AtLow: 21000, AtHigh: 13000, Swing: 8000},
		{Path: "discount_rate", Low: 0, High: 0.06, AtLow: math.NaN(), AtHigh: 17000, Swing: math.NaN()},
	}}
	wtp := 50000.0
	f := tor.File(study.SweepFile{Scenario: "lesson", Metric: "icer", Strategy: "b", Reference: "a", Perspective: "health_system",
		WTP: &wtp, Unit: study.UnitMoneyPerQALY, Currency: "USD", Seed: 1, Replicates: 4, Mode: "microsimulation"})
	assert.Equal(t, study.SweepSchema, f.Schema)
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"at_low":null`)
	back, err := DecodeSweep(b)
	require.NoError(t, err)
	assert.Equal(t, f, back)
	assert.Nil(t, back.Bars[1].AtLow)
	assert.Equal(t, 13000.0, *back.Bars[0].AtHigh)

	_, err = DecodeSweep([]byte(`{"schema": "paysim.sweep/v0"}`))
	assert.EqualError(t, err, `schema "paysim.sweep/v0"; want paysim.sweep/v1`)
	_, err = DecodeSweep([]byte(`{"schema": "paysim.sweep/v1", "bars": [{"low": 1}]}`))
	assert.EqualError(t, err, "bars[0]: no path; want the parameter's path")

	src, err := Read("testdata/sweep")
	require.NoError(t, err)
	s := src.Sweep
	require.NotNil(t, s)
	assert.Equal(t, "lesson", s.Scenario)
	assert.Equal(t, "icer of new-drug against usual-care", s.Outcome)
	require.Len(t, s.Bars, 2)
	assert.Equal(t, "conditions.disease.transitions.ill->well.prob", s.Bars[0].Path, "the widest swing first")
	raw, err := os.ReadFile("testdata/sweep/sweep.json")
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"path": "conditions.disease.transitions.ill->well.prob"`, "the arrow as written")
}

// TestTornado: a worked example. The base outcome is 10; b at 1 gives 5
// and at 3 gives −5 (a swing of 10), a at 0 gives 10 and at 1 gives 12
// (2), c gives no value at its low end. Each bar is the outcome at its end
// less the base (5 − 10 = −5, −5 − 10 = −15, 10 − 10 = 0, 12 − 10 = 2),
// labelled with the outcome itself; the axis, in differences, spans the
// round outcomes around −5 … 12 in steps of 5 (15 ÷ 5 = 3, rounded up to
// 5): −5 − 10 = −15 to 15 − 10 = 5, and adds the base back in its labels.
func TestTornado(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	s := &Sweep{Schema: study.SweepSchema, Scenario: "toy", Outcome: "y", Metric: "y", Base: f(10), Mode: "cohort", Bars: []study.SweepBar{
		{Path: "b", Low: 1, High: 3, AtLow: f(5), AtHigh: f(-5), Swing: f(10)},
		{Path: "a", Low: 0, High: 1, AtLow: f(10), AtHigh: f(12), Swing: f(2)},
		{Path: "c", Low: 0, High: 100, AtLow: nil, AtHigh: f(10), Swing: nil},
	}}
	var ids chartID
	c := tornado(En, &ids, s)
	assert.Equal(t, "tornado", c.Key)
	assert.Equal(t, "Tornado: y", c.Title)
	assert.Equal(t, 10.0, c.XOffset)
	assert.Equal(t, "item", c.Tooltip)
	y := c.Option["yAxis"].(obj)
	assert.Equal(t, []string{"b (1 to 3)", "a (0 to 1)", "c (0 to 100)"}, y["data"], "the range in the label, widest swing first")
	assert.Equal(t, true, y["inverse"], "the first at the top")
	series := c.Option["series"].([]any)
	require.Len(t, series, 2)
	for k, want := range []struct {
		name   string
		values []any
		labels []string
	}{
		{"parameter at its low value", []any{-5.0, 0.0, nil}, []string{"5.00", "10.00", ""}},
		{"parameter at its high value", []any{-15.0, 2.0, 0.0}, []string{"-5.00", "12.00", "10.00"}},
	} {
		sr := series[k].(obj)
		assert.Equal(t, want.name, sr["name"])
		data := sr["data"].([]any)
		require.Len(t, data, 3)
		for i, d := range data {
			if want.values[i] == nil {
				assert.Nil(t, d, "%s, bar %d: no value, no bar", want.name, i)
				continue
			}
			item := d.(obj)
			assert.InDelta(t, want.values[i], item["value"], 1e-12, "%s, bar %d: outcome − base", want.name, i)
			assert.Equal(t, want.labels[i], item["label"].(obj)["formatter"], "%s, bar %d: the outcome at its end", want.name, i)
		}
	}
	assert.Equal(t, "left", series[1].(obj)["data"].([]any)[0].(obj)["label"].(obj)["position"], "below the base: labelled on the left")
	x := c.Option["xAxis"].(obj)
	assert.Equal(t, -15.0, x["min"])
	assert.Equal(t, 5.0, x["max"])
	assert.Equal(t, 5.0, x["interval"])
	base := series[0].(obj)["markLine"].(obj)["data"].([]obj)[0]
	assert.Equal(t, 0, base["xAxis"], "the base line at a difference of 0")
	assert.Equal(t, "base 10.00", base["label"].(obj)["formatter"])
}

// TestSweepUnits: the outcome's unit and format in each language.
func TestSweepUnits(t *testing.T) {
	for _, c := range []struct {
		unit, currency string
		l              Lang
		want, format   string
	}{
		{study.UnitMoneyPerQALY, "USD", En, "$ per QALY", "n0"},
		{study.UnitMoneyPerQALY, "CNY", Zh, "元／质量调整生命年", "n0"},
		{study.UnitMoneyPerLY, "CNY", En, "¥ per life-year", "n0"},
		{study.UnitQALYs, "USD", Zh, "质量调整生命年", "n3"},
		{study.UnitShare, "CNY", En, "%", "pct"},
		{"", "CNY", En, "", "n2"}, // base 10
	} {
		b := 10.0
		s := &Sweep{Unit: c.unit, Currency: c.currency, Base: &b}
		assert.Equal(t, c.want, sweepUnit(c.l, s), "%s in %s", c.unit, c.l)
		assert.Equal(t, c.format, sweepFormat(s), c.unit)
	}
}
