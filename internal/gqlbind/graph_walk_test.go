package gqlbind

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// TestGraphWalkNonNull is the property that every SDL of testdata/graph
// keeps: every field of every type reachable from Query, queried with
// arguments the records hold (and made-up ones), answers without an
// error but NOT_FOUND for a lookup that finds nothing, and respcheck finds
// no null in a non-null place, no wrong type, no unknown enum value, no
// unresolved abstract type. Each reachable type is queried along its
// shortest path from Query with every field of its own selected (and one
// level below), and every root field is walked three levels deep.
func TestGraphWalkNonNull(t *testing.T) {
	files, err := filepath.Glob("testdata/graph/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatal("no SDLs in testdata/graph", err)
	}
	for _, file := range files {
		for _, count := range []int{6, -1} {
			name := filepath.Base(file)
			if count < 0 {
				name += "/no records"
			}
			t.Run(name, func(t *testing.T) { walkSDL(t, file, count, 2) })
		}
	}
}

// walkSDL walks one SDL with count records per type (-1: none, so that
// every non-null object is generated), the root fields depth levels deep.
func walkSDL(t *testing.T, file string, count, depth int) {
	a := startGraph(t, file, count)
	w := &walker{a: a}
	q := a.schema.Query
	for _, f := range q.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		nt := a.schema.Types[f.Type.Name()]
		sel := ""
		if nt.Kind != ast.Scalar && nt.Kind != ast.Enum {
			sel = " " + w.selection(nt, 2)
		}
		a.do(t, "{ "+f.Name+w.args(f, "")+sel+" }", nil, "NOT_FOUND")
	}
	paths := shortestPaths(a.schema)
	names := make([]string, 0, len(paths))
	for n := range paths {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		def := a.schema.Types[n]
		query := paths[n].query(w, w.fields(def, 1, ""), n)
		ans := a.do(t, query, nil, "NOT_FOUND")
		if count > 0 && !strings.Contains(ans.raw, `"__typename":"`+n+`"`) {
			t.Logf("%s: no value of this type on its path (nullable or empty lists): %s", n, shorten(ans.raw))
		}
	}
}

// step is one field of a path from Query, on its parent type.
type step struct {
	parent *ast.Definition
	field  *ast.FieldDefinition
}

type path []step

// query wraps the selection (of type final) into the path, through a
// fragment where a field's type is abstract.
func (p path) query(w *walker, inner, final string) string {
	out := inner
	for i := len(p) - 1; i >= 0; i-- {
		s := p[i]
		nt := w.a.schema.Types[s.field.Type.Name()]
		reached := final
		if i+1 < len(p) {
			reached = p[i+1].parent.Name
		}
		if nt.Name != reached {
			out = "{ __typename ... on " + reached + " " + out + " }"
		}
		out = "{ " + s.field.Name + w.args(s.field, reached) + " " + out + " }"
	}
	return out
}

// shortestPaths finds, for every object type reachable from Query, the
// shortest path of fields to it (breadth first, fields in schema order).
func shortestPaths(schema *ast.Schema) map[string]path {
	out := map[string]path{}
	type item struct {
		def *ast.Definition
		p   path
	}
	queue := []item{{schema.Query, nil}}
	seen := map[string]bool{schema.Query.Name: true}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, f := range cur.def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			nt := schema.Types[f.Type.Name()]
			var objs []*ast.Definition
			switch nt.Kind {
			case ast.Object:
				objs = []*ast.Definition{nt}
			case ast.Interface, ast.Union:
				objs = append(objs, schema.PossibleTypes[nt.Name]...)
				sort.Slice(objs, func(i, j int) bool { return objs[i].Name < objs[j].Name })
			}
			for _, o := range objs {
				if seen[o.Name] {
					continue
				}
				seen[o.Name] = true
				p := append(append(path(nil), cur.p...), step{parent: cur.def, field: f})
				out[o.Name] = p
				queue = append(queue, item{o, p})
			}
		}
	}
	return out
}
