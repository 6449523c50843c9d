package sim

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/paysim/paysim/scenarios"
	"github.com/paysim/paysim/sim/scenario"
)

// FuzzCheck: any scenario the loader accepts compiles and binds its rules
// without a panic, and a small one runs a year without one.
func FuzzCheck(f *testing.F) {
	err := fs.WalkDir(scenarios.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		b, err := fs.ReadFile(scenarios.FS, path)
		if err == nil && !strings.Contains(string(b), "extends:") { // Parse reads one file
			f.Add(b)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.yaml", data, []string{"years=1"})
		if err != nil {
			return
		}
		if err := Check(s); err != nil {
			return
		}
		if s.Population.Size > 2000 {
			s.Population.Size = 2000
		}
		if _, err := Run(context.Background(), s, Options{Seed: 1, Workers: 2}); err != nil {
			t.Fatalf("run of an accepted scenario: %v", err)
		}
	})
}
