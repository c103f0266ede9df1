package rest

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/jsonw"
	"github.com/standin/standin/internal/render"
)

// Errors in the document's own shape, per operation and status, for APIs
// whose manifest says rest.fromSpec (every --spec API).
//
// Which status: an error the mock makes has a preferred status and, in
// order, the documented alternatives that mean the same to a client; the
// first one the operation documents (exactly, or by its class: 4XX) is
// answered, else the preferred one (alternatives below). So an operation
// that documents 422 and not 400 gets 422 for a body that breaks its
// schema; one that documents neither gets the client error it describes
// as invalid input (the petstore's "405: Invalid input"), else 400.
//
// Which body: the operation's response for that status (else for its
// class, else default): its example when it has one (mended to fit the
// schema when it does not, examples.go), else a value generated from its
// schema with what it requires and the slots (errlean.go); the message goes in its message-like field (message, error,
// detail, title, description, msg; at the top, one object down, or in
// the first of an array of errors: {"errors": [{"message"}]}), the
// status and code in fields named so (beside the message or one object
// down: {"message", "extensions": {"code"}}). A value put in a field its
// schema refuses (an enum, a pattern, a bound; its allOf parts read too)
// gives way to the enum value that means the problem ("invalid_field_value"
// for a bad body, "not_found" for an unknown id), else to the value the
// template had there (errvalue.go). A response documented without content
// is answered without a body. An operation that documents none of these
// takes the API's inferred error shape.

// Statuses the mock prefers for kinds of problems and their documented
// alternatives. statusInvalid is a request that breaks the operation's
// schemas (parameters or body), statusInvalidPath one whose path
// parameters alone do (a malformed id names no resource: 404 is an
// alternative); the others are HTTP statuses.
const (
	statusInvalid     = -400
	statusInvalidPath = -404
)

// alternatives are, for a problem, the statuses that may answer it, in
// order of preference; the first is answered when none is documented.
func alternatives(status int) []int {
	switch status {
	case statusInvalid:
		return []int{http.StatusUnprocessableEntity, http.StatusBadRequest}
	case statusInvalidPath:
		return []int{http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound}
	case http.StatusBadRequest:
		return []int{http.StatusBadRequest, http.StatusUnprocessableEntity}
	case http.StatusConflict:
		return []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusBadRequest}
	case http.StatusUnauthorized:
		// Figma documents 403 for a token it does not know, and no 401
		return []int{http.StatusUnauthorized, http.StatusForbidden}
	case http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return []int{status, http.StatusBadRequest, http.StatusUnprocessableEntity}
	}
	return []int{status}
}

// fallbackStatus is the status answered for a problem when the operation
// documents no alternative.
func fallbackStatus(status int) int {
	if status == statusInvalid || status == statusInvalidPath {
		return http.StatusBadRequest
	}
	return status
}

// documented reports whether the operation's responses document status,
// exactly or by its class (4XX).
func documented(o *openapi3.Operation, status int) bool {
	if o == nil || o.Responses == nil {
		return false
	}
	code := strconv.Itoa(status)
	return o.Responses.Value(code) != nil || o.Responses.Value(code[:1]+"XX") != nil || o.Responses.Value(code[:1]+"xx") != nil
}

// statusFor is the status an operation answers a problem with: the first
// documented alternative; for a request that breaks the operation's
// schemas and documents neither 400 nor 422, the client error its
// document describes as invalid input (describedInvalid); else the
// preferred status.
func statusFor(o *openapi3.Operation, status int) int {
	for _, s := range alternatives(status) {
		if documented(o, s) {
			return s
		}
	}
	if status == statusInvalid || status == statusInvalidPath || status == http.StatusBadRequest {
		if s := describedInvalid(o); s != 0 {
			return s
		}
	}
	return fallbackStatus(status)
}

// responseDescription is the description of the response the operation
// documents for status, "" when none.
func responseDescription(o *openapi3.Operation, status int) string {
	if o == nil || o.Responses == nil {
		return ""
	}
	if r := o.Responses.Value(strconv.Itoa(status)); r != nil && r.Value != nil && r.Value.Description != nil {
		return *r.Value.Description
	}
	return ""
}

// invalidWords are the words a response's description uses for a request
// its server refuses as malformed: the petstore's POST /pet documents
// only "405: Invalid input", its PUT /pet "405: Validation exception".
var invalidWords = regexp.MustCompile(`(?i)\b(invalid|validation|malformed|bad request|unprocessable)\b`)

// describedInvalid is the lowest client-error status the operation
// documents (exactly, not by class) whose description says the request is
// invalid, else 0. Statuses that mean something else to a client whatever
// their description (401, 403, 404, 407, 408, 409, 410, 429) are not
// taken.
func describedInvalid(o *openapi3.Operation) int {
	if o == nil || o.Responses == nil {
		return 0
	}
	best := 0
	for code, r := range o.Responses.Map() {
		s, err := strconv.Atoi(code)
		if err != nil || s < 400 || s > 499 || r == nil || r.Value == nil || r.Value.Description == nil {
			continue
		}
		switch s {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusProxyAuthRequired,
			http.StatusRequestTimeout, http.StatusConflict, http.StatusGone, http.StatusTooManyRequests:
			continue
		}
		if invalidWords.MatchString(*r.Value.Description) && (best == 0 || s < best) {
			best = s
		}
	}
	return best
}

// errTemplate is an operation's error answer for one status.
type errTemplate struct {
	// shaped is false when the operation documents no response for the
	// status (nor its class, nor default): the API's shape answers.
	shaped bool
	// ctype is the media type; "" answers without a body.
	ctype string
	body  any // with slots for the message, status and code
}

// opErrors are an operation's error templates, made on first use.
type opErrors struct {
	mu sync.Mutex
	m  map[int]*errTemplate
}

// errSlot is where a problem's message, status or code goes in a template.
type errSlot struct {
	what     string // "message", "status" or "code"
	asString bool   // a status in a string field
	// example is the value the document's example has there: a problem
	// without a message (or code) of its own keeps it ("Widget not found"
	// rather than "Not found").
	example any
	// field is the field's schema when the problem's value must be held
	// to it (nil: any value of the slot's kind fits, or it is undeclared).
	field *openapi3.Schema
	// kept is the template's own value there (generated from the schema,
	// or the example's): answered when no value of the problem fits.
	kept any
}

// template is the operation's error template for status.
func (e *Engine) template(op *operation, status int) *errTemplate {
	op.errors.mu.Lock()
	defer op.errors.mu.Unlock()
	if t, ok := op.errors.m[status]; ok {
		return t
	}
	if op.errors.m == nil {
		op.errors.m = map[int]*errTemplate{}
	}
	t := e.buildTemplate(op, status)
	op.errors.m[status] = t
	return t
}

func (e *Engine) buildTemplate(op *operation, status int) *errTemplate {
	o := op.route.Operation
	if o == nil || o.Responses == nil {
		return &errTemplate{}
	}
	code := strconv.Itoa(status)
	var resp *openapi3.ResponseRef
	for _, k := range []string{code, code[:1] + "XX", code[:1] + "xx", "default"} {
		if r := o.Responses.Value(k); r != nil && r.Value != nil {
			resp = r
			break
		}
	}
	if resp == nil {
		return &errTemplate{}
	}
	if len(resp.Value.Content) == 0 {
		return &errTemplate{shaped: true}
	}
	ctype, mt := jsonMediaOf(resp.Value.Content)
	if mt == nil {
		// no JSON: the API's shape, which is JSON
		return &errTemplate{}
	}
	var value any
	generated := false // from the schema alone, not an example
	ex, fromExample := exampleOf(mt)
	if fromExample && mt.Schema != nil {
		if v, ok := e.exampleFits(mt.Schema, ex, true); ok {
			value = v
		} else {
			// the example's valid parts, the rest made (examples.go)
			value, fromExample = e.mended(mt.Schema, jsonDocument(ex)), false
		}
	} else if fromExample {
		value = ex
	} else if mt.Schema != nil {
		value, generated = e.generate(mt.Schema), true
	} else {
		value = map[string]any{}
	}
	var schema *openapi3.Schema
	if mt.Schema != nil {
		schema = mt.Schema.Value
	}
	body, filled := withSlots(copyJSON(value), schema, 0, fromExample)
	if !filled {
		if obj, ok := body.(map[string]any); ok && (schema == nil || len(schema.Properties) == 0 && schema.AdditionalProperties.Has == nil) {
			// a schema that says nothing: the message is said anyway
			obj["message"] = errSlot{what: "message"}
		}
	}
	if generated && schema != nil {
		// what the schema requires and the slots, when the schema takes
		// that with a problem filled in (errlean.go)
		sample := &problemText{msg: "Not found", code: "NOT_FOUND", status: status, accepts: e.accepts}
		if l := lean(body, schema, 0); e.accepts(schema, fillSlots(l, sample)) {
			body = l
		}
	}
	return &errTemplate{shaped: true, ctype: ctype, body: body}
}

// jsonMediaOf is the JSON media type of a response's content and its key.
func jsonMediaOf(c openapi3.Content) (string, *openapi3.MediaType) {
	mt := contractapi.JSONMedia(c)
	if mt == nil {
		return "", nil
	}
	for k, v := range c {
		if v == mt {
			if strings.ContainsAny(k, "*") {
				return "application/json", mt
			}
			return k, mt
		}
	}
	return "application/json", mt
}

// exampleOf is a media type's example: its example, else its first named
// example with a value.
func exampleOf(mt *openapi3.MediaType) (any, bool) {
	if mt.Example != nil {
		return mt.Example, true
	}
	names := make([]string, 0, len(mt.Examples))
	for n := range mt.Examples {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	return nil, false
}

// copyJSON copies a JSON-shaped value (examples are shared by requests).
func copyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, w := range x {
			out[k] = copyJSON(w)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, w := range x {
			out[i] = copyJSON(w)
		}
		return out
	}
	return v
}

// messageFields name an error's message, in order of preference.
var messageFields = []string{"message", "error", "detail", "title", "description", "msg", "error_description"}

// withSlots puts the slots of a problem into an error value by its schema:
// the message in its message-like string fields (at the top, else in the
// first object field that has one, else in the first item of an array
// field whose items have one, the array cut to that item), the status and
// the code in fields named so (codeSlots) beside the message and in its
// object fields. It reports whether a message slot was put.
func withSlots(v any, s *openapi3.Schema, depth int, example bool) (any, bool) {
	obj, ok := v.(map[string]any)
	if !ok || depth > 2 {
		return v, false
	}
	props := schemaProperties(s)
	filled := false
	for _, n := range messageFields {
		p, declared := props[n]
		_, isString := obj[n].(string)
		// a declared plain string field; or, when the schema declares no
		// field at all, a string of the example
		if declared && admits(p, openapi3.TypeString) || !declared && len(props) == 0 && isString {
			obj[n] = errSlot{what: "message", example: exampleValue(obj[n], example), field: checked(p), kept: obj[n]}
			filled = true
		}
	}
	codeSlots(obj, props, example)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	slices.Sort(names)
	if filled {
		// the code may be one object down: {"message", "extensions": {"code"}}
		for _, n := range names {
			if inner, ok := obj[n].(map[string]any); ok && depth < 2 {
				codeSlots(inner, schemaProperties(props[n]), example)
			}
		}
		return obj, true
	}
	for _, n := range names {
		if inner, ok := obj[n].(map[string]any); ok {
			if out, ok := withSlots(inner, props[n], depth+1, example); ok {
				obj[n] = out
				return obj, true
			}
		}
	}
	// or in an array of errors: {"errors": [{"message": ...}]}
	for _, n := range names {
		arr, ok := obj[n].([]any)
		if !ok || len(arr) == 0 || props[n] == nil || props[n].Items == nil {
			continue
		}
		if first, ok := arr[0].(map[string]any); ok {
			if out, ok := withSlots(first, props[n].Items.Value, depth+1, example); ok {
				obj[n] = []any{out}
				return obj, true
			}
		}
	}
	return obj, false
}

// codeSlots puts the status and code slots in an error object's fields
// named so (a numeric code, status, statusCode, httpStatus: the status; a
// string status: the status as a string; a string code, errorCode,
// error_code: the code). The types are read through the field's allOf
// parts; what else its schema says is checked when the slot is filled.
func codeSlots(obj map[string]any, props map[string]*openapi3.Schema, example bool) {
	for name, p := range props {
		low := strings.ToLower(name)
		switch {
		case (low == "code" || low == "status" || low == "statuscode" || low == "httpstatus") && numeric(p):
			obj[name] = errSlot{what: "status", field: checked(p), kept: obj[name]}
		case low == "status" && admits(p, openapi3.TypeString):
			obj[name] = errSlot{what: "status", asString: true, field: checked(p), kept: obj[name]}
		case (low == "code" || low == "errorcode" || low == "error_code") && admits(p, openapi3.TypeString):
			obj[name] = errSlot{what: "code", example: exampleValue(obj[name], example), field: checked(p), kept: obj[name]}
		}
	}
}

// maxDepth bounds the walks through a schema's nested allOf parts (a
// cycle of them ends there).
const maxDepth = 8

// schemaProperties are the properties of a schema and of its allOf parts
// (nil schema: none).
func schemaProperties(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > maxDepth {
			return
		}
		for _, part := range s.AllOf {
			if part != nil {
				walk(part.Value, depth+1)
			}
		}
		for n, p := range s.Properties {
			if p != nil {
				out[n] = p.Value
			}
		}
	}
	walk(s, 0)
	return out
}

// exampleValue is a slot's example value: the string there when the
// template is the document's example, else nil.
func exampleValue(v any, example bool) any {
	if s, ok := v.(string); ok && example && s != "" {
		return s
	}
	return nil
}

// problemText is what fills a template's slots: the problem's message and
// code ("" when it has none of its own: the example's, else the API's
// defaults for the status), and its status.
type problemText struct {
	msg, code               string
	defaultMsg, defaultCode string
	status                  int
	// accepts reports whether a field's schema accepts a value (nil:
	// every value is taken as it is).
	accepts func(*openapi3.Schema, any) bool
}

// fillSlots is a template with its slots filled, each value one its
// field's schema accepts (fitting).
func fillSlots(v any, t *problemText) any {
	switch x := v.(type) {
	case errSlot:
		var val any
		switch x.what {
		case "message":
			val = pick(t.msg, x.example, t.defaultMsg)
		case "code":
			val = pick(t.code, x.example, t.defaultCode)
		default:
			val = t.status
			if x.asString {
				val = strconv.Itoa(t.status)
			}
		}
		return fitting(x, val, t)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, w := range x {
			out[k] = fillSlots(w, t)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, w := range x {
			out[i] = fillSlots(w, t)
		}
		return out
	}
	return v
}

// pick is the problem's own text, else the example's, else the default.
func pick(own string, example any, def string) any {
	if own != "" {
		return own
	}
	if example != nil {
		return example
	}
	return def
}

// opProblem answers a problem of a matched operation in the document's
// shape (rest.fromSpec), or the API's when the operation documents none.
func (e *Engine) opProblem(w http.ResponseWriter, op *operation, p render.Problem) {
	p.Status = statusFor(op.route.Operation, p.Status)
	if _, ok := p.Headers["WWW-Authenticate"]; ok && p.Status != http.StatusUnauthorized {
		// a challenge goes with a 401 only (RFC 9110, 11.6.1)
		h := maps.Clone(p.Headers)
		delete(h, "WWW-Authenticate")
		p.Headers = h
	}
	t := e.template(op, p.Status)
	if !t.shaped {
		render.REST(w, e.errs, p)
		return
	}
	shape := e.errs.Error(p.Status)
	text := &problemText{msg: p.Message, code: p.Code, defaultMsg: shape.Message, defaultCode: shape.Code, status: p.Status, accepts: e.accepts}
	render.Headers(w, e.errs, p)
	if t.ctype == "" {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(p.Status)
		return
	}
	body, err := jsonw.Marshal(fillSlots(t.body, text))
	if err != nil {
		render.REST(w, e.errs, p)
		return
	}
	render.Raw(w, p.Status, t.ctype, body)
}
