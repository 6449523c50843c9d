package rng

import "testing"

// TestStreamPinned pins the first draws of a few streams: a change here changes
// every output of every scenario, so it must be deliberate.
func TestStreamPinned(t *testing.T) {
	var s Stream
	cases := []struct {
		seed         uint64
		rep, person  int
		purpose      uint64
		want0, want1 uint64
	}{
		{1, 0, 0, Cohort, 0x601ba6cd22d5891c, 0x52d147f39b89348},
		{1, 0, 1, Cohort, 0x2620b1820538af19, 0xcfcef6dbd7b49541},
		{1, 1, 0, Cycle + 3, 0x2d997419b715fb6c, 0x36587461814e3eb3},
		{42, 2, 123456, Cycle, 0x247d3ed3306612b2, 0x7d44c85fa9d8b923},
	}
	for _, c := range cases {
		s.Reset(c.seed, c.rep, c.person, c.purpose)
		got0, got1 := s.Uint64(), s.Uint64()
		if got0 != c.want0 || got1 != c.want1 {
			t.Errorf("stream(%d,%d,%d,%#x) = %#x %#x, want %#x %#x", c.seed, c.rep, c.person, c.purpose, got0, got1, c.want0, c.want1)
		}
	}
}

// TestStreamsDiffer checks that neighbouring streams do not start alike.
func TestStreamsDiffer(t *testing.T) {
	var s Stream
	seen := map[uint64]bool{}
	for rep := 0; rep < 4; rep++ {
		for person := 0; person < 1000; person++ {
			for _, p := range []uint64{Cohort, Cycle, Cycle + 1} {
				s.Reset(7, rep, person, p)
				x := s.Uint64()
				if seen[x] {
					t.Fatalf("stream (rep %d, person %d, purpose %#x) repeats a first draw", rep, person, p)
				}
				seen[x] = true
			}
		}
	}
}

func TestFloat64Range(t *testing.T) {
	var s Stream
	s.Reset(3, 0, 0, Cycle)
	sum := 0.0
	const n = 100000
	for i := 0; i < n; i++ {
		u := s.Float64()
		if u < 0 || u >= 1 {
			t.Fatalf("Float64() = %v, want [0,1)", u)
		}
		sum += u
	}
	if m := sum / n; m < 0.49 || m > 0.51 {
		t.Errorf("mean of %d draws = %v, want about 0.5", n, m)
	}
}
