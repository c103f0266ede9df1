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
	jsonSc bool // schema checks use JSON Schema 2020-12 (OpenAPI 3.1)
	now    func() time.Time
	// blockers refuse a delete (records.Blocker, compiled from the binding)
	blockers []records.Blocker
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

// bindWrite compiles a create, replace, patch or delete binding.
func (e *Engine) bindWrite(op *operation, b *manifest.Operation) error {
	col, ok := e.api.Collection(b.Collection)
	if !ok {
		return fmt.Errorf("unknown collection %q", b.Collection)
	}
	ws := &writeSpec{now: time.Now}
	status, resp := pickResponse(op.route.Operation.Responses)
	if status < 200 || status > 299 {
		status, resp = defaultWriteStatus(b.Action), nil
	}
	ws.status = status
	ws.withBody = status != http.StatusNoContent && resp != nil && len(resp.Content) > 0
	if b.Key != nil && b.Key.Field != "" {
		ws.keyField = b.Key.Field
	} else {
		ws.keyField = col.Unique[0]
	}
	if col.Schema != "" && e.doc.Components != nil {
		ref := e.doc.Components.Schemas[col.Schema]
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("collection %q: schema %q is not a component schema of the spec", col.Name, col.Schema)
		}
		ws.schema = ref.Value
		ws.jsonSc = e.doc.IsOpenAPI31OrLater()
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
	if b.Action != actionDelete {
		var msg string
		body, msg = readObject(r)
		if msg != "" {
			e.problem(w, http.StatusBadRequest, msg)
			return
		}
	}
	var result store.Record
	var err error
	if b.Action == actionCreate {
		result, err = v.Create(op.collection, records.Create{Body: body, Assign: b.Assign, Now: ws.now, Check: ws.check,
			KeyField: ws.keyField, Scoped: b.Scoped})
	} else {
		key, alt := op.key(&m.res)
		k := records.Key{Field: b.Key.Field, Value: key, Scoped: b.Scoped}
		if alt != "" {
			k.Alt = alt
		}
		if b.Action == actionDelete {
			result, err = v.Delete(op.collection, k, ws.blockers)
		} else {
			result, err = v.Replace(op.collection, k, records.Change{Body: body, Patch: b.Action == actionPatch, Check: ws.check,
				KeyName: "the path's " + b.Key.Param})
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
		status := http.StatusBadRequest
		switch {
		case errors.Is(re.Err, records.ErrConflict):
			status = http.StatusConflict
		case errors.Is(re.Err, records.ErrOutOfScope):
			status = op.denied
		}
		e.problem(w, status, re.Reason)
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
		e.problem(w, http.StatusConflict, fmt.Sprintf("%s %q cannot be deleted: %s", singular(op.binding.Collection), key, strings.Join(parts, "; ")))
	case errors.Is(err, records.ErrNotFound):
		e.problem(w, http.StatusNotFound, "")
	case errors.Is(err, records.ErrOutOfScope):
		e.problem(w, op.denied, "")
	case errors.Is(err, store.ErrUnavailable):
		w.Header().Set("Retry-After", "1")
		e.problem(w, http.StatusServiceUnavailable, "the shared state is unavailable; nothing was written, retry later")
	case errors.As(err, &ue):
		render.UnknownOutcomeHeaders(w.Header(), ue.WriteID)
		e.problem(w, http.StatusServiceUnavailable, render.UnknownOutcomeMessage(ue.WriteID))
	default:
		e.log.Error("rest: write failed", "operation", op.id, "err", err)
		e.problem(w, http.StatusBadRequest, err.Error())
	}
}

// encodeRecord is a record as a get of the same binding answers it:
// projected and enveloped.
func (e *Engine) encodeRecord(op *operation, rec store.Record) []byte {
	var v any = rec
	if len(op.fields) > 0 {
		out := map[string]any{}
		for _, f := range op.fields {
			m := out
			for _, k := range f.out[:len(f.out)-1] {
				next, ok := m[k].(map[string]any)
				if !ok {
					next = map[string]any{}
					m[k] = next
				}
				m = next
			}
			m[f.out[len(f.out)-1]] = store.Lookup(rec, f.path)
		}
		v = out
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
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	if ws.jsonSc {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	err := ws.schema.VisitJSON(map[string]any(rec), opts...)
	if err == nil {
		return nil
	}
	return prefixed("record", reasons(err, nil))
}

// singular names one record of a collection, as GraphQL bindings'
// messages do ("pet", "company").
func singular(col string) string {
	switch {
	case strings.HasSuffix(col, "ies") && len(col) > 3:
		return col[:len(col)-3] + "y"
	case strings.HasSuffix(col, "sses"), strings.HasSuffix(col, "xes"), strings.HasSuffix(col, "ches"), strings.HasSuffix(col, "shes"):
		return col[:len(col)-2]
	case strings.HasSuffix(col, "s") && !strings.HasSuffix(col, "ss"):
		return col[:len(col)-1]
	}
	return col
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
