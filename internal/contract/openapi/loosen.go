package openapi

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Loosened is the loosest check left for an object whose schema admits no
// value even relaxed (Relaxed, Unsatisfiable): an object of the properties
// its composition declares (the schema and its allOf, oneOf and anyOf
// parts, nested), each held to its own schema (Servable) where that admits
// a value; nothing required, other properties allowed. ShipEngine's
// POST /v1/rates body is closed, requires shipment_id and shipment, and
// declares them in two branches of a oneOf, which no object can match
// both of: a body is still refused when a property it sends has the wrong
// type. The first declaration of a name wins (the schema, then its parts
// in order, depth first). It is nil when the composition declares no
// property (the allOf of a string and an integer is no object).
func Loosened(ref *openapi3.SchemaRef) *openapi3.SchemaRef {
	if ref == nil || ref.Value == nil {
		return nil
	}
	props := openapi3.Schemas{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			p := s.Properties[name]
			if _, taken := props[name]; taken || p == nil || p.Value == nil {
				continue
			}
			served := Servable(p)
			if _, empty := Unsatisfiable(served.Value); empty {
				props[name] = nil // declared, but nothing to hold it to
				continue
			}
			props[name] = served
		}
		for _, parts := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, part := range parts {
				if part != nil {
					walk(part.Value)
				}
			}
		}
	}
	walk(ref.Value)
	if len(props) == 0 {
		return nil
	}
	maps.DeleteFunc(props, func(_ string, p *openapi3.SchemaRef) bool { return p == nil })
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Properties: props}}
}
