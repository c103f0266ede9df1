package graphql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// maxReferenceNodes bounds the reference walk of a walkConn.
const maxReferenceNodes = 1000

// PropertyPagination is graphql-property-pagination: random walks over
// every root walkConn, mixing first/after and last/before with walkPage
// sizes 1-5, each walkPage compared with the connection read in full: the
// nodes are exactly the expected slice, hasNextPage (forward) and
// hasPreviousPage (backward) say whether nodes remain, start and end
// cursors are the edges'. A failing walk is shrunk to its fewest, smallest
// steps.
func (Catalog) PropertyPagination() kit.Check {
	return kit.Check{
		Name:  "graphql-property-pagination",
		Proto: kit.GraphQL,
		Phase: kit.PhaseProperty,
		Doc:   "random walks mixing first/after and last/before return exactly the expected slices; failures shrunk to one curl line",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			var out []*kit.Case
			for _, rf := range a.RelayFields() {
				c := walkConn{rf}
				title := fmt.Sprintf("random walks over %s mixing first/after and last/before (--examples %d) return the expected slices", strings.Join(c.Path, "."), e.Config.Examples)
				out = append(out, kit.Single(ch, a, c.Coord, title, func(t *kit.T) {
					ref := c.reference(t, a)
					kit.RunProperty(t, func(rt *rapid.T, st *kit.T) string { return c.walk(rt, st, a, ref) })
				}))
			}
			return out
		},
	}
}

// walkConn walks a paginated field reachable from the query root.
type walkConn struct {
	model.RelayField
}

// walkPage is one answer of a connection.
type walkPage struct {
	keys                   []string
	cursors                []string
	hasNext, hasPrev       bool
	startCursor, endCursor any
}

// field is the connection's field definition.
func (c walkConn) field(a *kit.API) *ast.FieldDefinition {
	def := a.Schema.Query
	for _, p := range c.Path[:len(c.Path)-1] {
		def = a.Schema.Types[def.Fields.ForName(p).Type.Name()]
	}
	return def.Fields.ForName(c.Path[len(c.Path)-1])
}

// query renders the connection query with the given arguments as
// variables.
func (c walkConn) query(a *kit.API, args map[string]any) (string, map[string]any) {
	f := c.field(a)
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
	for _, p := range c.Path[:len(c.Path)-1] {
		b.WriteString(p + " { ")
	}
	b.WriteString(c.Path[len(c.Path)-1])
	if len(uses) > 0 {
		b.WriteString("(" + strings.Join(uses, ", ") + ")")
	}
	b.WriteString(" { edges { cursor node " + c.Node + " } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }")
	b.WriteString(strings.Repeat(" }", len(c.Path)))
	if len(vars) == 0 {
		vars = nil
	}
	return b.String(), vars
}

// fetch asks for one walkPage; violations go to t (false: no usable walkPage).
func (c walkConn) fetch(t *kit.T, a *kit.API, args map[string]any) (walkPage, bool) {
	q, vars := c.query(a, args)
	r := kit.GQL(t, a.Credentials(), q, vars)
	if !kit.RequireOK(t, r) {
		return walkPage{}, false
	}
	var p []any
	for _, s := range c.Path {
		p = append(p, s)
	}
	conn := kit.At(r.Decoded(), p...)
	edges, _ := kit.At(conn, "edges").([]any)
	var pg walkPage
	for _, e := range edges {
		pg.keys = append(pg.keys, kit.Canonical(kit.At(e, "node")))
		cur, _ := kit.At(e, "cursor").(string)
		pg.cursors = append(pg.cursors, cur)
	}
	pg.hasNext, _ = kit.At(conn, "pageInfo", "hasNextPage").(bool)
	pg.hasPrev, _ = kit.At(conn, "pageInfo", "hasPreviousPage").(bool)
	pg.startCursor, pg.endCursor = kit.At(conn, "pageInfo", "startCursor"), kit.At(conn, "pageInfo", "endCursor")
	return pg, true
}

// reference reads the whole walkConn forward with the largest walkPage.
func (c walkConn) reference(t *kit.T, a *kit.API) []string {
	size := 100
	if _, hi, ok := model.ArgRange(c.field(a), "first"); ok && hi > 0 {
		size = hi // the documented range of first
	}
	if a.Hints.MaxPageSize > 0 {
		size = a.Hints.MaxPageSize
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
	t.DropExchanges()
	if len(ref) >= maxReferenceNodes {
		t.Skip("%s has %d nodes or more: random walks need the whole list", c.Coord, maxReferenceNodes)
	}
	return ref
}

// walk draws and runs one walk; it stops at the first wrong walkPage so the
// last request is the failing one.
func (c walkConn) walk(rt *rapid.T, t *kit.T, a *kit.API, ref []string) string {
	steps := rapid.IntRange(1, 6).Draw(rt, "steps")
	lo, hi := -1, -1 // the current page is ref[lo:hi]
	var first, last string
	var desc []string
	where := kit.PathString("data", anySlice(c.Path)...)
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
			t.Errorf(kit.GQLPath(where+".edges"), "%s: want %s, got %d nodes%s", step, wantText, len(pg.keys), positions(pg.keys, ref))
		}
		if backward && pg.hasPrev != (from > 0) {
			t.Errorf(kit.GQLPath(where+".pageInfo.hasPreviousPage"), "%s: hasPreviousPage is %v, but %d nodes precede this walkPage", step, pg.hasPrev, from)
		}
		if !backward && pg.hasNext != (to < len(ref)) {
			t.Errorf(kit.GQLPath(where+".pageInfo.hasNextPage"), "%s: hasNextPage is %v, but %d nodes follow this walkPage", step, pg.hasNext, len(ref)-to)
		}
		if len(pg.cursors) > 0 {
			if pg.startCursor != pg.cursors[0] {
				t.Errorf(kit.GQLPath(where+".pageInfo.startCursor"), "%s: startCursor %v is not the first edge's cursor %q", step, pg.startCursor, pg.cursors[0])
			}
			if pg.endCursor != pg.cursors[len(pg.cursors)-1] {
				t.Errorf(kit.GQLPath(where+".pageInfo.endCursor"), "%s: endCursor %v is not the last edge's cursor %q", step, pg.endCursor, pg.cursors[len(pg.cursors)-1])
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
