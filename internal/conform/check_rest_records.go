package conform

import "fmt"

// RESTRecords: every list operation is walked through the paging
// parameters its contract documents (the largest documented page size),
// up to --max-records records, and every page is validated against the
// response schema, so a defect in record 37 is found, not only in the
// first page.
var RESTRecords = &Check{
	Name:  "rest-records",
	Proto: "rest",
	Doc:   "every record of every list operation (up to --max-records) is valid against the schema",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, l := range restLists(a) {
			title := fmt.Sprintf("GET %s: every record (up to %d) is valid", l.op.Path, e.Config.MaxRecords)
			out = append(out, single(ch, a, l.op.ID(), title, func(t *T) {
				_, recs := restWalk(t, l, bigSize(l), t.env.Config.MaxRecords, nil, true)
				if len(recs) == 0 && !t.Failed() {
					t.Skip("the list is empty: no record to validate")
				}
			}))
		}
		return out
	},
}
