package specinfer

// Collections: which paths make a collection (a path and its item path),
// its name, its record schema and key, the fields worth an index, and the
// rule that generates keys the item path accepts.

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

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

func isObject(s *openapi3.Schema) bool {
	return s != nil && (s.Type.Is("object") || s.Type.Includes("object") || s.Type.IsEmpty() && len(s.Properties) > 0) && len(s.Properties) > 0
}

// listItems is the record schema of a list answer: the items of an array,
// or of the one array property of an envelope object (with its name).
func listItems(ref *openapi3.SchemaRef) (items *openapi3.SchemaRef, prop string) {
	if ref == nil || ref.Value == nil {
		return nil, ""
	}
	s := ref.Value
	if s.Type.Is("array") || s.Type.Includes("array") {
		return s.Items, ""
	}
	props := properties(s)
	if !isObject(s) && (len(s.AllOf) == 0 || len(props) == 0) {
		return nil, ""
	}
	var found string
	for name, p := range props {
		if p != nil && p.Value != nil && (p.Value.Type.Is("array") || p.Value.Type.Includes("array")) && p.Value.Items != nil && isObject(p.Value.Items.Value) && !isLinks(p.Value.Items.Value) {
			if found != "" {
				return nil, ""
			}
			found = name
		}
	}
	if found == "" {
		return nil, ""
	}
	return props[found].Value.Items, found
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
		items, prop := listItems(ref)
		if items == nil || prop != "" && (strings.HasSuffix(basePath, "}") || recordNotEnvelope(ref.Value, prop, item, param)) {
			// an object at a path ending in a parameter is one record,
			// even with an array of objects among its fields
			return fmt.Sprintf("GET %s answers one record, not a list", basePath)
		}
	}
	if item.Get != nil && jsonSchema(item.Get, "200") == nil && base.Get == nil {
		return fmt.Sprintf("GET %s answers no record and no GET %s lists them", itemPath, basePath)
	}
	return ""
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
// either).
func recordSchema(base, item *openapi3.PathItem, basePath, itemPath string) (string, *openapi3.Schema) {
	if ref, ptr := jsonSchemaAt(item.Get, itemPath, "get", "200"); ref != nil && isObject(ref.Value) {
		return nameOr(ref, ptr), ref.Value
	}
	if ref, ptr := jsonSchemaAt(base.Get, basePath, "get", "200"); ref != nil {
		if items, prop := listItems(ref); items != nil && isObject(items.Value) {
			if prop == "" {
				return nameOr(items, ptr+"/items"), items.Value
			}
			if way := propertyWay(ref.Value, prop); way != "" {
				return nameOr(items, ptr+"/"+way+"/items"), items.Value
			}
			return componentName(items), items.Value
		}
	}
	if ref, ptr := jsonSchemaAt(base.Post, basePath, "post", "201", "200"); ref != nil && isObject(ref.Value) {
		return nameOr(ref, ptr), ref.Value
	}
	return "", nil
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

// keySchema is the schema generated keys must satisfy: the record
// field's, with the path parameter's pattern, format and length when the
// field has none, and the tighter of both bounds (a key the path refuses
// could never be got).
func keySchema(field, param *openapi3.Schema) *openapi3.Schema {
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
		return map[string]any{"regex": s.Pattern}, -1
	case s.MaxLength != nil && *s.MaxLength < 36:
		n := max(*s.MaxLength, 1)
		return map[string]any{"regex": fmt.Sprintf("^[a-z0-9]{%d}$", n)}, -1
	}
	return map[string]any{"uuid": map[string]any{}}, -1
}
