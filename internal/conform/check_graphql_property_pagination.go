package conform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"pgregory.net/rapid"
)

// maxReferenceNodes bounds the reference walk of a walkConn.
const maxReferenceNodes = 1000

// GraphQLPropertyPagination: random walks over every root walkConn,
// mixing first/after and last/before with walkPage sizes 1-5, each walkPage
// compared with the connection read in full: the nodes are exactly the
// expected slice, hasNextPage (forward) and hasPreviousPage (backward)
// say whether nodes remain, start and end cursors are the edges'. A
// failing walk is shrunk to its fewest, smallest steps.
var GraphQLPropertyPagination = &Check{
	Name:  "graphql-property-pagination",
	Proto: "graphql",
	Doc:   "random walks mixing first/after and last/before return exactly the expected slices; failures shrunk to one curl line",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || a.Schema.Query == nil {
			return nil
		}
		var out []*Case
		for _, c := range rootConnections(a) {
			title := fmt.Sprintf("random walks over %s mixing first/after and last/before (--examples %d) return the expected slices", strings.Join(c.path, "."), e.Config.Examples)
			out = append(out, single(ch, a, c.coord, title, func(t *T) {
				ref := c.reference(t, a)
				runProperty(t, func(rt *rapid.T, st *T) string { return c.walk(rt, st, a, ref) })
			}))
		}
		return out
	},
}

// walkConn is a paginated field reachable from the query root.
type walkConn struct {
	coord string   // Type.field
	path  []string // response path, e.g. admin.allClients
	node  string   // the node selection, e.g. "{ id }"
}

// rootConnections finds the Relay connections of the query root and of
// its namespace fields (fields without required arguments returning an
// object): first/after/last/before arguments and a type with edges
// { cursor node } and pageInfo.
func rootConnections(a *API) []walkConn {
	var out []walkConn
	var visit func(def *ast.Definition, prefix []string, depth int)
	visit = func(def *ast.Definition, prefix []string, depth int) {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || hasRequiredArgs(f) {
				continue
			}
			ft := a.Schema.Types[f.Type.Name()]
			if ft == nil || ft.Kind != ast.Object {
				continue
			}
			path := append(append([]string(nil), prefix...), f.Name)
			if node, ok := connectionNode(a.Schema, f, ft); ok {
				out = append(out, walkConn{coord: def.Name + "." + f.Name, path: path, node: node})
				continue
			}
			if depth == 0 {
				visit(ft, path, 1)
			}
		}
	}
	visit(a.Schema.Query, nil, 0)
	return out
}

// connectionNode returns the node selection of a Relay connection field.
func connectionNode(s *ast.Schema, f *ast.FieldDefinition, ft *ast.Definition) (string, bool) {
	for _, arg := range []string{"first", "after", "last", "before"} {
		if f.Arguments.ForName(arg) == nil {
			return "", false
		}
	}
	edges, pi := ft.Fields.ForName("edges"), ft.Fields.ForName("pageInfo")
	if edges == nil || pi == nil {
		return "", false
	}
	edge := s.Types[edges.Type.Name()]
	if edge == nil || edge.Fields.ForName("cursor") == nil || edge.Fields.ForName("node") == nil {
		return "", false
	}
	node := s.Types[edge.Fields.ForName("node").Type.Name()]
	if node == nil {
		return "", false
	}
	if node.Fields.ForName("id") != nil {
		return "{ id }", true
	}
	leaves := leafFields(s, node)
	if len(leaves) == 0 {
		return "{ __typename }", true
	}
	return "{ " + strings.Join(leaves, " ") + " }", true
}

// walkPage is one answer of a connection.
type walkPage struct {
	keys                   []string
	cursors                []string
	hasNext, hasPrev       bool
	startCursor, endCursor any
}

// query renders the connection query with the given arguments as
// variables.
func (c walkConn) query(a *API, args map[string]any) (string, map[string]any) {
	def := a.Schema.Query
	for _, p := range c.path[:len(c.path)-1] {
		def = a.Schema.Types[def.Fields.ForName(p).Type.Name()]
	}
	f := def.Fields.ForName(c.path[len(c.path)-1])
	var decls, uses []string
	vars := map[string]any{}
	for _, name := range []string{"first", "after", "last", "before"} {
		if v, ok := args[name]; ok {
			decls = append(decls, "$"+name+": "+f.Arguments.ForName(name).Type.String())
			uses = append(uses, name+": $"+name)
			vars[name] = v
		}
	}
	var b strings.Builder
	b.WriteString("query Page")
	if len(decls) > 0 {
		b.WriteString("(" + strings.Join(decls, ", ") + ")")
	}
	b.WriteString(" { ")
	for _, p := range c.path[:len(c.path)-1] {
		b.WriteString(p + " { ")
	}
	b.WriteString(c.path[len(c.path)-1])
	if len(uses) > 0 {
		b.WriteString("(" + strings.Join(uses, ", ") + ")")
	}
	b.WriteString(" { edges { cursor node " + c.node + " } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }")
	b.WriteString(strings.Repeat(" }", len(c.path)))
	if len(vars) == 0 {
		vars = nil
	}
	return b.String(), vars
}

// fetch asks for one walkPage; violations go to t (false: no usable walkPage).
func (c walkConn) fetch(t *T, a *API, args map[string]any) (walkPage, bool) {
	q, vars := c.query(a, args)
	r := gql(t, a.Conf.Token, q, vars)
	if !requireOK(t, r) {
		return walkPage{}, false
	}
	var p []any
	for _, s := range c.path {
		p = append(p, s)
	}
	conn := at(r.decoded(), p...)
	edges, _ := at(conn, "edges").([]any)
	var pg walkPage
	for _, e := range edges {
		pg.keys = append(pg.keys, canonical(at(e, "node")))
		cur, _ := at(e, "cursor").(string)
		pg.cursors = append(pg.cursors, cur)
	}
	pg.hasNext, _ = at(conn, "pageInfo", "hasNextPage").(bool)
	pg.hasPrev, _ = at(conn, "pageInfo", "hasPreviousPage").(bool)
	pg.startCursor, pg.endCursor = at(conn, "pageInfo", "startCursor"), at(conn, "pageInfo", "endCursor")
	return pg, true
}

// reference reads the whole walkConn forward with the largest walkPage.
func (c walkConn) reference(t *T, a *API) []string {
	size := 100
	if a.Manifest != nil && a.Manifest.GraphQL != nil && a.Manifest.GraphQL.MaxPageSize > 0 {
		size = a.Manifest.GraphQL.MaxPageSize
	}
	var ref []string
	args := map[string]any{"first": size}
	for len(ref) < maxReferenceNodes {
		pg, ok := c.fetch(t, a, args)
		if !ok {
			t.FailNow()
		}
		ref = append(ref, pg.keys...)
		if !pg.hasNext || len(pg.cursors) == 0 {
			break
		}
		args = map[string]any{"first": size, "after": pg.cursors[len(pg.cursors)-1]}
	}
	t.exchanges = nil
	if len(ref) >= maxReferenceNodes {
		t.Skip("%s has %d nodes or more: random walks need the whole list", c.coord, maxReferenceNodes)
	}
	return ref
}

// walk draws and runs one walk; it stops at the first wrong walkPage so the
// last request is the failing one.
func (c walkConn) walk(rt *rapid.T, t *T, a *API, ref []string) string {
	steps := rapid.IntRange(1, 6).Draw(rt, "steps")
	lo, hi := -1, -1 // the current page is ref[lo:hi]
	var first, last string
	var desc []string
	where := pathString("data", anySlice(c.path)...)
	for i := 0; i < steps; i++ {
		backward := rapid.Bool().Draw(rt, fmt.Sprintf("step %d backward", i+1))
		n := rapid.IntRange(1, 5).Draw(rt, fmt.Sprintf("step %d size", i+1))
		args := map[string]any{}
		var from, to int
		if backward {
			args["last"] = n
			end := len(ref)
			if lo >= 0 {
				args["before"], end = first, lo
			}
			from, to = max(0, end-n), end
			desc = append(desc, fmt.Sprintf("last: %d%s", n, cursorNote(lo >= 0, "before", lo)))
		} else {
			args["first"] = n
			start := 0
			if hi >= 0 {
				args["after"], start = last, hi
			}
			from, to = start, min(len(ref), start+n)
			desc = append(desc, fmt.Sprintf("first: %d%s", n, cursorNote(hi >= 0, "after", hi-1)))
		}
		pg, ok := c.fetch(t, a, args)
		if !ok {
			return strings.Join(desc, ", then ")
		}
		step := fmt.Sprintf("step %d of the walk (%s)", i+1, strings.Join(desc, ", then "))
		want := ref[from:to]
		if !slices.Equal(pg.keys, want) {
			wantText := "no nodes"
			if len(want) > 0 {
				wantText = fmt.Sprintf("the %d nodes at positions %d-%d of the full list", len(want), from, to-1)
			}
			t.Errorf(where+".edges", "%s: want %s, got %d nodes%s", step, wantText, len(pg.keys), positions(pg.keys, ref))
		}
		if backward && pg.hasPrev != (from > 0) {
			t.Errorf(where+".pageInfo.hasPreviousPage", "%s: hasPreviousPage is %v, but %d nodes precede this walkPage", step, pg.hasPrev, from)
		}
		if !backward && pg.hasNext != (to < len(ref)) {
			t.Errorf(where+".pageInfo.hasNextPage", "%s: hasNextPage is %v, but %d nodes follow this walkPage", step, pg.hasNext, len(ref)-to)
		}
		if len(pg.cursors) > 0 {
			if pg.startCursor != pg.cursors[0] {
				t.Errorf(where+".pageInfo.startCursor", "%s: startCursor %v is not the first edge's cursor %q", step, pg.startCursor, pg.cursors[0])
			}
			if pg.endCursor != pg.cursors[len(pg.cursors)-1] {
				t.Errorf(where+".pageInfo.endCursor", "%s: endCursor %v is not the last edge's cursor %q", step, pg.endCursor, pg.cursors[len(pg.cursors)-1])
			}
		}
		if t.Failed() || len(pg.cursors) == 0 || len(pg.cursors) != len(want) {
			break
		}
		lo, hi = from, to
		first, last = pg.cursors[0], pg.cursors[len(pg.cursors)-1]
	}
	return strings.Join(desc, ", then ")
}

func cursorNote(has bool, arg string, pos int) string {
	if !has {
		return ""
	}
	return fmt.Sprintf(", %s: the cursor of node %d", arg, pos)
}

// positions says where the returned nodes sit in the full list.
func positions(keys, ref []string) string {
	if len(keys) == 0 {
		return ""
	}
	idx := map[string]int{}
	for i := len(ref) - 1; i >= 0; i-- {
		idx[ref[i]] = i
	}
	var out []string
	for _, k := range keys {
		if i, ok := idx[k]; ok {
			out = append(out, fmt.Sprint(i))
		} else {
			out = append(out, "?")
		}
	}
	return " at positions " + strings.Join(out, ", ")
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
