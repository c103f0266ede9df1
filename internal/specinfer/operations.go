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
	add := func(method, p string, o *openapi3.Operation, b manifest.Operation) {
		if o == nil {
			return
		}
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
		ref := jsonSchema(o, "200")
		items, prop := listItems(ref)
		if prop != "" {
			env, missing := listEnvelope(ref.Value, prop, b.Paging)
			b.Envelope = env
			for _, r := range missing {
				warn(CodeShape, "GET %s: the list envelope's required field %q is not filled (the mock has no value for it)", c.base, r)
			}
		}
		if items != nil {
			b.Fields = projectOnto(c, "GET "+c.base+" (each record)", items.Value, warn)
		}
		add(http.MethodGet, c.base, o, b)
	}
	// a single record's answer: enveloped and projected as its 2xx schema says
	shaped := func(method, p string, o *openapi3.Operation, b manifest.Operation) manifest.Operation {
		if o == nil {
			return b
		}
		ref := jsonSchema(o, "200", "201", "202")
		if ref == nil {
			return b
		}
		out := ref.Value
		if env, inner := itemEnvelope(out, c.schema, c.key); env != nil {
			b.Envelope, out = env, inner
		}
		b.Fields = projectOnto(c, method+" "+p, out, warn)
		return b
	}
	add(http.MethodPost, c.base, base.Post, shaped(http.MethodPost, c.base, base.Post, manifest.Operation{Action: "create", Requires: write, Assign: assignFor(c, base.Post), Fill: true}))
	add(http.MethodGet, c.item, item.Get, shaped(http.MethodGet, c.item, item.Get, manifest.Operation{Action: "get", Key: key, Requires: read}))
	add(http.MethodPut, c.item, item.Put, shaped(http.MethodPut, c.item, item.Put, manifest.Operation{Action: "replace", Key: key, Requires: write, Fill: true}))
	add(http.MethodPatch, c.item, item.Patch, shaped(http.MethodPatch, c.item, item.Patch, manifest.Operation{Action: "patch", Key: key, Requires: write, Fill: true}))
	add(http.MethodDelete, c.item, item.Delete, manifest.Operation{Action: "delete", Key: key, Requires: write})
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

// bindLookups binds the other GET operations with one path parameter that
// look a collection's record up by a field (/books/title:{title},
// /admin/books/{isbn}): the parameter names a record field of the same
// type, and the answer (a record, possibly wrapped in one object field) is
// the record or a projection of it that fills every required field.
// Those that fit no collection so stay unbound (answered from the spec).
func bindLookups(doc *openapi3.T, paths []string, cols []*collection, read []string, bound map[*openapi3.Operation]bool, warn warnFunc) {
	for _, p := range paths {
		o := doc.Paths.Value(p).Get
		params := pathParams(p)
		if o == nil || bound[o] || len(params) > 1 {
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
			field := contractapi.KeyField(param, c.schema)
			if field == "" {
				continue
			}
			if fs := c.schema.Properties[field]; fs == nil || fs.Value == nil || !scalar(fs.Value) || ps != nil && mainType(ps) != "" && mainType(ps) != mainType(fs.Value) {
				continue
			}
			b := manifest.Operation{Collection: c.name, Action: "get", Key: &manifest.KeyBinding{Param: param, Field: field}, Requires: read}
			out := ref.Value
			if env, inner := itemEnvelope(out, c.schema, c.key); env != nil {
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
	items, prop := listItems(ref)
	if items == nil || !isObject(items.Value) {
		return
	}
	for _, c := range cols {
		if _, has := properties(items.Value)[c.key]; !has {
			continue
		}
		fields, missing := projection(items.Value, c.schema)
		if len(missing) > 0 {
			continue
		}
		b := manifest.Operation{Collection: c.name, Action: "list", Requires: read, Fields: fields}
		b.Paging, b.Filters = listParams(o, c.schema)
		if prop != "" {
			env, missing := listEnvelope(ref.Value, prop, b.Paging)
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
