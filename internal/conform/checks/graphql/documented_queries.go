package graphql

import (
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
)

// DocumentedQueries is graphql-documented-query: every query printed on the
// API's page (kept under suite/testdata/queries/<api>/, verbatim where
// valid, repaired otherwise) answers without errors, with data valid for
// its selection set (types, nullability, enums, no missing or undeclared
// fields). Documented mutations run in the destructive flows instead.
func (Catalog) DocumentedQueries() kit.Check {
	return kit.Check{
		Name:  "graphql-documented-query",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "each documented query answers data valid for its selection set",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || e.Queries == nil {
				return nil
			}
			var out []*kit.Case
			for _, q := range kit.DocumentedQueries(e, a) {
				if q.Mutation {
					continue
				}
				title := fmt.Sprintf("documented query %s answers valid data", q.File)
				out = append(out, kit.Single(ch, a, q.Operation, title, func(t *kit.T) {
					kit.RunDocumented(t, q)
				}))
			}
			return out
		},
	}
}
