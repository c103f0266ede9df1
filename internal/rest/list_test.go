package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

// withLargeBooks is the books engine with a large data set of n books
// costing cost each to read, as the server builds it for a scenario with
// dataSet: large.
func withLargeBooks(t *testing.T, n int, cost time.Duration) *fixture {
	t.Helper()
	f := loadBooks(t)
	large := store.New()
	col := manifest.StoreName("books", "books")
	if err := large.Define(store.Definition{Name: col, Unique: []string{"isbn"}, Index: []string{"title"}}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		rec := store.Record{"isbn": fmt.Sprintf("97810000%05d", i), "title": fmt.Sprintf("Large %d", i), "year": float64(2000 + i%20),
			"publisher": "Acme", "author": map[string]any{"name": "Someone", "country": nil}}
		if err := large.Insert(col, rec); err != nil {
			t.Fatal(err)
		}
	}
	b := f.api.REST.Operations["listBooks"]
	b.RecordCost = manifest.Duration(cost)
	f.api.REST.Operations["listBooks"] = b
	eng, err := New(f.api, f.doc, f.st, Options{Large: func(name string) (*store.Store, string, bool) {
		return large, name, name == col
	}})
	if err != nil {
		t.Fatal(err)
	}
	f.eng = eng
	return f
}

// The query-timeout scenario's large data set applies to a REST list as
// it does to a GraphQL connection: the list sees the large collection; a
// long page of it runs out of the request's time (504 in the API's shape,
// the scenario's message), while a short page answers.
func TestLargeDataSetAppliesToLists(t *testing.T) {
	f := withLargeBooks(t, 500, 10*time.Millisecond)
	get := func(target string, budget time.Duration) (int, map[string]any, time.Duration) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), budget)
		defer cancel()
		ctx = reqctx.WithTimeoutMessage(ctx, "Query timeout: use paging")
		start := time.Now()
		resp := f.doIn(t, ctx, call{method: "GET", target: target, data: reqctx.DataLarge})
		took := time.Since(start)
		body, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("%s: %v: %s", target, err, body)
		}
		return resp.StatusCode, v, took
	}
	// the catalog (no record cost) lists the large collection
	status, v, _ := get("/lib/catalog?size=3", time.Second)
	if meta, _ := v["meta"].(map[string]any); status != http.StatusOK || meta["total"] != float64(500) {
		t.Fatalf("catalog under the large data set: %d %v, want 500 records in total", status, v)
	}
	// a page of 5 costs 50ms, within the budget
	status, v, _ = get("/lib/books?limit=5", 300*time.Millisecond)
	if data, _ := v["data"].([]any); status != http.StatusOK || len(data) != 5 || data[0].(map[string]any)["title"] != "Large 0" {
		t.Fatalf("a short page: %d %v", status, v)
	}
	// a page of 50 costs 500ms: out of time at the deadline
	status, v, took := get("/lib/books?limit=50", 150*time.Millisecond)
	e, _ := v["error"].(map[string]any)
	if status != http.StatusGatewayTimeout || e == nil || e["message"] != "Gateway timeout: Query timeout: use paging" {
		t.Fatalf("a long page: %d %v, want 504 with the scenario's message", status, v)
	}
	if took < 140*time.Millisecond || took > 2*time.Second {
		t.Fatalf("gave up after %v, want the 150ms deadline", took)
	}
	// the normal data set is not slowed down and has its own records
	resp := f.do(t, call{method: "GET", target: "/lib/books?limit=50"})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &v) != nil || len(v["data"].([]any)) >= 50 {
		t.Fatalf("normal data set: %d %s", resp.StatusCode, body)
	}
	// a get under the large data set reads the large collection too
	if resp := f.do(t, call{method: "GET", target: "/lib/books/9781000000007", data: reqctx.DataLarge}); resp.StatusCode != http.StatusOK {
		t.Fatalf("get of a large record: %d", resp.StatusCode)
	}
}
