package graphql

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// ErrorShape is graphql-error-shape: errors have the specified shape. A
// lookup of an unknown id answers null; when the API's configuration
// requires codes of field errors (errorCodes: fields or required), with an
// error carrying message, locations, path and extensions.code NOT_FOUND,
// else any error it answers has a message and well-formed locations (the
// GraphQL specification requires no error for a null, nor a code). An
// invalid query answers errors with message and locations and no data.
func (Catalog) ErrorShape() kit.Check {
	return kit.Check{
		Name:  "graphql-error-shape",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "errors carry message, locations, path and extensions.code",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, f := range a.LookupFields() {
				arg := f.Arguments[0]
				code := a.FieldCode(http.StatusNotFound)
				title := fmt.Sprintf("%s(%s:) with an unknown value answers null", f.Name, arg.Name)
				if code != "" {
					title += " and a " + code + " error"
				}
				out = append(out, kit.Single(ch, a, f.Name, title, func(t *kit.T) {
					q := fmt.Sprintf("query($v: %s) { %s(%s: $v) { __typename } }", arg.Type, f.Name, arg.Name)
					r := kit.GQL(t, a.Credentials(), q, map[string]any{"v": kit.UnknownArgValue(t, f, arg)})
					if r.HTTP.Status != http.StatusOK {
						t.Errorf(kit.Status(), "want HTTP 200 for a field error, got %d", r.HTTP.Status)
					}
					if v := kit.At(r.Decoded(), f.Name); v != nil {
						t.Errorf(kit.GQLPath("data."+f.Name), "want null for an unknown %s, got a record %s", arg.Name, kit.Excerpt([]byte(kit.Canonical(v))))
					}
					switch {
					case code != "":
						kit.CheckErrorShape(t, r, code, []any{f.Name})
					case len(r.Errors) > 0:
						kit.CheckErrorShape(t, r, "", nil)
					}
				}))
			}
			title := "an invalid query answers errors with message and locations, no data"
			out = append(out, kit.Single(ch, a, "invalid query", title, func(t *kit.T) {
				r := kit.GQL(t, a.Credentials(), "{ __typename standinConformNoSuchField }", nil)
				if r.HTTP.Status != http.StatusOK && r.HTTP.Status != http.StatusBadRequest {
					t.Errorf(kit.Status(), "want HTTP 200 or 400 for an invalid query, got %d", r.HTTP.Status)
				}
				if r.HasData() {
					t.Errorf(kit.GQLPath("data"), "an invalid query must not execute (data must be absent or null)")
				}
				if len(r.Errors) == 0 {
					t.Fatalf(kit.GQLPath("errors"), "want a validation error, got none")
				}
				for i, e := range r.Errors {
					if e.Message == nil || *e.Message == "" {
						t.Errorf(kit.GQLPath(fmt.Sprintf("errors[%d].message", i)), "an error needs a non-empty message")
					}
					if len(e.Locations) == 0 || string(e.Locations) == "null" {
						t.Errorf(kit.GQLPath(fmt.Sprintf("errors[%d].locations", i)), "a validation error needs locations")
					}
				}
			}))
			return out
		},
	}
}
