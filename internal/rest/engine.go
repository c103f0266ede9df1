// Package rest serves the REST part of an API from its OpenAPI 3 document
// and the bindings of its manifest, with no Go code per API.
//
// The server calls Match to find the operation of a request, then Serve to
// answer it:
//
//	m, err := eng.Match(r.Method, r.URL.EscapedPath())
//	if err != nil {
//		eng.WriteMatchError(w, r, err) // 404 or 405 in the API's shape
//		return
//	}
//	eng.Serve(w, r, m)
//
// Serve checks the binding's permissions, validates the request against the
// spec, and answers through the record layer, internal/records (bound
// operations: the request's data set and scope, selection, paging and
// guarded writes are its), or from the spec's examples or schema (unbound
// ones). It never panics and never answers 500 for a fault of its own.
// Routing rules are those of package route (on gorilla/mux, routes sorted
// by specificity).
package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/rest/route"
	"github.com/standin/standin/internal/schemagen"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// ErrNotFound is Match's error for a path no operation matches.
var ErrNotFound = route.ErrNotFound

// MethodNotAllowedError is Match's error for a path whose operations do not
// include the method; Allow lists the methods that would be accepted.
type MethodNotAllowedError = route.MethodNotAllowedError

// Options tunes an Engine.
type Options struct {
	// Logger receives start-up warnings and recovered faults
	// (default slog.Default()).
	Logger *slog.Logger
	// Large gives the large data set of a collection (the query-timeout
	// scenario's large organization), read instead of the store's records
	// when a request's data set is "large"; nil: none.
	Large records.LargeFunc
	// Seed varies the values generated for operations without a binding
	// (same seed, same answers).
	Seed uint64
}

// Engine serves one API's REST operations. It is safe for concurrent use.
type Engine struct {
	api    *manifest.API
	doc    *openapi3.T
	st     *store.Store
	src    *records.Source // the records requests see, through records.View
	router *route.Router
	ops    []*operation
	log    *slog.Logger
	// errs is api with an error shape for every status the engine answers
	// itself (400, 403, 404, 405): those the manifest omits borrow the body
	// of one it declares, so every error has the API's shape.
	errs *manifest.API
	// gen makes the answers of operations without a binding and without
	// an example (used while the engine is built).
	gen *schemagen.Generator
	// check are the options answers are checked against their schemas
	// with (3.1: JSON Schema 2020-12).
	check []openapi3.SchemaValidationOption
	seed  uint64
}

// Match is the outcome of routing a request: an operation and its path
// parameters, or an OPTIONS request on a known path.
type Match struct {
	op    *operation
	res   route.Result
	allow []string
}

// AcceptsMediaType reports whether the matched operation declares a request
// body of media type mt (an exact type, or a type/* or */* range).
func (m Match) AcceptsMediaType(mt string) bool {
	if m.op == nil || m.op.route == nil || m.op.route.Operation == nil || m.op.route.Operation.RequestBody == nil || m.op.route.Operation.RequestBody.Value == nil {
		return false
	}
	major, _, _ := strings.Cut(mt, "/")
	for declared := range m.op.route.Operation.RequestBody.Value.Content {
		if declared == mt || declared == "*/*" || declared == major+"/*" {
			return true
		}
	}
	return false
}

// OperationID is the matched operation's operationId ("" for OPTIONS).
func (m Match) OperationID() string {
	if m.op == nil {
		return ""
	}
	return m.op.id
}

// Template is the matched path template, prefix included.
func (m Match) Template() string {
	if m.op == nil {
		return ""
	}
	return m.op.template
}

// Param returns a path parameter's percent-decoded value.
func (m Match) Param(name string) (string, bool) {
	if m.op == nil {
		return "", false
	}
	for i, n := range m.op.names {
		if n == name && i < m.res.N {
			return m.res.Values[i], true
		}
	}
	return "", false
}

// Params returns the path parameters as a map.
func (m Match) Params() map[string]string {
	out := map[string]string{}
	if m.op != nil {
		for i, n := range m.op.names {
			if i < m.res.N {
				out[n] = m.res.Values[i]
			}
		}
	}
	return out
}

// Options reports whether m is an OPTIONS request answered with Allow.
func (m Match) Options() bool { return m.op == nil && m.allow != nil }

// Allow lists the methods of the path for an OPTIONS match.
func (m Match) Allow() []string { return m.allow }

// New compiles an API's REST part. It fails when a binding names an unknown
// operationId, a key parameter that is not a path parameter of its
// operation, paging parameters the operation does not declare, or a
// collection the store does not have; or when two templates clash.
func New(api *manifest.API, doc *openapi3.T, st *store.Store, opts Options) (*Engine, error) {
	if api == nil || doc == nil || st == nil {
		return nil, errors.New("rest: New needs an API, a document and a store")
	}
	e := &Engine{api: api, doc: doc, st: st, src: records.NewSource(api.Name, st, opts.Large), router: route.New(), log: opts.Logger, errs: errorShapes(api)}
	if doc.IsOpenAPI31OrLater() {
		e.check = []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020()}
	}
	e.seed = opts.Seed
	e.gen = schemagen.New(schemagen.Options{Seed: opts.Seed, Optional: true, Validate: e.check})
	if e.log == nil {
		e.log = slog.Default()
	}
	e.log = e.log.With("api", api.Name)
	// Fields of format uuid are stored in lower case and compared without
	// case by the record layer.
	for _, c := range api.Collections {
		if c.Schema == "" {
			continue
		}
		if ref := contractapi.SchemaAt(doc, c.Schema); ref != nil && ref.Value != nil {
			e.src.SetUUIDFields(manifest.StoreName(api.Name, c.Name), specs.UUIDPaths(ref.Value))
		}
	}
	if doc.Paths == nil {
		return nil, fmt.Errorf("rest: %s: the document has no paths", api.Name)
	}
	prefix := strings.TrimSuffix(api.Prefix, "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	byID := map[string]*operation{}
	var bindings map[string]manifest.Operation
	if api.REST != nil {
		bindings = api.REST.Operations
	}
	var errs []error
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		item := doc.Paths.Value(p)
		if item == nil {
			continue
		}
		methods := item.Operations()
		names := make([]string, 0, len(methods))
		for m := range methods {
			names = append(names, m)
		}
		sort.Strings(names)
		for _, method := range names {
			o := methods[method]
			op := &operation{
				id:       o.OperationID,
				method:   method,
				template: prefix + p,
				route:    &routers.Route{Spec: doc, Path: p, PathItem: item, Method: method, Operation: o},
				denied:   deniedStatus(o),
			}
			if op.id == "" {
				op.id = method + " " + p
			}
			if _, dup := byID[op.id]; dup && o.OperationID != "" {
				errs = append(errs, fmt.Errorf("operationId %q used twice", op.id))
				continue
			}
			byID[op.id] = op
			handle := len(e.ops)
			if err := e.router.Add(op.template, method, handle); err != nil {
				errs = append(errs, err)
				continue
			}
			e.ops = append(e.ops, op)
			op.names = e.router.ParamNames(handle)
			if err := e.prepare(op, item, o); err != nil {
				errs = append(errs, fmt.Errorf("operation %s: %w", op.id, err))
			}
		}
	}
	ids := make([]string, 0, len(bindings))
	for id := range bindings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		op, ok := byID[id]
		if !ok {
			errs = append(errs, fmt.Errorf("binding %q: no operation with this operationId in %s", id, api.REST.Spec))
			continue
		}
		b := bindings[id]
		if err := e.bind(op, &b); err != nil {
			errs = append(errs, fmt.Errorf("binding %q: %w", id, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("rest: %s: %w", api.Name, err)
	}
	if cut := e.gen.Unending(); len(cut) > 0 {
		e.log.Warn(fmt.Sprintf("rest: schemas that can never end (a required reference back to themselves, never null or empty) are answered %d levels deep, then an empty object", schemagen.UnendingBound),
			"schemas", strings.Join(cut, ", "))
	}
	e.gen = nil // only start-up makes values
	return e, nil
}

// API returns the engine's manifest.
func (e *Engine) API() *manifest.API { return e.api }

// Operations lists "METHOD template operationId" for start-up summaries.
func (e *Engine) Operations() []string {
	out := make([]string, 0, len(e.ops))
	for _, op := range e.ops {
		out = append(out, op.method+" "+op.template+" "+op.id)
	}
	return out
}

// Match routes a request. It returns ErrNotFound when no template matches
// the path and a *MethodNotAllowedError when templates match but none has
// the method. OPTIONS on a known path (when the spec declares no OPTIONS
// operation there) matches; Serve answers it with 204 and Allow.
func (e *Engine) Match(method, escapedPath string) (Match, error) {
	res, err := e.router.Match(method, escapedPath)
	if err != nil {
		var mna *MethodNotAllowedError
		if method == http.MethodOptions && errors.As(err, &mna) {
			return Match{allow: mna.Allow}, nil
		}
		return Match{}, err
	}
	return Match{op: e.ops[res.Handle], res: res}, nil
}

// WriteMatchError answers a Match error in the API's shape: 404 for
// ErrNotFound, 405 with Allow for *MethodNotAllowedError.
func (e *Engine) WriteMatchError(w http.ResponseWriter, r *http.Request, err error) {
	var mna *MethodNotAllowedError
	if errors.As(err, &mna) {
		render.REST(w, e.errs, render.Problem{Status: http.StatusMethodNotAllowed,
			Headers: map[string]string{"Allow": strings.Join(mna.Allow, ", ")}})
		return
	}
	render.REST(w, e.errs, render.Problem{Status: http.StatusNotFound})
}

// Serve answers a matched request.
func (e *Engine) Serve(w http.ResponseWriter, r *http.Request, m Match) {
	op := m.op
	if op == nil {
		if m.allow == nil {
			render.REST(w, e.errs, render.Problem{Status: http.StatusNotFound})
			return
		}
		w.Header().Set("Allow", strings.Join(m.allow, ", "))
		w.WriteHeader(http.StatusNoContent)
		return
	}
	written := false
	defer func() {
		if v := recover(); v != nil {
			e.log.Error("rest: recovered from a fault; answering from the spec", "operation", op.id,
				"path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if !written {
				func() {
					defer func() { _ = recover() }()
					writeCanned(w, &op.fallback)
				}()
			}
		}
	}()
	ctx := r.Context()
	p := reqctx.Principal(ctx)
	b := op.binding
	if b != nil && len(b.Requires) > 0 && !e.api.Auth.None {
		var missing []string
		if p == nil {
			missing = b.Requires
		} else {
			missing = p.Missing(b.Requires...)
		}
		if len(missing) > 0 {
			written = true
			e.problem(w, op.denied, "missing permission "+strings.Join(missing, ", "))
			return
		}
	}
	if msgs := e.validate(ctx, r, op, &m.res); len(msgs) > 0 {
		written = true
		e.problem(w, http.StatusBadRequest, strings.Join(msgs, "; "))
		return
	}
	if b == nil {
		written = true
		writeCanned(w, &op.fallback)
		return
	}
	v := records.ViewOf(ctx, e.src)
	switch b.Action {
	case "get":
		k := records.Key{Field: b.Key.Field, Value: op.key(&m.res), Scoped: b.Scoped}
		it, err := v.Get(op.collection, k)
		if err == nil && !records.InScope(it, op.scope(&m.res)) {
			err = records.ErrNotFound // made under other parents
		}
		if err != nil {
			written = true
			if errors.Is(err, records.ErrOutOfScope) {
				e.problem(w, op.denied, "")
				return
			}
			if !errors.Is(err, records.ErrNotFound) {
				e.log.Error("rest: store lookup failed", "operation", op.id, "err", err)
			}
			e.problem(w, http.StatusNotFound, "")
			return
		}
		written = true
		if op.noBody {
			w.WriteHeader(op.ok)
			return
		}
		if op.answer != nil {
			writeBody(w, op.ok, op.answer, []string{strconv.Itoa(len(op.answer))})
			return
		}
		ent := op.cache.get(it, op)
		writeBody(w, op.ok, ent.body, ent.clen)
	case "list":
		lr, msg := op.parseList(r)
		if msg != "" {
			written = true
			e.problem(w, http.StatusBadRequest, msg)
			return
		}
		lr.scope = op.scope(&m.res)
		written = true
		op.serveList(w, e, r, v, &lr)
	case actionCreate, actionReplace, actionPatch, actionDelete:
		written = true
		e.serveWrite(w, r, op, &m, v)
	default:
		written = true
		writeCanned(w, &op.fallback)
	}
}

// problem writes an error in the API's shape; message "" keeps the
// manifest's message for the status, any other is appended to it.
func (e *Engine) problem(w http.ResponseWriter, status int, detail string) {
	msg := ""
	if detail != "" {
		msg = e.errs.Error(status).Message
		if msg == "" {
			msg = detail
		} else {
			msg += ": " + detail
		}
	}
	render.REST(w, e.errs, render.Problem{Status: status, Message: msg})
}

// engineStatuses are the error statuses the engine answers by itself.
var engineStatuses = []struct {
	status  int
	message string
}{
	{http.StatusBadRequest, "Bad request"},
	{http.StatusForbidden, "Forbidden"},
	{http.StatusNotFound, "Not found"},
	{http.StatusMethodNotAllowed, "Method not allowed"},
	{http.StatusConflict, "Conflict"},
	{http.StatusGatewayTimeout, "Gateway timeout"},
}

// errorShapes returns api itself when it declares a shape for every status
// of engineStatuses, else a copy whose missing shapes take the body and the
// code of a declared one (400, 404, 403, 500, else the lowest status) with
// the status's own message and no headers: the body then has the API's
// shape and a code its spec documents (a spec's error codes are often an
// enum). An API that wants its own code for, say, 405 declares errors.405.
// An API that declares no shape keeps the generic fallback.
func errorShapes(api *manifest.API) *manifest.API {
	if api == nil || len(api.Errors) == 0 {
		return api
	}
	var model *manifest.ErrorShape
	for _, st := range []int{400, 404, 403, 500} {
		if sh, ok := api.Errors[st]; ok && sh.Body != nil {
			model = &sh
			break
		}
	}
	if model == nil {
		statuses := make([]int, 0, len(api.Errors))
		for st, sh := range api.Errors {
			if sh.Body != nil {
				statuses = append(statuses, st)
			}
		}
		if len(statuses) == 0 {
			return api
		}
		sort.Ints(statuses)
		sh := api.Errors[statuses[0]]
		model = &sh
	}
	var out *manifest.API
	for _, es := range engineStatuses {
		if _, ok := api.Errors[es.status]; ok {
			continue
		}
		if out == nil {
			cp := *api
			cp.Errors = make(map[int]manifest.ErrorShape, len(api.Errors)+len(engineStatuses))
			for k, v := range api.Errors {
				cp.Errors[k] = v
			}
			out = &cp
		}
		out.Errors[es.status] = manifest.ErrorShape{Code: model.Code, GraphQLCode: model.GraphQLCode, Message: es.message, Body: model.Body}
	}
	if out == nil {
		return api
	}
	return out
}

var ctJSON = []string{"application/json"}

func writeBody(w http.ResponseWriter, status int, body []byte, clen []string) {
	h := w.Header()
	h["Content-Type"] = ctJSON
	h["Content-Length"] = clen
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeCanned(w http.ResponseWriter, c *canned) {
	h := w.Header()
	if c.body == nil {
		w.WriteHeader(c.status)
		return
	}
	h["Content-Type"] = []string{c.ctype}
	h["Content-Length"] = c.clen
	w.WriteHeader(c.status)
	_, _ = w.Write(c.body)
}

// validate checks the request against the spec; it returns one message per
// violation.
func (e *Engine) validate(ctx context.Context, r *http.Request, op *operation, res *route.Result) []string {
	if op.fastAccept(r, res) {
		return nil
	}
	return op.fullValidate(ctx, r, res)
}
