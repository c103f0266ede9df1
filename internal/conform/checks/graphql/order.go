package graphql

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Order is graphql-order: for each connection with an `orderBy` argument of
// an input type {field: <enum>, direction: <enum with ASC and DESC>}, every
// field value naming a node field (CREATED_ON: createdOn) is tried in every
// direction: the nodes come sorted by that field, ties keep the default
// order, the same nodes as the default walk are visited, and a walk with
// small pages (cursors) gives the same sequence as one big page.
func (Catalog) Order() kit.Check {
	return kit.Check{
		Name:  "graphql-order",
		Class: kit.ClassFilters,
		Proto: kit.GraphQL,
		Phase: kit.PhaseBehaviour,
		Doc:   "orderBy sorts by every field and direction the SDL allows; ties stable; cursors still walk",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, c := range a.Connections() {
				arg := c.Field.Arguments.ForName("orderBy")
				if arg == nil {
					continue
				}
				in := a.Schema.Types[arg.Type.Name()]
				if in == nil || in.Kind != ast.InputObject {
					continue
				}
				var fieldArg, dirArg string
				var fieldEnum, dirEnum *ast.Definition
				for _, f := range in.Fields {
					en := a.Schema.Types[f.Type.Name()]
					if en == nil || en.Kind != ast.Enum {
						continue
					}
					if en.EnumValues.ForName("ASC") != nil && en.EnumValues.ForName("DESC") != nil {
						dirArg, dirEnum = f.Name, en
					} else {
						fieldArg, fieldEnum = f.Name, en
					}
				}
				if fieldEnum == nil || dirEnum == nil {
					continue
				}
				for _, fv := range fieldEnum.EnumValues {
					for _, dv := range []string{"ASC", "DESC"} {
						c, fv, dv := c, fv.Name, dv
						nodeField := model.EnumToField(c.NodeType, fv)
						title := fmt.Sprintf("%s(orderBy: {%s: %s, %s: %s}) sorts by %s, ties stable, cursors walk", c.Name(), fieldArg, fv, dirArg, dv, nodeField)
						out = append(out, kit.Single(ch, a, c.Name(), title, func(t *kit.T) {
							if nodeField == "" {
								t.Skip("no field of %s is named like %s.%s", c.NodeType.Name, fieldEnum.Name, fv)
							}
							max := t.Env().Config.MaxRecords
							sel := "{ " + c.Key + " " + nodeField + " }"
							if nodeField == c.Key {
								sel = "{ " + c.Key + " }"
							}
							base, _ := kit.WalkForward(t, c, nil, sel, c.MaxPageSize(), max, nil)
							order := map[string]any{fieldArg: fv, dirArg: dv}
							sorted, _ := kit.WalkForward(t, c, map[string]any{"orderBy": order}, sel, c.MaxPageSize(), max, nil)
							t.DropExchanges()
							label := fmt.Sprintf("orderBy %s %s", fv, dv)
							pos := map[string]int{}
							for i, k := range kit.NodeKeys(base, c.Key) {
								pos[k] = i
							}
							for i := 1; i < len(sorted); i++ {
								x, y := sorted[i-1], sorted[i]
								cmp := kit.CompareScalars(x[nodeField], y[nodeField])
								if dv == "DESC" {
									cmp = -cmp
								}
								if cmp > 0 {
									t.Errorf(kit.GQLPath(fmt.Sprintf("%s.edges[%d]", c.Name(), i)), "%s: node %s (%s %s) comes before node %s (%s %s): the order is not applied",
										label, kit.KeyOf(x, c.Key), nodeField, kit.Canonical(x[nodeField]), kit.KeyOf(y, c.Key), nodeField, kit.Canonical(y[nodeField]))
									break
								}
								if cmp == 0 && len(base) < max && pos[kit.KeyOf(x, c.Key)] > pos[kit.KeyOf(y, c.Key)] {
									t.Errorf(kit.GQLPath(fmt.Sprintf("%s.edges[%d]", c.Name(), i)), "%s: nodes %s and %s tie on %s %s but come in the reverse of the default order: ties must be stable",
										label, kit.KeyOf(x, c.Key), kit.KeyOf(y, c.Key), nodeField, kit.Canonical(x[nodeField]))
									break
								}
							}
							if len(base) < max && len(sorted) != len(base) {
								t.Errorf(kit.GQLPath(c.Name()), "%s visited %d nodes, the default order %d", label, len(sorted), len(base))
							}
							small, _ := kit.WalkForward(t, c, map[string]any{"orderBy": order}, sel, kit.SmallPageSize, max, nil)
							a, b := kit.NodeKeys(sorted, c.Key), kit.NodeKeys(small, c.Key)
							if len(a) >= max || len(b) >= max {
								n := len(a)
								if len(b) < n {
									n = len(b)
								}
								a, b = a[:n], b[:n]
							}
							if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
								i := kit.FirstDiff(b, a)
								t.Errorf(kit.GQLPath(c.Name()), "%s: walking with first: %d and cursors gives another sequence than one page of %d: first difference at node #%d (%s, want %s)",
									label, kit.SmallPageSize, c.MaxPageSize(), i+1, kit.Elem(b, i), kit.Elem(a, i))
							} else {
								t.DropExchanges()
							}
						}))
					}
				}
			}
			return out
		},
	}
}
