package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/graphql/gqlhttp"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/respcache"
	"github.com/standin/standin/internal/rest"
	"github.com/standin/standin/internal/scenario"
)

// newResponseCache makes the server's answer cache: n bytes (0: the
// default), none when n is negative.
func newResponseCache(n int64) *respcache.Cache {
	if n < 0 {
		return nil
	}
	return respcache.New(n, 0)
}

// answer runs the engine of a request that passed every per-request stage
// (scenario effects, auth, rate limit), sending the answer kept from an
// identical request when there is one. The key holds everything the
// engines' answer depends on: API, method, path and query, the GraphQL
// parameters (as gqlhttp read them: one read of the body for both), the
// principal, the scenario and its data set, the negotiation headers; the
// store's version says whether the data changed since.
//
// Kept: 200 answers of REST GETs and of GraphQL queries without errors,
// made while no write happened, not streamed, within the entry bound.
// Never kept: writes (REST methods other than GET, GraphQL mutations),
// answers of scenarios whose effect depends on time (a query budget) or
// that serve the large data set, and anything else (errors may come from
// deadlines or bounds).
//
// ctx is the request's context with what the scenario stage added; the
// principal joins it only when the engine runs (a hit needs neither).
func (s *Server) answer(w *recorder, r *http.Request, ctx context.Context, api *apiRuntime, m rest.Match, op string, sc *scenario.Scenario, principal *auth.Principal) {
	engine := func(w http.ResponseWriter, r *http.Request) {
		if principal != nil {
			ctx = reqctx.WithPrincipal(ctx, principal)
		}
		r = r.WithContext(ctx)
		if op == "graphql" {
			api.gql.ServeHTTP(w, r)
			return
		}
		api.rest.Serve(w, r, m)
	}
	c := s.respCache
	if c == nil || !cacheableRequest(r, op, sc) {
		engine(w, r)
		return
	}
	// A GraphQL request is keyed by what it sent: the query string of a
	// GET (in the key below) or the raw body of a POST, read straight into
	// the key; the engine gets it back only on a miss, where gqlhttp reads
	// it (once) and its operation says whether the answer may be kept. An
	// entry exists only for a query, and the same bytes under the same
	// headers read the same. When the scenario stage has already read the
	// request, its parameters make the key instead (the body is gone).
	graphql := op == "graphql"
	k := c.Key()
	defer c.Release(k)
	k.String(api.m.Name).String(r.Method).String(r.URL.EscapedPath()).String(r.URL.RawQuery)
	var params *gqlhttp.Params
	var raw []byte // the body, read into the key (nil: not read)
	var known *gqlhttp.Request
	if graphql {
		known = api.gqlRead.Known(ctx)
	}
	switch {
	case !graphql:
	case known != nil:
		if known.Operation() != ast.Query {
			engine(w, r)
			return
		}
		params = known.Params()
		vars, err := json.Marshal(params.Variables)
		if err != nil {
			engine(w, r)
			return
		}
		ext, err := json.Marshal(params.Extensions)
		if err != nil {
			engine(w, r)
			return
		}
		k.String("read").String(params.Query).String(params.OperationName).Bytes(vars).Bytes(ext)
	case r.Method == http.MethodPost && r.Body != nil:
		k.String("raw")
		var whole bool
		raw, whole = k.Read(r.Body, maxRawKeyBytes)
		if !whole {
			// (a copy: the key's bytes go back to the pool)
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(bytes.Clone(raw)), r.Body), r.Body}
			engine(w, r)
			return
		}
	default:
		k.String("raw").Bytes(nil)
	}
	if principal != nil {
		k.String(principal.Token)
	} else {
		k.String("")
	}
	scName, dataSet := "", reqctx.DataNormal
	if sc != nil {
		scName, dataSet = sc.Name, sc.Effect.DataSet
	}
	k.String(scName).String(string(dataSet))
	// (net/http canonicalises the keys of incoming headers)
	k.Strings(r.Header["Accept"]).Strings(r.Header["Content-Type"])

	v := s.store.Version()
	e, hit, keep := c.Lookup(k.Key(), v)
	if hit {
		_ = e.WriteTo(w)
		return
	}
	if raw != nil {
		// the engine reads the body after all (a copy, as above)
		r.Body = io.NopCloser(bytes.NewReader(bytes.Clone(raw)))
	}
	if !keep {
		engine(w, r)
		return
	}
	if graphql && params == nil {
		var q *gqlhttp.Request
		q, ctx = api.gqlRead.ReadContext(ctx, w, r)
		if q.Operation() != ast.Query {
			engine(w, r)
			return
		}
	}
	cw := respcache.NewCapture(w, c.MaxEntryBytes())
	engine(cw, r)
	status, h, b, ok := cw.Result()
	if !ok || status != http.StatusOK || r.Context().Err() != nil || s.store.Version() != v {
		return
	}
	if op == "graphql" && bytes.Contains(b, []byte(`"errors"`)) {
		return
	}
	c.Put(string(k.Key()), v, status, h, b)
}

// maxRawKeyBytes bounds the raw GraphQL body a key is made of; a longer
// body is served uncached.
const maxRawKeyBytes = 64 << 10

// cacheableRequest reports whether a request's answer may be kept at all:
// reads only, and no scenario whose effect makes the answer depend on time
// or on the large data set.
func cacheableRequest(r *http.Request, op string, sc *scenario.Scenario) bool {
	if sc != nil && (sc.Effect.QueryBudget > 0 || sc.Effect.DataSet == reqctx.DataLarge || sc.Effect.Hold) {
		return false
	}
	if op == "graphql" {
		return r.Method == http.MethodGet || r.Method == http.MethodPost
	}
	return r.Method == http.MethodGet
}
