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
// the query root. ids gives values of required arguments by name; the
// second result names the root fields left out for want of one.
func FullSelectionQuery(schema *ast.Schema, ids map[string]string) (string, []string) {
	var b strings.Builder
	var skipped []string
	b.WriteString("query FullSelection {\n")
	n := 0
	for _, f := range schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		args, ok := ArgsFor(f, ids)
		if !ok {
			skipped = append(skipped, fmt.Sprintf("Query.%s needs an id (ids in conform.yaml)", f.Name))
			continue
		}
		sel := selection(schema, f.Type.Name(), 1, map[string]bool{schema.Query.Name: true}, "  ")
		if sel == "-" {
			continue
		}
		fmt.Fprintf(&b, "  %s%s%s\n", f.Name, args, sel)
		n++
	}
	b.WriteString("}\n")
	if n == 0 {
		return "", skipped
	}
	return b.String(), skipped
}

// ArgsFor renders arguments: first: 3 on paginated fields, required
// arguments from ids; ok is false when a required argument has no value.
func ArgsFor(f *ast.FieldDefinition, ids map[string]string) (string, bool) {
	var parts []string
	for _, a := range f.Arguments {
		switch {
		case a.Type.NonNull && a.DefaultValue == nil:
			v, ok := ids[a.Name]
			if !ok || v == "" {
				return "", false
			}
			s, _ := json.Marshal(v)
			parts = append(parts, a.Name+": "+string(s))
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

// selection renders " { ... }" for an object type, "" for a leaf, "-" when
// nothing can be selected.
func selection(schema *ast.Schema, typeName string, depth int, onPath map[string]bool, indent string) string {
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
		args, ok := ArgsFor(f, nil)
		if !ok {
			continue
		}
		sub := selection(schema, f.Type.Name(), depth+1, onPath, indent+"  ")
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
