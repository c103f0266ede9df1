package conform

import (
	"fmt"
	"strings"
)

// GraphQLLookups: single-record lookups agree with the list: for the first
// nodes of a root connection, each lookup field returning the same type
// (account(id), accountByExternalId(externalId)) answers the same record,
// field by field.
var GraphQLLookups = &Check{
	Name:  "graphql-lookups-agree",
	Proto: "graphql",
	Doc:   "account(id), accountByExternalId and the node in accounts agree",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connections(a.Schema) {
			if len(c.path) != 1 {
				continue
			}
			c := c
			nodeType := connectionNodeType(a, c)
			for _, f := range lookupFields(a.Schema) {
				if f.Type.Name() != nodeType {
					continue
				}
				f := f
				arg := f.Arguments[0].Name
				title := fmt.Sprintf("%s(%s:) agrees with the nodes of %s", f.Name, arg, c.path[0])
				out = append(out, single(ch, a, f.Name, title, func(t *T) {
					leaves := leafFields(a.Schema, a.Schema.Types[nodeType])
					if !contains(leaves, arg) {
						t.Skip("%s has no field %s to look %s up by", nodeType, arg, f.Name)
					}
					sel := strings.Join(leaves, " ")
					r := gql(t, a.Conf.Token, fmt.Sprintf("{ %s(first: 5) { nodes { %s } } }", c.path[0], sel), nil)
					if !requireOK(t, r) {
						t.FailNow()
					}
					nodes, _ := at(r.decoded(), c.path[0], "nodes").([]any)
					checked := 0
					for i, n := range nodes {
						key := at(n, arg)
						if key == nil {
							continue
						}
						lr := gql(t, a.Conf.Token, fmt.Sprintf("query($v: %s) { %s(%s: $v) { %s } }", f.Arguments[0].Type, f.Name, arg, sel), map[string]any{"v": key})
						if !requireOK(t, lr) {
							continue
						}
						got, _ := at(lr.decoded(), f.Name).(map[string]any)
						compareRecords(t, fmt.Sprintf("data.%s", f.Name), fmt.Sprintf("%s.nodes[%d]", c.path[0], i), n.(map[string]any), got)
						checked++
						t.exchanges = t.exchanges[:0]
					}
					if checked == 0 {
						t.Skip("no node of %s has a %s", c.path[0], arg)
					}
				}))
			}
		}
		return out
	},
}

func connectionNodeType(a *API, c connection) string {
	f := a.Schema.Query.Fields.ForName(c.path[0])
	conn := a.Schema.Types[f.Type.Name()]
	edge := a.Schema.Types[conn.Fields.ForName("edges").Type.Name()]
	return edge.Fields.ForName("node").Type.Name()
}

// compareRecords records a violation for every key of want whose value in
// got differs.
func compareRecords(t *T, where, source string, want, got map[string]any) {
	if got == nil {
		t.Errorf(where, "null, but %s has this record", source)
		return
	}
	for _, k := range sortedKeys(want) {
		if canonical(want[k]) != canonical(got[k]) {
			t.Errorf(where+"."+k, "want %s (as in %s), got %s", canonical(want[k]), source, canonical(got[k]))
		}
	}
}
