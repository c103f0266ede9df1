package graphql

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Pagination is graphql-pagination: on every Relay connection reachable
// from the query root, a forward walk (first/after) and a backward walk
// (last/before) visit every node exactly once, in the same order, with
// stable cursors (the same node has the same cursor in both walks and when
// read again), no duplicates or gaps, pageInfo consistent with the edges,
// and totalCount equal to the number of nodes visited.
func (Catalog) Pagination() kit.Check {
	return kit.Check{
		Name:  "graphql-pagination",
		Class: kit.ClassPaging,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "forward and backward walks agree; stable cursors; no duplicates or gaps; totalCount",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, c := range a.Connections() {
				title := fmt.Sprintf("%s: forward and backward walks of %d visit every node once, in order", strings.Join(c.Path, "."), kit.SmallPageSize)
				out = append(out, kit.Single(ch, a, strings.Join(c.Path, "."), title, func(t *kit.T) {
					walkConnection(t, c)
				}))
			}
			return out
		},
	}
}

type page struct {
	keys, cursors    []string
	hasNext, hasPrev bool
	start, end       *string
	totalCount       int
}

func fetchPage(t *kit.T, c model.Connection, args map[string]any) page {
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
		c.Path[len(c.Path)-1], strings.Join(use, ", "), c.Key)
	q := inner
	for i := len(c.Path) - 2; i >= 0; i-- {
		q = c.Path[i] + " { " + q + " }"
	}
	q = fmt.Sprintf("query Page(%s) { %s }", strings.Join(decl, ", "), q)
	r := kit.GQL(t, t.API().Credentials(), q, vars)
	if !kit.RequireOK(t, r) {
		t.FailNow()
	}
	var p []any
	for _, s := range c.Path {
		p = append(p, s)
	}
	conn, _ := kit.At(r.Decoded(), p...).(map[string]any)
	where := kit.PathString("data", p...)
	if conn == nil {
		t.Fatalf(kit.GQLPath(where), "the connection is null")
	}
	var pg page
	if n, ok := conn["totalCount"].(json.Number); ok {
		v, _ := n.Int64()
		pg.totalCount = int(v)
	}
	edges, _ := conn["edges"].([]any)
	for i, e := range edges {
		cur, _ := kit.At(e, "cursor").(string)
		key := fmt.Sprint(kit.At(e, "node", c.Key))
		if cur == "" {
			t.Errorf(kit.GQLPath(kit.PathString(where, "edges", i, "cursor")), "an edge needs a non-empty cursor")
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
			t.Errorf(kit.GQLPath(where+".pageInfo.startCursor"), "want the first edge's cursor %q, got %v", pg.cursors[0], strOrNull(pg.start))
		}
		if pg.end == nil || *pg.end != pg.cursors[len(pg.cursors)-1] {
			t.Errorf(kit.GQLPath(where+".pageInfo.endCursor"), "want the last edge's cursor %q, got %v", pg.cursors[len(pg.cursors)-1], strOrNull(pg.end))
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

func walkConnection(t *kit.T, c model.Connection) {
	where := kit.PathString("data", kit.ToAny(c.Path)...)
	// Forward.
	var fwdKeys, fwdCursors []string
	total := -1
	args := map[string]any{"first": kit.SmallPageSize}
	for i := 0; ; i++ {
		if i == kit.MaxPages {
			t.Fatalf(kit.GQLPath(where), "the forward walk did not end after %d pages", kit.MaxPages)
		}
		pg := fetchPage(t, c, args)
		if total < 0 {
			total = pg.totalCount
		} else if pg.totalCount != total {
			t.Errorf(kit.GQLPath(where+".totalCount"), "totalCount changed during the walk: %d then %d", total, pg.totalCount)
		}
		if len(pg.keys) > kit.SmallPageSize {
			t.Errorf(kit.GQLPath(where+".edges"), "first: %d answered %d edges", kit.SmallPageSize, len(pg.keys))
		}
		fwdKeys = append(fwdKeys, pg.keys...)
		fwdCursors = append(fwdCursors, pg.cursors...)
		if !pg.hasNext {
			break
		}
		if pg.end == nil || len(pg.keys) == 0 {
			t.Fatalf(kit.GQLPath(where+".pageInfo"), "hasNextPage is true but the page is empty or has no endCursor")
		}
		args = map[string]any{"first": kit.SmallPageSize, "after": *pg.end}
	}
	t.DropExchanges()
	checkWalk(t, where, "forward walk (first/after)", fwdKeys, total)
	// Backward.
	var bwdKeys, bwdCursors []string
	args = map[string]any{"last": kit.SmallPageSize}
	for i := 0; ; i++ {
		if i == kit.MaxPages {
			t.Fatalf(kit.GQLPath(where), "the backward walk did not end after %d pages", kit.MaxPages)
		}
		pg := fetchPage(t, c, args)
		if len(pg.keys) > kit.SmallPageSize {
			t.Errorf(kit.GQLPath(where+".edges"), "last: %d answered %d edges", kit.SmallPageSize, len(pg.keys))
		}
		bwdKeys = append(append([]string(nil), pg.keys...), bwdKeys...)
		bwdCursors = append(append([]string(nil), pg.cursors...), bwdCursors...)
		if !pg.hasPrev {
			break
		}
		if pg.start == nil || len(pg.keys) == 0 {
			t.Fatalf(kit.GQLPath(where+".pageInfo"), "hasPreviousPage is true but the page is empty or has no startCursor")
		}
		args = map[string]any{"last": kit.SmallPageSize, "before": *pg.start}
	}
	t.DropExchanges()
	checkWalk(t, where, "backward walk (last/before)", bwdKeys, total)
	if strings.Join(fwdKeys, "\x00") != strings.Join(bwdKeys, "\x00") {
		i := kit.FirstDiff(fwdKeys, bwdKeys)
		t.Errorf(kit.GQLPath(where+".edges"), "the backward walk visits the nodes in another order than the forward walk: first difference at position %d (forward %s, backward %s)",
			i, kit.Elem(fwdKeys, i), kit.Elem(bwdKeys, i))
	} else {
		for i := range fwdCursors {
			if fwdCursors[i] != bwdCursors[i] {
				t.Errorf(kit.GQLPath(fmt.Sprintf("%s.edges[%d].cursor", where, i)), "cursors are not stable: node %s has cursor %q forward and %q backward", fwdKeys[i], fwdCursors[i], bwdCursors[i])
				break
			}
		}
	}
	// Stable cursors: the first page read again has the same cursors.
	again := fetchPage(t, c, map[string]any{"first": kit.SmallPageSize})
	for i := range again.cursors {
		if i < len(fwdCursors) && again.cursors[i] != fwdCursors[i] {
			t.Errorf(kit.GQLPath(fmt.Sprintf("%s.edges[%d].cursor", where, i)), "cursors are not stable: %q, then %q when read again", fwdCursors[i], again.cursors[i])
			break
		}
	}
}

func checkWalk(t *kit.T, where, walk string, keys []string, total int) {
	seen := map[string]int{}
	for i, k := range keys {
		if j, dup := seen[k]; dup {
			t.Errorf(kit.GQLPath(where+".edges"), "%s: node %s is visited twice (positions %d and %d)", walk, k, j, i)
		}
		seen[k] = i
	}
	if len(keys) != total {
		t.Errorf(kit.GQLPath(where+".totalCount"), "%s visited %d nodes but totalCount is %d (a node skipped or duplicated across pages, or totalCount wrong)", walk, len(keys), total)
	}
}
