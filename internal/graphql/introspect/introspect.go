// Package introspect turns the result of an introspection query back into
// SDL and compares schemas structurally. The conformance suite uses it to
// check that a remote server's schema (obtained with Query or FullQuery)
// matches a local SDL.
//
//	remote, err := introspect.LoadSchema(responseBody) // *ast.Schema
//	diffs := introspect.Compare(local, remote, introspect.CompareOptions{})
//
// Built-in scalars (Int, Float, String, Boolean, ID), introspection types
// (__*) and built-in directives (@include, @skip, @deprecated,
// @specifiedBy, @oneOf, @defer) are omitted from the SDL and from
// comparisons.
package introspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/sdl"
)

// Schema is the __schema member of an introspection result.
type Schema struct {
	Description      *string     `json:"description,omitempty"`
	QueryType        *TypeRef    `json:"queryType"`
	MutationType     *TypeRef    `json:"mutationType"`
	SubscriptionType *TypeRef    `json:"subscriptionType"`
	Types            []FullType  `json:"types"`
	Directives       []Directive `json:"directives"`
}

// TypeRef is a reference to a type: a named type, or a LIST / NON_NULL
// wrapper with OfType.
type TypeRef struct {
	Kind   string   `json:"kind"`
	Name   *string  `json:"name"`
	OfType *TypeRef `json:"ofType"`
}

// FullType is one element of __schema.types.
type FullType struct {
	Kind           string       `json:"kind"`
	Name           string       `json:"name"`
	Description    *string      `json:"description"`
	SpecifiedByURL *string      `json:"specifiedByURL"`
	IsOneOf        *bool        `json:"isOneOf"`
	Fields         []Field      `json:"fields"`
	InputFields    []InputValue `json:"inputFields"`
	Interfaces     []TypeRef    `json:"interfaces"`
	EnumValues     []EnumValue  `json:"enumValues"`
	PossibleTypes  []TypeRef    `json:"possibleTypes"`
}

// Field is an output field.
type Field struct {
	Name              string       `json:"name"`
	Description       *string      `json:"description"`
	Args              []InputValue `json:"args"`
	Type              TypeRef      `json:"type"`
	IsDeprecated      bool         `json:"isDeprecated"`
	DeprecationReason *string      `json:"deprecationReason"`
}

// InputValue is an argument or an input field.
type InputValue struct {
	Name              string  `json:"name"`
	Description       *string `json:"description"`
	Type              TypeRef `json:"type"`
	DefaultValue      *string `json:"defaultValue"`
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

// EnumValue is an enum value.
type EnumValue struct {
	Name              string  `json:"name"`
	Description       *string `json:"description"`
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

// Directive is a directive definition.
type Directive struct {
	Name         string       `json:"name"`
	Description  *string      `json:"description"`
	IsRepeatable bool         `json:"isRepeatable"`
	Locations    []string     `json:"locations"`
	Args         []InputValue `json:"args"`
}

// Parse decodes an introspection result. It accepts a whole GraphQL
// response ({"data":{"__schema":...}}), the data member
// ({"__schema":...}) or the __schema object itself.
func Parse(data []byte) (*Schema, error) {
	var probe struct {
		Data *struct {
			Schema *Schema `json:"__schema"`
		} `json:"data"`
		Schema *Schema `json:"__schema"`
		Types  []FullType
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("introspect: %w", err)
	}
	switch {
	case probe.Data != nil && probe.Data.Schema != nil:
		return probe.Data.Schema, nil
	case probe.Schema != nil:
		return probe.Schema, nil
	case probe.Types != nil:
		var s Schema
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, fmt.Errorf("introspect: %w", err)
		}
		return &s, nil
	}
	return nil, errors.New("introspect: no __schema in the introspection result")
}

// LoadSchema parses an introspection result, rebuilds its SDL and loads it
// with the contract layer's SDL loader (gqlparser).
func LoadSchema(data []byte) (*ast.Schema, error) {
	s, err := Parse(data)
	if err != nil {
		return nil, err
	}
	text, err := s.SDL()
	if err != nil {
		return nil, err
	}
	schema, err := sdl.Parse("introspection.graphql", text)
	if err != nil {
		return nil, fmt.Errorf("introspect: rebuilt SDL does not load: %w", err)
	}
	return schema, nil
}

// IsBuiltinType reports whether a named type is a built-in scalar or an
// introspection type.
func IsBuiltinType(name string) bool {
	switch name {
	case "Int", "Float", "String", "Boolean", "ID":
		return true
	}
	return strings.HasPrefix(name, "__")
}

// IsBuiltinDirective reports whether a directive is defined by the
// specification (or by gqlparser's prelude).
func IsBuiltinDirective(name string) bool {
	switch name {
	case "include", "skip", "deprecated", "specifiedBy", "oneOf", "defer":
		return true
	}
	return false
}

// String renders the reference in SDL notation, e.g. "[User!]!".
func (t *TypeRef) String() string {
	if t == nil {
		return "<nil>"
	}
	switch t.Kind {
	case "NON_NULL":
		return t.OfType.String() + "!"
	case "LIST":
		return "[" + t.OfType.String() + "]"
	}
	if t.Name == nil {
		return "<unnamed>"
	}
	return *t.Name
}

func (t *TypeRef) valid() bool {
	for r := t; r != nil; r = r.OfType {
		if r.Kind != "NON_NULL" && r.Kind != "LIST" {
			return r.Name != nil && *r.Name != ""
		}
	}
	return false
}

// quote writes s as a GraphQL string literal.
func quote(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

func desc(b *bytes.Buffer, d *string, indent string) {
	if d == nil || *d == "" {
		return
	}
	b.WriteString(indent)
	quote(b, *d)
	b.WriteByte('\n')
}

func deprecated(b *bytes.Buffer, is bool, reason *string) {
	if !is {
		return
	}
	b.WriteString(" @deprecated")
	if reason != nil {
		b.WriteString("(reason: ")
		quote(b, *reason)
		b.WriteString(")")
	}
}

func (s *Schema) inputValues(b *bytes.Buffer, args []InputValue, indent string, multiline bool) error {
	for i, a := range args {
		if !a.Type.valid() {
			return fmt.Errorf("introspect: input value %q has an invalid type", a.Name)
		}
		if multiline {
			desc(b, a.Description, indent)
			b.WriteString(indent)
		} else if i > 0 {
			b.WriteString(", ")
		}
		if !multiline && a.Description != nil && *a.Description != "" {
			quote(b, *a.Description)
			b.WriteByte(' ')
		}
		b.WriteString(a.Name + ": " + a.Type.String())
		if a.DefaultValue != nil {
			b.WriteString(" = " + *a.DefaultValue)
		}
		deprecated(b, a.IsDeprecated, a.DeprecationReason)
		if multiline {
			b.WriteByte('\n')
		}
	}
	return nil
}

func refNames(refs []TypeRef) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		if r.Name != nil {
			out = append(out, *r.Name)
		}
	}
	return out
}

// SDL renders the schema as SDL, without built-in types and directives.
// Types keep the order of the introspection result.
func (s *Schema) SDL() (string, error) {
	var b bytes.Buffer
	if s.QueryType == nil || s.QueryType.Name == nil {
		return "", errors.New("introspect: the schema has no query type")
	}
	desc(&b, s.Description, "")
	b.WriteString("schema {\n  query: " + *s.QueryType.Name + "\n")
	if s.MutationType != nil && s.MutationType.Name != nil {
		b.WriteString("  mutation: " + *s.MutationType.Name + "\n")
	}
	if s.SubscriptionType != nil && s.SubscriptionType.Name != nil {
		b.WriteString("  subscription: " + *s.SubscriptionType.Name + "\n")
	}
	b.WriteString("}\n")
	for _, d := range s.Directives {
		if IsBuiltinDirective(d.Name) {
			continue
		}
		b.WriteByte('\n')
		desc(&b, d.Description, "")
		b.WriteString("directive @" + d.Name)
		if len(d.Args) > 0 {
			b.WriteString("(\n")
			if err := s.inputValues(&b, d.Args, "  ", true); err != nil {
				return "", err
			}
			b.WriteString(")")
		}
		if d.IsRepeatable {
			b.WriteString(" repeatable")
		}
		b.WriteString(" on " + strings.Join(d.Locations, " | ") + "\n")
	}
	for _, t := range s.Types {
		if IsBuiltinType(t.Name) {
			continue
		}
		b.WriteByte('\n')
		desc(&b, t.Description, "")
		switch t.Kind {
		case "SCALAR":
			b.WriteString("scalar " + t.Name)
			if t.SpecifiedByURL != nil {
				b.WriteString(" @specifiedBy(url: ")
				quote(&b, *t.SpecifiedByURL)
				b.WriteString(")")
			}
			b.WriteByte('\n')
		case "OBJECT", "INTERFACE":
			kw := "type "
			if t.Kind == "INTERFACE" {
				kw = "interface "
			}
			b.WriteString(kw + t.Name)
			if names := refNames(t.Interfaces); len(names) > 0 {
				b.WriteString(" implements " + strings.Join(names, " & "))
			}
			b.WriteString(" {\n")
			for _, f := range t.Fields {
				if !f.Type.valid() {
					return "", fmt.Errorf("introspect: field %s.%s has an invalid type", t.Name, f.Name)
				}
				desc(&b, f.Description, "  ")
				b.WriteString("  " + f.Name)
				if len(f.Args) > 0 {
					b.WriteString("(\n")
					if err := s.inputValues(&b, f.Args, "    ", true); err != nil {
						return "", err
					}
					b.WriteString("  )")
				}
				b.WriteString(": " + f.Type.String())
				deprecated(&b, f.IsDeprecated, f.DeprecationReason)
				b.WriteByte('\n')
			}
			b.WriteString("}\n")
		case "UNION":
			b.WriteString("union " + t.Name + " = " + strings.Join(refNames(t.PossibleTypes), " | ") + "\n")
		case "ENUM":
			b.WriteString("enum " + t.Name + " {\n")
			for _, v := range t.EnumValues {
				desc(&b, v.Description, "  ")
				b.WriteString("  " + v.Name)
				deprecated(&b, v.IsDeprecated, v.DeprecationReason)
				b.WriteByte('\n')
			}
			b.WriteString("}\n")
		case "INPUT_OBJECT":
			b.WriteString("input " + t.Name)
			if t.IsOneOf != nil && *t.IsOneOf {
				b.WriteString(" @oneOf")
			}
			b.WriteString(" {\n")
			if err := s.inputValues(&b, t.InputFields, "  ", true); err != nil {
				return "", err
			}
			b.WriteString("}\n")
		default:
			return "", fmt.Errorf("introspect: type %q has unknown kind %q", t.Name, t.Kind)
		}
	}
	return b.String(), nil
}

// CompareOptions tunes Compare.
type CompareOptions struct {
	// IgnoreDescriptions skips descriptions.
	IgnoreDescriptions bool
	// IgnoreDeprecations skips deprecation state and reasons.
	IgnoreDeprecations bool
}

// Difference is one structural difference between two schemas. Path names
// the element, e.g. "User.friends(first:)" or "@cost".
type Difference struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// String renders "path: message".
func (d Difference) String() string { return d.Path + ": " + d.Message }

type differ struct {
	opts CompareOptions
	out  []Difference
}

func (d *differ) add(path, format string, args ...any) {
	d.out = append(d.out, Difference{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (d *differ) str(path, what, want, got string) {
	if want != got {
		d.add(path, "%s differs: want %q, got %q", what, want, got)
	}
}

// Compare reports every structural difference between want and got:
// root operation types, types and their kinds, fields, arguments, input
// fields (types and default values), interfaces, union members, enum values,
// custom directives, @specifiedBy URLs, @oneOf, and (unless disabled)
// descriptions and deprecations. Differences are sorted by path.
func Compare(want, got *ast.Schema, opts CompareOptions) []Difference {
	d := &differ{opts: opts}
	d.str("schema", "query type", defName(want.Query), defName(got.Query))
	d.str("schema", "mutation type", defName(want.Mutation), defName(got.Mutation))
	d.str("schema", "subscription type", defName(want.Subscription), defName(got.Subscription))
	if !opts.IgnoreDescriptions {
		d.str("schema", "description", want.Description, got.Description)
	}
	for _, name := range unionKeys(want.Types, got.Types) {
		if IsBuiltinType(name) {
			continue
		}
		w, g := want.Types[name], got.Types[name]
		switch {
		case g == nil:
			d.add(name, "type is missing")
		case w == nil:
			d.add(name, "unexpected type")
		default:
			d.typ(w, g)
		}
	}
	for _, name := range unionKeys(want.Directives, got.Directives) {
		if IsBuiltinDirective(name) {
			continue
		}
		w, g := want.Directives[name], got.Directives[name]
		path := "@" + name
		switch {
		case g == nil:
			d.add(path, "directive is missing")
		case w == nil:
			d.add(path, "unexpected directive")
		default:
			if !opts.IgnoreDescriptions {
				d.str(path, "description", w.Description, g.Description)
			}
			if w.IsRepeatable != g.IsRepeatable {
				d.add(path, "repeatable differs: want %v, got %v", w.IsRepeatable, g.IsRepeatable)
			}
			wl, gl := locations(w.Locations), locations(g.Locations)
			d.str(path, "locations", wl, gl)
			d.args(path, w.Arguments, g.Arguments)
		}
	}
	sort.SliceStable(d.out, func(i, j int) bool { return d.out[i].Path < d.out[j].Path })
	return d.out
}

func defName(def *ast.Definition) string {
	if def == nil {
		return ""
	}
	return def.Name
}

func locations(ls []ast.DirectiveLocation) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	sort.Strings(s)
	return strings.Join(s, "|")
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for k := range a {
		seen[k] = true
		out = append(out, k)
	}
	for k := range b {
		if !seen[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func sortedSet(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	return strings.Join(s, ", ")
}

func deprecationOf(dirs ast.DirectiveList) string {
	dep := dirs.ForName("deprecated")
	if dep == nil {
		return ""
	}
	if a := dep.Arguments.ForName("reason"); a != nil && a.Value != nil {
		return "deprecated: " + a.Value.Raw
	}
	return "deprecated: No longer supported"
}

func (d *differ) deprecation(path string, w, g ast.DirectiveList) {
	if !d.opts.IgnoreDeprecations {
		d.str(path, "deprecation", deprecationOf(w), deprecationOf(g))
	}
}

func (d *differ) typ(w, g *ast.Definition) {
	path := w.Name
	if w.Kind != g.Kind {
		d.add(path, "kind differs: want %s, got %s", w.Kind, g.Kind)
		return
	}
	if !d.opts.IgnoreDescriptions {
		d.str(path, "description", w.Description, g.Description)
	}
	switch w.Kind {
	case ast.Scalar:
		d.str(path, "specifiedBy URL", specifiedBy(w), specifiedBy(g))
	case ast.Object, ast.Interface:
		d.str(path, "interfaces", sortedSet(w.Interfaces), sortedSet(g.Interfaces))
		d.fields(path, w.Fields, g.Fields, false)
	case ast.Union:
		d.str(path, "members", sortedSet(w.Types), sortedSet(g.Types))
	case ast.Enum:
		for _, name := range unionKeys(enumMap(w.EnumValues), enumMap(g.EnumValues)) {
			wv, gv := w.EnumValues.ForName(name), g.EnumValues.ForName(name)
			vpath := path + "." + name
			switch {
			case gv == nil:
				d.add(vpath, "enum value is missing")
			case wv == nil:
				d.add(vpath, "unexpected enum value")
			default:
				if !d.opts.IgnoreDescriptions {
					d.str(vpath, "description", wv.Description, gv.Description)
				}
				d.deprecation(vpath, wv.Directives, gv.Directives)
			}
		}
	case ast.InputObject:
		wo, go_ := w.Directives.ForName("oneOf") != nil, g.Directives.ForName("oneOf") != nil
		if wo != go_ {
			d.add(path, "@oneOf differs: want %v, got %v", wo, go_)
		}
		d.fields(path, w.Fields, g.Fields, true)
	}
}

func specifiedBy(def *ast.Definition) string {
	if sb := def.Directives.ForName("specifiedBy"); sb != nil {
		if a := sb.Arguments.ForName("url"); a != nil && a.Value != nil {
			return a.Value.Raw
		}
	}
	return ""
}

func enumMap(l ast.EnumValueList) map[string]bool {
	m := make(map[string]bool, len(l))
	for _, v := range l {
		m[v.Name] = true
	}
	return m
}

func fieldMap(l ast.FieldList) map[string]*ast.FieldDefinition {
	m := make(map[string]*ast.FieldDefinition, len(l))
	for _, f := range l {
		if !strings.HasPrefix(f.Name, "__") {
			m[f.Name] = f
		}
	}
	return m
}

func (d *differ) fields(path string, w, g ast.FieldList, input bool) {
	wm, gm := fieldMap(w), fieldMap(g)
	for _, name := range unionKeys(wm, gm) {
		wf, gf := wm[name], gm[name]
		fpath := path + "." + name
		switch {
		case gf == nil:
			d.add(fpath, "field is missing")
		case wf == nil:
			d.add(fpath, "unexpected field")
		default:
			d.str(fpath, "type", wf.Type.String(), gf.Type.String())
			if !d.opts.IgnoreDescriptions {
				d.str(fpath, "description", wf.Description, gf.Description)
			}
			d.deprecation(fpath, wf.Directives, gf.Directives)
			if input {
				d.str(fpath, "default value", NormalizeValue(wf.DefaultValue), NormalizeValue(gf.DefaultValue))
			} else {
				d.args(fpath, wf.Arguments, gf.Arguments)
			}
		}
	}
}

func (d *differ) args(path string, w, g ast.ArgumentDefinitionList) {
	wm := map[string]*ast.ArgumentDefinition{}
	gm := map[string]*ast.ArgumentDefinition{}
	for _, a := range w {
		wm[a.Name] = a
	}
	for _, a := range g {
		gm[a.Name] = a
	}
	for _, name := range unionKeys(wm, gm) {
		wa, ga := wm[name], gm[name]
		apath := path + "(" + name + ":)"
		switch {
		case ga == nil:
			d.add(apath, "argument is missing")
		case wa == nil:
			d.add(apath, "unexpected argument")
		default:
			d.str(apath, "type", wa.Type.String(), ga.Type.String())
			d.str(apath, "default value", NormalizeValue(wa.DefaultValue), NormalizeValue(ga.DefaultValue))
			if !d.opts.IgnoreDescriptions {
				d.str(apath, "description", wa.Description, ga.Description)
			}
			d.deprecation(apath, wa.Directives, ga.Directives)
		}
	}
}

// NormalizeValue renders a literal canonically (object fields sorted), ""
// for nil.
func NormalizeValue(v *ast.Value) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case ast.ObjectValue:
		parts := make([]string, 0, len(v.Children))
		for _, c := range v.Children {
			parts = append(parts, c.Name+":"+NormalizeValue(c.Value))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case ast.ListValue:
		parts := make([]string, 0, len(v.Children))
		for _, c := range v.Children {
			parts = append(parts, NormalizeValue(c.Value))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case ast.BlockValue:
		c := *v
		c.Kind = ast.StringValue
		return c.String()
	}
	return v.String()
}
