package graphiql

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestWants(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	tests := []struct {
		name   string
		method string
		target string
		accept []string
		want   bool
	}{
		{"browser GET", http.MethodGet, "/graphql", []string{browser}, true},
		{"browser HEAD", http.MethodHead, "/graphql", []string{browser}, true},
		{"text/html alone", http.MethodGet, "/graphql", []string{"text/html"}, true},
		{"text/html in a second header line", http.MethodGet, "/graphql", []string{"application/json", "text/html"}, true},
		{"text/html with parameters", http.MethodGet, "/graphql", []string{"text/html; charset=utf-8; q=0.5"}, true},
		{"text/html refused with q=0", http.MethodGet, "/graphql", []string{"text/html;q=0, application/json"}, false},
		{"GraphQL GET with a query", http.MethodGet, "/graphql?query=%7B__typename%7D", []string{browser}, false},
		{"GraphQL GET with an empty query", http.MethodGet, "/graphql?query=", []string{browser}, false},
		{"other parameters do not matter", http.MethodGet, "/graphql?tab=1", []string{browser}, true},
		{"JSON client", http.MethodGet, "/graphql", []string{"application/json"}, false},
		{"GraphQL response type", http.MethodGet, "/graphql", []string{"application/graphql-response+json"}, false},
		{"curl's */*", http.MethodGet, "/graphql", []string{"*/*"}, false},
		{"no Accept", http.MethodGet, "/graphql", nil, false},
		{"malformed Accept", http.MethodGet, "/graphql", []string{"text/html;;;=="}, false},
		{"POST from a browser", http.MethodPost, "/graphql", []string{browser}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			for _, a := range tt.accept {
				r.Header.Add("Accept", a)
			}
			if got := Wants(r); got != tt.want {
				t.Errorf("Wants = %v, want %v", got, tt.want)
			}
		})
	}
}

// pageConfigOf extracts the configuration the page hands its script.
func pageConfigOf(t *testing.T, body string) pageConfig {
	t.Helper()
	m := regexp.MustCompile(`data-config="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no data-config in the page:\n%s", body)
	}
	var c pageConfig
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &c); err != nil {
		t.Fatalf("data-config is not JSON (%v): %s", err, m[1])
	}
	return c
}

func TestServePage(t *testing.T) {
	h, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		page        Page
		wantHeaders string // the headers editor's text; "" = none
	}{
		{"with a token", Page{Endpoint: "/graphql", Title: "Admin API", DefaultQuery: "{ __typename }", Headers: map[string]string{"Authorization": "Bearer standin-admin"}},
			"{\n  \"Authorization\": \"Bearer standin-admin\"\n}"},
		{"without headers", Page{Endpoint: "/api/graphql", Title: "Marketplace"}, ""},
		{"markup in the title and query is escaped", Page{Endpoint: "/x/graphql", Title: `</title><script>alert(1)</script>`, DefaultQuery: `"</div><script>`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServePage(w, httptest.NewRequest(http.MethodGet, tt.page.Endpoint, nil), tt.page)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
			body := w.Body.String()
			if strings.Contains(body, "<script>alert") || strings.Contains(body, `"</div><script>`) {
				t.Errorf("unescaped markup in the page:\n%s", body)
			}
			if strings.Contains(body, "://") {
				t.Errorf("the page refers to another host (no CDN at run time):\n%s", body)
			}
			c := pageConfigOf(t, body)
			if c.Endpoint != tt.page.Endpoint || c.DefaultQuery != tt.page.DefaultQuery || c.Headers != tt.wantHeaders {
				t.Errorf("config %+v, want endpoint %q, query %q, headers %q", c, tt.page.Endpoint, tt.page.DefaultQuery, tt.wantHeaders)
			}
			for _, src := range []string{"graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "standin-graphiql.js"} {
				if !strings.Contains(body, `"`+AssetPrefix+Version+"/"+src+`"`) {
					t.Errorf("the page does not load %s", src)
				}
			}
		})
	}
	t.Run("HEAD has no body", func(t *testing.T) {
		w := httptest.NewRecorder()
		h.ServePage(w, httptest.NewRequest(http.MethodHead, "/graphql", nil), Page{Endpoint: "/graphql"})
		if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "0" {
			t.Errorf("HEAD: status %d, %d body bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
		}
	})
}

func TestAssets(t *testing.T) {
	h, err := New()
	if err != nil {
		t.Fatal(err)
	}
	base := AssetPrefix + Version + "/"
	tests := []struct {
		method, path string
		status       int
		ctype        string // prefix
	}{
		{http.MethodGet, base + "graphiql.min.js", 200, "text/javascript"},
		{http.MethodGet, base + "graphiql.min.css", 200, "text/css"},
		{http.MethodGet, base + "react.production.min.js", 200, "text/javascript"},
		{http.MethodGet, base + "react-dom.production.min.js", 200, "text/javascript"},
		{http.MethodGet, base + "standin-graphiql.js", 200, "text/javascript"},
		{http.MethodHead, base + "graphiql.min.js", 200, "text/javascript"},
		{http.MethodGet, base + "LICENSE.graphiql", 404, ""},
		{http.MethodGet, base + "SHA256SUMS", 404, ""},
		{http.MethodGet, base + "page.html", 404, ""},
		{http.MethodGet, base + "nope.js", 404, ""},
		{http.MethodGet, base + "../static/page.html", 404, ""},
		{http.MethodGet, base, 404, ""},
		{http.MethodGet, AssetPrefix + "0.0.0/graphiql.min.js", 404, ""},
		{http.MethodGet, AssetPrefix + "graphiql.min.js", 404, ""},
		{http.MethodPost, base + "graphiql.min.js", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %s…", ct, tt.ctype)
			}
			if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("Cache-Control %q: a versioned asset may be cached for good", cc)
			}
			if tt.method == http.MethodGet && w.Body.Len() == 0 {
				t.Error("empty asset")
			}
		})
	}
}

// TestVendoredAssets: the embedded build is the vendored one, unchanged,
// with its licences, and small enough to embed.
func TestVendoredAssets(t *testing.T) {
	sums, err := fs.ReadFile(files, "assets/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("bad SHA256SUMS line %q", line)
		}
		listed[name] = true
		data, err := fs.ReadFile(files, "assets/"+name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := sha256.Sum256(data)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s changed since it was vendored (run internal/graphiql/vendor.sh)", name)
		}
	}
	for _, want := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"} {
		if !listed[want] {
			t.Errorf("%s is not in SHA256SUMS", want)
		}
	}
	for _, lic := range []string{"LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"} {
		data, _ := fs.ReadFile(files, "assets/"+lic)
		if !strings.Contains(string(data), "MIT License") {
			t.Errorf("%s is not the MIT licence text", lic)
		}
	}
	var total int64
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	const limit = 5 << 20
	if total > limit {
		t.Errorf("embedded files take %d bytes, more than %d", total, limit)
	}
}
