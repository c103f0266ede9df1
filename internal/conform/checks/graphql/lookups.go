package graphql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// Lookups is graphql-lookups-agree: single-record lookups agree with the
// lists: for every node of a root connection (up to --max-records), every
// record of a plain root list (allPosts: [Post]) and every configured id
// of the lookup's argument, each lookup field reading that type
// (account(id:), accountByExternalId(externalId:), and node(id:) through
// an interface the type implements) answers that record: one violation
// when it is another record, one listing the fields that differ from the
// list's otherwise.
func (Catalog) Lookups() kit.Check {
	return kit.Check{
		Name:  "graphql-lookups-agree",
		Class: kit.ClassRecords,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "each lookup (account(id), node(id)) agrees with the record in the lists, for every record and configured id",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			type source struct {
				name string
				node *ast.Definition
				read func(t *kit.T, sel string) []map[string]any
			}
			var sources []source
			for _, c := range a.Connections() {
				if len(c.Path) != 1 {
					continue
				}
				sources = append(sources, source{c.Path[0], c.NodeType, func(t *kit.T, sel string) []map[string]any {
					nodes, _ := kit.WalkForward(t, c, nil, "{ "+sel+" }", c.MaxPageSize(), t.Env().Config.MaxRecords, nil)
					return nodes
				}})
			}
			for _, l := range a.ListFields() {
				sources = append(sources, source{l.Field.Name, l.NodeType, func(t *kit.T, sel string) []map[string]any {
					return readList(t, l, sel)
				}})
			}
			for _, src := range sources {
				for _, f := range a.LookupsOf(src.node) {
					arg := f.Arguments[0].Name
					title := fmt.Sprintf("%s(%s:) agrees with every record of %s and every configured %s", f.Name, arg, src.name, arg)
					out = append(out, kit.Single(ch, a, f.Name, title, func(t *kit.T) {
						lookupAgrees(t, src.name, src.node, f, src.read)
					}))
				}
			}
			return out
		},
	}
}

// readList reads a plain root list with every leaf of its records
// selected, up to --max-records records.
func readList(t *kit.T, l model.ListField, sel string) []map[string]any {
	r := kit.GQL(t, t.API().Credentials(), fmt.Sprintf("query List { %s { %s } }", l.Field.Name, sel), nil)
	if !kit.RequireData(t, r) {
		t.FailNow()
	}
	items, _ := kit.At(r.Decoded(), l.Field.Name).([]any)
	var out []map[string]any
	for _, it := range items {
		if len(out) == t.Env().Config.MaxRecords {
			break
		}
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// lookupAgrees reads the records of a list and looks each up with f.
func lookupAgrees(t *kit.T, list string, node *ast.Definition, f *ast.FieldDefinition, read func(t *kit.T, sel string) []map[string]any) {
	a := t.API()
	arg := f.Arguments[0].Name
	leaves := model.LeafFields(a.Schema, node)
	if !slices.Contains(leaves, arg) {
		t.Skip("%s has no field %s to look %s up by", node.Name, arg, f.Name)
	}
	sel := strings.Join(leaves, " ")
	nodes := read(t, sel)
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
			targets = append(targets, target{key, n, fmt.Sprintf("node %d of %s", i, list)})
		}
	}
	for _, id := range a.IDs(arg) {
		if !seen[kit.Canonical(id)] {
			seen[kit.Canonical(id)] = true
			targets = append(targets, target{id, nil, "ids." + arg + " in the configuration"})
		}
	}
	if len(targets) == 0 {
		t.Skip("no record of %s has a %s and none is configured", list, arg)
	}
	inner := sel
	if f.Type.Name() != node.Name {
		inner = "... on " + node.Name + " { " + sel + " }" // node(id:) answers an interface
	}
	for _, tg := range targets {
		before := t.ViolationCount()
		lr := kit.GQL(t, a.Credentials(), fmt.Sprintf("query($v: %s) { %s(%s: $v) { %s } }", f.Arguments[0].Type, f.Name, arg, inner), map[string]any{"v": tg.key})
		if kit.RequireData(t, lr) {
			got, _ := kit.At(lr.Decoded(), f.Name).(map[string]any)
			kit.CompareRecord(t, kit.GQLPath("data."+f.Name), arg, tg.key, tg.from, tg.node, got)
		}
		if t.ViolationCount() == before {
			t.DropExchanges()
		}
	}
}
