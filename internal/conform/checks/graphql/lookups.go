package graphql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Lookups is graphql-lookups-agree: single-record lookups agree with the
// list: for every node of a root connection (up to --max-records) and every
// configured id of the lookup's argument, each lookup field returning the
// node type (account(id), accountByExternalId(externalId)) answers that
// record: one violation when it is another record, one listing the fields
// that differ from the connection's node otherwise.
func (Catalog) Lookups() kit.Check {
	return kit.Check{
		Name:  "graphql-lookups-agree",
		Class: kit.ClassRecords,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "account(id), accountByExternalId and the node in accounts agree, for every node and configured id",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, c := range a.Connections() {
				if len(c.Path) != 1 {
					continue
				}
				nodeType := c.NodeType.Name
				for _, f := range a.LookupFields() {
					if f.Type.Name() != nodeType {
						continue
					}
					arg := f.Arguments[0].Name
					title := fmt.Sprintf("%s(%s:) agrees with every node of %s and every configured %s", f.Name, arg, c.Path[0], arg)
					out = append(out, kit.Single(ch, a, f.Name, title, func(t *kit.T) {
						leaves := model.LeafFields(a.Schema, a.Schema.Types[nodeType])
						if !slices.Contains(leaves, arg) {
							t.Skip("%s has no field %s to look %s up by", nodeType, arg, f.Name)
						}
						sel := strings.Join(leaves, " ")
						nodes, _ := kit.WalkForward(t, c, nil, "{ "+sel+" }", c.MaxPageSize(), t.Env().Config.MaxRecords, nil)
						t.DropExchanges()
						type target struct {
							key  any
							node map[string]any
							from string
						}
						var targets []target
						seen := map[string]bool{}
						for i, n := range nodes {
							if key := n[arg]; key != nil && !seen[kit.Canonical(key)] {
								seen[kit.Canonical(key)] = true
								targets = append(targets, target{key, n, fmt.Sprintf("node %d of %s", i, c.Path[0])})
							}
						}
						for _, id := range t.API().IDs(arg) {
							if !seen[kit.Canonical(id)] {
								seen[kit.Canonical(id)] = true
								targets = append(targets, target{id, nil, "ids." + arg + " in the configuration"})
							}
						}
						if len(targets) == 0 {
							t.Skip("no node of %s has a %s and none is configured", c.Path[0], arg)
						}
						for _, tg := range targets {
							before := t.ViolationCount()
							lr := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($v: %s) { %s(%s: $v) { %s } }", f.Arguments[0].Type, f.Name, arg, sel), map[string]any{"v": tg.key})
							if kit.RequireOK(t, lr) {
								got, _ := kit.At(lr.Decoded(), f.Name).(map[string]any)
								kit.CompareRecord(t, kit.GQLPath("data."+f.Name), arg, tg.key, tg.from, tg.node, got)
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
