package calibrate

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/payment"
)

// moments are the count, sum and sum of squares of a figure over claims.
type moments struct {
	N         int
	Sum, Sum2 float64
}

func (m *moments) add(x float64) { m.N++; m.Sum += x; m.Sum2 += x * x }

func (m moments) mean() float64 {
	if m.N == 0 {
		return 0
	}
	return m.Sum / float64(m.N)
}

// se is the standard error of the mean.
func (m moments) se() float64 {
	if m.N < 2 {
		return 0
	}
	mu := m.mean()
	v := (m.Sum2 - float64(m.N)*mu*mu) / float64(m.N-1)
	return math.Sqrt(math.Max(v, 0) / float64(m.N))
}

// A cell is a group at a tier.
type cell struct{ Group, Tier string }

// A Tally sums the claims of a file, or of a simulated run, by what a
// calibration needs.
type Tally struct {
	Claims        int
	First, Last   int       // calendar years of the first and last admission
	Visits, Stays []float64 // by band of the table
	LongStays     int
	TierVisits    map[string]*moments // visit charges by tier
	TierStays     map[string]int
	GroupStays    map[string]int
	cells         map[cell]*[2]moments // charges, LOS of the stays of a group at a tier
	LOS, Charges  moments              // of the inpatient stays
	Fund          moments              // fund paid, every claim
	table         *Table
	firstSet      bool
}

// NewTally returns an empty tally whose ages fall in the bands of t.
func NewTally(t *Table) *Tally {
	return &Tally{Visits: make([]float64, len(t.Bands)), Stays: make([]float64, len(t.Bands)),
		TierVisits: map[string]*moments{}, TierStays: map[string]int{}, GroupStays: map[string]int{}, cells: map[cell]*[2]moments{}, table: t}
}

// Add counts one claim.
func (t *Tally) Add(c *claims.Claim) {
	t.Claims++
	y := c.Admitted.Year()
	if !t.firstSet || y < t.First {
		t.First = y
	}
	if !t.firstSet || y > t.Last {
		t.Last = y
	}
	t.firstSet = true
	t.Fund.add(c.FundPaid)
	b := t.table.Band(c.Age)
	switch c.Service {
	case payment.Outpatient:
		t.Visits[b]++
		m := t.TierVisits[c.Tier]
		if m == nil {
			m = new(moments)
			t.TierVisits[c.Tier] = m
		}
		m.add(c.Charges)
	case payment.Inpatient:
		t.Stays[b]++
		t.TierStays[c.Tier]++
		t.GroupStays[c.Group]++
		t.LOS.add(float64(c.LOS))
		t.Charges.add(c.Charges)
		k := cell{c.Group, c.Tier}
		m := t.cells[k]
		if m == nil {
			m = new([2]moments)
			t.cells[k] = m
		}
		m[0].add(c.Charges)
		m[1].add(float64(c.LOS))
	case payment.LongStay:
		t.LongStays++
	}
}

// Years is the number of calendar years the claims span.
func (t *Tally) Years() int {
	if !t.firstSet {
		return 0
	}
	return t.Last - t.First + 1
}

func total(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

func (t *Tally) visits() float64 { return total(t.Visits) }
func (t *Tally) stays() float64  { return total(t.Stays) }

// spread is the coefficient of variation of charges (i = 0) or LOS (i = 1)
// of the stays around the mean of their group at their tier, pooled over
// the cells: √(Σ_cells Σ (x ÷ mean_cell − 1)² ÷ Σ_cells (n − 1)). It
// measures what variation.charges and variation.los draw, apart from
// where a stay is treated. n is the stays of cells with two or more.
func (t *Tally) spread(i int) (cv float64, n int) {
	var ss, dof float64
	keys := slices.SortedFunc(maps.Keys(t.cells), func(a, b cell) int { // summed in one order: the same bits every time
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Tier, b.Tier))
	})
	for _, k := range keys {
		c := t.cells[k][i]
		mu := c.mean()
		if c.N < 2 || mu <= 0 {
			continue
		}
		ss += math.Max(0, c.Sum2/(mu*mu)-float64(c.N))
		dof += float64(c.N - 1)
		n += c.N
	}
	if dof == 0 {
		return 0, 0
	}
	return math.Sqrt(ss / dof), n
}
