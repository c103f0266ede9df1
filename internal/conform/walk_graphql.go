package conform

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// connInfo is a connection with its field definition and node type. A
// nested connection (Account.memberships) is reached through a lookup
// field of its parent (account(id:)): path is [lookup, field], and the
// parent's key is passed as the variable $parent.
type connInfo struct {
	connection
	field    *ast.FieldDefinition
	nodeType *ast.Definition
	// lookup and parent are set for a nested connection.
	lookup *ast.FieldDefinition
	parent *connInfo
}

// parentArg is the walk argument carrying a nested connection's parent key.
const parentArg = "$parent"

// nestedConnInfos lists the connections on the node types of the root
// connections that a lookup field of the parent type can reach.
func nestedConnInfos(a *API) []connInfo {
	var out []connInfo
	for _, root := range connInfos(a) {
		var lookup *ast.FieldDefinition
		for _, f := range lookupFields(a.Schema) {
			if f.Type.Name() == root.nodeType.Name && f.Arguments[0].Name == root.key {
				lookup = f
				break
			}
		}
		if lookup == nil {
			continue
		}
		for _, nf := range root.nodeType.Fields {
			t := a.Schema.Types[nf.Type.Name()]
			if t == nil || t.Kind != ast.Object || hasRequiredArgs(nf) {
				continue
			}
			key := connectionKey(a.Schema, nf, t)
			if key == "" {
				continue
			}
			edge := a.Schema.Types[t.Fields.ForName("edges").Type.Name()]
			node := a.Schema.Types[edge.Fields.ForName("node").Type.Name()]
			out = append(out, connInfo{connection: connection{path: []string{lookup.Name, nf.Name}, key: key},
				field: nf, nodeType: node, lookup: lookup, parent: &root})
		}
	}
	return out
}

// parents reads the parents of a nested connection (up to max) with the
// nested connection's totalCount each, from the parent's root connection.
func parents(t *T, c connInfo, max int) (keys []any, counts []int) {
	sel := fmt.Sprintf("{ %s %s { totalCount } }", c.parent.key, c.field.Name)
	nodes, _ := walkForward(t, *c.parent, nil, sel, 20, max, nil)
	for _, n := range nodes {
		k := n[c.parent.key]
		if k == nil {
			continue
		}
		keys = append(keys, k)
		cnt := 0
		if x, ok := at(n, c.field.Name, "totalCount").(json.Number); ok {
			v, _ := x.Int64()
			cnt = int(v)
		}
		counts = append(counts, cnt)
	}
	return keys, counts
}

// richestParent is the parent whose nested connection has the most nodes.
func richestParent(t *T, c connInfo) (any, int) {
	keys, counts := parents(t, c, t.env.Config.MaxRecords)
	best, n := any(nil), -1
	for i, k := range keys {
		if counts[i] > n {
			best, n = k, counts[i]
		}
	}
	return best, n
}

// label names a walk of c for messages: the connection, with its parent.
func (c connInfo) label(args map[string]any) string {
	if c.parent != nil {
		return fmt.Sprintf("%s.%s of %s %s", c.parent.nodeType.Name, c.field.Name, c.parent.key, canonical(args[parentArg]))
	}
	return c.name()
}

// connInfos lists the API's root connections with their definitions.
func connInfos(a *API) []connInfo {
	var out []connInfo
	for _, c := range connections(a.Schema) {
		def := a.Schema.Query
		var f *ast.FieldDefinition
		for _, name := range c.path {
			f = def.Fields.ForName(name)
			def = a.Schema.Types[f.Type.Name()]
		}
		edge := a.Schema.Types[def.Fields.ForName("edges").Type.Name()]
		node := a.Schema.Types[edge.Fields.ForName("node").Type.Name()]
		out = append(out, connInfo{connection: c, field: f, nodeType: node})
	}
	return out
}

func (c connInfo) name() string { return strings.Join(c.path, ".") }

var rangeRE = regexp.MustCompile(`\((\d+)\s*[-–]\s*(\d+)\)`)

// argRange reads a documented range "(0-100)" from an argument's
// description (the SDL's way of saying what it cannot type).
func argRange(f *ast.FieldDefinition, arg string) (lo, hi int, ok bool) {
	ad := f.Arguments.ForName(arg)
	if ad == nil {
		return 0, 0, false
	}
	m := rangeRE.FindStringSubmatch(ad.Description)
	if m == nil {
		return 0, 0, false
	}
	lo, _ = strconv.Atoi(m[1])
	hi, _ = strconv.Atoi(m[2])
	return lo, hi, true
}

// maxPageSize is the largest page a walk asks for: the documented maximum
// of first, else 50.
func (c connInfo) maxPageSize() int {
	if _, hi, ok := argRange(c.field, "first"); ok && hi > 0 {
		return hi
	}
	return 50
}

// gqlPage is one page of a connection walk.
type gqlPage struct {
	nodes            []map[string]any
	cursors          []string
	hasNext, hasPrev bool
	start, end       *string
	totalCount       int
	url              string
	raw              gqlResult
	doc              *ast.QueryDocument
	vars             map[string]any
}

// connQuery writes a query reading one page of c with the given
// arguments (passed as variables typed as the SDL declares them) and
// node selection.
func connQuery(c connInfo, args map[string]any, sel string) (string, map[string]any) {
	var decl, use []string
	vars := map[string]any{}
	head := c.path[0]
	if c.lookup != nil {
		decl = append(decl, "$parent: "+c.lookup.Arguments[0].Type.String())
		head = fmt.Sprintf("%s(%s: $parent)", c.lookup.Name, c.lookup.Arguments[0].Name)
		vars["parent"] = args[parentArg]
	}
	for _, name := range sortedKeys(args) {
		ad := c.field.Arguments.ForName(name)
		if ad == nil {
			continue
		}
		decl = append(decl, fmt.Sprintf("$%s: %s", name, ad.Type.String()))
		use = append(use, fmt.Sprintf("%s: $%s", name, name))
		vars[name] = args[name]
	}
	call := c.path[len(c.path)-1]
	if len(use) > 0 {
		call += "(" + strings.Join(use, ", ") + ")"
	}
	inner := fmt.Sprintf("%s { totalCount edges { cursor node %s } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }", call, sel)
	q := inner
	for i := len(c.path) - 2; i >= 0; i-- {
		name := c.path[i]
		if i == 0 {
			name = head
		}
		q = name + " { " + q + " }"
	}
	if len(decl) > 0 {
		return fmt.Sprintf("query Page(%s) { %s }", strings.Join(decl, ", "), q), vars
	}
	return "query Page { " + q + " }", vars
}

// leafSelection selects the node's scalar and enum fields.
func leafSelection(a *API, c connInfo) string {
	return "{ " + strings.Join(leafFields(a.Schema, c.nodeType), " ") + " }"
}

// readPage fetches one page; a GraphQL error or a missing connection
// stops the step.
func readPage(t *T, c connInfo, args map[string]any, sel string, label string) gqlPage {
	q, vars := connQuery(c, args, sel)
	r := gql(t, t.api.Conf.Token, q, vars)
	if !requireOK(t, r) {
		t.violations[len(t.violations)-1].Message = label + ": " + t.violations[len(t.violations)-1].Message
		t.FailNow()
	}
	conn, _ := at(r.decoded(), toAny(c.path)...).(map[string]any)
	if conn == nil {
		t.Fatalf(pathString("data", toAny(c.path)...), "%s: the connection is null", label)
	}
	pg := gqlPage{raw: r, vars: vars}
	if doc, err := parseQuery(t.api.Schema, q); err == nil {
		pg.doc = doc
	}
	if n, ok := conn["totalCount"].(json.Number); ok {
		v, _ := n.Int64()
		pg.totalCount = int(v)
	}
	edges, _ := conn["edges"].([]any)
	for _, e := range edges {
		cur, _ := at(e, "cursor").(string)
		n, _ := at(e, "node").(map[string]any)
		pg.nodes = append(pg.nodes, n)
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
	return pg
}

// walkForward reads c with first/after and the extra arguments until
// hasNextPage is false or max nodes were read. each, when set, sees every
// page as it comes.
func walkForward(t *T, c connInfo, extra map[string]any, sel string, size, max int, each func(i int, p gqlPage)) ([]map[string]any, []gqlPage) {
	var nodes []map[string]any
	var pages []gqlPage
	args := map[string]any{"first": size}
	for k, v := range extra {
		args[k] = v
	}
	for i := 0; ; i++ {
		if i == maxPages {
			t.Fatalf(c.name(), "the walk did not end after %d pages", maxPages)
		}
		pg := readPage(t, c, args, sel, fmt.Sprintf("page %d", i))
		if each != nil {
			each(i, pg)
		}
		nodes = append(nodes, pg.nodes...)
		pages = append(pages, pg)
		if !pg.hasNext || len(nodes) >= max {
			break
		}
		if pg.end == nil || len(pg.nodes) == 0 {
			t.Fatalf(c.name()+".pageInfo", "page %d says hasNextPage true but has no edges or no endCursor", i)
		}
		args["after"] = *pg.end
	}
	return nodes, pages
}

// nodeKeys renders the connection keys of nodes.
func nodeKeys(nodes []map[string]any, key string) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = keyOf(n, key)
	}
	return out
}

// compareScalars orders two JSON scalars: numbers numerically, strings by
// their bytes (RFC 3339 instants in UTC compare correctly so), null first.
func compareScalars(a, b any) int {
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

// enumToField maps an order enum value (CREATED_ON) to the node field it
// names (createdOn), "" when no field matches.
func enumToField(node *ast.Definition, value string) string {
	want := strings.ReplaceAll(strings.ToLower(value), "_", "")
	var names []string
	for _, f := range node.Fields {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.ToLower(n) == want {
			return n
		}
	}
	return ""
}
