package server

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/render"
)

// Errors the mock makes itself (no route, unknown scenario, bad delay, a
// body over the limit or of a media type the operation does not take, a
// fault of the mock) are written by Server.fail, the one place that decides
// their shape: the shape of the API whose paths the request is inside
// (GraphQL errors on and under its GraphQL endpoint and for a GraphQL-only
// API, its REST error template elsewhere), or a generic JSON body when no
// API claims the path.

// pathSpace is the literal leading segments of one of an API's paths (the
// mount prefix included, up to the first segment with a parameter), e.g.
// [api account v2 companies] or [api graphql].
type pathSpace struct {
	segs    []string
	graphql bool
}

// addSpace records the literal leading segments of path template tmpl.
func (a *apiRuntime) addSpace(tmpl string, graphql bool) {
	var segs []string
	for _, seg := range splitPath(tmpl) {
		if strings.Contains(seg, "{") {
			break
		}
		segs = append(segs, seg)
	}
	if len(segs) > 0 {
		a.spaces = append(a.spaces, pathSpace{segs: segs, graphql: graphql})
	}
}

// splitPath returns the non-empty segments of a path: /v0//clients and
// /v0/clients both give [v0 clients].
func splitPath(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
}

// owner returns the API whose paths hold path (the one sharing the most
// leading literal segments with it, at least one), and whether the closest
// of its paths is its GraphQL endpoint; nil when no API claims the path.
func (s *Server) owner(path string) (*apiRuntime, bool) {
	segs := splitPath(path)
	var best *apiRuntime
	bestN, graphql := 0, false
	for _, a := range s.apis {
		for _, sp := range a.spaces {
			n := 0
			for n < len(sp.segs) && n < len(segs) && sp.segs[n] == segs[n] {
				n++
			}
			if n > bestN {
				best, bestN, graphql = a, n, sp.graphql
			}
		}
	}
	return best, graphql
}

// fail writes an error the mock itself makes. api is the API the request
// was routed to, or nil when routing failed: the owner of the path then
// decides the shape.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, api *apiRuntime, p render.Problem) {
	graphql := false
	if api == nil {
		api, graphql = s.owner(r.URL.Path)
	} else {
		graphql = api.gql != nil && r.URL.Path == api.gqlPath
	}
	if api == nil {
		for k, v := range p.Headers {
			w.Header().Set(k, v)
		}
		body := map[string]any{"error": p.Message, "status": p.Status}
		if p.Status == http.StatusNotFound {
			body["apis"] = s.pathList()
		}
		for k, v := range p.Extensions {
			body[k] = v
		}
		render.JSON(w, p.Status, body)
		return
	}
	graphql = graphql || api.rest == nil
	if graphql && p.Code == "" && (p.Status == http.StatusRequestEntityTooLarge || p.Status == http.StatusUnsupportedMediaType) {
		// As the GraphQL handler's own 413 and 415.
		p.Code = "BAD_REQUEST"
	}
	api.problemWriter(graphql)(w, p)
}

// readChunked reads a body of unknown length into memory, up to the
// limit, and hands it on with its length known; a body over the limit (or
// one that cannot be read) is the problem returned.
func (s *Server) readChunked(r *http.Request) *render.Problem {
	data, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxBodyBytes+1))
	_ = r.Body.Close()
	if err != nil {
		return &render.Problem{Status: http.StatusBadRequest, Message: "Request body could not be read: " + err.Error()}
	}
	if int64(len(data)) > s.cfg.MaxBodyBytes {
		return &render.Problem{Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("Request body exceeds the limit of %d bytes.", s.cfg.MaxBodyBytes)}
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
	return nil
}

// bodyProblem checks a request's body before anything reads it: a declared
// Content-Length over the limit is 413 at once, so that a client sending
// Expect: 100-continue is refused without 100 Continue (RFC 9110, 10.1.1);
// a REST request with a body whose media type the operation does not take
// is 415, naming the media types it declares (application/json when it
// declares none). It returns nil when the body may be read.
func (s *Server) bodyProblem(r *http.Request, api *apiRuntime, op string, acceptsBody func(string) bool, declared []string) *render.Problem {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return &render.Problem{Status: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("Request body of %d bytes exceeds the limit of %d bytes.", r.ContentLength, s.cfg.MaxBodyBytes)}
	}
	if op == "graphql" || acceptsBody == nil || (r.ContentLength == 0 && len(r.TransferEncoding) == 0) || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (conventions.IsJSON(mt) && !onlyOthers(declared) || acceptsBody(mt)) {
		return nil
	}
	want := "application/json"
	if len(declared) > 0 {
		want = strings.Join(declared, ", ")
	}
	return &render.Problem{Status: http.StatusUnsupportedMediaType,
		Message: fmt.Sprintf("Content-Type %q is not accepted here; send %s.", ct, want)}
}

// onlyOthers reports whether an operation declares request media types
// and none of them JSON (JSON is taken where it declares none).
func onlyOthers(declared []string) bool {
	for _, d := range declared {
		if conventions.IsJSON(d) || d == "*/*" || d == "application/*" {
			return false
		}
	}
	return len(declared) > 0
}
