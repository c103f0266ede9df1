package sdlmodel

import (
	"slices"
	"sort"
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

// matchArgs ties the arguments (but skip) to fields of each target:
// per target the matches, and the arguments no target matches.
func (m *Model) matchArgs(args ast.ArgumentDefinitionList, targets []*Record, skip map[string]bool) (map[string][]ArgMatch, []string) {
	out := map[string][]ArgMatch{}
	var ignored []string
	for _, a := range args {
		if skip[a.Name] || paging[a.Name] {
			continue
		}
		hit := false
		for _, t := range targets {
			if am, ok := m.matchArg(a, t); ok {
				out[t.Name] = append(out[t.Name], am)
				hit = true
			}
		}
		if !hit {
			ignored = append(ignored, a.Name)
		}
	}
	if len(out) == 0 {
		out = nil
	}
	return out, ignored
}

// matchArg ties one argument to a field of record type t:
//
//   - a scalar or enum field of the same name (or, for a list argument,
//     of its singular) and a compatible type: equal (or one of);
//   - id, or <type>Id (an ID): the key;
//   - a link field of the same name: its key (an ID argument) or the
//     linked record's identifying field (a String: login, name, slug, …);
//   - <link>Id / <link>Ids: the link's key.
func (m *Model) matchArg(a *ast.ArgumentDefinition, t *Record) (ArgMatch, bool) {
	list := a.Type.Elem != nil
	named := a.Type.Name()
	am := ArgMatch{Arg: a.Name}
	names := []string{a.Name}
	if list {
		names = append(names, Singular(a.Name))
	}
	for _, n := range names {
		f := t.Def.Fields.ForName(n)
		if f == nil || len(f.Arguments) > 0 && !onlyOptional(f.Arguments) {
			continue
		}
		fl := f.Type.Elem != nil
		ft := m.Schema.Types[f.Type.Name()]
		if ft == nil {
			continue
		}
		switch ft.Kind {
		case ast.Scalar, ast.Enum:
			if fl || !compatible(named, ft.Name) {
				continue
			}
			am.Field, am.OneOf = n, list
			return am, true
		case ast.Object, ast.Interface, ast.Union:
			if fl || m.conns[ft.Name] != nil {
				continue
			}
			if named == "ID" {
				am.Field, am.OneOf = n, list
				return am, true
			}
			if named == "String" {
				if idf := identifying(m.Targets(ft.Name)); idf != "" {
					am.Via, am.Field, am.OneOf = n, idf, list
					return am, true
				}
			}
		}
	}
	if named == "ID" || named == "String" && t.Key == "id" {
		if a.Name == "id" || a.Name == "ids" || a.Name == LowerCamel(t.Name)+"Id" || a.Name == LowerCamel(t.Name)+"Ids" {
			am.Field, am.OneOf = t.Key, list
			return am, true
		}
	}
	if named == "ID" {
		base := strings.TrimSuffix(strings.TrimSuffix(a.Name, "Ids"), "Id")
		if list && strings.HasSuffix(a.Name, "Ids") || !list && strings.HasSuffix(a.Name, "Id") {
			if f := t.Def.Fields.ForName(base); f != nil && f.Type.Elem == nil && len(f.Arguments) == 0 && len(m.Targets(f.Type.Name())) > 0 {
				am.Field, am.OneOf = base, list
				return am, true
			}
		}
	}
	return am, false
}

func onlyOptional(args ast.ArgumentDefinitionList) bool {
	for _, a := range args {
		if a.Type.NonNull && a.DefaultValue == nil {
			return false
		}
	}
	return true
}

// compatible reports whether an argument of type a may be compared with a
// field of type f.
func compatible(a, f string) bool {
	if a == f {
		return true
	}
	str := func(s string) bool { return s == "ID" || s == "String" }
	return str(a) && str(f)
}

// identifyingNames are the fields that name a record to people, in order
// of preference.
var identifyingNames = []string{"login", "slug", "name", "key", "handle", "username", "email", "title", "nameWithOwner"}

// identifying is the field every target has that names a record.
func identifying(targets []*Record) string {
	if len(targets) == 0 {
		return ""
	}
next:
	for _, n := range identifyingNames {
		for _, t := range targets {
			f := t.Def.Fields.ForName(n)
			if f == nil || f.Type.Elem != nil || len(f.Arguments) > 0 || !compatible("String", f.Type.NamedType) {
				continue next
			}
		}
		return n
	}
	return ""
}

// orderLike reports whether an argument (or its input type) is named for
// an order: orderBy, order, sort, sortBy; IssueOrder, RepoOrdering.
func orderLike(arg, typ string) bool {
	a, t := strings.ToLower(arg), strings.ToLower(typ)
	return strings.Contains(a, "order") || strings.Contains(a, "sort") ||
		strings.HasSuffix(t, "order") || strings.HasSuffix(t, "ordering") || strings.HasSuffix(t, "sort")
}

// orderArg finds an orderBy-like argument (orderLike): an input object
// with an enum field and, optionally, a direction; a filter input with an
// enum field (identifier: {type, value}) is not one.
func (m *Model) orderArg(args ast.ArgumentDefinitionList, targets []*Record) *OrderArg {
	for _, a := range args {
		in := m.Schema.Types[a.Type.Name()]
		if a.Type.Elem != nil || in == nil || in.Kind != ast.InputObject || !orderLike(a.Name, in.Name) {
			continue
		}
		o := &OrderArg{Arg: a.Name, Fields: map[string]map[string]string{}}
		var enum *ast.Definition
		for _, f := range in.Fields {
			ft := m.Schema.Types[f.Type.Name()]
			if ft == nil || ft.Kind != ast.Enum || f.Type.Elem != nil {
				continue
			}
			if ft.EnumValues.ForName("ASC") != nil && ft.EnumValues.ForName("DESC") != nil {
				o.DirKey = f.Name
				continue
			}
			if o.FieldKey == "" || f.Name == "field" {
				o.FieldKey, enum = f.Name, ft
			}
		}
		if enum == nil {
			continue
		}
		for _, t := range targets {
			fields := map[string]string{}
			for _, v := range enum.EnumValues {
				c := CamelOfEnum(v.Name)
				for _, cand := range []string{c, c + "At", Singular(c) + "Count", c + "Count"} {
					if f := t.Def.Fields.ForName(cand); f != nil && f.Type.Elem == nil && len(f.Arguments) == 0 && isLeaf(m.Schema, f.Type.NamedType) {
						fields[v.Name] = cand
						break
					}
				}
			}
			o.Fields[t.Name] = fields
		}
		return o
	}
	return nil
}

func isLeaf(s *ast.Schema, name string) bool {
	d := s.Types[name]
	return d != nil && (d.Kind == ast.Scalar || d.Kind == ast.Enum)
}

// pairLists decides which list fields are the other side of a link
// (Inverse) or of a list of links (Contains); the rest stay Links.
func (m *Model) pairLists() {
	type claim struct {
		r *Record
		f *Field
	}
	// a lookup on a record looks among the records linking back to it
	// (Repository.issue(number:) among the repository's issues)
	for _, r := range m.Records {
		for _, fd := range r.Def.Fields {
			f := m.fields[fd]
			if f == nil || f.Kind != Lookup {
				continue
			}
			for _, t := range f.Targets {
				if b := m.singleBack(t, r); b != "" {
					if f.Back == nil {
						f.Back = map[string]string{}
					}
					f.Back[t.Name] = b
					t.Index = append(t.Index, b)
				}
			}
		}
	}
	groups := map[string][]claim{}
	var order []string
	for _, r := range m.Records {
		for _, fd := range r.Def.Fields {
			f := m.fields[fd]
			if f == nil || f.Kind != Links {
				continue
			}
			back := map[string]string{}
			for _, t := range f.Targets {
				b := m.singleBack(t, r)
				if b == "" {
					back = nil
					break
				}
				back[t.Name] = b
			}
			if back == nil {
				continue
			}
			f.Back = back
			key := r.Name + "|" + backKey(back)
			if _, ok := groups[key]; !ok {
				order = append(order, key)
			}
			groups[key] = append(groups[key], claim{r, f})
		}
	}
	for _, key := range order {
		g := groups[key]
		win := 0
		for i, c := range g {
			if preferredList(c.f) {
				win = i
				break
			}
		}
		for i, c := range g {
			if i != win {
				c.f.Back = nil
				continue
			}
			c.f.Kind = Inverse
			for t, b := range c.f.Back {
				rec := m.byName[t]
				rec.Index = append(rec.Index, b)
			}
		}
	}
	// many-to-many: one side stored (Links, the one whose Type.field
	// sorts first), the other reads it
	for _, r := range m.Records {
		for _, fd := range r.Def.Fields {
			f := m.fields[fd]
			if f == nil || f.Kind != Links {
				continue
			}
			back := map[string]string{}
			for _, t := range f.Targets {
				b := m.listBack(t, r)
				// the side whose Type.field sorts first is stored
				if b == "" || t == r || r.Name+"."+fd.Name < t.Name+"."+b {
					back = nil
					break
				}
				back[t.Name] = b
			}
			if len(back) > 0 {
				f.Kind, f.Back = Contains, back
			}
		}
	}
}

func backKey(back map[string]string) string {
	keys := make([]string, 0, len(back))
	for t, b := range back {
		keys = append(keys, t+"."+b)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// preferredList: among several lists reading the same link back, the one
// named after its records (repositories for Repository) wins.
func preferredList(f *Field) bool {
	for _, t := range f.Targets {
		if f.Def.Name == Plural(LowerCamel(t.Name)) {
			return true
		}
	}
	if f.Conn != nil && f.Def.Name == Plural(LowerCamel(f.Conn.Node.Name)) {
		return true
	}
	return !f.List && f.Conn == nil
}

// backPreference orders the link names that say "belongs to".
var backPreference = []string{"owner", "author", "creator", "parent", "user", "actor", "subject", "container"}

// singleBack is the one link field of t (no required arguments, not a
// list) that may point at a record of r, or "".
func (m *Model) singleBack(t, r *Record) string {
	var cands []string
	for _, fd := range t.Def.Fields {
		f := m.fields[fd]
		if f == nil || f.Kind != Link || !slices.Contains(f.Targets, r) {
			continue
		}
		cands = append(cands, fd.Name)
	}
	return choose(cands, t, r)
}

// listBack is the one stored list field of t that may hold records of r.
func (m *Model) listBack(t, r *Record) string {
	var cands []string
	for _, fd := range t.Def.Fields {
		f := m.fields[fd]
		if f == nil || f.Kind != Links || !slices.Contains(f.Targets, r) {
			continue
		}
		cands = append(cands, fd.Name)
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return ""
}

// choose picks the field that links t to r among candidates: the only
// one, else the one named after r, else the only one typed r itself, else
// the first of backPreference.
func choose(cands []string, t, r *Record) string {
	switch len(cands) {
	case 0:
		return ""
	case 1:
		return cands[0]
	}
	if slices.Contains(cands, LowerCamel(r.Name)) {
		return LowerCamel(r.Name)
	}
	var exact []string
	for _, c := range cands {
		if t.Def.Fields.ForName(c).Type.Name() == r.Name {
			exact = append(exact, c)
		}
	}
	if len(exact) == 1 {
		return exact[0]
	}
	for _, p := range backPreference {
		if slices.Contains(cands, p) {
			return p
		}
	}
	return ""
}
