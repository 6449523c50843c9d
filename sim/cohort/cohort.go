// Package cohort builds the synthetic insured population: compact
// per-person state held as a struct of arrays.
package cohort

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/paysim/paysim/sim/model"
	"github.com/paysim/paysim/sim/rng"
)

// SinceZero is the Since of a state entered at cycle 0: time in a state is
// counted from an offset, so that states entered before the run (up to
// SinceZero cycles before) fit, and a person who stays writes nothing.
const SinceZero = 1 << 15

// NoStay is the LastDay of a person with no admission yet.
const NoStay = math.MinInt32

// Person flags.
const (
	Alive uint8 = 1 << iota
	Male
)

// Population is the per-person state of a run, one entry per person ever
// insured (persons who die keep their slot; entrants are appended). Person i
// is entry i of every slice; condition c of person i is entry i*NCond+c.
type Population struct {
	NCond   int
	Start   int       // persons at the start of the run
	Age     []uint8   // [years], capped at model.MaxAge
	Band    []uint8   // age band index
	Flags   []uint8   // Alive, Male
	Town    []uint8   // township index
	Managed []uint8   // bit c: enrolled in the management of condition c
	InUsed  []float32 // fund-covered inpatient and long-stay amount this year [yuan]
	OutUsed []float32 // fund-covered outpatient amount this year [yuan]
	// The person's last admission, for readmission rules: the day of its
	// discharge (days since the start of the run; NoStay before any), its
	// group and provider, and the provider's revenue for it.
	LastDay   []int32
	LastGroup []uint16
	LastProv  []uint16
	LastRev   []float32
	State     []uint8  // state of each condition
	Since     []uint16 // SinceZero + the cycle from which the person is in the current state
	Frail     []uint8  // frailty bucket of each condition
}

// New draws the starting population of m for (seed, replicate) on the given
// number of goroutines. Person i's attributes come from its own stream, so
// they depend on nothing else.
func New(ctx context.Context, m *model.Model, seed uint64, rep, workers int) (*Population, error) {
	n := m.S.Population.Size
	p := &Population{NCond: len(m.Cond), Start: n}
	// Room for every person the run will hold (its entrants and joiners
	// too, with a person a year for rounding), so that adding them never
	// moves the arrays.
	p.reserve(max(n, int(math.Ceil(m.S.PersonsEver()))+m.S.Years))
	p.grow(n)
	const block = 1 << 14
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st rng.Stream
			for {
				lo := int(next.Add(block)) - block
				if lo >= n || ctx.Err() != nil { // a block at a time: an interrupt stops a large population's drawing
					return
				}
				for i := lo; i < min(lo+block, n); i++ {
					st.Reset(seed, rep, i, rng.Cohort)
					p.draw(m, &st, i, -1, 0)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// Len is the number of persons ever in the population.
func (p *Population) Len() int { return len(p.Flags) }

// AddEntrants appends n persons aged m's entrant age, who live from the given
// cycle on, and returns the index of the first.
func (p *Population) AddEntrants(m *model.Model, seed uint64, rep, n, cycle int) int {
	first := p.Len()
	p.grow(n)
	var st rng.Stream
	for i := first; i < first+n; i++ {
		st.Reset(seed, rep, i, rng.Cohort)
		p.draw(m, &st, i, m.EntrantAge, cycle)
	}
	return first
}

// AddJoiners appends n persons drawn as the starting population was, who
// join at the end of year (0-based) and live from the given cycle on, and
// returns the index of the first. The k-th joiner of a year draws from its
// own stream, whatever the entrants before it.
func (p *Population) AddJoiners(m *model.Model, seed uint64, rep, n, year, cycle int) int {
	first := p.Len()
	p.grow(n)
	var st rng.Stream
	for k := range n {
		st.Reset(seed, rep, k, rng.Join+uint64(year))
		p.draw(m, &st, first+k, -1, cycle)
	}
	return first
}

// BytesPerPerson is the size of one person's state.
func (p *Population) BytesPerPerson() int {
	per := unsafe.Sizeof(p.Age[0]) + unsafe.Sizeof(p.Band[0]) + unsafe.Sizeof(p.Flags[0]) +
		unsafe.Sizeof(p.Town[0]) + unsafe.Sizeof(p.Managed[0]) + unsafe.Sizeof(p.InUsed[0]) +
		unsafe.Sizeof(p.OutUsed[0]) + unsafe.Sizeof(p.LastDay[0]) + unsafe.Sizeof(p.LastGroup[0]) +
		unsafe.Sizeof(p.LastProv[0]) + unsafe.Sizeof(p.LastRev[0])
	per += uintptr(p.NCond) * (unsafe.Sizeof(p.State[0]) + unsafe.Sizeof(p.Since[0]) + unsafe.Sizeof(p.Frail[0]))
	return int(per)
}

// reserve gives every per-person slice of an empty p room for n persons.
func (p *Population) reserve(n int) {
	p.Age, p.Band, p.Flags, p.Town, p.Managed = make([]uint8, 0, n), make([]uint8, 0, n), make([]uint8, 0, n), make([]uint8, 0, n), make([]uint8, 0, n)
	p.InUsed, p.OutUsed = make([]float32, 0, n), make([]float32, 0, n)
	p.LastDay, p.LastGroup, p.LastProv, p.LastRev = make([]int32, 0, n), make([]uint16, 0, n), make([]uint16, 0, n), make([]float32, 0, n)
	p.State, p.Since, p.Frail = make([]uint8, 0, n*p.NCond), make([]uint16, 0, n*p.NCond), make([]uint8, 0, n*p.NCond)
}

func (p *Population) grow(n int) {
	p.Age = append(p.Age, make([]uint8, n)...)
	p.Band = append(p.Band, make([]uint8, n)...)
	p.Flags = append(p.Flags, make([]uint8, n)...)
	p.Town = append(p.Town, make([]uint8, n)...)
	p.Managed = append(p.Managed, make([]uint8, n)...)
	p.InUsed = append(p.InUsed, make([]float32, n)...)
	p.OutUsed = append(p.OutUsed, make([]float32, n)...)
	first := len(p.LastDay)
	p.LastDay = append(p.LastDay, make([]int32, n)...)
	for i := first; i < len(p.LastDay); i++ {
		p.LastDay[i] = NoStay
	}
	p.LastGroup = append(p.LastGroup, make([]uint16, n)...)
	p.LastProv = append(p.LastProv, make([]uint16, n)...)
	p.LastRev = append(p.LastRev, make([]float32, n)...)
	p.State = append(p.State, make([]uint8, n*p.NCond)...)
	p.Since = append(p.Since, make([]uint16, n*p.NCond)...)
	p.Frail = append(p.Frail, make([]uint8, n*p.NCond)...)
}

// draw fills person i, who lives from cycle on, from st; age < 0 draws the
// age from the band weights.
func (p *Population) draw(m *model.Model, st *rng.Stream, i, age, cycle int) {
	if age < 0 {
		b := pick(m.BandCum, st.Float64())
		age = m.BandFrom[b] + pick(m.AgeCum[b], st.Float64())
	}
	band := int(m.BandOf[age])
	p.Age[i] = uint8(age)
	p.Band[i] = uint8(band)
	f := Alive
	if st.Float64() < m.MaleShare {
		f |= Male
	}
	p.Flags[i] = f
	p.Town[i] = uint8(pick(m.TownCum, st.Float64()))
	p.Managed[i] = 0
	for c := range m.Cond {
		cd := &m.Cond[c]
		k := i*p.NCond + c
		s := pick(cd.Init[band*cd.NState:(band+1)*cd.NState], st.Float64())
		p.State[k] = uint8(s)
		p.Since[k] = uint16(SinceZero + cycle - int(min(st.Float64()*cd.InitCycles, SinceZero)))
		p.Frail[k] = uint8(st.Float64() * float64(len(cd.Frail)))
		if cd.State[s].Diagnosed && st.Float64() < cd.InitManaged {
			p.Managed[i] |= 1 << c
		}
	}
}

// pick returns the first index whose cumulative probability exceeds u.
func pick(cum []float64, u float64) int {
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}
