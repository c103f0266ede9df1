package openapi

import (
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
)

// JSONMedia is the JSON content of c: application/json (as Content.Get
// finds it, a key listing it or a range such as application/*), else the
// first media type in name order whose name says json; nil when none.
func JSONMedia(c openapi3.Content) *openapi3.MediaType {
	if mt := c.Get("application/json"); mt != nil {
		return mt
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.Contains(k, "json") {
			return c[k]
		}
	}
	return nil
}

// KeyField is the record field an item path's parameter selects, by the
// conventions (KeyFieldFor without the parameter's schema).
func KeyField(param string, s *openapi3.Schema) string { return KeyFieldFor(param, nil, s) }

// keySynonyms are record fields a parameter name stands for when the
// record has no field of its own name (username: login).
var keySynonyms = map[string][]string{
	"username": {"login", "name", "handle"},
	"user":     {"login", "username"},
	"owner":    {"login", "name"},
	"org":      {"login", "name", "slug"},
	"login":    {"username"},
}

// KeyFieldFor is the record field an item path's parameter selects, by
// the conventions: the property named like the parameter (without regard
// to case and separators); else id, when the parameter reads as an id
// (id, petId, pet_id); else the property the parameter names without its
// id suffix (petId: pet); else the property its last words name
// (issue_number: number, team_slug: slug, secret_name: name); else a
// synonym (username: login); else id if the schema has one. A candidate
// whose type the parameter's schema (when given) cannot hold is passed
// over: an integer parameter never selects a string field. "" when none.
func KeyFieldFor(param string, ps, s *openapi3.Schema) string {
	props := mergedProps(s)
	fits := func(name string) bool {
		p := props[name]
		if p == nil || p.Value == nil || ps == nil {
			return p != nil
		}
		return typesFit(ps, p.Value)
	}
	find := func(cand string) string {
		if cand == "" {
			return ""
		}
		if _, ok := props[cand]; ok && fits(cand) {
			return cand
		}
		want := conventions.Norm(cand)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			if conventions.Norm(n) == want && fits(n) {
				return n
			}
		}
		return ""
	}
	if f := find(param); f != "" {
		return f
	}
	low := strings.ToLower(param)
	idLike := low == "id" || strings.HasSuffix(low, "id")
	if idLike && fits("id") {
		return "id"
	}
	if idLike {
		if f := find(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(param, "ID"), "Id"), "_id")); f != "" && !strings.EqualFold(f, param) {
			return f
		}
	}
	words := conventions.Words(param)
	if len(words) == 0 {
		words = []string{low}
	}
	for i := 1; i < len(words); i++ {
		if f := find(strings.Join(words[i:], "_")); f != "" {
			return f
		}
	}
	for _, w := range []string{low, words[len(words)-1]} {
		for _, syn := range keySynonyms[w] {
			if f := find(syn); f != "" {
				return f
			}
		}
	}
	if fits("id") {
		return "id"
	}
	return ""
}

// mergedProps are a schema's properties with its allOf parts'.
func mergedProps(s *openapi3.Schema) openapi3.Schemas {
	if s == nil {
		return nil
	}
	if len(s.AllOf) == 0 {
		return s.Properties
	}
	out := openapi3.Schemas{}
	for _, part := range s.AllOf {
		if part != nil && part.Value != nil {
			for k, v := range mergedProps(part.Value) {
				out[k] = v
			}
		}
	}
	for k, v := range s.Properties {
		out[k] = v
	}
	return out
}

// typesFit reports whether a path parameter of schema ps can hold the
// values of a field of schema fs: the same type (an integer parameter
// for a number field too), or a string parameter for any scalar field.
func typesFit(ps, fs *openapi3.Schema) bool {
	pt, ft := firstType(ps), firstType(fs)
	switch {
	case pt == "" || ft == "":
		return ft != "object" && ft != "array"
	case pt == ft:
		return true
	case pt == "integer" && ft == "number", pt == "number" && ft == "integer":
		return true
	case pt == "string":
		return ft == "integer" || ft == "number" || ft == "boolean"
	}
	return false
}

func firstType(s *openapi3.Schema) string {
	if s == nil || s.Type == nil {
		return ""
	}
	for _, t := range s.Type.Slice() {
		if t != "null" {
			return t
		}
	}
	return ""
}

// IDLike reports whether a field name reads as an identifier (see
// conventions.IDLike).
func IDLike(field string) bool { return conventions.IDLike(field) }

// AllOfParts lists a schema and its allOf parts, nested allOfs opened,
// each once (a cycle of allOfs ends).
func AllOfParts(s *openapi3.Schema) []*openapi3.Schema {
	parts, _ := AllOfPlaces(s)
	return parts
}

// AllOfPlaces is AllOfParts with each part's place from s ("" for s,
// "allOf/1/allOf/0"), for messages that say which part decides.
func AllOfPlaces(s *openapi3.Schema) (parts []*openapi3.Schema, places []string) {
	seen := map[*openapi3.Schema]bool{}
	var add func(*openapi3.Schema, string)
	add = func(x *openapi3.Schema, at string) {
		if x == nil || seen[x] {
			return
		}
		seen[x] = true
		parts, places = append(parts, x), append(places, at)
		for i, p := range x.AllOf {
			if p != nil {
				sub := "allOf/" + strconv.Itoa(i)
				if at != "" {
					sub = at + "/" + sub
				}
				add(p.Value, sub)
			}
		}
	}
	add(s, "")
	return parts, places
}

// FirstPage is the index of a list's first page by its page parameter's
// schema: the minimum, else the default when that is 0 or 1, else 1.
// GitHub's and Directus' pages count from 1 and document no minimum; the
// marketplace's says minimum 0. A nil schema (no parameter) is 0.
func FirstPage(s *openapi3.Schema) int {
	switch {
	case s == nil:
		return 0
	case s.Min != nil:
		return int(*s.Min)
	}
	switch d := s.Default.(type) {
	case float64:
		if d == 0 || d == 1 {
			return int(d)
		}
	case int:
		if d == 0 || d == 1 {
			return d
		}
	}
	return 1
}
