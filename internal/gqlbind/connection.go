package gqlbind

import (
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

// connValue is a connection page as an exec.Object: edges, nodes, pageInfo
// and cursors are built only when the query asks for them, without a map
// per edge.
type connValue struct {
	cut records.Cut
}

type edgeValue struct {
	c *connValue
	i int
}

type pageInfoValue struct{ c *connValue }

func (c *connValue) cursor(i int) string { return c.cut.Cursor(i) }

// GraphQLField implements exec.Object.
func (c *connValue) GraphQLField(name string) any {
	switch name {
	case "edges":
		edges := make([]edgeValue, len(c.cut.Items))
		out := make([]any, len(edges))
		for i := range edges {
			edges[i] = edgeValue{c: c, i: i}
			out[i] = &edges[i]
		}
		return out
	case "nodes":
		out := make([]any, len(c.cut.Items))
		for i, it := range c.cut.Items {
			out[i] = recordValue(it)
		}
		return out
	case "totalCount":
		return c.cut.Total
	case "pageInfo":
		return pageInfoValue{c}
	}
	return nil
}

// GraphQLField implements exec.Object.
func (e *edgeValue) GraphQLField(name string) any {
	switch name {
	case "node":
		return recordValue(e.c.cut.Items[e.i])
	case "cursor":
		return e.c.cursor(e.i)
	}
	return nil
}

// GraphQLField implements exec.Object.
func (p pageInfoValue) GraphQLField(name string) any {
	n := len(p.c.cut.Items)
	switch name {
	case "hasNextPage":
		return p.c.cut.HasNext
	case "hasPreviousPage":
		return p.c.cut.HasPrevious
	case "startCursor":
		if n > 0 {
			return p.c.cursor(0)
		}
	case "endCursor":
		if n > 0 {
			return p.c.cursor(n - 1)
		}
	}
	return nil
}

// recordValue is the GraphQL value of a stored record: the record's map,
// or for a packed record (large collections) a packedRecord, so a page of
// them is not unpacked into maps.
func recordValue(it store.Item) any {
	if it.Packed() {
		return packedRecord{it}
	}
	return it.Record()
}

// packedRecord serves a packed record's fields to the executor.
type packedRecord struct{ it store.Item }

// GraphQLField implements exec.Object.
func (p packedRecord) GraphQLField(name string) any { return p.it.Lookup(name) }

// isRecord reports whether a parent value is a record (see recordValue).
func isRecord(parent any) bool {
	switch p := parent.(type) {
	case map[string]any:
		return p != nil
	case packedRecord:
		return true
	}
	return false
}

// parentLookup reads a dotted path of a record given as a parent value.
func parentLookup(parent any, path string) any {
	switch p := parent.(type) {
	case map[string]any:
		return store.Lookup(p, path)
	case packedRecord:
		return p.it.Lookup(path)
	}
	return nil
}
