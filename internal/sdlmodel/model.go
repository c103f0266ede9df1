// Package sdlmodel reads a GraphQL SDL as a graph of records, the way a
// mock serves it with no configuration:
//
//   - Every object type that is not a root type, a Relay connection, an
//     edge, a PageInfo or a mutation payload holds records (a Record):
//     keyed by its id field (an ID, String or Int field named id), else by
//     its only ID field, else by a store-only key, SyntheticKey.
//   - A field of an object, interface or union type is a link: the record
//     stores the key of the record it points to, resolved when queried,
//     never a nested copy, so self-references, mutual references and long
//     chains cost nothing at any depth.
//   - A list or connection field is the other side of a link when every
//     type it lists has exactly one link back to the field's type (Inverse:
//     Author.books is every book whose author is that author), else the
//     other side of a list of links (Contains, many-to-many), else a list
//     of links stored in the record (Links).
//   - Root fields and mutations get a plan of their own (Field, Mutation).
//
// Package specinfer derives a manifest's collections and generation rules
// from a Model; package gqlbind resolves an API in graph mode with one.
// Both build it with Build from the same schema (and gqlbind with the
// manifest's collections), so what is generated is what is resolved.
package sdlmodel

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// SyntheticKey is the store-only key field of a record type without an id
// field.
const SyntheticKey = "_key"

// Model is the record graph of one schema. It is immutable once built.
type Model struct {
	// Schema is the schema the model reads.
	Schema *ast.Schema
	// Records are the record types, sorted by name.
	Records []*Record

	byName   map[string]*Record
	conns    map[string]*Conn
	edges    map[string]bool
	pageInfo map[string]bool
	payloads map[string]bool
	fields   map[*ast.FieldDefinition]*Field
	muts     map[*ast.FieldDefinition]*Mutation
	targets  map[string][]*Record
	warn     warnings
}

// Record is an object type whose values are records of one collection.
type Record struct {
	Def *ast.Definition
	// Name is the type's name; Collection the collection's.
	Name, Collection string
	// Key is the record field that identifies a record: "id", the type's
	// only ID field, or SyntheticKey. NumericKey: its values are numbers
	// (an Int id), else strings.
	Key        string
	NumericKey bool
	// Unique are the fields whose values identify a record: the key, then
	// the String fields root lookups find records by (login, slug, …).
	Unique []string
	// Index are the link fields inverse lists read records by.
	Index []string
}

// GlobalIDs reports whether the record's key is its id field of type ID,
// generated as global ids (fakedata.NodeID).
func (r *Record) GlobalIDs() bool {
	return r.Key == "id" && !r.NumericKey || r.Key == SyntheticKey
}

// Conn is a Relay connection type.
type Conn struct {
	Def *ast.Definition
	// Node is the type of its nodes; Edge its edge type (nil without
	// edges).
	Node, Edge *ast.Definition
	// Targets are the record types of its nodes.
	Targets []*Record
}

// Options fix what Build would otherwise infer.
type Options struct {
	// Records, when not nil, are the record types (type name to
	// collection and key), as a manifest declares them: no other type
	// holds records.
	Records map[string]RecordSpec
}

// RecordSpec is a record type as a manifest declares it.
type RecordSpec struct {
	Collection, Key string
}

// Build reads schema (as gqlparser.LoadSchema returns it).
func Build(schema *ast.Schema, opts Options) *Model {
	m := &Model{
		Schema: schema, byName: map[string]*Record{}, conns: map[string]*Conn{}, edges: map[string]bool{},
		pageInfo: map[string]bool{}, payloads: map[string]bool{}, fields: map[*ast.FieldDefinition]*Field{},
		muts: map[*ast.FieldDefinition]*Mutation{}, targets: map[string][]*Record{},
	}
	m.classify(opts)
	for _, r := range m.Records {
		m.recordFields(r)
	}
	m.pairLists()
	if schema.Query != nil {
		m.rootFields(schema.Query)
	}
	if schema.Mutation != nil {
		m.mutations(schema.Mutation)
	}
	for _, r := range m.Records {
		sort.Strings(r.Index)
		r.Index = compact(r.Index)
		r.Unique = append(r.Unique[:1], compact(sortedCopy(r.Unique[1:]))...)
	}
	return m
}

// Record returns the record type of a type name, or nil.
func (m *Model) Record(name string) *Record { return m.byName[name] }

// Conn returns the connection type of a type name, or nil.
func (m *Model) Conn(name string) *Conn { return m.conns[name] }

// IsPageInfo reports whether a type is the pageInfo of a connection.
func (m *Model) IsPageInfo(name string) bool { return m.pageInfo[name] }

// Field returns the plan of a field of a record type or of Query, or nil.
func (m *Model) Field(fd *ast.FieldDefinition) *Field { return m.fields[fd] }

// Mutation returns the plan of a Mutation field, or nil.
func (m *Model) Mutation(fd *ast.FieldDefinition) *Mutation { return m.muts[fd] }

// Warnings say what the model cannot serve from records, grouped by
// reason, each with its count and the fields concerned.
func (m *Model) Warnings() []string { return m.warn.list() }

// Targets are the record types a named type stands for: itself, or the
// possible types of an interface or union that hold records, by name.
func (m *Model) Targets(name string) []*Record {
	if t, ok := m.targets[name]; ok {
		return t
	}
	var out []*Record
	if r := m.byName[name]; r != nil {
		out = []*Record{r}
	} else if def := m.Schema.Types[name]; def != nil && (def.Kind == ast.Interface || def.Kind == ast.Union) {
		for _, p := range m.Schema.PossibleTypes[name] {
			if r := m.byName[p.Name]; r != nil {
				out = append(out, r)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	}
	m.targets[name] = out
	return out
}

// classify sorts the object types into roots, connections, edges,
// PageInfo types, payloads and record types.
func (m *Model) classify(opts Options) {
	s := m.Schema
	roots := map[string]bool{}
	for _, r := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if r != nil {
			roots[r.Name] = true
		}
	}
	names := make([]string, 0, len(s.Types))
	for n := range s.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		def := s.Types[n]
		if def.Kind != ast.Object || strings.HasPrefix(n, "__") || roots[n] {
			continue
		}
		if c := m.connOf(def); c != nil {
			m.conns[n] = c
			if c.Edge != nil {
				m.edges[c.Edge.Name] = true
			}
			if pi := def.Fields.ForName("pageInfo"); pi != nil {
				m.pageInfo[pi.Type.Name()] = true
			}
		}
	}
	// Payloads: object types only mutations answer with.
	usedElsewhere := map[string]bool{}
	for _, n := range names {
		def := s.Types[n]
		if def.Kind != ast.Object && def.Kind != ast.Interface || s.Mutation != nil && n == s.Mutation.Name {
			continue
		}
		for _, f := range def.Fields {
			usedElsewhere[f.Type.Name()] = true
		}
	}
	for _, n := range names {
		if def := s.Types[n]; def.Kind == ast.Union {
			for _, t := range def.Types {
				usedElsewhere[t] = true
			}
		}
	}
	if s.Mutation != nil {
		for _, f := range s.Mutation.Fields {
			t := f.Type.Name()
			if def := s.Types[t]; def != nil && def.Kind == ast.Object && !usedElsewhere[t] && !m.isConnOrEdge(t) && !roots[t] && !implementsAny(def) {
				m.payloads[t] = true
			}
		}
	}
	taken := map[string]bool{}
	for _, n := range names {
		def := s.Types[n]
		if def.Kind != ast.Object || strings.HasPrefix(n, "__") || roots[n] || m.isConnOrEdge(n) || m.pageInfo[n] || m.payloads[n] {
			continue
		}
		r := &Record{Def: def, Name: n}
		if opts.Records != nil {
			spec, ok := opts.Records[n]
			if !ok {
				continue
			}
			r.Collection, r.Key = spec.Collection, spec.Key
			if f := def.Fields.ForName(r.Key); f != nil && f.Type.Elem == nil && (f.Type.NamedType == "Int" || f.Type.NamedType == "Float") {
				r.NumericKey = true
			}
		} else {
			r.Key, r.NumericKey = keyOf(def)
			r.Collection = Plural(LowerCamel(n))
			for i := 2; taken[r.Collection]; i++ {
				r.Collection = Plural(LowerCamel(n)) + "_" + itoa(i)
			}
			taken[r.Collection] = true
		}
		r.Unique = []string{r.Key}
		m.Records = append(m.Records, r)
		m.byName[n] = r
	}
}

func implementsAny(def *ast.Definition) bool { return len(def.Interfaces) > 0 }

func (m *Model) isConnOrEdge(name string) bool { return m.conns[name] != nil || m.edges[name] }

// connOf recognises a Relay connection: edges whose items have a node, or
// nodes, and a pageInfo (or a name ending in Connection).
func (m *Model) connOf(def *ast.Definition) *Conn {
	s := m.Schema
	c := &Conn{Def: def}
	if e := def.Fields.ForName("edges"); e != nil && e.Type.Elem != nil {
		if et := s.Types[e.Type.Name()]; et != nil && et.Kind == ast.Object {
			if n := et.Fields.ForName("node"); n != nil && n.Type.Elem == nil {
				c.Edge, c.Node = et, s.Types[n.Type.Name()]
			}
		}
	}
	if c.Node == nil {
		if n := def.Fields.ForName("nodes"); n != nil && n.Type.Elem != nil && n.Type.Elem.Elem == nil {
			c.Node = s.Types[n.Type.Name()]
		}
	}
	if c.Node == nil || (def.Fields.ForName("pageInfo") == nil && !strings.HasSuffix(def.Name, "Connection")) {
		return nil
	}
	if k := c.Node.Kind; k != ast.Object && k != ast.Interface && k != ast.Union {
		return nil
	}
	return c
}

// keyOf picks a record type's key: id (an ID, String or Int), else its
// only ID field, else SyntheticKey.
func keyOf(def *ast.Definition) (string, bool) {
	if f := def.Fields.ForName("id"); f != nil && f.Type.Elem == nil && len(f.Arguments) == 0 {
		switch f.Type.NamedType {
		case "ID", "String":
			return "id", false
		case "Int":
			return "id", true
		}
	}
	var ids []string
	for _, f := range def.Fields {
		if f.Type.Elem == nil && f.Type.NamedType == "ID" && len(f.Arguments) == 0 {
			ids = append(ids, f.Name)
		}
	}
	if len(ids) == 1 {
		return ids[0], false
	}
	return SyntheticKey, false
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func compact(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
