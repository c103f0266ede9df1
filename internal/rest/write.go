package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/render"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// The write actions of a REST binding.
const (
	actionCreate  = "create"
	actionReplace = "replace"
	actionPatch   = "patch"
	actionDelete  = "delete"
)

func isWrite(action string) bool {
	switch action {
	case actionCreate, actionReplace, actionPatch, actionDelete:
		return true
	}
	return false
}

// writeSpec is the compiled part of a write binding.
type writeSpec struct {
	status   int  // the success status the spec documents
	withBody bool // whether the spec documents a body for it
	keyField string
	// schema is the collection's record schema (manifest Collection.Schema);
	// nil skips the check of the record after the change.
	schema *openapi3.Schema
	// opts are the options of the schema check, made once (the format
	// validators compile regular expressions).
	opts []openapi3.SchemaValidationOption
	now  func() time.Time
	// blockers refuse a delete (records.Blocker, compiled from the binding)
	blockers []records.Blocker
	// fill completes the record (manifest Operation.Fill; nil: off)
	fill *filler
}

// defaultWriteStatus is a write's status when the spec documents no 2xx.
func defaultWriteStatus(action string) int {
	switch action {
	case actionCreate:
		return http.StatusCreated
	case actionDelete:
		return http.StatusNoContent
	}
	return http.StatusOK
}

// successStatus is the success status a binding answers, one the
// operation documents: the first of prefer it documents (a create's 201,
// a delete's 204, a read's 200), else its lowest 2xx, else prefer[0] when
// it documents a 2XX range or a default; 0 when it documents no success.
// The response is nil when the status's description has no content.
func successStatus(rs *openapi3.Responses, prefer ...int) (int, *openapi3.Response) {
	if rs == nil {
		return 0, nil
	}
	for _, st := range prefer {
		if ref := rs.Status(st); ref != nil && ref.Value != nil {
			return st, ref.Value
		}
	}
	lowest := 0
	var resp *openapi3.Response
	for code, ref := range rs.Map() {
		n, err := strconv.Atoi(code)
		if err != nil || n < 200 || n > 299 || ref == nil || ref.Value == nil {
			continue
		}
		if lowest == 0 || n < lowest {
			lowest, resp = n, ref.Value
		}
	}
	if lowest != 0 {
		return lowest, resp
	}
	for _, code := range []string{"2XX", "2xx", "default"} {
		if ref := rs.Value(code); ref != nil && ref.Value != nil {
			return prefer[0], ref.Value
		}
	}
	return 0, nil
}

// preferred are the statuses an action answers first when documented.
func preferred(action string) []int {
	switch action {
	case actionCreate:
		return []int{http.StatusCreated, http.StatusOK}
	case actionDelete:
		return []int{http.StatusNoContent, http.StatusOK}
	}
	return []int{http.StatusOK}
}

// bindWrite compiles a create, replace, patch or delete binding.
func (e *Engine) bindWrite(op *operation, b *manifest.Operation) error {
	col, ok := e.api.Collection(b.Collection)
	if !ok {
		return fmt.Errorf("unknown collection %q", b.Collection)
	}
	ws := &writeSpec{now: time.Now}
	status, resp := successStatus(op.route.Operation.Responses, preferred(b.Action)...)
	if status == 0 {
		status, resp = defaultWriteStatus(b.Action), nil
	}
	ws.status = status
	ws.withBody = status != http.StatusNoContent && resp != nil && len(resp.Content) > 0
	if b.Key != nil && b.Key.Field != "" {
		ws.keyField = b.Key.Field
	} else {
		ws.keyField = col.Unique[0]
	}
	if col.Schema != "" {
		ref := openapi.RecordSchemaAt(e.doc, col.Schema)
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("collection %q: schema %q is not a component schema of the spec, nor a pointer to a schema", col.Name, col.Schema)
		}
		ws.schema = ref.Value
		ws.opts = append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
		if e.doc.IsOpenAPI31OrLater() {
			// OpenAPI 3.1: JSON Schema 2020-12.
			ws.opts = append(ws.opts, openapi3.EnableJSONSchema2020())
		}
	}
	if b.Fill {
		ws.fill = newFiller(e.api, col, ws.schema, ws.keyField, e.seed, ws.opts)
	}
	for _, bl := range b.Blockers {
		name := manifest.StoreName(e.api.Name, bl.Collection)
		if _, err := e.st.Len(name); err != nil {
			return fmt.Errorf("blocker collection %q: %w", bl.Collection, err)
		}
		idField := "id"
		if c, ok := e.api.Collection(bl.Collection); ok && len(c.Unique) > 0 {
			idField = c.Unique[0]
		}
		ws.blockers = append(ws.blockers, records.Blocker{Collection: name, Name: bl.Collection, Field: bl.Field,
			Where: bl.Where, Code: bl.Code, Message: bl.Message, IDField: idField})
	}
	op.write = ws
	return nil
}

// serveWrite answers a bound write: the body read, the record layer's
// guarded write (one store transaction), its refusals as statuses. The
// request has passed the spec's validation (parameters and body).
func (e *Engine) serveWrite(w http.ResponseWriter, r *http.Request, op *operation, m *Match, v records.View) {
	b, ws := op.binding, op.write
	var body map[string]any
	if b.Action == actionCreate && op.route.Operation.RequestBody == nil {
		body = map[string]any{} // the spec documents no body: the record is all assigned or filled
	} else if b.Action != actionDelete {
		var msg string
		body, msg = op.readBody(r, e.api.REST != nil && e.api.REST.FromSpec)
		if msg != "" {
			e.problem(w, op, http.StatusBadRequest, msg)
			return
		}
		if b.Action == actionReplace {
			fillDefaults(body, op.route.Operation)
		}
	}
	var result store.Record
	var err error
	scope := op.scope(&m.res)
	check := ws.check
	if len(op.hidden) > 0 {
		// the parent values are the mock's, not the schema's
		check = func(rec store.Record) []string { return ws.check(op.without(rec)) }
	}
	if b.Action == actionCreate {
		c := records.Create{Body: body, Assign: b.Assign, Now: ws.now, Check: check, KeyField: ws.keyField, Scoped: b.Scoped}
		if ws.fill != nil {
			c.Fill = ws.fill.create
		}
		if scope != nil {
			fill := c.Fill
			c.Fill = func(rec store.Record, taken func(string, any) bool) store.Record {
				if fill != nil {
					rec = fill(rec, taken)
				}
				for path, val := range scope {
					setAt(rec, strings.Split(path, "."), val)
				}
				return rec
			}
		}
		result, err = v.Create(op.collection, c)
	} else {
		k := records.Key{Field: b.Key.Field, Value: op.key(&m.res), Scoped: b.Scoped}
		if scope != nil {
			// a record made under other parents is not this path's
			if it, gerr := v.Get(op.collection, k); gerr == nil && !records.InScope(it, scope) {
				e.absent(w, op)
				return
			}
		}
		if b.Action == actionDelete {
			result, err = v.Delete(op.collection, k, ws.blockers)
		} else {
			c := records.Change{Body: body, Patch: b.Action == actionPatch, Check: check, KeyName: "the path's " + b.Key.Param}
			if ws.fill != nil {
				c.Fill = ws.fill.change
			}
			if len(op.hidden) > 0 {
				fill := c.Fill
				c.Fill = func(stored, next store.Record) store.Record {
					if fill != nil {
						next = fill(stored, next)
					}
					for _, h := range op.hidden {
						if v, ok := stored[h]; ok {
							next[h] = v
						}
					}
					return next
				}
			}
			result, err = v.Replace(op.collection, k, c)
		}
	}
	if err != nil {
		e.writeRefused(w, op, err)
		return
	}
	if b.Action == actionCreate {
		if kv, ok := store.KeyOf(store.Lookup(result, ws.keyField)); ok {
			w.Header().Set("Location", strings.TrimSuffix(r.URL.EscapedPath(), "/")+"/"+url.PathEscape(kv))
		}
	}
	if !ws.withBody {
		w.WriteHeader(ws.status)
		return
	}
	out := e.encodeRecord(op, result)
	writeBody(w, ws.status, out, []string{strconv.Itoa(len(out))})
}

// absent answers a write to a record that is not there: 404, except a
// delete of an API whose document says how to answer it (rest.fromSpec)
// whose operation documents no way to say so (no 404, 410, 4XX or
// default) and a success without a body. That delete is answered as
// done: DELETE is idempotent (RFC 9110, 9.2.2), the state it asks for
// holds, and nothing is made up; an undocumented 404 would be the only
// other answer.
func (e *Engine) absent(w http.ResponseWriter, op *operation) {
	o := op.route.Operation
	if op.binding.Action == actionDelete && e.api.REST != nil && e.api.REST.FromSpec && !op.write.withBody &&
		!documented(o, http.StatusNotFound) && !documented(o, http.StatusGone) && (o == nil || o.Responses == nil || o.Responses.Default() == nil) {
		w.WriteHeader(op.write.status)
		return
	}
	e.problem(w, op, http.StatusNotFound, "")
}

// writeRefused answers a write the record layer refused, in the API's
// shape: 404 (no such record in the view), 403 (outside the token's
// scope), 400 (an invalid record), 409 (a taken unique value, or blockers:
// each named with its code, message and blocking records), 503 (the
// shared state is unreachable: nothing was written; or, with the write id
// in X-Standin-Write-Id, the write's outcome is unknown).
func (e *Engine) writeRefused(w http.ResponseWriter, op *operation, err error) {
	var re *records.RefusedError
	var be *records.BlockedError
	var ue *store.UnknownOutcomeError
	switch {
	case errors.As(err, &re):
		status := statusInvalid
		switch {
		case errors.Is(re.Err, records.ErrConflict):
			status = http.StatusConflict
		case errors.Is(re.Err, records.ErrOutOfScope):
			status = op.denied
		}
		e.problem(w, op, status, re.Reason)
	case errors.As(err, &be):
		parts := make([]string, len(be.Blocks))
		for i, bl := range be.Blocks {
			msg := bl.Message
			if bl.Code != "" {
				msg = bl.Code + ": " + msg
			}
			parts[i] = fmt.Sprintf("%s (%s)", msg, records.JoinIDs(bl.IDs))
		}
		key, _ := store.KeyOf(be.Key)
		e.problem(w, op, http.StatusConflict, fmt.Sprintf("%s %q cannot be deleted: %s", conventions.Singular(op.binding.Collection), key, strings.Join(parts, "; ")))
	case errors.Is(err, records.ErrNotFound):
		e.absent(w, op)
	case errors.Is(err, records.ErrOutOfScope):
		e.problem(w, op, op.denied, "")
	case errors.Is(err, store.ErrUnavailable):
		w.Header().Set("Retry-After", "1")
		e.problem(w, op, http.StatusServiceUnavailable, "the shared state is unavailable; nothing was written, retry later")
	case errors.As(err, &ue):
		render.UnknownOutcomeHeaders(w.Header(), ue.WriteID)
		e.problem(w, op, http.StatusServiceUnavailable, render.UnknownOutcomeMessage(ue.WriteID))
	default:
		e.log.Error("rest: write failed", "operation", op.id, "err", err)
		e.problem(w, op, http.StatusBadRequest, err.Error())
	}
}

// encodeRecord is a record as a get of the same binding answers it:
// projected and enveloped.
func (e *Engine) encodeRecord(op *operation, rec store.Record) []byte {
	if op.answer != nil {
		return op.answer
	}
	var v any = rec
	if len(op.fields) > 0 || len(op.constants) > 0 || op.hides(rec) {
		v = op.shape(rec, func(p string) any { return store.Lookup(rec, p) })
	}
	item := appendJSON(nil, v)
	if len(op.env.parts) == 0 {
		return item
	}
	return op.env.wrap(nil, slotItem, func(b []byte, _ slot) []byte { return append(b, item...) })
}

// check validates a record against the collection's schema; one message
// per violation, each with its JSON pointer.
func (ws *writeSpec) check(rec store.Record) []string {
	if ws.schema == nil {
		return nil
	}
	err := ws.schema.VisitJSON(map[string]any(rec), ws.opts...)
	if err == nil {
		return nil
	}
	vs := openapi.Flatten(err, openapi.FlattenOptions{})
	out := make([]string, len(vs))
	for i, v := range vs {
		v.In = "record"
		out[i] = v.Line()
	}
	return out
}

// fillDefaults gives a replacing body the defaults its request schema
// declares for the fields it leaves out (what the spec says the server
// assumes, as a create's assign does): a replace without a defaulted
// field is the record with its default, not an invalid one.
func fillDefaults(body map[string]any, o *openapi3.Operation) {
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return
	}
	mt := o.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return
	}
	for name, p := range mt.Schema.Value.Properties {
		if _, set := body[name]; !set && p != nil && p.Value != nil && p.Value.Default != nil {
			body[name] = p.Value.Default
		}
	}
}

// readObject reads the request body as one JSON object.
func readObject(r *http.Request) (map[string]any, string) {
	if r.Body == nil {
		return nil, "request body: a JSON object is required"
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Sprintf("request body: larger than %d bytes", mbe.Limit)
		}
		return nil, "request body: " + err.Error()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "request body: a JSON object is required"
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, "request body: not JSON: " + err.Error()
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, "request body: must be a JSON object"
	}
	return obj, ""
}
