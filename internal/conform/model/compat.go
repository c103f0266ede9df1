package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/introspect"
)

// Difference is one place where a schema departs from the documented one:
// a schema coordinate (Type.field(arg:)), or "schema" for a root type.
type Difference struct {
	Coordinate string
	Message    string
}

// SchemaCompat lists what got lacks or types incompatibly against want.
// Output field types may be stricter in got (non-null for nullable);
// argument and input field types may be looser (nullable for non-null); a
// field may gain arguments only if they are optional.
func SchemaCompat(want, got *ast.Schema) []Difference {
	var out []Difference
	add := func(where, format string, args ...any) {
		out = append(out, Difference{Coordinate: where, Message: fmt.Sprintf(format, args...)})
	}
	roots := []struct {
		name      string
		want, got *ast.Definition
	}{{"query", want.Query, got.Query}, {"mutation", want.Mutation, got.Mutation}, {"subscription", want.Subscription, got.Subscription}}
	for _, r := range roots {
		if r.want != nil && (r.got == nil || r.got.Name != r.want.Name) {
			add("schema", "%s root type must be %s, got %s", r.name, r.want.Name, defName(r.got))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want.Types)) {
		w := want.Types[name]
		if introspect.IsBuiltinType(name) || strings.HasPrefix(name, "__") {
			continue
		}
		g := got.Types[name]
		if g == nil {
			add(name, "type %s is missing", name)
			continue
		}
		if g.Kind != w.Kind {
			add(name, "kind differs: want %s, got %s", w.Kind, g.Kind)
			continue
		}
		switch w.Kind {
		case ast.Object, ast.Interface:
			for _, iface := range w.Interfaces {
				if !slices.Contains(g.Interfaces, iface) {
					add(name, "does not implement %s", iface)
				}
			}
			for _, wf := range w.Fields {
				if strings.HasPrefix(wf.Name, "__") {
					continue
				}
				gf := g.Fields.ForName(wf.Name)
				where := name + "." + wf.Name
				if gf == nil {
					add(where, "field %s is missing", where)
					continue
				}
				if !outputCompatible(wf.Type, gf.Type) {
					add(where, "type %s is not compatible with the documented %s", gf.Type, wf.Type)
				}
				for _, wa := range wf.Arguments {
					ga := gf.Arguments.ForName(wa.Name)
					aw := fmt.Sprintf("%s(%s:)", where, wa.Name)
					if ga == nil {
						add(aw, "argument %s is missing", aw)
						continue
					}
					if !inputCompatible(wa.Type, ga.Type, ga.DefaultValue != nil) {
						add(aw, "argument type %s is not compatible with the documented %s", ga.Type, wa.Type)
					}
				}
				for _, ga := range gf.Arguments {
					if wf.Arguments.ForName(ga.Name) == nil && ga.Type.NonNull && ga.DefaultValue == nil {
						add(fmt.Sprintf("%s(%s:)", where, ga.Name), "undocumented argument %s is required", ga.Name)
					}
				}
			}
		case ast.InputObject:
			for _, wf := range w.Fields {
				gf := g.Fields.ForName(wf.Name)
				where := name + "." + wf.Name
				if gf == nil {
					add(where, "input field %s is missing", where)
					continue
				}
				if !inputCompatible(wf.Type, gf.Type, gf.DefaultValue != nil) {
					add(where, "input field type %s is not compatible with the documented %s", gf.Type, wf.Type)
				}
			}
			for _, gf := range g.Fields {
				if w.Fields.ForName(gf.Name) == nil && gf.Type.NonNull && gf.DefaultValue == nil {
					add(name+"."+gf.Name, "undocumented input field %s is required", gf.Name)
				}
			}
		case ast.Enum:
			for _, v := range w.EnumValues {
				if g.EnumValues.ForName(v.Name) == nil {
					add(name+"."+v.Name, "enum value %s.%s is missing", name, v.Name)
				}
			}
		case ast.Union:
			for _, m := range w.Types {
				if !slices.Contains(g.Types, m) {
					add(name, "union member %s is missing", m)
				}
			}
		}
	}
	return out
}

func defName(d *ast.Definition) string {
	if d == nil {
		return "none"
	}
	return d.Name
}

// outputCompatible: got may add non-null, must keep the list structure and
// the named type.
func outputCompatible(want, got *ast.Type) bool {
	if want == nil || got == nil {
		return want == got
	}
	if want.NonNull && !got.NonNull {
		return false
	}
	if (want.Elem == nil) != (got.Elem == nil) {
		return false
	}
	if want.Elem != nil {
		return outputCompatible(want.Elem, got.Elem)
	}
	return want.NamedType == got.NamedType
}

// inputCompatible: got may drop non-null (it accepts more), must keep the
// list structure and the named type; a non-null got where want is nullable
// is only fine with a default value.
func inputCompatible(want, got *ast.Type, gotHasDefault bool) bool {
	if want == nil || got == nil {
		return want == got
	}
	if got.NonNull && !want.NonNull && !gotHasDefault {
		return false
	}
	if (want.Elem == nil) != (got.Elem == nil) {
		return false
	}
	if want.Elem != nil {
		return inputCompatible(want.Elem, got.Elem, false)
	}
	return want.NamedType == got.NamedType
}
