package kit

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/model"
)

// The GraphQL connection walker: pages of a model.Connection read with
// first/after (and any arguments, as variables typed as the SDL declares
// them); a nested connection through its parent's lookup field.

// Parents reads the parents of a nested connection (up to max) with the
// nested connection's totalCount each, from the parent's root connection.
func Parents(t *T, c model.Connection, max int) (keys []any, counts []int) {
	sel := fmt.Sprintf("{ %s %s { totalCount } }", c.Parent.Key, c.Field.Name)
	nodes, _ := WalkForward(t, *c.Parent, nil, sel, 20, max, nil)
	for _, n := range nodes {
		k := n[c.Parent.Key]
		if k == nil {
			continue
		}
		keys = append(keys, k)
		cnt := 0
		if x, ok := At(n, c.Field.Name, "totalCount").(json.Number); ok {
			v, _ := x.Int64()
			cnt = int(v)
		}
		counts = append(counts, cnt)
	}
	return keys, counts
}

// RichestParent is the parent whose nested connection has the most nodes.
func RichestParent(t *T, c model.Connection) (any, int) {
	keys, counts := Parents(t, c, t.env.Config.MaxRecords)
	best, n := any(nil), -1
	for i, k := range keys {
		if counts[i] > n {
			best, n = k, counts[i]
		}
	}
	return best, n
}

// ConnPage is one page of a connection walk.
type ConnPage struct {
	Nodes            []map[string]any
	Cursors          []string
	HasNext, HasPrev bool
	Start, End       *string
	TotalCount       int
	// Raw is the answer, Doc its query parsed against the schema (nil
	// when the query does not validate) and Vars its variables.
	Raw  GQLResult
	Doc  *ast.QueryDocument
	Vars map[string]any
}

// ReadPage fetches one page; an answer without data, an error that is not
// at a null (RequireData) or a missing connection stops the step.
func ReadPage(t *T, c model.Connection, args map[string]any, sel string, label string) ConnPage {
	q, vars := ConnQuery(c, args, sel)
	r := GQL(t, t.api.Credentials(), q, vars)
	if !RequireData(t, r) {
		t.Reword(len(t.violations)-1, func(v Violation) string { return label + ": " + v.Message })
		t.FailNow()
	}
	conn, _ := At(r.Decoded(), ToAny(c.Path)...).(map[string]any)
	if conn == nil {
		t.Fatalf(GQLPath(PathString("data", ToAny(c.Path)...)), "%s: the connection is null", label)
	}
	pg := ConnPage{Raw: r, Vars: vars}
	if doc, err := ParseQuery(t.api.Schema, q); err == nil {
		pg.Doc = doc
	}
	if n, ok := conn["totalCount"].(json.Number); ok {
		v, _ := n.Int64()
		pg.TotalCount = int(v)
	}
	edges, _ := conn["edges"].([]any)
	for _, e := range edges {
		cur, _ := At(e, "cursor").(string)
		n, _ := At(e, "node").(map[string]any)
		pg.Nodes = append(pg.Nodes, n)
		pg.Cursors = append(pg.Cursors, cur)
	}
	pi, _ := conn["pageInfo"].(map[string]any)
	pg.HasNext, _ = pi["hasNextPage"].(bool)
	pg.HasPrev, _ = pi["hasPreviousPage"].(bool)
	if s, ok := pi["startCursor"].(string); ok {
		pg.Start = &s
	}
	if s, ok := pi["endCursor"].(string); ok {
		pg.End = &s
	}
	return pg
}

// WalkForward reads c with first/after and the extra arguments until
// hasNextPage is false or max nodes were read. each, when set, sees every
// page as it comes.
func WalkForward(t *T, c model.Connection, extra map[string]any, sel string, size, max int, each func(i int, p ConnPage)) ([]map[string]any, []ConnPage) {
	var nodes []map[string]any
	var pages []ConnPage
	args := map[string]any{"first": size}
	for k, v := range extra {
		args[k] = v
	}
	for i := 0; ; i++ {
		if i == MaxPages {
			t.Fatalf(GQLPath(c.Name()), "the walk did not end after %d pages", MaxPages)
		}
		pg := ReadPage(t, c, args, sel, fmt.Sprintf("page %d", i))
		if each != nil {
			each(i, pg)
		}
		nodes = append(nodes, pg.Nodes...)
		pages = append(pages, pg)
		if !pg.HasNext || len(nodes) >= max {
			break
		}
		if pg.End == nil || len(pg.Nodes) == 0 {
			t.Fatalf(GQLPath(c.Name()+".pageInfo"), "page %d says hasNextPage true but has no edges or no endCursor", i)
		}
		args["after"] = *pg.End
	}
	return nodes, pages
}

// NodeKeys renders the connection keys of nodes.
func NodeKeys(nodes []map[string]any, key string) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = KeyOf(n, key)
	}
	return out
}

// CompareScalars orders two JSON scalars: numbers numerically, strings by
// their bytes (RFC 3339 instants in UTC compare correctly so), null first.
func CompareScalars(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if x, ok := a.(json.Number); ok {
		if y, ok := b.(json.Number); ok {
			fx, _ := x.Float64()
			fy, _ := y.Float64()
			switch {
			case fx < fy:
				return -1
			case fx > fy:
				return 1
			}
			return 0
		}
	}
	if x, ok := a.(bool); ok {
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// SmallPageSize is the page size of the walks that check paging: small,
// so that even a small collection takes several pages.
const SmallPageSize = 7
