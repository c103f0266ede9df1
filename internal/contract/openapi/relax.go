package openapi

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Relaxed is the schema of ref with each object that admits no value only
// because it is closed relaxed to what its author evidently meant.
//
// ShipEngine's address is {type: object, additionalProperties: false,
// required: [name, ...], allOf: [partial_address]}: the properties are
// declared by the part alone, so the closed node refuses the ones it
// requires and no object matches (Unsatisfiable's closed-object rule).
// Where a schema's allOf closure (the schema and its allOf parts, nested)
// requires a property some node of it declares and a closed node of it
// (additionalProperties false, or a schema no value matches, without
// patternProperties) does not list, each closed node of that closure
// admits every property the closure declares, with no schema of its own
// there (the part that declares one checks it), and stays closed to the
// others. Every other keyword (types, enums, required, formats, bounds)
// is kept, and so is every schema that needs no such change.
//
// It is done on copies: the nodes changed and those on the way to them
// (each reached through a reference that keeps the $ref it copies, which
// ends a cycle where a schema is written out, in an error's text)
// (through properties, items, additionalProperties, the parts of allOf,
// anyOf and oneOf, not, prefixItems, patternProperties, if/then/else,
// dependentSchemas, contains); the document's schemas are never changed
// and the others are shared. It reports whether anything was relaxed (ref
// itself is returned when nothing was). A relaxed schema may still admit
// no value (an allOf of a string and an integer, a required property no
// value matches): Unsatisfiable tells.
func Relaxed(ref *openapi3.SchemaRef) (*openapi3.SchemaRef, bool) {
	return relax(ref, false)
}

// RelaxedClosures is Relaxed with every allOf closure lifted whose
// closed node refuses a property another node of it declares, required
// or not. Such a closure admits at most the object with none of those
// properties (ShipEngine's batch: each allOf part is closed to the
// others' fields, so only {} matches); its author evidently meant their
// union. A judge of answers (conform) holds a body to it where the
// schema as written refuses every body a server could mean.
func RelaxedClosures(ref *openapi3.SchemaRef) (*openapi3.SchemaRef, bool) {
	return relax(ref, true)
}

// relax is Relaxed (optional false) or RelaxedClosures (true).
func relax(ref *openapi3.SchemaRef, optional bool) (*openapi3.SchemaRef, bool) {
	if ref == nil || ref.Value == nil {
		return ref, false
	}
	x := &relaxer{tops: map[*openapi3.Schema]*openapi3.Schema{}, lifts: map[*openapi3.Schema]bool{}, optional: optional}
	if !x.mark(ref.Value) {
		return ref, false
	}
	return &openapi3.SchemaRef{Ref: ref.Ref, Value: x.top(ref.Value)}, true
}

// Servable is the schema answers and records are made and held to: ref
// itself when a value matches it (or Unsatisfiable cannot tell), else its
// relaxed copy (Relaxed). A schema some value matches is served as
// written: an optional part no value matches is left out (ShipEngine's
// list of warehouses, whose addresses are closed objects that refuse
// their own parts' fields, answers warehouses without addresses); one no
// value matches is served as its author meant (the warehouse itself,
// whose addresses are required).
func Servable(ref *openapi3.SchemaRef) *openapi3.SchemaRef {
	if ref == nil || ref.Value == nil {
		return ref
	}
	if _, empty := Unsatisfiable(ref.Value); !empty {
		return ref
	}
	relaxed, _ := Relaxed(ref)
	return relaxed
}

// relaxer makes one relaxed copy: which schemas are copied (needs), which
// closures are lifted (lifts), and the copies made (tops).
type relaxer struct {
	r     *Satisfiability // for additionalProperties schemas, made on first use
	needs map[*openapi3.Schema]bool
	lifts map[*openapi3.Schema]bool
	tops  map[*openapi3.Schema]*openapi3.Schema
	// optional lifts a closure for any property a closed node refuses
	// and another declares, not only a required one (RelaxedClosures)
	optional bool
}

// mark finds the schemas under s whose closure is lifted and marks them
// and every schema on the way to one as needing a copy; it reports
// whether s needs one.
func (x *relaxer) mark(s *openapi3.Schema) bool {
	var nodes []*openapi3.Schema
	parents := map[*openapi3.Schema][]*openapi3.Schema{}
	seen := map[*openapi3.Schema]bool{s: true}
	for stack := []*openapi3.Schema{s}; len(stack) > 0; {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nodes = append(nodes, n)
		eachChild(n, func(c *openapi3.Schema) {
			parents[c] = append(parents[c], n)
			if !seen[c] {
				seen[c] = true
				stack = append(stack, c)
			}
		})
	}
	x.needs = map[*openapi3.Schema]bool{}
	var work []*openapi3.Schema
	for _, n := range nodes {
		if x.liftable(n) {
			x.lifts[n] = true
			x.needs[n] = true
			work = append(work, n)
		}
	}
	for len(work) > 0 {
		n := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range parents[n] {
			if !x.needs[p] {
				x.needs[p] = true
				work = append(work, p)
			}
		}
	}
	return x.needs[s]
}

// eachChild calls f with each schema s is made of (the keywords Relaxed
// copies through), $refs followed.
func eachChild(s *openapi3.Schema, f func(*openapi3.Schema)) {
	one := func(r *openapi3.SchemaRef) {
		if r != nil && r.Value != nil {
			f(r.Value)
		}
	}
	many := func(rs openapi3.SchemaRefs) {
		for _, r := range rs {
			one(r)
		}
	}
	named := func(m openapi3.Schemas) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			one(m[k])
		}
	}
	named(s.Properties)
	one(s.Items)
	one(s.AdditionalProperties.Schema)
	many(s.AllOf)
	many(s.AnyOf)
	many(s.OneOf)
	one(s.Not)
	many(s.PrefixItems)
	named(s.PatternProperties)
	one(s.If)
	one(s.Then)
	one(s.Else)
	named(s.DependentSchemas)
	one(s.Contains)
}

// closed reports whether a node refuses every property it does not list:
// additionalProperties false, or a schema no value matches, and no
// patternProperties.
func (x *relaxer) closed(n *openapi3.Schema) bool {
	if len(n.PatternProperties) > 0 {
		return false
	}
	ap := n.AdditionalProperties
	if ap.Has != nil && !*ap.Has {
		return true
	}
	if ap.Schema == nil || ap.Schema.Value == nil {
		return false
	}
	if x.r == nil {
		x.r = NewSatisfiability()
	}
	return x.r.Empty(ap.Schema.Value)
}

// liftable reports whether s's allOf closure requires a property that a
// node of it declares and a closed node of it refuses (with optional:
// has a property a node declares and a closed node refuses).
func (x *relaxer) liftable(s *openapi3.Schema) bool {
	nodes, _ := AllOfPlaces(s)
	if len(nodes) < 2 {
		return false // a closed schema alone lists what it admits
	}
	for _, n := range nodes {
		names := n.Required
		if x.optional {
			names = slices.Sorted(maps.Keys(n.Properties))
		}
		for _, name := range names {
			if !declares(nodes, name) {
				continue
			}
			for _, c := range nodes {
				if c.Properties[name] == nil && x.closed(c) {
					return true
				}
			}
		}
	}
	return false
}

// declares reports whether a node of nodes lists property name.
func declares(nodes []*openapi3.Schema, name string) bool {
	for _, n := range nodes {
		if n.Properties[name] != nil {
			return true
		}
	}
	return false
}

// top is the relaxed copy of s read on its own (not as an allOf part of
// another), s itself when nothing under it changes.
func (x *relaxer) top(s *openapi3.Schema) *openapi3.Schema {
	if s == nil || !x.needs[s] {
		return s
	}
	if c, ok := x.tops[s]; ok {
		return c
	}
	c := new(openapi3.Schema)
	x.tops[s] = c
	var names []string
	if x.lifts[s] {
		nodes, _ := AllOfPlaces(s)
		for _, n := range nodes {
			for _, k := range slices.Sorted(maps.Keys(n.Properties)) {
				if !slices.Contains(names, k) {
					names = append(names, k)
				}
			}
		}
	}
	x.fill(c, s, names, map[*openapi3.Schema]*openapi3.Schema{s: c})
	return c
}

// part is the copy of an allOf part of a lifted closure, which admits
// names when it is closed (copied once per closure: made).
func (x *relaxer) part(s *openapi3.Schema, names []string, made map[*openapi3.Schema]*openapi3.Schema) *openapi3.Schema {
	if c, ok := made[s]; ok {
		return c
	}
	c := new(openapi3.Schema)
	made[s] = c
	x.fill(c, s, names, made)
	return c
}

// fill makes c the copy of s: names (those of a lifted closure, nil for
// none) listed when s is closed, its allOf parts copied in the same
// closure, its other schemas relaxed on their own.
func (x *relaxer) fill(c, s *openapi3.Schema, names []string, made map[*openapi3.Schema]*openapi3.Schema) {
	*c = *s
	ref := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil || r.Value == nil {
			return r
		}
		v := x.top(r.Value)
		if v == r.Value {
			return r
		}
		return &openapi3.SchemaRef{Ref: r.Ref, Value: v}
	}
	refs := func(rs openapi3.SchemaRefs, each func(*openapi3.SchemaRef) *openapi3.SchemaRef) openapi3.SchemaRefs {
		if rs == nil {
			return nil
		}
		out := make(openapi3.SchemaRefs, len(rs))
		for i, r := range rs {
			out[i] = each(r)
		}
		return out
	}
	named := func(m openapi3.Schemas) openapi3.Schemas {
		if m == nil {
			return nil
		}
		out := make(openapi3.Schemas, len(m))
		for k, r := range m {
			out[k] = ref(r)
		}
		return out
	}
	c.Properties = named(s.Properties)
	if names != nil && x.closed(s) {
		for _, k := range names {
			if c.Properties[k] == nil {
				if c.Properties == nil {
					c.Properties = openapi3.Schemas{}
				}
				// any value, null too (OpenAPI 3.0 reads {} as refusing
				// null): the part that declares the field checks it
				c.Properties[k] = &openapi3.SchemaRef{Value: &openapi3.Schema{Nullable: true}}
			}
		}
	}
	c.Items = ref(s.Items)
	c.AdditionalProperties.Schema = ref(s.AdditionalProperties.Schema)
	if names != nil {
		c.AllOf = refs(s.AllOf, func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
			if r == nil || r.Value == nil {
				return r
			}
			return &openapi3.SchemaRef{Ref: r.Ref, Value: x.part(r.Value, names, made)}
		})
	} else {
		c.AllOf = refs(s.AllOf, ref)
	}
	c.AnyOf = refs(s.AnyOf, ref)
	c.OneOf = refs(s.OneOf, ref)
	c.Not = ref(s.Not)
	c.PrefixItems = refs(s.PrefixItems, ref)
	c.PatternProperties = named(s.PatternProperties)
	c.If, c.Then, c.Else = ref(s.If), ref(s.Then), ref(s.Else)
	c.DependentSchemas = named(s.DependentSchemas)
	c.Contains = ref(s.Contains)
}
