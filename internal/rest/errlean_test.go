package rest

import (
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestLean: a generated error keeps what its schema (or an allOf part)
// requires and what holds a slot, at any depth; an object whose schema
// chooses among alternatives or bounds its properties is kept whole.
func TestLean(t *testing.T) {
	str := &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}
	obj := func(required []string, props map[string]*openapi3.SchemaRef) *openapi3.Schema {
		s := &openapi3.Schema{Type: &openapi3.Types{"object"}, Required: required, Properties: openapi3.Schemas{}}
		for k, v := range props {
			s.Properties[k] = v
		}
		return s
	}
	msg := errSlot{what: "message"}
	item := obj([]string{"code"}, map[string]*openapi3.SchemaRef{"code": str, "field": str})
	errs := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: &openapi3.SchemaRef{Value: item}}}
	inner := obj(nil, map[string]*openapi3.SchemaRef{"message": str, "hint": str})
	withAllOf := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: obj([]string{"kind"}, map[string]*openapi3.SchemaRef{"kind": str})}},
		Properties: openapi3.Schemas{"message": str, "url": str}}
	choosing := obj(nil, map[string]*openapi3.SchemaRef{"a": str, "b": str})
	choosing.OneOf = openapi3.SchemaRefs{{Value: obj([]string{"a"}, nil)}, {Value: obj([]string{"b"}, nil)}}
	bounded := obj(nil, map[string]*openapi3.SchemaRef{"message": str, "url": str})
	bounded.MinProps = 2
	for _, c := range []struct {
		name string
		s    *openapi3.Schema
		in   any
		want any
	}{
		{"optional fields left out, required kept", obj([]string{"documentation_url"}, map[string]*openapi3.SchemaRef{"message": str, "documentation_url": str, "errors": errs}),
			map[string]any{"message": msg, "documentation_url": "u", "errors": []any{map[string]any{"code": "c", "field": "f"}}},
			map[string]any{"message": msg, "documentation_url": "u"}},
		{"an optional object holding the slot kept, its other fields not", obj(nil, map[string]*openapi3.SchemaRef{"error": {Value: inner}, "trace": str}),
			map[string]any{"error": map[string]any{"message": msg, "hint": "h"}, "trace": "t"},
			map[string]any{"error": map[string]any{"message": msg}}},
		{"an array of errors holding the slot: its items leaned", obj(nil, map[string]*openapi3.SchemaRef{"errors": errs}),
			map[string]any{"errors": []any{map[string]any{"code": errSlot{what: "code"}, "field": "f"}}},
			map[string]any{"errors": []any{map[string]any{"code": errSlot{what: "code"}}}}},
		{"an allOf part's required field kept", withAllOf,
			map[string]any{"message": msg, "url": "u", "kind": "k"},
			map[string]any{"message": msg, "kind": "k"}},
		{"a oneOf: whole", choosing, map[string]any{"a": "x", "b": "y"}, map[string]any{"a": "x", "b": "y"}},
		{"minProperties: whole", bounded, map[string]any{"message": msg, "url": "u"}, map[string]any{"message": msg, "url": "u"}},
		{"no schema: whole", nil, map[string]any{"x": "y"}, map[string]any{"x": "y"}},
	} {
		if got := lean(c.in, c.s, 0); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
