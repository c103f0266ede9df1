package sdlmodel

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/conventions"
)

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
		names = append(names, conventions.Singular(a.Name))
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
				for _, cand := range []string{c, c + "At", conventions.Singular(c) + "Count", c + "Count"} {
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
