package control

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/standin/standin/internal/rest/route"
)

// endpoint is one control route: its methods (the Allow header of a 405)
// and what serves it. vars are the route's path variables, percent-decoded.
type endpoint struct {
	route *mux.Route
	allow []string
	serve func(w http.ResponseWriter, r *http.Request, vars map[string]string)
}

// router is a gorilla/mux router over paths relative to Prefix, in the
// canonical escaping of package route (so "%2F" stays inside a variable).
// Control paths do not overlap, so the order of registration does not
// matter; a GET route answers HEAD too.
type router struct {
	mux  *mux.Router
	eps  []*endpoint
	byMx map[*mux.Route]*endpoint
}

func newRouter() *router {
	return &router{mux: mux.NewRouter(), byMx: map[*mux.Route]*endpoint{}}
}

// handle registers path (a mux template; with a trailing "/*" every path
// under the prefix before it) for methods.
func (rt *router) handle(path string, methods []string, serve func(w http.ResponseWriter, r *http.Request, vars map[string]string)) {
	allow := append([]string(nil), methods...)
	for _, m := range methods {
		if m == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
	}
	r := rt.mux.NewRoute().Methods(allow...)
	if p, ok := strings.CutSuffix(path, "/*"); ok {
		r = r.PathPrefix(p + "/")
	} else {
		r = r.Path(path)
	}
	if err := r.GetError(); err != nil {
		// The templates are this package's constants: a bad one is a bug
		// that every call of New shows, so the package's tests catch it.
		panic("control: route " + path + ": " + err.Error())
	}
	ep := &endpoint{route: r, allow: allow, serve: serve}
	rt.eps = append(rt.eps, ep)
	rt.byMx[r] = ep
}

// match routes method and a canonical path. It returns the endpoint and its
// variables; or, when routes match the path but not the method, their
// methods; or nothing.
func (rt *router) match(method, path string) (*endpoint, map[string]string, []string) {
	req := &http.Request{Method: method, URL: &url.URL{Path: path}}
	var m mux.RouteMatch
	if rt.mux.Match(req, &m) {
		for k, v := range m.Vars {
			if u, err := url.PathUnescape(v); err == nil {
				m.Vars[k] = u
			}
		}
		return rt.byMx[m.Route], m.Vars, nil
	}
	var allow []string
	for _, ep := range rt.eps {
		var em mux.RouteMatch
		if ep.route.Match(req, &em) || em.MatchErr == mux.ErrMethodMismatch {
			for _, a := range ep.allow {
				if !containsString(allow, a) {
					allow = append(allow, a)
				}
			}
		}
	}
	return nil, nil, allow
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// relPath is the request's path relative to Prefix in canonical escaping,
// without a trailing slash ("/" for the prefix itself). ok is false for a
// path with an invalid escape.
func relPath(r *http.Request) (string, bool) {
	p, ok := route.Canonical(r.URL.EscapedPath())
	if !ok {
		return "", false
	}
	p = strings.TrimSuffix(strings.TrimPrefix(p, Prefix), "/")
	if p == "" {
		p = "/"
	}
	return p, true
}
