package kit

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform/model"
)

// The property generator of GraphQL queries: GenerateQuery draws a random
// valid query over a schema (graphql-property-selection).

// selectionDepth bounds the object nesting of generated selection sets.
const selectionDepth = 4

// SelectableRoots lists the root query fields whose required arguments
// fill gives a value.
func SelectableRoots(a *API, fill ArgFiller) []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	for _, f := range a.Schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		if _, ok := argsWith(f, fill); ok {
			out = append(out, f)
		}
	}
	return out
}

// queryGen writes one random query; its draws shrink towards fewer
// fields, no aliases, no fragments and literal arguments.
type queryGen struct {
	rt        *rapid.T
	schema    *ast.Schema
	fill      ArgFiller
	vars      map[string]any
	varDecls  []string
	fragments []string
}

// GenerateQuery draws a random valid query over schema: required
// arguments come from fill (configured ids, values seen); it returns the
// query and its variables.
func GenerateQuery(rt *rapid.T, schema *ast.Schema, fill ArgFiller) (string, map[string]any) {
	g := &queryGen{rt: rt, schema: schema, fill: fill, vars: map[string]any{}}
	body := g.selectionSet(schema.Query, 0, "root")
	var b strings.Builder
	b.WriteString("query Generated")
	if len(g.varDecls) > 0 {
		b.WriteString("(" + strings.Join(g.varDecls, ", ") + ")")
	}
	b.WriteString(" " + body + "\n")
	for _, f := range g.fragments {
		b.WriteString(f + "\n")
	}
	if len(g.vars) == 0 {
		return b.String(), nil
	}
	return b.String(), g.vars
}

// selectionSet draws "{ ... }" for an object, interface or union type.
func (g *queryGen) selectionSet(def *ast.Definition, depth int, label string) string {
	if def.Kind == ast.Union || def.Kind == ast.Interface {
		var parts []string
		if rapid.Bool().Draw(g.rt, label+" __typename") || len(g.schema.GetPossibleTypes(def)) == 0 {
			parts = append(parts, "__typename")
		}
		for _, pt := range g.schema.GetPossibleTypes(def) {
			if rapid.Bool().Draw(g.rt, label+" on "+pt.Name) {
				parts = append(parts, "... on "+pt.Name+" "+g.selectionSet(pt, depth+1, label+"/"+pt.Name))
			}
		}
		if len(parts) == 0 {
			parts = append(parts, "__typename")
		}
		return "{ " + strings.Join(parts, " ") + " }"
	}
	var cands []*ast.FieldDefinition
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		ft := g.schema.Types[f.Type.Name()]
		if ft == nil {
			continue
		}
		if ft.Kind != ast.Scalar && ft.Kind != ast.Enum && depth+1 >= selectionDepth {
			continue
		}
		if model.HasRequiredArgs(f) {
			if _, ok := argsWith(f, g.fill); !ok {
				continue
			}
		}
		cands = append(cands, f)
	}
	if len(cands) == 0 {
		return "{ __typename }"
	}
	var picked []*ast.FieldDefinition
	for _, f := range cands {
		if rapid.Bool().Draw(g.rt, label+" pick "+f.Name) {
			picked = append(picked, f)
		}
	}
	if len(picked) == 0 {
		picked = append(picked, cands[rapid.IntRange(0, len(cands)-1).Draw(g.rt, label+" only field")])
	}
	var lines []string
	for _, f := range picked {
		coord := label + "." + f.Name
		line := f.Name
		if rapid.Bool().Draw(g.rt, coord+" alias") {
			line = "a_" + f.Name + ": " + f.Name
		}
		line += g.arguments(f, depth, coord)
		if ft := g.schema.Types[f.Type.Name()]; ft.Kind != ast.Scalar && ft.Kind != ast.Enum {
			line += " " + g.selectionSet(ft, depth+1, coord)
		}
		lines = append(lines, line)
	}
	inner := strings.Join(lines, " ")
	switch rapid.IntRange(0, 2).Draw(g.rt, label+" wrap") {
	case 1:
		return "{ ... on " + def.Name + " { " + inner + " } }"
	case 2:
		name := fmt.Sprintf("F%d", len(g.fragments)+1)
		g.fragments = append(g.fragments, "fragment "+name+" on "+def.Name+" { "+inner+" }")
		return "{ ..." + name + " }"
	}
	return "{ " + inner + " }"
}

// arguments draws the arguments of a field: required ones from ids, an
// optional page size (first or last, 0-5), enums, booleans and input
// objects whose fields are enums; each as a literal or a variable.
func (g *queryGen) arguments(f *ast.FieldDefinition, depth int, coord string) string {
	var parts []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			if v, ok := g.fill(f, a); ok {
				parts = append(parts, g.arg(a, v, coord))
			}
			continue
		}
	}
	hasFirst, hasLast := f.Arguments.ForName("first") != nil, f.Arguments.ForName("last") != nil
	if hasFirst || hasLast {
		switch rapid.IntRange(0, 2).Draw(g.rt, coord+" page size") {
		case 1:
			if hasFirst {
				parts = append(parts, g.arg(f.Arguments.ForName("first"), rapid.IntRange(0, 5).Draw(g.rt, coord+" first"), coord))
			}
		case 2:
			if hasLast {
				parts = append(parts, g.arg(f.Arguments.ForName("last"), rapid.IntRange(0, 5).Draw(g.rt, coord+" last"), coord))
			}
		}
	}
	for _, a := range f.Arguments {
		if (a.Type.NonNull && a.DefaultValue == nil) || a.Name == "first" || a.Name == "last" || a.Type.Elem != nil {
			continue
		}
		def := g.schema.Types[a.Type.Name()]
		if def == nil {
			continue
		}
		var v any
		switch {
		case def.Kind == ast.Enum && len(def.EnumValues) > 0:
			if !rapid.Bool().Draw(g.rt, coord+" "+a.Name) {
				continue
			}
			v = enumValue(rapid.SampledFrom(enumNames(def)).Draw(g.rt, coord+" "+a.Name+" value"))
		case def.Kind == ast.Scalar && def.Name == "Boolean":
			if !rapid.Bool().Draw(g.rt, coord+" "+a.Name) {
				continue
			}
			v = rapid.Bool().Draw(g.rt, coord+" "+a.Name+" value")
		case def.Kind == ast.InputObject:
			obj, ok := g.enumInput(def, coord+" "+a.Name)
			if !ok {
				continue
			}
			v = obj
		default:
			continue
		}
		parts = append(parts, g.arg(a, v, coord))
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// enumValue marks a string as an enum value (a literal without quotes).
type enumValue string

// enumInput draws an input object from its enum fields (required enum
// fields always, optional ones sometimes); ok is false when a required
// field is not an enum or the draw chose not to send it.
func (g *queryGen) enumInput(def *ast.Definition, label string) (map[string]any, bool) {
	for _, f := range def.Fields {
		ft := g.schema.Types[f.Type.Name()]
		if f.Type.NonNull && f.DefaultValue == nil && (ft == nil || ft.Kind != ast.Enum || f.Type.Elem != nil) {
			return nil, false
		}
	}
	if !rapid.Bool().Draw(g.rt, label) {
		return nil, false
	}
	obj := map[string]any{}
	for _, f := range def.Fields {
		ft := g.schema.Types[f.Type.Name()]
		if ft == nil || ft.Kind != ast.Enum || f.Type.Elem != nil || len(ft.EnumValues) == 0 {
			continue
		}
		if f.Type.NonNull || rapid.Bool().Draw(g.rt, label+"."+f.Name) {
			obj[f.Name] = enumValue(rapid.SampledFrom(enumNames(ft)).Draw(g.rt, label+"."+f.Name+" value"))
		}
	}
	if len(obj) == 0 {
		return nil, false
	}
	return obj, true
}

func enumNames(def *ast.Definition) []string {
	var out []string
	for _, v := range def.EnumValues {
		out = append(out, v.Name)
	}
	return out
}

// arg renders one argument, as a literal or (drawn) as a variable.
func (g *queryGen) arg(a *ast.ArgumentDefinition, v any, coord string) string {
	if rapid.Bool().Draw(g.rt, coord+" "+a.Name+" as variable") {
		name := fmt.Sprintf("v%d", len(g.varDecls)+1)
		g.varDecls = append(g.varDecls, "$"+name+": "+a.Type.String())
		g.vars[name] = plainJSON(v)
		return a.Name + ": $" + name
	}
	return a.Name + ": " + literal(v)
}

// literal renders a GraphQL literal.
func literal(v any) string {
	switch x := v.(type) {
	case enumValue:
		return string(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+literal(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// plainJSON turns enum values into strings for a variables object.
func plainJSON(v any) any {
	switch x := v.(type) {
	case enumValue:
		return string(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = plainJSON(e)
		}
		return out
	}
	return v
}
