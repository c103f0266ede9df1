package conform

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// pageSize is the page size of the pagination walks.
const pageSize = 7

// GraphQLPagination: on every Relay connection reachable from the query
// root, a forward walk (first/after) and a backward walk (last/before)
// visit every node exactly once, in the same order, with stable cursors
// (the same node has the same cursor in both walks and when read again),
// no duplicates or gaps, pageInfo consistent with the edges, and
// totalCount equal to the number of nodes visited.
var GraphQLPagination = &Check{
	Name:  "graphql-pagination",
	Proto: "graphql",
	Doc:   "forward and backward walks agree; stable cursors; no duplicates or gaps; totalCount",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connections(a.Schema) {
			title := fmt.Sprintf("%s: forward and backward walks of %d visit every node once, in order", strings.Join(c.path, "."), pageSize)
			out = append(out, single(ch, a, strings.Join(c.path, "."), title, func(t *T) {
				walkConnection(t, c)
			}))
		}
		return out
	},
}

// connection is a Relay connection field reachable from the query root.
type connection struct {
	path []string // e.g. [admin allClients]
	key  string   // node field identifying a node: id, code or name
}

func connections(schema *ast.Schema) []connection {
	var out []connection
	if schema.Query == nil {
		return nil
	}
	var visit func(def *ast.Definition, prefix []string, depth int)
	visit = func(def *ast.Definition, prefix []string, depth int) {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || hasRequiredArgs(f) {
				continue
			}
			t := schema.Types[f.Type.Name()]
			if t == nil || t.Kind != ast.Object {
				continue
			}
			p := append(append([]string(nil), prefix...), f.Name)
			if key := connectionKey(schema, f, t); key != "" {
				out = append(out, connection{path: p, key: key})
				continue
			}
			if depth == 0 && len(f.Arguments) == 0 {
				visit(t, p, depth+1)
			}
		}
	}
	visit(schema.Query, nil, 0)
	return out
}

// connectionKey returns the node key field if f is a paginated connection.
func connectionKey(schema *ast.Schema, f *ast.FieldDefinition, t *ast.Definition) string {
	for _, a := range []string{"first", "after", "last", "before"} {
		if f.Arguments.ForName(a) == nil {
			return ""
		}
	}
	edges, pi, tc := t.Fields.ForName("edges"), t.Fields.ForName("pageInfo"), t.Fields.ForName("totalCount")
	if edges == nil || pi == nil || tc == nil {
		return ""
	}
	edge := schema.Types[edges.Type.Name()]
	if edge == nil || edge.Fields.ForName("cursor") == nil || edge.Fields.ForName("node") == nil {
		return ""
	}
	node := schema.Types[edge.Fields.ForName("node").Type.Name()]
	if node == nil {
		return ""
	}
	for _, k := range []string{"id", "code", "name"} {
		if nf := node.Fields.ForName(k); nf != nil && nf.Type.NonNull {
			return k
		}
	}
	return ""
}

type page struct {
	keys, cursors    []string
	hasNext, hasPrev bool
	start, end       *string
	totalCount       int
}

func fetchPage(t *T, c connection, args map[string]any) page {
	var decl, use []string
	vars := map[string]any{}
	for _, name := range []string{"first", "after", "last", "before"} {
		v, ok := args[name]
		if !ok {
			continue
		}
		typ := "String"
		if name == "first" || name == "last" {
			typ = "Int"
		}
		decl = append(decl, fmt.Sprintf("$%s: %s", name, typ))
		use = append(use, fmt.Sprintf("%s: $%s", name, name))
		vars[name] = v
	}
	inner := fmt.Sprintf("%s(%s) { totalCount edges { cursor node { %s } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }",
		c.path[len(c.path)-1], strings.Join(use, ", "), c.key)
	q := inner
	for i := len(c.path) - 2; i >= 0; i-- {
		q = c.path[i] + " { " + q + " }"
	}
	q = fmt.Sprintf("query Page(%s) { %s }", strings.Join(decl, ", "), q)
	r := gql(t, t.api.Conf.Token, q, vars)
	if !requireOK(t, r) {
		t.FailNow()
	}
	var p []any
	for _, s := range c.path {
		p = append(p, s)
	}
	conn, _ := at(r.decoded(), p...).(map[string]any)
	where := pathString("data", p...)
	if conn == nil {
		t.Fatalf(where, "the connection is null")
	}
	var pg page
	if n, ok := conn["totalCount"].(json.Number); ok {
		v, _ := n.Int64()
		pg.totalCount = int(v)
	}
	edges, _ := conn["edges"].([]any)
	for i, e := range edges {
		cur, _ := at(e, "cursor").(string)
		key := fmt.Sprint(at(e, "node", c.key))
		if cur == "" {
			t.Errorf(pathString(where, "edges", i, "cursor"), "an edge needs a non-empty cursor")
		}
		pg.keys = append(pg.keys, key)
		pg.cursors = append(pg.cursors, cur)
	}
	pi, _ := conn["pageInfo"].(map[string]any)
	pg.hasNext, _ = pi["hasNextPage"].(bool)
	pg.hasPrev, _ = pi["hasPreviousPage"].(bool)
	if s, ok := pi["startCursor"].(string); ok {
		pg.start = &s
	}
	if s, ok := pi["endCursor"].(string); ok {
		pg.end = &s
	}
	if len(pg.cursors) > 0 {
		if pg.start == nil || *pg.start != pg.cursors[0] {
			t.Errorf(where+".pageInfo.startCursor", "want the first edge's cursor %q, got %v", pg.cursors[0], strOrNull(pg.start))
		}
		if pg.end == nil || *pg.end != pg.cursors[len(pg.cursors)-1] {
			t.Errorf(where+".pageInfo.endCursor", "want the last edge's cursor %q, got %v", pg.cursors[len(pg.cursors)-1], strOrNull(pg.end))
		}
	}
	return pg
}

func strOrNull(s *string) string {
	if s == nil {
		return "null"
	}
	return fmt.Sprintf("%q", *s)
}

// maxPages bounds a walk (a server that never ends a walk fails).
const maxPages = 500

func walkConnection(t *T, c connection) {
	where := pathString("data", toAny(c.path)...)
	// Forward.
	var fwdKeys, fwdCursors []string
	total := -1
	args := map[string]any{"first": pageSize}
	for i := 0; ; i++ {
		if i == maxPages {
			t.Fatalf(where, "the forward walk did not end after %d pages", maxPages)
		}
		pg := fetchPage(t, c, args)
		if total < 0 {
			total = pg.totalCount
		} else if pg.totalCount != total {
			t.Errorf(where+".totalCount", "totalCount changed during the walk: %d then %d", total, pg.totalCount)
		}
		if len(pg.keys) > pageSize {
			t.Errorf(where+".edges", "first: %d answered %d edges", pageSize, len(pg.keys))
		}
		fwdKeys = append(fwdKeys, pg.keys...)
		fwdCursors = append(fwdCursors, pg.cursors...)
		if !pg.hasNext {
			break
		}
		if pg.end == nil || len(pg.keys) == 0 {
			t.Fatalf(where+".pageInfo", "hasNextPage is true but the page is empty or has no endCursor")
		}
		args = map[string]any{"first": pageSize, "after": *pg.end}
	}
	t.exchanges = t.exchanges[:0]
	checkWalk(t, where, "forward walk (first/after)", fwdKeys, total)
	// Backward.
	var bwdKeys, bwdCursors []string
	args = map[string]any{"last": pageSize}
	for i := 0; ; i++ {
		if i == maxPages {
			t.Fatalf(where, "the backward walk did not end after %d pages", maxPages)
		}
		pg := fetchPage(t, c, args)
		if len(pg.keys) > pageSize {
			t.Errorf(where+".edges", "last: %d answered %d edges", pageSize, len(pg.keys))
		}
		bwdKeys = append(append([]string(nil), pg.keys...), bwdKeys...)
		bwdCursors = append(append([]string(nil), pg.cursors...), bwdCursors...)
		if !pg.hasPrev {
			break
		}
		if pg.start == nil || len(pg.keys) == 0 {
			t.Fatalf(where+".pageInfo", "hasPreviousPage is true but the page is empty or has no startCursor")
		}
		args = map[string]any{"last": pageSize, "before": *pg.start}
	}
	t.exchanges = t.exchanges[:0]
	checkWalk(t, where, "backward walk (last/before)", bwdKeys, total)
	if strings.Join(fwdKeys, "\x00") != strings.Join(bwdKeys, "\x00") {
		i := firstDiff(fwdKeys, bwdKeys)
		t.Errorf(where+".edges", "the backward walk visits the nodes in another order than the forward walk: first difference at position %d (forward %s, backward %s)",
			i, elem(fwdKeys, i), elem(bwdKeys, i))
	} else {
		for i := range fwdCursors {
			if fwdCursors[i] != bwdCursors[i] {
				t.Errorf(fmt.Sprintf("%s.edges[%d].cursor", where, i), "cursors are not stable: node %s has cursor %q forward and %q backward", fwdKeys[i], fwdCursors[i], bwdCursors[i])
				break
			}
		}
	}
	// Stable cursors: the first page read again has the same cursors.
	again := fetchPage(t, c, map[string]any{"first": pageSize})
	for i := range again.cursors {
		if i < len(fwdCursors) && again.cursors[i] != fwdCursors[i] {
			t.Errorf(fmt.Sprintf("%s.edges[%d].cursor", where, i), "cursors are not stable: %q, then %q when read again", fwdCursors[i], again.cursors[i])
			break
		}
	}
}

func checkWalk(t *T, where, walk string, keys []string, total int) {
	seen := map[string]int{}
	for i, k := range keys {
		if j, dup := seen[k]; dup {
			t.Errorf(where+".edges", "%s: node %s is visited twice (positions %d and %d)", walk, k, j, i)
		}
		seen[k] = i
	}
	if len(keys) != total {
		t.Errorf(where+".totalCount", "%s visited %d nodes but totalCount is %d (a node skipped or duplicated across pages, or totalCount wrong)", walk, len(keys), total)
	}
}

func firstDiff(a, b []string) int {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

func elem(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(end)"
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
