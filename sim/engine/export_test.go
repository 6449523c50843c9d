package engine

// StepFirstChunk steps the first chunk of s through cycle on the first
// worker, for the tests of package engine_test, which can build real
// payment rules (package sim imports engine).
func (s *Sim) StepFirstChunk(cycle int) { s.stepChunk(s.workers[0], s.chunks[0], cycle) }
