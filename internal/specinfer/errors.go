package specinfer

// Errors: the shape of each error status, from the spec's error schemas.

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/manifest"
)

// errorStatuses get an error shape in every inferred API.
var errorStatuses = map[int]string{
	400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
	405: "Method not allowed", 409: "Conflict", 429: "Too many requests",
	500: "Internal server error", 504: "Gateway timeout",
}

// inferErrors takes the error shapes from the spec's error schemas. Each
// error status takes the schema documented for it (404), else for its
// class (4XX), else for default, else the first error schema of the
// document (400, 404, 4XX, default, 401, 403, 500 first): the first
// operation's, in path order, whose schema is an object with a
// message-like string field, at its top, in one object field
// ({"error": {"code", "message"}}) or in the items of an array field
// ({"errors": [{"message"}]}). Without one, {"error": message}.
func inferErrors(doc *openapi3.T) map[int]manifest.ErrorShape {
	documented := map[string]any{} // "404", "4XX", "default" → body
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		ops := doc.Paths.Value(p).Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			o := ops[m]
			if o.Responses == nil {
				continue
			}
			for st := range o.Responses.Map() {
				if _, done := documented[st]; done || !isErrorStatus(st) {
					continue
				}
				if ref := jsonSchema(o, st); ref != nil {
					if body := errorBody(ref.Value, 0); body != nil {
						documented[st] = body
					}
				}
			}
		}
	}
	var common any
	for _, st := range []string{"400", "404", "4XX", "default", "401", "403", "500", "5XX"} {
		if body, ok := documented[st]; ok {
			common = body
			break
		}
	}
	if common == nil {
		keys := make([]string, 0, len(documented))
		for k := range documented {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 0 {
			common = documented[keys[0]]
		} else {
			common = map[string]any{"error": "{{message}}"}
		}
	}
	out := map[int]manifest.ErrorShape{}
	for st, msg := range errorStatuses {
		body := common
		for _, k := range []string{strconv.Itoa(st), strconv.Itoa(st/100) + "XX", "default"} {
			if b, ok := documented[k]; ok {
				body = b
				break
			}
		}
		out[st] = manifest.ErrorShape{Message: msg, Code: strings.ToUpper(strings.ReplaceAll(msg, " ", "_")), Body: body}
	}
	return out
}

// isErrorStatus reports whether a response key documents errors: 4xx,
// 5xx, 4XX, 5XX or default.
func isErrorStatus(st string) bool {
	return st == "default" || len(st) == 3 && (st[0] == '4' || st[0] == '5')
}

// messageFields are the names of an error's message, in order of
// preference.
var messageFields = []string{"message", "error", "detail", "title", "description", "msg"}

// errorBody is the template for an error schema: {{message}} in its
// message-like string fields, {{status}} and {{code}} in its status and
// code fields, constants in the other required ones (errorField). When
// the schema has no message field of its own, the one object field that
// has (such as "error" in {"error": {"code", "message"}}) holds the
// template, else an array field of one such template ({"errors":
// [{"message"}]}). It is nil when no message field is found or a required
// field cannot be filled.
func errorBody(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 2 || !isObject(s) && (len(s.AllOf) == 0 || len(properties(s)) == 0) {
		return nil
	}
	props := properties(s)
	body := map[string]any{}
	for _, n := range messageFields {
		if p := props[n]; p != nil && p.Value != nil && mainType(p.Value) == "string" && len(p.Value.Enum) == 0 && p.Value.Const == nil {
			body[n] = "{{message}}"
		}
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(body) == 0 {
		// the message is one level down: {"error": {"message": ...}}
		for _, name := range names {
			if p := props[name]; p != nil && p.Value != nil {
				if inner := errorBody(p.Value, depth+1); inner != nil {
					body[name] = inner
					break
				}
			}
		}
		// or in the items of one array field: {"errors": [{"message": ...}]}
		// (JSON:API, Directus)
		for _, name := range names {
			if len(body) > 0 {
				break
			}
			if p := props[name]; p != nil && p.Value != nil && mainType(p.Value) == "array" && p.Value.Items != nil {
				if inner := errorBody(p.Value.Items.Value, depth+1); inner != nil {
					body[name] = []any{inner}
				}
			}
		}
		if len(body) == 0 {
			return nil
		}
	}
	for _, name := range names {
		p := props[name]
		if _, done := body[name]; done || p == nil || p.Value == nil {
			continue
		}
		v, ok := errorField(name, p.Value, slices.Contains(s.Required, name), depth)
		if !ok {
			return nil // a required field the mock cannot fill
		}
		if v != nil {
			body[name] = v
		}
	}
	return body
}

// errorField fills one field of an error body beside its message: a
// numeric code or status is {{status}}, a string code {{code}}, a
// required field a constant its schema allows, else an object of such
// fields ({"extensions": {"code": "{{code}}"}}, Directus). It returns nil
// and true for an optional field left out, false for a required one it
// cannot fill.
func errorField(name string, v *openapi3.Schema, required bool, depth int) (any, bool) {
	low := strings.ToLower(name)
	t := mainType(v)
	switch {
	case (low == "code" || low == "status" || low == "statuscode" || low == "httpstatus") && (t == "integer" || t == "number") && len(v.Enum) == 0:
		return "{{status}}", true
	case (low == "code" || low == "errorcode") && t == "string" && len(v.Enum) == 0 && v.Pattern == "" && v.Format == "":
		return "{{code}}", true
	case !required:
		return nil, true
	}
	if c, ok := constantFor(name, v, 0); ok {
		// a constant its schema refuses (an allOf's {} for a uuid) fills
		// nothing: the document's error shape is then not inferred
		return c, v.VisitJSON(c) == nil
	}
	if t != "object" || depth > 2 {
		return nil, false
	}
	out := map[string]any{}
	props := properties(v)
	for _, r := range v.Required {
		p := props[r]
		if p == nil || p.Value == nil {
			return nil, false
		}
		f, ok := errorField(r, p.Value, true, depth+1)
		if !ok {
			return nil, false
		}
		out[r] = f
	}
	return out, true
}
