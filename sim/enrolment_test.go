package sim

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEnrolmentTurnover: from 2026 a share of the enrolled leave the scheme
// at each year's start and others join it. Persons are conserved (the
// engine checks it every year), each leaver is a Bernoulli draw at the
// documented rate, the joiners are the rate × those enrolled at the year's
// end exactly, the fund's income follows the enrollees, and the result is
// the same whatever the number of workers. Listing a change of 0 changes
// nothing.
func TestEnrolmentTurnover(t *testing.T) {
	const leave, join = 0.06, 0.02
	base := runResponses(t, "county-ffs.yaml")
	s := loadResponses(t, "county-ffs.yaml", "population.enrolment=[{year: 2026, leave: 0.06, join: 0.02}]")
	sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: 2})
	require.NoError(t, err)

	first := sum.Yearly[0]
	if first.Fund.Enrollees != base.Yearly[0].Fund.Enrollees {
		t.Errorf("2025's enrollees %v, want those of the run without turnover, %v", first.Fund.Enrollees, base.Yearly[0].Fund.Enrollees)
	}
	for i, y := range sum.Yearly[:2] {
		atEnd := y.Health.Alive - y.Health.Entrants - y.Health.Joined + y.Health.Left // living at the year's end
		n := float64(atEnd)
		if se := math.Sqrt(n * leave * (1 - leave)); math.Abs(float64(y.Health.Left)-leave*n) > 4*se {
			t.Errorf("%d: %d of %d left; want %.0f ± %.0f", y.Year, y.Health.Left, atEnd, leave*n, 4*se)
		}
		if want := int64(math.Round(join * n)); y.Health.Joined != want {
			t.Errorf("%d: %d joined; want round(%v × %d) = %d", y.Year, y.Health.Joined, join, atEnd, want)
		}
		// The enrolled at the start of the next year are its enrollees in
		// its first month; a year's person-years fall from there by deaths.
		next := sum.Yearly[i+1]
		if e := next.Fund.Enrollees; e > float64(y.Health.Alive) || e < 0.98*float64(y.Health.Alive) {
			t.Errorf("%d: %v person-years, want just under the %d enrolled at its start", next.Year, e, y.Health.Alive)
		}
	}
	last := sum.Yearly[len(sum.Yearly)-1]
	if last.Health.Left != 0 || last.Health.Joined != 0 {
		t.Errorf("the last year: %d left, %d joined; want none (nobody is enrolled after the run)", last.Health.Left, last.Health.Joined)
	}
	// 4% a year net out: 2027's enrollees are about 0.96² of the run's
	// without turnover, and so is its income (contributions per enrollee).
	ratio := sum.Yearly[2].Fund.Enrollees / base.Yearly[2].Fund.Enrollees
	if math.Abs(ratio-0.96*0.96) > 0.01 {
		t.Errorf("2027's enrollees are %.4f of the run's without turnover; want about %.4f", ratio, 0.96*0.96)
	}
	if inc := sum.Yearly[2].Fund.Income / base.Yearly[2].Fund.Income; math.Abs(inc-ratio) > 1e-9 {
		t.Errorf("2027's income is %.6f of the run's without turnover, its enrollees %.6f; want the same", inc, ratio)
	}
	if sum.Overall.Left != sum.Yearly[0].Health.Left+sum.Yearly[1].Health.Left {
		t.Errorf("overall left %d; want the years' sum", sum.Overall.Left)
	}

	if !bytes.Equal(summaryJSON(t, s, 1), summaryJSON(t, s, 3)) {
		t.Error("with turnover, the summary with 3 workers differs from 1 worker")
	}
	zero := loadResponses(t, "county-ffs.yaml", "population.enrolment=[{year: 2026, leave: 0, join: 0}]")
	if !bytes.Equal(summaryJSON(t, zero, 2), summaryJSON(t, loadResponses(t, "county-ffs.yaml"), 2)) {
		t.Error("a turnover of 0 changes the summary")
	}
}
