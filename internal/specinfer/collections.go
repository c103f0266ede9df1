package specinfer

// Collections: which paths make a collection (a path and its item path),
// its name, its record schema and key, the fields worth an index, and the
// rule that generates keys the item path accepts.

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/contract/jsonptr"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/schemagen"
)

// collection is one inferred collection before it becomes manifest data.
type collection struct {
	name       string
	base, item string           // the collection and item path templates
	param      string           // the item path's parameter
	keyParam   *openapi3.Schema // its schema (nil: not declared)
	key        string           // the record field the parameter selects
	schemaName string           // component schema of a record ("" inline)
	schema     *openapi3.Schema
	wrap       string // the field the item answer wraps the record in ("" bare)
	ops        map[string]manifest.Operation
	index      []string // fields other gets look records up by
	shapes     []shape  // the answers of its operations, checked (verify.go)
}

// splitItem splits an item path: /pets/{petId} is /pets and petId. The
// last segment must be exactly one parameter.
func splitItem(p string) (base, param string, ok bool) {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "", "", false
	}
	seg := p[i+1:]
	if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' || strings.ContainsAny(seg[1:len(seg)-1], "{}") {
		return "", "", false
	}
	return p[:i], seg[1 : len(seg)-1], true
}

// colName names a collection by the last literal segment of its path,
// longer when that name is taken.
func colName(base string, used map[string]bool) string {
	var lits []string
	for _, s := range strings.Split(strings.Trim(base, "/"), "/") {
		if s != "" && !strings.Contains(s, "{") {
			lits = append(lits, s)
		}
	}
	clean := func(s string) string {
		n := strings.Trim(nonName.ReplaceAllString(strings.ToLower(s), "-"), "-")
		if n == "" {
			n = "records"
		}
		return n
	}
	name := "records"
	for i := len(lits) - 1; i >= 0; i-- {
		name = clean(strings.Join(lits[i:], "-"))
		if !used[name] {
			return name
		}
	}
	for i := 2; ; i++ {
		if n := name + "-" + strconv.Itoa(i); !used[n] {
			return n
		}
	}
}

// componentName is the component a schema ref points to ("" inline).
func componentName(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Ref == "" {
		return ""
	}
	const prefix = "#/components/schemas/"
	if i := strings.Index(ref.Ref, prefix); i >= 0 {
		return ref.Ref[i+len(prefix):]
	}
	return ""
}

// isObject reports whether a schema is an object with declared fields:
// its own, or those of its allOf parts when the composition admits them
// all (holdsItsFields). Ideal Postcodes' Licensee is the allOf of its
// editable fields and the others; ShipEngine's list items are allOf: [batch]
// with batch closed (additionalProperties: false) and listing every field.
func isObject(s *openapi3.Schema) bool {
	if s == nil || !(s.Type.IsEmpty() || s.Type.Is("object") || s.Type.Includes("object")) {
		return false
	}
	return len(s.Properties) > 0 || len(s.AllOf) > 0 && len(properties(s)) > 0 && holdsItsFields(s)
}

// holdsItsFields reports whether an allOf composition admits an object
// with the fields its parts declare: no part (at any depth) closed by
// additionalProperties: false leaves one of them out. A closed part beside
// parts that declare fields it does not list refuses those fields, and
// records of it could not be generated; a closed part that lists them all
// (the one part of ShipEngine's wrappers) refuses none.
func holdsItsFields(s *openapi3.Schema) bool {
	parts := contractapi.AllOfParts(s)
	for _, part := range parts {
		if part.AdditionalProperties.Has == nil || *part.AdditionalProperties.Has {
			continue
		}
		for _, other := range parts {
			for name := range other.Properties {
				if part.Properties[name] == nil {
					return false
				}
			}
		}
	}
	return true
}

// listItems is the record schema of a list answer: the items of an array,
// or of the one array property of an envelope object, or, when the
// envelope has none, of the one array property of its one object field
// that has one (Ideal Postcodes answers {"result": {"licensees": [...],
// "hasMore": false}, "code": 2000, "message": "Success"}). way is the
// property path to the array (empty for an array).
func listItems(ref *openapi3.SchemaRef) (items *openapi3.SchemaRef, way []string) {
	if ref == nil || ref.Value == nil {
		return nil, nil
	}
	s := ref.Value
	if s.Type.Is("array") || s.Type.Includes("array") {
		return s.Items, nil
	}
	if !isObject(s) {
		return nil, nil
	}
	props := properties(s)
	found, many := recordArray(props)
	if many {
		return nil, nil
	}
	if found != "" {
		return props[found].Value.Items, []string{found}
	}
	var outer, inner string
	for name, p := range props {
		if p == nil || p.Value == nil || !isObject(p.Value) {
			continue
		}
		in, many := recordArray(properties(p.Value))
		if in == "" || many {
			continue
		}
		if outer != "" {
			return nil, nil // two wrapped lists: which is the page is not said
		}
		outer, inner = name, in
	}
	if outer == "" {
		return nil, nil
	}
	return properties(props[outer].Value)[inner].Value.Items, []string{outer, inner}
}

// recordArray is the one property of props that is an array of objects
// (not page links); many tells there are several.
func recordArray(props openapi3.Schemas) (found string, many bool) {
	for name, p := range props {
		if p != nil && p.Value != nil && (p.Value.Type.Is("array") || p.Value.Type.Includes("array")) && p.Value.Items != nil && isObject(p.Value.Items.Value) && !isLinks(p.Value.Items.Value) {
			if found != "" {
				return "", true
			}
			found = name
		}
	}
	return found, false
}

// keyField is the record field of schema s an item path's parameter
// selects: contractapi.KeyFieldFor's, else, for a parameter that stands
// for the record itself (id-like, or the collection's noun), the field
// the collection's path names: Directus keys /collections/{id} by a
// record's "collection"; else, for a parameter named by that noun, a
// required string key, slug or name, in that order (Ideal Postcodes'
// /keys/{key}/configs/{config} selects a config by its name, GitHub's
// /licenses/{license} a license by its key). "" when none.
func keyField(basePath, param string, ps, s *openapi3.Schema) string {
	if k := contractapi.KeyFieldFor(param, ps, s); k != "" {
		return k
	}
	seg := basePath[strings.LastIndex(basePath, "/")+1:]
	if strings.Contains(seg, "{") {
		// an id under a parent parameter names its record by the path's
		// noun before it (Directus' /fields/{collection}/{id}: field)
		if conventions.Norm(param) != "id" {
			return ""
		}
		if seg = lastNoun(basePath); seg == "" {
			return ""
		}
	}
	props := properties(s)
	fits := func(name string) bool {
		p := props[name]
		return p != nil && p.Value != nil && scalar(p.Value) && (ps == nil || mainType(ps) == "" || mainType(ps) == mainType(p.Value))
	}
	names := conventions.Norm(param) == conventions.Norm(seg) || pluralOf(conventions.Norm(seg), conventions.Norm(param))
	if names || conventions.Norm(param) == "id" {
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if pluralOf(conventions.Norm(seg), conventions.Norm(name)) && fits(name) {
				return name
			}
		}
	}
	if names {
		for _, name := range []string{"key", "slug", "name"} {
			if fits(name) && mainType(props[name].Value) == "string" && requiredOf(s)[name] {
				return name
			}
		}
	}
	return ""
}

// lastNoun is a path's last segment that is no parameter ("" when none).
func lastNoun(p string) string {
	segs := strings.Split(p, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] != "" && !strings.Contains(segs[i], "{") {
			return segs[i]
		}
	}
	return ""
}

// pluralOf reports whether plural is word's plural by the English rules
// paths follow (configs: config, categories: category, addresses:
// address).
func pluralOf(plural, word string) bool {
	return word != "" && plural != word && (conventions.Singular(plural) == word || plural == word+"es")
}

// isLinks reports whether an array's items are page links ({rel, href}):
// an envelope's links are not its records.
func isLinks(items *openapi3.Schema) bool {
	p := properties(items)
	return p["rel"] != nil && p["href"] != nil
}

// notCollection says why a path and its item path are not a collection
// ("" when they may be): the path's GET answers one record, not a list
// (/gists/{gist_id} and /gists/{gist_id}/{sha}: a single resource with
// sub-resources of its own; an object shaped like the item's record,
// recordNotEnvelope); or the item's GET answers no record (a check: 204
// or 404) and nothing lists them. param is the item path's parameter.
func notCollection(base, item *openapi3.PathItem, basePath, itemPath, param string) string {
	if ref := jsonSchema(base.Get, "200"); ref != nil {
		items, way := listItems(ref)
		if items == nil || len(way) > 0 && (strings.HasSuffix(basePath, "}") && !bareEnvelope(ref.Value, way[0]) || recordNotEnvelope(ref.Value, way[0], item, param)) || len(way) > 1 && !wrappedList(ref.Value, items.Value, basePath, param, pathParam(item, param)) {
			// an object at a path ending in a parameter is one record,
			// even with an array of objects among its fields, unless it
			// holds nothing but the list (bareEnvelope)
			return fmt.Sprintf("GET %s answers one record, not a list", basePath)
		}
	}
	if item.Get != nil && jsonSchema(item.Get, "200") == nil && base.Get == nil {
		return fmt.Sprintf("GET %s answers no record and no GET %s lists them", itemPath, basePath)
	}
	return ""
}

// bareEnvelope reports whether an object answer holds nothing but its
// list (prop) and objects or arrays beside it (meta, links): no scalar of
// its own, so it is no record. Directus answers GET /fields/{collection}
// as {"data": [Field]}; a gist (GET /gists/{gist_id}) has an id, a
// description and URLs beside its arrays of files and history.
func bareEnvelope(s *openapi3.Schema, prop string) bool {
	for name, p := range properties(s) {
		if name == prop || p == nil || p.Value == nil {
			continue
		}
		if t := mainType(p.Value); t != "object" && t != "array" {
			return false
		}
	}
	return true
}

// wrappedList reports whether an object answer whose list is one level
// down (listItems) is a list's envelope: the answer has no field the item
// path's parameter selects, its records have one. An object with a key
// and an object field holding an array is one record with parts.
func wrappedList(s, items *openapi3.Schema, basePath, param string, ps *openapi3.Schema) bool {
	return keyField(basePath, param, ps, s) == "" && keyField(basePath, param, ps, items) != ""
}

// recordNotEnvelope reports whether an object answer whose one array of
// objects is prop is a record of the item path's kind rather than a
// list's envelope: it has the key field of the item GET's record, and that
// record has an array field prop too, so the array is a field of a record
// (a transmission's attachments), not the list of records. Dialogporten
// documents GET /dialogs/{dialogId}/transmissions as one transmission:
// read as an envelope, its transmissions were answered as attachments.
func recordNotEnvelope(s *openapi3.Schema, prop string, item *openapi3.PathItem, param string) bool {
	ref := jsonSchema(item.Get, "200")
	if ref == nil || !isObject(ref.Value) {
		return false
	}
	rec := ref.Value
	if rp := properties(rec)[prop]; rp == nil || rp.Value == nil || mainType(rp.Value) != "array" {
		return false
	}
	key := contractapi.KeyFieldFor(param, pathParam(item, param), rec)
	return key != "" && properties(s)[key] != nil
}

// recordSchema finds the record schema of a collection: its component
// name, or the JSON pointer of an inline one (contractapi.SchemaAt reads
// either). An item answer that wraps the record in one object field
// ({"data": Record}, wrappedRecord) is seen through; wrap names that
// field ("" when the record is answered bare or found elsewhere).
func recordSchema(base, item *openapi3.PathItem, basePath, itemPath, param string, ps *openapi3.Schema) (name string, rec *openapi3.Schema, wrap string) {
	unwrap := func(s *openapi3.Schema) (string, *openapi3.SchemaRef) { return wrappedRecord(s, basePath, param, ps) }
	if ref, ptr := jsonSchemaAt(item.Get, itemPath, "get", "200"); ref != nil && isObject(ref.Value) {
		if prop, inner := unwrap(ref.Value); inner != nil {
			return nameOr(inner, ptr+"/"+propertyWay(ref.Value, prop)), inner.Value, prop
		}
		return nameOr(ref, ptr), ref.Value, ""
	}
	if ref, ptr := jsonSchemaAt(base.Get, basePath, "get", "200"); ref != nil {
		if items, way := listItems(ref); items != nil && isObject(items.Value) {
			at, s := ptr, ref.Value
			for _, prop := range way {
				w := propertyWay(s, prop)
				if w == "" {
					return componentName(items), items.Value, ""
				}
				at, s = at+"/"+w, properties(s)[prop].Value
			}
			return nameOr(items, at+"/items"), items.Value, ""
		}
	}
	if ref, ptr := jsonSchemaAt(base.Post, basePath, "post", "201", "200"); ref != nil && isObject(ref.Value) {
		if prop, inner := unwrap(ref.Value); inner != nil {
			return nameOr(inner, ptr+"/"+propertyWay(ref.Value, prop)), inner.Value, prop
		}
		return nameOr(ref, ptr), ref.Value, ""
	}
	return "", nil, ""
}

// wrappedRecord is the record an item answer wraps in one object field
// (Directus answers {"data": Record}, Ideal Postcodes {"result": Record,
// "code": 2000, "message": "Success"}): the answer has no field the item
// path's parameter selects, exactly one of its object fields has one,
// and its other fields are no objects or arrays of objects (data of their
// own) and can be given constants (itemEnvelope). It returns that field
// and its schema; nil when s is no such wrapper.
func wrappedRecord(s *openapi3.Schema, basePath, param string, ps *openapi3.Schema) (string, *openapi3.SchemaRef) {
	if !isObject(s) || keyField(basePath, param, ps, s) != "" {
		return "", nil
	}
	var prop string
	var inner *openapi3.SchemaRef
	var key string
	for name, p := range properties(s) {
		if p == nil || p.Value == nil || !isObject(p.Value) {
			continue
		}
		k := keyField(basePath, param, ps, p.Value)
		if k == "" {
			continue
		}
		if inner != nil {
			return "", nil // two candidates: which is the record is not said
		}
		prop, inner, key = name, p, k
	}
	if inner == nil {
		return "", nil
	}
	for name, p := range properties(s) {
		if name != prop && p != nil && p.Value != nil && (isObject(p.Value) || p.Value.Items != nil && p.Value.Items.Value != nil && isObject(p.Value.Items.Value)) {
			return "", nil // data beside it: a resource of parts (Blockfrost's {"tx", "inputs", "outputs"}), not a wrapper
		}
	}
	if env, _ := itemEnvelope(s, inner.Value, key, ""); env == nil {
		return "", nil
	}
	return prop, inner
}

// nameOr is a schema's component name, else its pointer.
func nameOr(ref *openapi3.SchemaRef, ptr string) string {
	if n := componentName(ref); n != "" {
		return n
	}
	return ptr
}

// jsonSchemaAt is jsonSchema with the pointer of the schema found.
func jsonSchemaAt(o *openapi3.Operation, path, method string, statuses ...string) (*openapi3.SchemaRef, string) {
	if o == nil || o.Responses == nil {
		return nil, ""
	}
	for _, st := range statuses {
		r := o.Responses.Value(st)
		if r == nil || r.Value == nil {
			continue
		}
		mt := contractapi.JSONMedia(r.Value.Content)
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		for k, v := range r.Value.Content {
			if v == mt {
				return mt.Schema, contractapi.SchemaPointer(path, method, st, k)
			}
		}
	}
	return nil, ""
}

// propertyWay is the pointer's way from an object schema to its property
// prop ("properties/prop", or through an allOf part), "" when not found.
func propertyWay(s *openapi3.Schema, prop string) string {
	if _, ok := s.Properties[prop]; ok {
		return "properties/" + jsonptr.Token(prop)
	}
	for i, part := range s.AllOf {
		if part != nil && part.Value != nil {
			if w := propertyWay(part.Value, prop); w != "" {
				return fmt.Sprintf("allOf/%d/%s", i, w)
			}
		}
	}
	return ""
}

func scalar(s *openapi3.Schema) bool {
	for _, t := range []string{"string", "integer", "number", "boolean"} {
		if s.Type.Is(t) || s.Type.Includes(t) {
			return true
		}
	}
	return false
}

// indexable lists the scalar fields worth an index (filters use them).
func indexable(s *openapi3.Schema, key string) []string {
	var out []string
	for name, p := range s.Properties {
		if name == key || p.Value == nil || !scalar(p.Value) {
			continue
		}
		if len(p.Value.Enum) > 0 || p.Value.Type.Is("boolean") || strings.EqualFold(name, "tag") || strings.HasSuffix(strings.ToLower(name), "id") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// pathParam is the schema of an item path's parameter, declared on the
// path or on one of its operations (nil when none).
func pathParam(item *openapi3.PathItem, name string) *openapi3.Schema {
	if item == nil {
		return nil
	}
	lists := []openapi3.Parameters{item.Parameters}
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if o := item.GetOperation(m); o != nil {
			lists = append(lists, o.Parameters)
		}
	}
	for _, ps := range lists {
		for _, ref := range ps {
			if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInPath && ref.Value.Name == name && ref.Value.Schema != nil {
				return ref.Value.Schema.Value
			}
		}
	}
	return nil
}

// scalarPart is the schema of a scalar field whose type an allOf part
// says (no properties of its own or of its parts, no type of its own): the
// first part with a type, read the same way; s itself otherwise.
func scalarPart(s *openapi3.Schema) *openapi3.Schema { return scalarPartAt(s, 0) }

// scalarPartAt is scalarPart below depth allOf levels (a cycle of allOf
// ends at maxDepth).
func scalarPartAt(s *openapi3.Schema, depth int) *openapi3.Schema {
	if len(s.AllOf) == 0 || s.Type != nil && !s.Type.IsEmpty() || depth > maxDepth || len(propertiesAt(s, depth)) > 0 {
		return s
	}
	for _, p := range s.AllOf {
		if p != nil && p.Value != nil && mainTypeAt(p.Value, depth+1) != "" {
			return scalarPartAt(p.Value, depth+1)
		}
	}
	return s
}

// keySchema is the schema generated keys must satisfy: the record
// field's, with the path parameter's pattern, format and length when the
// field has none, and the tighter of both bounds (a key the path refuses
// could never be got). A field that only wraps its type in allOf
// (ShipEngine's batch_id: allOf: [se_id], a pattern in the part) is read
// as the part that says it (scalarPart).
func keySchema(field, param *openapi3.Schema) *openapi3.Schema {
	field = scalarPart(field)
	pt, ft := "", mainType(field)
	if param != nil {
		pt = mainType(param)
	}
	numbers := pt == "integer" && ft == "number"
	if param == nil || pt != ft && ft != "" && !numbers {
		return field
	}
	ks := *field
	if ks.Type == nil || ks.Type.IsEmpty() || numbers {
		// an integer parameter selects integer keys, whatever the field says
		ks.Type = param.Type
	}
	if ks.Pattern == "" && ks.Format == "" && len(ks.Enum) == 0 {
		ks.Pattern, ks.Format = param.Pattern, param.Format
		if ks.MaxLength == nil {
			ks.MaxLength = param.MaxLength
		}
		if ks.MinLength == 0 {
			ks.MinLength = param.MinLength
		}
	}
	lo, hi := schemagen.Bounds(param, true)
	if !math.IsInf(lo, -1) && (ks.Min == nil || *ks.Min < lo) {
		ks.Min = &lo
	}
	if !math.IsInf(hi, 1) && (ks.Max == nil || *ks.Max > hi) {
		ks.Max = &hi
	}
	return &ks
}

// keyRule generates unique keys after the example records' keys, within
// the key's bounds; it also returns how many keys the bounds leave room
// for (-1: no limit).
func keyRule(s *openapi3.Schema, recs []map[string]any, key string) (any, int) {
	if s == nil {
		return map[string]any{"uuid": map[string]any{}}, -1
	}
	if s.Type.Is("integer") || s.Type.Includes("integer") || s.Type.Is("number") {
		start := 1.0
		if s.Min != nil && *s.Min > start {
			start = math.Ceil(*s.Min)
		}
		for _, r := range recs {
			if f, ok := r[key].(float64); ok && f >= start {
				start = f + 1
			}
		}
		room := -1
		if s.Max != nil {
			room = max(int(math.Floor(*s.Max)-start+1), 0)
		}
		return map[string]any{"seq": map[string]any{"start": start}}, room
	}
	switch {
	case s.Format == "uuid":
		return map[string]any{"uuid": map[string]any{}}, -1
	case s.Pattern != "":
		return patternRule(s), -1
	case s.MaxLength != nil && *s.MaxLength < 36:
		n := max(*s.MaxLength, 1)
		return map[string]any{"regex": fmt.Sprintf("^[a-z0-9]{%d}$", n)}, -1
	}
	return map[string]any{"uuid": map[string]any{}}, -1
}
