package sdlmodel

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// rootFields plans the fields of Query:
//
//   - the Query type itself (relay: Query!): Root;
//   - a single record with arguments that select one (a field of the same
//     name, the key, a link's identifying field): Lookup; with none:
//     First, the viewer-style record, unless a required argument selects
//     nothing (a token no field holds): a Lookup that finds Never;
//   - a list of an interface or union with one list-of-ID argument:
//     NodesByID (nodes(ids:));
//   - a list or connection with a full-text argument (query:): Search;
//     other lists and connections: All, filtered by their arguments;
//   - scalars and types that hold no records: Generated.
func (m *Model) rootFields(q *ast.Definition) {
	for _, f := range q.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		where := q.Name + "." + f.Name
		if f.Type.Elem == nil && f.Type.NamedType == q.Name {
			m.fields[f] = &Field{Kind: Root, Def: f, Parent: q}
			continue
		}
		p := m.planObjectField(q, f, true)
		m.fields[f] = p
		switch p.Kind {
		case Generated:
			m.warn.add("root fields answer generated values (their type holds no records)", where)
		case Links:
			if ids := idsArg(f); ids != "" && len(p.Targets) > 0 && isAbstract(m.Schema, f.Type.Name()) {
				p.Kind, p.Text, p.Match = NodesByID, ids, nil
				continue
			}
			p.Kind = All
			if p.Text != "" {
				p.Kind = Search
			}
			m.warnIgnored(where, p)
		case Link:
			p.Kind = First
			if required(p) {
				// an argument the client must give names a record, but no
				// field holds it: nothing is ever found
				p.Kind, p.Never = Lookup, true
				m.warn.add("lookups whose required arguments match no field find nothing (NOT_FOUND)", where)
			}
		case Lookup:
			m.warnIgnored(where, p)
			m.uniqueLookups(p)
		}
	}
}

// uniqueLookups makes the text fields a root lookup finds records by
// unique (login, slug, name): one record per value, found by the index.
func (m *Model) uniqueLookups(p *Field) {
	for _, t := range p.Targets {
		for _, am := range p.Match[t.Name] {
			if am.Via != "" || am.OneOf || am.Field == t.Key {
				continue
			}
			f := t.Def.Fields.ForName(am.Field)
			d := m.Schema.Types[f.Type.NamedType]
			if d != nil && d.Kind == ast.Scalar && d.Name != "Int" && d.Name != "Float" && d.Name != "Boolean" {
				t.Unique = append(t.Unique, am.Field)
			}
		}
	}
}

// required reports whether a field has an ignored required argument.
func required(p *Field) bool {
	for _, a := range p.Ignored {
		if ad := p.Def.Arguments.ForName(a); ad != nil && ad.Type.NonNull && ad.DefaultValue == nil {
			return true
		}
	}
	return false
}

// warnIgnored reports required arguments that select nothing.
func (m *Model) warnIgnored(where string, p *Field) {
	for _, a := range p.Ignored {
		if ad := p.Def.Arguments.ForName(a); ad != nil && ad.Type.NonNull && ad.DefaultValue == nil {
			m.warn.add("required arguments that match no field are ignored", where+"("+a+":)")
		}
	}
}

// idsArg is a field's one required argument that is a list of IDs.
func idsArg(f *ast.FieldDefinition) string {
	var out string
	for _, a := range f.Arguments {
		if a.Type.Elem != nil && a.Type.Elem.Elem == nil && a.Type.Elem.NamedType == "ID" && a.Type.NonNull {
			if out != "" {
				return ""
			}
			out = a.Name
		}
	}
	return out
}

func isAbstract(s *ast.Schema, name string) bool {
	d := s.Types[name]
	return d != nil && (d.Kind == ast.Interface || d.Kind == ast.Union)
}
