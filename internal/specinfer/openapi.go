package specinfer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/diag"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// LoadOpenAPI reads an OpenAPI 3.0 or 3.1 document (YAML or JSON; Swagger
// 2.0 converted) from fsys with the contract layer's loader; relative
// $refs to other files of its folder are followed.
func LoadOpenAPI(fsys fs.FS, file string, opts source.Options) (*openapi3.T, diag.List, error) {
	return contractapi.Load(fsys, file, opts)
}

// collection is one inferred collection before it becomes manifest data.
type collection struct {
	name       string
	base, item string // the collection and item path templates
	param      string // the item path's parameter
	key        string // the record field the parameter selects
	schemaName string // component schema of a record ("" inline)
	schema     *openapi3.Schema
	ops        map[string]manifest.Operation
	index      []string // fields other gets look records up by
}

// OpenAPI infers the manifest of an OpenAPI document. file is read from
// fsys; the manifest's rest.spec is its base name, so fsys's folder of file
// must be served as <name>/ of the specs file system.
func OpenAPI(name string, fsys fs.FS, file string, opts Options) (*Inferred, error) {
	doc, loaded, err := LoadOpenAPI(fsys, file, opts.Files)
	if err != nil {
		return nil, err
	}
	in, err := FromOpenAPI(name, doc, path.Base(file), opts)
	if err != nil {
		return nil, err
	}
	in.Loaded = loaded
	return in, nil
}

// FromOpenAPI infers the manifest of a loaded document; spec is the
// manifest's rest.spec.
func FromOpenAPI(name string, doc *openapi3.T, spec string, opts Options) (*Inferred, error) {
	if opts.Count == 0 {
		opts.Count = DefaultCount
	}
	in := &Inferred{Fixtures: map[string][]byte{}}
	warn := func(format string, args ...any) { in.Warnings = append(in.Warnings, fmt.Sprintf(format, args...)) }
	title := name
	if doc.Info != nil && doc.Info.Title != "" {
		title = doc.Info.Title
	}
	api := &manifest.API{Name: name, Title: title, Dir: name, REST: &manifest.REST{Spec: spec, Operations: map[string]manifest.Operation{}}}
	api.Auth = inferAuth(doc, warn)
	api.Errors = inferErrors(doc)
	read, write := []string{"READ"}, []string{"WRITE"}
	if api.Auth.None {
		read, write = nil, nil
	}

	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, fmt.Errorf("%s: the document has no paths", spec)
	}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	var cols []*collection
	used := map[string]bool{}
	bound := map[*openapi3.Operation]bool{}
	for _, item := range paths {
		base, param, ok := splitItem(item)
		if !ok {
			continue
		}
		bi, ii := doc.Paths.Value(base), doc.Paths.Value(item)
		if bi == nil {
			if ii.Get != nil || ii.Put != nil || ii.Patch != nil || ii.Delete != nil {
				warn("%s is not a collection: there is no path %s to list it", item, base)
			}
			continue
		}
		c := &collection{name: colName(base, used), base: base, item: item, param: param, ops: map[string]manifest.Operation{}}
		c.schemaName, c.schema = recordSchema(bi, ii)
		if c.schema == nil {
			warn("%s and %s are not a collection: no JSON object schema for a record in their answers", base, item)
			continue
		}
		c.key = keyField(param, c.schema)
		if c.key == "" {
			warn("%s and %s are not a collection: no record field for the path parameter %q (want a property %q or \"id\")", base, item, param, param)
			continue
		}
		used[c.name] = true
		if strings.Contains(base, "{") {
			warn("collection %s is nested (%s): its records are not restricted to the parent the path names; every parent sees all of them", c.name, base)
		}
		bindOps(c, bi, ii, read, write, bound, warn)
		cols = append(cols, c)
	}
	bindLookups(doc, paths, cols, read, bound, warn)
	for _, c := range cols {
		mc := manifest.Collection{Name: c.name, Unique: []string{c.key}, Schema: c.schemaName}
		if c.schemaName == "" {
			warn("collection %s: the record schema is inline, so records and writes are not checked against it (give it a name under components.schemas)", c.name)
		}
		for _, f := range indexable(c.schema, c.key) {
			mc.Index = append(mc.Index, f)
		}
		for _, f := range c.index {
			if !slicesContains(mc.Index, f) {
				mc.Index = append(mc.Index, f)
			}
		}
		sort.Strings(mc.Index)
		recs := exampleRecords(doc, c, warn)
		if len(recs) > 0 {
			file := name + "/" + c.name + ".json"
			data, err := json.MarshalIndent(recs, "", "  ")
			if err != nil {
				return nil, err
			}
			in.Fixtures[file] = data
			mc.Fixtures = file
		}
		gen := newRules(c.name, warn)
		fields := gen.object(c.schema, "", 0)
		if p := c.schema.Properties[c.key]; p != nil && p.Value != nil {
			ks := keySchema(p.Value, pathParam(doc.Paths.Value(c.item), c.param))
			// an id-like or number key counts up or is a UUID; a key such
			// as username keeps its name's rule (unique values are retried)
			if fields[c.key] == nil || idLike(c.key) || mainType(ks) != "string" || ks.Format != "" || ks.Pattern != "" {
				fields[c.key] = keyRule(ks, recs, c.key)
			}
		}
		fields = checkRules(name, c, fields, opts.Seed, warn)
		if fields != nil {
			mc.Generate = &manifest.Generate{Count: opts.Count, Fields: fields}
		}
		api.Collections = append(api.Collections, mc)
		for id, op := range c.ops {
			api.REST.Operations[id] = op
		}
	}
	for _, p := range paths {
		for method, o := range doc.Paths.Value(p).Operations() {
			if !bound[o] {
				warn("%s %s answers from the spec's examples or schema: it is not an operation of a collection", method, p)
			}
		}
	}
	sort.Strings(in.Warnings)
	if err := api.Check(); err != nil {
		return nil, fmt.Errorf("%s: inferred manifest: %w", spec, err)
	}
	in.API = api
	return in, nil
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

// jsonSchema returns the JSON schema of a response of status.
func jsonSchema(o *openapi3.Operation, statuses ...string) *openapi3.SchemaRef {
	if o == nil || o.Responses == nil {
		return nil
	}
	for _, st := range statuses {
		r := o.Responses.Value(st)
		if r == nil || r.Value == nil {
			continue
		}
		if mt := jsonMedia(r.Value.Content); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			return mt.Schema
		}
	}
	return nil
}

func jsonMedia(c openapi3.Content) *openapi3.MediaType {
	if mt := c.Get("application/json"); mt != nil {
		return mt
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(k, "json") {
			return c[k]
		}
	}
	return nil
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

// recordSchema finds the record schema of a collection.
func recordSchema(base, item *openapi3.PathItem) (string, *openapi3.Schema) {
	if ref := jsonSchema(item.Get, "200"); ref != nil && isObject(ref.Value) {
		return componentName(ref), ref.Value
	}
	if ref := jsonSchema(base.Get, "200"); ref != nil {
		if items, _ := listItems(ref); items != nil && isObject(items.Value) {
			return componentName(items), items.Value
		}
	}
	if ref := jsonSchema(base.Post, "201", "200"); ref != nil && isObject(ref.Value) {
		return componentName(ref), ref.Value
	}
	return "", nil
}

// keyField is the record field an item path's parameter selects.
func keyField(param string, s *openapi3.Schema) string {
	if _, ok := s.Properties[param]; ok {
		return param
	}
	low := strings.ToLower(param)
	if _, ok := s.Properties["id"]; ok && (low == "id" || strings.HasSuffix(low, "id") || strings.HasSuffix(low, "_id")) {
		return "id"
	}
	for _, cand := range []string{strings.TrimSuffix(strings.TrimSuffix(low, "id"), "_"), strings.TrimSuffix(param, "Id") + "ID"} {
		for name := range s.Properties {
			if strings.EqualFold(name, cand) && cand != "" {
				return name
			}
		}
	}
	if _, ok := s.Properties["id"]; ok {
		return "id"
	}
	return ""
}

// bindOps binds the conventional operations of a collection.
func bindOps(c *collection, base, item *openapi3.PathItem, read, write []string, bound map[*openapi3.Operation]bool, warn func(string, ...any)) {
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
				warn("GET %s: the list envelope's required field %q is not filled (the mock has no value for it)", c.base, r)
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
	if base.Post != nil {
		createGaps(c, base.Post, warn)
	}
	add(http.MethodPost, c.base, base.Post, shaped(http.MethodPost, c.base, base.Post, manifest.Operation{Action: "create", Requires: write, Assign: assignFor(c, base.Post)}))
	add(http.MethodGet, c.item, item.Get, shaped(http.MethodGet, c.item, item.Get, manifest.Operation{Action: "get", Key: key, Requires: read}))
	add(http.MethodPut, c.item, item.Put, shaped(http.MethodPut, c.item, item.Put, manifest.Operation{Action: "replace", Key: key, Requires: write}))
	add(http.MethodPatch, c.item, item.Patch, shaped(http.MethodPatch, c.item, item.Patch, manifest.Operation{Action: "patch", Key: key, Requires: write}))
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
func bindLookups(doc *openapi3.T, paths []string, cols []*collection, read []string, bound map[*openapi3.Operation]bool, warn func(string, ...any)) {
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
			field := keyField(param, c.schema)
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
			if field != c.key && !slicesContains(c.index, field) {
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
func bindList(p string, o *openapi3.Operation, cols []*collection, read []string, bound map[*openapi3.Operation]bool, warn func(string, ...any)) {
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
			if f != c.key && !slicesContains(c.index, f) {
				c.index = append(c.index, f)
			}
		}
		return
	}
}

// hasDefault reports whether a query parameter of o declares a default.
func hasDefault(o *openapi3.Operation, name string) bool {
	for _, ref := range o.Parameters {
		if ref != nil && ref.Value != nil && ref.Value.Name == name && ref.Value.Schema != nil && ref.Value.Schema.Value != nil {
			return ref.Value.Schema.Value.Default != nil
		}
	}
	return false
}

// createGaps warns about required record fields a create's body schema
// does not have and no assign fills: such creates are refused (400).
func createGaps(c *collection, create *openapi3.Operation, warn func(string, ...any)) {
	if create.RequestBody == nil || create.RequestBody.Value == nil {
		return
	}
	mt := jsonMedia(create.RequestBody.Value.Content)
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return
	}
	body := properties(mt.Schema.Value)
	assigned := assignFor(c, create)
	var gaps []string
	for _, r := range c.schema.Required {
		if _, ok := body[r]; !ok {
			if _, ok := assigned[r]; !ok {
				gaps = append(gaps, r)
			}
		}
	}
	if len(gaps) > 0 {
		sort.Strings(gaps)
		warn("POST %s: the request body schema lacks the record's required fields %s; a create is refused (400) unless the body carries them", c.base, strings.Join(gaps, ", "))
	}
}

// projectOnto is the projection of the collection's records onto the
// schema an operation answers with (nil: as stored); required fields it
// cannot fill are warnings naming the operation.
func projectOnto(c *collection, what string, out *openapi3.Schema, warn func(string, ...any)) map[string]string {
	fields, missing := projection(out, c.schema)
	for _, m := range missing {
		warn("%s: the answer's required field %q has no record field to fill it (want a field of that name, or one whose words make a nested path such as authorName: author.name)", what, m)
	}
	return fields
}

// assignFor gives a create the key (when the body leaves it out) and the
// required fields with a default the spec declares.
func assignFor(c *collection, create *openapi3.Operation) map[string]any {
	out := map[string]any{}
	if create != nil && create.RequestBody != nil && create.RequestBody.Value != nil {
		if mt := jsonMedia(create.RequestBody.Value.Content); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			for name, p := range properties(mt.Schema.Value) {
				if p != nil && p.Value != nil && p.Value.Default != nil && c.schema.Properties[name] != nil {
					out[name] = normalize(p.Value.Default)
				}
			}
		}
	}
	if p := c.schema.Properties[c.key]; p != nil && p.Value != nil {
		s := p.Value
		switch {
		case s.Type.Is("integer") || s.Type.Includes("integer") || s.Type.Is("number"):
			out[c.key] = "{{seq}}"
		case s.Format == "date-time":
			out[c.key] = "{{now}}"
		default:
			out[c.key] = "{{uuid}}"
		}
	}
	for r, p := range c.schema.Properties {
		if _, done := out[r]; done || r == c.key || p == nil || p.Value == nil {
			continue
		}
		required := slicesContains(c.schema.Required, r)
		switch {
		case required && p.Value.Default != nil:
			out[r] = normalize(p.Value.Default)
		case p.Value.Format == "date-time" && (p.Value.ReadOnly || required && isTimestamp(r)):
			// the server's clock stamps what the client may not send
			out[r] = "{{now}}"
		}
	}
	return out
}

func isTimestamp(field string) bool {
	f := strings.ToLower(field)
	return strings.HasPrefix(f, "created") || strings.HasPrefix(f, "updated") || strings.HasSuffix(f, "_at") || strings.HasSuffix(f, "at") && strings.Contains(f, "ed")
}

// listParams maps a list's query parameters to paging and filters.
func listParams(o *openapi3.Operation, rec *openapi3.Schema) (*manifest.Paging, map[string]string) {
	q := map[string]bool{}
	q2max := map[string]int{}
	for _, ref := range o.Parameters {
		if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery {
			p := ref.Value
			q[p.Name] = true
			if p.Schema != nil && p.Schema.Value != nil {
				if p.Schema.Value.Default != nil {
					q[p.Name+"\x00default"] = true
				}
				if p.Schema.Value.Max != nil {
					q2max[p.Name] = int(*p.Schema.Value.Max)
				}
			}
		}
	}
	var pg *manifest.Paging
	pick := func(names ...string) string {
		for _, n := range names {
			if q[n] {
				return n
			}
		}
		return ""
	}
	if page, size := pick("page"), pick("size", "pageSize", "page_size", "per_page", "perPage"); page != "" && size != "" {
		pg = &manifest.Paging{Style: manifest.PagingPage, Page: page, Size: size}
		if !q[size+"\x00default"] {
			pg.DefaultMax = 20
			if m := q2max[size]; m > 0 && m < 20 {
				pg.DefaultMax = m
			}
		}
	} else if off, lim := pick("offset", "skip"), pick("limit", "take", "count", "max"); off != "" || lim != "" {
		pg = &manifest.Paging{Offset: off, Limit: lim}
	}
	filters := map[string]string{}
	for name := range q {
		if pg != nil && (name == pg.Page || name == pg.Size || name == pg.Offset || name == pg.Limit) {
			continue
		}
		if p := rec.Properties[name]; p != nil && p.Value != nil && scalar(p.Value) {
			filters[name] = name
		}
	}
	if len(filters) == 0 {
		filters = nil
	}
	return pg, filters
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

// exampleRecords gathers the records the spec gives as examples: the list
// answer's, the item answer's and the record schema's own, each valid
// against the record schema and with a key, first of a key kept.
func exampleRecords(doc *openapi3.T, c *collection, warn func(string, ...any)) []map[string]any {
	var cands []any
	pi := doc.Paths.Value(c.base)
	ii := doc.Paths.Value(c.item)
	media := func(o *openapi3.Operation, st string) *openapi3.MediaType {
		if o == nil || o.Responses == nil {
			return nil
		}
		r := o.Responses.Value(st)
		if r == nil || r.Value == nil {
			return nil
		}
		return jsonMedia(r.Value.Content)
	}
	examplesOf := func(mt *openapi3.MediaType) []any {
		if mt == nil {
			return nil
		}
		var out []any
		if mt.Example != nil {
			out = append(out, mt.Example)
		}
		names := make([]string, 0, len(mt.Examples))
		for n := range mt.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if ex := mt.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
				out = append(out, ex.Value.Value)
			}
		}
		return out
	}
	_, prop := listItems(jsonSchema(pi.Get, "200"))
	for _, ex := range examplesOf(media(pi.Get, "200")) {
		if prop != "" {
			if m, ok := ex.(map[string]any); ok {
				ex = m[prop]
			}
		}
		if list, ok := ex.([]any); ok {
			cands = append(cands, list...)
		}
	}
	cands = append(cands, examplesOf(media(ii.Get, "200"))...)
	if c.schema.Example != nil {
		cands = append(cands, c.schema.Example)
	}
	cands = append(cands, c.schema.Examples...)
	if len(cands) == 0 {
		if rec := propertyExample(c.schema); rec != nil {
			cands = append(cands, rec)
		}
	}
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	if doc.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	var out []map[string]any
	seen := map[string]bool{}
	for _, cand := range cands {
		m, ok := normalize(cand).(map[string]any)
		if !ok {
			continue
		}
		if _, has := m[c.key]; !has {
			m[c.key] = exampleKey(c, len(out)+1)
		}
		k, ok := keyString(m[c.key])
		if !ok || seen[k] {
			continue
		}
		if err := c.schema.VisitJSON(m, opts...); err != nil {
			warn("collection %s: an example record (key %s) does not match the record schema and is left out: %v", c.name, k, oneLine(err))
			continue
		}
		seen[k] = true
		out = append(out, m)
	}
	return out
}

// propertyExample is a record made of the properties' own examples (else
// their default, const or first enum value); nil when a required property
// has none of them or no property has an example.
func propertyExample(s *openapi3.Schema) map[string]any {
	rec := map[string]any{}
	examples := 0
	for name, p := range properties(s) {
		if p == nil || p.Value == nil || p.Value.WriteOnly {
			continue
		}
		v := p.Value
		switch {
		case v.Example != nil:
			rec[name] = v.Example
			examples++
		case len(v.Examples) > 0:
			rec[name] = v.Examples[0]
			examples++
		case v.Default != nil:
			rec[name] = v.Default
		case v.Const != nil:
			rec[name] = v.Const
		case len(v.Enum) > 0:
			rec[name] = v.Enum[0]
		}
	}
	for _, r := range s.Required {
		if _, ok := rec[r]; !ok {
			return nil
		}
	}
	if examples == 0 {
		return nil
	}
	return rec
}

// exampleKey is the key of the n-th example record that has none: n for
// number keys, else a UUID derived from the collection and n (stable
// across runs).
func exampleKey(c *collection, n int) any {
	if p := c.schema.Properties[c.key]; p != nil && p.Value != nil && (p.Value.Type.Is("integer") || p.Value.Type.Includes("integer") || p.Value.Type.Is("number")) {
		return float64(n)
	}
	h := sha256.Sum256([]byte(c.name + "\x00" + strconv.Itoa(n)))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// normalize makes a YAML- or JSON-decoded example JSON-shaped (numbers
// float64), as records decoded from fixture files are.
func normalize(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return nil
	}
	return out
}

func keyString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func idLike(field string) bool {
	n := norm(field)
	return strings.HasSuffix(n, "id") || n == "uuid" || n == "key" || n == "guid"
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

// keySchema is the schema generated keys must satisfy: the record field's,
// with the path parameter's pattern, format and bounds when the field has
// none (a key the path refuses could never be got).
func keySchema(field, param *openapi3.Schema) *openapi3.Schema {
	if param == nil || mainType(param) != mainType(field) {
		return field
	}
	ks := *field
	if ks.Pattern == "" && ks.Format == "" && len(ks.Enum) == 0 {
		ks.Pattern, ks.Format = param.Pattern, param.Format
		if ks.MaxLength == nil {
			ks.MaxLength = param.MaxLength
		}
	}
	if ks.Min == nil {
		ks.Min = param.Min
	}
	return &ks
}

// keyRule generates unique keys after the example records' keys.
func keyRule(s *openapi3.Schema, recs []map[string]any, key string) any {
	if s == nil {
		return map[string]any{"uuid": map[string]any{}}
	}
	if s.Type.Is("integer") || s.Type.Includes("integer") || s.Type.Is("number") {
		start := 1.0
		if s.Min != nil && *s.Min > start {
			start = *s.Min
		}
		for _, r := range recs {
			if f, ok := r[key].(float64); ok && f >= start {
				start = f + 1
			}
		}
		return map[string]any{"seq": map[string]any{"start": start}}
	}
	switch {
	case s.Pattern != "":
		return map[string]any{"regex": s.Pattern}
	case s.MaxLength != nil && *s.MaxLength < 36:
		n := max(*s.MaxLength, 1)
		return map[string]any{"regex": fmt.Sprintf("^[a-z0-9]{%d}$", n)}
	}
	return map[string]any{"uuid": map[string]any{}}
}

// inferAuth maps the document's security schemes to the manifest's auth.
func inferAuth(doc *openapi3.T, warn func(string, ...any)) manifest.Auth {
	var reqs []openapi3.SecurityRequirement
	reqs = append(reqs, doc.Security...)
	open := false
	for _, p := range doc.Paths.Map() {
		for _, o := range p.Operations() {
			if o.Security != nil {
				if len(*o.Security) == 0 {
					open = true
				}
				reqs = append(reqs, *o.Security...)
			}
		}
	}
	names := map[string]bool{}
	for _, r := range reqs {
		for n := range r {
			names[n] = true
		}
	}
	if len(names) == 0 {
		return manifest.Auth{None: true}
	}
	if open {
		warn("some operations declare no security: the mock authenticates every operation of the API alike")
	}
	var a manifest.Auth
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		var ss *openapi3.SecurityScheme
		if doc.Components != nil {
			if ref := doc.Components.SecuritySchemes[n]; ref != nil {
				ss = ref.Value
			}
		}
		if ss == nil {
			warn("security scheme %q is not defined under components.securitySchemes", n)
			continue
		}
		switch {
		case ss.Type == "http" && strings.EqualFold(ss.Scheme, "bearer"), ss.Type == "oauth2", ss.Type == "openIdConnect":
			a.Bearer = true
		case ss.Type == "apiKey" && ss.In == "header":
			if a.APIKeyHeader == "" {
				a.APIKeyHeader = ss.Name
			} else if !strings.EqualFold(a.APIKeyHeader, ss.Name) {
				warn("security scheme %q: only one API key header is served (%s); %s is not", n, a.APIKeyHeader, ss.Name)
			}
		default:
			warn("security scheme %q (%s %s%s) is not served: the mock takes bearer tokens and API keys in a header", n, ss.Type, ss.Scheme, ss.In)
		}
	}
	if !a.Bearer && a.APIKeyHeader == "" {
		warn("no security scheme the mock serves: the API takes bearer tokens")
		a.Bearer = true
	}
	return a
}

// errorStatuses get an error shape in every inferred API.
var errorStatuses = map[int]string{
	400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
	405: "Method not allowed", 409: "Conflict", 429: "Too many requests",
	500: "Internal server error", 504: "Gateway timeout",
}

// inferErrors takes the error shapes from the spec's error schemas. Each
// error status takes the schema documented for it (404), else for its
// class (4XX), else for default, else the first error schema of the
// document (400, 404, 4XX, default, 401, 403, 500 first): the first
// operation's, in path order, whose schema is an object with a
// message-like string field, at its top or in one object field
// ({"error": {"code", "message"}}). Without one, {"error": message}.
func inferErrors(doc *openapi3.T) map[int]manifest.ErrorShape {
	documented := map[string]any{} // "404", "4XX", "default" → body
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		ops := doc.Paths.Value(p).Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			o := ops[m]
			if o.Responses == nil {
				continue
			}
			for st := range o.Responses.Map() {
				if _, done := documented[st]; done || !isErrorStatus(st) {
					continue
				}
				if ref := jsonSchema(o, st); ref != nil {
					if body := errorBody(ref.Value, 0); body != nil {
						documented[st] = body
					}
				}
			}
		}
	}
	var common any
	for _, st := range []string{"400", "404", "4XX", "default", "401", "403", "500", "5XX"} {
		if body, ok := documented[st]; ok {
			common = body
			break
		}
	}
	if common == nil {
		keys := make([]string, 0, len(documented))
		for k := range documented {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 0 {
			common = documented[keys[0]]
		} else {
			common = map[string]any{"error": "{{message}}"}
		}
	}
	out := map[int]manifest.ErrorShape{}
	for st, msg := range errorStatuses {
		body := common
		for _, k := range []string{strconv.Itoa(st), strconv.Itoa(st/100) + "XX", "default"} {
			if b, ok := documented[k]; ok {
				body = b
				break
			}
		}
		out[st] = manifest.ErrorShape{Message: msg, Code: strings.ToUpper(strings.ReplaceAll(msg, " ", "_")), Body: body}
	}
	return out
}

// isErrorStatus reports whether a response key documents errors: 4xx,
// 5xx, 4XX, 5XX or default.
func isErrorStatus(st string) bool {
	return st == "default" || len(st) == 3 && (st[0] == '4' || st[0] == '5')
}

// messageFields are the names of an error's message, in order of
// preference.
var messageFields = []string{"message", "error", "detail", "title", "description", "msg"}

// errorBody is the template for an error schema: {{message}} in its
// message-like string fields, {{status}} and {{code}} in its status and
// code fields, constants in the other required ones. When the schema has
// no message field of its own, the one object field that has (such as
// "error" in {"error": {"code", "message"}}) holds the template. It is
// nil when no message field is found or a required field cannot be
// filled.
func errorBody(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 2 || !isObject(s) && (len(s.AllOf) == 0 || len(properties(s)) == 0) {
		return nil
	}
	props := properties(s)
	body := map[string]any{}
	for _, n := range messageFields {
		if p := props[n]; p != nil && p.Value != nil && mainType(p.Value) == "string" && len(p.Value.Enum) == 0 && p.Value.Const == nil {
			body[n] = "{{message}}"
		}
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(body) == 0 {
		// the message is one level down: {"error": {"message": ...}}
		for _, name := range names {
			if p := props[name]; p != nil && p.Value != nil {
				if inner := errorBody(p.Value, depth+1); inner != nil {
					body[name] = inner
					break
				}
			}
		}
		if len(body) == 0 {
			return nil
		}
	}
	for _, name := range names {
		p := props[name]
		if _, done := body[name]; done || p == nil || p.Value == nil {
			continue
		}
		v := p.Value
		low := strings.ToLower(name)
		t := mainType(v)
		switch {
		case (low == "code" || low == "status" || low == "statuscode" || low == "httpstatus") && (t == "integer" || t == "number") && len(v.Enum) == 0:
			body[name] = "{{status}}"
		case (low == "code" || low == "errorcode") && t == "string" && len(v.Enum) == 0 && v.Pattern == "" && v.Format == "":
			body[name] = "{{code}}"
		case slicesContains(s.Required, name):
			c, ok := constantFor(name, v, 0)
			if !ok {
				return nil // a required field the mock cannot fill
			}
			body[name] = c
		}
	}
	return body
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkRules generates a few records with the rules and checks them
// against the record schema; a rule whose values fail is dropped (an
// optional field) or, for a required field, the collection gets no
// generated records. It returns the rules kept, nil for none.
func checkRules(api string, c *collection, fields map[string]any, seed uint64, warn func(string, ...any)) map[string]any {
	opts := append(specs.SchemaOptions(), openapi3.EnableFormatValidation())
	for attempt := 0; attempt < 4; attempt++ {
		spec := fakedata.Spec{API: api, Collection: c.name, Unique: []string{c.key}, Fields: fields}
		recs, err := fakedata.Generate(spec, fakedata.Env{Seed: seed}, 30)
		if err != nil {
			warn("collection %s: no generated records: %v", c.name, err)
			return nil
		}
		bad := map[string]bool{}
		for _, r := range recs {
			err := c.schema.VisitJSON(map[string]any(r), opts...)
			if err == nil {
				continue
			}
			for _, f := range failingFields(err) {
				bad[f] = true
			}
			if len(bad) == 0 {
				warn("collection %s: generated records do not match the record schema (%s); none are generated", c.name, oneLine(err))
				return nil
			}
		}
		if len(bad) == 0 {
			return fields
		}
		for f := range bad {
			if slicesContains(c.schema.Required, f) || f == c.key {
				warn("collection %s: generated values of required field %q do not match the schema; no records are generated (add an example)", c.name, f)
				return nil
			}
			warn("collection %s: field %q is left out of generated records: its generated values do not match the schema", c.name, f)
			delete(fields, f)
		}
	}
	return nil
}

// failingFields lists the top-level fields a validation error points at.
func failingFields(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		if me, ok := err.(openapi3.MultiError); ok {
			for _, e := range me {
				walk(e)
			}
			return
		}
		if se, ok := err.(*openapi3.SchemaError); ok {
			if ptr := se.JSONPointer(); len(ptr) > 0 {
				out = append(out, ptr[0])
			} else if strings.HasPrefix(se.Reason, "property \"") {
				name := strings.TrimPrefix(se.Reason, "property \"")
				if i := strings.Index(name, "\""); i > 0 {
					out = append(out, name[:i])
				}
			}
		}
	}
	walk(err)
	return out
}
