package model

import (
	"maps"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Write is a GraphQL mutation the hints bind to records: a delete or an
// update of the record of Collection whose Field equals the argument at
// Arg (a dotted path such as input.membershipId), e.g. deleteAccount,
// deleteAccountMembership, terminateSubscription.
type Write struct {
	Mutation *ast.FieldDefinition
	Kind     string // KindDelete or KindUpdate
	Arg      string
	// ArgType is the type of the argument's leaf (ID!).
	ArgType    *ast.Type
	Collection string
	Field      string
	// Guarded: a delete refused while blockers point at the record.
	Guarded bool
	// Set and RefuseWhen: what an update writes, and the values of a
	// record it refuses.
	Set        map[string]any
	RefuseWhen map[string][]any
	// RecordField is the payload's field holding the record after the
	// write ("" when the payload has none).
	RecordField string
	// Node is the record's GraphQL type.
	Node *ast.Definition
}

// Writes lists the API's mutations bound to records (hints), by name.
func (a *API) Writes() []Write {
	if a.Schema == nil || a.Schema.Mutation == nil || a.Hints.Fields == nil {
		return nil
	}
	muts := a.Hints.Fields[a.Schema.Mutation.Name]
	var out []Write
	for _, name := range slices.Sorted(maps.Keys(muts)) {
		h := muts[name]
		def := a.Schema.Mutation.Fields.ForName(name)
		if def == nil || (h.Kind != KindDelete && h.Kind != KindUpdate) || h.Arg == "" {
			continue
		}
		w := Write{Mutation: def, Kind: h.Kind, Arg: h.Arg, Collection: h.Collection, Field: h.Field,
			Guarded: len(h.Blockers) > 0, Set: h.Set, RefuseWhen: h.RefuseWhen}
		w.ArgType = argType(a.Schema, def, h.Arg)
		if w.ArgType == nil {
			continue
		}
		w.Node = a.CollectionType(h.Collection)
		if w.Node == nil {
			continue // no read of the collection's records: nothing to read back
		}
		if payload := a.Schema.Types[def.Type.Name()]; payload != nil {
			for _, f := range payload.Fields {
				if f.Type.Name() == w.Node.Name {
					w.RecordField = f.Name
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// argType walks a dotted argument path (input.accountId) to its type.
func argType(s *ast.Schema, f *ast.FieldDefinition, path string) *ast.Type {
	parts := strings.Split(path, ".")
	arg := f.Arguments.ForName(parts[0])
	if arg == nil {
		return nil
	}
	t := arg.Type
	for _, p := range parts[1:] {
		def := s.Types[t.Name()]
		if def == nil || def.Kind != ast.InputObject || def.Fields.ForName(p) == nil {
			return nil
		}
		t = def.Fields.ForName(p).Type
	}
	return t
}

// CollectionType is the GraphQL type of a collection's records: the type
// of a query field, or of a connection's nodes, bound to it (nil when no
// field is).
func (a *API) CollectionType(collection string) *ast.Definition {
	for _, r := range a.CollectionReads(collection).Connections {
		return r.NodeType
	}
	for _, n := range a.CollectionReads(collection).Nested {
		return n.Conn.NodeType
	}
	for _, l := range a.CollectionReads(collection).Lookups {
		return a.Schema.Types[l.Def.Type.Name()]
	}
	return nil
}

// LookupRead is a query field reading one record by the record field
// Field (account(id:) by id): its argument Arg; NotFound the error code it
// answers for no record ("" when none is documented).
type LookupRead struct {
	Def      *ast.FieldDefinition
	Arg      string
	Field    string
	NotFound string
}

// NestedRead is a nested connection holding a collection's records
// (Account.memberships): a record's ChildField equals the parent's
// ParentField, the parent's lookup key.
type NestedRead struct {
	Conn                    Connection
	ChildField, ParentField string
}

// CollectionReads are every way the contract reads a collection's
// records back: GraphQL lookups, root and nested connections, REST
// get-by-key operations and REST lists (known from the hints).
type CollectionReads struct {
	Lookups     []LookupRead
	Connections []Connection
	Nested      []NestedRead
	REST        []ChainRead
	Lists       []List
}

// Empty reports whether nothing reads the collection.
func (r CollectionReads) Empty() bool {
	return len(r.Lookups)+len(r.Connections)+len(r.Nested)+len(r.REST)+len(r.Lists) == 0
}

// CollectionReads lists the reads of a collection's records.
func (a *API) CollectionReads(collection string) CollectionReads {
	var r CollectionReads
	if a.Schema != nil && a.Schema.Query != nil && a.Hints.Fields != nil {
		q := a.Hints.Fields[a.Schema.Query.Name]
		for _, name := range slices.Sorted(maps.Keys(q)) {
			h := q[name]
			def := a.Schema.Query.Fields.ForName(name)
			if h.Kind != KindGet || h.Collection != collection || def == nil || strings.Contains(h.Arg, ".") || def.Arguments.ForName(h.Arg) == nil {
				continue
			}
			r.Lookups = append(r.Lookups, LookupRead{Def: def, Arg: h.Arg, Field: h.Field, NotFound: h.NotFound})
		}
		for _, c := range a.Connections() {
			typeName := a.Schema.Query.Name
			if len(c.Path) > 1 {
				typeName = a.Schema.Query.Fields.ForName(c.Path[0]).Type.Name()
			}
			if h, ok := a.Hints.Fields[typeName][c.Field.Name]; ok && h.Kind == KindConnection && h.Collection == collection {
				r.Connections = append(r.Connections, c)
			}
		}
		for _, c := range a.NestedConnections() {
			h, ok := a.Hints.Fields[c.Parent.NodeType.Name][c.Field.Name]
			if !ok || h.Kind != KindConnection || h.Collection != collection || len(h.Match) != 1 {
				continue
			}
			for child, parent := range h.Match {
				if parent == c.Lookup.Arguments[0].Name || parent == c.Parent.Key {
					r.Nested = append(r.Nested, NestedRead{Conn: c, ChildField: child, ParentField: parent})
				}
			}
		}
	}
	ops := a.Operations()
	for _, opID := range slices.Sorted(maps.Keys(a.Hints.Reads)) {
		kr := a.Hints.Reads[opID]
		if kr.Collection != collection {
			continue
		}
		if i := slices.IndexFunc(ops, func(o Operation) bool { return o.ID() == opID }); i >= 0 {
			r.REST = append(r.REST, ChainRead{Operation: ops[i], Param: kr.Param, Field: kr.Field})
		}
	}
	for _, l := range a.Lists() {
		if a.Hints.Lists[l.Op.ID()] == collection {
			r.Lists = append(r.Lists, l)
		}
	}
	return r
}
