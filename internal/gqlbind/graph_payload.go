package gqlbind

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/sdlmodel"
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
