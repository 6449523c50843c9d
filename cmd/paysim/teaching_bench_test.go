package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

// asPaysim, set in the environment, makes the test binary run as the
// paysim command with the arguments after its own (TestMain), so that a
// benchmark can time whole processes, start-up included.
const asPaysim = "PAYSIM_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asPaysim) == "1" {
		os.Exit(run(context.Background(), append([]string{"paysim"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	// The tables and messages are in the locale's language: English in the
	// tests, whatever the machine's, unless a test says otherwise.
	os.Setenv("LC_ALL", "C.UTF-8")
	os.Exit(m.Run())
}

// teachingArgs are the teaching fast path of docs/teaching.md: a
// four-state annual model of 100,000 persons over 30 cycles, two
// strategies, compared in one process (teaching/lesson without its
// uncertain parameters).
var teachingArgs = []string{"compare", "teaching/lesson", "--persons", "100000", "--years", "30", "--replicates", "1", "--set", "uncertain=[]"}

// BenchmarkTeachingProcess times the teaching fast path as whole processes,
// start-up included, exactly (--mode cohort) and drawn (microsimulation),
// against the in-repo reference of a process that only starts (paysim
// version), run in turns so that both see the same machine. It reports the
// milliseconds of each and their ratio to the reference:
//
//	go test ./cmd/paysim -run '^$' -bench TeachingProcess
func BenchmarkTeachingProcess(b *testing.B) {
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	start := func(args ...string) time.Duration {
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), asPaysim+"=1")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		t := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("paysim %v: %v", args, err)
		}
		return time.Since(t)
	}
	for _, mode := range []struct{ name, mode string }{{"cohort", "cohort"}, {"microsimulation", "microsimulation"}} {
		b.Run(mode.name, func(b *testing.B) {
			args := append(append([]string(nil), teachingArgs...), "--mode", mode.mode)
			var model, reference time.Duration
			n := 0
			for b.Loop() {
				if n%2 == 0 { // each first in every other turn
					model += start(args...)
					reference += start("version")
				} else {
					reference += start("version")
					model += start(args...)
				}
				n++
			}
			b.ReportMetric(model.Seconds()*1000/float64(n), "ms/process")
			b.ReportMetric(reference.Seconds()*1000/float64(n), "ms/start-up")
			b.ReportMetric(model.Seconds()/reference.Seconds(), "×start-up")
		})
	}
}
