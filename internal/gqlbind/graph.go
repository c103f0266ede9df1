package gqlbind

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/sdlmodel"
)

// graph resolves the fields of an API in graph mode (manifest
// graphql.graph): the collections whose schema names an object type hold
// that type's records, and every field without a binding is resolved by
// the plan package sdlmodel makes of the schema:
//
//   - a value field reads the record; a link reads the key the record
//     stores and answers the record it names (of any of the field's
//     possible types: a global id names its type, else each is tried);
//   - a list or connection of records answers the records linking back
//     (Inverse, Contains) or the keys the record stores (Links), filtered
//     by the arguments that name record fields, ordered by orderBy
//     (defaults from the SDL included), paged as Relay says;
//   - root lookups find a record by their arguments (through links:
//     repository(owner:, name:) compares owner.login), viewer-style
//     fields answer the first record, nodes(ids:) one record per id,
//     search-like fields the records whose text fields hold every word;
//   - mutations create, change or delete a record and answer it (or a
//     payload filled from it, clientMutationId echoed);
//   - a non-null field nothing holds a value for is generated from its
//     type (graph_fill.go), so a non-null field is never null.
type graph struct {
	b       *Binder
	m       *sdlmodel.Model
	schema  *ast.Schema
	recs    map[string]*grec
	ordered []*grec
	seed    uint64
	inputs  sync.Map // input mappings, by mutation and type (inputKey)
}

// grec is a record type at run time.
type grec struct {
	*sdlmodel.Record
	// col is the store name; rank the type's place by name.
	col  string
	rank int
	// def holds the collection's generation rules (for creates).
	def manifest.Collection
	// made makes new records by the collection's rules (lazily).
	once  sync.Once
	maker *maker
}

// newGraph builds the graph of an API whose manifest says graph: true.
func newGraph(b *Binder) (*graph, error) {
	specs := map[string]sdlmodel.RecordSpec{}
	byType := map[string]manifest.Collection{}
	for _, c := range b.api.Collections {
		def := b.schema.Types[c.Schema]
		if c.Schema == "" || def == nil || def.Kind != ast.Object {
			continue
		}
		if _, dup := specs[c.Schema]; dup {
			return nil, fmt.Errorf("graph: type %s is the schema of two collections", c.Schema)
		}
		key := "id"
		if len(c.Unique) > 0 {
			key = c.Unique[0]
		}
		specs[c.Schema] = sdlmodel.RecordSpec{Collection: c.Name, Key: key}
		byType[c.Schema] = c
	}
	g := &graph{b: b, schema: b.schema, recs: map[string]*grec{}}
	g.m = sdlmodel.Build(b.schema, sdlmodel.Options{Records: specs})
	h := fnv.New64a()
	h.Write([]byte(b.api.Name))
	g.seed = h.Sum64()
	for i, r := range g.m.Records {
		gr := &grec{Record: r, col: manifest.StoreName(b.api.Name, r.Collection), rank: i, def: byType[r.Name]}
		g.recs[r.Name] = gr
		g.ordered = append(g.ordered, gr)
	}
	return g, nil
}

// rec is the run-time record type of a model record type.
func (g *graph) rec(r *sdlmodel.Record) *grec { return g.recs[r.Name] }

// recs of model record types.
func (g *graph) recsOf(rs []*sdlmodel.Record) []*grec {
	out := make([]*grec, 0, len(rs))
	for _, r := range rs {
		if gr := g.recs[r.Name]; gr != nil {
			out = append(out, gr)
		}
	}
	return out
}

// resolve answers one field the bindings leave to the graph.
func (g *graph) resolve(ctx context.Context, f exec.FieldContext) (any, error) {
	v := records.ViewOf(ctx, g.b.src)
	switch p := f.Parent.(type) {
	case *gnode:
		return g.recordField(v, p, f)
	case *gconn:
		return g.connField(p, f), nil
	case *gedge:
		return g.edgeField(p, f), nil
	case gpage:
		return g.pageField(p, f), nil
	case *gpayload:
		return g.payloadField(v, p, f)
	case *gvirtual:
		return g.virtualField(p, f), nil
	}
	switch {
	case g.schema.Mutation != nil && f.ParentType == g.schema.Mutation.Name:
		return g.mutate(v, f)
	case g.schema.Query != nil && f.ParentType == g.schema.Query.Name:
		return g.rootField(v, f)
	}
	return exec.Default, nil
}

// typeOf names the concrete type of a value the graph made, for
// interfaces and unions ("" when it made none).
func (g *graph) typeOf(value any) string {
	switch v := value.(type) {
	case *gnode:
		return v.r.Name
	case *gvirtual:
		return v.def.Name
	case *gconn:
		return v.def.Name
	case *gedge:
		return v.c.edgeDef().Name
	}
	return ""
}

// ResolveType implements exec.TypeResolver: a record of the graph is of
// its collection's type; other values fall back to the executor's rule.
func (b *Binder) ResolveType(_ context.Context, _ *ast.Definition, value any) (string, error) {
	if b.graph == nil {
		return "", nil
	}
	return b.graph.typeOf(value), nil
}

var _ exec.TypeResolver = (*Binder)(nil)
