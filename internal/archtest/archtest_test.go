package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/standin/standin"

// recordLayer lists the packages that may select, order and page records:
// the record layer, the store, and the fixtures loader (it builds the data
// set, reading back what it generated).
var recordLayer = []string{
	module + "/internal/records",
	module + "/internal/store",
	module + "/internal/fixtures",
}

// selecting are the store's methods that select or page records, and
// receivers the store's types that have them.
var (
	selecting = []string{"Slice", "Range", "Scan", "Find"}
	receivers = []string{"Store", "Tx"}
)

// listed is one package of `go list -json`.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
	Export     string
	Module     *struct{ Main bool }
}

// goList lists the module's packages and their dependencies, with the
// compiled export data of each, as go/packages would.
func goList(t *testing.T) (mine []listed, exports map[string]string) {
	t.Helper()
	cmd := exec.Command("go", "list", "-export", "-deps", "-json=ImportPath,Dir,GoFiles,Imports,Deps,Export,Module", "./...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	exports = map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		exports[p.ImportPath] = p.Export
		if p.Module != nil && p.Module.Main {
			mine = append(mine, p)
		}
	}
	return mine, exports
}

// checker type-checks packages from source against the export data of
// their imports.
type checker struct {
	fset    *token.FileSet
	exports map[string]string
	imp     types.Importer
}

func newChecker(exports map[string]string) *checker {
	c := &checker{fset: token.NewFileSet(), exports: exports}
	c.imp = importer.ForCompiler(c.fset, "gc", func(path string) (io.ReadCloser, error) {
		f := exports[path]
		if f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	return c
}

// violations returns, for the Go files of one package, every place that
// selects, pages or sorts records, as "file:line: what".
func (c *checker) violations(path string, files []string) ([]string, error) {
	var parsed []*ast.File
	for _, name := range files {
		f, err := parser.ParseFile(c.fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: c.imp}
	if _, err := conf.Check(path, c.fset, parsed, info); err != nil {
		return nil, err
	}
	storePkg := module + "/internal/store"
	isStore := func(t types.Type, names ...string) bool {
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := t.(*types.Named)
		return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == storePkg && slices.Contains(names, n.Obj().Name())
	}
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s: %s", c.fset.Position(n.Pos()), fmt.Sprintf(format, args...)))
	}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal {
					if isStore(sel.Recv(), receivers...) && slices.Contains(selecting, n.Sel.Name) {
						report(n, "calls (%s).%s", types.TypeString(sel.Recv(), nil), n.Sel.Name)
					}
					return true
				}
				if fn, ok := info.Uses[n.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == storePkg &&
					(fn.Name() == "SliceItems" || fn.Name() == "SlicePositions") {
					report(n, "calls store.%s", fn.Name())
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || len(n.Args) == 0 {
					return true
				}
				fn, ok := info.Uses[sel.Sel].(*types.Func)
				if !ok || fn.Pkg() == nil {
					return true
				}
				sorts := fn.Pkg().Path() == "sort" && slices.Contains([]string{"Slice", "SliceStable"}, fn.Name()) ||
					fn.Pkg().Path() == "slices" && strings.HasPrefix(fn.Name(), "Sort")
				if !sorts {
					return true
				}
				if s, ok := info.Types[n.Args[0]].Type.Underlying().(*types.Slice); ok && isStore(s.Elem(), "Item") {
					report(n, "sorts store items with %s.%s", fn.Pkg().Name(), fn.Name())
				}
			}
			return true
		})
	}
	return out, nil
}

// TestOnlyTheRecordLayerSelects holds the rule of the package doc over
// every non-test file of the module.
func TestOnlyTheRecordLayerSelects(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the whole module from source; not in -short runs")
	}
	for _, v := range holdRule(t, recordLayer, (*checker).violations) {
		t.Errorf("%s: only the record layer (internal/records) selects, orders or pages records", v)
	}
}

// holdRule runs rule over the non-test files of every package of the
// module but the exempt ones (and their subpackages), and returns what it
// found, sorted.
func holdRule(t *testing.T, exempt []string, rule func(c *checker, path string, files []string) ([]string, error)) []string {
	t.Helper()
	mine, exports := goList(t)
	c := newChecker(exports)
	checked := 0
	var all []string
	for _, p := range mine {
		if slices.ContainsFunc(exempt, func(l string) bool { return p.ImportPath == l || strings.HasPrefix(p.ImportPath, l+"/") }) {
			continue
		}
		files := make([]string, len(p.GoFiles))
		for i, f := range p.GoFiles {
			files[i] = filepath.Join(p.Dir, f)
		}
		v, err := rule(c, p.ImportPath, files)
		if err != nil {
			t.Fatalf("%s: %v", p.ImportPath, err)
		}
		all = append(all, v...)
		checked++
	}
	if checked < 20 {
		t.Fatalf("checked only %d packages: go list found too little", checked)
	}
	sort.Strings(all)
	return all
}

// TestTheRuleCatches runs the rule over testdata/violator, which breaks
// each part of it once: the test above can fail.
func TestTheRuleCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("needs go list -export; not in -short runs")
	}
	_, exports := goList(t)
	c := newChecker(exports)
	got, err := c.violations("example.com/violator", []string{filepath.Join("testdata", "violator", "violator.go")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"calls (*github.com/standin/standin/internal/store.Store).Slice",
		"calls (*github.com/standin/standin/internal/store.Store).Range",
		"calls (*github.com/standin/standin/internal/store.Store).Scan",
		"calls (*github.com/standin/standin/internal/store.Store).Find",
		"calls (*github.com/standin/standin/internal/store.Store).Scan",
		"calls store.SliceItems",
		"calls store.SlicePositions",
		"sorts store items with sort.Slice",
		"sorts store items with slices.SortFunc",
		"calls (*github.com/standin/standin/internal/store.Tx).Find",
		"calls (*github.com/standin/standin/internal/store.Tx).Scan",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasSuffix(got[i], ": "+w) {
			t.Errorf("violation %d = %q, want one ending %q", i, got[i], w)
		}
	}
}
