package gqlbind

import (
	"fmt"
	"hash/fnv"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/sdlmodel"
	"github.com/standin/standin/internal/store"
)

// gnode is a record of the graph: a stored item, or a record held in
// memory (one a delete just removed).
type gnode struct {
	r      *grec
	it     store.Item
	rec    store.Record // when set, read instead of it
	cursor string       // its cursor, when it came in a page
}

func nodeOf(r *grec, it store.Item) *gnode { return &gnode{r: r, it: it} }

// get reads a field of the record.
func (n *gnode) get(field string) any {
	if n.rec != nil {
		return store.Lookup(n.rec, field)
	}
	return n.it.Lookup(field)
}

// key is the record's key value.
func (n *gnode) key() any { return n.get(n.r.Key) }

// record is the whole record.
func (n *gnode) record() store.Record {
	if n.rec != nil {
		return n.rec
	}
	return n.it.Record()
}

// seed is a number that identifies the record, for generated values.
func (n *gnode) seed() uint64 { return hashOf(n.r.Name, fmt.Sprint(n.key())) }

// GraphQLField implements exec.Object (the executor's default reading).
func (n *gnode) GraphQLField(name string) any { return n.get(name) }

// gconn is a page of a connection.
type gconn struct {
	def   *ast.Definition
	conn  *sdlmodel.Conn
	items []*gnode
	total int
	// hasNext and hasPrev are the page's pageInfo.
	hasNext, hasPrev bool
	// counts are the selected records per type name (for xCount fields).
	counts map[string]int
	seed   uint64
}

func (c *gconn) edgeDef() *ast.Definition {
	if c.conn != nil && c.conn.Edge != nil {
		return c.conn.Edge
	}
	return c.def
}

// GraphQLField implements exec.Object.
func (c *gconn) GraphQLField(name string) any {
	switch name {
	case "totalCount":
		return c.total
	}
	return nil
}

// gedge is one edge of a page.
type gedge struct {
	c *gconn
	i int
}

// GraphQLField implements exec.Object.
func (e *gedge) GraphQLField(name string) any {
	switch name {
	case "node":
		return e.c.items[e.i]
	case "cursor":
		return e.c.items[e.i].cursor
	}
	return nil
}

// gpage is a page's pageInfo.
type gpage struct{ c *gconn }

// GraphQLField implements exec.Object.
func (p gpage) GraphQLField(name string) any {
	n := len(p.c.items)
	switch name {
	case "hasNextPage":
		return p.c.hasNext
	case "hasPreviousPage":
		return p.c.hasPrev
	case "startCursor":
		if n > 0 {
			return p.c.items[0].cursor
		}
	case "endCursor":
		if n > 0 {
			return p.c.items[n-1].cursor
		}
	}
	return nil
}

// gvirtual is an object no record holds: its fields are generated from
// their types (a non-null field of an object type nothing links).
type gvirtual struct {
	def  *ast.Definition
	seed uint64
}

// GraphQLField implements exec.Object.
func (v *gvirtual) GraphQLField(string) any { return nil }

func (g *graph) connField(c *gconn, f exec.FieldContext) any {
	switch f.Name {
	case "edges":
		out := make([]any, len(c.items))
		for i := range c.items {
			out[i] = &gedge{c: c, i: i}
		}
		return out
	case "nodes":
		out := make([]any, len(c.items))
		for i, n := range c.items {
			out[i] = n
		}
		return out
	case "pageInfo":
		return gpage{c}
	case "totalCount":
		return c.total
	}
	if n, ok := countOf(c, f.Name); ok {
		return n
	}
	return g.gen(f.Field.Type, f.Name, mix(c.seed, f.Name))
}

// countOf answers an xCount field of a connection over several types
// (search's issueCount, repositoryCount, userCount): the records of the
// type named x.
func countOf(c *gconn, name string) (int, bool) {
	if c.counts == nil || len(name) <= len("Count") || name[len(name)-len("Count"):] != "Count" {
		return 0, false
	}
	want := name[:len(name)-len("Count")]
	for t, n := range c.counts {
		if sdlmodel.LowerCamel(t) == want {
			return n, true
		}
	}
	for _, t := range c.conn.Targets {
		if sdlmodel.LowerCamel(t.Name) == want {
			return 0, true
		}
	}
	return 0, false
}

func (g *graph) edgeField(e *gedge, f exec.FieldContext) any {
	switch f.Name {
	case "node":
		return e.c.items[e.i]
	case "cursor":
		return e.c.items[e.i].cursor
	}
	return g.gen(f.Field.Type, f.Name, mix(e.c.items[e.i].seed(), f.Name))
}

func (g *graph) pageField(p gpage, f exec.FieldContext) any {
	switch f.Name {
	case "hasNextPage", "hasPreviousPage", "startCursor", "endCursor":
		return p.GraphQLField(f.Name)
	}
	return g.gen(f.Field.Type, f.Name, mix(p.c.seed, f.Name))
}

func (g *graph) virtualField(v *gvirtual, f exec.FieldContext) any {
	return g.gen(f.Field.Type, f.Name, mix(v.seed, f.Name))
}

// hashOf is FNV-64a of the parts.
func hashOf(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// mix derives the seed of a field from its parent's.
func mix(seed uint64, name string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(name))
	z := h.Sum64() + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
