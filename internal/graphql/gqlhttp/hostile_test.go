package gqlhttp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// TestHostileDocuments sends, through the whole mock, the documents that
// once made validation quadratic or answers huge, and what else a careless
// or hostile client sends: each gets a clear 400 that names its limit.
func TestHostileDocuments(t *testing.T) {
	h := newMock(t)
	docs := hostileDocs()
	var schemas strings.Builder
	schemas.WriteString("{ ")
	for i := range 99 {
		fmt.Fprintf(&schemas, "s%d: __schema { types { name kind description fields { name description type { name kind } } } } ", i)
	}
	schemas.WriteString("}")
	manyTokens := "{ __typename " + strings.Repeat("@skip(if: false) ", 3000) + "}"

	cases := []struct {
		name, body string
		want       []string // all in the body
		errors     int      // exact number of errors, when > 0
	}{
		{"5,400 __typename", gqlBody(docs["typename-5400"], ""), []string{"QUERY_TOO_COMPLEX", `more than 20 fields named \"__typename\"`}, 1},
		{"2,100 distinct __typename aliases", gqlBody(docs["aliases-2100"], ""), []string{"QUERY_TOO_COMPLEX", "more than 2000 selections"}, 1},
		{"500 conflicting account fields", gqlBody(docs["conflicts-500"], ""), []string{"QUERY_TOO_COMPLEX", `more than 20 fields named \"account\"`}, 1},
		{"5,000 name fields", gqlBody(docs["same-name-5000"], ""), []string{"QUERY_TOO_COMPLEX", `more than 20 fields named \"name\"`}, 1},
		{"20 x 20 fields at one path", gqlBody(docs["nested-20x20"], ""), []string{`more than 20 fields named \"name\"`}, 1},
		{"8,550 conflicts listed as 100 errors", gqlBody(docs["conflicts-45x20"], ""), []string{"GRAPHQL_VALIDATION_FAILED", "Too many errors: 8451 more not listed"}, 100},
		{"99 aliased __schema", gqlBody(schemas.String(), ""), []string{"QUERY_TOO_COMPLEX", "exceeds the maximum introspection cost", "2 full introspection queries of this schema"}, 0},
		{"more than 15,000 tokens", gqlBody(manyTokens, ""), []string{"QUERY_TOO_COMPLEX", "more than 15000 tokens"}, 1},
		{"first: 2147483648 is not an Int", gqlBody("{ accounts(first: 2147483648) { totalCount } }", ""), []string{"GRAPHQL_VALIDATION_FAILED", "Int cannot represent non 32-bit signed integer value: 2147483648"}, 1},
		{"first: -2147483649 is not an Int", gqlBody("{ accounts(first: -2147483649) { totalCount } }", ""), []string{"Int cannot represent non 32-bit signed integer value: -2147483649"}, 1},
		{"$first = 2147483648 is not an Int", gqlBody("query($n: Int) { accounts(first: $n) { totalCount } }", `{"n":2147483648}`), []string{"Int cannot represent non 32-bit signed integer value"}, 1},
		{"batched body", `[{"query":"{ __typename }"},{"query":"{ __typename }"}]`, []string{"BAD_REQUEST", "Batched requests (a JSON array of request objects) are not supported"}, 1},
		{"number body", `42`, []string{"The request body must be a JSON object."}, 1},
		{"truncated body", `{"query":"{ __typename }"`, []string{"The request body must be a JSON object: unexpected end of JSON input"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/graphql", strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer standin-admin")
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400: %.300s", rec.Code, body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q: %.400s", w, body)
				}
			}
			for _, bad := range []string{"Go value", "Go struct", "struct {", "json.RawMessage"} {
				if strings.Contains(body, bad) {
					t.Errorf("body shows Go internals (%q): %.300s", bad, body)
				}
			}
			var resp struct {
				Errors []json.RawMessage `json:"errors"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if c.errors > 0 && len(resp.Errors) != c.errors {
				t.Errorf("%d errors, want %d", len(resp.Errors), c.errors)
			}
		})
	}
}

// TestFailingDocumentsAreNotKept sends 100 distinct 8 KB documents that
// fail validation with many errors: once answered they leave no memory
// behind (they once stayed in the document cache with their error lists,
// 600 MiB for 20 of them).
func TestFailingDocumentsAreNotKept(t *testing.T) {
	h := newMock(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for d := range 100 {
		var b strings.Builder
		fmt.Fprintf(&b, "# %d\n{ ", d)
		for b.Len() < 8<<10 {
			fmt.Fprintf(&b, `a%d: account(id:"%d"){name} `, b.Len()%40, b.Len())
		}
		b.WriteString("}")
		rec := postGraphQL(h, "/api/graphql", b.String())
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d: %.200s", rec.Code, rec.Body.String())
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap grew by %d KiB", grown>>10)
	if grown > 20<<20 {
		t.Errorf("heap grew by %d MiB after 100 failing documents, want < 20 MiB", grown>>20)
	}
}
