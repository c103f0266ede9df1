package model

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// LeafFields lists the scalar and enum fields of an object type without
// required arguments, sorted.
func LeafFields(schema *ast.Schema, def *ast.Definition) []string {
	var out []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || HasRequiredArgs(f) {
			continue
		}
		if d := schema.Types[f.Type.Name()]; d != nil && (d.Kind == ast.Scalar || d.Kind == ast.Enum) {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// HasRequiredArgs reports whether a field has a non-null argument without
// a default.
func HasRequiredArgs(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// RootPath finds the field path from the query root to typeName.fieldName
// (directly, or through one namespace field such as Query.admin).
func (a *API) RootPath(typeName, fieldName string) []string {
	q := a.Schema.Query
	if q == nil {
		return nil
	}
	if q.Name == typeName {
		return []string{fieldName}
	}
	for _, f := range q.Fields {
		if f.Type.Name() == typeName && !HasRequiredArgs(f) {
			return []string{f.Name, fieldName}
		}
	}
	return nil
}

// rangeRE finds a documented range "(0-100)" in a description.
var rangeRE = regexp.MustCompile(`\((\d+)\s*[-–]\s*(\d+)\)`)

// DocumentedRange is the range "(0-100)" a description documents ("" when
// none).
func DocumentedRange(description string) string { return rangeRE.FindString(description) }

// ArgRange reads a documented range "(0-100)" from an argument's
// description (the SDL's way of saying what it cannot type).
func ArgRange(f *ast.FieldDefinition, arg string) (lo, hi int, ok bool) {
	ad := f.Arguments.ForName(arg)
	if ad == nil {
		return 0, 0, false
	}
	m := rangeRE.FindStringSubmatch(ad.Description)
	if m == nil {
		return 0, 0, false
	}
	lo, _ = strconv.Atoi(m[1])
	hi, _ = strconv.Atoi(m[2])
	return lo, hi, true
}

// EnumToField maps an order enum value (CREATED_ON) to the node field it
// names (createdOn), "" when no field matches.
func EnumToField(node *ast.Definition, value string) string {
	want := strings.ReplaceAll(strings.ToLower(value), "_", "")
	var names []string
	for _, f := range node.Fields {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.ToLower(n) == want {
			return n
		}
	}
	return ""
}
