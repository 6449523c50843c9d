//go:build !ablate

package engine

// The parts of a person's cycle an ablation leaves out, to measure what the
// rest costs (ablate_on.go). In a build without the ablate tag they are
// false constants, and the compiler removes every test of them.
const (
	ablateConditions = false
	ablateVisits     = false
	ablateAll        = false
)
