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

// TestModulesResolve: every module the page imports is embedded (a missing
// one would only show as a blank page in a browser).
func TestModulesResolve(t *testing.T) {
	imp := regexp.MustCompile(`(?m)^import\s[^;]*?from\s+'\./([^']+)'`)
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".js") {
			continue
		}
		b, err := fs.ReadFile(files, "static/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range imp.FindAllSubmatch(b, -1) {
			seen++
			if _, err := fs.Stat(files, "static/"+string(m[1])); err != nil {
				t.Errorf("%s imports ./%s, which is not embedded", e.Name(), m[1])
			}
		}
	}
	if seen < 5 {
		t.Fatalf("found %d imports; the pattern no longer matches the modules", seen)
	}
	html, _ := fs.ReadFile(files, "static/index.html")
	if !strings.Contains(string(html), `<script type="module" src="app.js">`) {
		t.Error("index.html does not load app.js as a module")
	}
}
