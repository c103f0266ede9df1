package openapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
)

// Unsatisfiable reports whether no JSON value can match schema s, and
// why ("allOf/0 (string) and allOf/1 (integer) have no type in common").
//
// It is conservative: it says so only when it is certain, and false when
// it cannot tell. It reads the types a schema admits: its type (with
// nullable), the intersection of its allOf parts, the union of its anyOf
// and of its oneOf parts (a oneOf admits at most that), through $refs and
// nested parts; the false schema admits nothing. A nullable
// schema, or one whose type lists null, is taken to admit null whatever
// its parts say (kin-openapi's OpenAPI 3.0 validator accepts null there
// before it reads them).
//
// It reads objects too: no object matches a schema when a property
// required by it or by one of its allOf parts (nested) is refused by one of
// them whose additionalProperties is false (or a schema no value matches),
// without patternProperties, and which does not list it in its properties
// (ShipEngine's link requires href, which only the optional_link it extends
// declares), or when such a required property's schema admits no value.
// A required property that one of those schemas declares readOnly or
// writeOnly is not read (kin-openapi does not require it on one side;
// it also excuses one that a schema applied beside it declares so, a
// sibling allOf part or an enclosing anyOf, which an allOf part read on
// its own does not see). A chain of required properties back to itself
// has no finite value but is not reported. Bounds, patterns, enums and the other keywords are not read: a schema
// may admit no value for them and still be reported satisfiable.
func Unsatisfiable(s *openapi3.Schema) (string, bool) {
	return NewSatisfiability().Unsatisfiable(s)
}

// Satisfiability answers Unsatisfiable, Empty and NullOnly for the schemas
// of one document, each read once and kept for the next question. What it
// keeps does not depend on the order of the questions: the kinds of
// values each schema admits are the greatest fixed point of the rules
// over the schemas it reaches, so schemas that refer to each other read
// the same whichever is asked first. It is not safe for concurrent use.
type Satisfiability struct {
	kinds map[*openapi3.Schema]typeSet
}

// NewSatisfiability returns a Satisfiability that has read nothing yet.
func NewSatisfiability() *Satisfiability {
	return &Satisfiability{kinds: map[*openapi3.Schema]typeSet{}}
}

// Unsatisfiable is the package's Unsatisfiable, with what was read kept.
func (r *Satisfiability) Unsatisfiable(s *openapi3.Schema) (string, bool) {
	if r.set(s) != 0 {
		return "", false
	}
	return r.why(s, map[*openapi3.Schema]bool{}), true
}

// Empty reports whether no value can match s: Unsatisfiable without the
// why.
func (r *Satisfiability) Empty(s *openapi3.Schema) bool {
	return r.set(s) == 0
}

// NullOnly reports whether null is the one value s can admit (a nullable
// schema whose other values are all refused, as Unsatisfiable reads
// them).
func (r *Satisfiability) NullOnly(s *openapi3.Schema) bool {
	return r.set(s) == tNull
}

// typeSet is a set of JSON value kinds; a number is an integer or a
// fraction, so that the types integer and number intersect in integer.
type typeSet uint8

const (
	tNull typeSet = 1 << iota
	tBoolean
	tObject
	tArray
	tInteger
	tFraction
	tString

	tNumber = tInteger | tFraction
	tAll    = tNull | tBoolean | tObject | tArray | tNumber | tString
)

// String names the set as the types that declare it ("string or integer").
func (t typeSet) String() string {
	var names []string
	for _, n := range []struct {
		bits typeSet
		name string
	}{{tNull, "null"}, {tBoolean, "boolean"}, {tObject, "object"}, {tArray, "array"}, {tNumber, "number"}, {tInteger, "integer"}, {tString, "string"}} {
		if t&n.bits == n.bits && (n.bits != tInteger || t&tFraction == 0) {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, " or ")
}

// declared is the set a type list names (every type when it names none).
func declared(ts *openapi3.Types) typeSet {
	if ts == nil || len(*ts) == 0 {
		return tAll
	}
	var set typeSet
	for _, t := range *ts {
		switch t {
		case openapi3.TypeNull:
			set |= tNull
		case openapi3.TypeBoolean:
			set |= tBoolean
		case openapi3.TypeObject:
			set |= tObject
		case openapi3.TypeArray:
			set |= tArray
		case openapi3.TypeInteger:
			set |= tInteger
		case openapi3.TypeNumber:
			set |= tNumber
		case openapi3.TypeString:
			set |= tString
		default:
			return tAll // a type the reader does not know: no conclusion
		}
	}
	return set
}

// fixed is the set of a schema that needs no reading: every kind for none
// (a $ref left unresolved) and the true schema, nothing for the false one.
func fixed(s *openapi3.Schema) (typeSet, bool) {
	switch {
	case s == nil:
		return tAll, true
	case s.Always != nil && *s.Always:
		return tAll, true
	case s.Always != nil:
		return 0, true
	}
	return 0, false
}

// known is the set of s when it is fixed or was read before.
func (r *Satisfiability) known(s *openapi3.Schema) (typeSet, bool) {
	if set, ok := fixed(s); ok {
		return set, true
	}
	set, ok := r.kinds[s]
	return set, ok
}

// set is the set of kinds s admits (at most). The first question about a
// schema reads every schema it reaches that was not read yet: each starts
// at every kind and loses the kinds its rules (eval) refuse, given the
// others', until none changes (a greatest fixed point: a kind is refused
// only when no value of it can match).
func (r *Satisfiability) set(s *openapi3.Schema) typeSet {
	if set, ok := r.known(s); ok {
		return set
	}
	var todo []*openapi3.Schema
	state := map[*openapi3.Schema]typeSet{}
	parents := map[*openapi3.Schema][]*openapi3.Schema{}
	stack := []*openapi3.Schema{s}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := r.known(x); ok {
			continue
		}
		if _, seen := state[x]; seen {
			continue
		}
		state[x] = tAll
		todo = append(todo, x)
		// the schemas eval reads, when every one not read yet admits
		// every kind (the most it ever reads)
		r.eval(x, func(d *openapi3.Schema) typeSet {
			if set, ok := r.known(d); ok {
				return set
			}
			parents[d] = append(parents[d], x)
			stack = append(stack, d)
			return tAll
		}, nil)
	}
	get := func(d *openapi3.Schema) typeSet {
		if set, ok := r.known(d); ok {
			return set
		}
		if set, ok := state[d]; ok {
			return set
		}
		return tAll
	}
	queued := make(map[*openapi3.Schema]bool, len(todo))
	work := slices.Clone(todo)
	for _, x := range work {
		queued[x] = true
	}
	for len(work) > 0 {
		x := work[0]
		work = work[1:]
		queued[x] = false
		set, _ := r.eval(x, get, nil)
		if set &= state[x]; set == state[x] {
			continue
		}
		state[x] = set
		for _, p := range parents[x] {
			if !queued[p] {
				queued[p] = true
				work = append(work, p)
			}
		}
	}
	for _, x := range todo {
		r.kinds[x] = state[x]
	}
	return r.kinds[s]
}

// why says why s, read already, admits no value; explaining marks the
// schemas being explained (a schema met again inside its own explanation
// is not explained twice).
func (r *Satisfiability) why(s *openapi3.Schema, explaining map[*openapi3.Schema]bool) string {
	if s != nil && s.Always != nil {
		return "it is the false schema"
	}
	if explaining[s] {
		return "it refers back to itself"
	}
	explaining[s] = true
	defer delete(explaining, s)
	_, why := r.eval(s, func(d *openapi3.Schema) typeSet { set, _ := r.known(d); return set }, explaining)
	return why
}

// eval applies the rules to s: the kinds its keywords admit given get, the
// kinds of the schemas it is made of. With explaining (not nil), it says
// why when it admits none.
func (r *Satisfiability) eval(s *openapi3.Schema, get func(*openapi3.Schema) typeSet, explaining map[*openapi3.Schema]bool) (typeSet, string) {
	set, why := r.own(s, get, explaining)
	if s.Nullable || s.Type.IncludesNull() {
		set, why = set|tNull, ""
	}
	return set, why
}

// own is eval without the schema's null exception.
func (r *Satisfiability) own(s *openapi3.Schema, get func(*openapi3.Schema) typeSet, explaining map[*openapi3.Schema]bool) (typeSet, string) {
	explain := explaining != nil
	set := declared(s.Type)
	var parts []string // the constraints that narrowed the set
	if explain && set != tAll {
		parts = append(parts, "its type ("+set.String()+")")
	}
	for i, p := range s.AllOf {
		if p == nil {
			continue
		}
		at := "allOf/" + strconv.Itoa(i)
		ps := get(p.Value)
		if ps == 0 {
			if !explain {
				return 0, ""
			}
			return 0, at + " admits no value: " + r.why(p.Value, explaining)
		}
		if explain && ps != tAll {
			parts = append(parts, at+" ("+ps.String()+")")
		}
		set &= ps
	}
	for _, kw := range []struct {
		name string
		list openapi3.SchemaRefs
	}{{"anyOf", s.AnyOf}, {"oneOf", s.OneOf}} {
		if len(kw.list) == 0 {
			continue
		}
		var union typeSet
		for _, p := range kw.list {
			if p == nil {
				union = tAll
				continue
			}
			union |= get(p.Value)
		}
		if union == 0 {
			return 0, "no part of its " + kw.name + " admits a value"
		}
		if explain && union != tAll {
			parts = append(parts, kw.name+" ("+union.String()+")")
		}
		set &= union
	}
	if set == 0 {
		if !explain {
			return 0, ""
		}
		if len(parts) < 2 {
			return 0, "no type satisfies it"
		}
		return 0, strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " have no type in common"
	}
	if set&tObject != 0 {
		if refused, why := r.noObject(s, get, explaining); refused {
			set &^= tObject
			if set == 0 {
				return 0, why
			}
		}
	}
	return set, ""
}

// noObject reports whether no object matches s's object keywords (the
// closed-object and required-property rules of Unsatisfiable), and, when
// explaining, why.
func (r *Satisfiability) noObject(s *openapi3.Schema, get func(*openapi3.Schema) typeSet, explaining map[*openapi3.Schema]bool) (bool, string) {
	nodes, places := AllOfPlaces(s)
	var required []string
	excused := map[string]bool{}
	for _, n := range nodes {
		for _, name := range n.Required {
			if !slices.Contains(required, name) {
				required = append(required, name)
			}
		}
		for name, p := range n.Properties {
			if p != nil && p.Value != nil && (p.Value.ReadOnly || p.Value.WriteOnly) {
				excused[name] = true
			}
		}
	}
	for _, name := range required {
		if excused[name] {
			continue
		}
		for i, n := range nodes {
			if p := n.Properties[name]; p != nil {
				if p.Value != nil && get(p.Value) == 0 {
					if explaining == nil {
						return true, ""
					}
					at := "properties/" + jsonptr.Token(name)
					if places[i] != "" {
						at = places[i] + "/" + at
					}
					return true, "it requires " + strconv.Quote(name) + ", and " + at + " admits no value: " + r.why(p.Value, explaining)
				}
				continue
			}
			if len(n.PatternProperties) > 0 {
				continue
			}
			ap := n.AdditionalProperties
			closed := ap.Has != nil && !*ap.Has
			if !closed && (ap.Schema == nil || ap.Schema.Value == nil || get(ap.Schema.Value) != 0) {
				continue
			}
			if explaining == nil {
				return true, ""
			}
			refusal := "additionalProperties: false"
			if !closed {
				refusal = "additionalProperties (a schema no value matches)"
			}
			if places[i] == "" {
				return true, "it requires " + strconv.Quote(name) + ", which its " + refusal + " refuses (not among its properties)"
			}
			return true, "it requires " + strconv.Quote(name) + ", which the " + refusal + " of " + places[i] + " refuses (not among the properties there)"
		}
	}
	return false, ""
}

// unsatisfiable warns about each request body schema that admits no
// value (Unsatisfiable): no request could pass it, and the warning says
// how the mock checks such a body instead (BodySchema). A request body
// written in components is checked there, once.
func (l *loading) unsatisfiable(doc *openapi3.T) {
	r := NewSatisfiability()
	if c := doc.Components; c != nil {
		for _, name := range sortedKeys(c.RequestBodies) {
			if rb := c.RequestBodies[name]; rb != nil && rb.Value != nil && rb.Ref == "" {
				l.unsatisfiableBody(r, rb.Value, []string{"components", "requestBodies", name})
			}
		}
	}
	if doc.Paths == nil {
		return
	}
	paths := doc.Paths.InMatchingOrder()
	slices.Sort(paths)
	for _, p := range paths {
		pi := doc.Paths.Value(p)
		if pi == nil {
			continue
		}
		for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace} {
			if o := pi.GetOperation(m); o != nil && o.RequestBody != nil && o.RequestBody.Value != nil && o.RequestBody.Ref == "" {
				l.unsatisfiableBody(r, o.RequestBody.Value, []string{"paths", p, strings.ToLower(m), "requestBody"})
			}
		}
	}
}

// unsatisfiableBody warns about each media type of rb whose schema admits
// no value (read with r), at the schema (where it is written, also when it
// is a $ref).
func (l *loading) unsatisfiableBody(r *Satisfiability, rb *openapi3.RequestBody, ptr []string) {
	for _, mt := range sortedKeys(rb.Content) {
		v := rb.Content[mt]
		if v == nil || v.Schema == nil || v.Schema.Value == nil {
			continue
		}
		why, empty := r.Unsatisfiable(v.Schema.Value)
		if !empty {
			continue
		}
		fix := "bodies of this media type are accepted unchecked (malformed ones still refused); correct the schema"
		switch _, check := BodySchema(v.Schema); check {
		case RelaxedCopy:
			fix = "bodies of this media type are checked against a relaxed copy of the schema, where each additionalProperties: false " +
				"that refuses a required property admits the properties its allOf parts declare; correct the schema"
		case LooselyChecked:
			fix = "bodies of this media type are checked loosely: each property the schema declares (in it or any allOf, oneOf or anyOf part) " +
				"is held to its own schema, none is required and others are allowed; correct the schema"
		}
		d := diag.Diagnostic{Code: diag.CodeUnsatisfiableSchema, Severity: diag.Warning, File: l.file,
			Pointer: jsonptr.Format(append(slices.Clip(ptr), "content", mt, "schema")...),
			Message: "the request body's schema admits no value (" + why + "): every body would be refused",
			Fix:     fix}
		if loc := schemaPlace(v.Schema); loc != nil && loc.File != "" {
			d.File, d.Line, d.Col = loc.File, loc.Line, loc.Column
		}
		l.add(d)
	}
}

// schemaPlace is where a schema is written: the $ref's place for a
// reference, else the schema's own.
func schemaPlace(ref *openapi3.SchemaRef) *openapi3.Location {
	if ref.Ref != "" {
		if ref.Origin != nil && ref.Origin.Key != nil {
			return ref.Origin.Key
		}
		return nil
	}
	if o := ref.Value.Origin; o != nil {
		return o.Key
	}
	return nil
}
