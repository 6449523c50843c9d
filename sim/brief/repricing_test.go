package brief

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallRepricing is three providers of one tier, one of them suppressed,
// and a hospital.
func smallRepricing() *Repricing {
	return &Repricing{Schema: RepricingSchema, Scenario: "county-drg", Claims: "claims.csv", Currency: "CNY", Rows: 52, Priced: 51, Rejected: 1, MinCases: 10,
		Providers: []RepricedProvider{
			{Provider: "thc-a", Tier: "township", Cases: 20, Stays: 4, CMI: 0.5, Charges: 1000, FFSPaid: 1000, Revenue: 1100, Gain: 100},
			{Provider: "thc-b", Tier: "township", Suppressed: true},
			{Provider: "thc-c", Tier: "township", Cases: 10, Stays: 1, CMI: 1.0, Charges: 500, FFSPaid: 500, Revenue: 450, Gain: -50},
			{Provider: "hospital", Tier: "county", Cases: 12, Stays: 10, CMI: 1.2, Charges: 9000, FFSPaid: 9000, Revenue: 8100, Gain: -900},
		},
		Settlement: []SettledValue{{Binding: "drg-inpatient", Name: "point_value_settled", Value: 9.5}}}
}

// The tiers add up their providers that are not suppressed and count the
// others; a tier's case-mix index is its providers' weighted by their
// stays.
func TestRepricingTiers(t *testing.T) {
	ts := smallRepricing().tiers()
	require.Len(t, ts, 2)
	tw := ts[0]
	assert.Equal(t, "township", tw.Tier)
	assert.Equal(t, 1, tw.suppressed)
	assert.Equal(t, 30, tw.Cases)
	assert.Equal(t, 5, tw.Stays)
	assert.InDelta(t, 0.6, tw.CMI, 1e-12) // (0.5×4 + 1.0×1) / 5
	assert.InDelta(t, 1500, tw.FFSPaid, 1e-9)
	assert.InDelta(t, 50, tw.Gain, 1e-9) // 100 − 50
	assert.Equal(t, 0, ts[1].suppressed)
	assert.InDelta(t, 1.2, ts[1].CMI, 1e-12)
}

// The charts show a suppressed provider by name, marked, with no figures;
// the tier's name says how many it leaves out.
func TestRepricingCharts(t *testing.T) {
	var ids chartID
	cs := repricingCharts(En, &ids, smallRepricing())
	require.Len(t, cs, 3)
	x := cs[0].Option["xAxis"].(obj)["data"].([]string)
	assert.Equal(t, []string{"thc-a", "thc-b (suppressed: fewer than 10 claims)", "thc-c", "hospital"}, x)
	gain := cs[0].Option["series"].([]any)[0].(obj)["data"].([]any)
	assert.Equal(t, []any{0.1, nil, -0.05, -0.9}, gain, "gain in thousands")
	share := cs[0].Option["series"].([]any)[1].(obj)["data"].([]any)
	assert.Equal(t, []any{0.1, nil, -0.1, -0.1}, share, "gain ÷ paid")
	assert.Contains(t, cs[0].Note, "fewer than 10 claims are suppressed (1 here)")
	assert.Equal(t, []string{"township health centres (without 1 suppressed)", "county hospitals"}, cs[1].Option["xAxis"].(obj)["data"].([]string))
	tg := cs[1].Option["series"].([]any)[0].(obj)["data"].([]any)
	assert.Equal(t, []any{0.05, -0.9}, tg)
	cmi := cs[2].Option["series"].([]any)[0].(obj)
	assert.Equal(t, []any{0.5, nil, 1.0, 1.2}, cmi["data"])
	assert.Equal(t, 1.0, cmi["markLine"].(obj)["data"].([]obj)[0]["yAxis"])
	assert.Equal(t, "claims.csv: 51 claims priced, 1 rows rejected; providers with fewer than 10 claims suppressed; settled point value drg-inpatient 9.5000",
		repricingMeta(En, smallRepricing()))
}

// The workbook has a row per provider, a suppressed one with its name,
// tier and why, and no figure; and a row per tier.
func TestRepricingWorkbook(t *testing.T) {
	w, _ := openWorkbook(t, En, []*Source{{Repricing: smallRepricing()}})
	assert.Equal(t, []string{"repricing by provider", "repricing by tier"}, w.f.GetSheetList())
	rows, err := w.f.GetRows("repricing by provider")
	require.NoError(t, err)
	require.Len(t, rows, 5)
	assert.Equal(t, []string{"county-drg", "thc-b", "township health centres", "suppressed: fewer than 10 claims"}, rows[2], "no figures")
	sh := "repricing by provider"
	w.equal(0.1, sh, cellAt(w.col(sh, "gain, share of paid (%)"), 2))
	w.equal(-900, sh, cellAt(w.col(sh, "gain or loss (¥)"), 5))
	st := "repricing by tier"
	r := w.row(st, map[string]string{"tier": "township health centres"})
	w.equal(1, st, cellAt(w.col(st, "providers suppressed"), r))
	w.equal(50, st, cellAt(w.col(st, "gain or loss (¥)"), r))
	w.equal(0.6, st, cellAt(w.col(st, "case-mix index"), r))
	assert.False(t, strings.Contains(strings.Join(rows[0], "|"), "["), "labels the catalogue lacks: %v", rows[0])
}

func TestDecodeRepricing(t *testing.T) {
	_, err := DecodeRepricing([]byte(`{"schema": "paysim.summary/1"}`))
	assert.EqualError(t, err, `schema "paysim.summary/1"; want paysim.repricing/1`)
	src, err := Read("testdata/repricing")
	require.NoError(t, err)
	require.NotNil(t, src.Repricing)
	assert.Nil(t, src.Run)
	n := 0
	for _, p := range src.Repricing.Providers {
		if p.Suppressed {
			n++
			assert.Zero(t, p.Cases, "%s: suppressed, no figures", p.Provider)
		}
	}
	assert.Equal(t, 2, n, "the fixture suppresses two providers (--min-cases 1500)")
}
