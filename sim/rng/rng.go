// Package rng gives every (seed, replicate, person, purpose) its own random
// stream, so that draws do not depend on the number of workers or on the order
// in which persons are visited.
package rng

import "math/rand/v2"

// Purposes of a stream. A person draws from one stream per cycle (Cycle + its
// index), from one for its stays and one for each response of that cycle,
// and from one when the person is made.
const (
	Cohort uint64 = 1 << 40 // drawing a person's starting attributes
	Cycle  uint64 = 2 << 40 // Cycle + k: what happens to a person in cycle k, but its stays and the responses
	Param  uint64 = 3 << 40 // Param + k: per-replicate parameter draws
	// Response + 8k + j: the draws of providers' response j to their
	// incentives in cycle k, apart from the Cycle stream and from each other
	// so that switching a response off leaves every other draw as it was.
	Response uint64 = 4 << 40
	// Leave + y: whether a person leaves the scheme at the end of year y;
	// Join + y: the k-th person to join it then, as person k. Apart from
	// every other stream, so that who leaves and who joins is the same in
	// every arm of a comparison.
	Leave uint64 = 5 << 40
	Join  uint64 = 6 << 40
	// Stay + k: the draws of a person's stays in cycle k (their group,
	// tier, length, charges, day), apart from the Cycle stream, so that
	// the person's stays and visits move none of each other's draws.
	Stay uint64 = 7 << 40
)

// Stream is a PCG generator reseeded in place; the zero value is ready to
// Reset. A Stream is not safe for concurrent use: each worker owns one.
type Stream struct {
	pcg rand.PCG
}

// Mix is the splitmix64 finalizer: a bijection that spreads nearby inputs
// over the whole 64-bit range.
func Mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Reset points s at the stream of (seed, rep, person, purpose).
func (s *Stream) Reset(seed uint64, rep int, person int, purpose uint64) {
	s.ResetKeyed(Key(seed, rep), person, Mix(purpose))
}

// Key is the part of a stream's seed that depends on (seed, replicate) only.
func Key(seed uint64, rep int) uint64 { return Mix(Mix(seed) ^ uint64(rep)) }

// ResetKeyed is Reset with the per-run and per-purpose parts computed once:
// key = Key(seed, rep) and mixedPurpose = Mix(purpose). Hot loops use it.
func (s *Stream) ResetKeyed(key uint64, person int, mixedPurpose uint64) {
	s.pcg.Seed(key, Mix(uint64(person)^mixedPurpose))
}

// Uint64 returns the next 64 random bits.
func (s *Stream) Uint64() uint64 { return s.pcg.Uint64() }

// Float64 returns a uniform draw in [0, 1).
func (s *Stream) Float64() float64 {
	return float64(s.pcg.Uint64()>>11) * 0x1p-53
}
