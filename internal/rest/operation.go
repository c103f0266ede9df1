package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/standin/standin/internal/auth"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/rest/route"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/specs"
)

// operation is one compiled OpenAPI operation.
type operation struct {
	id, method, template string
	route                *routers.Route
	names                []string // path parameters in template order

	// pathChecks[i] checks the path parameter names[i]; queryChecks the
	// declared query parameters. When they accept a request, openapi3filter
	// is not run.
	pathChecks  []scalarCheck
	queryChecks []queryCheck
	// fullAlways forces openapi3filter (request body, header or cookie
	// parameters, parameters too complex for the fast checks).
	fullAlways bool
	// allFormats checks every string format of the request (uuid, email,
	// uri, date, date-time) for a read too: an API served from its
	// document (rest.fromSpec) holds a request to all its document says.
	// A bundled API's reads check dates only (docs/decisions.md).
	allFormats bool

	// fallback is the answer of an unbound operation, made from the spec
	// on its first use (answer): a document of a thousand operations
	// starts without making a thousand answers it may never give.
	fallback     canned
	fallbackOnce sync.Once
	// fallbackAs are its answers in other documented media types than
	// fallback's, made on first use.
	fallbackAs sync.Map // media type → *canned

	// security is the operation's security policy (auth.fromSpec APIs).
	security *auth.Policy
	// errors are its error answers in the document's shape, by status
	// (rest.fromSpec APIs), made on first use.
	errors opErrors
	// denied is the status of a request whose token lacks the permission
	// or the scope (deniedStatus).
	denied int

	binding    *manifest.Operation
	collection string // store name
	keyIdx     int
	env        envelope
	pager      *pager   // list paging; nil: the whole list
	filters    []filter // list filters by query parameter
	fields     []projection
	constants  []constant // answer fields with a fixed value (binding Constants)
	each       string     // a list's answer per record: this record path (binding Each)
	answer     []byte     // the fixed answer of every success (binding Answer)
	cache      recordCache
	// write is the compiled write binding (create, replace, patch, delete).
	write *writeSpec
	// streamAbove is the list length above which a list is streamed
	// (streamListAbove).
	streamAbove int
	// ok is the status a get or list answers (the documented 200, else
	// the lowest documented 2xx); noBody says the operation documents no
	// body for it (a check answering 204).
	ok     int
	noBody bool
	// parents are a nested collection's parent path parameters (binding
	// Parents), hidden the top-level record fields that hold them (not
	// answered).
	parents []parent
	hidden  []string
}

// parent is one parent path parameter and the record path of its value.
type parent struct {
	idx  int // in names
	path string
}

// scope is the request's parent values by record path (nil: none).
func (op *operation) scope(res *route.Result) map[string]any {
	if len(op.parents) == 0 {
		return nil
	}
	out := make(map[string]any, len(op.parents))
	for _, p := range op.parents {
		out[p.path] = res.Values[p.idx]
	}
	return out
}

// canned is a pre-encoded response.
type canned struct {
	status int
	ctype  string
	body   []byte
	clen   []string
}

// filterOptions validate the requests of a bundled API's reads: of the
// string formats only date and date-time, with the calendar checked
// (kin-openapi's own patterns, applied by default, accept 2023-02-30).
var filterOptions = &openapi3filter.Options{
	MultiError:          true,
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	SchemaValidationOptions: []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidators(specs.DateFormatValidators()),
	},
}

// writeFilterOptions validate the requests of write bindings, and every
// request of an API served from its document (operation.allFormats): also
// the string formats (email, uuid, date, ...), since the body becomes a
// record and the document says what each value is.
var writeFilterOptions = &openapi3filter.Options{
	MultiError:          true,
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	SchemaValidationOptions: []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidators(specs.FormatValidators()), openapi3.EnableFormatValidation(),
	},
}

// paramsOnly are filterOptions and writeFilterOptions without the request
// body, which the engine checks itself when openapi3filter cannot read it
// (an XML body, mediatypes.go).
var (
	filterOptionsParamsOnly      = withoutBody(filterOptions)
	writeFilterOptionsParamsOnly = withoutBody(writeFilterOptions)
)

func withoutBody(o *openapi3filter.Options) *openapi3filter.Options {
	cp := *o
	cp.ExcludeRequestBody = true
	return &cp
}

// prepare compiles validation and the spec-based answer of an operation.
// It returns what of the operation is not served as written (a path
// parameter the template does not have is ignored).
func (e *Engine) prepare(op *operation, item *openapi3.PathItem, o *openapi3.Operation) []string {
	var notes []string
	params := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{item.Parameters, o.Parameters} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			params[p.In+"\x00"+p.Name] = p
		}
	}
	op.allFormats = e.api.REST != nil && e.api.REST.FromSpec
	op.pathChecks = make([]scalarCheck, len(op.names))
	for i, name := range op.names {
		p, ok := params[openapi3.ParameterInPath+"\x00"+name]
		if !ok {
			// a template parameter without a declaration: accept any value
			op.pathChecks[i] = scalarCheck{name: name, fast: true}
			continue
		}
		c, ok := compileScalarCheck(p)
		if !ok {
			op.fullAlways = true
		}
		op.pathChecks[i] = c
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := params[k]
		switch p.In {
		case openapi3.ParameterInPath:
			if !slices.Contains(op.names, p.Name) {
				notes = append(notes, fmt.Sprintf("path parameter %q is not in the template; it is ignored", p.Name))
			}
		case openapi3.ParameterInQuery:
			c, ok := compileScalarCheck(p)
			if !ok || p.AllowEmptyValue {
				op.fullAlways = true
			}
			op.queryChecks = append(op.queryChecks, queryCheck{scalarCheck: c, required: p.Required})
		default:
			op.fullAlways = true
		}
	}
	if o.RequestBody != nil {
		op.fullAlways = true
		op.route = relaxedBodies(op.route)
	}
	if len(notes) > 0 {
		op.route = withoutStrayPathParams(op.route, op.names)
	}
	return notes
}

// specAnswer is the operation's answer from the spec (its example, else a
// value generated from its schema), made once.
func (op *operation) specAnswer(e *Engine) *canned {
	op.fallbackOnce.Do(func() { op.fallback = e.buildFallback(op, op.route.Operation, "") })
	return &op.fallback
}

// specAnswerAs is specAnswer in media type mt, when the operation documents it
// and it is not answer's own.
func (op *operation) specAnswerAs(e *Engine, mt string) *canned {
	c := op.specAnswer(e)
	if mt == "" || mt == c.ctype {
		return c
	}
	if v, ok := op.fallbackAs.Load(mt); ok {
		return v.(*canned)
	}
	built := e.buildFallback(op, op.route.Operation, mt)
	v, _ := op.fallbackAs.LoadOrStore(mt, &built)
	return v.(*canned)
}

// withoutStrayPathParams is a route whose path item and operation declare
// only the path parameters its template has: openapi3filter would refuse
// every request for a required parameter that no path can carry.
func withoutStrayPathParams(r *routers.Route, names []string) *routers.Route {
	keep := func(list openapi3.Parameters) openapi3.Parameters {
		out := make(openapi3.Parameters, 0, len(list))
		for _, ref := range list {
			if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInPath && !slices.Contains(names, ref.Value.Name) {
				continue
			}
			out = append(out, ref)
		}
		return out
	}
	cp := *r
	item, o := *r.PathItem, *r.Operation
	item.Parameters, o.Parameters = keep(item.Parameters), keep(o.Parameters)
	cp.PathItem, cp.Operation = &item, &o
	return &cp
}

// relaxedBodies is r with each request body schema that is not checked as
// written replaced by the one openapi.BodySchema gives: its relaxed copy
// (a closed object admits the properties its allOf parts declare; also
// for a schema that admits values when one of its parts is relaxed, an
// optional closed address no value matched), else, for an object, the
// schemas of the properties its parts declare (openapi.Loosened), else one
// that admits any value read as the media type (a body is still read, and
// malformed JSON refused, but not held to the schema). r itself when no
// schema is replaced; the document is never changed.
func relaxedBodies(r *routers.Route) *routers.Route {
	o := r.Operation
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return r
	}
	var content openapi3.Content
	for mt, v := range o.RequestBody.Value.Content {
		if v == nil || v.Schema == nil || v.Schema.Value == nil {
			continue
		}
		schema, check := contractapi.BodySchema(v.Schema)
		switch check {
		case contractapi.AsWritten:
			continue
		case contractapi.Unchecked:
			open := &openapi3.Schema{Nullable: true}
			if m := mediaType(mt); m == "application/x-www-form-urlencoded" || m == "multipart/form-data" {
				// kin-openapi's form decoders read an object schema only
				open = &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}}
			}
			schema = &openapi3.SchemaRef{Value: open}
		}
		if content == nil {
			content = maps.Clone(o.RequestBody.Value.Content)
		}
		cp := *v
		cp.Schema = schema
		content[mt] = &cp
	}
	if content == nil {
		return r
	}
	rb := *o.RequestBody.Value
	rb.Content = content
	oc := *o
	oc.RequestBody = &openapi3.RequestBodyRef{Value: &rb}
	cp := *r
	cp.Operation = &oc
	return &cp
}

// bind attaches a manifest binding to an operation.
func (e *Engine) bind(op *operation, b *manifest.Operation) error {
	op.binding = b
	op.collection = manifest.StoreName(e.api.Name, b.Collection)
	if _, err := e.st.Len(op.collection); err != nil {
		return fmt.Errorf("collection %q: %w (define the API's collections before building the engine)", b.Collection, err)
	}
	op.keyIdx = -1
	switch b.Action {
	case "get", actionReplace, actionPatch, actionDelete:
		if b.Key == nil {
			return fmt.Errorf("%s needs key.param and key.field", b.Action)
		}
		for i, n := range op.names {
			if n == b.Key.Param {
				op.keyIdx = i
			}
		}
		if op.keyIdx < 0 {
			return fmt.Errorf("key.param %q is not a path parameter of %s %s (it has %v)", b.Key.Param, op.method, op.template, op.names)
		}
		if keyIsUUID(op, b.Key.Field) {
			// The record layer stores and compares it as a UUID.
			e.src.SetUUIDFields(op.collection, []string{b.Key.Field})
		}
	case "list", actionCreate:
	default:
		return fmt.Errorf("action %q is not list, get, create, replace, patch or delete", b.Action)
	}
	if isWrite(b.Action) {
		if err := e.bindWrite(op, b); err != nil {
			return err
		}
	}
	env, err := compileEnvelope(b.Envelope)
	if err != nil {
		return err
	}
	op.env = env
	if b.Action == "list" {
		if err := compilePaging(op, b); err != nil {
			return err
		}
	} else {
		if b.Paging != nil || len(b.Filters) > 0 {
			return errors.New("paging and filters apply to list only")
		}
		if env.uses&^(1<<slotItem) != 0 {
			return fmt.Errorf("envelope: a %s answers \"{{item}}\" only", b.Action)
		}
	}
	names := make([]string, 0, len(b.Fields))
	for name := range b.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "" || b.Fields[name] == "" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
			return fmt.Errorf("fields: bad projection %q: %q", name, b.Fields[name])
		}
		op.fields = append(op.fields, projection{out: strings.Split(name, "."), path: b.Fields[name]})
	}
	cnames := make([]string, 0, len(b.Constants))
	for name := range b.Constants {
		cnames = append(cnames, name)
	}
	sort.Strings(cnames)
	for _, name := range cnames {
		if name == "" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
			return fmt.Errorf("constants: bad answer field %q", name)
		}
		op.constants = append(op.constants, constant{out: strings.Split(name, "."), value: b.Constants[name]})
	}
	op.each = b.Each
	pnames := make([]string, 0, len(b.Parents))
	for p := range b.Parents {
		pnames = append(pnames, p)
	}
	sort.Strings(pnames)
	for _, pn := range pnames {
		idx := slices.Index(op.names, pn)
		path := b.Parents[pn]
		if idx < 0 || path == "" {
			return fmt.Errorf("parents: %q is not a path parameter of %s %s, or names no record field", pn, op.method, op.template)
		}
		op.parents = append(op.parents, parent{idx: idx, path: path})
		head, _, _ := strings.Cut(path, ".")
		if !slices.Contains(op.hidden, head) {
			op.hidden = append(op.hidden, head)
		}
	}
	if b.Answer != nil {
		op.answer = appendJSON(nil, b.Answer)
	}
	op.ok = http.StatusOK
	if b.Action == "get" || b.Action == "list" {
		if st, resp := successStatus(op.route.Operation.Responses, http.StatusOK); st != 0 {
			op.ok = st
			op.noBody = st == http.StatusNoContent || resp == nil || len(resp.Content) == 0
		}
	}
	op.cache.m = map[uint64]*entry{}
	op.cache.limit = maxCachedRecords
	op.streamAbove = streamListAbove
	return nil
}

// projection copies the value at a record path to a response field; a
// dotted response name builds nested objects.
type projection struct {
	out  []string
	path string
}

// constant is an answer field with a fixed value.
type constant struct {
	out   []string
	value any
}

func (op *operation) project(it store.Item) any {
	if op.each != "" {
		return it.Lookup(op.each)
	}
	if len(op.fields) == 0 && len(op.constants) == 0 && !op.hides(it.Record()) {
		return it.Record()
	}
	return op.shape(it.Record(), it.Lookup)
}

// without is a record without the fields the operation does not answer
// (itself when it holds none).
func (op *operation) without(rec store.Record) store.Record {
	if !op.hides(rec) {
		return rec
	}
	out := make(store.Record, len(rec))
	for k, v := range rec {
		out[k] = v
	}
	for _, h := range op.hidden {
		delete(out, h)
	}
	return out
}

// hides reports whether a record holds fields the operation does not
// answer (a nested collection's parent values).
func (op *operation) hides(rec store.Record) bool {
	for _, h := range op.hidden {
		if _, ok := rec[h]; ok {
			return true
		}
	}
	return false
}

// shape is a record as the operation answers it: projected (Fields, else
// the record), then the constants set.
func (op *operation) shape(rec store.Record, lookup func(string) any) map[string]any {
	var out map[string]any
	if len(op.fields) == 0 {
		out = make(map[string]any, len(rec)+len(op.constants))
		for k, v := range rec {
			out[k] = v
		}
		for _, h := range op.hidden {
			delete(out, h)
		}
	} else {
		out = map[string]any{}
		for _, f := range op.fields {
			setAt(out, f.out, lookup(f.path))
		}
	}
	for _, c := range op.constants {
		setAt(out, c.out, c.value)
	}
	return out
}

// setAt sets a value at a path of nested objects, making them.
func setAt(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// entry is the cached encoding of one record for one operation.
type entry struct {
	rev  uint64   // the record's version (store.Item.Rev)
	item []byte   // the projected record
	body []byte   // the get response: item in the envelope
	clen []string // Content-Length of body
}

// maxCachedRecords bounds the encodings an operation keeps: a collection
// of that size is answered from the cache entirely.
const maxCachedRecords = 1 << 16

// recordCache maps a record's sequence number to its encoding. An entry is
// valid while the store holds the same version of the record (its Rev): the
// store replaces records on change, never mutates them.
type recordCache struct {
	mu    sync.RWMutex
	m     map[uint64]*entry
	limit int // most entries kept (maxCachedRecords)
}

// peek returns the valid cached entry of it's record, or nil.
func (c *recordCache) peek(it store.Item) *entry {
	c.mu.RLock()
	ent := c.m[it.Seq]
	c.mu.RUnlock()
	if ent != nil && ent.rev == it.Rev() && it.Rev() != 0 {
		return ent
	}
	return nil
}

// get returns the cached entry of it's record, encoding and caching it
// when there is no valid one.
func (c *recordCache) get(it store.Item, op *operation) *entry {
	if ent := c.peek(it); ent != nil {
		return ent
	}
	item := appendJSON(nil, op.project(it))
	body := item
	if len(op.env.parts) > 0 && op.binding.Action == "get" {
		body = op.env.wrap(nil, slotItem, func(b []byte, _ slot) []byte { return append(b, item...) })
	}
	ent := &entry{rev: it.Rev(), item: item, body: body, clen: []string{strconv.Itoa(len(body))}}
	c.mu.Lock()
	if len(c.m) >= c.limit {
		// Full: an arbitrary entry makes room, so memory stays bounded
		// with a million records while the records in use get cached.
		for seq := range c.m {
			delete(c.m, seq)
			break
		}
	}
	c.m[it.Seq] = ent
	c.mu.Unlock()
	return ent
}

// buildFallback makes the answer of an unbound operation from its spec: the
// lowest 2xx response (else 2XX, default, the lowest declared status), its
// JSON media type, and there the media type's example, else its first
// example by name the schema accepts, else the first example mended to
// fit the schema (examples.go), else a value generated from the schema.
func (e *Engine) buildFallback(op *operation, o *openapi3.Operation, want string) canned {
	status, resp := pickResponse(o.Responses)
	if resp == nil || len(resp.Content) == 0 {
		return canned{status: status}
	}
	ctype := ""
	if _, ok := resp.Content[want]; ok && want != "" {
		ctype = want // negotiated (mediatypes.go)
	} else if _, ok := resp.Content["application/json"]; ok {
		ctype = "application/json"
	} else {
		types := make([]string, 0, len(resp.Content))
		for t := range resp.Content {
			types = append(types, t)
		}
		sort.Strings(types)
		ctype = types[0]
		for _, t := range types {
			if strings.Contains(t, "json") {
				ctype = t
				break
			}
		}
	}
	mt := resp.Content[ctype]
	var value any
	have := false
	// the media type's example, else its first example by name that the
	// schema accepts (a JSON document written as a string read as one)
	var cands []any
	if mt.Example != nil {
		cands = append(cands, mt.Example)
	}
	names := make([]string, 0, len(mt.Examples))
	for n := range mt.Examples {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			cands = append(cands, ex.Value.Value)
		}
	}
	isJSON := strings.Contains(ctype, "json")
	for _, c := range cands {
		if v, ok := e.exampleFits(mt.Schema, c, isJSON); ok {
			value, have = v, true
			break
		}
	}
	if !have && len(cands) > 0 && isJSON {
		// no example fits: the first one's valid parts, the rest made
		value, have = e.mended(mt.Schema, jsonDocument(cands[0])), true
	}
	if !have {
		value = e.generate(mt.Schema)
	}
	if mt.Schema != nil && mt.Schema.Value != nil {
		if err := mt.Schema.Value.VisitJSON(value, append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, e.check...)...); err != nil {
			e.log.Warn("rest: the spec's answer for an unbound operation does not match its schema",
				"operation", op.id, "status", status, "err", err)
		}
	}
	var body []byte
	if s, ok := value.(string); ok && !strings.Contains(ctype, "json") {
		body = []byte(s)
	} else if x, err := xmlAnswer(ctype, value, mt.Schema); err == nil {
		body = x // an XML media type's value, written by its schema
	} else {
		body = appendJSON(nil, value)
	}
	if ctype == "*/*" || strings.HasSuffix(ctype, "/*") {
		ctype = "application/json"
	}
	return canned{status: status, ctype: ctype, body: body, clen: []string{strconv.Itoa(len(body))}}
}

// xmlAnswer is value written as XML by schema when ctype is an XML media
// type (an error otherwise).
func xmlAnswer(ctype string, value any, schema *openapi3.SchemaRef) ([]byte, error) {
	if !isXMLMedia(ctype) {
		return nil, errNotXML
	}
	return encodeXML(value, schema)
}

var errNotXML = errors.New("not an XML media type")

// exampleFits is an example as the answer gives it, when the schema (if
// any) accepts it: the example itself, or for a JSON answer a string that
// holds a JSON document the schema accepts.
func (e *Engine) exampleFits(schema *openapi3.SchemaRef, ex any, isJSON bool) (any, bool) {
	if schema == nil || schema.Value == nil {
		return ex, true
	}
	if e.accepts(schema.Value, jsonValue(ex)) {
		return ex, true
	}
	if s, isString := ex.(string); isString && isJSON {
		var v any
		if json.Unmarshal([]byte(s), &v) == nil && e.accepts(schema.Value, v) {
			return v, true
		}
	}
	return nil, false
}

// jsonDocument is an example of a JSON answer as a value: a string that
// holds a JSON object or array read as one, anything else as it is.
func jsonDocument(ex any) any {
	if s, ok := ex.(string); ok {
		var v any
		if json.Unmarshal([]byte(s), &v) == nil {
			if _, isObject := v.(map[string]any); isObject {
				return v
			}
			if _, isArray := v.([]any); isArray {
				return v
			}
		}
	}
	return ex
}

// jsonValue is a value decoded from YAML as JSON decodes it.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func pickResponse(rs *openapi3.Responses) (int, *openapi3.Response) {
	if rs == nil {
		return http.StatusNoContent, nil
	}
	best, bestStatus := (*openapi3.ResponseRef)(nil), 0
	lowest, lowestStatus := (*openapi3.ResponseRef)(nil), 0
	for code, ref := range rs.Map() {
		if ref == nil || ref.Value == nil {
			continue
		}
		n, err := strconv.Atoi(code)
		if err != nil || n < 100 || n > 599 {
			continue
		}
		if n >= 200 && n < 300 && (best == nil || n < bestStatus) {
			best, bestStatus = ref, n
		}
		if lowest == nil || n < lowestStatus {
			lowest, lowestStatus = ref, n
		}
	}
	if best != nil {
		return bestStatus, best.Value
	}
	for _, code := range []string{"2XX", "2xx", "default"} {
		if ref := rs.Value(code); ref != nil && ref.Value != nil {
			return http.StatusOK, ref.Value
		}
	}
	if lowest != nil {
		return lowestStatus, lowest.Value
	}
	return http.StatusNoContent, nil
}

// key returns the key path parameter of a matched request. (A UUID is
// found whatever its case by the record layer, records.Key.)
func (op *operation) key(res *route.Result) string { return res.Values[op.keyIdx] }

// keyIsUUID reports whether an operation's key is a UUID: its path
// parameter has format uuid, or the field it names has format uuid in the
// operation's 200 (or 201) answer, the record (specs may leave the format
// off the parameter so that a malformed id is 404, not 400).
func keyIsUUID(op *operation, field string) bool {
	if c := op.pathChecks[op.keyIdx]; c.s != nil && c.s.Format == "uuid" {
		return true
	}
	if op.route == nil || op.route.Operation == nil || op.route.Operation.Responses == nil {
		return false
	}
	for _, code := range []string{"200", "201"} {
		ref := op.route.Operation.Responses.Value(code)
		if ref == nil || ref.Value == nil {
			continue
		}
		mt := ref.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			continue
		}
		s := mt.Schema.Value
		for _, part := range strings.Split(field, ".") {
			if s == nil || s.Properties[part] == nil {
				s = nil
				break
			}
			s = s.Properties[part].Value
		}
		if s != nil {
			return s.Format == "uuid"
		}
	}
	return false
}

// deniedStatus is the status the operation's contract gives a valid
// token without the permission or the scope it needs: 403, unless the
// operation documents 401 and no 403 (a contract, like clients-v0's page,
// that answers a missing permission with 401).
func deniedStatus(o *openapi3.Operation) int {
	if o.Responses != nil && o.Responses.Status(http.StatusForbidden) == nil && o.Responses.Status(http.StatusUnauthorized) != nil {
		return http.StatusUnauthorized
	}
	return http.StatusForbidden
}
