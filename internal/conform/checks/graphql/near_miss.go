package graphql

import (
	"fmt"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// nearMissValues bounds the real values each lookup and filter is probed
// around.
const nearMissValues = 2

// NearMiss is graphql-near-miss: each lookup field (account(id:),
// accountByExternalId(externalId:)) and each String or ID filter of a
// connection (a filter input's field, or an argument named like a node
// field) is probed, around real values (the configured ids, the values of
// the walked connection), with near misses (kit.NearMisses: the case
// changed, a character dropped at either end, one changed, a space before
// or after, one appended), judged by the contract's own matching rule
// (kit.ReadMatchRule, from the argument's and the field's descriptions): a
// lookup answers a record only for a value the rule matches to it
// (unstated: identity, a UUID's case aside), a filter answers at least the
// nodes the rule must match and none it may not (unstated: at most the
// nodes containing the value, whatever the case and surrounding spaces).
func (Catalog) NearMiss() kit.Check {
	return kit.Check{
		Name:  "graphql-near-miss",
		Proto: kit.GraphQL,
		Phase: kit.PhaseBehaviour,
		Class: kit.ClassNearMiss,
		Doc:   "lookups and filters probed with near misses of real values (case, prefix, one character, spaces), judged by the contract's matching rule",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			var out []*kit.Case
			for _, f := range a.LookupFields() {
				arg := f.Arguments[0]
				node := a.Schema.Types[f.Type.Name()]
				if !stringLike(a.Schema, arg.Type) || node.Fields.ForName(arg.Name) == nil {
					continue
				}
				rule := kit.ReadMatchRule(arg.Description, f.Description)
				title := fmt.Sprintf("%s(%s:) with near misses of real values (the contract's rule: %s) finds no other record", f.Name, arg.Name, rule)
				out = append(out, kit.Single(ch, a, f.Name, title, func(t *kit.T) { nearMissLookup(t, a, f, rule) }))
			}
			for _, c := range append(a.Connections(), a.NestedConnections()...) {
				leaves := model.LeafFields(a.Schema, c.NodeType)
				for _, ad := range c.Field.Arguments {
					in := a.Schema.Types[ad.Type.Name()]
					var fields []*ast.FieldDefinition
					switch {
					case in != nil && in.Kind == ast.InputObject:
						fields = in.Fields
					case slices.Contains(leaves, ad.Name):
						fields = []*ast.FieldDefinition{{Name: ad.Name, Type: ad.Type, Description: ad.Description}}
					}
					for _, ff := range fields {
						if !slices.Contains(leaves, ff.Name) || !stringLike(a.Schema, ff.Type) {
							continue
						}
						name := c.Name()
						if c.Parent != nil {
							name = c.Parent.NodeType.Name + "." + c.Field.Name
						}
						wrap := ad.Name != ff.Name
						rule := kit.ReadMatchRule(ff.Description)
						call := ff.Name + ": …"
						if wrap {
							call = fmt.Sprintf("%s: {%s: …}", ad.Name, ff.Name)
						}
						title := fmt.Sprintf("%s(%s) with near misses of real values (the contract's rule: %s) answers exactly what the rule matches", name, call, rule)
						argName, field := ad.Name, ff.Name
						out = append(out, kit.Single(ch, a, name, title, func(t *kit.T) { nearMissFilter(t, a, c, argName, field, wrap, rule) }))
					}
				}
			}
			return out
		},
	}
}

// stringLike reports whether a type is String or ID (a near miss of an
// enum value is invalid input, the negative checks' business).
func stringLike(s *ast.Schema, t *ast.Type) bool {
	return t.Elem == nil && (t.Name() == "String" || t.Name() == "ID")
}

func nearMissLookup(t *kit.T, a *kit.API, f *ast.FieldDefinition, rule kit.MatchRule) {
	arg := f.Arguments[0]
	var known []string
	for _, id := range a.IDs(arg.Name) {
		if !slices.Contains(known, id) {
			known = append(known, id)
		}
	}
	complete := false
	max := t.Env().Config.MaxRecords
	for _, c := range a.Connections() {
		if c.NodeType.Name != f.Type.Name() || len(c.Path) != 1 {
			continue
		}
		nodes, _ := kit.WalkForward(t, c, nil, "{ "+arg.Name+" }", c.MaxPageSize(), max, nil)
		complete = len(nodes) < max
		for _, n := range nodes {
			if s, ok := n[arg.Name].(string); ok && !slices.Contains(known, s) {
				known = append(known, s)
			}
		}
		break
	}
	if len(known) == 0 {
		// no connection of the type: a plain root list of it
		// (allPosts: [Post]), as the lookups read
		for _, l := range a.ListFields() {
			if l.NodeType.Name != f.Type.Name() || !slices.Contains(model.LeafFields(a.Schema, l.NodeType), arg.Name) {
				continue
			}
			nodes := readList(t, l, arg.Name)
			complete = len(nodes) < max
			for _, n := range nodes {
				if s, ok := n[arg.Name].(string); ok && !slices.Contains(known, s) {
					known = append(known, s)
				}
			}
			break
		}
	}
	t.DropExchanges()
	if len(known) == 0 {
		t.Skip("no real %s to derive near misses from: set ids.%s in conform.yaml", arg.Name, arg.Name)
	}
	isKnown := map[string]bool{}
	for _, v := range known {
		isKnown[v] = true
	}
	q := fmt.Sprintf("query($v: %s) { %s(%s: $v) { %s } }", arg.Type, f.Name, arg.Name, arg.Name)
	for _, v := range known[:min(nearMissValues, len(known))] {
		for _, nm := range kit.NearMisses(v) {
			if isKnown[nm.Value] || (!complete && !nm.CaseOnly(v) && nm.Value != v+" " && nm.Value != " "+v) {
				continue
			}
			n := t.ViolationCount()
			r := kit.GQL(t, a.Credentials(), q, map[string]any{"v": nm.Value})
			got, _ := kit.At(r.Decoded(), f.Name, arg.Name).(string)
			found := kit.At(r.Decoded(), f.Name) != nil
			switch {
			case r.HTTP.Status >= 500:
				t.Errorf(kit.Status(), "%s(%s: %q) (%s %s): HTTP %d, a server error for a value that names no record", f.Name, arg.Name, nm.Value, v, nm.How, r.HTTP.Status)
			case found && !kit.MayMatch(rule, true, got, nm.Value):
				t.Errorf(kit.GQLPath("data."+f.Name), "%s(%s: %q) (%s %s) answered the record whose %s is %q: the contract's rule is %s, so a near miss must not find it", f.Name, arg.Name, nm.Value, v, nm.How, arg.Name, got, rule)
			case !found && kit.MustMatch(rule, v, nm.Value):
				t.Errorf(kit.GQLPath("data."+f.Name), "%s(%s: %q) (%s %s) is null, but the contract's rule (%s) matches it to the record whose %s is %q", f.Name, arg.Name, nm.Value, v, nm.How, rule, arg.Name, v)
			}
			if t.ViolationCount() == n {
				t.DropLastExchange()
			}
		}
	}
}

func nearMissFilter(t *kit.T, a *kit.API, c model.Connection, argName, field string, wrap bool, rule kit.MatchRule) {
	max := t.Env().Config.MaxRecords
	var extra map[string]any
	if c.Parent != nil {
		p, n := kit.RichestParent(t, c)
		if n <= 0 {
			t.Skip("no %s has %s", c.Parent.NodeType.Name, c.Field.Name)
		}
		extra = map[string]any{model.ParentArg: p}
	}
	sel := "{ " + c.Key + " " + field + " }"
	if c.Key == field {
		sel = "{ " + field + " }"
	}
	all, _ := kit.WalkForward(t, c, extra, sel, c.MaxPageSize(), max, nil)
	if len(all) >= max {
		t.Skip("the connection has %d nodes or more (--max-records): what a filter must answer is unknown", max)
	}
	recs := make([]kit.WalkedRecord, len(all))
	isKnown := map[string]bool{}
	for i, n := range all {
		recs[i] = kit.WalkedRecord{Rec: n, Pos: i}
		if s, ok := n[field].(string); ok {
			isKnown[s] = true
		}
	}
	var values []string
	for _, v := range kit.DistinctValues(recs, field, nearMissValues) {
		if s, ok := v.(string); ok {
			values = append(values, s)
		}
	}
	if len(values) == 0 {
		t.Skip("no node of %s has a %s to derive near misses from", c.Label(extra), field)
	}
	t.DropExchanges()
	for _, v := range values {
		for _, nm := range kit.NearMisses(v) {
			if isKnown[nm.Value] {
				continue
			}
			n := t.ViolationCount()
			args := map[string]any{}
			for k, x := range extra {
				args[k] = x
			}
			if wrap {
				args[argName] = map[string]any{field: nm.Value}
			} else {
				args[argName] = nm.Value
			}
			got, _ := kit.WalkForward(t, c, args, sel, c.MaxPageSize(), max, nil)
			answered := map[string]bool{}
			for _, g := range got {
				k := kit.KeyOf(g, c.Key)
				answered[k] = true
				rv, _ := g[field].(string)
				if !kit.MayMatch(rule, false, rv, nm.Value) {
					t.Errorf(kit.GQLPath(c.Label(extra)), "filter %s=%q (%s %s) answered %s %s, whose %s is %q: the contract's rule is %s, so the near miss must not match it", field, nm.Value, v, nm.How, c.Key, k, field, rv, rule)
					break
				}
			}
			for _, r := range all {
				rv, _ := r[field].(string)
				if k := kit.KeyOf(r, c.Key); kit.MustMatch(rule, rv, nm.Value) && !answered[k] {
					t.Errorf(kit.GQLPath(c.Label(extra)), "filter %s=%q (%s %s) left out %s %s, whose %s %q the contract's rule (%s) matches", field, nm.Value, v, nm.How, c.Key, k, field, rv, rule)
					break
				}
			}
			if t.ViolationCount() == n {
				t.DropExchanges()
			}
		}
	}
}
