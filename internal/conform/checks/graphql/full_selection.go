package graphql

import (
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
)

// FullSelection is graphql-full-selection: for each root query field, a
// generated query selecting every field below it (to a bounded depth,
// without revisiting a type on the way down, connections limited with
// first: 3) answers data valid for its selection set. Required arguments
// take a configured id of the argument's name or a value seen in the
// target's earlier answers (kit.Filler: an id read from a list feeds
// user(id:)); a root field without one is skipped with the reason. A field
// answered null with an error is legal where the field is nullable
// (kit.RequireData).
func (Catalog) FullSelection() kit.Check {
	return kit.Check{
		Name:  "graphql-full-selection",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "for each root field, a generated query selecting every field below it returns data valid for its selection set",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			var out []*kit.Case
			for _, f := range a.Schema.Query.Fields {
				if len(f.Name) > 1 && f.Name[:2] == "__" {
					continue
				}
				coord := a.Schema.Query.Name + "." + f.Name
				title := fmt.Sprintf("%s with every field selected answers valid data", coord)
				out = append(out, kit.Single(ch, a, coord, title, func(t *kit.T) {
					line, why := kit.RootSelection(a.Schema, f, kit.Filler(t))
					if why != "" {
						t.Skip("%s", why)
					}
					if line == "" {
						t.Skip("%s has no field that can be selected", f.Type.Name())
					}
					q := "query FullSelection {\n  " + line + "\n}\n"
					doc, err := kit.ParseQuery(a.Schema, q)
					if err != nil {
						t.Fatalf(kit.InTheRun("query"), "the generated query is invalid (a bug of the suite): %v\n%s", err, q)
					}
					r := kit.GQL(t, a.Credentials(), q, nil)
					kit.RequireData(t, r)
					kit.ValidateSelection(t, doc, "", nil, r)
				}))
			}
			return out
		},
	}
}
