package archtest

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// The rule: the Go code knows no API by name. No non-test file of the
// code the module ships (its commands and importable packages and every
// package they import, outside specs/, the bundled specs' own package)
// writes a bundled API's name as a string constant: each API is data
// under specs/<api>/ (its manifest, contracts and the conformance
// target, conform.yaml). A constant is caught where it is written (a
// literal, or a constant expression such as "clients-" + "v2"); strings
// that only contain a name (a struct tag, "admin.allClients", a path)
// are left alone. Test equipment that exists to drive the bundled APIs
// (internal/defects, bench/, the generated clients) is not shipped code.

// bundledNames are the bundled APIs' names, from their manifests.
func bundledNames(t *testing.T) []string {
	t.Helper()
	apis, err := manifest.LoadAll(specs.FS)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range apis {
		out = append(out, a.Name)
	}
	if len(out) == 0 {
		t.Fatal("no bundled API")
	}
	return out
}

// shipped lists the module's packages that its commands and importable
// packages are built from: the roots (commands under cmd/, packages
// outside internal/, bench/, contract/) and what they import, not
// counting tests.
func shipped(mine []listed) []listed {
	byPath := map[string]listed{}
	for _, p := range mine {
		byPath[p.ImportPath] = p
	}
	rel := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }
	var queue []string
	for _, p := range mine {
		r := rel(p.ImportPath)
		if strings.HasPrefix(r, "cmd/") || !strings.Contains("/"+r+"/", "/internal/") && !strings.HasPrefix(r, "bench/") && !strings.HasPrefix(r, "contract/") {
			queue = append(queue, p.ImportPath)
		}
	}
	seen := map[string]bool{}
	var out []listed
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		p, ok := byPath[path]
		if !ok || seen[path] {
			continue
		}
		seen[path] = true
		out = append(out, p)
		queue = append(queue, p.Imports...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ImportPath < out[j].ImportPath })
	return out
}

// apiNames returns, for the Go files of one package, every string
// constant written there whose value is a bundled API's name, as
// "file:line: what".
func (c *checker) apiNames(path string, files []string, names []string) ([]string, error) {
	var parsed []*ast.File
	for _, name := range files {
		f, err := parser.ParseFile(c.fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: c.imp}
	if _, err := conf.Check(path, c.fset, parsed, info); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.BasicLit, *ast.BinaryExpr:
			default:
				return true
			}
			e := n.(ast.Expr)
			tv, ok := info.Types[e]
			if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
				return true
			}
			if v := constant.StringVal(tv.Value); slices.Contains(names, v) {
				out = append(out, fmt.Sprintf("%s: names the bundled API %s", c.fset.Position(n.Pos()), strconv.Quote(v)))
				return false
			}
			return true
		})
	}
	return out, nil
}

// TestNoCodeNamesABundledAPI holds the API-name rule over the shipped
// code.
func TestNoCodeNamesABundledAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the shipped code from source; not in -short runs")
	}
	names := bundledNames(t)
	mine, exports := goList(t)
	c := newChecker(exports)
	checked := 0
	var all []string
	for _, p := range shipped(mine) {
		if p.ImportPath == module+"/specs" || len(p.GoFiles) == 0 {
			continue
		}
		files := make([]string, len(p.GoFiles))
		for i, f := range p.GoFiles {
			files[i] = filepath.Join(p.Dir, f)
		}
		v, err := c.apiNames(p.ImportPath, files, names)
		if err != nil {
			t.Fatalf("%s: %v", p.ImportPath, err)
		}
		all = append(all, v...)
		checked++
	}
	if checked < 30 {
		t.Fatalf("checked only %d packages: go list found too little", checked)
	}
	for _, v := range all {
		t.Errorf("%s: the Go code knows no API by name; put it in the API's files under specs/", v)
	}
}

// TestTheAPINameRuleCatches runs the API-name rule over
// testdata/violator/apinames.go.
func TestTheAPINameRuleCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("needs go list -export; not in -short runs")
	}
	_, exports := goList(t)
	c := newChecker(exports)
	got, err := c.apiNames("example.com/violator", []string{filepath.Join("testdata", "violator", "apinames.go")}, bundledNames(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`"admin"`, `"marketplace"`, `"clients-v2"`, `"clients-v0"`}
	if len(got) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasSuffix(got[i], "names the bundled API "+w) {
			t.Errorf("violation %d = %q, want one naming %s", i, got[i], w)
		}
	}
}
