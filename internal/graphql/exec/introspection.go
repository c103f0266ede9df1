package exec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Introspection values. The executor resolves fields of the introspection
// types (__Schema, __Type, ...) itself from these.
type (
	introSchema struct{}
	introType   struct {
		def  *ast.Definition // named type
		wrap *ast.Type       // list or non-null wrapper
	}
	introInput struct {
		name, desc string
		typ        *ast.Type
		def        *ast.Value
		dirs       ast.DirectiveList
	}
)

func (ex *execution) typeRef(t *ast.Type) any {
	if t == nil {
		return nil
	}
	if t.NonNull || t.Elem != nil {
		return &introType{wrap: t}
	}
	def := ex.e.schema.Types[t.NamedType]
	if def == nil {
		return nil
	}
	return &introType{def: def}
}

func (ex *execution) namedType(def *ast.Definition) any {
	if def == nil {
		return nil
	}
	return &introType{def: def}
}

func optString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func deprecation(dirs ast.DirectiveList) (bool, any) {
	d := dirs.ForName("deprecated")
	if d == nil {
		return false, nil
	}
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil && a.Value.Kind != ast.NullValue {
		return true, a.Value.Raw
	}
	return true, "No longer supported"
}

func includeDeprecated(args map[string]any) bool {
	b, _ := args["includeDeprecated"].(bool)
	return b
}

func (ex *execution) inputValues(args ast.ArgumentDefinitionList, all bool) []any {
	out := make([]any, 0, len(args))
	for _, a := range args {
		if dep, _ := deprecation(a.Directives); dep && !all {
			continue
		}
		out = append(out, &introInput{name: a.Name, desc: a.Description, typ: a.Type, def: a.DefaultValue, dirs: a.Directives})
	}
	return out
}

func (ex *execution) introspect(obj *ast.Definition, parent any, pf *plannedField, args map[string]any) (any, error) {
	name := pf.fields[0].Name
	s := ex.e.schema
	switch pf.kind {
	case kindSchema:
		return introSchema{}, nil
	case kindType:
		n, _ := args["name"].(string)
		return ex.namedType(s.Types[n]), nil
	}
	switch p := parent.(type) {
	case introSchema:
		switch name {
		case "description":
			return optString(s.Description), nil
		case "types":
			out := make([]any, 0, len(ex.e.typeNames))
			for _, n := range ex.e.typeNames {
				out = append(out, &introType{def: s.Types[n]})
			}
			return out, nil
		case "queryType":
			return ex.namedType(s.Query), nil
		case "mutationType":
			return ex.namedType(s.Mutation), nil
		case "subscriptionType":
			return ex.namedType(s.Subscription), nil
		case "directives":
			out := make([]any, 0, len(ex.e.directives))
			for _, d := range ex.e.directives {
				out = append(out, d)
			}
			return out, nil
		}
	case *introType:
		return ex.introspectType(p, name, args)
	case *ast.FieldDefinition:
		switch name {
		case "name":
			return p.Name, nil
		case "description":
			return optString(p.Description), nil
		case "args":
			return ex.inputValues(p.Arguments, includeDeprecated(args)), nil
		case "type":
			return ex.typeRef(p.Type), nil
		case "isDeprecated":
			dep, _ := deprecation(p.Directives)
			return dep, nil
		case "deprecationReason":
			_, r := deprecation(p.Directives)
			return r, nil
		}
	case *introInput:
		switch name {
		case "name":
			return p.name, nil
		case "description":
			return optString(p.desc), nil
		case "type":
			return ex.typeRef(p.typ), nil
		case "defaultValue":
			if p.def == nil {
				return nil, nil
			}
			return p.def.String(), nil
		case "isDeprecated":
			dep, _ := deprecation(p.dirs)
			return dep, nil
		case "deprecationReason":
			_, r := deprecation(p.dirs)
			return r, nil
		}
	case *ast.EnumValueDefinition:
		switch name {
		case "name":
			return p.Name, nil
		case "description":
			return optString(p.Description), nil
		case "isDeprecated":
			dep, _ := deprecation(p.Directives)
			return dep, nil
		case "deprecationReason":
			_, r := deprecation(p.Directives)
			return r, nil
		}
	case *ast.DirectiveDefinition:
		switch name {
		case "name":
			return p.Name, nil
		case "description":
			return optString(p.Description), nil
		case "isRepeatable":
			return p.IsRepeatable, nil
		case "locations":
			out := make([]any, len(p.Locations))
			for i, l := range p.Locations {
				out[i] = string(l)
			}
			return out, nil
		case "args":
			return ex.inputValues(p.Arguments, includeDeprecated(args)), nil
		case "isDeprecated":
			dep, _ := deprecation(p.Directives)
			return dep, nil
		case "deprecationReason":
			_, r := deprecation(p.Directives)
			return r, nil
		}
	}
	return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("Introspection field %s.%s is not supported.", obj.Name, name)}
}

func (ex *execution) introspectType(t *introType, name string, args map[string]any) (any, error) {
	if t.wrap != nil {
		switch name {
		case "kind":
			if t.wrap.NonNull {
				return "NON_NULL", nil
			}
			return "LIST", nil
		case "ofType":
			if t.wrap.NonNull {
				inner := *t.wrap
				inner.NonNull = false
				return ex.typeRef(&inner), nil
			}
			return ex.typeRef(t.wrap.Elem), nil
		}
		return nil, nil
	}
	d := t.def
	all := includeDeprecated(args)
	switch name {
	case "kind":
		return string(d.Kind), nil
	case "name":
		return d.Name, nil
	case "description":
		return optString(d.Description), nil
	case "specifiedByURL":
		if d.Kind != ast.Scalar {
			return nil, nil
		}
		if sb := d.Directives.ForName("specifiedBy"); sb != nil {
			if a := sb.Arguments.ForName("url"); a != nil && a.Value != nil {
				return a.Value.Raw, nil
			}
		}
		return nil, nil
	case "fields":
		if d.Kind != ast.Object && d.Kind != ast.Interface {
			return nil, nil
		}
		out := make([]any, 0, len(d.Fields))
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if dep, _ := deprecation(f.Directives); dep && !all {
				continue
			}
			out = append(out, f)
		}
		return out, nil
	case "interfaces":
		if d.Kind != ast.Object && d.Kind != ast.Interface {
			return nil, nil
		}
		out := make([]any, 0, len(d.Interfaces))
		for _, n := range d.Interfaces {
			if def := ex.e.schema.Types[n]; def != nil {
				out = append(out, &introType{def: def})
			}
		}
		return out, nil
	case "possibleTypes":
		switch d.Kind {
		case ast.Union:
			out := make([]any, 0, len(d.Types))
			for _, n := range d.Types {
				if def := ex.e.schema.Types[n]; def != nil {
					out = append(out, &introType{def: def})
				}
			}
			return out, nil
		case ast.Interface:
			pts := append([]*ast.Definition(nil), ex.e.schema.PossibleTypes[d.Name]...)
			sort.Slice(pts, func(i, j int) bool { return pts[i].Name < pts[j].Name })
			out := make([]any, 0, len(pts))
			for _, p := range pts {
				if p.Kind == ast.Object {
					out = append(out, &introType{def: p})
				}
			}
			return out, nil
		}
		return nil, nil
	case "enumValues":
		if d.Kind != ast.Enum {
			return nil, nil
		}
		out := make([]any, 0, len(d.EnumValues))
		for _, v := range d.EnumValues {
			if dep, _ := deprecation(v.Directives); dep && !all {
				continue
			}
			out = append(out, v)
		}
		return out, nil
	case "inputFields":
		if d.Kind != ast.InputObject {
			return nil, nil
		}
		out := make([]any, 0, len(d.Fields))
		for _, f := range d.Fields {
			if dep, _ := deprecation(f.Directives); dep && !all {
				continue
			}
			out = append(out, &introInput{name: f.Name, desc: f.Description, typ: f.Type, def: f.DefaultValue, dirs: f.Directives})
		}
		return out, nil
	case "ofType":
		return nil, nil
	case "isOneOf":
		if d.Kind != ast.InputObject {
			return nil, nil
		}
		return d.Directives.ForName("oneOf") != nil, nil
	}
	return nil, nil
}
