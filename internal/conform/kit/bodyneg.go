package kit

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/model"
)

// maxInvalidPerMedia bounds the invalid bodies sent per media type.
const maxInvalidPerMedia = 16

// InvalidBodies are request bodies the operation's contract refuses, per
// media type the suite writes: malformed JSON, a value of the wrong type,
// each required field missing, a field of the wrong type, outside its
// enum, its length or its bounds, an undeclared field where the schema
// forbids them, and no body where one is required. Each is held invalid
// against the schema (as a form carries it, for forms) before it is
// listed; format violations are not sent (a format is an annotation
// unless a server chooses to check it).
func InvalidBodies(o model.Operation) []BodySample {
	writes, _ := bodyMedia(o)
	var out []BodySample
	for _, mt := range writes {
		media := o.Op.RequestBody.Value.Content[mt]
		if media == nil || media.Schema == nil || media.Schema.Value == nil {
			continue
		}
		s := media.Schema.Value
		base := baseMedia(mt)
		form := mediaKind(mt) != "1json"
		var mine []BodySample
		add := func(b BodySample) {
			if len(mine) < maxInvalidPerMedia {
				b.What += " (" + base + ")"
				mine = append(mine, b)
			}
		}
		if !form {
			add(BodySample{Payload: &Payload{MediaType: base, Data: []byte(`{"standin": `)}, What: "malformed JSON"})
			if model.IsObject(s) && validate(s, []any{}) != nil {
				add(BodySample{Payload: &Payload{MediaType: base, Data: []byte(`[]`)}, Value: []any{}, What: "an array where the schema wants an object"})
			}
		}
		if BodyRequired(o) && !form {
			add(BodySample{Payload: &Payload{MediaType: base}, What: "no body, though the request body is required"})
		}
		valid, ok := generator{}.value(s, true, 0)
		obj, isObj := jsonValue(valid).(map[string]any)
		if !ok || !isObj {
			out = append(out, mine...)
			continue
		}
		for _, m := range mutations(s, obj, form) {
			v := jsonValue(m.value)
			if validate(s, formView(s, v, form)) == nil {
				continue // not invalid after all (or not once a form carries it)
			}
			p, ok := encode(mt, s, v)
			if !ok {
				continue
			}
			add(BodySample{Payload: p, Value: v, What: m.what})
		}
		out = append(out, mine...)
	}
	return out
}

// mutation is one invalid variant of a valid object.
type mutation struct {
	value map[string]any
	what  string
}

// mutations makes invalid variants of the valid object obj of schema s:
// at most one of each kind per field, fields in name order. For a form,
// only the kinds a form can carry (text where a number or a boolean is
// wanted, not a number where a string is).
func mutations(s *openapi3.Schema, obj map[string]any, form bool) []mutation {
	fields := model.ObjectOf(s)
	with := func(k string, v any) map[string]any {
		m := maps.Clone(obj)
		m[k] = v
		return m
	}
	var out []mutation
	for _, k := range fields.Names() {
		if fields.IsRequired(k) {
			m := maps.Clone(obj)
			delete(m, k)
			out = append(out, mutation{m, fmt.Sprintf("%s missing (required)", k)})
		}
	}
	if !form && s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
		out = append(out, mutation{with("standinUndeclared", 1), "an undeclared field standinUndeclared (additionalProperties: false)"})
	}
	for _, k := range fields.Names() {
		p := fields.Property(k)
		if p == nil || p.ReadOnly {
			continue
		}
		switch {
		case p.Type.Is("integer"), p.Type.Is("number"):
			out = append(out, mutation{with(k, "not-a-number"), fmt.Sprintf("%s not a number", k)})
		case p.Type.Is("boolean"):
			out = append(out, mutation{with(k, "maybe"), fmt.Sprintf("%s not a boolean", k)})
		case p.Type.Is("string") && !form:
			out = append(out, mutation{with(k, 12345), fmt.Sprintf("%s a number where a string is wanted", k)})
		case p.Type.Is("array") && !form:
			out = append(out, mutation{with(k, "standin"), fmt.Sprintf("%s not an array", k)})
		case model.IsObject(p) && !form:
			out = append(out, mutation{with(k, 7), fmt.Sprintf("%s not an object", k)})
		}
		if len(p.Enum) > 0 && p.Type.Is("string") {
			out = append(out, mutation{with(k, "STANDIN_NOT_A_VALUE"), fmt.Sprintf("%s not a value of its enum", k)})
		}
		if p.MaxLength != nil && *p.MaxLength < maxGenLen {
			out = append(out, mutation{with(k, strings.Repeat("a", int(*p.MaxLength)+1)), fmt.Sprintf("%s longer than its maxLength %d", k, *p.MaxLength)})
		}
		if p.MinLength > 0 && p.MinLength <= maxGenLen {
			out = append(out, mutation{with(k, strings.Repeat("a", int(p.MinLength)-1)), fmt.Sprintf("%s shorter than its minLength %d", k, p.MinLength)})
		}
		if p.Min != nil && (p.Type.Is("integer") || p.Type.Is("number")) {
			out = append(out, mutation{with(k, *p.Min-1), fmt.Sprintf("%s below its minimum %v", k, *p.Min)})
		}
		if p.Max != nil && (p.Type.Is("integer") || p.Type.Is("number")) {
			out = append(out, mutation{with(k, *p.Max+1), fmt.Sprintf("%s above its maximum %v", k, *p.Max)})
		}
	}
	return out
}

// formView is v as a server reading a form would type it: a form field
// is text, which a string field takes whatever it says; numbers and
// booleans are read from the text. For JSON, v itself.
func formView(s *openapi3.Schema, v any, form bool) any {
	obj, ok := v.(map[string]any)
	if !form || !ok {
		return v
	}
	fields := model.ObjectOf(s)
	out := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		x := obj[k]
		if p := fields.Property(k); p != nil && p.Type.Is("string") {
			if _, isText := x.(string); !isText {
				x = formText(x)
			}
		}
		out[k] = x
	}
	return out
}
