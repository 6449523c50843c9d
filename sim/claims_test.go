package sim

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paysim/paysim/sim/claims"
	"github.com/paysim/paysim/sim/payment"
)

func generate(t *testing.T, name string, workers int, sets ...string) []byte {
	t.Helper()
	s := loadResponses(t, name, append([]string{"population.size=5000", "years=2"}, sets...)...)
	var b bytes.Buffer
	w := claims.NewWriter(&b)
	require.NoError(t, GenerateClaims(context.Background(), s, Options{Seed: s.Seed, Workers: workers}, func(c *claims.Claim) error {
		return w.Write(c)
	}))
	require.NoError(t, w.Flush())
	return b.Bytes()
}

// The generated claims are the run's episodes: as many stays, visits and
// charges as the run's summary counts, every row valid, and the same file
// whatever the workers.
func TestGenerateClaims(t *testing.T) {
	file := generate(t, "county-ffs.yaml", 1)
	assert.Equal(t, file, generate(t, "county-ffs.yaml", 3), "the file depends on --workers")

	s := loadResponses(t, "county-ffs.yaml", "population.size=5000", "years=2")
	sum, err := Run(context.Background(), s, Options{Seed: s.Seed, Workers: 2})
	require.NoError(t, err)

	r, err := claims.NewReader(bytes.NewReader(file), "gen.csv")
	require.NoError(t, err)
	var c claims.Claim
	var n [2][payment.NService]int64
	var charges, fund, oop [2]float64
	for r.Next(&c) {
		y := c.Admitted.Year() - s.StartYear
		n[y][c.Service]++
		charges[y] += c.Charges
		fund[y] += c.FundPaid
		oop[y] += c.PatientPaid
		if c.Age > claims.MaxAge {
			t.Fatalf("age %d", c.Age)
		}
	}
	require.NoError(t, r.Err())
	assert.Empty(t, r.Errors())
	for y, sy := range sum.Yearly {
		u := sy.Utilisation
		assert.Equal(t, u.Admissions, n[y][payment.Inpatient], "year %d admissions", y)
		assert.Equal(t, u.LongStays, n[y][payment.LongStay], "year %d long stays", y)
		assert.Equal(t, u.Visits, n[y][payment.Outpatient], "year %d visits", y)
		// Amounts are written to the cent.
		cents := float64(n[y][0]+n[y][1]+n[y][2]) * 0.005
		assert.InDelta(t, sy.Cost.Charges, charges[y], cents, "year %d charges", y)
		assert.InDelta(t, sy.Cost.OOP, oop[y], cents, "year %d OOP", y)
		assert.InDelta(t, sy.Cost.FundPaid, fund[y], cents, "year %d fund paid", y)
	}
}
