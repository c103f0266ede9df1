package graphql

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/standin/standin/internal/conform/kit"
)

// PropertySelection is graphql-property-selection: random valid queries
// over the SDL (any subset of fields, aliases, named and inline fragments,
// arguments as literals or variables: first/last, enums, input objects of
// enums; required arguments from configured ids and values seen) answer
// data valid for their selection set (respcheck), an error only at a null
// (kit.RequireData). A failure is shrunk to the smallest such query and printed
// as a curl line.
func (Catalog) PropertySelection() kit.Check {
	return kit.Check{
		Name:  "graphql-property-selection",
		Proto: kit.GraphQL,
		Phase: kit.PhaseProperty,
		Doc:   "random valid selection sets (aliases, fragments, variables) answer valid data; failures shrunk to one curl line",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			title := fmt.Sprintf("random valid queries (aliases, fragments, variables; --examples %d) answer valid data", e.Config.Examples)
			return []*kit.Case{kit.Single(ch, a, "Query (random selections)", title, func(t *kit.T) {
				fill := kit.Filler(t)
				if len(kit.SelectableRoots(a, fill)) == 0 {
					t.Skip("no root field can be selected: none is without required arguments, and none has a value for them (ids in conform.yaml, or seen in the target's answers)")
				}
				kit.RunProperty(t, func(rt *rapid.T, st *kit.T) string {
					q, vars := kit.GenerateQuery(rt, a.Schema, fill)
					doc, err := kit.ParseQuery(a.Schema, q)
					if err != nil {
						st.Errorf(kit.InTheRun("query"), "the generated query is invalid (a bug of the suite): %v\n%s", err, q)
						return ""
					}
					r := kit.GQL(st, a.Credentials(), q, vars)
					kit.RequireData(st, r)
					kit.ValidateSelection(st, doc, "", vars, r)
					return fmt.Sprintf("%d bytes of query", len(q))
				})
			})}
		},
	}
}
