package standintest_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestEveryOptionAndMethodHasAnExample: every exported function (the
// options, New, NewServer, Start) and method of the package has an
// Example function attached to it, as pkg.go.dev shows them: go/doc
// reads the package with its _test.go files, as the documentation tools do.
func TestEveryOptionAndMethodHasAnExample(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/standin/standin/standintest")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	n := 0
	check := func(name string, examples []*doc.Example) {
		n++
		if len(examples) == 0 {
			missing = append(missing, name)
		}
	}
	for _, f := range pkg.Funcs {
		check(f.Name, f.Examples)
	}
	for _, typ := range pkg.Types {
		for _, f := range typ.Funcs {
			check(f.Name, f.Examples)
		}
		for _, m := range typ.Methods {
			check(typ.Name+"."+m.Name, m.Examples)
		}
	}
	if n < 20 {
		t.Fatalf("found %d exported functions and methods; the package has more", n)
	}
	if len(missing) > 0 {
		t.Errorf("no Example for %s: add Example<Func> or Example<Type>_<Method> to a _test.go file", strings.Join(missing, ", "))
	}
	if len(pkg.Examples) == 0 {
		t.Error("no package example (Example)")
	}
}
