package rest

// An error the mock makes from a response schema with no example carries
// what the schema requires and the fields the problem fills (its message,
// status and code), not every optional field the generator can make:
// GitHub's validation error had been answered with
// {"errors": [{"code": "wow", "field": "theirs"}]} beside the message, and
// its basic error with made-up url and documentation_url. An error of the
// document's own example keeps all the example says.

import (
	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
)

// lean is a generated error template with only the properties its
// schema (or an allOf part) requires and those that hold a slot, at any
// depth. An object whose schema chooses among alternatives (oneOf,
// anyOf) or bounds its number of properties is kept whole: leaving a
// property out could make it match another alternative or none.
func lean(v any, s *openapi3.Schema, depth int) any {
	if s == nil || depth > maxDepth {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		parts := contractapi.AllOfParts(s)
		required := map[string]bool{}
		for _, p := range parts {
			if len(p.OneOf) > 0 || len(p.AnyOf) > 0 || p.MinProps > 0 || p.Not != nil {
				return v
			}
			for _, r := range p.Required {
				required[r] = true
			}
		}
		props := schemaProperties(s)
		out := make(map[string]any, len(x))
		for k, w := range x {
			if required[k] || holdsSlot(w) {
				out[k] = lean(w, props[k], depth+1)
			}
		}
		return out
	case []any:
		if s.Items == nil {
			return v
		}
		out := make([]any, len(x))
		for i, w := range x {
			out[i] = lean(w, s.Items.Value, depth+1)
		}
		return out
	}
	return v
}

// holdsSlot reports whether a template value is or holds a slot.
func holdsSlot(v any) bool {
	switch x := v.(type) {
	case errSlot:
		return true
	case map[string]any:
		for _, w := range x {
			if holdsSlot(w) {
				return true
			}
		}
	case []any:
		for _, w := range x {
			if holdsSlot(w) {
				return true
			}
		}
	}
	return false
}
