package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// contractLayer is the one package tree that loads contracts.
const contractLayer = module + "/internal/contract"

// contractExempt are packages the contract rule does not hold yet, each
// with its reason.
var contractExempt = []string{}

// loading are the functions and methods that load contracts: kin-openapi's
// loader and Swagger 2.0 converter, gqlparser's schema loading.
var (
	loaderPkg   = "github.com/getkin/kin-openapi/openapi3"
	convertPkg  = "github.com/getkin/kin-openapi/openapi2conv"
	sdlLoaders  = map[string][]string{"github.com/vektah/gqlparser/v2": {"LoadSchema", "MustLoadSchema"}, "github.com/vektah/gqlparser/v2/validator": {"LoadSchema"}}
	loaderFuncs = []string{"NewLoader"}
)

// contractLoads returns, for the Go files of one package, every place that
// loads a contract past the contract layer, as "file:line: what".
func (c *checker) contractLoads(path string, files []string) ([]string, error) {
	var parsed []*ast.File
	for _, name := range files {
		f, err := parser.ParseFile(c.fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: c.imp}
	if _, err := conf.Check(path, c.fset, parsed, info); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			fn, ok := info.Uses[sel.Sel].(*types.Func)
			if !ok || fn.Pkg() == nil {
				return true
			}
			pkg, name := fn.Pkg().Path(), fn.Name()
			recv := ""
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
				recv = types.TypeString(sig.Recv().Type(), nil)
			}
			switch {
			case pkg == loaderPkg && recv == "" && slices.Contains(loaderFuncs, name),
				pkg == loaderPkg && recv == "*"+loaderPkg+".Loader" && strings.HasPrefix(name, "Load"),
				pkg == convertPkg,
				recv == "" && slices.Contains(sdlLoaders[pkg], name):
				what := fn.Pkg().Name() + "." + name
				if recv != "" {
					what = "(" + recv + ")." + name
				}
				out = append(out, fmt.Sprintf("%s: calls %s", c.fset.Position(sel.Pos()), what))
			}
			return true
		})
	}
	return out, nil
}

// TestOnlyTheContractLayerLoads: outside internal/contract no non-test
// file calls kin-openapi's loader (openapi3.NewLoader, (*Loader).Load*),
// its Swagger 2.0 converter (openapi2conv) or gqlparser's schema loading
// (gqlparser.LoadSchema, validator.LoadSchema): every contract is read with
// the same settings, confinement and diagnostics.
func TestOnlyTheContractLayerLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the whole module from source; not in -short runs")
	}
	exempt := append([]string{contractLayer}, contractExempt...)
	for _, v := range holdRule(t, exempt, (*checker).contractLoads) {
		t.Errorf("%s: only the contract layer (internal/contract) loads contracts", v)
	}
}

// TestTheContractRuleCatches runs the rule over testdata/contractviolator,
// which loads contracts once in each forbidden way: the test above can
// fail.
func TestTheContractRuleCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("needs go list -export; not in -short runs")
	}
	_, exports := goList(t)
	c := newChecker(exports)
	got, err := c.contractLoads("example.com/contractviolator", []string{filepath.Join("testdata", "contractviolator", "violator.go")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"calls openapi3.NewLoader",
		"calls (*github.com/getkin/kin-openapi/openapi3.Loader).LoadFromData",
		"calls (*github.com/getkin/kin-openapi/openapi3.Loader).LoadFromFile",
		"calls (*github.com/getkin/kin-openapi/openapi3.Loader).LoadFromDataWithPath",
		"calls (*github.com/getkin/kin-openapi/openapi3.Loader).LoadFromURI",
		"calls openapi2conv.ToV3",
		"calls gqlparser.LoadSchema",
		"calls validator.LoadSchema",
		"calls gqlparser.MustLoadSchema",
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
