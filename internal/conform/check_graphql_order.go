package conform

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// GraphQLOrder: for each connection with an `orderBy` argument of an
// input type {field: <enum>, direction: <enum with ASC and DESC>}, every
// field value naming a node field (CREATED_ON: createdOn) is tried in
// every direction: the nodes come sorted by that field, ties keep the
// default order, the same nodes as the default walk are visited, and a
// walk with small pages (cursors) gives the same sequence as one big page.
var GraphQLOrder = &Check{
	Name:  "graphql-order",
	Proto: "graphql",
	Doc:   "orderBy sorts by every field and direction the SDL allows; ties stable; cursors still walk",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connInfos(a) {
			arg := c.field.Arguments.ForName("orderBy")
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
					nodeField := enumToField(c.nodeType, fv)
					title := fmt.Sprintf("%s(orderBy: {%s: %s, %s: %s}) sorts by %s, ties stable, cursors walk", c.name(), fieldArg, fv, dirArg, dv, nodeField)
					out = append(out, single(ch, a, c.name(), title, func(t *T) {
						if nodeField == "" {
							t.Skip("no field of %s is named like %s.%s", c.nodeType.Name, fieldEnum.Name, fv)
						}
						max := t.env.Config.MaxRecords
						sel := "{ " + c.key + " " + nodeField + " }"
						if nodeField == c.key {
							sel = "{ " + c.key + " }"
						}
						base, _ := walkForward(t, c, nil, sel, c.maxPageSize(), max, nil)
						order := map[string]any{fieldArg: fv, dirArg: dv}
						sorted, _ := walkForward(t, c, map[string]any{"orderBy": order}, sel, c.maxPageSize(), max, nil)
						t.exchanges = t.exchanges[:0]
						label := fmt.Sprintf("orderBy %s %s", fv, dv)
						pos := map[string]int{}
						for i, k := range nodeKeys(base, c.key) {
							pos[k] = i
						}
						for i := 1; i < len(sorted); i++ {
							x, y := sorted[i-1], sorted[i]
							cmp := compareScalars(x[nodeField], y[nodeField])
							if dv == "DESC" {
								cmp = -cmp
							}
							if cmp > 0 {
								t.Errorf(fmt.Sprintf("%s.edges[%d]", c.name(), i), "%s: node %s (%s %s) comes before node %s (%s %s): the order is not applied",
									label, keyOf(x, c.key), nodeField, canonical(x[nodeField]), keyOf(y, c.key), nodeField, canonical(y[nodeField]))
								break
							}
							if cmp == 0 && len(base) < max && pos[keyOf(x, c.key)] > pos[keyOf(y, c.key)] {
								t.Errorf(fmt.Sprintf("%s.edges[%d]", c.name(), i), "%s: nodes %s and %s tie on %s %s but come in the reverse of the default order: ties must be stable",
									label, keyOf(x, c.key), keyOf(y, c.key), nodeField, canonical(x[nodeField]))
								break
							}
						}
						if len(base) < max && len(sorted) != len(base) {
							t.Errorf(c.name(), "%s visited %d nodes, the default order %d", label, len(sorted), len(base))
						}
						small, _ := walkForward(t, c, map[string]any{"orderBy": order}, sel, pageSize, max, nil)
						a, b := nodeKeys(sorted, c.key), nodeKeys(small, c.key)
						if len(a) >= max || len(b) >= max {
							n := len(a)
							if len(b) < n {
								n = len(b)
							}
							a, b = a[:n], b[:n]
						}
						if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
							i := firstDiff(b, a)
							t.Errorf(c.name(), "%s: walking with first: %d and cursors gives another sequence than one page of %d: first difference at node #%d (%s, want %s)",
								label, pageSize, c.maxPageSize(), i+1, elem(b, i), elem(a, i))
						} else {
							t.exchanges = t.exchanges[:0]
						}
					}))
				}
			}
		}
		return out
	},
}
