package graphql

import (
	"fmt"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Filter is graphql-filter: for each connection (root, or nested and
// reached through its parent's lookup: Account.subscriptions of the account
// with the most), every field of a `filter` input argument, and every
// direct argument, named like a scalar or enum field of the node type is
// tried with values taken from the unfiltered walk: every node answered
// matches, every matching node of the unfiltered walk is answered, and
// totalCount counts them. Matching is equality unless the field's
// description says "case-insensitive" or "contains".
func (Catalog) Filter() kit.Check {
	return kit.Check{
		Name:  "graphql-filter",
		Class: kit.ClassFilters,
		Proto: kit.GraphQL,
		Phase: kit.PhaseBehaviour,
		Doc:   "every filter field matching a node field keeps exactly the matching nodes",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, c := range append(a.Connections(), a.NestedConnections()...) {
				leaves := model.LeafFields(a.Schema, c.NodeType)
				type filterField struct {
					arg, field, doc string // arg "filter" and field name, or a direct argument
				}
				var fields []filterField
				for _, ad := range c.Field.Arguments {
					switch ad.Name {
					case "first", "after", "last", "before", "orderBy":
						continue
					}
					in := a.Schema.Types[ad.Type.Name()]
					switch {
					case in != nil && in.Kind == ast.InputObject:
						for _, f := range in.Fields {
							if slices.Contains(leaves, f.Name) {
								fields = append(fields, filterField{ad.Name, f.Name, f.Description})
							}
						}
					case slices.Contains(leaves, ad.Name):
						fields = append(fields, filterField{"", ad.Name, ad.Description})
					}
				}
				for _, f := range fields {
					name, call := c.Name(), f.field+": …"
					if c.Parent != nil {
						name = c.Parent.NodeType.Name + "." + c.Field.Name
					}
					if f.arg != "" {
						call = fmt.Sprintf("%s: {%s: …}", f.arg, f.field)
					}
					title := fmt.Sprintf("%s(%s) answers exactly the nodes whose %s matches", name, call, f.field)
					out = append(out, kit.Single(ch, a, name, title, func(t *kit.T) {
						max := t.Env().Config.MaxRecords
						var extra map[string]any
						if c.Parent != nil {
							p, n := kit.RichestParent(t, c)
							if n <= 0 {
								t.Skip("no %s has %s", c.Parent.NodeType.Name, c.Field.Name)
							}
							extra = map[string]any{model.ParentArg: p}
						}
						sel := kit.LeafSelection(a, c)
						all, _ := kit.WalkForward(t, c, extra, sel, c.MaxPageSize(), max, nil)
						recs := make([]kit.WalkedRecord, len(all))
						for i, n := range all {
							recs[i] = kit.WalkedRecord{Rec: n, Pos: i}
						}
						values := kit.DistinctValues(recs, f.field, 3)
						if len(values) == 0 {
							t.Skip("no node of %s has a %s to filter by", c.Label(extra), f.field)
						}
						mode := kit.MatchMode(f.doc)
						t.DropExchanges()
						for _, v := range values {
							before := t.ViolationCount()
							args := map[string]any{}
							for k, x := range extra {
								args[k] = x
							}
							if f.arg != "" {
								args[f.arg] = map[string]any{f.field: v}
							} else {
								args[f.field] = v
							}
							got, pages := kit.WalkForward(t, c, args, sel, c.MaxPageSize(), max, nil)
							gotRecs := make([]kit.WalkedRecord, len(got))
							for i, n := range got {
								gotRecs[i] = kit.WalkedRecord{Rec: n, Pos: i}
							}
							kit.CheckFiltered(t, kit.GQLPath(c.Label(extra)), f.field, mode, v, c.Key, recs, gotRecs, len(all) >= max)
							want := 0
							for _, r := range recs {
								if kit.Matches(mode, r.Rec[f.field], v) {
									want++
								}
							}
							if len(all) < max && len(pages) > 0 && pages[0].TotalCount != want {
								t.Errorf(kit.GQLPath(c.Label(extra)+".totalCount"), "filter %s=%s: totalCount is %d, but the nodes that match number %d", f.field, kit.Canonical(v), pages[0].TotalCount, want)
							}
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
