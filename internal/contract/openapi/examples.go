package openapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
)

// examples checks every example of the document against its schema (as
// kin-openapi's own example validation would, but each one, not the first
// of a section): schema examples, and the examples of parameters, request
// bodies, responses and headers. A bad one is a warning at its place.
func (l *loading) examples(doc *openapi3.T) {
	w := &exampleWalk{l: l, seen: map[*openapi3.Schema]bool{}, is31: doc.IsOpenAPI31OrLater()}
	if c := doc.Components; c != nil {
		for _, name := range sortedKeys(c.Schemas) {
			w.schemaRef(c.Schemas[name], []string{"components", "schemas", name})
		}
		for _, name := range sortedKeys(c.Parameters) {
			w.parameter(c.Parameters[name], []string{"components", "parameters", name})
		}
		for _, name := range sortedKeys(c.RequestBodies) {
			if rb := c.RequestBodies[name]; rb != nil && rb.Value != nil && rb.Ref == "" {
				w.content(rb.Value.Content, modeRequest, []string{"components", "requestBodies", name, "content"})
			}
		}
		for _, name := range sortedKeys(c.Responses) {
			w.response(c.Responses[name], []string{"components", "responses", name})
		}
		for _, name := range sortedKeys(c.Headers) {
			w.header(c.Headers[name], []string{"components", "headers", name})
		}
	}
	if doc.Paths != nil {
		paths := doc.Paths.InMatchingOrder()
		slices.Sort(paths)
		for _, p := range paths {
			w.pathItem(doc.Paths.Value(p), []string{"paths", p})
		}
	}
	for _, name := range sortedKeys(doc.Webhooks) {
		w.pathItem(doc.Webhooks[name], []string{"webhooks", name})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mode is how an example is validated: as a request (writeOnly allowed,
// readOnly refused), a response (the other way round) or neither.
type mode int

const (
	modeNone mode = iota
	modeRequest
	modeResponse
)

type exampleWalk struct {
	l    *loading
	seen map[*openapi3.Schema]bool
	is31 bool
}

// ptrOfRef is where a referenced element is written: its fragment (in the
// file its origin names).
func ptrOfRef(ref string, ptr []string) []string {
	if ref == "" {
		return ptr
	}
	_, frag, _ := strings.Cut(ref, "#")
	return jsonptr.Split(frag)
}

func (w *exampleWalk) pathItem(pi *openapi3.PathItem, ptr []string) {
	if pi == nil {
		return
	}
	for i, p := range pi.Parameters {
		w.parameter(p, append(slices.Clip(ptr), "parameters", strconv.Itoa(i)))
	}
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace} {
		o := pi.GetOperation(m)
		if o == nil {
			continue
		}
		op := append(slices.Clip(ptr), strings.ToLower(m))
		for i, p := range o.Parameters {
			w.parameter(p, append(slices.Clip(op), "parameters", strconv.Itoa(i)))
		}
		if rb := o.RequestBody; rb != nil && rb.Value != nil && rb.Ref == "" {
			w.content(rb.Value.Content, modeRequest, append(slices.Clip(op), "requestBody", "content"))
		}
		if o.Responses != nil {
			for _, st := range sortedKeys(o.Responses.Map()) {
				w.response(o.Responses.Value(st), append(slices.Clip(op), "responses", st))
			}
		}
	}
}

func (w *exampleWalk) response(r *openapi3.ResponseRef, ptr []string) {
	if r == nil || r.Value == nil || r.Ref != "" {
		return // a component, checked where it is defined
	}
	w.content(r.Value.Content, modeResponse, append(slices.Clip(ptr), "content"))
	for _, name := range sortedKeys(r.Value.Headers) {
		w.header(r.Value.Headers[name], append(slices.Clip(ptr), "headers", name))
	}
}

func (w *exampleWalk) header(h *openapi3.HeaderRef, ptr []string) {
	if h == nil || h.Value == nil || h.Ref != "" {
		return
	}
	w.parameter(&openapi3.ParameterRef{Value: &h.Value.Parameter}, ptr)
}

func (w *exampleWalk) parameter(p *openapi3.ParameterRef, ptr []string) {
	if p == nil || p.Value == nil || p.Ref != "" {
		return
	}
	v := p.Value
	if v.Schema != nil {
		w.schemaRef(v.Schema, append(slices.Clip(ptr), "schema"))
		if v.Schema.Value != nil {
			if v.Example != nil {
				w.check(v.Schema.Value, v.Example, modeRequest, append(slices.Clip(ptr), "example"), v.Origin, "example")
			}
			w.named(v.Schema.Value, v.Examples, modeRequest, ptr)
		}
	}
	w.content(v.Content, modeRequest, append(slices.Clip(ptr), "content"))
}

func (w *exampleWalk) content(c openapi3.Content, m mode, ptr []string) {
	for _, mt := range sortedKeys(c) {
		v := c[mt]
		if v == nil {
			continue
		}
		at := append(slices.Clip(ptr), mt)
		if v.Schema == nil || v.Schema.Value == nil {
			continue
		}
		w.schemaRef(v.Schema, append(slices.Clip(at), "schema"))
		if v.Example != nil {
			w.check(v.Schema.Value, v.Example, m, append(slices.Clip(at), "example"), v.Origin, "example")
		}
		w.named(v.Schema.Value, v.Examples, m, at)
	}
}

// named checks the examples map of a parameter or media type.
func (w *exampleWalk) named(s *openapi3.Schema, examples openapi3.Examples, m mode, ptr []string) {
	for _, name := range sortedKeys(examples) {
		ex := examples[name]
		if ex == nil || ex.Value == nil {
			continue
		}
		at := append(slices.Clip(ptr), "examples", name, "value")
		if ex.Ref != "" {
			at = append(ptrOfRef(ex.Ref, nil), "value")
		}
		if ex.Value.Value == nil {
			if ex.Value.ExternalValue == "" {
				w.withoutValue(ex.Value, at[:len(at)-1])
			}
			continue
		}
		w.check(s, ex.Value.Value, m, at, ex.Value.Origin, "value")
	}
}

// withoutValue warns about an example object with neither value nor
// externalValue (kin-openapi's validation reports it only with examples
// validation on).
func (w *exampleWalk) withoutValue(ex *openapi3.Example, ptr []string) {
	d := diag.Diagnostic{Code: diag.CodeExampleWithoutValue, Severity: diag.Warning, File: w.l.file, Pointer: jsonptr.Format(ptr...),
		Message: "an example object with neither value nor externalValue: it is not used", Fix: "give it a value, or remove it"}
	if ex.Origin != nil && ex.Origin.Key != nil && ex.Origin.Key.File != "" {
		d.File, d.Line, d.Col = ex.Origin.Key.File, ex.Origin.Key.Line, ex.Origin.Key.Column
	}
	w.l.add(d)
}

// schemaRef checks the examples of a schema and of the schemas inside
// it, each schema once.
func (w *exampleWalk) schemaRef(ref *openapi3.SchemaRef, ptr []string) {
	if ref == nil || ref.Value == nil || w.seen[ref.Value] {
		return
	}
	s := ref.Value
	w.seen[s] = true
	ptr = ptrOfRef(ref.Ref, ptr)
	if s.Example != nil {
		w.check(s, s.Example, modeNone, append(slices.Clip(ptr), "example"), s.Origin, "example")
	}
	for i, ex := range s.Examples {
		w.check(s, ex, modeNone, append(slices.Clip(ptr), "examples", strconv.Itoa(i)), s.Origin, "examples")
	}
	for _, name := range sortedKeys(s.Properties) {
		w.schemaRef(s.Properties[name], append(slices.Clip(ptr), "properties", name))
	}
	w.schemaRef(s.Items, append(slices.Clip(ptr), "items"))
	w.schemaRef(s.AdditionalProperties.Schema, append(slices.Clip(ptr), "additionalProperties"))
	w.schemaRef(s.Not, append(slices.Clip(ptr), "not"))
	for _, c := range []struct {
		kw   string
		list openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}} {
		for i, r := range c.list {
			w.schemaRef(r, append(slices.Clip(ptr), c.kw, strconv.Itoa(i)))
		}
	}
}

// check validates one example and warns when it does not match.
func (w *exampleWalk) check(s *openapi3.Schema, value any, m mode, ptr []string, origin *openapi3.Origin, field string) {
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	switch m {
	case modeRequest:
		opts = append(opts, openapi3.VisitAsRequest())
	case modeResponse:
		opts = append(opts, openapi3.VisitAsResponse())
	}
	if w.is31 {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	err := s.VisitJSON(value, opts...)
	if err == nil {
		return
	}
	d := diag.Diagnostic{Code: diag.CodeInvalidExample, Severity: diag.Warning, File: w.l.file, Pointer: jsonptr.Format(ptr...),
		Message: "the example does not match its schema: " + joinReasons(Reasons(err, FlattenOptions{})),
		Fix:     "correct the example or the schema"}
	if origin != nil {
		loc := origin.Key
		if f, ok := origin.Fields.Lookup(field); ok {
			loc = &f
		}
		if loc != nil && loc.File != "" {
			d.File, d.Line, d.Col = loc.File, loc.Line, loc.Column
		}
	}
	w.l.add(d)
}

// maxReasons bounds the violations one example's warning lists.
const maxReasons = 5

// joinReasons lists at most maxReasons violations, and how many more.
func joinReasons(rs []string) string {
	if len(rs) <= maxReasons {
		return strings.Join(rs, "; ")
	}
	return strings.Join(rs[:maxReasons], "; ") + "; and " + strconv.Itoa(len(rs)-maxReasons) + " more"
}
