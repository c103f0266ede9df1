package specinfer

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/manifest"
)

// This file shapes answers after the spec: the envelope of a list, the
// projection of a record onto the schema an operation answers with, and
// the error body of the spec's error schema.

// maxShapeDepth bounds the recursion over nested schemas (a schema may
// refer to itself).
const maxShapeDepth = 4

// listEnvelope is the envelope of a list answer whose schema is an object
// around one array, at the property path way (listItems): the array is
// "{{items}}", counts take the page's figures, and every other field is
// filled with a constant the schema allows. It returns the required
// fields it cannot fill (dotted paths below the first level).
func listEnvelope(s *openapi3.Schema, way []string, pg *manifest.Paging) (map[string]any, []string) {
	prop := way[0]
	props := properties(s)
	env := map[string]any{prop: "{{items}}"}
	var missing []string
	if len(way) > 1 {
		inner, m := listEnvelope(props[prop].Value, way[1:], pg)
		env[prop] = inner
		for _, f := range m {
			missing = append(missing, prop+"."+f)
		}
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := props[name]
		if name == prop || p == nil || p.Value == nil {
			continue
		}
		if v, ok := envValue(name, p.Value, pg, 0); ok {
			env[name] = v
		}
	}
	for _, r := range s.Required {
		if _, ok := env[r]; !ok {
			missing = append(missing, r)
		}
	}
	return env, missing
}

// envValue fills one field of a list envelope: a page figure, the page
// links ({{links}}, for an array of {rel, href} objects of a paged list),
// an object of such fields (meta: {size, total, ...}), else a constant.
func envValue(name string, s *openapi3.Schema, pg *manifest.Paging, depth int) (any, bool) {
	if v, ok := countOf(name, s, pg); ok {
		return v, true
	}
	if pg != nil && mainType(s) == "array" && s.Items != nil && s.Items.Value != nil {
		ip := properties(s.Items.Value)
		if ip["rel"] != nil && ip["href"] != nil {
			return "{{links}}", true
		}
	}
	if mainType(s) == "object" && len(properties(s)) > 0 && depth < maxShapeDepth && s.Const == nil && s.Default == nil && s.Example == nil {
		props := properties(s)
		out := map[string]any{}
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if p := props[n]; p != nil && p.Value != nil {
				if v, ok := envValue(n, p.Value, pg, depth+1); ok {
					out[n] = v
				}
			}
		}
		for _, r := range s.Required {
			if _, ok := out[r]; !ok {
				return nil, false
			}
		}
		return out, true
	}
	return constantFor(name, s, depth)
}

// countOf is the page figure an integer envelope field named like a count
// stands for. Totals and sizes need no paging (an unpaged list is one page
// of all records); page numbers and page counts need page/size paging.
func countOf(name string, s *openapi3.Schema, pg *manifest.Paging) (string, bool) {
	if t := mainType(s); t != "integer" && t != "number" {
		return "", false
	}
	pageStyle := pg != nil && pg.Style == manifest.PagingPage
	switch conventions.Norm(name) {
	case "total", "totalcount", "count", "totalelements", "totalitems", "totalresults", "totalrecords":
		return "{{page.totalElements}}", true
	case "size", "pagesize", "limit", "perpage":
		return "{{page.size}}", true
	case "page", "number", "pagenumber":
		if pageStyle {
			return "{{page.number}}", true
		}
	case "totalpages", "pages", "pagecount":
		if pageStyle {
			return "{{page.totalPages}}", true
		}
	}
	return "", false
}

// successNames are boolean fields that say the request succeeded.
var successNames = map[string]bool{"ok": true, "success": true, "succeeded": true, "successful": true, "status": true, "result": true}

// constantFor is a value the schema allows for a field the mock has no data
// for: its const, default, example or only enum value; true for a boolean
// named like success (false for others, such as hasMore); an empty object
// or array when that validates; nothing for other scalars.
func constantFor(name string, s *openapi3.Schema, depth int) (any, bool) {
	switch {
	case s.Const != nil:
		return normalize(s.Const), true
	case s.Default != nil:
		return normalize(s.Default), true
	case s.Example != nil:
		return normalize(s.Example), true
	case len(s.Examples) > 0:
		return normalize(s.Examples[0]), true
	case len(s.Enum) > 0:
		return normalize(s.Enum[0]), true
	}
	switch mainType(s) {
	case "boolean":
		return successNames[conventions.Norm(name)], true
	case "array":
		if s.MinItems == 0 {
			return []any{}, true
		}
	case "object":
		if depth >= maxShapeDepth {
			return nil, false
		}
		props := properties(s)
		out := map[string]any{}
		for _, r := range s.Required {
			p := props[r]
			if p == nil || p.Value == nil {
				return nil, false
			}
			v, ok := constantFor(r, p.Value, depth+1)
			if !ok {
				return nil, false
			}
			out[r] = v
		}
		return out, true
	}
	if s.Nullable || s.Type.Includes("null") {
		return nil, true
	}
	return nil, false
}

// projection maps the fields of the schema an operation answers with (out)
// onto record paths of the record schema (rec): a field of the same name,
// else a name whose words make a nested path of the record (authorName,
// author_name: author.name). It returns nil when the record is answered
// as stored (out is the record schema), and the required fields of out
// that no record path fills.
//
// An optional field is projected only when the record always has it
// (required there) or out allows null: a projected field the record lacks
// is answered as null.
func projection(out, rec *openapi3.Schema) (map[string]string, []string) {
	if out == nil || rec == nil || out == rec || !isObject(out) || sameObject(out, rec) {
		return nil, nil
	}
	if extra := widens(out, rec); extra != nil {
		// the record and more (GitHub's PATCH of an issue answers the
		// allOf of the issue and its suggestions): as stored
		var missing []string
		for _, r := range slices.Sorted(maps.Keys(requiredOf(out))) {
			if extra[r] {
				missing = append(missing, r)
			}
		}
		return nil, missing
	}
	fields := map[string]string{}
	var missing []string
	project(out, rec, "", "", true, fields, &missing, 0)
	if len(fields) == 0 && len(missing) == 0 {
		return nil, nil
	}
	if sameFields(out, rec, fields) {
		return nil, missing
	}
	sort.Strings(missing)
	return fields, missing
}

// sameFields reports whether the projection copies every field of the
// record to the same name: the record as stored answers alike.
func sameFields(out, rec *openapi3.Schema, fields map[string]string) bool {
	rp := properties(rec)
	if len(fields) != len(rp) {
		return false
	}
	for name := range rp {
		if fields[name] != name {
			return false
		}
	}
	return true
}

// project fills fields with the projection of out at prefix (response) to
// rec at path (record); always tells whether the record always has the
// object at path.
func project(out, rec *openapi3.Schema, prefix, path string, always bool, fields map[string]string, missing *[]string, depth int) {
	op := properties(out)
	names := make([]string, 0, len(op))
	for name := range op {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		o := op[name]
		if o == nil || o.Value == nil || o.Value.WriteOnly {
			continue
		}
		required := slices.Contains(out.Required, name)
		src, srcSchema, srcAlways := findPath(rec, name, always)
		if src == "" {
			if required {
				*missing = append(*missing, prefix+name)
			}
			continue
		}
		full := src
		if path != "" {
			full = path + "." + src
		}
		if !required && !srcAlways && !(o.Value.Nullable || o.Value.Type.Includes("null")) {
			continue // absent in some records: null would not validate
		}
		if srcSchema != nil && srcSchema != o.Value && isObject(o.Value) && isObject(srcSchema) && depth < maxShapeDepth && !sameObject(o.Value, srcSchema) {
			project(o.Value, srcSchema, prefix+name+".", full, srcAlways, fields, missing, depth+1)
			continue
		}
		fields[prefix+name] = full
	}
}

// widens reports the fields out adds to rec when out declares every field
// of rec, by name, and more (nil otherwise).
func widens(out, rec *openapi3.Schema) map[string]bool {
	po, pr := properties(out), properties(rec)
	if len(pr) == 0 || len(po) <= len(pr) {
		return nil
	}
	for n := range pr {
		if _, ok := po[n]; !ok {
			return nil
		}
	}
	extra := map[string]bool{}
	for n := range po {
		if _, ok := pr[n]; !ok {
			extra[n] = true
		}
	}
	return extra
}

// sameObject reports whether two object schemas have the same field names.
func sameObject(a, b *openapi3.Schema) bool {
	pa, pb := properties(a), properties(b)
	if len(pa) != len(pb) {
		return false
	}
	for n := range pa {
		if _, ok := pb[n]; !ok {
			return false
		}
	}
	return true
}

// findPath is the record path (relative to rec) of a response field name:
// the field of that name, else the name's words as a nested path
// (authorName: author.name, author_name: author.name, ownerAddressCity:
// owner.address.city or ownerAddress.city). It returns its schema and
// whether every record has it (always and required at each step).
func findPath(rec *openapi3.Schema, name string, always bool) (string, *openapi3.Schema, bool) {
	props := properties(rec)
	if p := props[name]; p != nil && p.Value != nil {
		return name, p.Value, always && slices.Contains(rec.Required, name)
	}
	words := conventions.Words(name)
	if len(words) < 2 {
		return "", nil, false
	}
	return walkWords(rec, words, always, 0)
}

// walkWords matches words against nested record fields: a field whose
// name is the first k words (compared without case and separators), then
// the rest below it.
func walkWords(rec *openapi3.Schema, words []string, always bool, depth int) (string, *openapi3.Schema, bool) {
	if depth > maxShapeDepth {
		return "", nil, false
	}
	props := properties(rec)
	for k := 1; k <= len(words); k++ {
		want := strings.Join(words[:k], "")
		for fname, p := range props {
			if p == nil || p.Value == nil || conventions.Norm(fname) != want {
				continue
			}
			here := always && slices.Contains(rec.Required, fname)
			if k == len(words) {
				return fname, p.Value, here
			}
			if !isObject(p.Value) {
				continue
			}
			if sub, s, a := walkWords(p.Value, words[k:], here, depth+1); sub != "" {
				return fname + "." + sub, s, a
			}
		}
	}
	return "", nil, false
}

// itemEnvelope is the envelope of a single record's answer whose schema
// wraps the record in one object field (prop) while the other fields can
// be filled with constants; the wrapped schema is returned for the
// projection. The field is the one object field with the key; else wrap
// (the field the item's GET wraps its record in, collection.wrap) when
// it is an object of undeclared fields: Directus' PATCH /users/{id}
// answers {"data": {"type": "object"}}.
func itemEnvelope(s, rec *openapi3.Schema, key, wrap string) (map[string]any, *openapi3.Schema) {
	if !isObject(s) || s == rec {
		return nil, nil
	}
	props := properties(s)
	if _, ok := props[key]; ok {
		return nil, nil // the answer is the record itself
	}
	var prop string
	for name, p := range props {
		if p == nil || p.Value == nil || !isObject(p.Value) {
			continue
		}
		if _, ok := properties(p.Value)[key]; !ok {
			continue
		}
		if prop != "" {
			return nil, nil // two candidates: not an envelope
		}
		prop = name
	}
	if p := props[wrap]; prop == "" && wrap != "" && p != nil && p.Value != nil && openObject(p.Value) {
		prop = wrap
	}
	if prop == "" {
		return nil, nil
	}
	env := map[string]any{prop: "{{item}}"}
	for name, p := range props {
		if name == prop || p == nil || p.Value == nil {
			continue
		}
		if v, ok := constantFor(name, p.Value, 0); ok {
			env[name] = v
		} else if slices.Contains(s.Required, name) {
			return nil, nil
		}
	}
	return env, props[prop].Value
}

// openObject reports whether a schema is an object of undeclared fields
// ({"type": "object"}): any record validates against it.
func openObject(s *openapi3.Schema) bool {
	if mainType(s) != "object" || len(properties(s)) > 0 || len(s.Required) > 0 || len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil {
		return false
	}
	ap := s.AdditionalProperties
	return (ap.Has == nil || *ap.Has) && ap.Schema == nil
}
