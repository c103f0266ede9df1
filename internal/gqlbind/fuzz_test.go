package gqlbind_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/standin/standin/internal/graphql/lenient"
	"github.com/standin/standin/internal/graphql/respcheck"
	"github.com/standin/standin/standintest"
)

// FuzzBoundQuery feeds documents and variables to the bound marketplace
// schema through the mock's handler, in process. Invariants: no 5xx, no
// panic (the executor turns resolver panics into INTERNAL_SERVER_ERROR
// errors, which count as failures here), a JSON body, data for a document
// that fails as sent only when the answer reports a repair (lenient), and
// every data member valid for the selection it answers (respcheck).
func FuzzBoundQuery(f *testing.F) {
	src, err := os.ReadFile("../../specs/marketplace/schema.graphql")
	if err != nil {
		f.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "marketplace", Input: string(src)})
	if gerr != nil {
		f.Fatal(gerr)
	}
	srv := standintest.Start(f)
	h := srv.Handler()

	for _, seed := range [][2]string{
		{`query ($first: Int, $after: String, $last: Int, $before: String, $filter: AccountFilter, $orderBy: AccountOrder) { accounts(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name } } } }`, `{"first": 3, "orderBy": {"field": "NAME", "direction": "DESC"}}`},
		{`query ($id: ID!) { account(id: $id) { name id externalId status accessTypes countryCode defaultRole memberships(last: 2) { nodes { id user { email } account { id } } } subscriptions(status: ACTIVE) { totalCount nodes { status endedOn } } } }`, `{"id": "7480a312-916e-4739-b53a-7345bf3c6929"}`},
		{`{ accountByExternalId(externalId: "a111111") { ...F } } fragment F on Account { name createdOn }`, `{}`},
		{`mutation ($id: ID!) { deleteAccount(input: {accountId: $id}) { success } }`, `{"id": "0438bc88-bd79-40be-bc89-93d27b5773eb"}`},
		{`mutation { terminateSubscription(input: {subscriptionId: "a1c3e5f7-0b2d-4f6a-8c1e-3a5c7e9b1d30"}) { success subscription { status } } }`, `null`},
		{`{ accounts(after: "YzF8MnxOQU1FOkFTQ3wiQSI", filter: {status: ACTIVE}) { nodes { id } } }`, ``},
		{`{ a: accounts(first: 101) { totalCount } b: account(id: "x") { id } }`, `{"x": [1, {"y": null}]}`},
		{`{ __schema { types { name } } }`, `{}`},
		// The repairs: a missing "{", an undeclared variable, a mutation
		// with no selection set (each once failed this target in CI).
		{`query ($id: ID!) account(id: $id) { name } }`, `{"id": "7480a312-916e-4739-b53a-7345bf3c6929"}`},
		{`query { accounts(first: $first) { nodes { id } } }`, `{"first": 2}`},
		{`mutation ($id: ID!) { deleteAccount(input: {accountId: $id}) }`, `{"id": "0438bc88-bd79-40be-bc89-93d27b5773eb"}`},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, query, vars string) {
		body := map[string]any{"query": query}
		var v map[string]any
		if json.Unmarshal([]byte(vars), &v) == nil {
			body["variables"] = v
		}
		b, _ := json.Marshal(body)
		req := httptest.NewRequest(http.MethodPost, "/api/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var resp struct {
			Data   json.RawMessage `json:"data"`
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
			Extensions struct {
				Warnings []string `json:"warnings"`
			} `json:"extensions"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("status %d, body is not JSON: %v\n%s", rec.Code, err, rec.Body)
		}
		for _, e := range resp.Errors {
			if e.Extensions["code"] == "INTERNAL_SERVER_ERROR" {
				t.Fatalf("internal error (a resolver failed or panicked): %s\nquery: %q vars: %q", e.Message, query, vars)
			}
		}
		if len(resp.Data) == 0 || string(resp.Data) == "null" {
			return
		}
		doc, perr := parser.ParseQuery(&ast.Source{Input: query})
		var verrs error
		if perr == nil {
			if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
				verrs = errs
			}
		}
		if perr != nil || verrs != nil {
			// The mock repairs the pages' malformed examples (lenient). Data
			// for a document that fails as sent is right only when the answer
			// says it was repaired, and it must then fit the repaired document.
			if len(resp.Extensions.Warnings) == 0 {
				t.Fatalf("data for a document that fails as sent (parse: %v, validate: %v) with no repair warning: %s", perr, verrs, rec.Body)
			}
			repaired, notes := lenient.RepairSource(schema, query)
			if repaired == nil {
				t.Fatalf("data and warnings %q for a document lenient cannot repair: %s", resp.Extensions.Warnings, rec.Body)
			}
			if !slices.Equal(notes, resp.Extensions.Warnings) {
				t.Fatalf("warnings %q, want the repair's notes %q", resp.Extensions.Warnings, notes)
			}
			doc = repaired
		}
		if viol := respcheck.ValidateJSON(schema, doc, "", v, resp.Data); len(viol) > 0 {
			t.Fatalf("data violates the schema: %v\nquery: %q vars: %q\n%s", viol, query, vars, rec.Body)
		}
	})
}
