package openapi

import (
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
)

// JSONMedia is the JSON content of c: application/json (as Content.Get
// finds it, a key listing it or a range such as application/*), else the
// first media type in name order whose name says json; nil when none.
func JSONMedia(c openapi3.Content) *openapi3.MediaType {
	if mt := c.Get("application/json"); mt != nil {
		return mt
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.Contains(k, "json") {
			return c[k]
		}
	}
	return nil
}

// KeyField is the record field an item path's parameter selects, by the
// conventions: the property named like the parameter; else id, when the
// parameter reads as an id (id, petId, pet_id); else the property the
// parameter names without its id suffix (petId: pet, PetID); else id if
// the schema has one; "" when none.
func KeyField(param string, s *openapi3.Schema) string {
	if _, ok := s.Properties[param]; ok {
		return param
	}
	low := strings.ToLower(param)
	if _, ok := s.Properties["id"]; ok && (low == "id" || strings.HasSuffix(low, "id") || strings.HasSuffix(low, "_id")) {
		return "id"
	}
	for _, cand := range []string{strings.TrimSuffix(strings.TrimSuffix(low, "id"), "_"), strings.TrimSuffix(param, "Id") + "ID"} {
		for name := range s.Properties {
			if strings.EqualFold(name, cand) && cand != "" {
				return name
			}
		}
	}
	if _, ok := s.Properties["id"]; ok {
		return "id"
	}
	return ""
}

// IDLike reports whether a field name reads as an identifier (see
// conventions.IDLike).
func IDLike(field string) bool { return conventions.IDLike(field) }
