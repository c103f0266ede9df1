package conform

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// GraphQLFilter: for each connection with a `filter` argument, every
// field of the filter's input type named like a scalar or enum field of
// the node type is tried with values taken from the unfiltered walk:
// every node answered matches, every matching node of the unfiltered walk
// is answered, and totalCount counts them. Matching is equality unless
// the input field's description says "case-insensitive" or "contains".
var GraphQLFilter = &Check{
	Name:  "graphql-filter",
	Proto: "graphql",
	Doc:   "every filter field matching a node field keeps exactly the matching nodes",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connInfos(a) {
			arg := c.field.Arguments.ForName("filter")
			if arg == nil {
				continue
			}
			in := a.Schema.Types[arg.Type.Name()]
			if in == nil || in.Kind != ast.InputObject {
				continue
			}
			leaves := leafFields(a.Schema, c.nodeType)
			for _, f := range in.Fields {
				if !contains(leaves, f.Name) {
					continue
				}
				c, f := c, f
				title := fmt.Sprintf("%s(filter: {%s: …}) answers exactly the nodes whose %s matches", c.name(), f.Name, f.Name)
				out = append(out, single(ch, a, c.name(), title, func(t *T) {
					max := t.env.Config.MaxRecords
					sel := leafSelection(a, c)
					all, _ := walkForward(t, c, nil, sel, c.maxPageSize(), max, nil)
					recs := make([]walkedRecord, len(all))
					for i, n := range all {
						recs[i] = walkedRecord{rec: n, pos: i}
					}
					values := distinctValues(recs, f.Name, 3)
					if len(values) == 0 {
						t.Skip("no node of %s has a %s to filter by", c.name(), f.Name)
					}
					mode := matchMode(f.Description)
					t.exchanges = t.exchanges[:0]
					for _, v := range values {
						before := len(t.violations)
						got, pages := walkForward(t, c, map[string]any{"filter": map[string]any{f.Name: v}}, sel, c.maxPageSize(), max, nil)
						gotRecs := make([]walkedRecord, len(got))
						for i, n := range got {
							gotRecs[i] = walkedRecord{rec: n, pos: i}
						}
						checkFiltered(t, c.name(), f.Name, mode, v, c.key, recs, gotRecs, len(all) >= max)
						want := 0
						for _, r := range recs {
							if matches(mode, r.rec[f.Name], v) {
								want++
							}
						}
						if len(all) < max && len(pages) > 0 && pages[0].totalCount != want {
							t.Errorf(c.name()+".totalCount", "filter %s=%s: totalCount is %d, but the nodes that match number %d", f.Name, canonical(v), pages[0].totalCount, want)
						}
						if len(t.violations) == before {
							t.exchanges = t.exchanges[:0]
						}
					}
				}))
			}
		}
		return out
	},
}
