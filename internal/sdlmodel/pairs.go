package sdlmodel

import (
	"slices"
	"sort"
	"strings"
)

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
