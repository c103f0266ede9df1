package model

import (
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// Object is an object schema as the checks read it: its properties and
// required fields with every allOf branch merged in, so a record declared
// as allOf: [Base, {properties: ...}] has the fields of both.
type Object struct {
	Properties map[string]*openapi3.SchemaRef
	Required   []string
}

// ObjectOf merges s and its allOf branches (recursively); a schema that
// declares no property gives an empty Object.
func ObjectOf(s *openapi3.Schema) Object {
	o := Object{Properties: map[string]*openapi3.SchemaRef{}}
	var merge func(s *openapi3.Schema, depth int)
	merge = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 8 {
			return
		}
		for k, v := range s.Properties {
			if _, ok := o.Properties[k]; !ok {
				o.Properties[k] = v
			}
		}
		for _, r := range s.Required {
			if !slices.Contains(o.Required, r) {
				o.Required = append(o.Required, r)
			}
		}
		for _, b := range s.AllOf {
			if b != nil {
				merge(b.Value, depth+1)
			}
		}
	}
	merge(s, 0)
	return o
}

// Has reports whether the object has the property.
func (o Object) Has(name string) bool { return o.Properties[name] != nil }

// Property is the schema of a property (nil when the object has none of
// that name).
func (o Object) Property(name string) *openapi3.Schema {
	if p := o.Properties[name]; p != nil {
		return p.Value
	}
	return nil
}

// IsRequired reports whether the property is required.
func (o Object) IsRequired(name string) bool { return slices.Contains(o.Required, name) }

// Names lists the property names, sorted.
func (o Object) Names() []string { return slices.Sorted(maps.Keys(o.Properties)) }

// IsObject reports whether a schema describes JSON objects: typed object,
// or untyped with properties or allOf branches that do.
func IsObject(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if s.Type.Is("object") {
		return true
	}
	if s.Type != nil && len(*s.Type) > 0 {
		return false
	}
	if len(s.Properties) > 0 {
		return true
	}
	for _, b := range s.AllOf {
		if b != nil && IsObject(b.Value) {
			return true
		}
	}
	return false
}

// uniqueKeyNames are record fields that name one record when no id field
// does, in order of preference.
var uniqueKeyNames = []string{"slug", "key", "code", "handle", "username", "login", "sku", "isbn"}

// ParamField is the field of a record that a path parameter names: the
// parameter itself (slug, client_id), the word after its resource prefix
// (petId: id, pet_slug: slug, companyUuid: uuid), or id and uuid for a
// parameter named like an id; "" when the record has none of them.
func ParamField(param string, rec Object) string {
	for _, c := range ParamFields(param) {
		if rec.Has(c) {
			return c
		}
	}
	return ""
}

// ParamFields lists the record fields a path parameter may name, best
// first: itself, the word after its resource prefix, and IDFields.
func ParamFields(param string) []string {
	out := []string{param}
	if last := lastWord(param); last != "" && last != param {
		out = append(out, last)
	}
	for _, c := range IDFields(param) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// lastWord is the last word of a camelCase or snake_case name, lower
// case: petId → id, pet_slug → slug, companyUUID → uuid.
func lastWord(name string) string {
	if i := strings.LastIndexAny(name, "_-"); i >= 0 {
		return strings.ToLower(name[i+1:])
	}
	runes := []rune(name)
	i := len(runes) - 1
	for i > 0 && unicode.IsUpper(runes[i]) && unicode.IsUpper(runes[i-1]) {
		i-- // an acronym at the end: UUID
	}
	for i > 0 && !unicode.IsUpper(runes[i]) {
		i--
	}
	if i == 0 {
		return ""
	}
	return strings.ToLower(string(runes[i:]))
}
