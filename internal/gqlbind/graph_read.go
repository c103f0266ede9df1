package gqlbind

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/sdlmodel"
)

// DefaultGraphPage is how many records a connection of the graph answers
// when neither first nor last is given.
const DefaultGraphPage = 20

// recordField answers a field of a record.
func (g *graph) recordField(v records.View, n *gnode, f exec.FieldContext) (any, error) {
	p := g.m.Field(f.Field)
	if p == nil {
		return g.valueOr(n, f), nil
	}
	switch p.Kind {
	case sdlmodel.Value:
		return g.valueOr(n, f), nil
	case sdlmodel.Link:
		target, err := g.follow(v, g.recsOf(p.Targets), n.get(f.Name))
		if err != nil || target != nil {
			return target, err
		}
		return g.orGen(f, n.seed()), nil
	case sdlmodel.Lookup:
		return g.lookup(v, p, f, n)
	case sdlmodel.Links, sdlmodel.Inverse, sdlmodel.Contains:
		return g.many(v, p, f, n)
	case sdlmodel.Count:
		return g.count(v, n, p.CountOf)
	}
	return g.gen(f.Field.Type, f.Name, mix(n.seed(), f.Name)), nil
}

// count is the number of records a list field of n answers (before
// paging, without arguments): the value of its xCount field.
func (g *graph) count(v records.View, n *gnode, list string) (int, error) {
	fd := n.r.Def.Fields.ForName(list)
	p := g.m.Field(fd)
	if p == nil || !p.ListLike() {
		return 0, nil
	}
	items, err := g.gather(v, p, exec.FieldContext{Name: list, Field: fd}, g.recsOf(p.Targets), n)
	return len(items), err
}

// sortValue is a record's value of the field an order sorts by: stored,
// or a count (Count fields).
func (g *graph) sortValue(v records.View, n *gnode, field string) any {
	if fd := n.r.Def.Fields.ForName(field); fd != nil {
		if p := g.m.Field(fd); p != nil && p.Kind == sdlmodel.Count {
			c, err := g.count(v, n, p.CountOf)
			if err != nil {
				return nil
			}
			return float64(c)
		}
	}
	return n.get(field)
}

// stored reports whether records of t store field (so the record layer
// can sort by it).
func (g *graph) stored(t *grec, field string) bool {
	fd := t.Def.Fields.ForName(field)
	if fd == nil {
		return false
	}
	p := g.m.Field(fd)
	return p != nil && p.Kind == sdlmodel.Value
}

// valueOr is the record's value of a field, generated when the field is
// non-null and the record holds none.
func (g *graph) valueOr(n *gnode, f exec.FieldContext) any {
	val := n.get(f.Name)
	if val == nil && f.Field.Type.NonNull {
		return g.gen(f.Field.Type, f.Name, mix(n.seed(), f.Name))
	}
	return val
}

// orGen is null for a nullable field, a generated value for a non-null
// one.
func (g *graph) orGen(f exec.FieldContext, seed uint64) any {
	if !f.Field.Type.NonNull {
		return nil
	}
	return g.gen(f.Field.Type, f.Name, mix(seed, f.Name))
}

// rootField answers a field of Query.
func (g *graph) rootField(v records.View, f exec.FieldContext) (any, error) {
	p := g.m.Field(f.Field)
	if p == nil {
		return g.gen(f.Field.Type, f.Name, mix(g.seed, f.Name)), nil
	}
	switch p.Kind {
	case sdlmodel.Root:
		return f.Parent, nil
	case sdlmodel.First:
		for _, t := range g.recsOf(p.Targets) {
			l, err := v.List(records.Query{Collection: t.col}, records.Span{Limit: 1})
			if err != nil {
				return nil, err
			}
			if len(l.Items) > 0 {
				return nodeOf(t, l.Items[0]), nil
			}
		}
		return g.orGen(f, g.seed), nil
	case sdlmodel.Lookup:
		return g.lookup(v, p, f, nil)
	case sdlmodel.NodesByID:
		ids, _ := f.Args[p.Text].([]any)
		out := make([]any, len(ids))
		itemNonNull := f.Field.Type.Elem != nil && f.Field.Type.Elem.NonNull
		for i, id := range ids {
			n, err := g.byKey(v, g.recsOf(p.Targets), id)
			if err != nil {
				return nil, err
			}
			if n != nil {
				out[i] = n
			} else if itemNonNull {
				out[i] = g.gen(f.Field.Type.Elem, f.Name, mix(g.seed, fmt.Sprint(id)))
			}
		}
		return out, nil
	case sdlmodel.All, sdlmodel.Search:
		return g.many(v, p, f, nil)
	}
	return g.gen(f.Field.Type, f.Name, mix(g.seed, f.Name)), nil
}

// follow answers the record a link's key names among the targets: the
// type a global id names first, then each in turn; nil when none holds it.
func (g *graph) follow(v records.View, targets []*grec, key any) (*gnode, error) {
	if key == nil {
		return nil, nil
	}
	return g.byKey(v, targets, key)
}

// byKey finds the record whose key is key among the targets.
func (g *graph) byKey(v records.View, targets []*grec, key any) (*gnode, error) {
	for _, t := range g.byIDFirst(targets, key) {
		it, err := v.Get(t.col, records.Key{Field: t.Key, Value: key})
		switch {
		case err == nil:
			return nodeOf(t, it), nil
		case !errors.Is(err, records.ErrNotFound):
			return nil, err
		}
	}
	return nil, nil
}

// byIDFirst orders targets so that the type a global id names comes
// first (the only one tried, when the id is one of ours).
func (g *graph) byIDFirst(targets []*grec, key any) []*grec {
	if len(targets) < 2 {
		return targets
	}
	s, ok := key.(string)
	if !ok {
		return targets
	}
	typ, _, ok := fakedata.ParseNodeID(s)
	if !ok {
		return targets
	}
	for _, t := range targets {
		if t.Name == typ && t.GlobalIDs() {
			return []*grec{t}
		}
	}
	return targets
}

// lookup answers one record selected by the field's arguments (Lookup);
// on a record, among the records linking back to it.
func (g *graph) lookup(v records.View, p *sdlmodel.Field, f exec.FieldContext, parent *gnode) (any, error) {
	targets := g.recsOf(p.Targets)
	if p.Never {
		targets = nil
	}
	if len(targets) > 1 {
		for _, am := range p.Match[targets[0].Name] {
			if val, ok := f.Args[am.Arg]; ok && am.Via == "" && am.Field == targets[0].Key {
				targets = g.byIDFirst(targets, val)
				break
			}
		}
	}
	for _, t := range targets {
		q, keep, err := g.filters(v, p, t, f.Args)
		if err != nil {
			return nil, err
		}
		if parent != nil {
			if back := p.Back[t.Name]; back != "" {
				q.Where = withEq(q.Where, back, parent.key())
				q.Where.Index = back
			}
		}
		n, err := g.firstOf(v, t, q, keep)
		if err != nil || n != nil {
			return n, err
		}
	}
	if f.Field.Type.NonNull {
		return g.gen(f.Field.Type, f.Name, mix(g.seed, f.Name)), nil
	}
	return nil, &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("could not resolve to a %s with %s", f.Field.Type.Name(), describeArgs(f.Args))}
}

func describeArgs(args map[string]any) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %s", k, quote(args[k]))
	}
	return strings.Join(parts, ", ")
}

// firstOf is the first record of a query that keep admits.
func (g *graph) firstOf(v records.View, t *grec, q records.Query, keep func(*gnode) bool) (*gnode, error) {
	limit := 1
	if keep != nil {
		limit = -1
	}
	l, err := v.List(q, records.Span{Limit: limit})
	if err != nil {
		return nil, err
	}
	for _, it := range l.Items {
		if n := nodeOf(t, it); keep == nil || keep(n) {
			return n, nil
		}
	}
	return nil, nil
}

func withEq(p records.Predicate, field string, val any) records.Predicate {
	eq := make(map[string]any, len(p.Eq)+1)
	for k, x := range p.Eq {
		eq[k] = x
	}
	eq[field] = val
	p.Eq = eq
	return p
}

// filters turns the arguments of a field into a query of target t's
// collection and a check of the records (links followed, words of a
// text argument).
func (g *graph) filters(v records.View, p *sdlmodel.Field, t *grec, args map[string]any) (records.Query, func(*gnode) bool, error) {
	q := records.Query{Collection: t.col}
	var keeps []func(*gnode) bool
	for _, am := range p.Match[t.Name] {
		val, ok := args[am.Arg]
		if !ok || val == nil {
			continue
		}
		vals, isList := val.([]any)
		if isList && len(vals) == 0 {
			continue
		}
		if am.Via == "" {
			if isList {
				if q.Where.OneOf == nil {
					q.Where.OneOf = map[string][]any{}
				}
				q.Where.OneOf[am.Field] = vals
			} else {
				q.Where = withEq(q.Where, am.Field, val)
			}
			continue
		}
		am := am
		fd := t.Def.Fields.ForName(am.Via)
		linked := g.recsOf(g.m.Targets(fd.Type.Name()))
		keeps = append(keeps, func(n *gnode) bool {
			ln, err := g.follow(v, linked, n.get(am.Via))
			if err != nil || ln == nil {
				return false
			}
			if isList {
				return records.OneOf(ln.get(am.Field), vals)
			}
			return records.Equal(ln.get(am.Field), val)
		})
	}
	if p.Text != "" && p.Kind != sdlmodel.NodesByID {
		if s, _ := args[p.Text].(string); s != "" {
			if words := searchWords(s); len(words) > 0 {
				keeps = append(keeps, func(n *gnode) bool { return hasWords(n.record(), words) })
			}
		}
	}
	switch len(keeps) {
	case 0:
		return q, nil, nil
	case 1:
		return q, keeps[0], nil
	}
	return q, func(n *gnode) bool {
		for _, k := range keeps {
			if !k(n) {
				return false
			}
		}
		return true
	}, nil
}

// searchWords are the lower-case words of a search text, qualifiers
// (is:open, repo:a/b) left out.
func searchWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if !strings.Contains(w, ":") {
			out = append(out, strings.Trim(w, `"'`))
		}
	}
	return out
}

// hasWords reports whether every word is in one of the record's text
// values.
func hasWords(rec map[string]any, words []string) bool {
next:
	for _, w := range words {
		for _, val := range rec {
			if s, ok := val.(string); ok && strings.Contains(strings.ToLower(s), w) {
				continue next
			}
		}
		return false
	}
	return true
}
