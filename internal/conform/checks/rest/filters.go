package rest

import (
	"fmt"
	"net/url"

	"github.com/standin/standin/internal/conform/kit"
)

// Filters is rest-filters: each string query parameter of a list operation
// named like a field of its records is a filter: tried with values taken
// from the unfiltered walk, every record answered must match and every
// matching record of the unfiltered walk must be answered. Matching is
// equality unless the parameter's description says "case-insensitive" or
// "contains".
func (Catalog) Filters() kit.Check {
	return kit.Check{
		Name:  "rest-filters",
		Class: kit.ClassFilters,
		Proto: kit.REST,
		Phase: kit.PhaseBehaviour,
		Doc:   "documented query filters keep exactly the matching records",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, l := range a.Lists() {
				for _, f := range l.Filters {
					title := fmt.Sprintf("GET %s?%s=… answers exactly the records whose %s matches", l.Op.Path, f, f)
					out = append(out, kit.Single(ch, a, l.Op.ID(), title, func(t *kit.T) {
						max := t.Env().Config.MaxRecords
						_, all := kit.WalkList(t, l, l.BigSize(), max, nil, false)
						mode := kit.MatchMode(l.Op.ParamDescription(f))
						values := kit.DistinctValues(all, f, 3)
						if len(values) == 0 {
							t.Skip("no record has a %s to filter by", f)
						}
						t.DropExchanges()
						for _, v := range values {
							before := t.ViolationCount()
							_, got := kit.WalkList(t, l, l.BigSize(), max, url.Values{f: {kit.QueryValue(v)}}, false)
							kit.CheckFiltered(t, kit.Body(""), f, mode, v, l.Key, all, got, len(all) >= max)
							if t.ViolationCount() == before {
								t.DropExchanges()
							}
						}
					}))
				}
			}
			return out
		},
	}
}
