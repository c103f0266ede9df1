package specinfer

// Operations: the conventional methods of a collection bound to their
// actions, other GETs bound as lookups and lists when their answers can
// be filled from the records.

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/manifest"
)

// bindOps binds the conventional operations of a collection.
func bindOps(c *collection, base, item *openapi3.PathItem, read, write []string, bound map[*openapi3.Operation]bool, warn warnFunc) {
	key := &manifest.KeyBinding{Param: c.param, Field: c.key}
	// a nested collection's records are scoped by their parents' values
	var parents map[string]string
	for _, p := range pathParams(c.base) {
		if parents == nil {
			parents = map[string]string{}
		}
		parents[p] = parentField + "." + p
	}
	add := func(method, p string, o *openapi3.Operation, b manifest.Operation) {
		if o == nil {
			return
		}
		b.Parents = parents
		id := o.OperationID
		if id == "" { // the name rest.Engine gives an operation without an id
			id = method + " " + p
		}
		b.Collection = c.name
		c.ops[id] = b
		bound[o] = true
	}
	if o := base.Get; o != nil {
		b := manifest.Operation{Action: "list", Requires: read}
		b.Paging, b.Filters = listParams(o, c.schema)
		ref := answerSchema(o, "list")
		items, way := listItems(ref)
		if len(way) > 0 {
			env, _ := listEnvelope(ref.Value, way, b.Paging)
			b.Envelope = env // its required fields without a value are given constants (verify.go)
		}
		if items != nil && isObject(items.Value) {
			b.Fields = projectOnto(c, "GET "+c.base+" (each record)", items.Value, warn)
		}
		add(http.MethodGet, c.base, o, b)
		if ref != nil && items != nil {
			c.shapes = append(c.shapes, shape{id: opID(o, http.MethodGet, c.base), what: "GET " + c.base, whole: ref.Value, out: items.Value})
		}
	}
	// a single record's answer: enveloped and projected as its 2xx schema says
	shaped := func(method, p string, o *openapi3.Operation, b manifest.Operation) manifest.Operation {
		if o == nil {
			return b
		}
		ref := answerSchema(o, b.Action)
		if ref == nil {
			return b
		}
		out := ref.Value
		if env, inner := itemEnvelope(out, c.schema, c.key, c.wrap); env != nil {
			b.Envelope, out = env, inner
		}
		if isObject(out) {
			b.Fields = projectOnto(c, method+" "+p, out, warn)
		}
		c.shapes = append(c.shapes, shape{id: opID(o, method, p), what: method + " " + p, whole: ref.Value, out: out})
		return b
	}
	add(http.MethodPost, c.base, base.Post, shaped(http.MethodPost, c.base, base.Post, manifest.Operation{Action: "create", Requires: write, Assign: assignFor(c, base.Post), Fill: true}))
	add(http.MethodGet, c.item, item.Get, shaped(http.MethodGet, c.item, item.Get, manifest.Operation{Action: "get", Key: key, Requires: read}))
	// a PUT or PATCH without a JSON body (PUT /orgs/{org}/members/{username}:
	// a membership, not a change of the record) answers from the spec
	if hasJSONBody(item.Put) {
		add(http.MethodPut, c.item, item.Put, shaped(http.MethodPut, c.item, item.Put, manifest.Operation{Action: "replace", Key: key, Requires: write, Fill: true}))
	}
	if hasJSONBody(item.Patch) {
		add(http.MethodPatch, c.item, item.Patch, shaped(http.MethodPatch, c.item, item.Patch, manifest.Operation{Action: "patch", Key: key, Requires: write, Fill: true}))
	}
	add(http.MethodDelete, c.item, item.Delete, shaped(http.MethodDelete, c.item, item.Delete, manifest.Operation{Action: "delete", Key: key, Requires: write}))
}

// parentField is the record field that holds a nested collection's
// parent values (manifest Operation.Parents): a name no schema uses.
const parentField = "@parents"

// opID is the name rest.Engine gives an operation: its operationId,
// else "METHOD path".
func opID(o *openapi3.Operation, method, p string) string {
	if o.OperationID != "" {
		return o.OperationID
	}
	return method + " " + p
}

// answerSchema is the JSON schema of the success answer an action gives
// (rest's choice of status: a create's 201, a delete's 204, else 200,
// else the lowest documented 2xx, else a 2XX range or default).
func answerSchema(o *openapi3.Operation, action string) *openapi3.SchemaRef {
	if o == nil || o.Responses == nil {
		return nil
	}
	prefer := []string{"200"}
	switch action {
	case "create":
		prefer = []string{"201", "200"}
	case "delete":
		prefer = []string{"204", "200"}
	}
	for _, st := range prefer {
		if o.Responses.Value(st) != nil {
			return jsonSchema(o, st)
		}
	}
	var codes []string
	for code := range o.Responses.Map() {
		if len(code) == 3 && code[0] == '2' && code[1] >= '0' && code[1] <= '9' {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	if len(codes) > 0 {
		return jsonSchema(o, codes[0])
	}
	return jsonSchema(o, "2XX", "2xx", "default")
}

// hasJSONBody reports whether an operation takes a JSON object body.
func hasJSONBody(o *openapi3.Operation) bool {
	if o == nil || o.RequestBody == nil || o.RequestBody.Value == nil {
		return false
	}
	mt := contractapi.JSONMedia(o.RequestBody.Value.Content)
	return mt != nil && (mt.Schema == nil || mt.Schema.Value == nil || mainType(mt.Schema.Value) == "object" || mainType(mt.Schema.Value) == "")
}

// pathParams lists the parameters of a path template, in order.
func pathParams(p string) []string {
	var out []string
	for {
		i := strings.Index(p, "{")
		if i < 0 {
			return out
		}
		j := strings.Index(p[i:], "}")
		if j < 0 {
			return out
		}
		out = append(out, p[i+1:i+j])
		p = p[i+j+1:]
	}
}

// bindLookups binds the other GET operations with one path parameter, in
// the last segment of the path, that look a collection's record up by a field
// (/books/title:{title}, /admin/books/{isbn}; not
// /dialogs/{dialogId}/transmissions, something of a dialog, not the
// dialog): the parameter names a record field of the same type, and the
// answer (a record, possibly wrapped in one object field) is the record
// or a projection of it that fills every required field.
// Those that fit no collection so stay unbound (answered from the spec).
func bindLookups(doc *openapi3.T, paths []string, cols []*collection, read []string, bound map[*openapi3.Operation]bool, warn warnFunc) {
	for _, p := range paths {
		o := doc.Paths.Value(p).Get
		params := pathParams(p)
		if o == nil || bound[o] || len(params) > 1 || len(params) == 1 && strings.LastIndex(p, "/") > strings.LastIndex(p, "{") {
			continue
		}
		if len(params) == 0 {
			bindList(p, o, cols, read, bound, warn)
			continue
		}
		ref := jsonSchema(o, "200")
		if ref == nil || !isObject(ref.Value) {
			continue
		}
		param := params[0]
		ps := pathParam(doc.Paths.Value(p), param)
		for _, c := range cols {
			field := contractapi.KeyFieldFor(param, ps, c.schema)
			if field == "" {
				continue
			}
			if fs := c.schema.Properties[field]; fs == nil || fs.Value == nil || !scalar(fs.Value) || ps != nil && mainType(ps) != "" && mainType(ps) != mainType(fs.Value) {
				continue
			}
			b := manifest.Operation{Collection: c.name, Action: "get", Key: &manifest.KeyBinding{Param: param, Field: field}, Requires: read}
			out := ref.Value
			if env, inner := itemEnvelope(out, c.schema, c.key, c.wrap); env != nil {
				b.Envelope, out = env, inner
			}
			fields, missing := projection(out, c.schema)
			if len(missing) > 0 || !isObject(out) {
				continue
			}
			if _, has := properties(out)[c.key]; !has && out != c.schema {
				continue // not a record of this collection
			}
			b.Fields = fields
			id := o.OperationID
			if id == "" {
				id = http.MethodGet + " " + p
			}
			c.ops[id] = b
			c.shapes = append(c.shapes, shape{id: id, what: "GET " + p, whole: ref.Value, out: out})
			bound[o] = true
			if field != c.key && !slices.Contains(c.index, field) {
				c.index = append(c.index, field)
			}
			break
		}
	}
}

// bindList binds another list of a collection's records (GET /catalog):
// an answer whose array items are the record or a projection of it that
// fills every required field, in an envelope with every required field
// filled. It stays unbound otherwise.
func bindList(p string, o *openapi3.Operation, cols []*collection, read []string, bound map[*openapi3.Operation]bool, warn warnFunc) {
	ref := jsonSchema(o, "200")
	items, way := listItems(ref)
	if items == nil || !isObject(items.Value) {
		return
	}
	for _, c := range cols {
		if _, has := properties(items.Value)[c.key]; !has {
			continue
		}
		fields, missing := projection(items.Value, c.schema)
		if len(missing) > 0 || len(strangers(items.Value, c.schema)) > 0 {
			continue
		}
		b := manifest.Operation{Collection: c.name, Action: "list", Requires: read, Fields: fields}
		b.Paging, b.Filters = listParams(o, c.schema)
		if len(way) > 0 {
			env, missing := listEnvelope(ref.Value, way, b.Paging)
			if len(missing) > 0 {
				continue
			}
			b.Envelope = env
		}
		if b.Paging != nil && b.Paging.Style == manifest.PagingPage && b.Paging.DefaultMax == 0 && !hasDefault(o, b.Paging.Size) {
			continue // rest needs a default page size
		}
		id := o.OperationID
		if id == "" {
			id = http.MethodGet + " " + p
		}
		c.ops[id] = b
		c.shapes = append(c.shapes, shape{id: id, what: "GET " + p, whole: ref.Value, out: items.Value})
		bound[o] = true
		for _, f := range b.Filters {
			if f != c.key && !slices.Contains(c.index, f) {
				c.index = append(c.index, f)
			}
		}
		return
	}
}

// projectOnto is the projection of the collection's records onto the
// schema an operation answers with (nil: as stored); required fields it
// cannot fill are warnings naming the operation.
func projectOnto(c *collection, what string, out *openapi3.Schema, warn warnFunc) map[string]string {
	fields, missing := projection(out, c.schema)
	for _, m := range missing {
		warn(CodeShape, "%s: the answer's required field %q has no record field to fill it (want a field of that name, or one whose words make a nested path such as authorName: author.name)", what, m)
	}
	return fields
}

// strangers are the fields of an answer's object schema (out) the record
// schema (rec) has no path for: an array of objects with such fields is
// a list of something else that shares the record's key field (Directus'
// fields name the collection they are in: GET /fields is not a list of
// collections).
func strangers(out, rec *openapi3.Schema) []string {
	var names []string
	for name, p := range properties(out) {
		if p == nil || p.Value == nil || p.Value.WriteOnly {
			continue
		}
		if src, _, _ := findPath(rec, name, false); src == "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
