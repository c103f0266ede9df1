// Package control serves the control API under /__standin/: health, the
// APIs served, scenarios (listing and sticky choice), reset, and the journal
// of recent requests. JSON in and out; every error is {"error": "..."}.
//
//	GET    /__standin/health                 {"status":"ok"}    (liveness; never needs the token)
//	GET    /__standin/ready                  {"status":"ready"} (readiness; never needs the token)
//	GET    /__standin/apis                   {"apis":[{name,title,protocols,paths,scenario,rateLimit,warnings}]}
//	GET    /__standin/scenarios[?api=NAME]   {"scenarios":[{api,name,description,source,operations,sticky,effect}]}
//	GET    /__standin/apis/{api}/scenario    {"api":..,"scenario":".."} (the sticky one, "" if none)
//	PUT    /__standin/apis/{api}/scenario    body {"name":"NAME"}: make NAME sticky ("" or "none" clears)
//	DELETE /__standin/apis/{api}/scenario    clear the sticky scenario
//	POST   /__standin/reset                  data and rate limits back to the start state
//	GET    /__standin/requests[?filters]     {"requests":[...]} newest first (default limit 100; see ParseFilter)
//	GET    /__standin/requests/count[?filters] {"count":N}
//	DELETE /__standin/requests               empty the journal
//	GET    /__standin/metrics                Prometheus metrics (with Options.Metrics)
//	GET    /__standin/requests/stream[?filters] server-sent events: one "request" event per completed request
//	GET    /__standin/requests/{seq}/curl    {"seq","curl","notes"}: a curl line that sends the request again
//	GET    /__standin/traffic[?api=NAME]     per-API counts and latency percentiles over time (with Options.Traffic)
//	GET    /__standin/ui/                    the dashboard (with Options.UI)
//	GET    /__standin/reloads                {"reloads":[{time,kind,files,error}]} (with Options.Reloads)
//	GET    /__standin/writes/{id}            {"writeId":..,"outcome":"applied"|"not-applied"|"unknown"} (shared state; see WriteOutcomes)
//
// and the data API (see package records), when the backend has one:
//
//	GET    /__standin/apis/{api}/collections                      {"api":..,"collections":[{name,key,unique,schema,count}]}
//	GET    /__standin/apis/{api}/collections/{c}/records[?limit=N&after=KEY] {"records":[...],"total":N,"next":KEY}
//	POST   /__standin/apis/{api}/collections/{c}/records          a record (201, the record, Location) or an array (201, {"records":[...]})
//	GET    /__standin/apis/{api}/collections/{c}/records/{key}    the record
//	PUT    /__standin/apis/{api}/collections/{c}/records/{key}    replace it (200, the record)
//	PATCH  /__standin/apis/{api}/collections/{c}/records/{key}    JSON merge patch, RFC 7396 (200, the record)
//	DELETE /__standin/apis/{api}/collections/{c}/records/{key}    delete it (204)
//
// A record that breaks its schema is a 400 with {"error", "violations":
// [{"pointer","reason"}]}, pointers into the body sent; a unique value
// taken is a 409 with {"error", "pointer", "field", "value"}.
//
// Unknown API: 404. Unknown scenario, bad JSON, bad limit: 400. Wrong
// method: 405 with Allow. With Options.RequireToken, every request needs
// "Authorization: Bearer <AdminToken>" (401 otherwise, compared in constant
// time); with RequireToken and no AdminToken every request is refused.
//
// The handler accepts paths with or without the /__standin prefix, so it can
// be mounted as is or under http.StripPrefix. Routing is gorilla/mux, one
// route per path above with its methods (a GET route answers HEAD too);
// paths are matched in package route's canonical escaping, so a record key
// may contain "/" sent as "%2F", and path variables are percent-decoded.
package control

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/metrics"
	"github.com/standin/standin/internal/scenario"
)

// Prefix is where the control API is mounted.
const Prefix = "/__standin"

// DefaultRequestsLimit is how many journal entries GET requests returns
// without ?limit.
const DefaultRequestsLimit = 100

// maxBody bounds request bodies.
const maxBody = 64 << 10

// Backend is what the control API controls.
type Backend interface {
	// APIs describes the APIs served.
	APIs() []APIInfo
	// Scenarios is the scenario registry (sticky choices change through it).
	Scenarios() *scenario.Registry
	// Reset puts data and rate limits back to the start state.
	Reset()
	// Journal is the journal of recent requests.
	Journal() *journal.Journal
}

// APIInfo describes one API served.
type APIInfo struct {
	Name      string
	Title     string
	Protocols []string
	Paths     []string
	// Operations lists "METHOD path operation" (operation: the
	// operationId, or "graphql" for a GraphQL endpoint).
	Operations []string
	// Scenario is the sticky scenario; the control API reports the
	// registry's current choice instead when it has a registry.
	Scenario  string
	RateLimit *manifest.RateLimit
	// Warnings say what of the API's files is not served as written:
	// every one, with its place and JSON pointer (the start-up summary
	// prints them grouped and counted).
	Warnings diag.List
}

// Options configure the handler.
type Options struct {
	// AdminToken is the bearer token control requests must present when
	// RequireToken is set.
	AdminToken string
	// RequireToken makes every control request need the token.
	RequireToken bool
	// Metrics, when set, serves GET /__standin/metrics (Prometheus).
	Metrics http.Handler
	// UI, when set, serves the dashboard under GET /__standin/ui/.
	UI http.Handler
	// Reloads, when set, serves GET /__standin/reloads: the latest reloads
	// of changed files (--watch), newest first.
	Reloads func() any
	// Traffic, when set, serves GET /__standin/traffic: each API's request
	// counts and latency percentiles, since start-up and per step over
	// the last minutes (the dashboard's counters and charts).
	Traffic *metrics.Traffic
	// KnownToken reports whether a credential is one of the mock's own
	// tokens; "copy as curl" (GET /__standin/requests/{seq}/curl) copies
	// those as sent and cuts every other secret. Nil: every secret is cut.
	KnownToken func(token string) bool
}

type handler struct {
	b    Backend
	opts Options
	// open serves what never needs the token (health, ready); routes the
	// rest.
	open, routes *router
}

// New returns the control API handler.
func New(b Backend, opts Options) http.Handler {
	h := &handler{b: b, opts: opts, open: newRouter(), routes: newRouter()}
	get := []string{http.MethodGet}
	h.open.handle("/health", get, h.health)
	h.open.handle("/ready", get, h.ready)
	h.routes.handle("/apis", get, h.apis)
	h.routes.handle("/scenarios", get, h.scenarios)
	h.routes.handle("/reset", []string{http.MethodPost}, h.reset)
	h.routes.handle("/requests", []string{http.MethodGet, http.MethodDelete}, h.requests)
	h.routes.handle("/requests/count", get, h.requestsCount)
	h.routes.handle("/requests/stream", get, h.stream)
	h.routes.handle("/requests/{seq}/curl", get, h.curl)
	if opts.Traffic != nil {
		h.routes.handle("/traffic", get, h.traffic)
	}
	h.routes.handle("/apis/{api}/scenario", []string{http.MethodGet, http.MethodPut, http.MethodDelete}, h.sticky)
	h.routes.handle("/writes/{id}", get, h.writeOutcome)
	if opts.Reloads != nil {
		h.routes.handle("/reloads", get, func(w http.ResponseWriter, r *http.Request, _ map[string]string) {
			writeJSON(w, http.StatusOK, map[string]any{"reloads": h.opts.Reloads()})
		})
	}
	if opts.Metrics != nil {
		h.routes.handle("/metrics", get, func(w http.ResponseWriter, r *http.Request, _ map[string]string) { h.opts.Metrics.ServeHTTP(w, r) })
	}
	if opts.UI != nil {
		ui := func(w http.ResponseWriter, r *http.Request, _ map[string]string) { h.opts.UI.ServeHTTP(w, r) }
		h.routes.handle("/ui", get, ui)
		h.routes.handle("/ui/*", get, ui)
	}
	h.dataRoutes()
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	p, ok := relPath(r)
	// Liveness and readiness never need the token (probes carry no
	// secret) and tell nothing secret.
	if ok {
		if ep, vars, allow := h.open.match(r.Method, p); ep != nil || allow != nil {
			h.serve(w, r, ep, vars, allow)
			return
		}
	}
	if h.opts.RequireToken && h.dashboardLogin(w, r) {
		return
	}
	if h.opts.RequireToken && !h.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="standin-control"`)
		msg := "the control API needs Authorization: Bearer <admin token>"
		if h.opts.AdminToken == "" {
			msg = "the control API requires a token, but no admin token is configured"
		}
		writeError(w, http.StatusUnauthorized, msg)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s", r.URL.Path))
		return
	}
	if isDataPath(p) && h.records() == nil {
		writeError(w, http.StatusNotFound, "this server has no data API")
		return
	}
	ep, vars, allow := h.routes.match(r.Method, p)
	if ep == nil && allow == nil {
		if isDataPath(p) {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s; the data API is %s/apis/{api}/collections[/{collection}/records[/{key}]]", r.URL.Path, Prefix))
			return
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s; see GET %s/apis, %s/scenarios, %s/requests", r.URL.Path, Prefix, Prefix, Prefix))
		return
	}
	h.serve(w, r, ep, vars, allow)
}

// serve answers a routed request: the endpoint, or 405 with Allow.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, ep *endpoint, vars map[string]string, allow []string) {
	if ep == nil {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	ep.serve(w, r, vars)
}

// health answers GET /health (liveness).
func (h *handler) health(w http.ResponseWriter, _ *http.Request, _ map[string]string) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready answers GET /ready: 503 with the reason while the backend serves
// degraded.
func (h *handler) ready(w http.ResponseWriter, _ *http.Request, _ map[string]string) {
	if d, ok := h.b.(Degrader); ok {
		if reason := d.Degraded(); reason != "" {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "degraded", "reason": reason})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (h *handler) authorized(r *http.Request) bool {
	if h.opts.AdminToken == "" {
		return false
	}
	a := r.Header.Get("Authorization")
	if len(a) < 7 || !strings.EqualFold(a[:7], "bearer ") {
		// A browser on the dashboard carries the token in its cookie; only
		// the dashboard's own origin may use it (CORS lets other pages
		// send credentials, and same-site is wider than same-origin).
		c, err := r.Cookie(TokenCookie)
		return err == nil && sameOrigin(r) && h.isToken(c.Value)
	}
	return h.isToken(strings.TrimSpace(a[7:]))
}

// sameOrigin reports whether a browser request comes from a page of the
// mock's own origin: no Origin header (a same-origin GET, a navigation), or
// one naming this host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	return o == "" || o == "http://"+r.Host || o == "https://"+r.Host
}

// TokenCookie keeps the admin token for the dashboard's browser (set by
// opening /__standin/ui/?token=T): HttpOnly, SameSite=Strict, Path
// /__standin, so other sites' pages cannot use it.
const TokenCookie = "standin_admin_token"

func (h *handler) isToken(got string) bool {
	return h.opts.AdminToken != "" && subtle.ConstantTimeCompare([]byte(got), []byte(h.opts.AdminToken)) == 1
}

// dashboardLogin answers /__standin/ui/?token=T with the right token: it
// sets TokenCookie and redirects to the same page without the token in the
// address. It reports whether it answered.
func (h *handler) dashboardLogin(w http.ResponseWriter, r *http.Request) bool {
	if h.opts.UI == nil || !strings.HasPrefix(r.URL.Path, Prefix+"/ui") || !r.URL.Query().Has("token") {
		return false
	}
	tok := r.URL.Query().Get("token")
	if !h.isToken(tok) {
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: tok, Path: Prefix, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	return true
}

type rateLimitJSON struct {
	Limit         int     `json:"limit"`
	Window        string  `json:"window"`
	WindowSeconds float64 `json:"windowSeconds"`
}

type apiJSON struct {
	Name       string         `json:"name"`
	Title      string         `json:"title,omitempty"`
	Protocols  []string       `json:"protocols"`
	Paths      []string       `json:"paths"`
	Operations []string       `json:"operations"`
	Scenario   string         `json:"scenario"`
	Scenarios  []string       `json:"scenarios"`
	RateLimit  *rateLimitJSON `json:"rateLimit"`
	Warnings   diag.List      `json:"warnings,omitempty"`
}

func (h *handler) apis(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	reg := h.b.Scenarios()
	infos := h.b.APIs()
	out := make([]apiJSON, 0, len(infos))
	for _, a := range infos {
		j := apiJSON{Name: a.Name, Title: a.Title, Protocols: nonNil(a.Protocols), Paths: nonNil(a.Paths), Operations: nonNil(a.Operations), Scenario: a.Scenario, Scenarios: []string{},
			Warnings: a.Warnings}
		if reg != nil {
			j.Scenario = reg.Sticky(a.Name)
			j.Scenarios = nonNil(reg.Names(a.Name))
		}
		if a.RateLimit != nil {
			d := time.Duration(a.RateLimit.Window)
			j.RateLimit = &rateLimitJSON{Limit: a.RateLimit.Limit, Window: d.String(), WindowSeconds: d.Seconds()}
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"apis": out})
}

type effectJSON struct {
	Status        int               `json:"status,omitempty"`
	GraphQLStatus int               `json:"graphqlStatus,omitempty"`
	Message       string            `json:"message,omitempty"`
	Code          string            `json:"code,omitempty"`
	Headers       map[string]string `json:"headers,omitempty"`
	Delay         string            `json:"delay,omitempty"`
	MaxDelay      string            `json:"maxDelay,omitempty"`
	Hold          bool              `json:"hold,omitempty"`
	HoldCap       string            `json:"holdCap,omitempty"`
	Fault         string            `json:"fault,omitempty"`
	DataSet       string            `json:"dataSet,omitempty"`
	ActAs         string            `json:"actAs,omitempty"`
	QueryBudget   string            `json:"queryBudget,omitempty"`
}

type scenarioJSON struct {
	API         string     `json:"api"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Source      string     `json:"source"`
	Operations  []string   `json:"operations"`
	Sticky      bool       `json:"sticky"`
	Effect      effectJSON `json:"effect"`
}

func dur(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func (h *handler) scenarios(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	reg := h.b.Scenarios()
	out := []scenarioJSON{}
	filter := r.URL.Query().Get("api")
	if filter != "" && !h.knownAPI(filter) {
		writeError(w, http.StatusNotFound, h.unknownAPI(filter))
		return
	}
	if reg != nil {
		for _, s := range reg.All() {
			if filter != "" && s.API != filter {
				continue
			}
			e := s.Effect
			out = append(out, scenarioJSON{
				API: s.API, Name: s.Name, Description: s.Description, Source: s.Source,
				Operations: nonNil(s.Operations), Sticky: reg.Sticky(s.API) == s.Name,
				Effect: effectJSON{
					Status: e.Status, GraphQLStatus: e.GraphQLStatus, Message: e.Message, Code: e.Code,
					Headers: e.Headers, Delay: dur(e.Delay), MaxDelay: dur(e.MaxDelay), Hold: e.Hold,
					HoldCap: dur(e.HoldCap), Fault: e.Fault, DataSet: string(e.DataSet), ActAs: e.ActAs,
					QueryBudget: dur(e.QueryBudget),
				},
			})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": out})
}

func (h *handler) apiNames() []string {
	infos := h.b.APIs()
	names := make([]string, len(infos))
	for i, a := range infos {
		names[i] = a.Name
	}
	slices.Sort(names)
	return names
}

func (h *handler) knownAPI(api string) bool { return slices.Contains(h.apiNames(), api) }

func (h *handler) unknownAPI(api string) string {
	return fmt.Sprintf("unknown API %q; APIs: %s", api, strings.Join(h.apiNames(), ", "))
}

type stickyRequest struct {
	Name *string `json:"name"`
}

func (h *handler) sticky(w http.ResponseWriter, r *http.Request, vars map[string]string) {
	api := vars["api"]
	if strings.Contains(api, "/") {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s", r.URL.Path))
		return
	}
	if !h.knownAPI(api) {
		writeError(w, http.StatusNotFound, h.unknownAPI(api))
		return
	}
	reg := h.b.Scenarios()
	if reg == nil {
		writeError(w, http.StatusNotFound, "no scenarios are loaded")
		return
	}
	switch r.Method {
	case http.MethodPut:
		var body stickyRequest
		if err := decodeJSON(w, r, &body); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if body.Name == nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf(`body needs {"name": "NAME"}; valid names for %s: %s`, api, strings.Join(reg.Names(api), ", ")))
			return
		}
		if err := reg.SetSticky(api, *body.Name); err != nil {
			var ue *scenario.UnknownError
			if errors.As(err, &ue) {
				writeJSON(w, http.StatusBadRequest, map[string]any{"error": ue.Error(), "valid": nonNil(ue.Valid)})
				return
			}
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	case http.MethodDelete:
		reg.ClearSticky(api)
	}
	writeJSON(w, http.StatusOK, map[string]string{"api": api, "scenario": reg.Sticky(api)})
}

// SharedJournal is a Backend whose journal is shared by several replicas
// (--state): the requests endpoints read it, falling back to the local
// journal when it cannot be read (ok false).
type SharedJournal interface {
	SelectRequests(f journal.Filter) (entries []journal.Entry, ok bool)
	CountRequests(f journal.Filter) (n int, ok bool)
	ClearRequests() error
}

func selectShared(sj SharedJournal, f journal.Filter) ([]journal.Entry, bool) {
	if sj == nil {
		return nil, false
	}
	return sj.SelectRequests(f)
}

// Degrader is a Backend that may serve degraded (reads only, the shared
// state unreachable): /__standin/ready then answers 503 with the reason.
type Degrader interface {
	Degraded() string
}

// TryResetter is a Backend whose reset may fail (shared state
// unreachable); the control API then answers 503 with Retry-After.
type TryResetter interface {
	TryReset() error
}

func (h *handler) reset(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	if tr, ok := h.b.(TryResetter); ok {
		if err := tr.TryReset(); err != nil {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, "reset not done: "+err.Error())
			return
		}
	} else {
		h.b.Reset()
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (h *handler) requests(w http.ResponseWriter, r *http.Request, _ map[string]string) {
	j := h.b.Journal()
	shared, _ := h.b.(SharedJournal)
	if r.Method == http.MethodDelete {
		if j != nil {
			j.Reset()
		}
		if shared != nil {
			if err := shared.ClearRequests(); err != nil {
				w.Header().Set("Retry-After", "1")
				writeError(w, http.StatusServiceUnavailable, "the shared journal was not cleared: "+err.Error())
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
		return
	}
	f, ok := h.filter(w, r)
	if !ok {
		return
	}
	entries := []journal.Entry{}
	if es, ok := selectShared(shared, f); ok {
		entries = es
	} else if j != nil {
		entries = j.Select(f)
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": entries})
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New(`empty body: send {"name": "NAME"}`)
		}
		return fmt.Errorf("bad JSON body: %v", err)
	}
	if dec.More() {
		return errors.New("bad JSON body: more than one JSON value")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("bad JSON body: data after the JSON value")
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"response could not be encoded"}`)
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
