package kit

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"mime"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/specs"
)

// Request bodies generated from an operation's contract: the examples its
// request body documents and values generated from its schema (every
// field, and the required ones only), each held valid against the schema
// before it is sent, in each media type the suite writes (JSON, a form,
// a multipart form); and invalid ones, each held invalid, for the
// negative checks.

// BodySample is one generated request body.
type BodySample struct {
	Payload *Payload
	// Value is what the body says as JSON would say it (a form's fields
	// typed by the schema); nil for a body that is not JSON (malformed on
	// purpose) or absent.
	Value any
	// What says what the body is, for titles and violations: `the example
	// "cat" (application/json)`, "every field (multipart/form-data)",
	// "name missing (required) (application/json)".
	What string
}

// maxDepth bounds generation in nested and recursive schemas: deeper,
// only required fields are filled.
const maxDepth = 6

// maxGenLen and maxGenItems bound what a schema can make the generator
// write: a string, an array or an object that must be larger gets no
// generated value (a contract's maxLength of 2^63 is no reason to run out
// of memory).
const (
	maxGenLen   = 4096
	maxGenItems = 64
)

// bodyMedia lists the media types of the operation's request body the
// suite writes, best first (JSON, then forms), and the ones it does not.
func bodyMedia(o model.Operation) (writes []string, others []string) {
	rb := o.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil, nil
	}
	for _, mt := range slices.Sorted(maps.Keys(rb.Value.Content)) {
		switch kind := mediaKind(mt); kind {
		case "":
			others = append(others, mt)
		default:
			writes = append(writes, mt)
		}
	}
	slices.SortStableFunc(writes, func(a, b string) int {
		return strings.Compare(mediaKind(a), mediaKind(b))
	})
	return writes, others
}

// mediaKind sorts a media type into what the suite writes: "1json",
// "2form", "3multipart" (sortable), "" for anything else.
func mediaKind(mt string) string {
	base, _, err := mime.ParseMediaType(mt)
	if err != nil {
		base = mt
	}
	switch {
	case base == MediaJSON || strings.HasSuffix(base, "+json"):
		return "1json"
	case base == MediaForm:
		return "2form"
	case base == MediaMultipart:
		return "3multipart"
	}
	return ""
}

// HasBody reports whether the operation documents a request body.
func HasBody(o model.Operation) bool {
	return o.Op.RequestBody != nil && o.Op.RequestBody.Value != nil && len(o.Op.RequestBody.Value.Content) > 0
}

// BodyRequired reports whether the operation's request body is required.
func BodyRequired(o model.Operation) bool {
	return HasBody(o) && o.Op.RequestBody.Value.Required
}

// WritableBody says why the suite cannot write the operation's request
// body ("" when it can, or when there is none).
func WritableBody(o model.Operation) string {
	writes, others := bodyMedia(o)
	if HasBody(o) && len(writes) == 0 {
		return fmt.Sprintf("%s %s takes a request body only as %s, which the suite does not generate (it writes JSON, forms and multipart forms)", o.Method, o.Path, strings.Join(others, ", "))
	}
	return ""
}

// ValidBodies are the valid request bodies of the operation: per media
// type the suite writes, the documented examples (the media type's
// example and examples, the schema's example), then a body with every
// field and one with the required fields only, generated from the schema.
// variant changes the generated values (another variant, other values:
// an update after a creation). Each body is valid against the schema;
// an example that is not is left out.
func ValidBodies(o model.Operation, variant int) []BodySample {
	writes, _ := bodyMedia(o)
	var out []BodySample
	seen := map[string]bool{}
	for _, mt := range writes {
		media := o.Op.RequestBody.Value.Content[mt]
		if media == nil || media.Schema == nil || media.Schema.Value == nil {
			continue
		}
		s := media.Schema.Value
		add := func(v any, what string) {
			v = jsonValue(v)
			if v == nil || validate(s, v) != nil {
				return
			}
			p, ok := encode(mt, s, v)
			if !ok {
				return
			}
			key := p.MediaType + "\x00" + string(p.Data)
			if seen[key] {
				return
			}
			seen[key] = true
			out = append(out, BodySample{Payload: p, Value: v, What: what + " (" + baseMedia(mt) + ")"})
		}
		if variant == 0 {
			for _, name := range slices.Sorted(maps.Keys(media.Examples)) {
				if ex := media.Examples[name]; ex != nil && ex.Value != nil {
					add(ex.Value.Value, fmt.Sprintf("the example %q", name))
				}
			}
			if media.Example != nil {
				add(media.Example, "the example")
			}
			if s.Example != nil {
				add(s.Example, "the schema's example")
			}
		}
		g := generator{variant: variant}
		if v, ok := g.value(s, true, 0); ok {
			add(v, "every field, generated")
		}
		if v, ok := g.value(s, false, 0); ok {
			add(v, "the required fields, generated")
		}
	}
	return out
}

// BodyFor is the operation's request body for a step of a chain: for
// variant 0 the first valid body (an example when the contract has one),
// for another variant a generated body with every field and values of
// that variant. ok is false when the suite has none to send.
func BodyFor(o model.Operation, variant int) (BodySample, bool) {
	bodies := ValidBodies(o, variant)
	if variant != 0 {
		for _, b := range bodies {
			if strings.HasPrefix(b.What, "every field") {
				return b, true
			}
		}
	}
	if len(bodies) == 0 {
		return BodySample{}, false
	}
	return bodies[0], true
}

// baseMedia is a media type without its parameters.
func baseMedia(mt string) string {
	if base, _, err := mime.ParseMediaType(mt); err == nil {
		return base
	}
	return mt
}

// jsonValue is v as encoding/json decodes it (numbers float64, maps of
// string keys), the form schema validation takes; nil when v cannot be
// encoded.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// validate validates a request value against its schema: every
// violation, formats checked, readOnly fields left to the server.
func validate(s *openapi3.Schema, v any) error {
	return s.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.MultiErrors(), openapi3.DisableReadOnlyValidation(),
		openapi3.WithStringFormatValidators(specs.FormatValidators()))
}

// generator makes values valid against a schema.
type generator struct {
	variant int
}

// value generates a value of s: with every field (full) or the required
// ones only; ok is false when the schema admits nothing the generator
// can make.
func (g generator) value(s *openapi3.Schema, full bool, depth int) (any, bool) {
	if s == nil {
		return "standin", true
	}
	if depth > 0 && g.variant == 0 && s.Example != nil && validate(s, jsonValue(s.Example)) == nil {
		return s.Example, true
	}
	if s.Const != nil {
		return s.Const, true
	}
	if len(s.Enum) > 0 {
		for i := range s.Enum {
			v := s.Enum[(i+g.variant)%len(s.Enum)]
			if v != nil {
				return v, true
			}
		}
		return nil, false
	}
	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return g.branch(s, full, depth)
	}
	switch {
	case model.IsObject(s):
		return g.object(s, full, depth)
	case s.Type.Is("array"):
		return g.array(s, full, depth)
	case s.Type.Is("integer"):
		return g.integer(s), true
	case s.Type.Is("number"):
		return g.number(s), true
	case s.Type.Is("boolean"):
		return g.variant%2 == 0, true
	case s.Type.Is("string"), s.Type == nil || len(*s.Type) == 0:
		if s.MinLength > maxGenLen {
			return nil, false
		}
		return g.str(s), true
	}
	return nil, false
}

// branch generates a oneOf or anyOf value: the first branch whose value
// is valid against the whole schema (the discriminator set when there is
// one).
func (g generator) branch(s *openapi3.Schema, full bool, depth int) (any, bool) {
	branches := s.OneOf
	if len(branches) == 0 {
		branches = s.AnyOf
	}
	for i := range branches {
		b := branches[(i+g.variant)%len(branches)]
		if b == nil || b.Value == nil {
			continue
		}
		v, ok := g.value(b.Value, full, depth+1)
		if !ok {
			continue
		}
		if d := s.Discriminator; d != nil {
			if m, isObj := v.(map[string]any); isObj {
				m[d.PropertyName] = discriminatorValue(d, b)
			}
		}
		// the parent's own properties (beside oneOf) go in too
		if m, isObj := v.(map[string]any); isObj && len(s.Properties) > 0 {
			if own, ok := g.object(&openapi3.Schema{Properties: s.Properties, Required: s.Required}, full, depth); ok {
				for k, x := range own.(map[string]any) {
					if _, set := m[k]; !set {
						m[k] = x
					}
				}
			}
		}
		if validate(s, jsonValue(v)) == nil {
			return v, true
		}
	}
	return nil, false
}

// discriminatorValue is the discriminator's value naming branch b: its
// mapping key, else the last segment of its $ref.
func discriminatorValue(d *openapi3.Discriminator, b *openapi3.SchemaRef) string {
	for _, k := range slices.Sorted(maps.Keys(d.Mapping)) {
		if d.Mapping[k].Ref == b.Ref {
			return k
		}
	}
	return b.Ref[strings.LastIndex(b.Ref, "/")+1:]
}

// object generates an object (allOf branches merged): every writable
// property when full, the required ones otherwise (and only those below
// maxDepth).
func (g generator) object(s *openapi3.Schema, full bool, depth int) (any, bool) {
	obj := model.ObjectOf(s)
	out := map[string]any{}
	for _, name := range obj.Names() {
		p := obj.Property(name)
		if p == nil || p.ReadOnly {
			continue
		}
		if !obj.IsRequired(name) && (!full || depth >= maxDepth) {
			continue
		}
		v, ok := g.value(p, full, depth+1)
		if !ok {
			if obj.IsRequired(name) {
				return nil, false
			}
			continue
		}
		out[name] = v
	}
	if s.MinProps > maxGenItems {
		return nil, false
	}
	for len(out) < int(s.MinProps) {
		out[fmt.Sprintf("standin%d", len(out))] = "standin"
	}
	return out, true
}

// array generates minItems items (at least one when full).
func (g generator) array(s *openapi3.Schema, full bool, depth int) (any, bool) {
	if s.MinItems > maxGenItems {
		return nil, false
	}
	n := int(s.MinItems)
	if full && n == 0 && depth < maxDepth {
		n = 1
	}
	if s.MaxItems != nil && uint64(n) > *s.MaxItems {
		n = int(*s.MaxItems)
	}
	out := []any{}
	var items *openapi3.Schema
	if s.Items != nil {
		items = s.Items.Value
	}
	for i := range n {
		v, ok := generator{variant: g.variant + i}.value(items, full, depth+1)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// integer is an integer within the bounds (the minimum, or 1 moved by
// the variant), a multiple of multipleOf.
func (g generator) integer(s *openapi3.Schema) int64 {
	lo, hi := bounds(s)
	v := float64(1 + g.variant)
	if s.Default != nil && g.variant == 0 {
		if d, ok := s.Default.(float64); ok {
			v = d
		}
	}
	v = math.Max(lo, math.Min(hi, v))
	n := int64(math.Ceil(v))
	if m := s.MultipleOf; m != nil && *m >= 1 {
		step := int64(*m)
		n = (n + step - 1) / step * step
		if float64(n) > hi {
			n -= step
		}
	}
	return n
}

// number is a number within the bounds.
func (g generator) number(s *openapi3.Schema) float64 {
	lo, hi := bounds(s)
	v := 1.5 + float64(g.variant)
	if s.MultipleOf != nil {
		return float64(g.integer(s))
	}
	if v < lo {
		v = lo + 0.5
	}
	if v > hi {
		v = hi - 0.5
		if v < lo {
			v = (lo + hi) / 2
		}
	}
	return v
}

// bounds are the inclusive bounds of a numeric schema (exclusive ones
// moved inside by one).
func bounds(s *openapi3.Schema) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if s.Min != nil {
		lo = *s.Min
		if s.ExclusiveMin.IsTrue() {
			lo++
		}
	}
	if v := s.ExclusiveMin.Value; v != nil {
		lo = *v + 1
	}
	if s.Max != nil {
		hi = *s.Max
		if s.ExclusiveMax.IsTrue() {
			hi--
		}
	}
	if v := s.ExclusiveMax.Value; v != nil {
		hi = *v - 1
	}
	if s.Format == "int32" {
		lo, hi = math.Max(lo, math.MinInt32), math.Min(hi, math.MaxInt32)
	}
	return lo, hi
}

// str is a string of the schema's format, pattern and length.
func (g generator) str(s *openapi3.Schema) string {
	h := unknownHash(uint64(g.variant), "string", s.Pattern, s.Format)
	switch s.Format {
	case "date":
		return fmt.Sprintf("2024-01-%02d", 10+g.variant%18)
	case "date-time":
		return fmt.Sprintf("2024-01-%02dT10:00:00Z", 10+g.variant%18)
	case "time":
		return fmt.Sprintf("10:%02d:00", g.variant%60)
	case "email":
		return fmt.Sprintf("standin%d@example.com", g.variant)
	case "uuid":
		return freshUUID(h)
	case "uri", "url":
		return fmt.Sprintf("https://example.com/standin/%d", g.variant)
	case "hostname":
		return fmt.Sprintf("standin%d.example.com", g.variant)
	case "ipv4":
		return fmt.Sprintf("192.0.2.%d", 1+g.variant%250)
	case "ipv6":
		return fmt.Sprintf("2001:db8::%x", 1+g.variant)
	case "byte":
		return "c3RhbmRpbg=="
	}
	if s.Pattern != "" {
		if v, ok := matching(s, h); ok {
			return v
		}
	}
	v := "standin"
	if g.variant > 0 {
		v += "-" + strconv.Itoa(g.variant)
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	for uint64(len(v)) < s.MinLength && len(v) < maxGenLen {
		v += "x"
	}
	return v
}

// encode writes a value in the media type: JSON as is; a form or a
// multipart form from an object's fields (arrays as repeated fields,
// objects as JSON text, binary fields as file parts). ok is false when the
// value is no object and the media type is a form.
func encode(mt string, s *openapi3.Schema, v any) (*Payload, bool) {
	switch mediaKind(mt) {
	case "1json":
		b, err := json.Marshal(v)
		if err != nil {
			return nil, false
		}
		return &Payload{MediaType: baseMedia(mt), Data: b}, true
	case "2form":
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		form := url.Values{}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			for _, x := range formTexts(obj[k]) {
				form.Add(k, x)
			}
		}
		return Form(form), true
	case "3multipart":
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		fields := model.ObjectOf(s)
		var parts []Part
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			binary := false
			if p := fields.Property(k); p != nil {
				binary = p.Format == "binary" || (p.Items != nil && p.Items.Value != nil && p.Items.Value.Format == "binary")
			}
			for _, x := range formTexts(obj[k]) {
				part := Part{Name: k, Data: []byte(x)}
				if binary {
					part.FileName = k + ".bin"
				}
				if _, isObj := obj[k].(map[string]any); isObj {
					part.ContentType = MediaJSON
				}
				parts = append(parts, part)
			}
		}
		return MultipartParts(parts), true
	}
	return nil, false
}

// formTexts renders a field's value as the texts of a form: one per
// array item, an object as JSON, a scalar as text.
func formTexts(v any) []string {
	switch x := v.(type) {
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, formText(e))
		}
		return out
	case nil:
		return []string{""}
	}
	return []string{formText(v)}
}

func formText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return Canonical(v)
}
