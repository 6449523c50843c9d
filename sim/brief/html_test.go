package brief

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testFolders are output folders paysim wrote at a small size: a global
// budget with responses and replicates, a comparison of it with
// fee-for-service, the Sick-Sicker strategies with thresholds, the
// textbook Markov model (no care, no money), a repricing of claims, and
// the lesson's tornado of its ICER (docs/teaching.md).
var testFolders = []string{"testdata/global-budget", "testdata/compare", "testdata/strategies", "testdata/markov", "testdata/repricing", "testdata/sweep"}

func testSources(t *testing.T) []*Source {
	t.Helper()
	var srcs []*Source
	for _, dir := range testFolders {
		src, err := Read(dir)
		require.NoError(t, err, dir)
		srcs = append(srcs, src)
	}
	return srcs
}

// missingKey matches what t shows for a key the catalogue lacks.
var missingKey = regexp.MustCompile(`\[(chart|note|series|unit|tier|ref|panel|metric|status|perspective|meta|report|sheet|col|label|title)\.[a-z_.]+\]`)

// TestReportCharts: the report of the test folders has every chart their
// figures allow, and only those, with each chart's data embedded.
func TestReportCharts(t *testing.T) {
	srcs := testSources(t)
	keys := func(cs []chart) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Key)
		}
		return out
	}
	secs := build(En, srcs)
	require.Len(t, secs, 6)
	assert.Equal(t, []string{"fund", "payout_per_enrollee", "visits_tiers", "admissions_tiers", "referrals", "oop", "tiers", "providers",
		"budget", "settlement", "chain", "responses", "health", "trace"}, keys(secs[0].Charts), "a global budget with responses")
	cmp := keys(secs[1].Charts)
	assert.Contains(t, cmp, "compare:fund.payout")
	assert.Contains(t, cmp, "compare:utilisation.in_county_admission_share")
	assert.Contains(t, cmp, "ce_plane", "the county scenarios' costs and life-years")
	assert.NotContains(t, cmp, "ceac", "no willingness to pay")
	str := keys(secs[2].Charts)
	assert.Contains(t, str, "ce_plane")
	assert.Contains(t, str, "ceac")
	assert.NotContains(t, str, "compare:fund.payout", "a Markov model has no fund")
	assert.Equal(t, []string{"health", "trace"}, keys(secs[3].Charts), "a Markov model without care")
	assert.Equal(t, []string{"repricing_providers", "repricing_tiers", "repricing_cmi"}, keys(secs[4].Charts), "a repricing")
	assert.Equal(t, []string{"tornado"}, keys(secs[5].Charts), "a sweep")

	for _, l := range Langs {
		var b bytes.Buffer
		require.NoError(t, WriteHTML(&b, l, srcs))
		html := b.String()
		assert.Empty(t, missingKey.FindAllString(html, -1), "%s: labels the catalogue lacks", l)
		if i := strings.Index(html, "%!"); i >= 0 {
			t.Errorf("%s: a label formatted with the wrong arguments: %s", l, html[max(0, i-80):i+20])
		}
		assert.False(t, strings.Contains(html, "<script src") || strings.Contains(html, "<link"), "%s: a script or style outside the page", l)
		assert.True(t, strings.Contains(html, "Apache ECharts"), l)
		i := strings.Index(html, "var PAYSIM = ")
		require.Positive(t, i)
		end := strings.Index(html[i:], ";</script>")
		var data struct {
			Lang   string  `json:"lang"`
			Charts []chart `json:"charts"`
		}
		require.NoError(t, json.Unmarshal([]byte(html[i+len("var PAYSIM = "):i+end]), &data), "%s: the embedded data", l)
		assert.Equal(t, string(l), data.Lang)
		assert.Equal(t, strings.Count(html, `<div class="chart"`), len(data.Charts))
	}
}

// TestTrace: trace.csv is read back as the run wrote it, and charted.
func TestTrace(t *testing.T) {
	s := testSources(t)[3].Run
	require.Equal(t, []string{"sick-sicker.healthy", "sick-sicker.sick", "sick-sicker.sicker", "sick-sicker.dead"}, s.Trace.States)
	require.Len(t, s.Trace.Rows, 11, "the start of each of 10 cycles and the end of the last")
	last := s.Trace.Rows[10]
	sum := last.Background
	for _, x := range last.States {
		sum += x
	}
	assert.InDelta(t, 1, sum, 1e-9, "the living states, the dead state and background add up to 1")
	var ids chartID
	b := runBuilder{l: En, ids: &ids, s: s}
	b.trace()
	require.Len(t, b.charts, 1)
	dead := b.charts[0].Option["series"].([]any)[3].(obj)["data"].([]any)[10].([]any)
	assert.Equal(t, []any{last.Time, last.States[3]}, dead)
	_, err := DecodeTrace([]byte("cycle,time,alive,background\n0,0,x,0\n"))
	assert.EqualError(t, err, `line 2, alive: "x" is not a number`)
}

// TestReportFigures checks charts' data against the summary they come from.
func TestReportFigures(t *testing.T) {
	srcs := testSources(t)
	s := srcs[0].Run
	secs := build(En, srcs[:1])
	byKey := map[string]chart{}
	for _, c := range secs[0].Charts {
		byKey[c.Key] = c
	}
	series := func(key string, i int) obj { return byKey[key].Option["series"].([]any)[i].(obj) }

	fund := series("fund", 0)["data"].([]any)
	assert.InDelta(t, s.Yearly[0].Fund.Income/1e6, fund[0], 1e-9, "fund income, million")
	reserve := series("fund", 3)
	assert.Equal(t, *s.Yearly[1].Fund.ReserveMonths, reserve["data"].([]any)[1])
	lines := reserve["markLine"].(obj)["data"].([]obj)
	assert.Equal(t, 3.0, lines[0]["yAxis"])
	assert.Equal(t, 9.0, lines[1]["yAxis"])

	b := s.Yearly[2].Payment.Budget
	require.NotNil(t, b)
	community := series("settlement", 0)["data"].([]any)[2].(float64)
	fundPart := series("settlement", 1)["data"].([]any)[2].(float64)
	assert.InDelta(t, b.Surplus/1e6, community+fundPart, 1e-9, "the consortium's and the fund's parts add up to the surplus")

	p := series("payout_per_enrollee", 0)["data"].([]any)[0].(obj)
	lo, hi := s.Interval.Lo.Yearly[0].Fund.PayoutPerEnrollee, s.Interval.Hi.Yearly[0].Fund.PayoutPerEnrollee
	assert.InDelta(t, (hi-lo)/2, p["half"], 1e-9, "half-width of the 95% interval")

	visits := byKey["visits_tiers"].Option["series"].([]any)
	last := visits[len(visits)-1].(obj)
	assert.Equal(t, s.Yearly[0].Utilisation.PrimaryOutpatientShare, last["data"].([]any)[0])
	assert.Equal(t, primaryTarget, last["markLine"].(obj)["data"].([]obj)[0]["yAxis"])
}
