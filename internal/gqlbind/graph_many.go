package gqlbind

import (
	"slices"
	"strings"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/sdlmodel"
	"github.com/standin/standin/internal/store"
)

// gwin is a connection's paging arguments.
type gwin struct {
	first, last   int // -1: not given
	after, before string
}

// window reads first/last/after/before: first and last within 0..the
// page cap, not both; neither gives DefaultGraphPage records of a
// connection.
func (g *graph) window(args map[string]any, conn bool) (gwin, error) {
	w := gwin{first: -1, last: -1}
	for _, x := range []struct {
		name string
		to   *int
	}{{"first", &w.first}, {"last", &w.last}} {
		if n, ok := args[x.name].(int); ok {
			if n < 0 || n > g.b.maxPage {
				return w, badInput("%s must be between 0 and %d, got %d", x.name, g.b.maxPage, n)
			}
			*x.to = n
		}
	}
	if w.first >= 0 && w.last >= 0 {
		return w, badInput("pass first or last, not both")
	}
	if w.first < 0 && w.last < 0 && conn {
		w.first = DefaultGraphPage
	}
	w.after, _ = args["after"].(string)
	w.before, _ = args["before"].(string)
	return w, nil
}

// gorder is the order an orderBy argument asks for: an enum value and a
// direction ("" when none).
type gorder struct{ value, dir string }

func (o gorder) key() string {
	if o.value == "" {
		return ""
	}
	return o.value + ":" + o.dir
}

func orderOf(p *sdlmodel.Field, args map[string]any) gorder {
	if p.Order == nil {
		return gorder{}
	}
	m, _ := args[p.Order.Arg].(map[string]any)
	if m == nil {
		return gorder{}
	}
	o := gorder{}
	o.value, _ = m[p.Order.FieldKey].(string)
	o.dir = "ASC"
	if d, _ := m[p.Order.DirKey].(string); d != "" {
		o.dir = d
	}
	return o
}

// field is the record field the order sorts records of t by ("" none).
func (o gorder) field(p *sdlmodel.Field, t *grec) string {
	if o.value == "" || p.Order == nil {
		return ""
	}
	return p.Order.Fields[t.Name][o.value]
}

// many answers a list or a connection of records: the keys the parent
// stores (Links), the records linking back to it (Inverse, Contains), or
// all records of the targets (All, Search), filtered by the arguments,
// ordered, paged.
func (g *graph) many(v records.View, p *sdlmodel.Field, f exec.FieldContext, parent *gnode) (any, error) {
	targets := g.recsOf(p.Targets)
	if p.TypeArg != "" {
		targets = byTypeArg(targets, f.Args[p.TypeArg])
	}
	w, err := g.window(f.Args, p.Conn != nil)
	if err != nil {
		return nil, err
	}
	o := orderOf(p, f.Args)
	seed := g.seed
	if parent != nil {
		seed = parent.seed()
	}
	seed = mix(seed, f.Name)
	if len(targets) == 1 && (p.Kind == sdlmodel.Inverse || p.Kind == sdlmodel.All || p.Kind == sdlmodel.Search) {
		t := targets[0]
		q, keep, err := g.filters(v, p, t, f.Args)
		if err != nil {
			return nil, err
		}
		if p.Kind == sdlmodel.Inverse {
			back := p.Back[t.Name]
			q.Where = withEq(q.Where, back, parent.key())
			q.Where.Index = back
		}
		fld := o.field(p, t)
		if keep == nil && (fld == "" || g.stored(t, fld)) {
			if fld != "" {
				q.Order = records.Order{Key: o.key(), Field: fld, Desc: o.dir == "DESC"}
			}
			return g.fast(v, p, f, t, q, w, seed)
		}
	}
	items, err := g.gather(v, p, f, targets, parent)
	if err != nil {
		return nil, err
	}
	var sortBy map[*gnode]any
	if o.value != "" {
		sortBy = make(map[*gnode]any, len(items))
		for _, n := range items {
			if fld := o.field(p, n.r); fld != "" {
				sortBy[n] = g.sortValue(v, n, fld)
			}
		}
		slices.SortStableFunc(items, func(a, b *gnode) int {
			c := compareValues(sortBy[a], sortBy[b])
			if o.dir == "DESC" {
				c = -c
			}
			return c
		})
	}
	if p.Conn == nil {
		if len(items) > g.b.maxPage {
			items = items[:g.b.maxPage]
		}
		out := make([]any, len(items))
		for i, n := range items {
			out[i] = n
		}
		return out, nil
	}
	return g.page(p, items, w, o, seed, sortBy)
}

// byTypeArg keeps the targets an enum argument names (ISSUE: Issue;
// ISSUE_ADVANCED: Issue too); none when it names no target.
func byTypeArg(targets []*grec, val any) []*grec {
	s, ok := val.(string)
	if !ok || s == "" {
		return targets
	}
	var out []*grec
	for _, t := range targets {
		u := sdlmodel.UpperSnake(t.Name)
		if s == u || strings.HasPrefix(s, u+"_") {
			out = append(out, t)
		}
	}
	return out
}

// fast answers a connection or list of one collection through the record
// layer (cursors, order and paging as for bound connections).
func (g *graph) fast(v records.View, p *sdlmodel.Field, f exec.FieldContext, t *grec, q records.Query, w gwin, seed uint64) (any, error) {
	if p.Conn == nil {
		l, err := v.List(q, records.Span{Limit: g.b.maxPage})
		if err != nil {
			return nil, err
		}
		out := make([]any, len(l.Items))
		for i, it := range l.Items {
			out[i] = nodeOf(t, it)
		}
		return out, nil
	}
	rw := records.Window{First: w.first, Last: w.last}
	var err error
	if rw.After, err = decodeArg(w.after, "after", q.Order); err != nil {
		return nil, err
	}
	if rw.Before, err = decodeArg(w.before, "before", q.Order); err != nil {
		return nil, err
	}
	cut, err := v.Cut(q, rw)
	if err != nil {
		return nil, timeoutError(err, f.Name)
	}
	c := &gconn{def: p.Conn.Def, conn: p.Conn, total: cut.Total, hasNext: cut.HasNext, hasPrev: cut.HasPrevious,
		seed: seed, counts: map[string]int{t.Name: cut.Total}}
	c.items = make([]*gnode, len(cut.Items))
	for i, it := range cut.Items {
		c.items[i] = nodeOf(t, it)
		c.items[i].cursor = cut.Cursor(i)
	}
	return c, nil
}

// gather selects the records of a list field, in their natural order:
// the stored keys' order (Links), else by type and creation.
func (g *graph) gather(v records.View, p *sdlmodel.Field, f exec.FieldContext, targets []*grec, parent *gnode) ([]*gnode, error) {
	type filter struct {
		q    records.Query
		keep func(*gnode) bool
	}
	filters := make(map[*grec]filter, len(targets))
	for _, t := range targets {
		q, keep, err := g.filters(v, p, t, f.Args)
		if err != nil {
			return nil, err
		}
		filters[t] = filter{q, keep}
	}
	admits := func(n *gnode) bool {
		fl := filters[n.r]
		return fl.q.Where.Keep(n.it) && (fl.keep == nil || fl.keep(n))
	}
	var out []*gnode
	if p.Kind == sdlmodel.Links {
		if parent == nil {
			return nil, nil
		}
		keys, _ := parent.get(f.Name).([]any)
		seen := map[string]bool{}
		for _, k := range keys {
			ks, ok := store.KeyOf(k)
			if !ok || seen[ks] {
				continue
			}
			seen[ks] = true
			n, err := g.byKey(v, targets, k)
			if err != nil {
				return nil, err
			}
			if n != nil && admits(n) {
				out = append(out, n)
			}
		}
		return out, nil
	}
	for _, t := range targets {
		fl := filters[t]
		q := fl.q
		var contains func(*gnode) bool
		switch p.Kind {
		case sdlmodel.Inverse:
			q.Where = withEq(q.Where, p.Back[t.Name], parent.key())
			q.Where.Index = p.Back[t.Name]
		case sdlmodel.Contains:
			back, key := p.Back[t.Name], parent.key()
			contains = func(n *gnode) bool {
				l, _ := n.get(back).([]any)
				return records.OneOf(key, l)
			}
		}
		l, err := v.List(q, records.Span{Limit: -1})
		if err != nil {
			return nil, err
		}
		for _, it := range l.Items {
			n := nodeOf(t, it)
			if (fl.keep == nil || fl.keep(n)) && (contains == nil || contains(n)) {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// page cuts the window of a connection out of the selected records, with
// cursors of the graph's own (the type's rank, the record's sequence
// number, the order and its value).
func (g *graph) page(p *sdlmodel.Field, items []*gnode, w gwin, o gorder, seed uint64, sortBy map[*gnode]any) (*gconn, error) {
	c := &gconn{def: p.Conn.Def, conn: p.Conn, total: len(items), seed: seed, counts: map[string]int{}}
	for _, n := range items {
		c.counts[n.r.Name]++
		n.cursor = encodeGraphCursor(n, o, sortBy[n])
	}
	lo, hi := 0, len(items)
	if w.after != "" {
		pos, err := cursorPos(items, w.after, o, sortBy, "after")
		if err != nil {
			return nil, err
		}
		lo = pos + 1
	}
	if w.before != "" {
		pos, err := cursorPos(items, w.before, o, sortBy, "before")
		if err != nil {
			return nil, err
		}
		hi = pos
	}
	lo, hi = min(max(lo, 0), len(items)), max(min(hi, len(items)), 0)
	if hi < lo {
		hi = lo
	}
	if w.first >= 0 && hi-lo > w.first {
		hi = lo + w.first
	}
	if w.last >= 0 && hi-lo > w.last {
		lo = hi - w.last
	}
	c.items = items[lo:hi]
	c.hasPrev, c.hasNext = lo > 0, hi < len(items)
	return c, nil
}
