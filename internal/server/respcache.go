package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/respcache"
	"github.com/standin/standin/internal/rest"
	"github.com/standin/standin/internal/scenario"
)

// Bounds of the GraphQL operation-kind memo (see queryKinds).
const (
	maxKindDocs     = 1024
	maxKindDocBytes = 64 << 10
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
// engines' answer depends on: API, method, path and query, the body, the
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
	var body []byte
	if r.Method == http.MethodPost {
		data, err := readBody(r)
		if err != nil {
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{err}))
			engine(w, r)
			return
		}
		body = data
		// given back to the engine only if it runs: a hit reads no body
		defer func() { _ = r.Body.Close() }()
	}
	k := c.Key()
	defer c.Release(k)
	k.String(api.m.Name).String(r.Method).String(r.URL.EscapedPath()).String(r.URL.RawQuery).Bytes(body)
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
	if e, ok := c.Get(k.Key(), v); ok {
		_ = e.WriteTo(w)
		return
	}
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if op == "graphql" && !s.queryKinds.isQuery(r, body) {
		engine(w, r)
		return
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

// readBody reads a request body whole: in one allocation when its length
// is declared.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}, nil
	}
	if n := r.ContentLength; n >= 0 && n <= 64<<20 {
		data := make([]byte, n)
		k, err := io.ReadFull(r.Body, data)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if n == 0 {
			err = nil
		}
		return data[:k], err
	}
	return io.ReadAll(r.Body)
}

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

// queryKinds remembers, per GraphQL document and operation name, whether
// the operation is a query (and so may be kept): parsing once per
// document, not per request. It holds at most maxKindDocs documents of at
// most maxKindDocBytes each, and starts over when full.
type queryKinds struct {
	mu    sync.Mutex
	kinds map[kindKey]bool
}

type kindKey struct{ query, operation string }

// isQuery reports whether the GraphQL request (GET parameters or a JSON
// POST body) runs a query. Anything it cannot read is not a query.
func (q *queryKinds) isQuery(r *http.Request, body []byte) bool {
	var p struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if r.Method == http.MethodGet {
		v := r.URL.Query()
		p.Query, p.OperationName = v.Get("query"), v.Get("operationName")
	} else if json.Unmarshal(body, &p) != nil {
		return false
	}
	key := kindKey{p.Query, p.OperationName}
	q.mu.Lock()
	is, ok := q.kinds[key]
	q.mu.Unlock()
	if ok {
		return is
	}
	is = operationIsQuery(p.Query, p.OperationName)
	if len(p.Query) <= maxKindDocBytes {
		q.mu.Lock()
		if q.kinds == nil || len(q.kinds) >= maxKindDocs {
			q.kinds = map[kindKey]bool{}
		}
		q.kinds[key] = is
		q.mu.Unlock()
	}
	return is
}

// operationIsQuery reports whether the operation a request selects (by
// name, or the only one) is a query; false when the document does not
// parse or names no such operation.
func operationIsQuery(query, operation string) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return false
	}
	var op *ast.OperationDefinition
	switch {
	case operation != "":
		op = doc.Operations.ForName(operation)
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	}
	return op != nil && op.Operation == ast.Query
}
