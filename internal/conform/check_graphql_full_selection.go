package conform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// fullSelectionDepth bounds the object nesting of the generated query.
const fullSelectionDepth = 6

// GraphQLFullSelection: a generated query selecting every field of every
// root query field (to a bounded depth, without revisiting a type on the
// way down, connections limited with first: 3) answers data valid for its
// selection set. Root fields with required arguments are selected when the
// configuration has an id of the argument's name.
var GraphQLFullSelection = &Check{
	Name:  "graphql-full-selection",
	Proto: "graphql",
	Doc:   "a generated query selecting every field returns data valid for its selection set",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || a.Schema.Query == nil {
			return nil
		}
		title := "a generated query selecting every field answers valid data"
		return []*Case{single(ch, a, "Query (every field)", title, func(t *T) {
			q, skipped := FullSelectionQuery(a.Schema, a.Conf.FirstIDs())
			if q == "" {
				t.Skip("no root field can be selected: %s", strings.Join(skipped, "; "))
			}
			doc, err := parseQuery(a.Schema, q)
			if err != nil {
				t.Fatalf("query", "the generated query is invalid (a bug of the suite): %v\n%s", err, q)
			}
			r := gql(t, a.Conf.Token, q, nil)
			requireOK(t, r)
			validateSelection(t, doc, "", nil, r)
		})}
	},
}

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
		args, ok := argsFor(f, ids)
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

// argsFor renders arguments: first: 3 on paginated fields, required
// arguments from ids; ok is false when a required argument has no value.
func argsFor(f *ast.FieldDefinition, ids map[string]string) (string, bool) {
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
		args, ok := argsFor(f, nil)
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
