package rest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
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
		if _, err := e.st.Len(manifest.StoreName(e.api.Name, bl.Collection)); err != nil {
			return fmt.Errorf("blocker collection %q: %w", bl.Collection, err)
		}
	}
	op.write = ws
	return nil
}

// writeError is a refusal inside a write transaction: it rolls the
// transaction back and becomes the answer.
type writeError struct {
	status int
	msg    string
}

func (e *writeError) Error() string { return e.msg }

func refuse(status int, format string, args ...any) error {
	return &writeError{status: status, msg: fmt.Sprintf(format, args...)}
}

// serveWrite answers a bound write. The request has passed the spec's
// validation (parameters and body).
func (e *Engine) serveWrite(w http.ResponseWriter, r *http.Request, op *operation, m *Match, v records.View) {
	b, ws := op.binding, op.write
	p := v.Principal()
	empty, scoped := v.Empty(), b.Scoped && p != nil && p.Scoped(e.api.Name)
	var body map[string]any
	if b.Action != actionDelete {
		var msg string
		body, msg = readObject(r)
		if msg != "" {
			e.problem(w, http.StatusBadRequest, msg)
			return
		}
	}
	var key string
	if op.keyIdx >= 0 && op.keyIdx < m.res.N {
		key = m.res.Values[op.keyIdx]
	}
	var result store.Record
	err := e.st.Update(func(tx *store.Tx) error {
		if b.Action == actionCreate {
			rec, err := e.newRecord(tx, op, body)
			if err != nil {
				return err
			}
			if scoped {
				if it, ok, _ := tx.Get(op.collection, ws.keyField, store.Lookup(rec, ws.keyField)); ok && !p.Allows(e.api.Name, it) {
					return refuse(http.StatusForbidden, "the record would be outside the token's scope")
				}
			}
			result = rec
			return nil
		}
		it, found, err := tx.Get(op.collection, b.Key.Field, key)
		if _, alt := op.key(&m.res); err == nil && !found && alt != "" {
			// An upper-case UUID names the stored lower-case one.
			if it, found, err = tx.Get(op.collection, b.Key.Field, alt); found {
				key = alt
			}
		}
		if err != nil {
			return err
		}
		if !found || empty {
			return refuse(http.StatusNotFound, "")
		}
		if scoped && !p.Allows(e.api.Name, it) {
			return refuse(http.StatusForbidden, "")
		}
		old := it.Record()
		switch b.Action {
		case actionDelete:
			if err := e.blocked(tx, b, it, key); err != nil {
				return err
			}
			if _, err := tx.Delete(op.collection, b.Key.Field, key); err != nil {
				return err
			}
			result = old
			return nil
		case actionPatch:
			next, ok := mergePatch(old, body).(map[string]any)
			if !ok {
				return refuse(http.StatusBadRequest, "request body: a merge patch must be a JSON object")
			}
			body = next
		}
		if v, ok := body[b.Key.Field]; ok && !sameKey(v, it.Lookup(b.Key.Field)) {
			return refuse(http.StatusBadRequest, "request body at /%s: must equal the path's %s %q (a record's key does not change)", pointerToken(b.Key.Field), b.Key.Param, key)
		}
		next := maps.Clone(body)
		next[b.Key.Field] = it.Lookup(b.Key.Field)
		if msgs := ws.check(next); len(msgs) > 0 {
			return refuse(http.StatusBadRequest, "%s", strings.Join(msgs, "; "))
		}
		if err := tx.Replace(op.collection, it.Seq, next); err != nil {
			return storeRefusal(err)
		}
		if scoped {
			if nit, ok, _ := tx.Get(op.collection, b.Key.Field, key); ok && !p.Allows(e.api.Name, nit) {
				return refuse(http.StatusForbidden, "the record would leave the token's scope")
			}
		}
		result = next
		return nil
	})
	if err != nil {
		var we *writeError
		if errors.As(err, &we) {
			e.problem(w, we.status, we.msg)
			return
		}
		if errors.Is(err, store.ErrUnavailable) {
			// the shared state is unreachable: nothing was written
			w.Header().Set("Retry-After", "1")
			e.problem(w, http.StatusServiceUnavailable, "the shared state is unavailable; nothing was written, retry later")
			return
		}
		e.log.Error("rest: write failed", "operation", op.id, "err", err)
		e.problem(w, http.StatusBadRequest, err.Error())
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

// newRecord builds and inserts the record of a create.
func (e *Engine) newRecord(tx *store.Tx, op *operation, body map[string]any) (store.Record, error) {
	b, ws := op.binding, op.write
	rec := maps.Clone(body)
	for _, field := range sortedKeys(b.Assign) {
		if _, given := rec[field]; given {
			continue
		}
		v, err := assignValue(tx, op.collection, field, b.Assign[field], ws.now)
		if err != nil {
			return nil, err
		}
		rec[field] = v
	}
	if msgs := ws.check(rec); len(msgs) > 0 {
		return nil, refuse(http.StatusBadRequest, "%s", strings.Join(msgs, "; "))
	}
	if _, err := tx.Insert(op.collection, rec); err != nil {
		return nil, storeRefusal(err)
	}
	return rec, nil
}

// storeRefusal turns a store error on a write into the client's fault it
// is: a taken unique value (409) or a record without its key (400).
func storeRefusal(err error) error {
	switch {
	case errors.Is(err, store.ErrDuplicate):
		return refuse(http.StatusConflict, "%s", trimStore(err))
	case errors.Is(err, store.ErrMissingKey):
		return refuse(http.StatusBadRequest, "%s", trimStore(err))
	}
	return err
}

func trimStore(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "store:") {
		return rest
	}
	return msg
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

// assignValue computes one Assign expression.
func assignValue(tx *store.Tx, col, field string, expr any, now func() time.Time) (any, error) {
	s, ok := expr.(string)
	if !ok {
		return expr, nil
	}
	switch s {
	case "{{uuid}}":
		return newUUID(), nil
	case "{{now}}":
		return now().UTC().Format(time.RFC3339), nil
	case "{{seq}}":
		highest := 0.0
		err := tx.Scan(col, func(it store.Item) bool {
			if f, ok := number(it.Lookup(field)); ok && f > highest {
				highest = f
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		return highest + 1, nil
	}
	return s, nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, x == math.Trunc(x)
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return float64(n), err == nil
	}
	return 0, false
}

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// blocked refuses deleting it while a blocker matches it, with the
// semantics of GraphQL delete bindings: records of the blocker's
// collection whose Field equals the target's key field and that satisfy
// Where. The message names every blocking record (by its collection's
// first unique field); the status is 409.
func (e *Engine) blocked(tx *store.Tx, b *manifest.Operation, it store.Item, key string) error {
	var parts []string
	for _, bl := range b.Blockers {
		col := manifest.StoreName(e.api.Name, bl.Collection)
		items, err := tx.Find(col, bl.Field, it.Lookup(b.Key.Field))
		if err != nil {
			return err
		}
		idField := "id"
		if c, ok := e.api.Collection(bl.Collection); ok {
			idField = c.Unique[0]
		}
		var ids []string
		for _, x := range items {
			if matchesWhere(x, bl.Where) {
				ids = append(ids, fmt.Sprint(x.Lookup(idField)))
			}
		}
		if len(ids) == 0 {
			continue
		}
		msg := bl.Message
		if msg == "" {
			msg = fmt.Sprintf("%d blocking %s", len(ids), bl.Collection)
		}
		if bl.Code != "" {
			msg = bl.Code + ": " + msg
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", msg, strings.Join(ids, ", ")))
	}
	if len(parts) == 0 {
		return nil
	}
	return refuse(http.StatusConflict, "%s %q cannot be deleted: %s", singular(b.Collection), key, strings.Join(parts, "; "))
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

func matchesWhere(it store.Item, where map[string][]any) bool {
	for field, vals := range where {
		v := it.Lookup(field)
		hit := false
		for _, w := range vals {
			if sameKey(v, w) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// sameKey compares two scalars as the store's indexes do ("1" equals 1).
func sameKey(a, b any) bool {
	ka, ok1 := store.KeyOf(a)
	kb, ok2 := store.KeyOf(b)
	return ok1 && ok2 && ka == kb
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

// mergePatch applies a JSON merge patch (RFC 7396) to target without
// changing it.
func mergePatch(target any, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	out := map[string]any{}
	if ok {
		for k, v := range tm {
			out[k] = v
		}
	}
	for k, v := range pm {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = mergePatch(out[k], v)
	}
	return out
}

func pointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
