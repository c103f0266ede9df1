package cors

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzPolicy compiles arbitrary patterns and applies them to arbitrary
// origins. Invariants: no panic; a pattern without "*" allows exactly the
// origin equal to it (ignoring case); an allowed origin is reflected as
// Access-Control-Allow-Origin and a refused one gets no CORS header.
func FuzzPolicy(f *testing.F) {
	f.Add("http://localhost:*", "http://localhost:5173")
	f.Add("https://*.example.com", "https://example.com")
	f.Add("*", "null")
	f.Add("http://a*b*c", "http://aXbYc")
	f.Add("bad pattern", "http://x")
	f.Fuzz(func(t *testing.T, pattern, origin string) {
		p, err := New([]string{pattern})
		if err != nil {
			return
		}
		allowed := p.Allows(origin)
		if !strings.Contains(pattern, "*") && origin != "" {
			if want := strings.EqualFold(strings.TrimSpace(pattern), origin); allowed != want {
				t.Fatalf("pattern %q, origin %q: Allows = %v, want %v", pattern, origin, allowed, want)
			}
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Origin"] = []string{origin}
		w := httptest.NewRecorder()
		if p.Handle(w, r) {
			t.Fatal("a GET must never be answered by the CORS stage")
		}
		got := w.Header().Get("Access-Control-Allow-Origin")
		if allowed && got != origin {
			t.Fatalf("allowed origin %q reflected as %q", origin, got)
		}
		if !allowed && got != "" {
			t.Fatalf("refused origin %q got Access-Control-Allow-Origin %q", origin, got)
		}
	})
}
