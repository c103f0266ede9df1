// Package dashboard is the mock's web page at /__standin/ui/: the APIs with
// their paths, operations and record counts; each API's scenarios with
// their descriptions and page citations, and a switch to make one sticky or
// clear it; the request journal, live over server-sent events
// (/__standin/requests/stream), with a filter; reset; a records browser per
// collection; and the latest reloads (--watch).
//
// The page is plain HTML, CSS and JavaScript embedded in the binary (no CDN,
// no framework, no build step). It only calls the control API, so it needs
// what the control API needs: nothing on loopback, the admin token
// elsewhere (open /__standin/ui/?token=T once; the token is then kept in a
// same-site cookie for /__standin).
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
