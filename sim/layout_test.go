package sim

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/paysim/paysim/"

// imports returns the module's packages that pkg (a path below the module)
// imports, directly or not, from its non-test files.
func imports(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	var visit func(p string)
	visit = func(p string) {
		files, err := filepath.Glob(filepath.Join("..", p, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("package %s: no Go files (%v)", p, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range af.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				if dep, ok := strings.CutPrefix(path, module); ok && !seen[dep] {
					seen[dep] = true
					visit(dep)
				}
			}
		}
	}
	visit(pkg)
	return seen
}

// TestLayout: the engine, the reports and the responses know the payment
// interfaces only, never a concrete rule or the budget; the interfaces
// import nothing of the module; rules do not import the run, and the model
// imports no rule.
func TestLayout(t *testing.T) {
	if deps := imports(t, "sim/payment"); len(deps) > 0 {
		t.Errorf("sim/payment imports %v; want the interfaces to stand on their own", deps)
	}
	for _, pkg := range []string{"sim/engine", "sim/report", "sim/respond", "sim/model", "sim/tally"} {
		for dep := range imports(t, pkg) {
			if strings.HasPrefix(dep, "sim/payment/") {
				t.Errorf("%s imports %s; want the payment interfaces only (sim/payment)", pkg, dep)
			}
		}
	}
	dirs, err := filepath.Glob(filepath.Join("..", "sim", "payment", "*", "*.go"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no method folders under sim/payment (%v)", err)
	}
	folders := map[string]bool{}
	for _, f := range dirs {
		rel, _ := filepath.Rel("..", filepath.Dir(f))
		folders[filepath.ToSlash(rel)] = true
	}
	for pkg := range folders {
		deps := imports(t, pkg)
		for _, forbidden := range []string{"sim/engine", "sim/respond", "sim/report", "sim"} {
			if deps[forbidden] {
				t.Errorf("%s imports %s; a rule is built from the model and knows no run", pkg, forbidden)
			}
		}
	}
}
