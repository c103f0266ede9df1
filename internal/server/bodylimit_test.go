package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

// TestBodyOfUnknownLengthOverTheLimit: a body that declares no length
// (chunked) is still cut at the limit: one over it answers 413 in the
// API's shape, as a declared length over the limit does, and one within it
// is served. (A declared length within the limit
// is cut by net/http at that length.)
//
// The GraphQL cases are also cut by gqlhttp's own limit; the REST create
// (petstore's POST /pets, served by --spec) has only the server's reader.
func TestBodyOfUnknownLengthOverTheLimit(t *testing.T) {
	cfg := config.Default()
	cfg.Specs = config.List{petstoreSpec}
	srv, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", int(cfg.MaxBodyBytes))
	for _, tc := range []struct {
		name, method, path, body string
		want                     int
	}{
		{"graphql", http.MethodPost, "/api/graphql", `{"query":"{ __typename }","pad":"` + pad + `"}`, http.StatusRequestEntityTooLarge},
		{"graphql, kept answers' path", http.MethodPost, "/graphql", `{"query":"{ __typename }","pad":"` + pad + `"}`, http.StatusRequestEntityTooLarge},
		{"REST create", http.MethodPost, "/pets", `{"name":"` + pad + `","status":"available"}`, http.StatusRequestEntityTooLarge},
		{"REST create within the limit", http.MethodPost, "/pets", `{"name":"Rex II","status":"available"}`, http.StatusCreated},
		{"graphql within the limit", http.MethodPost, "/api/graphql", `{"query":"{ __typename }"}`, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// (a reader of no known length: ContentLength -1)
			req := httptest.NewRequest(tc.method, tc.path, io.MultiReader(strings.NewReader(tc.body)))
			if req.ContentLength != -1 {
				t.Fatalf("ContentLength %d, want -1", req.ContentLength)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer standin-admin")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("status %d, want %d: %.300s", rec.Code, tc.want, rec.Body.String())
			}
		})
	}
}
