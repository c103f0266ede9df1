package gqlbind_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/gqlbind"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/respcheck"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// A small API: widgets with parts (linked by widgetId, indexed), a get, a
// delete blocked by parts, an update refused for retired widgets.
const testSDL = `
schema { query: Query mutation: Mutation }
type Query {
  widgets(first: Int, after: String, last: Int, before: String, filter: WidgetFilter, orderBy: WidgetOrder): WidgetConnection
  widget(id: ID!): Widget
  secret: Secret
  redWidgets: [Widget!]!
}
type Mutation {
  deleteWidget(input: IDInput!): Payload
  retireWidget(id: ID!): RetirePayload
}
input IDInput { id: ID! }
input WidgetFilter { color: String }
input WidgetOrder { field: WidgetOrderField!, direction: Direction! }
enum WidgetOrderField { NAME SIZE }
enum Direction { ASC DESC }
type Payload { ok: Boolean! }
type Secret { ok: Boolean }
type RetirePayload { ok: Boolean!, widget: Widget }
type Widget {
  id: ID!
  name: String!
  color: String
  size: Float
  state: String!
  parts(first: Int, after: String, last: Int, before: String): PartConnection!
}
type Part { id: ID!, widgetId: ID!, widget: Widget }
type PageInfo { hasNextPage: Boolean!, hasPreviousPage: Boolean!, startCursor: String, endCursor: String }
type WidgetConnection { edges: [WidgetEdge!]!, nodes: [Widget!]!, pageInfo: PageInfo!, totalCount: Int! }
type WidgetEdge { node: Widget!, cursor: String! }
type PartConnection { edges: [PartEdge!]!, nodes: [Part!]!, pageInfo: PageInfo!, totalCount: Int! }
type PartEdge { node: Part!, cursor: String! }
`

func testAPI() *manifest.API {
	return &manifest.API{
		Name: "t",
		GraphQL: &manifest.GraphQL{Fields: map[string]map[string]manifest.FieldBinding{
			"Query": {
				"widgets": {Kind: "connection", Collection: "widgets", Filter: map[string]string{"color": "color"},
					Order: map[string]string{"NAME": "name", "SIZE": "size"}, RecordCost: manifest.Duration(time.Millisecond)},
				"widget":     {Kind: "get", Collection: "widgets", Arg: "id", Field: "id", NotFound: "NOT_FOUND"},
				"secret":     {Kind: "object", Requires: []string{"ADMIN"}},
				"redWidgets": {Kind: "list", Collection: "widgets", Where: map[string][]any{"color": {"red"}}, PageSize: 3},
			},
			"Widget": {"parts": {Kind: "connection", Collection: "parts", Match: map[string]string{"widgetId": "id"}, PageSize: 3}},
			"Part":   {"widget": {Kind: "ref", Collection: "widgets", Match: map[string]string{"id": "widgetId"}}},
			"Mutation": {
				"deleteWidget": {Kind: "delete", Collection: "widgets", Arg: "input.id", Field: "id",
					Blockers: []manifest.Blocker{{Collection: "parts", Field: "widgetId", Code: "HAS_PARTS", Message: "it has parts"}},
					Payload:  map[string]any{"ok": true}},
				"retireWidget": {Kind: "update", Collection: "widgets", Arg: "id", Field: "id",
					RefuseWhen: map[string][]any{"state": {"RETIRED"}}, Set: map[string]any{"state": "RETIRED"},
					Payload: map[string]any{"ok": true, "widget": "{{record}}"}},
			},
		}},
	}
}

type fixture struct {
	schema *ast.Schema
	st     *store.Store
	large  *store.Store
	binder *gqlbind.Binder
	ex     *exec.Executor
}

func widgetsStore(t testing.TB, n, partsPer int) *store.Store {
	t.Helper()
	st := store.New()
	for _, d := range []store.Definition{
		{Name: manifest.StoreName("t", "widgets"), Unique: []string{"id"}},
		{Name: manifest.StoreName("t", "parts"), Unique: []string{"id"}, Index: []string{"widgetId"}},
	} {
		if err := st.Define(d); err != nil {
			t.Fatal(err)
		}
	}
	colors := []string{"red", "green", "blue"}
	for i := range n {
		w := store.Record{"id": fmt.Sprintf("w%d", i), "name": fmt.Sprintf("widget %02d", (i*7)%n), "color": colors[i%3],
			"size": float64(i % 4), "state": "NEW"}
		if err := st.Insert(manifest.StoreName("t", "widgets"), w); err != nil {
			t.Fatal(err)
		}
	}
	// Parts interleaved across widgets, so a widget's parts are spread over
	// the collection.
	for j := range partsPer {
		for i := range n {
			if i%5 == 4 {
				continue // some widgets have no parts
			}
			p := store.Record{"id": fmt.Sprintf("p%d-%d", i, j), "widgetId": fmt.Sprintf("w%d", i)}
			if err := st.Insert(manifest.StoreName("t", "parts"), p); err != nil {
				t.Fatal(err)
			}
		}
	}
	return st
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "t.graphql", Input: testSDL})
	if gerr != nil {
		t.Fatal(gerr)
	}
	f := &fixture{schema: schema, st: widgetsStore(t, 20, 4), large: widgetsStore(t, 2000, 0)}
	b, err := gqlbind.New(testAPI(), schema, f.st, gqlbind.Options{
		Now: func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) },
		Large: func(col string) (*store.Store, string, bool) {
			return f.large, col, col == manifest.StoreName("t", "widgets")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.binder = b
	f.ex = exec.New(schema, exec.Options{Limits: exec.DefaultLimits()})
	return f
}

type result struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (f *fixture) run(t testing.TB, ctx context.Context, query string, vars map[string]any) result {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	if errs := validator.ValidateWithRules(f.schema, doc, nil); len(errs) > 0 {
		t.Fatalf("invalid test query: %v", errs)
	}
	resp := f.ex.Execute(ctx, exec.Request{Document: doc, Variables: vars, Resolver: f.binder})
	if v := respcheck.ValidateJSON(f.schema, doc, "", vars, resp.Data); len(v) > 0 && resp.Data != nil {
		t.Fatalf("response violates the schema: %v", v)
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var r result
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNewRejectsBadBindings(t *testing.T) {
	schema, _ := gqlparser.LoadSchema(&ast.Source{Input: testSDL})
	for name, fb := range map[string]manifest.FieldBinding{
		"unknown kind":      {Kind: "table", Collection: "widgets"},
		"list of no list":   {Kind: "list", Collection: "widgets"},
		"no collection":     {Kind: "connection"},
		"ref without match": {Kind: "ref", Collection: "widgets"},
		"get without arg":   {Kind: "get", Collection: "widgets"},
		"get bad arg":       {Kind: "get", Collection: "widgets", Arg: "nope", Field: "id"},
	} {
		api := testAPI()
		field := "widgets"
		if strings.HasPrefix(name, "get") || strings.HasPrefix(name, "ref") {
			field = "widget"
		}
		api.GraphQL.Fields["Query"][field] = fb
		if _, err := gqlbind.New(api, schema, store.New(), gqlbind.Options{}); err == nil {
			t.Errorf("%s: New accepted the binding", name)
		}
	}
}

// TestMatchConnection checks a connection restricted by match (read through
// the index on widgetId) against the records, with paging both ways.
func TestMatchConnection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 20 {
		id := fmt.Sprintf("w%d", i)
		var want []string
		if i%5 != 4 {
			for j := range 4 {
				want = append(want, fmt.Sprintf("p%d-%d", i, j))
			}
		}
		r := f.run(t, ctx, `query ($id: ID!) { widget(id: $id) {
			all: parts(first: 100) { totalCount nodes { id widget { id } } }
			def: parts { totalCount pageInfo { hasNextPage } nodes { id } }
			tail: parts(last: 2) { pageInfo { hasPreviousPage hasNextPage } nodes { id } } } }`, map[string]any{"id": id})
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %v", id, r.Errors)
		}
		w := r.Data["widget"].(map[string]any)
		all := w["all"].(map[string]any)
		var got []string
		for _, n := range all["nodes"].([]any) {
			n := n.(map[string]any)
			got = append(got, n["id"].(string))
			if n["widget"].(map[string]any)["id"] != id {
				t.Fatalf("part %v: ref resolves to another widget", n)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || int(all["totalCount"].(float64)) != len(want) {
			t.Fatalf("%s parts: got %v (total %v), want %v", id, got, all["totalCount"], want)
		}
		// pageSize 3 when neither first nor last is given.
		def := w["def"].(map[string]any)
		if n := len(def["nodes"].([]any)); n != min(3, len(want)) || def["pageInfo"].(map[string]any)["hasNextPage"] != (len(want) > 3) {
			t.Fatalf("%s default page: %v", id, def)
		}
		tail := w["tail"].(map[string]any)
		if len(want) > 0 && fmt.Sprint(tail["nodes"]) != fmt.Sprintf("[map[id:%s] map[id:%s]]", want[2], want[3]) {
			t.Fatalf("%s last 2: %v", id, tail)
		}
	}
}

// TestOrderedCursorsSurviveDeletes pages through an ordered view, deleting
// the record of the cursor just used: the walk still visits every other
// record once, in order.
func TestOrderedCursorsSurviveDeletes(t *testing.T) {
	for _, order := range []string{"NAME ASC", "NAME DESC", "SIZE ASC", "SIZE DESC", ""} {
		t.Run(order, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			vars := map[string]any{}
			if order != "" {
				field, dir, _ := strings.Cut(order, " ")
				vars["orderBy"] = map[string]any{"field": field, "direction": dir}
			}
			q := `query ($first: Int, $after: String, $orderBy: WidgetOrder) { widgets(first: $first, after: $after, orderBy: $orderBy) {
				pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`
			vars["first"] = 100
			r := f.run(t, ctx, q, vars)
			var want []string
			for _, e := range r.Data["widgets"].(map[string]any)["edges"].([]any) {
				want = append(want, e.(map[string]any)["node"].(map[string]any)["id"].(string))
			}
			var got []string
			vars["first"] = 3
			delete(vars, "after")
			for {
				r := f.run(t, ctx, q, vars)
				if len(r.Errors) > 0 {
					t.Fatal(r.Errors)
				}
				conn := r.Data["widgets"].(map[string]any)
				edges := conn["edges"].([]any)
				for _, e := range edges {
					got = append(got, e.(map[string]any)["node"].(map[string]any)["id"].(string))
				}
				if conn["pageInfo"].(map[string]any)["hasNextPage"] != true {
					break
				}
				vars["after"] = conn["pageInfo"].(map[string]any)["endCursor"]
				// Delete the record the cursor points at (parts block some
				// deletes; drop those parts first).
				last := edges[len(edges)-1].(map[string]any)["node"].(map[string]any)["id"].(string)
				deleteWidget(t, f, last)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("walk with deletes:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func deleteWidget(t *testing.T, f *fixture, id string) {
	t.Helper()
	err := f.st.Update(func(tx *store.Tx) error {
		parts, err := tx.Find(manifest.StoreName("t", "parts"), "widgetId", id)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if _, err := tx.Delete(manifest.StoreName("t", "parts"), "id", p.Lookup("id")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := f.run(t, context.Background(), `mutation ($id: ID!) { deleteWidget(input: {id: $id}) { ok } }`, map[string]any{"id": id})
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
}

func TestErrorMessagesNameOneRecord(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		query, code, msg string
	}{
		{`{ widget(id: "nope") { id } }`, "NOT_FOUND", `no widget with id "nope"`},
		{`mutation { deleteWidget(input: {id: "nope"}) { ok } }`, "NOT_FOUND", `no widget with id "nope"`},
		{`mutation { deleteWidget(input: {id: "w0"}) { ok } }`, "HAS_PARTS", `widget "w0" cannot be deleted: it has parts (p0-0, p0-1, p0-2, p0-3)`},
		{`mutation { retireWidget(id: "nope") { ok } }`, "NOT_FOUND", `no widget with id "nope"`},
		{`{ secret { ok } }`, "FORBIDDEN", `permission denied: Query.secret requires the ADMIN permission`},
	} {
		r := f.run(t, ctx, tc.query, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.code || r.Errors[0].Message != tc.msg {
			t.Errorf("%s: got %+v, want %s %q", tc.query, r.Errors, tc.code, tc.msg)
		}
	}
	r := f.run(t, ctx, `mutation { a: retireWidget(id: "w1") { ok widget { state } } b: retireWidget(id: "w1") { ok } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Message != `widget "w1" has state RETIRED` || fmt.Sprint(r.Data["a"]) != "map[ok:true widget:map[state:RETIRED]]" {
		t.Errorf("retire twice: %+v %v", r.Errors, r.Data)
	}
	// With the permission the field resolves.
	ctx = reqctx.WithPrincipal(ctx, &auth.Principal{Token: "x", Permissions: []string{"ADMIN"}})
	if r := f.run(t, ctx, `{ secret { ok } }`, nil); len(r.Errors) != 0 || fmt.Sprint(r.Data["secret"]) != "map[ok:<nil>]" {
		t.Errorf("secret with ADMIN: %+v", r)
	}
}

// TestLargeDataSetTimeout is the query-timeout scenario at the binder: an
// unpaginated read of the large set gives up with TIMEOUT at the query's
// deadline; a paginated one answers.
func TestLargeDataSetTimeout(t *testing.T) {
	f := newFixture(t)
	ctx := reqctx.WithDataSet(context.Background(), reqctx.DataLarge)
	ctx = reqctx.WithTimeoutMessage(ctx, "Query timeout: use pagination")

	c1, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	r := f.run(t, c1, `{ widgets(first: 100) { totalCount } }`, nil) // 100 records, 100ms
	if len(r.Errors) > 0 || r.Data["widgets"].(map[string]any)["totalCount"] != float64(2000) {
		t.Fatalf("paginated read of the large set: %+v", r)
	}

	c2, cancel2 := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel2()
	start := time.Now()
	f.binder = mustBinder(t, f, 0) // pageSize 0: every record
	r = f.run(t, c2, `{ widgets { totalCount } }`, nil)
	took := time.Since(start)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "TIMEOUT" || r.Errors[0].Message != "Query timeout: use pagination" ||
		r.Errors[0].Extensions["records"] != float64(2000) || r.Data["widgets"] != nil {
		t.Fatalf("unpaginated read of the large set: %+v", r)
	}
	if took < 140*time.Millisecond || took > 2*time.Second {
		t.Fatalf("gave up after %v, want the 150ms deadline", took)
	}
	// The normal data set is not slowed down.
	r = f.run(t, context.Background(), `{ widgets { totalCount } }`, nil)
	if len(r.Errors) > 0 || r.Data["widgets"].(map[string]any)["totalCount"] != float64(20) {
		t.Fatalf("normal set: %+v", r)
	}
}

func mustBinder(t *testing.T, f *fixture, pageSize int) *gqlbind.Binder {
	api := testAPI()
	fb := api.GraphQL.Fields["Query"]["widgets"]
	fb.PageSize = pageSize
	api.GraphQL.Fields["Query"]["widgets"] = fb
	b, err := gqlbind.New(api, f.schema, f.st, gqlbind.Options{Large: func(col string) (*store.Store, string, bool) {
		return f.large, col, col == manifest.StoreName("t", "widgets")
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestList: a plain list field answers the matching records in creation
// order, at most pageSize; none in the empty data set.
func TestList(t *testing.T) {
	f := newFixture(t)
	r := f.run(t, context.Background(), `{ redWidgets { id color } }`, nil)
	if len(r.Errors) > 0 || fmt.Sprint(r.Data["redWidgets"]) != "[map[color:red id:w0] map[color:red id:w3] map[color:red id:w6]]" {
		t.Fatalf("list: %+v", r)
	}
	r = f.run(t, reqctx.WithDataSet(context.Background(), reqctx.DataEmpty), `{ redWidgets { id } }`, nil)
	if len(r.Errors) > 0 || fmt.Sprint(r.Data["redWidgets"]) != "[]" {
		t.Fatalf("list in the empty set: %+v", r)
	}
}

func TestEmptyDataSet(t *testing.T) {
	f := newFixture(t)
	ctx := reqctx.WithDataSet(context.Background(), reqctx.DataEmpty)
	r := f.run(t, ctx, `{ widgets { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, nil)
	if len(r.Errors) > 0 || fmt.Sprint(r.Data) != "map[widgets:map[nodes:[] pageInfo:map[endCursor:<nil> hasNextPage:false hasPreviousPage:false startCursor:<nil>] totalCount:0]]" {
		t.Fatalf("empty set: %+v", r)
	}
	r = f.run(t, ctx, `mutation { deleteWidget(input: {id: "w4"}) { ok } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("delete in the empty set: %+v", r)
	}
}

func BenchmarkMatchConnection(b *testing.B) {
	f := newFixture(b)
	f.st = widgetsStore(b, 2000, 10)
	binder, err := gqlbind.New(testAPI(), f.schema, f.st, gqlbind.Options{})
	if err != nil {
		b.Fatal(err)
	}
	f.binder = binder
	doc, _ := parser.ParseQuery(&ast.Source{Input: `{ widget(id: "w1234") { parts(first: 5) { totalCount nodes { id } } } }`})
	b.ReportAllocs()
	for b.Loop() {
		resp := f.ex.Execute(context.Background(), exec.Request{Document: doc, Resolver: f.binder})
		if len(resp.Errors) > 0 {
			b.Fatal(resp.Errors)
		}
	}
}
