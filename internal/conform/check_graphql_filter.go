package conform

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// GraphQLFilter: for each connection (root, or nested and reached through
// its parent's lookup: Account.subscriptions of the account with the
// most), every field of a `filter` input argument, and every direct
// argument, named like a scalar or enum field of the node type is tried
// with values taken from the unfiltered walk: every node answered
// matches, every matching node of the unfiltered walk is answered, and
// totalCount counts them. Matching is equality unless the field's
// description says "case-insensitive" or "contains".
var GraphQLFilter = &Check{
	Name:  "graphql-filter",
	Proto: "graphql",
	Doc:   "every filter field matching a node field keeps exactly the matching nodes",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range append(connInfos(a), nestedConnInfos(a)...) {
			leaves := leafFields(a.Schema, c.nodeType)
			type filterField struct {
				arg, field, doc string // arg "filter" and field name, or a direct argument
			}
			var fields []filterField
			for _, ad := range c.field.Arguments {
				switch ad.Name {
				case "first", "after", "last", "before", "orderBy":
					continue
				}
				in := a.Schema.Types[ad.Type.Name()]
				switch {
				case in != nil && in.Kind == ast.InputObject:
					for _, f := range in.Fields {
						if contains(leaves, f.Name) {
							fields = append(fields, filterField{ad.Name, f.Name, f.Description})
						}
					}
				case contains(leaves, ad.Name):
					fields = append(fields, filterField{"", ad.Name, ad.Description})
				}
			}
			for _, f := range fields {
				name, call := c.name(), f.field+": …"
				if c.parent != nil {
					name = c.parent.nodeType.Name + "." + c.field.Name
				}
				if f.arg != "" {
					call = fmt.Sprintf("%s: {%s: …}", f.arg, f.field)
				}
				title := fmt.Sprintf("%s(%s) answers exactly the nodes whose %s matches", name, call, f.field)
				out = append(out, single(ch, a, name, title, func(t *T) {
					max := t.env.Config.MaxRecords
					var extra map[string]any
					if c.parent != nil {
						p, n := richestParent(t, c)
						if n <= 0 {
							t.Skip("no %s has %s", c.parent.nodeType.Name, c.field.Name)
						}
						extra = map[string]any{parentArg: p}
					}
					sel := leafSelection(a, c)
					all, _ := walkForward(t, c, extra, sel, c.maxPageSize(), max, nil)
					recs := make([]walkedRecord, len(all))
					for i, n := range all {
						recs[i] = walkedRecord{rec: n, pos: i}
					}
					values := distinctValues(recs, f.field, 3)
					if len(values) == 0 {
						t.Skip("no node of %s has a %s to filter by", c.label(extra), f.field)
					}
					mode := matchMode(f.doc)
					t.exchanges = t.exchanges[:0]
					for _, v := range values {
						before := len(t.violations)
						args := map[string]any{}
						for k, x := range extra {
							args[k] = x
						}
						if f.arg != "" {
							args[f.arg] = map[string]any{f.field: v}
						} else {
							args[f.field] = v
						}
						got, pages := walkForward(t, c, args, sel, c.maxPageSize(), max, nil)
						gotRecs := make([]walkedRecord, len(got))
						for i, n := range got {
							gotRecs[i] = walkedRecord{rec: n, pos: i}
						}
						checkFiltered(t, c.label(extra), f.field, mode, v, c.key, recs, gotRecs, len(all) >= max)
						want := 0
						for _, r := range recs {
							if matches(mode, r.rec[f.field], v) {
								want++
							}
						}
						if len(all) < max && len(pages) > 0 && pages[0].totalCount != want {
							t.Errorf(c.label(extra)+".totalCount", "filter %s=%s: totalCount is %d, but the nodes that match number %d", f.field, canonical(v), pages[0].totalCount, want)
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
