package kit

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/model"
)

// fullSelectionDepth bounds the object nesting of the generated query.
const fullSelectionDepth = 6

// FullSelectionQuery writes a query selecting every field reachable from
// the query root. fill gives values of required arguments; the second
// result says, per root field left out, why (no value for a required
// argument).
func FullSelectionQuery(schema *ast.Schema, fill ArgFiller) (string, []string) {
	var b strings.Builder
	var skipped []string
	b.WriteString("query FullSelection {\n")
	n := 0
	for _, f := range schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		line, why := RootSelection(schema, f, fill)
		if why != "" {
			skipped = append(skipped, why)
			continue
		}
		if line == "" {
			continue
		}
		b.WriteString("  " + line + "\n")
		n++
	}
	b.WriteString("}\n")
	if n == 0 {
		return "", skipped
	}
	return b.String(), skipped
}

// RootSelection writes the selection of one root field with every field
// below it ("" when nothing can be selected); why says what is missing
// when a required argument has no value.
func RootSelection(schema *ast.Schema, f *ast.FieldDefinition, fill ArgFiller) (line, why string) {
	args, ok := argsWith(f, fill)
	if !ok {
		return "", noValueReason(schema.Query.Name, f, fill)
	}
	sel := selection(schema, f.Type.Name(), 1, map[string]bool{schema.Query.Name: true}, "  ", fill)
	if sel == "-" {
		return "", ""
	}
	return f.Name + args + sel, ""
}

// ArgsFor renders arguments: first: 3 on paginated fields, required
// arguments from ids; ok is false when a required argument has no value.
func ArgsFor(f *ast.FieldDefinition, ids map[string]string) (string, bool) {
	return argsWith(f, IDFiller(ids))
}

// argsWith renders arguments: first: 3 on paginated fields, required
// arguments filled by fill; ok is false when one has no value.
func argsWith(f *ast.FieldDefinition, fill ArgFiller) (string, bool) {
	var parts []string
	for _, a := range f.Arguments {
		switch {
		case a.Type.NonNull && a.DefaultValue == nil:
			if fill == nil {
				return "", false
			}
			v, ok := fill(f, a)
			if !ok {
				return "", false
			}
			parts = append(parts, a.Name+": "+inputLiteral(v))
		case a.Name == "first" && a.Type.Name() == "Int":
			parts = append(parts, "first: 3")
		}
	}
	if len(parts) == 0 {
		return "", true
	}
	sort.Strings(parts)
	return "(" + strings.Join(parts, ", ") + ")", true
}

// inputLiteral renders a filled value as a GraphQL literal: strings
// quoted, numbers as they are; an enum value (a string naming one) is
// written bare by the caller's type, so strings that are enum values go
// through enumValue.
func inputLiteral(v any) string {
	if e, ok := v.(enumValue); ok {
		return string(e)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// selection renders " { ... }" for an object type, "" for a leaf, "-" when
// nothing can be selected.
func selection(schema *ast.Schema, typeName string, depth int, onPath map[string]bool, indent string, fill ArgFiller) string {
	def := schema.Types[typeName]
	if def == nil {
		return "-"
	}
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return ""
	case ast.Object:
	default:
		return " { __typename }"
	}
	if depth > fullSelectionDepth || onPath[typeName] {
		return "-"
	}
	onPath[typeName] = true
	defer delete(onPath, typeName)
	var lines []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		args, ok := argsWith(f, fill)
		if !ok {
			continue
		}
		sub := selection(schema, f.Type.Name(), depth+1, onPath, indent+"  ", fill)
		if sub == "-" {
			continue
		}
		lines = append(lines, indent+"  "+f.Name+args+sub)
	}
	if len(lines) == 0 {
		return "-"
	}
	return " {\n" + strings.Join(lines, "\n") + "\n" + indent + "}"
}

// ConnQuery writes a query reading one page of c with the given
// arguments (passed as variables typed as the SDL declares them) and
// node selection.
func ConnQuery(c model.Connection, args map[string]any, sel string) (string, map[string]any) {
	var decl, use []string
	vars := map[string]any{}
	head := c.Path[0]
	if c.Lookup != nil {
		decl = append(decl, "$parent: "+c.Lookup.Arguments[0].Type.String())
		head = fmt.Sprintf("%s(%s: $parent)", c.Lookup.Name, c.Lookup.Arguments[0].Name)
		vars["parent"] = args[model.ParentArg]
	}
	for _, name := range slices.Sorted(maps.Keys(args)) {
		ad := c.Field.Arguments.ForName(name)
		if ad == nil {
			continue
		}
		decl = append(decl, fmt.Sprintf("$%s: %s", name, ad.Type.String()))
		use = append(use, fmt.Sprintf("%s: $%s", name, name))
		vars[name] = args[name]
	}
	call := c.Path[len(c.Path)-1]
	if len(use) > 0 {
		call += "(" + strings.Join(use, ", ") + ")"
	}
	inner := fmt.Sprintf("%s { totalCount edges { cursor node %s } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }", call, sel)
	q := inner
	for i := len(c.Path) - 2; i >= 0; i-- {
		name := c.Path[i]
		if i == 0 {
			name = head
		}
		q = name + " { " + q + " }"
	}
	if len(decl) > 0 {
		return fmt.Sprintf("query Page(%s) { %s }", strings.Join(decl, ", "), q), vars
	}
	return "query Page { " + q + " }", vars
}

// LeafSelection selects the node's scalar and enum fields.
func LeafSelection(a *API, c model.Connection) string {
	return "{ " + strings.Join(model.LeafFields(a.Schema, c.NodeType), " ") + " }"
}
