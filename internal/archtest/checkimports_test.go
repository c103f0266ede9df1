package archtest

import (
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The rule: checks do not import the conform engine. A check is written
// with the kit and the model (internal/conform/kit, internal/conform/model)
// and is planned and run by the engine, never the other way round, so no
// package under internal/conform/checks, nor the kit or the model they
// are built on, depends on internal/conform/engine (directly or through
// another package), not counting tests.

const engine = module + "/internal/conform/engine"

// mustNotReachEngine reports whether the rule covers the package.
func mustNotReachEngine(path string) bool {
	for _, p := range []string{"/internal/conform/checks", "/internal/conform/kit", "/internal/conform/model"} {
		if path == module+p || strings.HasPrefix(path, module+p+"/") {
			return true
		}
	}
	return false
}

// engineImports returns a violation when a package the rule covers
// depends on the engine (deps: its imports, direct and indirect).
func engineImports(path string, deps []string) []string {
	if !mustNotReachEngine(path) || !slices.Contains(deps, engine) {
		return nil
	}
	return []string{fmt.Sprintf("%s depends on %s", path, engine)}
}

// TestChecksDoNotImportTheEngine holds the checks-import rule over the
// module.
func TestChecksDoNotImportTheEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; not in -short runs")
	}
	mine, _ := goList(t)
	covered := 0
	for _, p := range mine {
		if !mustNotReachEngine(p.ImportPath) {
			continue
		}
		covered++
		for _, v := range engineImports(p.ImportPath, p.Deps) {
			t.Errorf("%s: checks are written with the kit and the model and never import the engine", v)
		}
	}
	if covered < 5 {
		t.Fatalf("the rule covered %d packages: want checks, checks/rest, checks/graphql, kit and model", covered)
	}
}

// TestTheChecksImportRuleCatches: testdata/violator/checkimports.go,
// checked as a package under internal/conform/checks, breaks the rule;
// the same imports in the engine itself do not.
func TestTheChecksImportRuleCatches(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("testdata", "violator", "checkimports.go"), nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var imports []string
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		imports = append(imports, p)
	}
	if got := engineImports(module+"/internal/conform/checks/violator", imports); len(got) != 1 {
		t.Errorf("a check importing the engine: %v, want one violation", got)
	}
	if got := engineImports(module+"/internal/conform/report", imports); got != nil {
		t.Errorf("the reports may read the engine's results: %v", got)
	}
}
