package conform

import (
	"fmt"
	"strings"
)

// GraphQLLookups: single-record lookups agree with the list: for every
// node of a root connection (up to --max-records) and every configured id
// of the lookup's argument, each lookup field returning the node type
// (account(id), accountByExternalId(externalId)) answers that record: one
// violation when it is another record, one listing the fields that differ
// from the connection's node otherwise.
var GraphQLLookups = &Check{
	Name:  "graphql-lookups-agree",
	Proto: "graphql",
	Doc:   "account(id), accountByExternalId and the node in accounts agree, for every node and configured id",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		var out []*Case
		for _, c := range connInfos(a) {
			if len(c.path) != 1 {
				continue
			}
			nodeType := c.nodeType.Name
			for _, f := range lookupFields(a.Schema) {
				if f.Type.Name() != nodeType {
					continue
				}
				arg := f.Arguments[0].Name
				title := fmt.Sprintf("%s(%s:) agrees with every node of %s and every configured %s", f.Name, arg, c.path[0], arg)
				out = append(out, single(ch, a, f.Name, title, func(t *T) {
					leaves := leafFields(a.Schema, a.Schema.Types[nodeType])
					if !contains(leaves, arg) {
						t.Skip("%s has no field %s to look %s up by", nodeType, arg, f.Name)
					}
					sel := strings.Join(leaves, " ")
					nodes, _ := walkForward(t, c, nil, "{ "+sel+" }", c.maxPageSize(), t.env.Config.MaxRecords, nil)
					t.exchanges = t.exchanges[:0]
					type target struct {
						key  any
						node map[string]any
						from string
					}
					var targets []target
					seen := map[string]bool{}
					for i, n := range nodes {
						if key := n[arg]; key != nil && !seen[canonical(key)] {
							seen[canonical(key)] = true
							targets = append(targets, target{key, n, fmt.Sprintf("node %d of %s", i, c.path[0])})
						}
					}
					for _, id := range t.api.IDs(arg) {
						if !seen[canonical(id)] {
							seen[canonical(id)] = true
							targets = append(targets, target{id, nil, "ids." + arg + " in the configuration"})
						}
					}
					if len(targets) == 0 {
						t.Skip("no node of %s has a %s and none is configured", c.path[0], arg)
					}
					for _, tg := range targets {
						before := len(t.violations)
						lr := gql(t, a.Conf.Token, fmt.Sprintf("query($v: %s) { %s(%s: $v) { %s } }", f.Arguments[0].Type, f.Name, arg, sel), map[string]any{"v": tg.key})
						if requireOK(t, lr) {
							got, _ := at(lr.decoded(), f.Name).(map[string]any)
							compareRecord(t, "data."+f.Name, arg, tg.key, tg.from, tg.node, got)
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

// compareRecord records one violation when got is not the record asked
// for (its key field differs) and one listing every field that differs
// from want (when want is known).
func compareRecord(t *T, where, key string, asked any, source string, want, got map[string]any) {
	if got == nil {
		t.Errorf(where, "null for %s %s (from %s)", key, canonical(asked), source)
		return
	}
	if canonical(got[key]) != canonical(asked) {
		t.Errorf(where, "asked for %s %s, got another record (%s %s)", key, canonical(asked), key, canonical(got[key]))
		return
	}
	if want == nil {
		return
	}
	var diff []string
	for _, k := range sortedKeys(want) {
		if canonical(want[k]) != canonical(got[k]) {
			diff = append(diff, fmt.Sprintf("%s (want %s, got %s)", k, canonical(want[k]), canonical(got[k])))
		}
	}
	if len(diff) > 0 {
		t.Errorf(where, "the record of %s %s differs from %s in %s", key, canonical(asked), source, strings.Join(diff, ", "))
	}
}
