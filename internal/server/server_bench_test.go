package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/server"
)

// The four requests of bench/run.sh, served in-process (no network), so that
// `go test -bench . -cpuprofile` shows where the mock spends its time.
var benchRequests = []struct {
	name, method, path, body string
}{
	{"RESTGet", http.MethodGet, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", ""},
	{"RESTList", http.MethodGet, "/v0/clients", ""},
	{"GraphQLAllClients", http.MethodPost, "/graphql", `{"query":"{ admin { allClients(first: 10) { edges { node { name code group } } totalCount } } }"}`},
	{"GraphQLAccounts", http.MethodPost, "/api/graphql", `{"query":"query Accounts { accounts(first: 20) { totalCount edges { cursor node { ...AccountFields } } pageInfo { hasNextPage endCursor } } } fragment AccountFields on Account { id name externalId countryCode accessTypes defaultRole status createdOn }"}`},
}

func benchServer(b *testing.B, counts map[string]int) http.Handler {
	b.Helper()
	cfg := config.Default()
	cfg.LogLevel = "error"
	cfg.APIs = map[string]config.API{"clients-v0": {
		RateLimit: &manifest.RateLimit{Limit: 1_000_000_000, Window: manifest.Duration(15 * time.Minute)},
		Counts:    counts,
	}}
	s, err := server.New(cfg, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkServe measures one request through the whole handler chain.
func BenchmarkServe(b *testing.B) {
	h := benchServer(b, nil)
	for _, br := range benchRequests {
		b.Run(br.name, func(b *testing.B) {
			rec := httptest.NewRecorder()
			req := newReq(br.method, br.path, br.body)
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
			b.ReportAllocs()
			b.SetBytes(int64(rec.Body.Len()))
			for b.Loop() {
				h.ServeHTTP(&discard{h: http.Header{}}, newReq(br.method, br.path, br.body))
			}
		})
	}
}

func newReq(method, path, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	r.Header.Set("Authorization", "Bearer standin-admin")
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}
