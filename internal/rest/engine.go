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
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
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
	// Credentials pin the one credential a security scheme accepts, by
	// the scheme's name (config apis.<api>.credentials); a scheme not
	// named takes any well-formed credential. Only for auth.fromSpec.
	Credentials map[string]string
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
	// warnings say which operations of the document are not served, or not
	// as written, and why (Warnings).
	warnings diag.List
	opts     Options
	// gen makes the answers of operations without a binding and without
	// an example, on their first use (generate); genMu holds it, and
	// unendingLogged are the never-ending schemas already logged.
	gen            *schemagen.Generator
	genMu          sync.Mutex
	unendingLogged map[string]bool
	// check are the options answers and the examples they are made of
	// are checked against their schemas with: the project's string
	// formats (uri, email, uuid, date, date-time), and for 3.1 JSON
	// Schema 2020-12.
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

// RequestMediaTypes are the media types the matched operation declares
// for its request body, JSON ones first (nil: none declared).
func (m Match) RequestMediaTypes() []string {
	if m.op == nil || m.op.route == nil || m.op.route.Operation == nil || m.op.route.Operation.RequestBody == nil || m.op.route.Operation.RequestBody.Value == nil {
		return nil
	}
	out := make([]string, 0, len(m.op.route.Operation.RequestBody.Value.Content))
	for declared := range m.op.route.Operation.RequestBody.Value.Content {
		out = append(out, declared)
	}
	slices.SortFunc(out, func(a, b string) int {
		if ja, jb := conventions.IsJSON(a), conventions.IsJSON(b); ja != jb {
			if ja {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

// Security is the matched operation's security policy (nil: open, or an
// API whose manifest does not say auth.fromSpec).
func (m Match) Security() *auth.Policy {
	if m.op == nil {
		return nil
	}
	return m.op.security
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
	e := &Engine{api: api, doc: doc, st: st, src: records.NewSource(api.Name, st, opts.Large), router: route.New(), log: opts.Logger, errs: errorShapes(api), opts: opts}
	e.check = []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(specs.FormatValidators())}
	if doc.IsOpenAPI31OrLater() {
		e.check = append(e.check, openapi3.EnableJSONSchema2020())
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
		if ref := contractapi.RecordSchemaAt(doc, c.Schema); ref != nil && ref.Value != nil {
			e.src.SetUUIDFields(manifest.StoreName(api.Name, c.Name), specs.UUIDPaths(ref.Value))
		}
	}
	paths := []string(nil)
	if doc.Paths != nil {
		paths = doc.Paths.InMatchingOrder()
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
	var security *securitySchemes
	if api.Auth.FromSpec {
		security = &securitySchemes{e: e, schemes: map[string]*auth.Scheme{}, seen: map[string]bool{}}
		security.pinnedUnknown()
	}
	// the operations of the document that cannot be served: a warning
	// each, and a binding of one is dropped with it
	skipped := map[string]bool{}
	notServed := func(p, method string, o *openapi3.Operation, why string) {
		d := diag.Diagnostic{Code: diag.CodeNotServed, Severity: diag.Warning, Pointer: jsonptr.Format("paths", p, strings.ToLower(method)),
			Message: fmt.Sprintf("%s %s is not served: %s", method, p, why)}
		if o != nil && o.Origin != nil && o.Origin.Key != nil {
			d.File, d.Line, d.Col = o.Origin.Key.File, o.Origin.Key.Line, o.Origin.Key.Column
		}
		e.warnings = append(e.warnings, d)
	}
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
			if first, dup := byID[op.id]; dup && o.OperationID != "" {
				// served under its method and path; a binding of the id
				// names the first
				e.warnings = append(e.warnings, diag.Diagnostic{Code: diag.CodeInvalidDocument, Severity: diag.Warning,
					Pointer: jsonptr.Format("paths", p, strings.ToLower(method), "operationId"),
					Message: fmt.Sprintf("operationId %q is used twice (%s %s first); this one is known as %s %s", op.id, first.method, first.template, method, p)})
				op.id = method + " " + p
			}
			handle := len(e.ops)
			if err := e.router.Add(op.template, method, handle); err != nil {
				why := strings.TrimPrefix(err.Error(), "route: ")
				why = strings.TrimPrefix(why, method+" "+op.template+": ")
				notServed(p, method, o, why)
				if o.OperationID != "" {
					skipped[o.OperationID] = true
				}
				skipped[method+" "+p] = true
				continue
			}
			byID[op.id] = op
			e.ops = append(e.ops, op)
			op.names = e.router.ParamNames(handle)
			if security != nil {
				op.security = security.policy(o)
			}
			for _, msg := range e.prepare(op, item, o) {
				e.warnings = append(e.warnings, diag.Diagnostic{Code: diag.CodeInvalidDocument, Severity: diag.Warning,
					Pointer: jsonptr.Format("paths", p, strings.ToLower(method)), Message: fmt.Sprintf("%s %s: %s", method, p, msg)})
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
		if !ok && skipped[id] {
			continue // not served, and said so
		}
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
	e.genMu.Lock()
	e.warnUnending()
	e.genMu.Unlock()
	return e, nil
}

// generate is a value for a schema from the engine's generator: answers
// from the spec are made on first use, by any request, so the generator
// (not safe for concurrent use) is held for each value. A schema found to
// never end is logged once.
func (e *Engine) generate(ref *openapi3.SchemaRef) any {
	e.genMu.Lock()
	defer e.genMu.Unlock()
	v := e.gen.Value(ref, "")
	e.warnUnending()
	return v
}

// warnUnending logs the schemas the generator has cut as never ending
// that were not logged yet (genMu held).
func (e *Engine) warnUnending() {
	var cut []string
	for _, s := range e.gen.Unending() {
		if !e.unendingLogged[s] {
			if e.unendingLogged == nil {
				e.unendingLogged = map[string]bool{}
			}
			e.unendingLogged[s] = true
			cut = append(cut, s)
		}
	}
	if len(cut) > 0 {
		e.log.Warn(fmt.Sprintf("rest: schemas that can never end (a required reference back to themselves, never null or empty) are answered %d levels deep, then an empty object", schemagen.UnendingBound),
			"schemas", strings.Join(cut, ", "))
	}
}

// Warnings say which operations of the document are not served, or not
// as written, and why: one diagnostic each, with its JSON pointer (and its
// place when the document kept one).
func (e *Engine) Warnings() diag.List { return e.warnings }

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
	specAnswer := func() *canned { return op.specAnswer(e) }
	if e.api.REST != nil && e.api.REST.FromSpec {
		// the answer's media type, by Accept among those documented
		got, ok := op.negotiate(r)
		if !ok {
			e.problem(w, op, http.StatusNotAcceptable, fmt.Sprintf("Accept %q: the operation answers %s", strings.Join(r.Header.Values("Accept"), ", "), offered(op.offers())))
			return
		}
		if got.kind == 'x' {
			xw := &xmlWriter{w: w, op: op, mt: got.mt}
			defer xw.finish() // after the recovery below, which may write
			w = xw
		}
		if got.kind == 'c' {
			specAnswer = func() *canned { return op.specAnswerAs(e, got.mt) }
		}
	}
	written := false
	defer func() {
		if v := recover(); v != nil {
			e.log.Error("rest: recovered from a fault; answering from the spec", "operation", op.id,
				"path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if !written {
				func() {
					defer func() { _ = recover() }()
					writeCanned(w, specAnswer())
				}()
			}
		}
	}()
	ctx := r.Context()
	p := reqctx.Principal(ctx)
	b := op.binding
	// an operation whose security the request met without a credential
	// (open, optional) has no principal: its binding's permissions are
	// not asked
	if b != nil && len(b.Requires) > 0 && !e.api.Auth.None && !(e.api.Auth.FromSpec && p == nil) {
		var missing []string
		if p == nil {
			missing = b.Requires
		} else {
			missing = p.Missing(b.Requires...)
		}
		if len(missing) > 0 {
			written = true
			e.problem(w, op, op.denied, "missing permission "+strings.Join(missing, ", "))
			return
		}
	}
	if msgs, kind := e.validate(ctx, r, op, &m.res); len(msgs) > 0 {
		written = true
		e.problem(w, op, kind, strings.Join(msgs, "; "))
		return
	}
	if b == nil {
		written = true
		writeCanned(w, specAnswer())
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
				e.problem(w, op, op.denied, "")
				return
			}
			if !errors.Is(err, records.ErrNotFound) {
				e.log.Error("rest: store lookup failed", "operation", op.id, "err", err)
			}
			e.problem(w, op, http.StatusNotFound, "")
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
			e.problem(w, op, statusInvalid, msg)
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
		writeCanned(w, specAnswer())
	}
}

// problem writes an error in the API's shape; message "" keeps the
// manifest's message for the status, any other is appended to it.
//
// For an API whose manifest says rest.fromSpec the operation's document
// decides the status among the alternatives (statusInvalid: 422 or 400)
// and the body (errshape.go); otherwise statusInvalid is 400.
func (e *Engine) problem(w http.ResponseWriter, op *operation, status int, detail string) {
	fromSpec := op != nil && e.api.REST != nil && e.api.REST.FromSpec
	answered := fallbackStatus(status)
	if fromSpec {
		answered = statusFor(op.route.Operation, status)
	}
	msg := ""
	if detail != "" {
		msg = e.errs.Error(answered).Message
		if fromSpec && !slices.Contains(alternatives(status), answered) {
			// a status taken for its description (describedInvalid):
			// "Invalid input", not the status's own "Method not allowed"
			msg = responseDescription(op.route.Operation, answered)
		}
		if msg == "" {
			msg = detail
		} else {
			msg += ": " + detail
		}
	}
	if fromSpec {
		e.opProblem(w, op, render.Problem{Status: status, Message: msg})
		return
	}
	render.REST(w, e.errs, render.Problem{Status: answered, Message: msg})
}

// Problem answers an error the server makes for a matched operation (an
// authentication, a rate limit, a scenario, a body it refuses) as the
// engine answers its own: in the document's shape for an API whose
// manifest says rest.fromSpec, in the API's error templates otherwise.
func (e *Engine) Problem(w http.ResponseWriter, m Match, p render.Problem) {
	if m.op != nil && e.api.REST != nil && e.api.REST.FromSpec {
		e.opProblem(w, m.op, p)
		return
	}
	render.REST(w, e.api, p)
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
// violation and the kind of problem (fullValidate).
func (e *Engine) validate(ctx context.Context, r *http.Request, op *operation, res *route.Result) ([]string, int) {
	if op.fastAccept(r, res) {
		return nil, 0
	}
	return op.fullValidate(ctx, r, res)
}
