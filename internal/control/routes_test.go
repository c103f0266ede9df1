package control_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/standin/standin/internal/control"
)

// TestRouting: every control path with its methods (HEAD with GET), 405
// with Allow and 404 in {"error": ...}, with or without the prefix and a
// trailing slash, variables percent-decoded.
func TestRouting(t *testing.T) {
	served := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"served":"` + name + `"}`))
		})
	}
	opts := control.Options{Metrics: served("metrics"), UI: served("ui"), Reloads: func() any { return []string{} }}
	tests := []struct {
		method, path string
		status       int
		allow        string // Allow of a 405
		has          string // in the body
	}{
		{"GET", "/__standin/apis", 200, "", `"apis"`},
		{"GET", "/__standin/apis/", 200, "", `"apis"`},
		{"GET", "/apis", 200, "", `"apis"`},
		{"HEAD", "/__standin/apis", 200, "", ""},
		{"PUT", "/__standin/apis", 405, "GET, HEAD", "method PUT not allowed"},
		{"OPTIONS", "/__standin/reset", 405, "POST", ""},
		{"POST", "/__standin/requests", 405, "GET, DELETE, HEAD", ""},
		{"POST", "/__standin/requests/count", 405, "GET, HEAD", ""},
		{"POST", "/__standin/requests/stream", 405, "GET, HEAD", ""},
		{"GET", "/__standin/requests/count", 200, "", `"count"`},
		{"GET", "/__standin/apis/adm%69n/scenario", 200, "", `"api":"admin"`},
		{"GET", "/__standin/apis/admin%2Fx/scenario", 404, "", "no control endpoint"},
		{"GET", "/__standin/apis//scenario", 404, "", "no control endpoint"},
		{"GET", "/__standin/apis/nope/scenario", 404, "", "unknown API"},
		{"PATCH", "/__standin/apis/nope/scenario", 405, "GET, PUT, DELETE, HEAD", ""},
		{"GET", "/__standin/apis/admin/collections", 404, "", "no data API"},
		{"POST", "/__standin/apis/admin/collections/c/records", 404, "", "no data API"},
		{"GET", "/__standin", 404, "", "no control endpoint"},
		{"GET", "/__standin/nope", 404, "", "see GET /__standin/apis"},
		{"GET", "/__standin/apis/admin", 404, "", "no control endpoint"},
		{"GET", "/__standin/metrics", 200, "", `"served":"metrics"`},
		{"POST", "/__standin/metrics", 405, "GET, HEAD", ""},
		{"GET", "/__standin/ui", 200, "", `"served":"ui"`},
		{"GET", "/__standin/ui/", 200, "", `"served":"ui"`},
		{"GET", "/__standin/ui/app.js", 200, "", `"served":"ui"`},
		{"DELETE", "/__standin/ui/app.js", 405, "GET, HEAD", ""},
		{"GET", "/__standin/uix", 404, "", "no control endpoint"},
		{"GET", "/__standin/reloads", 200, "", `"reloads"`},
		{"GET", "/__standin/health", 200, "", `"ok"`},
		{"DELETE", "/health", 405, "GET, HEAD", ""},
	}
	h := control.New(newBackend(t), opts)
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := do(t, h, call{method: tc.method, path: tc.path})
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, body)
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			if tc.status >= 400 {
				if msg, _ := body["error"].(string); msg == "" {
					t.Errorf("error body without a message: %v", body)
				}
			}
			if raw := mustJSON(t, body); !strings.Contains(raw, tc.has) {
				t.Errorf("body %s does not contain %s", raw, tc.has)
			}
		})
	}
	// Without the options their paths are unknown.
	bare := control.New(newBackend(t), control.Options{})
	for _, p := range []string{"/__standin/metrics", "/__standin/ui/", "/__standin/reloads"} {
		if resp, body := do(t, bare, call{method: "GET", path: p}); resp.StatusCode != 404 {
			t.Errorf("GET %s without its option: %d %v", p, resp.StatusCode, body)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
