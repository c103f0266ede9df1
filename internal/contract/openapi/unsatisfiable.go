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
// before it reads them). Bounds, patterns, enums and properties are not
// read: a schema may admit no value for them and still be reported
// satisfiable.
func Unsatisfiable(s *openapi3.Schema) (string, bool) {
	c := typeReader{visiting: map[*openapi3.Schema]bool{}, done: map[*openapi3.Schema]readTypes{}}
	set, why := c.types(s)
	return why, set == 0
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

// typeReader reads the types schemas admit; a schema met again inside
// itself (a $ref cycle) admits every type. Each schema is read once (a
// result read inside a cycle may admit more than the schema does, never
// less).
type typeReader struct {
	visiting map[*openapi3.Schema]bool
	done     map[*openapi3.Schema]readTypes
}

// readTypes is what typeReader.types read of a schema.
type readTypes struct {
	set typeSet
	why string
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

// types is the set of kinds s admits (at most), and, when it is empty,
// why, with the places inside s ("allOf/1") that say so.
func (c typeReader) types(s *openapi3.Schema) (typeSet, string) {
	if s == nil || c.visiting[s] {
		return tAll, ""
	}
	if s.Always != nil {
		if *s.Always {
			return tAll, ""
		}
		return 0, "it is the false schema"
	}
	if r, ok := c.done[s]; ok {
		return r.set, r.why
	}
	c.visiting[s] = true
	set, why := c.own(s)
	delete(c.visiting, s)
	if s.Nullable || s.Type.IncludesNull() {
		set, why = set|tNull, ""
	}
	c.done[s] = readTypes{set, why}
	return set, why
}

// own is types without the schema's null exception.
func (c typeReader) own(s *openapi3.Schema) (typeSet, string) {
	set := declared(s.Type)
	var parts []string // the constraints that narrowed the set
	if set != tAll {
		parts = append(parts, "its type ("+set.String()+")")
	}
	for i, p := range s.AllOf {
		if p == nil {
			continue
		}
		at := "allOf/" + strconv.Itoa(i)
		ps, pwhy := c.types(p.Value)
		if ps == 0 {
			return 0, at + " admits no value: " + pwhy
		}
		if ps != tAll {
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
			ps, _ := c.types(p.Value)
			union |= ps
		}
		if union == 0 {
			return 0, "no part of its " + kw.name + " admits a value"
		}
		if union != tAll {
			parts = append(parts, kw.name+" ("+union.String()+")")
		}
		set &= union
	}
	if set != 0 {
		return set, ""
	}
	if len(parts) < 2 {
		return 0, "no type satisfies it"
	}
	return 0, strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " have no type in common"
}

// unsatisfiable warns about each request body schema that admits no
// value (Unsatisfiable): no request could pass it, and the mock accepts
// such a body unchecked. A request body written in components is
// checked there, once.
func (l *loading) unsatisfiable(doc *openapi3.T) {
	if c := doc.Components; c != nil {
		for _, name := range sortedKeys(c.RequestBodies) {
			if rb := c.RequestBodies[name]; rb != nil && rb.Value != nil && rb.Ref == "" {
				l.unsatisfiableBody(rb.Value, []string{"components", "requestBodies", name})
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
				l.unsatisfiableBody(o.RequestBody.Value, []string{"paths", p, strings.ToLower(m), "requestBody"})
			}
		}
	}
}

// unsatisfiableBody warns about each media type of rb whose schema admits
// no value, at the schema (where it is written, also when it is a $ref).
func (l *loading) unsatisfiableBody(rb *openapi3.RequestBody, ptr []string) {
	for _, mt := range sortedKeys(rb.Content) {
		v := rb.Content[mt]
		if v == nil || v.Schema == nil || v.Schema.Value == nil {
			continue
		}
		why, empty := Unsatisfiable(v.Schema.Value)
		if !empty {
			continue
		}
		d := diag.Diagnostic{Code: diag.CodeUnsatisfiableSchema, Severity: diag.Warning, File: l.file,
			Pointer: jsonptr.Format(append(slices.Clip(ptr), "content", mt, "schema")...),
			Message: "the request body's schema admits no value (" + why + "): every body would be refused",
			Fix:     "bodies of this media type are accepted unchecked (malformed ones still refused); correct the schema"}
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
