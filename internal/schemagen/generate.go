// Package schemagen makes JSON values that satisfy OpenAPI schemas (as
// kin-openapi reads them): the answers of operations no collection serves,
// and the shallowest valid value of a field where generated records must
// stop (a recursive schema).
//
// A value follows every keyword a value can be made from: const, a valid
// example or default, enum, allOf (merged), oneOf and anyOf (an
// alternative the whole schema accepts; with a discriminator, mapped or
// implicit by schema name, the property set to the branch chosen; open
// oneOf branches that all match a value told apart by a property only
// another branch declares, set to another type), 3.0
// nullable and 3.1 type arrays, formats (date, date-time, time, email,
// uri, uuid, hostname, ipv4, ipv6, byte, int32), bounds and multipleOf,
// lengths, patterns, minItems/maxItems/uniqueItems, required,
// additionalProperties and min/maxProperties; answers leave writeOnly
// properties out, requests readOnly ones. A schema no value matches
// (contractapi.Unsatisfiable: ShipEngine's closed link that requires a
// property only its part declares) is never filled: an optional property
// of it is left out, an alternative of it never chosen, an array of it
// left empty, and a nullable one whose other values are all refused is
// null. Strings without a format take a realistic value by their field's
// name (names.go): e-mails, names, URLs, dates, a small vocabulary for
// state, status and type.
//
// Values are deterministic: the same schema, field path and seed give the
// same value.
//
// Recursion is bounded. A schema is expanded at most RecursionBound times
// on one path (a tree node and one level of its children); past it, and
// below MaxDepth levels of nesting, a value is the shallowest valid one:
// null where allowed, an empty array where allowed, an object of its
// required properties only, an alternative that can end. A schema that can
// never end (a required, non-nullable reference back to itself, directly or
// through others) is cut after UnendingBound expansions with an empty
// object; Unending names such schemas so start-up can warn.
package schemagen

import (
	"encoding/json"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
)

// The bounds of generation.
const (
	// RecursionBound is how many times a schema is expanded on one path
	// before its values turn shallowest: 2 is a node and one level of
	// itself (a comment, its replies, and theirs empty).
	RecursionBound = 2
	// UnendingBound cuts a schema that can never end after this many
	// expansions on one path.
	UnendingBound = 4
	// MaxDepth is the nesting depth past which values are shallowest.
	MaxDepth = 12
	// OptionalDepth is the nesting depth down to which optional
	// properties are filled.
	OptionalDepth = 4
)

// Options tune a Generator.
type Options struct {
	// Seed varies the values (same seed, same values).
	Seed uint64
	// Request makes values for requests: readOnly properties left out.
	// Answers (the default) leave writeOnly properties out.
	Request bool
	// Validate are the options the alternatives of a oneOf or anyOf and
	// examples are checked with (3.1 documents: openapi3.EnableJSONSchema2020()).
	Validate []openapi3.SchemaValidationOption
	// Optional fills optional properties down to OptionalDepth (else
	// only required ones).
	Optional bool
}

// Generator makes values. It keeps what it learnt about schemas (which can
// end, which examples are valid), so one Generator serves a whole
// document. It is not safe for concurrent use.
type Generator struct {
	opts     Options
	ends     map[*openapi3.Schema]bool
	valid    map[*openapi3.Schema]int8 // example/default validity: 1 ok, -1 not
	unending map[string]bool
	// sat knows the schemas no value matches, or null only
	// (contractapi.Unsatisfiable), read once each
	sat *contractapi.Satisfiability
}

// New returns a Generator.
func New(opts Options) *Generator {
	return &Generator{opts: opts, ends: map[*openapi3.Schema]bool{}, valid: map[*openapi3.Schema]int8{}, unending: map[string]bool{},
		sat: contractapi.NewSatisfiability()}
}

// empty reports whether no value matches the schema at ref, as far as
// contractapi.Unsatisfiable can tell (false for a missing schema).
func (g *Generator) empty(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && g.sat.Empty(ref.Value)
}

// walk is the state of one value being made.
type walk struct {
	g     *Generator
	stack map[*openapi3.Schema]int
	path  []string
	// full > 0 fills optional properties at any depth (an alternative
	// told apart from others by them)
	full int
}

// Value makes a value for ref. name is the field it is for ("" at the
// top), a hint for realistic strings and numbers.
func (g *Generator) Value(ref *openapi3.SchemaRef, name string) any {
	w := &walk{g: g, stack: map[*openapi3.Schema]int{}}
	return w.gen(ref, name, "", 0, 0, false)
}

// Shallowest is the shallowest valid value of a schema (the value of a
// recursive field where generation stops), and whether the schema can end
// at all.
func (g *Generator) Shallowest(ref *openapi3.SchemaRef, name string) (any, bool) {
	w := &walk{g: g, stack: map[*openapi3.Schema]int{}}
	ok := ref == nil || ref.Value == nil || g.Ends(ref.Value)
	return w.gen(ref, name, "", 0, 0, true), ok
}

// Unending lists the schemas cut at UnendingBound so far (their $ref, or
// the path to them), sorted.
func (g *Generator) Unending() []string {
	out := make([]string, 0, len(g.unending))
	for k := range g.unending {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// faker is a source of realistic values for one place of one value.
func (w *walk) faker(name string, variant int) *gofakeit.Faker {
	h := fnv.New64a()
	for _, p := range w.path {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	h.Write([]byte(name))
	seed := h.Sum64() ^ w.g.opts.Seed*0x9e3779b97f4a7c15 ^ uint64(variant+1)*0xbf58476d1ce4e5b9
	return gofakeit.NewFaker(rand.NewPCG(seed, seed^0x5851f42d4c957f2d), false)
}

// gen makes a value for ref: name is the field, col the object holding it
// (plural, a hint for names), variant varies it (array items), closing
// asks for the shallowest value.
func (w *walk) gen(ref *openapi3.SchemaRef, name, col string, depth, variant int, closing bool) any {
	if ref == nil || ref.Value == nil {
		return map[string]any{}
	}
	s := ref.Value
	if s.Always != nil {
		if *s.Always {
			return map[string]any{}
		}
		return nil
	}
	n := w.stack[s]
	if n >= UnendingBound {
		where := ref.Ref
		if where == "" {
			where = strings.Join(w.path, ".")
		}
		w.g.unending[where] = true
		return emptyOf(s)
	}
	if n+1 >= RecursionBound && n > 0 || depth >= MaxDepth {
		closing = true
	}
	w.stack[s]++
	w.path = append(w.path, name)
	defer func() {
		w.stack[s]--
		w.path = w.path[:len(w.path)-1]
	}()

	if s.Const != nil {
		return s.Const
	}
	if closing && nullable(s) || w.g.sat.NullOnly(s) {
		return nil // null is the shallowest value, or the only one
	}
	if !closing {
		if s.Example != nil && w.g.usable(s, s.Example) {
			return s.Example
		}
		if len(s.Examples) > 0 && s.Examples[0] != nil && w.g.usable(s, s.Examples[0]) {
			return s.Examples[0]
		}
	}
	if s.Default != nil && scalarValue(s.Default) && w.g.usable(s, s.Default) {
		return s.Default
	}
	if len(s.Enum) > 0 {
		for i := range s.Enum {
			if v := s.Enum[(i+variant)%len(s.Enum)]; v != nil {
				return v
			}
		}
		return nil
	}
	if len(s.AllOf) > 0 {
		return w.allOf(ref, name, col, depth, variant, closing)
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			return w.alternatives(ref, alts, name, col, depth, variant, closing)
		}
	}
	switch typeOf(s) {
	case "object":
		return w.object(ref, []*openapi3.Schema{s}, name, depth, variant, closing)
	case "array":
		return w.array(s, name, depth, variant, closing)
	case "string":
		return w.str(s, name, col, variant)
	case "integer":
		return w.number(s, name, variant, true)
	case "number":
		return w.number(s, name, variant, false)
	case "boolean":
		return variant%2 == 0
	case "null":
		return nil
	}
	return map[string]any{}
}

// usable reports whether an example or default validates against its
// schema (checked once per schema).
func (g *Generator) usable(s *openapi3.Schema, v any) bool {
	if st, ok := g.valid[s]; ok {
		return st > 0
	}
	ok := s.VisitJSON(normalize(v), g.opts.Validate...) == nil
	if ok {
		g.valid[s] = 1
	} else {
		g.valid[s] = -1
	}
	return ok
}

// normalize turns a YAML-read value into JSON values (numbers float64).
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any, []any, string, bool, float64, nil:
		if m, ok := x.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = normalize(e)
			}
			return out
		}
		if l, ok := x.([]any); ok {
			out := make([]any, len(l))
			for i, e := range l {
				out[i] = normalize(e)
			}
			return out
		}
		return x
	}
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return v
	}
	return out
}

func scalarValue(v any) bool {
	switch v.(type) {
	case map[string]any, []any, map[any]any:
		return false
	}
	return true
}

func nullable(s *openapi3.Schema) bool {
	return s.Nullable || s.Type != nil && s.Type.IncludesNull()
}

// typeOf is the schema's first type other than null, or the one its
// keywords imply ("" for none).
func typeOf(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != "null" {
				return t
			}
		}
		if s.Type.IncludesNull() {
			return "null"
		}
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || len(s.Required) > 0:
		return "object"
	case s.Items != nil || len(s.PrefixItems) > 0:
		return "array"
	case s.Nullable:
		return "null"
	case s.Pattern != "" || s.MinLength > 0 || s.MaxLength != nil || s.Format == "date-time" || s.Format == "date" || s.Format == "email" || s.Format == "uuid":
		return "string"
	case s.Min != nil || s.Max != nil || s.MultipleOf != nil:
		return "number"
	}
	return ""
}

// leaf reports whether a schema's values are scalars or null (no
// properties, items or alternatives to go down into).
func leaf(s *openapi3.Schema) bool {
	if len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
		return false
	}
	switch typeOf(s) {
	case "object", "array", "":
		return len(s.Enum) > 0 || s.Const != nil
	}
	return true
}

// emptyOf is the value of a schema cut short: an empty value of its type.
func emptyOf(s *openapi3.Schema) any {
	if nullable(s) {
		return nil
	}
	switch typeOf(s) {
	case "array":
		return []any{}
	case "string":
		return ""
	case "integer", "number":
		return 0.0
	case "boolean":
		return false
	}
	return map[string]any{}
}

// check reports whether a value validates against a schema.
func (w *walk) check(s *openapi3.Schema, v any) bool {
	return s.VisitJSON(v, w.g.opts.Validate...) == nil
}

// allOf merges the parts: the object of every part's properties and
// required fields, or the first part's value when the parts are not
// objects.
func (w *walk) allOf(ref *openapi3.SchemaRef, name, col string, depth, variant int, closing bool) any {
	s := ref.Value
	parts := contractapi.AllOfParts(s)
	objects := false
	for _, p := range parts {
		if typeOf(p) == "object" || len(p.Properties) > 0 {
			objects = true
		}
	}
	if !objects {
		for _, p := range s.AllOf {
			if p != nil && p.Value != nil && (len(p.Value.AllOf) > 0 || typeOf(p.Value) != "") {
				v := w.gen(p, name, col, depth+1, variant, closing)
				if w.check(s, v) {
					return v
				}
			}
		}
		if len(s.AllOf) > 0 {
			return w.gen(s.AllOf[0], name, col, depth+1, variant, closing)
		}
	}
	out := w.object(ref, parts, name, depth, variant, closing)
	// alternatives inside a part (allOf: [Base, {oneOf: …}]): one of them
	for _, p := range parts {
		for _, alts := range []openapi3.SchemaRefs{p.OneOf, p.AnyOf} {
			if len(alts) == 0 {
				continue
			}
			if m, ok := w.alternatives(&openapi3.SchemaRef{Value: p}, alts, name, col, depth, variant, closing).(map[string]any); ok {
				for k, v := range m {
					if _, set := out[k]; !set {
						out[k] = v
					}
				}
			}
		}
	}
	return out
}

// Branch is one alternative of a oneOf/anyOf and the discriminator value
// that names it.
type Branch struct {
	Ref   *openapi3.SchemaRef
	Value string // "" without a discriminator
}

// Branches lists the alternatives with their discriminator values (the
// explicit mapping, else the schema's name); prop is the discriminator's
// property, "" without one. A discriminator on the schema counts, else one
// on a base every alternative extends (allOf).
func Branches(s *openapi3.Schema, alts openapi3.SchemaRefs) (prop string, out []Branch) {
	d := s.Discriminator
	if d == nil {
		// the implicit form: each alternative's allOf holds a base with
		// the discriminator
		for _, a := range alts {
			if a == nil || a.Value == nil {
				continue
			}
			for _, p := range contractapi.AllOfParts(a.Value) {
				if p.Discriminator != nil && p.Discriminator.PropertyName != "" {
					d = p.Discriminator
					break
				}
			}
			if d != nil {
				break
			}
		}
	}
	for _, a := range alts {
		b := Branch{Ref: a}
		if d != nil && a != nil {
			b.Value = MappingValue(d, a.Ref)
		}
		out = append(out, b)
	}
	if d == nil {
		return "", out
	}
	return d.PropertyName, out
}

// MappingValue is the discriminator value of the schema at ref: the
// mapping's key that names it, else the schema's name.
func MappingValue(d *openapi3.Discriminator, ref string) string {
	if ref == "" {
		return ""
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	keys := make([]string, 0, len(d.Mapping))
	for k := range d.Mapping {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if m := d.Mapping[k].Ref; m == ref || m == name || strings.HasSuffix(m, "/"+name) {
			return k
		}
	}
	return name
}

// alternatives makes a value of one alternative the whole schema accepts
// (for oneOf: exactly one), the discriminator set to its value.
func (w *walk) alternatives(ref *openapi3.SchemaRef, alts openapi3.SchemaRefs, name, col string, depth, variant int, closing bool) any {
	s := ref.Value
	prop, branches := Branches(s, alts)
	// alternatives no value matches are never chosen; when none is left,
	// null if the schema takes it
	if live := slices.DeleteFunc(slices.Clone(branches), func(b Branch) bool { return w.g.empty(b.Ref) }); len(live) > 0 {
		branches = live
	} else if nullable(s) {
		return nil
	}
	order := make([]Branch, 0, len(branches))
	if closing {
		// alternatives that end at once (a scalar, null), then those that
		// can end, then the rest
		rank := func(b Branch) int {
			switch {
			case b.Ref == nil || b.Ref.Value == nil:
				return 0
			case !w.g.Ends(b.Ref.Value):
				return 2
			case leaf(b.Ref.Value):
				return 0
			}
			return 1
		}
		for r := 0; r < 3; r++ {
			for _, b := range branches {
				if rank(b) == r {
					order = append(order, b)
				}
			}
		}
	} else {
		for i := range branches {
			order = append(order, branches[(i+variant)%len(branches)])
		}
	}
	if prop != "" {
		// a discriminator names objects: those branches first
		objects := slices.DeleteFunc(slices.Clone(order), func(b Branch) bool {
			return b.Ref == nil || b.Ref.Value == nil || typeOf(b.Ref.Value) != "object" && len(b.Ref.Value.AllOf) == 0
		})
		for _, b := range order {
			if !slices.ContainsFunc(objects, func(o Branch) bool { return o.Ref == b.Ref }) {
				objects = append(objects, b)
			}
		}
		order = objects
	}
	var first any
	var tried []attempt // the values made, in order, for separate
	for i, b := range order {
		v := w.gen(b.Ref, name, col, depth+1, variant, closing)
		if m, ok := v.(map[string]any); ok {
			if prop != "" && b.Value != "" {
				m[prop] = b.Value
			}
			if len(s.Properties) > 0 {
				for k, x := range w.object(ref, []*openapi3.Schema{s}, name, depth, variant, closing) {
					if _, set := m[k]; !set {
						m[k] = x
					}
				}
			}
		}
		if i == 0 {
			first = v
		}
		if w.check(s, v) {
			return v
		}
		tried = append(tried, attempt{b.Ref, v})
	}
	if !closing {
		// bare values matched several branches, or none: each branch again
		// with every optional property, which tells overlapping branches
		// apart
		w.full++
		for _, b := range order {
			v := w.gen(b.Ref, name, col, depth+1, variant, closing)
			if m, ok := v.(map[string]any); ok && prop != "" && b.Value != "" {
				m[prop] = b.Value
			}
			if w.check(s, v) {
				w.full--
				return v
			}
			tried = append(tried, attempt{b.Ref, v})
		}
		w.full--
		if len(s.OneOf) > 0 {
			// open branches still overlap: a property only another
			// branch declares, set so that it refuses the value
			for _, t := range tried {
				if v, ok := w.separate(s, alts, t, col, depth, variant); ok {
					return v
				}
			}
		}
	}
	if nullable(s) {
		return nil
	}
	return first
}

// attempt is a value made for one alternative that the whole schema
// refused.
type attempt struct {
	branch *openapi3.SchemaRef
	value  any
}

// separate tells apart a oneOf's open branches that a value of one of them
// (t) all match: for each other branch that accepts the value, a property
// that branch declares with a type, which t's branch does not declare and
// leaves open (no additionalProperties: false), is set to a value of
// another type, so that the other branch refuses it and t's still accepts
// it. It returns the value when the whole schema then accepts it (exactly
// one branch); a value that matched no branch, or one other, is left
// alone. Properties are tried scalar-typed first, then by name, and types
// in a fixed order: the same seed gives the same value.
func (w *walk) separate(s *openapi3.Schema, alts openapi3.SchemaRefs, t attempt, col string, depth, variant int) (any, bool) {
	m, ok := t.value.(map[string]any)
	if !ok || t.branch == nil || t.branch.Value == nil {
		return nil, false
	}
	chosen := t.branch.Value
	own := map[string]bool{}
	for _, p := range contractapi.AllOfParts(chosen) {
		if p.AdditionalProperties.Has != nil && !*p.AdditionalProperties.Has {
			return nil, false // closed: no property of another branch fits
		}
		for k := range p.Properties {
			own[k] = true
		}
	}
	if !w.check(chosen, m) {
		return nil, false
	}
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	others := 0
	for _, a := range alts {
		if a == nil || a.Value == nil || a == t.branch || a.Value == chosen || !w.check(a.Value, out) {
			continue
		}
		others++
		w.refuse(a.Value, chosen, own, out, col, depth, variant)
	}
	if others == 0 || !w.check(s, out) {
		return nil, false
	}
	return out, true
}

// refuse sets one property of out that other declares (with a type) and
// chosen does not (own) to a value of a type other does not allow: the
// first that other then refuses and chosen still accepts (out unchanged
// when there is none).
func (w *walk) refuse(other, chosen *openapi3.Schema, own map[string]bool, out map[string]any, col string, depth, variant int) {
	props := map[string]*openapi3.Schema{}
	for _, p := range contractapi.AllOfParts(other) {
		for k, v := range p.Properties {
			if v != nil && v.Value != nil && v.Value.Type != nil && !v.Value.Type.IsEmpty() && !own[k] {
				if _, set := out[k]; !set {
					props[k] = v.Value
				}
			}
		}
	}
	scalar := func(p *openapi3.Schema) bool {
		return !p.Type.Includes(openapi3.TypeObject) && !p.Type.Includes(openapi3.TypeArray)
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if si, sj := scalar(props[names[i]]), scalar(props[names[j]]); si != sj {
			return si
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		p := props[k]
		for _, typ := range []string{openapi3.TypeInteger, openapi3.TypeString, openapi3.TypeBoolean, openapi3.TypeObject, openapi3.TypeArray} {
			if p.Type.Permits(typ) || typ == openapi3.TypeInteger && p.Type.Permits(openapi3.TypeNumber) {
				continue
			}
			out[k] = w.gen(&openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{typ}}}, k, col, depth+1, variant, true)
			if !w.check(other, out) && w.check(chosen, out) {
				return
			}
			delete(out, k)
		}
	}
}

// object makes an object of the properties of parts (a schema, or the
// parts of an allOf): required ones always, optional ones when filling
// and not closing; writeOnly left out of answers, readOnly out of
// requests; the discriminator of a base named after the schema.
func (w *walk) object(ref *openapi3.SchemaRef, parts []*openapi3.Schema, name string, depth, variant int, closing bool) map[string]any {
	props := map[string]*openapi3.SchemaRef{}
	required := map[string]bool{}
	var additional *openapi3.SchemaRef
	noAdditional := false
	minProps, maxProps := uint64(0), uint64(1<<62)
	for _, p := range parts {
		for k, v := range p.Properties {
			if old, ok := props[k]; !ok || weaker(old, v) {
				props[k] = v
			}
		}
		for _, r := range p.Required {
			required[r] = true
		}
		if p.AdditionalProperties.Schema != nil && additional == nil {
			additional = p.AdditionalProperties.Schema
		}
		if p.AdditionalProperties.Has != nil && !*p.AdditionalProperties.Has {
			noAdditional = true
		}
		minProps = max(minProps, p.MinProps)
		if p.MaxProps != nil {
			maxProps = min(maxProps, *p.MaxProps)
		}
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	col := plural(strings.ToLower(name))
	out := map[string]any{}
	skip := func(p *openapi3.SchemaRef) bool {
		if p == nil || p.Value == nil {
			return false
		}
		if w.g.opts.Request {
			return p.Value.ReadOnly
		}
		return p.Value.WriteOnly
	}
	for _, k := range names {
		p := props[k]
		if skip(p) || !required[k] {
			continue
		}
		out[k] = w.gen(p, k, col, depth+1, variant, closing)
	}
	fill := w.g.opts.Optional && !closing && (depth < OptionalDepth || w.full > 0)
	for _, k := range names {
		p := props[k]
		if required[k] || skip(p) || !fill || uint64(len(out)) >= maxProps {
			continue
		}
		if p != nil && p.Value != nil && w.stack[p.Value] > 0 {
			continue // an optional way back into a schema being made
		}
		if w.g.empty(p) {
			continue // no value would do: the property is left out
		}
		out[k] = w.gen(p, k, col, depth+1, variant, closing)
	}
	for r := range required {
		if _, ok := out[r]; ok {
			continue
		}
		if p, declared := props[r]; declared && skip(p) {
			continue
		}
		if additional != nil {
			out[r] = w.gen(additional, r, col, depth+1, variant, closing)
		} else {
			out[r] = w.str(&openapi3.Schema{}, r, col, variant)
		}
	}
	// a map (additionalProperties only), or too few properties
	want := minProps
	if len(props) == 0 && additional != nil && !closing && want == 0 && !w.g.empty(additional) {
		want = 1
	}
	for i := 1; uint64(len(out)) < want && !noAdditional && i < 64; i++ {
		k := "additionalProp" + strconv.Itoa(i)
		if _, taken := out[k]; taken {
			continue
		}
		if additional != nil {
			out[k] = w.gen(additional, k, col, depth+1, variant+i, closing)
		} else {
			out[k] = w.str(&openapi3.Schema{}, k, col, variant+i)
		}
	}
	// the discriminator of a base, when the schema is one of its branches
	if ref != nil && ref.Ref != "" {
		for _, p := range parts {
			if d := p.Discriminator; d != nil && d.PropertyName != "" && p != ref.Value && len(p.OneOf) == 0 && len(p.AnyOf) == 0 {
				if _, declared := props[d.PropertyName]; declared || len(out) > 0 {
					v := MappingValue(d, ref.Ref)
					if ps := props[d.PropertyName]; ps == nil || ps.Value == nil || len(ps.Value.Enum) == 0 || contains(ps.Value.Enum, v) {
						out[d.PropertyName] = v
					}
				}
			}
		}
	}
	return out
}

// weaker reports whether a property's schema says less than another's (an
// allOf part that only restates the property).
func weaker(old, v *openapi3.SchemaRef) bool {
	if v == nil || v.Value == nil {
		return false
	}
	if old == nil || old.Value == nil {
		return true
	}
	score := func(s *openapi3.Schema) int {
		n := 0
		if len(s.Enum) > 0 || s.Const != nil {
			n += 4
		}
		if s.Type != nil && !s.Type.IsEmpty() {
			n += 2
		}
		if s.Format != "" || s.Pattern != "" || len(s.Properties) > 0 || s.Items != nil {
			n++
		}
		return n
	}
	return score(v.Value) >= score(old.Value)
}

func contains(list []any, v any) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// plural is a field name's plural, the collection-like hint of the
// object it names (owner: owners).
func plural(name string) string {
	switch {
	case name == "":
		return ""
	case strings.HasSuffix(name, "s"):
		return name
	case strings.HasSuffix(name, "y") && !strings.HasSuffix(name, "ey"):
		return strings.TrimSuffix(name, "y") + "ies"
	case strings.HasSuffix(name, "ss"), strings.HasSuffix(name, "x"), strings.HasSuffix(name, "ch"):
		return name + "es"
	}
	return name + "s"
}

// array makes an array: max(minItems, 1) items (minItems when closing),
// at most maxItems, distinct when uniqueItems.
func (w *walk) array(s *openapi3.Schema, name string, depth, variant int, closing bool) []any {
	n := int(s.MinItems)
	if n == 0 && !closing && !w.g.empty(s.Items) {
		n = 1 // (an array whose items admit no value can only be empty)
	}
	if s.MaxItems != nil && uint64(n) > *s.MaxItems {
		n = int(*s.MaxItems)
	}
	n = max(n, len(s.PrefixItems))
	out := make([]any, 0, n)
	seen := map[string]bool{}
	item := singular(name)
	for i := 0; len(out) < n && i < n+16; i++ {
		var v any
		if len(out) < len(s.PrefixItems) {
			v = w.gen(s.PrefixItems[len(out)], item, "", depth+1, variant+i, closing)
		} else if s.Items != nil {
			v = w.gen(s.Items, item, "", depth+1, variant+i, closing)
		} else {
			v = w.str(&openapi3.Schema{}, item, "", variant+i)
		}
		if s.UniqueItems {
			key, _ := json.Marshal(v)
			if seen[string(key)] {
				continue
			}
			seen[string(key)] = true
		}
		out = append(out, v)
	}
	return out
}

func singular(name string) string {
	switch {
	case strings.HasSuffix(name, "ies"):
		return strings.TrimSuffix(name, "ies") + "y"
	case strings.HasSuffix(name, "sses"), strings.HasSuffix(name, "xes"):
		return name[:len(name)-2]
	case strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss"):
		return strings.TrimSuffix(name, "s")
	}
	return name
}
