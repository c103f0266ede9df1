package gqlbind

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/sdlmodel"
	"github.com/standin/standin/internal/store"
)

// gpayload is a mutation's payload: its fields are filled from the record
// the mutation made, changed or removed.
type gpayload struct {
	mu      *sdlmodel.Mutation
	rec     *gnode // the record made, changed or removed (nil: Echo)
	subject *gnode // the record an id named (an Update's is rec)
	in      map[string]any
}

// GraphQLField implements exec.Object.
func (p *gpayload) GraphQLField(name string) any {
	if name == "clientMutationId" {
		return p.in[name]
	}
	return nil
}

// mutate runs a Mutation field.
func (g *graph) mutate(v records.View, f exec.FieldContext) (any, error) {
	mu := g.m.Mutation(f.Field)
	if mu == nil {
		return g.gen(f.Field.Type, f.Name, mix(g.seed, f.Name)), nil
	}
	in := inputOf(mu, f.Args)
	p := &gpayload{mu: mu, in: in}
	var err error
	switch mu.Kind {
	case sdlmodel.Create:
		p.rec, err = g.create(v, mu, in)
	case sdlmodel.Update:
		if p.subject, err = g.subject(v, mu, in); err == nil {
			p.rec, err = g.update(v, mu, p.subject, in)
			p.subject = p.rec
		}
	case sdlmodel.Delete:
		if p.subject, err = g.subject(v, mu, in); err == nil {
			p.rec, err = g.remove(v, p.subject)
		}
	}
	if err != nil {
		return unavailable(nil, err)
	}
	return g.answer(f, p), nil
}

// answer is a mutation's value: the record (a mutation answering one),
// true or its key (Boolean, ID), else the payload.
func (g *graph) answer(f exec.FieldContext, p *gpayload) any {
	t := f.Field.Type
	if p.mu.Direct {
		if p.rec != nil && f.Field.Type.Elem == nil {
			return p.rec
		}
		return g.orGen(f, g.seed)
	}
	if t.Elem == nil {
		switch t.NamedType {
		case "Boolean":
			return p.rec != nil || p.mu.Kind == sdlmodel.Echo
		case "ID", "String":
			if p.rec != nil {
				return p.rec.key()
			}
		}
	}
	def := g.schema.Types[t.Name()]
	if def == nil || def.Kind != ast.Object || t.Elem != nil {
		return g.gen(t, f.Name, mix(g.seed, f.Name))
	}
	return p
}

// payloadField fills a payload's field: clientMutationId echoed; the
// record (or an edge of it) where the type admits it; the record the id
// named; a record the record links to; true; the record's key; else a
// generated value.
func (g *graph) payloadField(v records.View, p *gpayload, f exec.FieldContext) (any, error) {
	if f.Name == "clientMutationId" {
		return p.in["clientMutationId"], nil
	}
	t := f.Field.Type
	seed := mix(hashOf(p.mu.Def.Name), f.Name)
	if p.rec != nil {
		seed = mix(p.rec.seed(), f.Name)
	}
	def := g.schema.Types[t.Name()]
	if def == nil {
		return nil, nil
	}
	switch def.Kind {
	case ast.Object, ast.Interface, ast.Union:
		if t.Elem != nil {
			return g.gen(t, f.Name, seed), nil
		}
		if c := g.edgeConn(def); c != nil && p.rec != nil && slices.Contains(c.Targets, p.rec.r.Record) {
			conn := &gconn{def: c.Def, conn: c, items: []*gnode{p.rec}, total: 1, seed: seed}
			g.cursorOf(v, p.rec)
			return &gedge{c: conn, i: 0}, nil
		}
		targets := g.m.Targets(def.Name)
		// a field named like an id input (subject for subjectId) is the
		// record that id names
		if id, ok := p.in[f.Name+"Id"]; ok && id != nil {
			if n, err := g.byKey(v, g.recsOf(targets), id); err != nil || n != nil {
				return n, err
			}
		}
		for _, n := range []*gnode{p.rec, p.subject} {
			if n != nil && slices.Contains(targets, n.r.Record) {
				return n, nil
			}
		}
		if p.rec != nil {
			if n, err := g.linkedOf(v, p.rec, targets); err != nil || n != nil {
				return n, err
			}
		}
		return g.orGen(f, seed), nil
	case ast.Scalar:
		if t.Elem == nil && p.rec != nil {
			switch {
			case def.Name == "Boolean":
				return true, nil
			case def.Name == "ID" && (f.Name == "id" || strings.HasSuffix(f.Name, "Id")):
				return p.rec.key(), nil
			}
		}
	}
	return g.gen(t, f.Name, seed), nil
}

// edgeConn is the connection whose edge type def is, or nil.
func (g *graph) edgeConn(def *ast.Definition) *sdlmodel.Conn {
	if def.Kind != ast.Object || def.Fields.ForName("node") == nil {
		return nil
	}
	node := g.schema.Types[def.Fields.ForName("node").Type.Name()]
	if node == nil {
		return nil
	}
	return &sdlmodel.Conn{Def: def, Node: node, Edge: def, Targets: g.m.Targets(node.Name)}
}

// cursorOf gives a record its cursor in its collection's own order.
func (g *graph) cursorOf(v records.View, n *gnode) {
	if n.cursor != "" {
		return
	}
	if n.it.Seq == 0 {
		if it, err := v.Get(n.r.col, records.Key{Field: n.r.Key, Value: n.key()}); err == nil {
			n.it = it
		}
	}
	if n.it.Seq > 0 {
		n.cursor = records.CursorOf(n.it, records.Order{})
	}
}

// linkedOf is a record n links to among targets (a deleted issue's
// repository).
func (g *graph) linkedOf(v records.View, n *gnode, targets []*sdlmodel.Record) (*gnode, error) {
	for _, fd := range n.r.Def.Fields {
		p := g.m.Field(fd)
		if p == nil || p.Kind != sdlmodel.Link {
			continue
		}
		for _, t := range p.Targets {
			if slices.Contains(targets, t) {
				return g.follow(v, g.recsOf(p.Targets), n.get(fd.Name))
			}
		}
	}
	return nil, nil
}

// inputOf flattens a mutation's arguments: its input object's fields and
// its other arguments, as JSON values.
func inputOf(mu *sdlmodel.Mutation, args map[string]any) map[string]any {
	out := map[string]any{}
	for k, val := range args {
		if k == mu.Input && mu.Input != "" {
			if m, ok := val.(map[string]any); ok {
				for ik, iv := range m {
					out[ik] = jsonValue(iv)
				}
			}
			continue
		}
		out[k] = jsonValue(val)
	}
	return out
}

// jsonValue turns coerced argument values into stored JSON values
// (integers as float64).
func jsonValue(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}

// subject finds the record an Update's or Delete's id names.
func (g *graph) subject(v records.View, mu *sdlmodel.Mutation, in map[string]any) (*gnode, error) {
	id := in[mu.Subject]
	targets := g.recsOf(mu.Targets)
	if len(targets) == 0 {
		targets = g.ordered
	}
	n, err := g.byKey(v, targets, id)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("could not resolve to a node with the global id of %s (%s)", quote(id), mu.Subject)}
	}
	return n, nil
}

// remove deletes the record n, answering it as it was.
func (g *graph) remove(v records.View, n *gnode) (*gnode, error) {
	deleted, err := v.Delete(n.r.col, records.Key{Field: n.r.Key, Value: n.key()}, nil)
	if err != nil {
		return nil, graphWriteError(n, err)
	}
	return &gnode{r: n.r, rec: deleted}, nil
}

func graphWriteError(n *gnode, err error) error {
	if errors.Is(err, records.ErrNotFound) {
		return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("no %s with %s %s", n.r.Name, n.r.Key, quote(n.key()))}
	}
	var re *records.RefusedError
	if errors.As(err, &re) {
		return badInput("%s: %s", n.r.Name, re.Error())
	}
	return err
}

// assignment maps one input onto a record field.
type assignment struct {
	in, field string
	kind      sdlmodel.Kind // Value, Link, Links; Lookup: a link found by the id's type
}

type inputKey struct {
	mu *sdlmodel.Mutation
	t  *grec
}

// assignments map a mutation's inputs onto fields of t, by name: a value
// field of the same name and type, a link (xId, or the field itself for
// an ID), a list of links (xIds); an id no field names sets the link
// whose type the id names (Create). Computed once per mutation and type.
func (g *graph) assignments(mu *sdlmodel.Mutation, t *grec) []assignment {
	key := inputKey{mu, t}
	if a, ok := g.inputs.Load(key); ok {
		return a.([]assignment)
	}
	var out []assignment
	for _, in := range mu.Inputs {
		if in.Name == "clientMutationId" || in.Name == mu.Subject && mu.Kind != sdlmodel.Create {
			continue
		}
		list := in.Type.Elem != nil
		isID := in.Type.Name() == "ID"
		if a, ok := g.assignByName(t, in, in.Name, list, isID); ok {
			out = append(out, a)
			continue
		}
		switch {
		case isID && !list && strings.HasSuffix(in.Name, "Id"):
			if a, ok := g.assignByName(t, in, strings.TrimSuffix(in.Name, "Id"), false, true); ok {
				out = append(out, a)
				continue
			}
		case isID && list && strings.HasSuffix(in.Name, "Ids"):
			base := strings.TrimSuffix(in.Name, "Ids")
			for _, cand := range []string{base + "s", sdlmodel.Plural(base)} {
				if a, ok := g.assignByName(t, in, cand, true, true); ok {
					out = append(out, a)
					break
				}
			}
			continue
		}
		if isID && !list && mu.Kind == sdlmodel.Create {
			out = append(out, assignment{in: in.Name, kind: sdlmodel.Lookup})
		}
	}
	g.inputs.Store(key, out)
	return out
}

func (g *graph) assignByName(t *grec, in sdlmodel.InputField, field string, list, isID bool) (assignment, bool) {
	fd := t.Def.Fields.ForName(field)
	if fd == nil || field == t.Key {
		return assignment{}, false
	}
	p := g.m.Field(fd)
	if p == nil {
		return assignment{}, false
	}
	switch p.Kind {
	case sdlmodel.Value:
		if (fd.Type.Elem != nil) == list && compatibleLeaf(in.Type.Name(), fd.Type.Name()) {
			return assignment{in: in.Name, field: field, kind: sdlmodel.Value}, true
		}
	case sdlmodel.Link:
		if isID && !list {
			return assignment{in: in.Name, field: field, kind: sdlmodel.Link}, true
		}
	case sdlmodel.Links, sdlmodel.Contains:
		if isID && list {
			return assignment{in: in.Name, field: field, kind: p.Kind}, true
		}
	}
	return assignment{}, false
}

func compatibleLeaf(a, b string) bool {
	str := func(s string) bool { return s == "ID" || s == "String" }
	return a == b || str(a) && str(b)
}

// create inserts a record of the mutation's first target: generated by
// its collection's rules (record number one past the collection's size),
// the inputs written over it, a new global id.
func (g *graph) create(v records.View, mu *sdlmodel.Mutation, in map[string]any) (*gnode, error) {
	t := g.rec(mu.Targets[0])
	l, err := v.List(records.Query{Collection: t.col}, records.Span{Total: true})
	if err != nil {
		return nil, err
	}
	assigns := g.assignments(mu, t)
	for attempt := 0; attempt < 20; attempt++ {
		n := l.Total + 1 + attempt
		rec := g.newRecord(t, n)
		if err := g.apply(v, t, assigns, in, rec); err != nil {
			return nil, err
		}
		var key any = fakedata.NodeIDOf(t.Name, "new-"+strconv.Itoa(n))
		if t.NumericKey {
			key = float64(n)
		}
		rec[t.Key] = key
		if _, err := v.Create(t.col, records.Create{Body: rec, KeyField: t.Key}); err != nil {
			if errors.Is(err, records.ErrConflict) {
				continue
			}
			return nil, graphWriteError(&gnode{r: t, rec: rec}, err)
		}
		made := &gnode{r: t, rec: rec}
		if it, err := v.Get(t.col, records.Key{Field: t.Key, Value: key}); err == nil {
			made = nodeOf(t, it)
		}
		for _, a := range assigns {
			if keys, ok := in[a.in].([]any); ok && a.kind == sdlmodel.Contains {
				if err := g.contain(v, made, a.field, keys, nil); err != nil {
					return nil, err
				}
			}
		}
		return made, nil
	}
	return nil, &exec.Error{Code: CodeConflict, Message: fmt.Sprintf("could not find a free key for a new %s", t.Name)}
}

// contain writes the other side of a many-to-many field of n (Contains):
// the records of add get n's key in their list, those of drop lose it,
// one transaction each.
func (g *graph) contain(v records.View, n *gnode, field string, add, drop []any) error {
	p := g.m.Field(n.r.Def.Fields.ForName(field))
	targets := g.recsOf(p.Targets)
	key := n.key()
	edit := func(k any, adding bool) error {
		other, err := g.byKey(v, targets, k)
		if err != nil || other == nil {
			if err == nil {
				err = &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("could not resolve to a node with the global id of %s (%s)", quote(k), field)}
			}
			return err
		}
		back := p.Back[other.r.Name]
		_, err = v.Update(other.r.col, records.Key{Field: other.r.Key, Value: other.key()}, records.Update{Change: func(cur store.Record) map[string]any {
			old, _ := store.Lookup(cur, back).([]any)
			next := []any{}
			for _, x := range old {
				if !records.Equal(x, key) {
					next = append(next, x)
				}
			}
			if adding {
				next = append(next, key)
			}
			return map[string]any{back: next}
		}})
		return err
	}
	for _, k := range add {
		if err := edit(k, true); err != nil {
			return err
		}
	}
	for _, k := range drop {
		if err := edit(k, false); err != nil {
			return err
		}
	}
	return nil
}

// apply writes the inputs onto a new record.
func (g *graph) apply(v records.View, t *grec, assigns []assignment, in map[string]any, rec store.Record) error {
	taken := map[string]bool{}
	for _, a := range assigns {
		val, ok := in[a.in]
		if !ok {
			continue
		}
		switch a.kind {
		case sdlmodel.Lookup:
			continue
		default:
			rec[a.field] = val
			taken[a.field] = true
		}
	}
	for _, a := range assigns {
		val, ok := in[a.in]
		if a.kind != sdlmodel.Lookup || !ok || val == nil {
			continue
		}
		n, err := g.byKey(v, g.ordered, val)
		if err != nil {
			return err
		}
		if n == nil {
			return &exec.Error{Code: CodeNotFound, Message: fmt.Sprintf("could not resolve to a node with the global id of %s (%s)", quote(val), a.in)}
		}
		var fields []string
		for _, fd := range t.Def.Fields {
			if p := g.m.Field(fd); p != nil && p.Kind == sdlmodel.Link && !taken[fd.Name] && slices.Contains(p.Targets, n.r.Record) {
				fields = append(fields, fd.Name)
			}
		}
		if len(fields) == 1 {
			rec[fields[0]] = val
			taken[fields[0]] = true
		}
	}
	return nil
}

// update writes the inputs into the record n: values and links set,
// lists of links replaced (or, for add… and remove… mutations, grown or
// shrunk); a verb's participle sets its state (closeIssue: closed true,
// state CLOSED, closedAt now; reopen and un- verbs undo it); updatedAt is
// now.
func (g *graph) update(v records.View, mu *sdlmodel.Mutation, n *gnode, in map[string]any) (*gnode, error) {
	t := n.r
	set := map[string]any{}
	lists := map[string][]any{}
	contains := map[string][]any{}
	for _, a := range g.assignments(mu, t) {
		val, ok := in[a.in]
		if !ok || a.kind == sdlmodel.Lookup {
			continue
		}
		if a.kind == sdlmodel.Links {
			l, _ := val.([]any)
			lists[a.field] = l
			continue
		}
		if a.kind == sdlmodel.Contains {
			l, _ := val.([]any)
			contains[a.field] = l
			continue
		}
		set[a.field] = val
	}
	g.stateChanges(mu, t, set)
	if fd := t.Def.Fields.ForName("updatedAt"); fd != nil && fd.Type.Elem == nil && isTimeType(fd.Type.NamedType) {
		set["updatedAt"] = "{{now}}"
	}
	change := func(cur store.Record) map[string]any {
		out := map[string]any{}
		for field, keys := range lists {
			old, _ := store.Lookup(cur, field).([]any)
			switch {
			case mu.Verb == "add":
				next := append([]any(nil), old...)
				for _, k := range keys {
					if !records.OneOf(k, next) {
						next = append(next, k)
					}
				}
				out[field] = next
			case mu.Verb == "remove":
				next := []any{}
				for _, k := range old {
					if !records.OneOf(k, keys) {
						next = append(next, k)
					}
				}
				out[field] = next
			default:
				out[field] = append([]any{}, keys...)
			}
		}
		return out
	}
	updated, err := v.Update(t.col, records.Key{Field: t.Key, Value: n.key()}, records.Update{Set: set, Change: change, Now: g.b.opts.Now})
	if err != nil {
		return nil, graphWriteError(n, err)
	}
	for field, keys := range contains {
		var add, drop []any
		switch mu.Verb {
		case "add":
			add = keys
		case "remove":
			drop = keys
		default:
			add = keys
			p := g.m.Field(t.Def.Fields.ForName(field))
			cur, err := g.gather(v, p, exec.FieldContext{Name: field}, g.recsOf(p.Targets), n)
			if err != nil {
				return nil, err
			}
			for _, c := range cur {
				if !records.OneOf(c.key(), keys) {
					drop = append(drop, c.key())
				}
			}
		}
		if err := g.contain(v, n, field, add, drop); err != nil {
			return nil, err
		}
	}
	if it, err := v.Get(t.col, records.Key{Field: t.Key, Value: n.key()}); err == nil {
		return nodeOf(t, it), nil
	}
	return &gnode{r: t, rec: updated}, nil
}

// stateChanges sets what a verb's participle says of the record; for
// addX and removeX, viewerHasX'd (addStar: viewerHasStarred true).
func (g *graph) stateChanges(mu *sdlmodel.Mutation, t *grec, set map[string]any) {
	verb := mu.Verb
	if verb == "add" || verb == "remove" {
		_, noun := sdlmodel.SplitVerb(mu.Def.Name)
		if p := sdlmodel.Participle(strings.ToLower(noun)); p != "" {
			name := "viewerHas" + strings.ToUpper(p[:1]) + p[1:]
			if fd := t.Def.Fields.ForName(name); fd != nil && fd.Type.Elem == nil && fd.Type.NamedType == "Boolean" {
				set[name] = verb == "add"
			}
		}
	}
	part := sdlmodel.Participle(verb)
	if part == "" {
		return
	}
	neg := sdlmodel.Negated(verb)
	title := strings.ToUpper(part[:1]) + part[1:]
	for _, name := range []string{part, "is" + title} {
		if fd := t.Def.Fields.ForName(name); fd != nil && fd.Type.Elem == nil && fd.Type.NamedType == "Boolean" {
			set[name] = !neg
		}
	}
	for _, name := range []string{"state", "status"} {
		fd := t.Def.Fields.ForName(name)
		if fd == nil || fd.Type.Elem != nil {
			continue
		}
		enum := g.schema.Types[fd.Type.NamedType]
		if enum == nil || enum.Kind != ast.Enum {
			continue
		}
		want := strings.ToUpper(part)
		if neg {
			want = "OPEN"
		}
		if enum.EnumValues.ForName(want) != nil {
			set[name] = want
		}
	}
	if fd := t.Def.Fields.ForName(part + "At"); fd != nil && fd.Type.Elem == nil && isTimeType(fd.Type.NamedType) {
		if neg {
			if !fd.Type.NonNull {
				set[fd.Name] = nil
			}
		} else {
			set[fd.Name] = "{{now}}"
		}
	}
}

func isTimeType(name string) bool {
	n := strings.ToLower(name)
	return n == "string" || strings.Contains(n, "datetime") || strings.Contains(n, "timestamp")
}

// maker makes new records of one collection by its rules.
type maker struct {
	mu sync.Mutex
	m  *fakedata.Maker
}

// newRecord is a new record of t, number n: made by the collection's
// generation rules when they allow it (fakedata.Chunks), else from the
// type (graph_fill.go).
func (g *graph) newRecord(t *grec, n int) store.Record {
	t.once.Do(func() {
		if t.def.Generate == nil || len(t.def.Generate.Fields) == 0 {
			return
		}
		gen, err := fakedata.Compile(fakedata.SpecIn(g.b.api, &t.def))
		if err != nil {
			return
		}
		env := fakedata.Env{Seed: g.seed, Counts: func(col string) int {
			c, err := g.b.st.Len(manifest.StoreName(g.b.api.Name, col))
			if err != nil {
				return 0
			}
			return c
		}}
		ch, err := gen.NewChunks(env)
		if err != nil {
			return
		}
		t.maker = &maker{m: ch.Maker()}
	})
	if t.maker != nil {
		t.maker.mu.Lock()
		into := []store.Record{nil}
		_, err := t.maker.m.Make(n-1, into)
		t.maker.mu.Unlock()
		if err == nil {
			return into[0]
		}
	}
	rec := store.Record{}
	seed := hashOf(t.Name, "new", strconv.Itoa(n))
	for _, fd := range t.Def.Fields {
		p := g.m.Field(fd)
		if p == nil || p.Kind != sdlmodel.Value || !fd.Type.NonNull {
			continue
		}
		rec[fd.Name] = jsonValue(g.gen(fd.Type, fd.Name, mix(seed, fd.Name)))
	}
	return rec
}
