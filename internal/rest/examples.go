package rest

// Examples in answers: a document's example answers only as far as its
// schema accepts it. The loader warns about an example that fails its
// schema; an answer made from it keeps its valid parts and makes the rest
// again, so it never carries a value the schema refuses.

import (
	"sort"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/openapi"
)

// accepts reports whether schema accepts v as an answer, with the string
// formats the project checks (uri, email, uuid, date, date-time).
func (e *Engine) accepts(s *openapi3.Schema, v any) bool {
	return s.VisitJSON(v, append([]openapi3.SchemaValidationOption{openapi3.VisitAsResponse(), openapi3.EnableFormatValidation()}, e.check...)...) == nil
}

// mended is an example the schema refuses made to fit it: in an object,
// each property's value the property's schema accepts is kept, an object
// or array refused is mended in turn, any other value refused is
// generated; properties the schema does not allow (or writeOnly ones) are
// left out and the required ones it lacks generated; in an array, each
// item is mended. When the result still fails (a oneOf, a bound the
// parts do not decide), the value is generated from the schema whole.
func (e *Engine) mended(ref *openapi3.SchemaRef, ex any) any {
	e.genMu.Lock()
	defer e.genMu.Unlock()
	v := e.mend(ref, jsonValue(ex), "")
	e.warnUnending()
	return v
}

// mend is mended for the value v of field name (genMu held).
func (e *Engine) mend(ref *openapi3.SchemaRef, v any, name string) any {
	if ref == nil || ref.Value == nil {
		return v
	}
	s := ref.Value
	if e.accepts(s, v) {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		if props := mergedProperties(s); len(props) > 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 {
			v = e.mendObject(s, props, x)
		}
	case []any:
		if s.Items != nil && s.Items.Value != nil {
			out := make([]any, len(x))
			for i, item := range x {
				out[i] = e.mend(s.Items, item, name)
			}
			v = out
		}
	}
	if e.accepts(s, v) {
		return v
	}
	return e.gen.Value(ref, name)
}

// mendObject is mend for an object example of an object schema whose
// properties (allOf merged) are props.
func (e *Engine) mendObject(s *openapi3.Schema, props openapi3.Schemas, x map[string]any) map[string]any {
	closed := false
	var extra *openapi3.SchemaRef
	var required []string
	for _, part := range openapi.AllOfParts(s) {
		if part.AdditionalProperties.Has != nil && !*part.AdditionalProperties.Has {
			closed = true
		}
		if part.AdditionalProperties.Schema != nil && extra == nil {
			extra = part.AdditionalProperties.Schema
		}
		required = append(required, part.Required...)
	}
	names := make([]string, 0, len(x))
	for k := range x {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string]any, len(x))
	for _, k := range names {
		p := props[k]
		switch {
		case p != nil && p.Value != nil && p.Value.WriteOnly:
		case p != nil && p.Value != nil:
			out[k] = e.mend(p, x[k], k)
		case closed:
		case extra != nil:
			out[k] = e.mend(extra, x[k], k)
		default:
			out[k] = x[k]
		}
	}
	for _, r := range required {
		if p := props[r]; p != nil && p.Value != nil {
			if _, ok := out[r]; !ok {
				out[r] = e.gen.Value(p, r)
			}
		}
	}
	return out
}
