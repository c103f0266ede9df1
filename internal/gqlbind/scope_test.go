package gqlbind_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/gqlbind"
	"github.com/standin/standin/internal/reqctx"
)

// A token's record scope applies to a GraphQL binding marked scoped, as to
// a REST one: a connection and a list leave out what the scope does not
// admit (totalCount too), a get of such a record is FORBIDDEN, a ref to it
// is null; an unscoped token sees everything.
func TestScopeAppliesToScopedBindings(t *testing.T) {
	f := newFixture(t)
	api := testAPI()
	for typ, name := range map[string]string{"Query": "widgets", "Part": "widget"} {
		fb := api.GraphQL.Fields[typ][name]
		fb.Scoped = true
		api.GraphQL.Fields[typ][name] = fb
	}
	for _, name := range []string{"widget", "redWidgets"} {
		fb := api.GraphQL.Fields["Query"][name]
		fb.Scoped = true
		api.GraphQL.Fields["Query"][name] = fb
	}
	b, err := gqlbind.New(api, f.schema, f.st, gqlbind.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.binder = b
	// the partner-like token may see the green widgets only
	green := &auth.Principal{Token: "green", Scopes: map[string]auth.Scope{"t": {Match: map[string]any{"color": "green"}}}}
	scoped := reqctx.WithPrincipal(context.Background(), green)
	for _, tc := range []struct {
		name, query string
		ctx         context.Context
		want        string
		wantCode    string
	}{
		{"connection", `{ widgets(first: 3) { totalCount nodes { id color } } }`, scoped,
			"map[widgets:map[nodes:[map[color:green id:w1] map[color:green id:w4] map[color:green id:w7]] totalCount:7]]", ""},
		{"connection, filtered outside the scope", `{ widgets(filter: {color: "red"}) { totalCount } }`, scoped,
			"map[widgets:map[totalCount:0]]", ""},
		{"get in scope", `{ widget(id: "w1") { id } }`, scoped, "map[widget:map[id:w1]]", ""},
		{"get outside the scope", `{ widget(id: "w0") { id } }`, scoped, "map[widget:<nil>]", "FORBIDDEN"},
		{"list", `{ redWidgets { id } }`, scoped, "map[redWidgets:[]]", ""},
		{"ref in scope", `{ widget(id: "w1") { parts(first: 1) { nodes { id widget { id } } } } }`, scoped,
			"map[widget:map[parts:map[nodes:[map[id:p1-0 widget:map[id:w1]]]]]]", ""},
		{"unscoped token", `{ widgets(first: 2) { totalCount nodes { id } } }`, context.Background(),
			"map[widgets:map[nodes:[map[id:w0] map[id:w1]] totalCount:20]]", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.run(t, tc.ctx, tc.query, nil)
			if got := fmt.Sprint(r.Data); got != tc.want {
				t.Errorf("data %s, want %s", got, tc.want)
			}
			switch {
			case tc.wantCode == "" && len(r.Errors) > 0:
				t.Errorf("errors %+v", r.Errors)
			case tc.wantCode != "" && (len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.wantCode):
				t.Errorf("errors %+v, want one %s", r.Errors, tc.wantCode)
			}
		})
	}
	// a ref to a record outside the scope is null: with only the ref
	// scoped, a red widget's part refers to no widget for the green token
	api = testAPI()
	fb := api.GraphQL.Fields["Part"]["widget"]
	fb.Scoped = true
	api.GraphQL.Fields["Part"]["widget"] = fb
	if f.binder, err = gqlbind.New(api, f.schema, f.st, gqlbind.Options{}); err != nil {
		t.Fatal(err)
	}
	r := f.run(t, scoped, `{ widget(id: "w0") { parts(first: 1) { nodes { id widget { id } } } } }`, nil)
	if got := fmt.Sprint(r.Data); got != "map[widget:map[parts:map[nodes:[map[id:p0-0 widget:<nil>]]]]]" || len(r.Errors) > 0 {
		t.Fatalf("ref outside the scope: %s %+v", got, r.Errors)
	}
}

// Guarded writes see the scope too: a scoped delete or update of a record
// outside the token's scope is FORBIDDEN and changes nothing.
func TestScopeAppliesToWrites(t *testing.T) {
	f := newFixture(t)
	api := testAPI()
	for _, name := range []string{"deleteWidget", "retireWidget"} {
		fb := api.GraphQL.Fields["Mutation"][name]
		fb.Scoped = true
		api.GraphQL.Fields["Mutation"][name] = fb
	}
	b, err := gqlbind.New(api, f.schema, f.st, gqlbind.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.binder = b
	green := reqctx.WithPrincipal(context.Background(), &auth.Principal{Token: "green", Scopes: map[string]auth.Scope{"t": {Match: map[string]any{"color": "green"}}}})
	for _, q := range []string{`mutation { deleteWidget(input: {id: "w9"}) { ok } }`, `mutation { retireWidget(id: "w0") { ok } }`} {
		r := f.run(t, green, q, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
			t.Errorf("%s outside the scope: %+v", q, r.Errors)
		}
	}
	// w9 (red, no parts) is still there; w4 (green, no parts) may go
	if r := f.run(t, context.Background(), `{ widget(id: "w9") { id state } }`, nil); fmt.Sprint(r.Data) != "map[widget:map[id:w9 state:NEW]]" {
		t.Fatalf("after refused writes: %v", r.Data)
	}
	if r := f.run(t, green, `mutation { deleteWidget(input: {id: "w4"}) { ok } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("delete in scope: %+v", r.Errors)
	}
}

// Regression: a blocker without a code blocks (it used to be ignored),
// with the code CONFLICT.
func TestBlockerWithoutCodeBlocks(t *testing.T) {
	f := newFixture(t)
	api := testAPI()
	fb := api.GraphQL.Fields["Mutation"]["deleteWidget"]
	fb.Blockers[0].Code = ""
	api.GraphQL.Fields["Mutation"]["deleteWidget"] = fb
	b, err := gqlbind.New(api, f.schema, f.st, gqlbind.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.binder = b
	r := f.run(t, context.Background(), `mutation { deleteWidget(input: {id: "w0"}) { ok } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != gqlbind.CodeConflict ||
		r.Errors[0].Message != `widget "w0" cannot be deleted: it has parts (p0-0, p0-1, p0-2, p0-3)` {
		t.Fatalf("code-less blocker: %+v", r.Errors)
	}
}
