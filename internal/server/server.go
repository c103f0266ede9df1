// Package server composes the mock: it loads the API manifests, builds the
// store from fixtures, and runs each request through the stages
//
//	CORS → route → scenario → auth → rate limit → engine (REST | GraphQL) → journal
//
// Each stage is another package that takes and returns plain data; this
// package only wires them together and owns no API-specific logic.
package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/cors"
	"github.com/standin/standin/internal/graphiql"
	"github.com/standin/standin/internal/graphql/gqlhttp"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/metrics"
	"github.com/standin/standin/internal/ratelimit"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/respcache"
	"github.com/standin/standin/internal/rest"
	"github.com/standin/standin/internal/scenario"
	"github.com/standin/standin/internal/startup"
	"github.com/standin/standin/internal/store"
)

// Options are what New needs besides the Config. Zero fields take the
// bundled files, a discarding logger and the system clock.
type Options struct {
	Specs     fs.FS
	Fixtures  fs.FS
	Scenarios fs.FS
	Logger    *slog.Logger
	Clock     ratelimit.Clock
	// Metrics, when set, receives the server's metrics (so they outlive a
	// reload); nil gives the server metrics of its own.
	Metrics *metrics.Metrics
	// Context, when set, bounds start-up: New stops generating data and
	// returns its error when it is done (a signal during a long load).
	Context context.Context
	// Progress, when set, counts the records generated (for the startup
	// gate's /__standin/ready and the progress report).
	Progress *startup.Progress
	// Journal, when set, is the request journal to use (so that it
	// outlives a reload); nil gives a new one of cfg.JournalSize.
	Journal *journal.Journal
	// Generating, when set, is called once the contracts are read, before
	// the data set is generated (cmd/mockserver lowers GOGC there, see
	// internal/gctune).
	Generating func()
	// ResponseCacheBytes bounds the cache of answers that do not change
	// (see answer): 0 takes respcache.DefaultMaxBytes, negative turns it off.
	ResponseCacheBytes int64

	// files names the spec files in diagnostics (set by New).
	files specFiles
	// docs holds the contract documents loaded, each once (set by New).
	docs *contract.Cache
}

// Server is the mock: an http.Handler serving every enabled API and the
// control API on one port.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	store    *store.Store
	creds    *auth.Credentials
	apis     []*apiRuntime
	byName   map[string]*apiRuntime
	registry *scenario.Registry
	limiter  *ratelimit.Limiter
	journal  *journal.Journal
	control  http.Handler
	metrics  *metrics.Metrics
	records  *records.Service
	shared   *sharedState // nil unless --state
	// warnings say which of the user's files were not served as written
	// (--spec, --apis-dir); the start-up summary prints them.
	warnings []warning
	warned   map[diag.Diagnostic]bool // the warnings kept, each once
	cors     *cors.Policy
	// scenarioMounts are the scenario folders of the user's APIs, kept
	// over the scenarios a reload reads.
	scenarioMounts map[string]fs.FS
	graphiql       *graphiql.Handler
	// ideHeaders pre-fill GraphiQL's headers editor (nil: empty).
	ideHeaders map[string]string
	// respCache keeps answers that do not change (nil: off); routes
	// remembers the routes of (method, path) pairs.
	respCache *respcache.Cache
	routes    routeMemo
	// nosniff is the value of X-Content-Type-Options, set on every answer
	// (shared: never changed).
	nosniff []string
	// recorders are the per-request recorders, used again.
	recorders recorderPool
}

// apiRuntime is one enabled API, ready to serve.
type apiRuntime struct {
	m       *manifest.API
	rest    *rest.Engine
	gqlPath string
	gql     http.Handler
	gqlRead *gqlhttp.Handler // gql's reader, for scenario matching
	limit   *manifest.RateLimit
	paths   []string
	// spaces are the literal leading segments of the API's paths, by which
	// the mock's own errors find the API whose shape they take (owner).
	spaces []pathSpace
}

// Store returns the server's data store.
func (s *Server) Store() *store.Store { return s.store }

// Records returns the data API's logic over the store.
func (s *Server) Records() *records.Service { return s.records }

// Journal returns the journal of recent requests.
func (s *Server) Journal() *journal.Journal { return s.journal }

// Scenarios returns the scenario registry (sticky choices).
func (s *Server) Scenarios() *scenario.Registry { return s.registry }

// Config returns the configuration the server runs with.
func (s *Server) Config() config.Config { return s.cfg }

// Credentials returns the bundled credentials.
func (s *Server) Credentials() *auth.Credentials { return s.creds }

// Reset puts data and rate limits back to the start state.
func (s *Server) Reset() {
	s.store.Reset()
	s.limiter.Reset()
}

// ServeHTTP runs one request through the stages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Every answer is JSON (or the media type it declares): no browser may
	// sniff it into something else.
	// (canonical key, shared value: the header is on every answer)
	w.Header()["X-Content-Type-Options"] = s.nosniff
	// CORS first: a preflight carries no credentials and no scenario.
	if s.cors.Handle(w, r) {
		return
	}
	if strings.HasPrefix(r.URL.Path, graphiql.AssetPrefix) {
		s.graphiql.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/__standin/") || r.URL.Path == "/__standin" {
		s.control.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	// The recorder and its journal entry come from a pool: nothing keeps
	// them past this call (the journal copies the entry).
	rec := s.recorders.get(w, s.journal, start)
	defer s.recorders.put(rec)
	id := requestID(r)
	w.Header()[RequestIDHeader] = []string{id}
	rec.entryVal = journal.Entry{Time: start, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, RequestID: id}
	entry := rec.entry
	entry.Replica = s.replicaOf()
	var reqBody *journal.Body
	if s.cfg.JournalBodies {
		reqBody, rec.body = journal.NewBody(0), journal.NewBody(0)
		// A body declared over the limit is refused unread (serve): left
		// untouched, it gets 413 without 100 Continue.
		if r.Body != nil && r.ContentLength <= s.cfg.MaxBodyBytes {
			reqBody.Expect(r.ContentLength)
			r.Body = journal.TeeBody(r.Body, reqBody)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
			if !rec.wrote {
				s.fail(rec, r, nil, render.Problem{Status: http.StatusInternalServerError, Message: "internal error in the mock server; see its log"})
			}
		}
		entry.Status = rec.status
		entry.Duration = time.Since(start)
		if reqBody != nil {
			entry.Request, entry.Response = journal.Capture(r.Header, reqBody), journal.Capture(rec.Header(), rec.body)
		}
		// Headers are kept whether or not bodies are (the dashboard's
		// request detail and "copy as curl"); one allocation.
		entry.Heads = journal.HeadsOf(r.Header, rec.Header())
		if rec.id != 0 {
			s.journal.Finish(rec.id, *entry)
		} else {
			rec.id = s.journal.Begin(*entry)
		}
		entry.Seq = rec.id
		s.journal.Publish(*entry)
		s.shipJournal(*entry)
		s.metrics.ObserveAt(start, entry.API, entry.Operation, entry.Status, entry.Scenario, entry.Duration)
		// Checked first: building the arguments costs allocations even
		// when the level is off (benchmarks and load tests run at warn).
		if s.log.Enabled(r.Context(), slog.LevelInfo) {
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("api", entry.API), slog.String("operation", entry.Operation), slog.String("scenario", entry.Scenario),
				slog.Int("status", rec.status), slog.Duration("duration", entry.Duration), slog.String("request_id", id))
		}
	}()
	s.serve(rec, r, entry)
}

func (s *Server) serve(w *recorder, r *http.Request, entry *journal.Entry) {
	// r.Body stays the server's own until the body checks pass: net/http
	// sends no 100 Continue for a body that was never touched.
	api, m, err := s.routed(r)
	if err != nil {
		var mna *rest.MethodNotAllowedError
		switch {
		case api != nil && errors.As(err, &mna):
			// The path is the API's, the method is not: 405 with Allow.
			entry.API = api.m.Name
			s.fail(w, r, api, render.Problem{Status: http.StatusMethodNotAllowed, Headers: map[string]string{"Allow": strings.Join(mna.Allow, ", ")}})
		default:
			msg := fmt.Sprintf("no API serves %s %s", r.Method, r.URL.Path)
			if owner, _ := s.owner(r.URL.Path); owner != nil {
				entry.API = owner.m.Name
				msg = fmt.Sprintf("no operation of %s serves %s %s; it serves %s", owner.m.Name, r.Method, r.URL.Path, strings.Join(owner.paths, ", "))
			}
			s.fail(w, r, nil, render.Problem{Status: http.StatusNotFound, Message: msg})
		}
		return
	}
	entry.API = api.m.Name
	op := "graphql"
	if api.gql == nil || r.URL.Path != api.gqlPath {
		op = m.OperationID()
	}
	entry.Operation = op
	if s.serveGraphiQL(w, r, api) {
		entry.Operation = "graphiql"
		return
	}
	problem := api.problemWriter(op == "graphql")
	// fail answers the mock's own errors after routing: in the matched
	// operation's document shape for a rest.fromSpec API
	fail := func(p render.Problem) { s.fail(w, r, api, p) }
	if op != "graphql" && api.rest != nil && api.m.REST != nil && api.m.REST.FromSpec {
		problem = func(w http.ResponseWriter, p render.Problem) { api.rest.Problem(w, m, p) }
		fail = func(p render.Problem) { problem(w, p) }
	}
	var accepts func(string) bool
	var declared []string
	if op != "graphql" {
		accepts, declared = m.AcceptsMediaType, m.RequestMediaTypes()
	}
	if p := s.bodyProblem(r, api, op, accepts, declared); p != nil {
		fail(*p)
		return
	}
	// A body of a declared length (within the limit: bodyProblem) is cut
	// at that length by net/http already; one of unknown length (chunked)
	// is read here, up to the limit, so that one over it is the same 413 in
	// the API's shape whichever stage would have read it (request
	// validation, a REST write, GraphQL).
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength < 0 {
		if p := s.readChunked(r); p != nil {
			fail(*p)
			return
		}
	}

	// Scenario.
	sc, err := s.registry.Select(api.m.Name, r)
	if err != nil {
		var unk *scenario.UnknownError
		if errors.As(err, &unk) {
			fail(render.Problem{Status: http.StatusBadRequest, Message: unk.Error(),
				Extensions: map[string]any{"api": unk.API, "scenario": unk.Name, "valid": unk.Valid}})
			return
		}
		fail(render.Problem{Status: http.StatusBadRequest, Message: err.Error()})
		return
	}
	ctx := r.Context()
	var actAs string
	var applied *scenario.Scenario
	matched := false
	if sc != nil {
		matched, ctx = applies(ctx, sc, op, w, r, api)
	}
	if matched {
		applied = sc
		entry.Scenario = sc.Name
		ctx = reqctx.WithScenario(ctx, sc.Name)
		done, act := s.applyEffect(ctx, w, r, api, m, sc, problem)
		if done {
			return
		}
		actAs = act
		if sc.Effect.DataSet != "" {
			ctx = reqctx.WithDataSet(ctx, sc.Effect.DataSet)
		}
		if b := sc.Effect.QueryBudget; b > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, b)
			defer cancel()
			ctx = reqctx.WithTimeoutMessage(ctx, sc.Effect.Message)
		}
	}

	// Authentication.
	var principal *auth.Principal
	switch {
	case api.m.Auth.None:
	case api.m.Auth.FromSpec && op != "graphql":
		// the operation's own security: open and optional operations
		// need no credential, any well-formed one is accepted
		p, err := s.creds.AuthenticatePolicy(r, m.Security())
		if err != nil {
			msg := ""
			if errors.Is(err, auth.ErrBadCredentials) {
				msg = api.m.Error(http.StatusUnauthorized).Message
			}
			problem(w, render.Problem{Status: http.StatusUnauthorized, Message: msg, Headers: challenge(api, m, false)})
			return
		}
		principal = p
	default:
		p, err := s.creds.Authenticate(r, api.m.Auth)
		if err != nil {
			msg := ""
			if errors.Is(err, auth.ErrUnknownToken) {
				msg = api.m.Error(http.StatusUnauthorized).Message
			}
			problem(w, render.Problem{Status: http.StatusUnauthorized, Message: msg, Headers: wwwAuthenticate(api.m)})
			return
		}
		principal = p
	}
	if principal != nil {
		if actAs != "" {
			if p2, ok := s.creds.Lookup(actAs); ok {
				principal = p2
			}
		}
		entry.Token = principal.Token // the journal redacts it when listed
	}

	// Rate limit, per token.
	if api.limit != nil {
		key := "anonymous"
		if principal != nil {
			key = principal.Token
		}
		d := s.limiter.Take(api.m.Name, key, *api.limit)
		d.SetHeaders(w.Header())
		if !d.Allowed {
			s.metrics.RateLimited(api.m.Name)
			problem(w, render.Problem{Status: http.StatusTooManyRequests})
			return
		}
	}

	// The principal joins the context in answer, only when the engine runs.
	s.answer(w, r, ctx, api, m, op, applied, principal)
}

// applyEffect carries out a scenario's effect. It reports whether the
// request is answered, and a token to act as when the effect overrides
// credentials.
func (s *Server) applyEffect(ctx context.Context, w *recorder, r *http.Request, api *apiRuntime, m rest.Match, sc *scenario.Scenario, problem func(http.ResponseWriter, render.Problem)) (bool, string) {
	eff := &sc.Effect
	graphql := api.gql != nil && r.URL.Path == api.gqlPath
	d, err := eff.DelayFor(r)
	if err != nil {
		problem(w, render.Problem{Status: http.StatusBadRequest, Message: err.Error()})
		return true, ""
	}
	if d > 0 {
		if err := scenario.Wait(ctx, d); err != nil {
			w.status = statusClientClosed
			return true, ""
		}
	}
	if eff.Hold {
		limit := eff.HoldLimit()
		if cap := time.Duration(s.cfg.HoldCap); cap > 0 && limit > cap {
			limit = cap
		}
		if !scenario.Hold(ctx, limit) {
			w.status = statusClientClosed
			return true, ""
		}
		// The API's own 504 wording unless the scenario gives one.
		p := eff.Problem()
		p.Status = http.StatusGatewayTimeout
		problem(w, p)
		return true, ""
	}
	if eff.Fault != "" {
		if err := scenario.Fault(w, eff.Fault); err != nil {
			problem(w, render.Problem{Status: http.StatusBadGateway, Message: "fault " + eff.Fault + " could not be injected: " + err.Error()})
			return true, ""
		}
		w.status = statusFault
		return true, ""
	}
	if eff.Status != 0 {
		p := eff.Problem()
		p.Status = eff.StatusFor(graphql)
		p.Headers = scenarioHeaders(api, m, graphql, p)
		if p.Status != eff.Status {
			// A GraphQL API answering with another HTTP status keeps the
			// wording and code of the scenario's own status.
			shape := api.m.Error(eff.Status)
			if p.Message == "" {
				p.Message = shape.Message
			}
			if p.Code == "" {
				p.Code = shape.Code
				if shape.GraphQLCode != "" {
					p.Code = shape.GraphQLCode
				}
			}
		}
		problem(w, p)
		return true, ""
	}
	return false, eff.ActAs
}

// applies reports whether a scenario applies to a request. A GraphQL
// request is matched by the root fields it asks for (a scenario's operations
// name REST operationIds and GraphQL root fields, e.g. account), as gqlhttp
// reads them: one read of the body and one look-up in its document cache,
// handed on in the returned context so the handler does neither again. A
// request gqlhttp refuses (bad media type, no valid document) asks for no
// field: the handler answers it.
func applies(ctx context.Context, sc *scenario.Scenario, op string, w http.ResponseWriter, r *http.Request, api *apiRuntime) (bool, context.Context) {
	if len(sc.Operations) == 0 || op != "graphql" {
		return sc.Applies(op), ctx
	}
	q, ctx := api.gqlRead.ReadContext(ctx, w, r)
	for _, f := range q.RootFields() {
		if sc.Applies(f) {
			return true, ctx
		}
	}
	return false, ctx
}

// Statuses recorded in the journal for requests that got no HTTP answer.
const (
	statusClientClosed = 499 // the client went away first
	statusFault        = 0   // a fault was injected on purpose
)

// scenarioHeaders completes the headers of a scenario's error the way the
// real answer has them: a 401 challenges (WWW-Authenticate), and a 429 of an
// API with a rate limit carries the RateLimit-* headers its spec requires
// (the window spent: Remaining 0, Reset = Retry-After or the window).
func scenarioHeaders(api *apiRuntime, m rest.Match, graphql bool, p render.Problem) map[string]string {
	h := make(map[string]string, len(p.Headers)+3)
	switch {
	case p.Status == http.StatusUnauthorized:
		for k, v := range challenge(api, m, graphql) {
			h[k] = v
		}
	case p.Status == http.StatusTooManyRequests && api.limit != nil:
		reset := strconv.FormatInt(int64(math.Ceil(time.Duration(api.limit.Window).Seconds())), 10)
		if ra, ok := p.Headers["Retry-After"]; ok {
			reset = ra
		}
		h["RateLimit-Limit"] = strconv.Itoa(api.limit.Limit)
		h["RateLimit-Remaining"] = "0"
		h["RateLimit-Reset"] = reset
	}
	for k, v := range p.Headers {
		h[k] = v
	}
	return h
}

// challenge is the WWW-Authenticate of a 401 for a matched operation:
// its own security's challenges for an auth.fromSpec API (Bearer for an
// operation that asks none, answering a scenario's 401), else the API's.
func challenge(api *apiRuntime, m rest.Match, graphql bool) map[string]string {
	if !api.m.Auth.FromSpec || graphql {
		return wwwAuthenticate(api.m)
	}
	ch := m.Security().Challenge(api.m.Name)
	if ch == "" {
		ch = `Bearer realm="` + api.m.Name + `"`
	}
	return map[string]string{"WWW-Authenticate": ch}
}

func wwwAuthenticate(m *manifest.API) map[string]string {
	if m.Auth.Bearer {
		return map[string]string{"WWW-Authenticate": `Bearer realm="` + m.Name + `"`}
	}
	return nil
}

// problemWriter renders errors in the API's shape: GraphQL responses on its
// GraphQL endpoint, the manifest's REST body elsewhere.
func (a *apiRuntime) problemWriter(graphql bool) func(http.ResponseWriter, render.Problem) {
	if graphql {
		return func(w http.ResponseWriter, p render.Problem) { render.GraphQL(w, a.m, p) }
	}
	return func(w http.ResponseWriter, p render.Problem) { render.REST(w, a.m, p) }
}

// route finds the API and operation of a request. When the path belongs to
// an API but the method does not, it returns that API with a
// *rest.MethodNotAllowedError.
func (s *Server) route(r *http.Request) (*apiRuntime, rest.Match, error) {
	var notAllowed error
	var notAllowedAPI *apiRuntime
	for _, a := range s.apis {
		if a.gql != nil && r.URL.Path == a.gqlPath {
			return a, rest.Match{}, nil
		}
		if a.rest == nil {
			continue
		}
		m, err := a.rest.Match(r.Method, r.URL.EscapedPath())
		if err == nil {
			return a, m, nil
		}
		var mna *rest.MethodNotAllowedError
		if errors.As(err, &mna) && notAllowed == nil {
			notAllowed, notAllowedAPI = err, a
		}
	}
	if notAllowed != nil {
		return notAllowedAPI, rest.Match{}, notAllowed
	}
	return nil, rest.Match{}, rest.ErrNotFound
}

func (s *Server) pathList() []string {
	var out []string
	for _, a := range s.apis {
		out = append(out, a.paths...)
	}
	return out
}

// recorder remembers the status written, for the journal and logs, and
// passes Hijack and Flush through for faults and streaming.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	// body, when set, keeps the start of the response body for the journal.
	body *journal.Body
	// The journal records entry as soon as the answer starts (so that a
	// client that has the answer finds it there), then completes it under
	// id when the request ends.
	journal *journal.Journal
	entry   *journal.Entry
	// entryVal is where entry points: allocated with the recorder.
	entryVal journal.Entry
	start    time.Time
	id       uint64
}

// started records the request in the journal when its answer starts.
func (r *recorder) started() {
	if r.journal == nil {
		return
	}
	e := *r.entry
	e.Status, e.Duration = r.status, time.Since(r.start)
	r.id = r.journal.Begin(e)
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote && code >= 200 {
		r.status, r.wrote = code, true
		r.started()
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
		r.started()
	}
	if r.body != nil {
		_, _ = r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes through to the underlying writer when it can flush.
func (r *recorder) Flush() {
	if !r.wrote {
		// flushing sends the headers: the answer has started
		r.status, r.wrote = http.StatusOK, true
		r.started()
	}
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes through to the underlying writer, for injected faults.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(r.ResponseWriter).Hijack()
}
