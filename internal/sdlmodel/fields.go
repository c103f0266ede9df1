package sdlmodel

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Kind says how a field is served.
type Kind int

// Kinds of fields.
const (
	// Value is read from the record (a scalar, an enum, a list of them).
	Value Kind = iota
	// Link: the record stores the key of one record of Targets.
	Link
	// Links: the record stores a list of keys of records of Targets.
	Links
	// Inverse: the records of Targets whose Back field holds the parent's
	// key.
	Inverse
	// Contains: the records of Targets whose Back list holds the parent's
	// key (the other side of a Links field).
	Contains
	// Lookup: one record of Targets found by the field's arguments (Match);
	// on a record, among the records linking back to it when Back says
	// how.
	Lookup
	// First: the first record of Targets (viewer-style root fields).
	First
	// NodesByID: one record (or null) per id of the list argument Text
	// names (nodes(ids:)).
	NodesByID
	// Search: the records of Targets matching the Text argument (and the
	// TypeArg enum, which names the types).
	Search
	// All: every record of Targets, filtered by the arguments (Match).
	All
	// Root: the root object itself (Query.relay: Query!).
	Root
	// Generated: nothing holds the value; it is generated from the type.
	Generated
	// Count: an Int field that counts the records of a list field of the
	// same type (stargazerCount: stargazers), so that both agree.
	Count
)

var kindNames = [...]string{"value", "link", "links", "inverse", "contains", "lookup", "first", "nodes", "search", "all", "root", "generated", "count"}

func (k Kind) String() string { return kindNames[k] }

// Field is the plan of one field of a record type or of Query.
type Field struct {
	Kind Kind
	Def  *ast.FieldDefinition
	// Parent is the type the field belongs to.
	Parent *ast.Definition
	// Targets are the record types the field's type (or its
	// connection's nodes) stands for.
	Targets []*Record
	// Conn is the field's connection type, when it is one; List says the
	// field is a plain list of records.
	Conn *Conn
	List bool
	// Back names, per target type, its field that links back to the
	// parent (Inverse, Contains, Lookup within the parent's records).
	Back map[string]string
	// Match says, per target type, which record fields the arguments
	// select (Lookup, All, Search and the filters of lists).
	Match map[string][]ArgMatch
	// Order is the orderBy argument, when the field has one.
	Order *OrderArg
	// Text is the argument whose words records must contain (query:);
	// TypeArg an enum argument whose value names the target type.
	Text, TypeArg string
	// Ignored are arguments that select nothing (reported).
	Ignored []string
	// CountOf is the list field a Count field counts.
	CountOf string
	// Never: a Lookup whose required arguments select no field, so that
	// no record is ever found (invitationByToken(token:)).
	Never bool
}

// ListLike reports whether the field answers several records.
func (f *Field) ListLike() bool { return f.Conn != nil || f.List }

// ArgMatch ties an argument to a record field.
type ArgMatch struct {
	// Arg is the argument's name.
	Arg string
	// Field is the record field compared with the argument's value; with
	// Via, the field of the record the Via link points to (owner.login).
	Field string
	Via   string
	// OneOf: the argument is a list; the field holds one of its values.
	OneOf bool
}

// OrderArg is an orderBy argument: an input object with an enum field
// naming the order and a direction (ASC, DESC).
type OrderArg struct {
	// Arg is the argument; FieldKey and DirKey the input's fields.
	Arg, FieldKey, DirKey string
	// Fields maps, per target type, an enum value to the record field it
	// sorts by: CREATED_AT createdAt, STARGAZERS stargazerCount (values
	// without one keep the store's order).
	Fields map[string]map[string]string
}

// paging arguments of Relay connections.
var paging = map[string]bool{"first": true, "after": true, "last": true, "before": true}

// textArgs are the names of full-text search arguments.
var textArgs = []string{"query", "text", "term", "q", "search", "keyword", "keywords", "searchTerm", "filter"}

// recordFields plans the fields of a record type.
func (m *Model) recordFields(r *Record) {
	for _, f := range r.Def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		m.fields[f] = m.planObjectField(r.Def, f, false)
	}
	for _, f := range r.Def.Fields {
		if p := m.fields[f]; p != nil && p.Kind == Value {
			if list := m.countedList(r.Def, f); list != "" {
				p.Kind, p.CountOf = Count, list
			}
		}
	}
}

// countedList is the list field an Int field named xCount counts: xs (or
// x) of the same type, a list or connection of records; "" when none.
func (m *Model) countedList(def *ast.Definition, f *ast.FieldDefinition) string {
	if f.Type.Elem != nil || f.Type.NamedType != "Int" || len(f.Arguments) > 0 || !strings.HasSuffix(f.Name, "Count") {
		return ""
	}
	base := strings.TrimSuffix(f.Name, "Count")
	if base == "" || base == "total" {
		return ""
	}
	for _, n := range []string{Plural(base), base + "s", base} {
		if lf := def.Fields.ForName(n); lf != nil {
			if p := m.fields[lf]; p != nil && p.ListLike() && p.Kind != Generated && onlyOptional(lf.Arguments) {
				return n
			}
		}
	}
	return ""
}

// planObjectField plans a field of a record type (or of Query when root).
func (m *Model) planObjectField(parent *ast.Definition, f *ast.FieldDefinition, root bool) *Field {
	p := &Field{Def: f, Parent: parent}
	nt := m.Schema.Types[f.Type.Name()]
	if nt == nil {
		p.Kind = Generated
		return p
	}
	switch nt.Kind {
	case ast.Scalar, ast.Enum:
		p.Kind = Value
		if root {
			p.Kind = Generated
		}
		return p
	case ast.InputObject:
		p.Kind = Generated
		return p
	}
	if f.Type.Elem != nil && f.Type.Elem.Elem != nil {
		p.Kind = Generated // a list of lists of objects
		return p
	}
	if c := m.conns[nt.Name]; c != nil && f.Type.Elem == nil {
		p.Conn = c
		if c.Targets == nil {
			c.Targets = m.Targets(c.Node.Name)
		}
		p.Targets = c.Targets
	} else {
		p.List = f.Type.Elem != nil
		p.Targets = m.Targets(nt.Name)
	}
	if len(p.Targets) == 0 {
		p.Kind = Generated
		return p
	}
	if p.ListLike() {
		p.Kind = Links
		m.listArgs(p)
		return p
	}
	p.Kind = Link
	if len(f.Arguments) > 0 {
		p.Match, p.Ignored = m.matchArgs(f.Arguments, p.Targets, nil)
		if len(p.Match) > 0 {
			p.Kind = Lookup
			p.Targets = matchedTargets(p)
		}
	}
	return p
}

// matchedTargets keeps the targets some argument selects.
func matchedTargets(p *Field) []*Record {
	var out []*Record
	for _, t := range p.Targets {
		if len(p.Match[t.Name]) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// listArgs reads a list field's arguments: order, text, type, filters.
func (m *Model) listArgs(p *Field) {
	skip := map[string]bool{}
	for _, a := range p.Def.Arguments {
		if paging[a.Name] {
			skip[a.Name] = true
		}
	}
	if o := m.orderArg(p.Def.Arguments, p.Targets); o != nil {
		p.Order = o
		skip[o.Arg] = true
	}
	for _, n := range textArgs {
		if a := p.Def.Arguments.ForName(n); a != nil && a.Type.Elem == nil && a.Type.NamedType == "String" {
			p.Text = n
			skip[n] = true
			break
		}
	}
	for _, n := range []string{"type", "kind"} {
		a := p.Def.Arguments.ForName(n)
		if a == nil || a.Type.Elem != nil {
			continue
		}
		if def := m.Schema.Types[a.Type.NamedType]; def != nil && def.Kind == ast.Enum && len(p.Targets) > 1 {
			p.TypeArg = n
			skip[n] = true
		}
	}
	p.Match, p.Ignored = m.matchArgs(p.Def.Arguments, p.Targets, skip)
}
