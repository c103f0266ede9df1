// Package dashboard is the mock's web page at /__standin/ui/: the live
// request journal first (server-sent events from /__standin/requests/stream,
// a filter, and each request opened to its headers, bodies, scenario and a
// "copy as curl" line from /__standin/requests/{seq}/curl); one card per
// API with live counters and a chart (/__standin/traffic), a compact
// sticky-scenario selector, record counts and operations; a records browser
// and editor over the data API (nested values opened in place, validation
// errors shown at their field); reset; and the latest reloads (--watch).
//
// The page is plain HTML, CSS and JavaScript modules embedded in the binary
// (no CDN, no framework, no build step), under a default-src 'self' CSP. It
// only calls the control API, so it needs what the control API needs:
// nothing on loopback, the admin token elsewhere (open /__standin/ui/?token=T
// once; the token is then kept in a same-site cookie for /__standin).
package dashboard

import (
	"embed"
	"net/http"
	"strings"
)

// Path is where the dashboard is served.
const Path = "/__standin/ui/"

//go:embed static
var files embed.FS

// Handler serves the dashboard's files under Path; Path without its slash
// redirects to Path.
func Handler() http.Handler {
	fsrv := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == strings.TrimSuffix(Path, "/") {
			http.Redirect(w, r, Path, http.StatusMovedPermanently)
			return
		}
		if !strings.HasPrefix(r.URL.Path, Path) {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/static/" + strings.TrimPrefix(r.URL.Path, Path)
		r2.URL.RawPath = ""
		fsrv.ServeHTTP(w, r2)
	})
}
