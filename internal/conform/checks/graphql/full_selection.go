package graphql

import (
	"strings"

	"github.com/standin/standin/internal/conform/kit"
)

// FullSelection is graphql-full-selection: a generated query selecting
// every field of every root query field (to a bounded depth, without
// revisiting a type on the way down, connections limited with first: 3)
// answers data valid for its selection set. Root fields with required
// arguments are selected when the configuration has an id of the argument's
// name.
func (Catalog) FullSelection() kit.Check {
	return kit.Check{
		Name:  "graphql-full-selection",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "a generated query selecting every field returns data valid for its selection set",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			title := "a generated query selecting every field answers valid data"
			return []*kit.Case{kit.Single(ch, a, "Query (every field)", title, func(t *kit.T) {
				q, skipped := kit.FullSelectionQuery(a.Schema, a.Conf.FirstIDs())
				if q == "" {
					t.Skip("no root field can be selected: %s", strings.Join(skipped, "; "))
				}
				doc, err := kit.ParseQuery(a.Schema, q)
				if err != nil {
					t.Fatalf(kit.InTheRun("query"), "the generated query is invalid (a bug of the suite): %v\n%s", err, q)
				}
				r := kit.GQL(t, a.Credentials(), q, nil)
				kit.RequireOK(t, r)
				kit.ValidateSelection(t, doc, "", nil, r)
			})}
		},
	}
}
