package rest

import (
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
)

// Records is rest-records: every list operation is walked through the
// paging parameters its contract documents (the largest documented page
// size), up to --max-records records, and every page is validated against
// the response schema, so a defect in record 37 is found, not only in the
// first page.
func (Catalog) Records() kit.Check {
	return kit.Check{
		Name:  "rest-records",
		Proto: kit.REST,
		Phase: kit.PhaseBehaviour,
		Doc:   "every record of every list operation (up to --max-records) is valid against the schema",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, l := range a.Lists() {
				title := fmt.Sprintf("GET %s: every record (up to %d) is valid", l.Op.Path, e.Config.MaxRecords)
				out = append(out, kit.Single(ch, a, l.Op.ID(), title, func(t *kit.T) {
					_, recs := kit.WalkList(t, l, l.BigSize(), t.Env().Config.MaxRecords, nil, true)
					if len(recs) == 0 && !t.Failed() {
						t.Skip("the list is empty: no record to validate")
					}
				}))
			}
			return out
		},
	}
}
