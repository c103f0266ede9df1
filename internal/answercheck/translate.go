package answercheck

// OpenAPI schemas as JSON Schema: the document is copied and every schema
// in the copy translated in place.
//
//   - 3.0 nullable: true becomes a type array with "null" (null added to an
//     enum), or anyOf [{type: null}, …] when the schema has no type of its
//     own (a $ref or an allOf);
//   - a 3.0 $ref drops its siblings (3.0 ignores them), except nullable;
//   - 3.0 boolean exclusiveMinimum/exclusiveMaximum become numbers;
//   - a discriminator on a oneOf/anyOf becomes one if/then per mapping
//     value (the explicit mapping, else the schemas' names), and the
//     property must take one of those values, as OpenAPI defines it; an
//     alternative whose allOf holds a base with a discriminator on the
//     same property counts too;
//   - readOnly properties are not required in requests, writeOnly ones not
//     in answers.

import (
	"strings"
)

var (
	subschemaMaps  = []string{"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"}
	subschemaOne   = []string{"items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "additionalItems"}
	subschemaLists = []string{"allOf", "oneOf", "anyOf", "prefixItems"}
	// Methods are the operation keys of a path item.
	Methods = []string{"get", "put", "post", "delete", "patch", "options", "head", "trace"}
)

type translator struct {
	orig, doc map[string]any
	side      Side
	v31       bool
}

// deepCopy copies JSON values.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// translateDocument returns a translated copy of an OpenAPI document for
// one side.
func translateDocument(orig map[string]any, s Side, v31 bool) map[string]any {
	doc := deepCopy(orig).(map[string]any)
	t := &translator{orig: orig, doc: doc, side: s, v31: v31}
	comps, _ := doc["components"].(map[string]any)
	for _, k := range []string{"schemas"} {
		for _, sch := range mapValues(comps[k]) {
			t.schema(sch)
		}
	}
	for _, p := range mapValues(comps["parameters"]) {
		t.parameter(p)
	}
	for _, h := range mapValues(comps["headers"]) {
		t.parameter(h)
	}
	for _, rb := range mapValues(comps["requestBodies"]) {
		if m, ok := rb.(map[string]any); ok {
			t.content(m["content"])
		}
	}
	for _, r := range mapValues(comps["responses"]) {
		t.response(r)
	}
	for _, it := range mapValues(comps["pathItems"]) {
		t.pathItem(it)
	}
	for _, it := range mapValues(doc["paths"]) {
		t.pathItem(it)
	}
	for _, it := range mapValues(doc["webhooks"]) {
		t.pathItem(it)
	}
	return doc
}

// translateFile translates a sibling file: one schema, or a map of them.
func translateFile(orig map[string]any, s Side, v31 bool) map[string]any {
	doc := deepCopy(orig).(map[string]any)
	t := &translator{orig: orig, doc: doc, side: s, v31: v31}
	if looksLikeSchema(doc) {
		t.schema(doc)
		return doc
	}
	for _, v := range doc {
		t.schema(v)
	}
	return doc
}

func looksLikeSchema(m map[string]any) bool {
	for _, k := range []string{"type", "properties", "allOf", "oneOf", "anyOf", "items", "$ref", "enum"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

func mapValues(v any) []any {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make([]any, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	return out
}

func (t *translator) content(v any) {
	for _, mt := range mapValues(v) {
		if m, ok := mt.(map[string]any); ok && m["schema"] != nil {
			t.schema(m["schema"])
		}
	}
}

func (t *translator) parameter(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if m["schema"] != nil {
		t.schema(m["schema"])
	}
	t.content(m["content"])
}

func (t *translator) response(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	t.content(m["content"])
	for _, h := range mapValues(m["headers"]) {
		t.parameter(h)
	}
}

func (t *translator) operation(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if ps, ok := m["parameters"].([]any); ok {
		for _, p := range ps {
			t.parameter(p)
		}
	}
	if rb, ok := m["requestBody"].(map[string]any); ok {
		t.content(rb["content"])
	}
	for _, r := range mapValues(m["responses"]) {
		t.response(r)
	}
	for _, cb := range mapValues(m["callbacks"]) {
		for _, it := range mapValues(cb) {
			t.pathItem(it)
		}
	}
}

func (t *translator) pathItem(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if ps, ok := m["parameters"].([]any); ok {
		for _, p := range ps {
			t.parameter(p)
		}
	}
	for _, method := range Methods {
		t.operation(m[method])
	}
}

// schema translates one schema in place.
func (t *translator) schema(v any) {
	s, ok := v.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := s["$ref"].(string); ok && !t.v31 {
		nullable := s["nullable"] == true || s["x-nullable"] == true
		for k := range s {
			if k != "$ref" {
				delete(s, k)
			}
		}
		if nullable {
			delete(s, "$ref")
			s["anyOf"] = []any{map[string]any{"type": "null"}, map[string]any{"$ref": ref}}
		}
		return
	}
	t.sideRequired(s) // before the properties are translated: it reads their readOnly/writeOnly
	for _, k := range subschemaMaps {
		for _, sub := range mapValues(s[k]) {
			t.schema(sub)
		}
	}
	for _, k := range subschemaOne {
		switch x := s[k].(type) {
		case map[string]any:
			t.schema(x)
		case []any:
			for _, e := range x {
				t.schema(e)
			}
		}
	}
	for _, k := range subschemaLists {
		if list, ok := s[k].([]any); ok {
			for _, e := range list {
				t.schema(e)
			}
		}
	}
	if s["type"] == "file" {
		delete(s, "type")
	}
	if !t.v31 {
		for _, pair := range [][2]string{{"exclusiveMinimum", "minimum"}, {"exclusiveMaximum", "maximum"}} {
			switch s[pair[0]] {
			case true:
				if n, ok := s[pair[1]]; ok {
					s[pair[0]] = n
					delete(s, pair[1])
				} else {
					delete(s, pair[0])
				}
			case false:
				delete(s, pair[0])
			}
		}
	}
	t.discriminator(s)
	if !t.v31 && (s["nullable"] == true || s["x-nullable"] == true) {
		delete(s, "nullable")
		delete(s, "x-nullable")
		switch typ := s["type"].(type) {
		case string:
			s["type"] = []any{typ, "null"}
			addNullToEnum(s)
		case []any:
			if !containsValue(typ, "null") {
				s["type"] = append(typ, "null")
			}
			addNullToEnum(s)
		default:
			cp := make(map[string]any, len(s))
			for k, e := range s {
				cp[k] = e
				delete(s, k)
			}
			s["anyOf"] = []any{map[string]any{"type": "null"}, cp}
		}
	}
}

func addNullToEnum(s map[string]any) {
	if e, ok := s["enum"].([]any); ok && !containsValue(e, nil) {
		s["enum"] = append(e, nil)
	}
}

func containsValue(list []any, v any) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// sideRequired drops from required the properties the side never carries.
func (t *translator) sideRequired(s map[string]any) {
	req, ok := s["required"].([]any)
	props, _ := s["properties"].(map[string]any)
	if !ok || props == nil {
		return
	}
	skip := "writeOnly"
	if t.side == Requests {
		skip = "readOnly"
	}
	kept := req[:0:0]
	for _, r := range req {
		name, _ := r.(string)
		p, _ := deref(t.orig, props[name]).(map[string]any)
		if p != nil && p[skip] == true {
			continue
		}
		kept = append(kept, r)
	}
	if len(kept) == 0 {
		delete(s, "required")
	} else {
		s["required"] = kept
	}
}

func refOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		if r, ok := m["$ref"].(string); ok {
			return r
		}
	}
	return ""
}

// embeddedDiscriminator is the discriminator a oneOf/anyOf has through its
// alternatives: each a $ref whose allOf holds a base with a discriminator
// on one property. It returns the property and its value → ref pairs.
func (t *translator) embeddedDiscriminator(alts []any) (string, [][2]string) {
	prop := ""
	var mapping [][2]string
	for _, a := range alts {
		ref := refOf(a)
		if !strings.HasPrefix(ref, "#") {
			return "", nil
		}
		target, _ := deref(t.orig, map[string]any{"$ref": ref}).(map[string]any)
		var found map[string]any
		for _, part := range asList(target["allOf"]) {
			base, _ := deref(t.orig, part).(map[string]any)
			if d, ok := base["discriminator"].(map[string]any); ok {
				if _, ok := d["propertyName"].(string); ok {
					found = d
				}
			}
		}
		if found == nil {
			return "", nil
		}
		pn := found["propertyName"].(string)
		if prop != "" && pn != prop {
			return "", nil
		}
		prop = pn
		name := ref[strings.LastIndex(ref, "/")+1:]
		value := name
		if mp, ok := found["mapping"].(map[string]any); ok {
			for k, r := range mp {
				if r == ref || r == name {
					value = k
				}
			}
		}
		mapping = append(mapping, [2]string{value, ref})
	}
	return prop, mapping
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// discriminator turns a discriminator into if/then per mapping value.
func (t *translator) discriminator(s map[string]any) {
	alts := asList(s["oneOf"])
	if alts == nil {
		alts = asList(s["anyOf"])
	}
	d, _ := s["discriminator"].(map[string]any)
	var mapping [][2]string
	prop := ""
	if d == nil && alts != nil {
		prop, mapping = t.embeddedDiscriminator(alts)
		if prop == "" {
			return
		}
	} else if d != nil {
		prop, _ = d["propertyName"].(string)
		if mp, ok := d["mapping"].(map[string]any); ok {
			for value, r := range mp {
				ref, _ := r.(string)
				if !strings.HasPrefix(ref, "#") && !strings.Contains(ref, "/") {
					ref = "#/components/schemas/" + Token(ref)
				}
				mapping = append(mapping, [2]string{value, ref})
			}
		}
		if len(mapping) == 0 {
			for _, a := range alts {
				if ref := refOf(a); ref != "" {
					mapping = append(mapping, [2]string{ref[strings.LastIndex(ref, "/")+1:], ref})
				}
			}
		}
	}
	delete(s, "discriminator")
	if prop == "" || alts == nil || len(mapping) == 0 {
		return
	}
	delete(s, "oneOf")
	delete(s, "anyOf")
	req := asList(s["required"])
	if !containsValue(req, prop) {
		req = append(req, prop)
	}
	s["required"] = req
	props, _ := s["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	ps, _ := props[prop].(map[string]any)
	if ps == nil {
		ps = map[string]any{}
	}
	values := make([]any, len(mapping))
	for i, m := range mapping {
		values[i] = m[0]
	}
	ps["enum"] = values
	props[prop] = ps
	s["properties"] = props
	all := asList(s["allOf"])
	for _, m := range mapping {
		all = append(all, map[string]any{
			"if":   map[string]any{"properties": map[string]any{prop: map[string]any{"const": m[0]}}, "required": []any{prop}},
			"then": map[string]any{"$ref": m[1]},
		})
	}
	s["allOf"] = all
}
