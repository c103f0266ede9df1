package schemagen

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// Ends reports whether a finite value of the schema exists: false for a
// required, non-nullable reference back to itself (directly, or through
// other schemas) with no way out (no alternative that ends, no empty
// array allowed on the way).
//
// It is the least fixed point over the schemas reachable from s: every
// schema starts as "cannot end" and turns "can end" when its keywords let
// it, until nothing changes; results are kept for the next question.
func (g *Generator) Ends(s *openapi3.Schema) bool {
	if s == nil {
		return true
	}
	if v, ok := g.ends[s]; ok {
		return v
	}
	// the schemas reachable from s not decided yet
	var todo []*openapi3.Schema
	seen := map[*openapi3.Schema]bool{}
	stack := []*openapi3.Schema{s}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == nil || seen[x] {
			continue
		}
		if _, decided := g.ends[x]; decided {
			continue
		}
		seen[x] = true
		todo = append(todo, x)
		stack = append(stack, children(x)...)
	}
	state := make(map[*openapi3.Schema]bool, len(todo))
	ends := func(x *openapi3.Schema) bool {
		if x == nil {
			return true
		}
		if v, ok := g.ends[x]; ok {
			return v
		}
		return state[x]
	}
	for changed := true; changed; {
		changed = false
		for _, x := range todo {
			if !state[x] && endsNow(x, ends) {
				state[x] = true
				changed = true
			}
		}
	}
	for _, x := range todo {
		g.ends[x] = state[x]
	}
	return g.ends[s]
}

// children are the schemas whose ending decides a schema's.
func children(s *openapi3.Schema) []*openapi3.Schema {
	var out []*openapi3.Schema
	add := func(refs ...*openapi3.SchemaRef) {
		for _, r := range refs {
			if r != nil && r.Value != nil {
				out = append(out, r.Value)
			}
		}
	}
	add(s.AllOf...)
	add(s.OneOf...)
	add(s.AnyOf...)
	add(s.PrefixItems...)
	add(s.Items)
	for _, r := range s.Required {
		add(s.Properties[r])
	}
	add(s.AdditionalProperties.Schema)
	return out
}

// endsNow reports whether s can end, given what ends says of the schemas
// below it.
func endsNow(s *openapi3.Schema, ends func(*openapi3.Schema) bool) bool {
	if s.Always != nil || s.Const != nil || len(s.Enum) > 0 || nullable(s) {
		return true
	}
	for _, p := range s.AllOf {
		if p != nil && p.Value != nil && !ends(p.Value) {
			return false
		}
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) == 0 {
			continue
		}
		ok := false
		for _, a := range alts {
			if a == nil || a.Value == nil || ends(a.Value) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	switch typeOf(s) {
	case "array":
		for _, p := range s.PrefixItems {
			if p != nil && p.Value != nil && !ends(p.Value) {
				return false
			}
		}
		return s.MinItems == 0 || s.Items == nil || s.Items.Value == nil || ends(s.Items.Value)
	case "object", "":
		for _, r := range s.Required {
			p := s.Properties[r]
			if p == nil {
				p = s.AdditionalProperties.Schema
			}
			if p != nil && p.Value != nil && !ends(p.Value) {
				return false
			}
		}
	}
	return true
}
