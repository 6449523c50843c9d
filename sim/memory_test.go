package sim

import (
	"context"
	"math"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/paysim/paysim/sim/engine"
	"github.com/paysim/paysim/sim/payment"
	"github.com/paysim/paysim/sim/scenario"
	"github.com/paysim/paysim/sim/tally"
	"github.com/stretchr/testify/require"
)

// TestCheckSize: workers and replicates within their limits, and a
// population refused, with what it needs, when the memory is not there.
func TestCheckSize(t *testing.T) {
	s := loadDefault(t, "population.size=1000000")
	need, bpp, persons := Memory(s)
	// 1,000,000 persons grown by the default entrants over 4 years (their
	// room reserved up front), a settlement for each chunk of 4,096 of
	// them, plus 64 MiB of tables.
	chunks := math.Ceil(persons / 4096)
	if want := int64(persons*float64(bpp)+chunks*float64(settlementBytes(s))) + 64<<20; bpp < 20 || persons < 1e6 || need != want {
		t.Errorf("Memory = %d bytes, %d per person, %.0f persons; want %d", need, bpp, persons, want)
	}
	cases := []struct {
		workers, replicates, parallel int
		available                     int64
		want                          string
	}{
		{2, 1, 1, 0, ""},
		{0, 1, 1, 0, "--workers 0"},
		{MaxWorkers + 1, 1, 1, 0, "--workers 1025"},
		{2, 0, 1, 0, "--replicates 0"},
		{2, MaxReplicates + 1, 1, 0, "--replicates 100001"},
		{2, 1, 0, 0, "--parallel 0"},
		{2, 1, MaxWorkers + 1, 0, "--parallel 1025"},
		{2, 1, 1, need, ""},
		{2, 1, 1, need - 1, "bytes per person"},
		// Runs at once each hold their population.
		{1, 4, 2, 2 * need, ""},
		{1, 4, 2, 2*need - 1, "2 runs at once"},
		{1, 4, 3, 2*need + need/2, "want --parallel 2 or less"},
	}
	for _, c := range cases {
		err := CheckSize(s, c.workers, c.replicates, c.parallel, c.available)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckSize(%d, %d, %d, %d) = %v, want nil", c.workers, c.replicates, c.parallel, c.available, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckSize(%d, %d, %d, %d) = %v, want %q", c.workers, c.replicates, c.parallel, c.available, err, c.want)
		}
	}
}

// TestFit: as many runs at once as the memory holds, at least one, at most
// those asked for.
func TestFit(t *testing.T) {
	s := loadDefault(t, "population.size=1000000")
	need, _, _ := Memory(s)
	for _, c := range []struct {
		parallel  int
		available int64
		want      int
	}{
		{4, 0, 4},          // unknown memory: as asked
		{4, 10 * need, 4},  // room for all
		{4, 3*need - 1, 2}, // room for two
		{4, need / 2, 1},   // not even one: one, for CheckSize to refuse
		{0, 10 * need, 1},  // at least one
		{2, 2 * need, 2},   // exactly two
	} {
		if got := Fit(s, c.parallel, c.available); got != c.want {
			t.Errorf("Fit(%d, %.2f × need) = %d, want %d", c.parallel, float64(c.available)/float64(need), got, c.want)
		}
	}
}

// TestSettlementBytes: 1,000 providers, 2 bindings, 1 township, 10 groups
// and 4 tiers make (5 + 4 × 2) × 1,000 + 2 × 1 + 2 × 2 × 10 × 4 + 32
// (padding) = 13,194 floats, and three RuleTally headers (the bindings and a
// spare).
func TestSettlementBytes(t *testing.T) {
	s := &scenario.Scenario{Providers: make([]scenario.Provider, 1000), Payment: make([]scenario.Binding, 2),
		Groups: make([]scenario.Group, 10), Tiers: make([]scenario.Tier, 4)}
	want := int64(8*13194) + 3*int64(unsafe.Sizeof(payment.RuleTally{}))
	if got := settlementBytes(s); got != want {
		t.Errorf("settlementBytes = %d, want %d", got, want)
	}
	// What NewSettlement and ByGroup allocate, measured (the least of five
	// tries, as the runtime may allocate beside them): within 5% of the
	// estimate, the allocator rounding sizes up.
	got := math.Inf(1)
	for range 5 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		set := payment.NewSettlement(1000, 1, 2)
		set.ByGroup(10, 4)
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(set)
		got = min(got, float64(after.TotalAlloc-before.TotalAlloc))
	}
	if math.Abs(got-float64(want)) > 0.05*got {
		t.Errorf("a settlement of 1,000 providers allocates %.0f bytes; the estimate is %d", got, want)
	}
	// The library's largest settlement is small beside its persons' state.
	def := loadDefault(t)
	if b := settlementBytes(def); b > 64<<10 {
		t.Errorf("the default county's settlement takes %d bytes; want under 64 KiB", b)
	}
}

// TestPopulationReserved: the population's arrays hold room for every
// person the run adds, entrants and joiners, so that adding them never
// moves the arrays.
func TestPopulationReserved(t *testing.T) {
	s := loadResponses(t, "county-ffs.yaml", "population.enrolment=[{year: 2026, leave: 0.02, join: 0.3}]")
	w, err := Compile(s)
	require.NoError(t, err)
	e, err := engine.New(context.Background(), w.Model, w.Plan, w.Rules, engine.Options{Seed: s.Seed, Workers: 2, Payer: w.Payer})
	require.NoError(t, err)
	p := e.Population()
	age, state := unsafe.SliceData(p.Age), unsafe.SliceData(p.State)
	require.NoError(t, e.Run(context.Background(), func(*tally.Year) error { return nil }))
	if p.Len() <= p.Start {
		t.Fatalf("%d persons after the run, %d at the start; want entrants and joiners added", p.Len(), p.Start)
	}
	if unsafe.SliceData(p.Age) != age || unsafe.SliceData(p.State) != state {
		t.Errorf("adding %d persons to %d moved the population's arrays", p.Len()-p.Start, p.Start)
	}
}
