package gqlbind

import (
	"fmt"
	"slices"
	"strings"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/sdlmodel"
	"github.com/standin/standin/internal/store"
)

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
