// Package gqlhttp serves a GraphQL schema over HTTP following the
// GraphQL-over-HTTP specification draft, on top of package exec.
//
// It knows nothing about the API it serves. A host builds a Handler from a
// schema and a Prepare function that turns each *http.Request into the
// Resolver and root value for that request (so authentication or scenario
// state in the request context reaches the resolvers):
//
//	h, err := gqlhttp.New(gqlhttp.Config{
//		Schema: schema, // from gqlparser.LoadSchema
//		Prepare: func(r *http.Request, p *gqlhttp.Params) (exec.Resolver, any, error) {
//			user, err := auth(r)
//			if err != nil {
//				return nil, nil, gqlhttp.StatusError(http.StatusUnauthorized, &exec.Error{Code: "UNAUTHENTICATED", Message: "login required"})
//			}
//			return myResolver{user: user}, nil, nil
//		},
//	})
//	mux.Handle("/graphql", h)
//
// Protocol summary: POST with Content-Type application/json and a body
// {"query","operationName","variables","extensions"}; GET with the same
// names as URL query parameters (variables and extensions JSON-encoded),
// for queries only (a mutation over GET gets 405 with Allow: POST). Other
// methods get 405 with Allow: GET, POST; other request media types 415;
// bodies over Config.MaxBodyBytes 413.
//
// The response media type is application/graphql-response+json when the
// Accept header prefers it (or is absent, as the specification asks since
// its 2025 watershed), application/json when the Accept header prefers
// application/json, application/* or */*, and 406 when it accepts neither.
// Status codes: a malformed request (body not JSON, no query, variables not
// an object) is 400 in both media types. With application/json every other
// GraphQL response is 200. With application/graphql-response+json, a
// response without data (parse, validation, operation selection, variable
// or limit errors) is 400 and a response with data (even null or partial)
// is 200. Config.Status may override the final status.
//
// Parsed and validated documents are kept in a bounded LRU cache keyed by
// the query text, so a repeated query is neither parsed nor validated again;
// documents that fail are not kept. Before validation, the parser stops at
// Limits.MaxTokens and exec.Precheck bounds the selections and the fields
// sharing a response path, so no document makes validation quadratic. A
// response lists at most exec.MaxErrors errors.
//
// A host that must know what a request asks for before serving it (a
// scenario chosen by root field) calls Handler.Read, asks the Request for
// its RootFields and passes it on with NewContext: the body is read and the
// document looked up once, and a request the handler refuses (415, 400, …)
// asks for no field.
package gqlhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/standin/standin/internal/graphql/exec"
)

// Media types.
const (
	MediaTypeJSON            = "application/json"
	MediaTypeGraphQLResponse = "application/graphql-response+json"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes      = 1 << 20
	DefaultMaxVariablesBytes = 256 << 10
	DefaultCacheSize         = 1000
)

// Params are the GraphQL request parameters.
type Params struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
}

// Config configures a Handler.
type Config struct {
	// Schema is the schema to serve (required), loaded by
	// gqlparser.LoadSchema.
	Schema *ast.Schema
	// Prepare returns the Resolver and root value for one request. It runs
	// after the document was validated and the operation selected. A nil
	// Prepare uses the default resolver and a nil root value. An error
	// aborts the request: its status is that of an error implementing
	// interface{ HTTPStatus() int } (see StatusError), else 500, and its
	// GraphQL error follows exec.ToGQLError (use *exec.Error to set a code).
	Prepare func(r *http.Request, p *Params) (exec.Resolver, any, error)
	// Limits are the executor limits; nil means exec.DefaultLimits().
	// MaxDocumentBytes is checked before parsing.
	Limits *exec.Limits
	// MaxBodyBytes bounds a POST body (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxVariablesBytes bounds the JSON text of variables (default
	// DefaultMaxVariablesBytes).
	MaxVariablesBytes int
	// CacheSize is the number of documents kept (default
	// DefaultCacheSize); negative disables the cache.
	CacheSize int
	// Timeout, when positive, bounds execution; fields not resolved in time
	// are null with a TIMEOUT error.
	Timeout time.Duration
	// ValidationRules are the validation rules; nil means gqlparser's
	// standard rules.
	ValidationRules *rules.Rules
	// Status, when set, may change the HTTP status of any response that
	// carries GraphQL errors (including request errors from Prepare). It
	// receives the status computed by the rules above.
	Status func(r *http.Request, resp *exec.Response, status int) int
	// OnPanic is passed to the executor (see exec.Options).
	OnPanic func(ctx context.Context, f exec.FieldContext, recovered any, stack []byte)
	// Repair, when set, is given the text of a document that failed to
	// parse or to validate. It returns a repaired document and one
	// sentence per repair, or nil. A repaired document that passes
	// validation (with ValidationRules) is executed, cached like any
	// other, and its repairs are reported in the response's
	// extensions.warnings; otherwise the original errors are answered. A
	// valid document is never given to Repair.
	Repair func(schema *ast.Schema, query string) (*ast.QueryDocument, []string)
}

// Handler is an http.Handler serving GraphQL. It is safe for concurrent use.
type Handler struct {
	cfg   Config
	lim   exec.Limits
	ex    *exec.Executor
	cache *docCache
	bufs  sync.Pool
}

// New builds a Handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Schema == nil || cfg.Schema.Query == nil {
		return nil, errors.New("gqlhttp: Config.Schema with a query type is required")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxVariablesBytes <= 0 {
		cfg.MaxVariablesBytes = DefaultMaxVariablesBytes
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	lim := exec.DefaultLimits()
	if cfg.Limits != nil {
		lim = *cfg.Limits
	}
	h := &Handler{cfg: cfg, lim: lim, ex: exec.New(cfg.Schema, exec.Options{Limits: lim, OnPanic: cfg.OnPanic})}
	if cfg.CacheSize > 0 {
		h.cache = newDocCache(cfg.CacheSize)
	}
	h.bufs.New = func() any { b := make([]byte, 0, 4096); return &b }
	return h, nil
}

// CacheStats returns the document cache's hit and miss counts and size.
func (h *Handler) CacheStats() (hits, misses uint64, size int) {
	if h.cache == nil {
		return 0, 0, 0
	}
	return h.cache.hits.Load(), h.cache.misses.Load(), h.cache.len()
}

// statusError carries an HTTP status with an error.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string   { return e.err.Error() }
func (e *statusError) Unwrap() error   { return e.err }
func (e *statusError) HTTPStatus() int { return e.status }

// StatusError wraps err so that, returned by Config.Prepare, the request
// fails with the given HTTP status.
func StatusError(status int, err error) error { return &statusError{status: status, err: err} }

func gqlErr(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// ServeHTTP implements http.Handler. A request whose context carries this
// handler's Read of it (NewContext) is not read or parsed again.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q, ok := r.Context().Value(requestKey{}).(*Request)
	if !ok || q.h != h {
		q = h.Read(w, r)
	}
	if q.fail != nil {
		if q.allow != "" {
			w.Header().Set("Allow", q.allow)
		}
		if q.plain {
			h.plainError(w, r, q.status, q.fail.Errors[0])
		} else {
			h.write(w, r, q.media, q.status, q.fail)
		}
		return
	}
	media, params, cd, requestError := q.media, q.params, q.cd, q.requestError
	var (
		resolver exec.Resolver
		root     any
	)
	if h.cfg.Prepare != nil {
		var err error
		resolver, root, err = h.cfg.Prepare(r, params)
		if err != nil {
			st := http.StatusInternalServerError
			var hs interface{ HTTPStatus() int }
			if errors.As(err, &hs) {
				st = hs.HTTPStatus()
			}
			h.write(w, r, media, st, exec.RequestError(exec.ToGQLError(err, nil, nil)))
			return
		}
	}
	ctx := r.Context()
	if h.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.cfg.Timeout)
		defer cancel()
	}
	dataBuf := h.bufs.Get().(*[]byte)
	resp := h.ex.Execute(ctx, exec.Request{
		Document:      cd.doc,
		OperationName: params.OperationName,
		Variables:     params.Variables,
		Root:          root,
		Resolver:      resolver,
		Plans:         cd.plans,
		Buffer:        *dataBuf,
	})
	if len(cd.warnings) > 0 {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["warnings"] = cd.warnings
	}
	status := http.StatusOK
	if !resp.HasData() {
		status = requestError
	}
	h.write(w, r, media, status, resp)
	if resp.Data != nil && cap(resp.Data) <= 1<<20 {
		*dataBuf = resp.Data[:0]
	}
	h.bufs.Put(dataBuf)
}

// document returns the parsed and validated document for query, from the
// cache when possible. Work is bounded before validation: the parser stops
// at Limits.MaxTokens and exec.Precheck refuses a document whose overlap
// validation could be quadratic, without trying to repair it. Only valid
// (or repaired) documents are cached, so failing documents cost no memory
// once answered.
func (h *Handler) document(query string) *cachedDoc {
	if cd, ok := h.cache.get(query); ok {
		return cd
	}
	cd := &cachedDoc{}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, h.lim.MaxTokens)
	if ge := (*gqlerror.Error)(nil); err != nil && h.lim.MaxTokens > 0 && errors.As(err, &ge) && strings.HasPrefix(ge.Message, "exceeded token limit") {
		cd.errs = gqlerror.List{gqlErr(exec.CodeTooComplex, fmt.Sprintf("Document has more than %d tokens, the maximum.", h.lim.MaxTokens))}
		return cd
	}
	var verrs gqlerror.List
	if err == nil {
		if perr := exec.Precheck(doc, h.lim); perr != nil {
			cd.errs = gqlerror.List{perr}
			return cd
		}
		verrs = validator.ValidateWithRules(h.cfg.Schema, doc, h.cfg.ValidationRules)
		if len(verrs) == 0 {
			verrs = exec.ValidateLiterals(doc)
		}
	}
	valid := err == nil && len(verrs) == 0
	fixed, warnings := h.repair(valid, query)
	switch {
	case valid:
		cd.doc, cd.plans = doc, exec.NewPlanCache(doc)
	case fixed != nil:
		cd.doc, cd.warnings, cd.plans = fixed, warnings, exec.NewPlanCache(fixed)
	case err != nil:
		var ge *gqlerror.Error
		if !errors.As(err, &ge) {
			ge = gqlerror.Wrap(err)
		}
		cd.errs = exec.WithCode(gqlerror.List{ge}, exec.CodeParseFailed)
		return cd
	default:
		cd.errs = exec.TruncateErrors(exec.WithCode(verrs, exec.CodeValidationFailed))
		cd.validation = true
		return cd
	}
	h.cache.put(query, cd)
	return cd
}

// repair returns the document of query fixed by Config.Repair, and the
// repairs made, when query failed as sent (not valid), there were repairs
// and the result passes the pre-validation limits and validates; else nil.
func (h *Handler) repair(valid bool, query string) (*ast.QueryDocument, []string) {
	if valid || h.cfg.Repair == nil {
		return nil, nil
	}
	doc, warnings := h.cfg.Repair(h.cfg.Schema, query)
	if doc == nil || len(warnings) == 0 {
		return nil, nil
	}
	if exec.Precheck(doc, h.lim) != nil {
		return nil, nil
	}
	if errs := validator.ValidateWithRules(h.cfg.Schema, doc, h.cfg.ValidationRules); len(errs) > 0 {
		return nil, nil
	}
	if errs := exec.ValidateLiterals(doc); len(errs) > 0 {
		return nil, nil
	}
	return doc, warnings
}

// readParams extracts the GraphQL parameters. On failure it returns the
// status (400, 413, 415) and the error.
func (h *Handler) readParams(w http.ResponseWriter, r *http.Request) (*Params, int, *gqlerror.Error) {
	var raw struct {
		Query         json.RawMessage `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		if v, ok := q["query"]; ok {
			raw.Query, _ = json.Marshal(v[0])
		}
		if v := q.Get("operationName"); v != "" {
			raw.OperationName, _ = json.Marshal(v)
		}
		if v := q.Get("variables"); v != "" {
			raw.Variables = json.RawMessage(v)
		}
		if v := q.Get("extensions"); v != "" {
			raw.Extensions = json.RawMessage(v)
		}
	} else {
		ct := r.Header.Get("Content-Type")
		if ct != MediaTypeJSON && ct != MediaTypeJSON+"; charset=utf-8" {
			mt, mp, err := mime.ParseMediaType(ct)
			if ct == "" || err != nil || mt != MediaTypeJSON {
				return nil, http.StatusUnsupportedMediaType, gqlErr(exec.CodeBadRequest, "POST requests must have Content-Type application/json.")
			}
			if cs, ok := mp["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
				return nil, http.StatusUnsupportedMediaType, gqlErr(exec.CodeBadRequest, "Only the utf-8 charset is supported.")
			}
		}
		bp := h.bufs.Get().(*[]byte)
		defer h.putBuf(bp)
		body, err := readBody(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes), (*bp)[:0])
		*bp = body[:0]
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, gqlErr(exec.CodeBadRequest, fmt.Sprintf("Request body exceeds %d bytes.", h.cfg.MaxBodyBytes))
			}
			return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, "Cannot read the request body.")
		}
		// Fast path: one typed decode. It cannot exceed the variables
		// limit when the whole body is within it; anything unusual (an
		// error, no query) takes the slow path below for its precise
		// message.
		if len(body) <= h.cfg.MaxVariablesBytes {
			var fp struct {
				Query         string         `json:"query"`
				OperationName string         `json:"operationName"`
				Variables     map[string]any `json:"variables"`
				Extensions    map[string]any `json:"extensions"`
			}
			if err := json.Unmarshal(body, &fp); err == nil && fp.Query != "" {
				return &Params{Query: fp.Query, OperationName: fp.OperationName, Variables: fp.Variables, Extensions: fp.Extensions}, 0, nil
			}
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, bodyError(body, err))
		}
	}
	p := &Params{}
	if len(raw.Query) == 0 || string(raw.Query) == "null" {
		return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, "The request has no query.")
	}
	if err := json.Unmarshal(raw.Query, &p.Query); err != nil {
		return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, "query must be a string.")
	}
	if len(raw.OperationName) > 0 && string(raw.OperationName) != "null" {
		if err := json.Unmarshal(raw.OperationName, &p.OperationName); err != nil {
			return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, "operationName must be a string.")
		}
	}
	if len(raw.Variables) > 0 && string(raw.Variables) != "null" {
		if len(raw.Variables) > h.cfg.MaxVariablesBytes {
			return nil, http.StatusRequestEntityTooLarge, gqlErr(exec.CodeBadRequest, fmt.Sprintf("variables exceed %d bytes.", h.cfg.MaxVariablesBytes))
		}
		if err := json.Unmarshal(raw.Variables, &p.Variables); err != nil || p.Variables == nil {
			return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, "variables must be a JSON object.")
		}
	}
	if len(raw.Extensions) > 0 && string(raw.Extensions) != "null" {
		if err := json.Unmarshal(raw.Extensions, &p.Extensions); err != nil || p.Extensions == nil {
			return nil, http.StatusBadRequest, gqlErr(exec.CodeBadRequest, "extensions must be a JSON object.")
		}
	}
	return p, 0, nil
}

// bodyError explains why a POST body is not a request object, in terms of
// JSON (never of the Go types it was decoded into).
func bodyError(body []byte, err error) string {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	var se *json.SyntaxError
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		return "Batched requests (a JSON array of request objects) are not supported: send one request object per HTTP request."
	case errors.As(err, &se):
		return fmt.Sprintf("The request body must be a JSON object: %s (at byte %d).", se.Error(), se.Offset)
	case len(trimmed) == 0:
		return "The request body must be a JSON object: the body is empty."
	case errors.Is(err, io.ErrUnexpectedEOF) || err.Error() == "unexpected end of JSON input":
		return "The request body must be a JSON object: unexpected end of JSON input."
	}
	return "The request body must be a JSON object."
}

// readBody reads r to its end, appending to buf.
func readBody(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (h *Handler) putBuf(bp *[]byte) {
	if cap(*bp) <= 1<<20 {
		h.bufs.Put(bp)
	}
}

// negotiate picks the response media type from the Accept header values.
func negotiate(values []string) (string, bool) {
	if len(values) == 0 {
		return MediaTypeGraphQLResponse, true
	}
	best, bestQ := "", -1.0
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					q = f
				}
			}
			if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
				continue
			}
			var cand string
			switch mt {
			case MediaTypeGraphQLResponse:
				cand = MediaTypeGraphQLResponse
			case MediaTypeJSON, "application/*", "*/*":
				cand = MediaTypeJSON
			default:
				continue
			}
			if q > 0 && q > bestQ {
				best, bestQ = cand, q
			}
		}
	}
	return best, best != ""
}

func (h *Handler) status(r *http.Request, resp *exec.Response, status int) int {
	if h.cfg.Status != nil && len(resp.Errors) > 0 {
		if s := h.cfg.Status(r, resp, status); s >= 100 && s <= 999 {
			return s
		}
	}
	return status
}

func (h *Handler) write(w http.ResponseWriter, r *http.Request, media string, status int, resp *exec.Response) {
	resp.Errors = exec.TruncateErrors(resp.Errors)
	status = h.status(r, resp, status)
	bp := h.bufs.Get().(*[]byte)
	b, err := resp.AppendJSON((*bp)[:0])
	if err != nil {
		b = append(b[:0], `{"errors":[{"message":"cannot encode the response","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`...)
		status = http.StatusInternalServerError
	}
	b = append(b, '\n')
	hdr := w.Header()
	hdr.Set("Content-Type", media+"; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	if cap(b) <= 1<<20 {
		*bp = b[:0]
		h.bufs.Put(bp)
	}
}

// plainError writes a protocol-level error (405, 406, 413, 415) as
// application/json.
func (h *Handler) plainError(w http.ResponseWriter, r *http.Request, status int, e *gqlerror.Error) {
	resp := exec.RequestError(e)
	status = h.status(r, resp, status)
	b, _ := resp.AppendJSON(nil)
	w.Header().Set("Content-Type", MediaTypeJSON+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
