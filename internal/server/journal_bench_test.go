package server_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/server"
)

// ordersSpec is the spec of the journal benchmark: orders of a hundred line
// items, replaced with 16 KiB JSON bodies.
var ordersSpec = filepath.Join("testdata", "orders", "openapi.yaml")

// BenchmarkJournalBodies is a request with a 16 KiB JSON body through the
// whole handler, with the journal keeping bodies (journalBodies: true: both
// bodies captured and redacted) and without:
//
//   - RESTReplace: a PUT of an order of a hundred line items, answered with
//     the order (16 KiB too) after validating it against the spec twice;
//   - GraphQLVariables: the same order as a GraphQL variable beside a small
//     query, with the response cache off: the body is decoded, the query
//     run;
//   - GraphQLCached: the same request answered from the response cache
//     (the body read as the cache's key, the engine's work skipped): the
//     cheapest request a 16 KiB body can make, where the journal's share
//     is largest.
//
// docs/performance.md ("Journaled bodies") has the figures.
func BenchmarkJournalBodies(b *testing.B) {
	order, err := os.ReadFile(filepath.Join("..", "journal", "testdata", "order16k.json"))
	if err != nil {
		b.Fatal(err)
	}
	gql := `{"query":"query Q { admin { allClients(first: 1) { totalCount } } }","variables":{"input":` + string(order) + `}}`
	for _, rq := range []struct {
		name, method, path, body string
		cache                    int64
	}{
		{"RESTReplace", http.MethodPut, "/orders/1", string(order), 0},
		{"GraphQLVariables", http.MethodPost, "/graphql", gql, -1},
		{"GraphQLCached", http.MethodPost, "/graphql", gql, 0},
	} {
		for _, tc := range []struct {
			name   string
			bodies bool
		}{{"plain", false}, {"journaled", true}} {
			b.Run(rq.name+"/"+tc.name, func(b *testing.B) {
				benchJournal(b, rq.method, rq.path, rq.body, rq.cache, tc.bodies)
			})
		}
	}
}

func benchJournal(b *testing.B, method, path, body string, cache int64, bodies bool) {
	cfg := config.Default()
	cfg.LogLevel = "error"
	cfg.Specs = config.List{ordersSpec}
	cfg.JournalBodies = bodies
	s, err := server.New(cfg, server.Options{ResponseCacheBytes: cache})
	if err != nil {
		b.Fatal(err)
	}
	req := func() *http.Request {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer standin-admin")
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req())
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		b.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if reqs := s.Journal().List(1); bodies != (len(reqs) == 1 && reqs[0].Request != nil && !reqs[0].Request.BodyNotKept) {
		b.Fatalf("journal bodies %v: entry %+v", bodies, reqs)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		s.ServeHTTP(&discard{h: http.Header{}}, req())
	}
}
