package defects_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/checks"
	"github.com/standin/standin/internal/defects"
)

// TestDefectsComplete holds every planted defect to what the mutation test
// needs of it: a unique name, the APIs to point at it, checks that exist,
// a word to look for in the report, and middleware.
func TestDefectsComplete(t *testing.T) {
	known := map[string]bool{}
	for _, c := range checks.All() {
		known[c.Name] = true
	}
	apis := map[string]bool{}
	for _, a := range conform.APINames() {
		apis[a] = true
	}
	seen := map[string]bool{}
	for _, d := range defects.Defects() {
		if d.Name == "" || seen[d.Name] {
			t.Errorf("defect name %q empty or repeated", d.Name)
		}
		seen[d.Name] = true
		if d.Expect == "" || d.Wrap == nil || len(d.APIs) == 0 || len(d.Checks) == 0 {
			t.Errorf("%s: Expect, Wrap, APIs and Checks are all required", d.Name)
		}
		for _, c := range d.Checks {
			if !known[c] {
				t.Errorf("%s: no check named %q", d.Name, c)
			}
		}
		for _, a := range d.APIs {
			if !apis[a] {
				t.Errorf("%s: no bundled API %q", d.Name, a)
			}
		}
	}
}

// TestDefectChangesAnswer: a planted defect changes the answer it targets
// and passes others through unchanged.
func TestDefectChangesAnswer(t *testing.T) {
	var wrap func(http.Handler) http.Handler
	for _, d := range defects.Defects() {
		if strings.HasPrefix(d.Name, "wrong type (clients-v0 client_id") {
			wrap = d.Wrap
		}
	}
	if wrap == nil {
		t.Fatal("defect not found")
	}
	h := wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"clients":[{"client_id":1,"name":"a"},{"client_id":2}]}`))
	}))
	tests := []struct {
		path, want string
	}{
		{path: "/v0/clients", want: `{"clients":[{"client_id":"1","name":"a"},{"client_id":2}]}`},
		{path: "/v2/clients/x", want: `{"clients":[{"client_id":1,"name":"a"},{"client_id":2}]}`},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		if got := rec.Body.String(); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.path, got, tc.want)
		}
	}
}
