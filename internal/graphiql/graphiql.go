// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, from files
// embedded in the binary: a browser that opens a GraphQL path of the mock
// gets the IDE instead of a JSON error, with no CDN involved.
//
// The IDE is graphiql 4.1.2's UMD build with React 18.3.1, vendored
// unchanged under assets/ with their licences (see assets/README.md and
// vendor.sh, which explains the versions). The page and its start-up script
// are under static/. Assets are served below a versioned prefix, so a
// browser may cache them for good.
package graphiql

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Version names the vendored build: graphiql's version and React's.
const Version = "4.1.2-react18.3.1"

// AssetPrefix is the path below which Handler serves the IDE's files.
const AssetPrefix = "/__standin/graphiql/"

//go:embed assets static
var files embed.FS

// Page describes the IDE page for one GraphQL endpoint.
type Page struct {
	// Endpoint is the GraphQL path the IDE sends its requests to.
	Endpoint string
	// Title names the API in the page's title.
	Title string
	// DefaultQuery fills the query editor on a first visit.
	DefaultQuery string
	// Headers pre-fill the headers editor (e.g. a bundled token); none
	// when empty.
	Headers map[string]string
}

// Handler serves IDE pages and the IDE's files. It is immutable and safe
// for concurrent use.
type Handler struct {
	page   *template.Template
	assets fs.FS
}

// New parses the embedded page template.
func New() (*Handler, error) {
	t, err := template.ParseFS(files, "static/page.html")
	if err != nil {
		return nil, fmt.Errorf("graphiql: %w", err)
	}
	assets, err := fs.Sub(files, "assets")
	if err != nil {
		return nil, fmt.Errorf("graphiql: %w", err)
	}
	return &Handler{page: t, assets: assets}, nil
}

// Wants reports whether r is a browser opening a GraphQL path: a GET (or
// HEAD) without a query parameter whose Accept header takes text/html.
// A GET that carries a query, or that accepts only JSON, is a GraphQL
// request and is left to the GraphQL handler.
func Wants(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.URL.Query().Has("query") {
		return false
	}
	return acceptsHTML(r.Header.Values("Accept"))
}

// acceptsHTML reports whether an Accept header lists text/html with a
// non-zero quality. "*/*" alone (curl, most HTTP clients) does not count: a
// client that names no type is not a browser asking for a page.
func acceptsHTML(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || mt != "text/html" {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}

// pageConfig is what static/standin-graphiql.js reads from the page.
type pageConfig struct {
	Endpoint     string `json:"endpoint"`
	DefaultQuery string `json:"defaultQuery"`
	// Headers is the headers editor's JSON text; empty leaves it empty.
	Headers string `json:"headers,omitempty"`
}

// ServePage writes the IDE page for p.
func (h *Handler) ServePage(w http.ResponseWriter, r *http.Request, p Page) {
	cfg := pageConfig{Endpoint: p.Endpoint, DefaultQuery: p.DefaultQuery}
	if len(p.Headers) > 0 {
		b, err := json.MarshalIndent(p.Headers, "", "  ")
		if err != nil {
			http.Error(w, "graphiql: "+err.Error(), http.StatusInternalServerError)
			return
		}
		cfg.Headers = string(b)
	}
	conf, err := json.Marshal(cfg)
	if err != nil {
		http.Error(w, "graphiql: "+err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	err = h.page.ExecuteTemplate(&buf, "page.html", map[string]string{
		"Title":    p.Title,
		"Endpoint": p.Endpoint,
		"Assets":   AssetPrefix + Version + "/",
		"Config":   string(conf),
	})
	if err != nil {
		http.Error(w, "graphiql: "+err.Error(), http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	// Everything comes from the mock itself; React and GraphiQL set inline
	// styles, and GraphiQL's icons are data: URLs.
	hd.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'self'")
	hd.Set("Vary", "Accept")
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// ServeHTTP serves the IDE's files below AssetPrefix+Version+"/": the
// vendored build and the start-up script. Anything else is a 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, AssetPrefix+Version+"/")
	if !ok || name == "" || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	var data []byte
	var err error
	if name == "standin-graphiql.js" {
		data, err = fs.ReadFile(files, "static/"+name)
	} else if path.Ext(name) == ".js" || path.Ext(name) == ".css" {
		data, err = fs.ReadFile(h.assets, name)
	} else {
		// Licences and sums are in the repository, not on the wire.
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
