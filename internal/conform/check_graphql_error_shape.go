package conform

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// GraphQLErrorShape: errors have the specified shape. A lookup of an
// unknown id answers null with an error carrying message, locations, path
// and extensions.code NOT_FOUND; an invalid query answers errors with
// message and locations and no data.
var GraphQLErrorShape = &Check{
	Name:  "graphql-error-shape",
	Proto: "graphql",
	Doc:   "errors carry message, locations, path and extensions.code",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, f := range lookupFields(a.Schema) {
			arg := f.Arguments[0]
			title := fmt.Sprintf("%s(%s:) with an unknown value answers null and a NOT_FOUND error", f.Name, arg.Name)
			out = append(out, single(ch, a, f.Name, title, func(t *T) {
				q := fmt.Sprintf("query($v: %s) { %s(%s: $v) { __typename } }", arg.Type, f.Name, arg.Name)
				r := gql(t, a.Conf.Token, q, map[string]any{"v": unknownValue(a.ID(arg.Name))})
				if r.HTTP.Status != http.StatusOK {
					t.Errorf("status", "want HTTP 200 for a field error, got %d", r.HTTP.Status)
				}
				if v := at(r.decoded(), f.Name); v != nil {
					t.Errorf("data."+f.Name, "want null for an unknown %s, got a record %s", arg.Name, excerpt([]byte(canonical(v))))
				}
				checkErrorShape(t, r, "NOT_FOUND", []any{f.Name})
			}))
		}
		title := "an invalid query answers errors with message and locations, no data"
		out = append(out, single(ch, a, "invalid query", title, func(t *T) {
			r := gql(t, a.Conf.Token, "{ __typename standinConformNoSuchField }", nil)
			if r.HTTP.Status != http.StatusOK && r.HTTP.Status != http.StatusBadRequest {
				t.Errorf("status", "want HTTP 200 or 400 for an invalid query, got %d", r.HTTP.Status)
			}
			if r.hasData() {
				t.Errorf("data", "an invalid query must not execute (data must be absent or null)")
			}
			if len(r.Errors) == 0 {
				t.Fatalf("errors", "want a validation error, got none")
			}
			for i, e := range r.Errors {
				if e.Message == nil || *e.Message == "" {
					t.Errorf(fmt.Sprintf("errors[%d].message", i), "an error needs a non-empty message")
				}
				if len(e.Locations) == 0 || string(e.Locations) == "null" {
					t.Errorf(fmt.Sprintf("errors[%d].locations", i), "a validation error needs locations")
				}
			}
		}))
		return out
	},
}

// lookupFields lists root query fields returning a nullable object type
// with exactly one argument, required: account(id: ID!), ...
func lookupFields(schema *ast.Schema) []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	if schema.Query == nil {
		return nil
	}
	for _, f := range schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") || f.Type.NonNull || f.Type.Elem != nil || len(f.Arguments) != 1 || !f.Arguments[0].Type.NonNull {
			continue
		}
		if d := schema.Types[f.Type.Name()]; d != nil && d.Kind == ast.Object {
			out = append(out, f)
		}
	}
	return out
}
