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
// (chunked) is still cut at the limit: reading past it answers 413, as a
// declared length over the limit does. (A declared length within the limit
// is cut by net/http at that length.)
func TestBodyOfUnknownLengthOverTheLimit(t *testing.T) {
	cfg := config.Default()
	srv, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	big := `{"query":"{ __typename }","pad":"` + strings.Repeat("x", int(cfg.MaxBodyBytes)) + `"}`
	for _, tc := range []struct{ name, method, path string }{
		{"graphql", http.MethodPost, "/api/graphql"},
		{"graphql, kept answers' path", http.MethodPost, "/graphql"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// (a reader of no known length: ContentLength -1)
			req := httptest.NewRequest(tc.method, tc.path, io.MultiReader(strings.NewReader(big)))
			if req.ContentLength != -1 {
				t.Fatalf("ContentLength %d, want -1", req.ContentLength)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer standin-admin")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413: %.300s", rec.Code, rec.Body.String())
			}
		})
	}
}
