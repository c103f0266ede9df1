package dashboard

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestServesTheEmbeddedPage(t *testing.T) {
	h := Handler()
	tests := []struct {
		path   string
		status int
		ctype  string
		body   string
	}{
		{"/__standin/ui", http.StatusMovedPermanently, "", ""},
		{"/__standin/ui/", 200, "text/html", "<title>Standin dashboard</title>"},
		{"/__standin/ui/app.js", 200, "text/javascript", "from './journal.js'"},
		{"/__standin/ui/journal.js", 200, "text/javascript", "EventSource"},
		{"/__standin/ui/records.js", 200, "text/javascript", "violations"},
		{"/__standin/ui/style.css", 200, "text/css", ":root"},
		{"/__standin/ui/missing.js", 404, "", ""},
		{"/__standin/elsewhere", 404, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
			if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) || !strings.Contains(rec.Body.String(), tc.body) {
				t.Fatalf("%d %q %.80s, want %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body, tc.status, tc.ctype, tc.body)
			}
			if tc.status == 200 && !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'self'") {
				t.Errorf("CSP %q", rec.Header().Get("Content-Security-Policy"))
			}
		})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/__standin/ui", nil))
	if loc := rec.Header().Get("Location"); loc != Path {
		t.Errorf("redirect to %q", loc)
	}
}

// TestNoOutsideResources: the page loads nothing from another origin (no
// CDN) and never writes HTML from data.
func TestNoOutsideResources(t *testing.T) {
	url := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`)
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		if m := url.Find(b); m != nil {
			t.Errorf("%s loads from another origin: %s", p, m)
		}
		if strings.Contains(string(b), "innerHTML") {
			t.Errorf("%s uses innerHTML", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
