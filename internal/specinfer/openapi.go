package specinfer

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/conventions"
	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
	contractapi "github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/fakedata"
	"github.com/standin/standin/internal/manifest"
)

// LoadOpenAPI reads an OpenAPI 3.0 or 3.1 document (YAML or JSON; Swagger
// 2.0 converted) from fsys with the contract layer's loader; relative
// $refs to other files of its folder are followed.
func LoadOpenAPI(fsys fs.FS, file string, opts source.Options) (*openapi3.T, diag.List, error) {
	return contractapi.Load(fsys, file, opts)
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
	in.Loaded, in.Doc = loaded, doc
	return in, nil
}

// FromOpenAPI infers the manifest of a loaded document; spec is the
// manifest's rest.spec.
func FromOpenAPI(name string, doc *openapi3.T, spec string, opts Options) (*Inferred, error) {
	if opts.Count == 0 {
		opts.Count = DefaultCount
	}
	in := &Inferred{Fixtures: map[string][]byte{}}
	n := notes{doc: doc}
	warn := n.warn
	title := name
	if doc.Info != nil && doc.Info.Title != "" {
		title = doc.Info.Title
	}
	api := &manifest.API{Name: name, Title: title, Dir: name, REST: &manifest.REST{Spec: spec, Operations: map[string]manifest.Operation{}, FromSpec: true}}
	api.Auth = inferAuth(doc)
	api.Errors = inferErrors(doc)
	read, write := []string{"READ"}, []string{"WRITE"}
	if api.Auth.None {
		read, write = nil, nil
	}

	noteUnserved(doc, warn)
	if doc.Paths == nil {
		doc.Paths = openapi3.NewPaths()
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
				n.warnAt(CodeCollection, jsonptr.Format("paths", item), "%s is not a collection: there is no path %s to list it", item, base)
			}
			continue
		}
		c := &collection{name: colName(base, used), base: base, item: item, param: param, ops: map[string]manifest.Operation{}}
		c.keyParam = pathParam(ii, param)
		if why := notCollection(bi, ii, base, item, param); why != "" {
			n.warnAt(CodeCollection, jsonptr.Format("paths", item), "%s and %s are not a collection: %s", base, item, why)
			continue
		}
		c.schemaName, c.schema, c.wrap = recordSchema(bi, ii, base, item, param, c.keyParam)
		// records are made and checked as the server reads them
		// (contractapi.RecordSchemaAt)
		c.schema = servable(c.schema)
		if c.schema == nil {
			n.warnAt(CodeCollection, jsonptr.Format("paths", item), "%s and %s are not a collection: no JSON object schema for a record in their answers", base, item)
			continue
		}
		c.key = keyField(base, param, c.keyParam, c.schema)
		if c.key == "" {
			want := fmt.Sprintf("%q or \"id\"", param)
			if param == "id" {
				want = `"id"`
			}
			n.warnAt(CodeCollection, jsonptr.Format("paths", item), "%s and %s are not a collection: no record field for the path parameter %q (want a property %s)", base, item, param, want)
			continue
		}
		used[c.name] = true
		bindOps(c, bi, ii, read, write, bound, warn)
		cols = append(cols, c)
	}
	bindLookups(doc, paths, cols, read, bound, warn)
	warnUnending(doc, &n)
	// each collection's records, rules and checks are its own: inferred
	// on every core, each with its own warnings, joined in order
	done := make([]collectionOut, len(cols))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cols)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				done[i] = inferCollection(name, doc, cols[i], opts)
			}
		}()
	}
	for i := range cols {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, c := range cols {
		out := &done[i]
		n.list = append(n.list, out.notes.list...)
		if out.err != nil {
			return nil, out.err
		}
		if out.fixture != nil {
			in.Fixtures[out.mc.Fixtures] = out.fixture
		}
		api.Collections = append(api.Collections, out.mc)
		for id, op := range c.ops {
			api.REST.Operations[id] = op
		}
	}
	for _, p := range paths {
		for method, o := range doc.Paths.Value(p).Operations() {
			if !bound[o] {
				n.warnAt(CodeOperation, jsonptr.Format("paths", p, strings.ToLower(method)), "%s %s answers from the spec's examples or schema: it is not an operation of a collection", method, p)
			}
		}
	}
	in.Diagnostics = n.sorted()
	if err := api.Check(); err != nil {
		return nil, fmt.Errorf("%s: inferred manifest: %w", spec, err)
	}
	in.API = api
	return in, nil
}

// collectionOut is what inferCollection makes of one collection.
type collectionOut struct {
	mc      manifest.Collection
	fixture []byte // the example records, the file mc.Fixtures names
	notes   notes
	err     error
}

// inferCollection makes a collection's manifest entry: its index, its
// example records, its generation rules (checked against the schema) and
// the check of the answers they make. It reads doc and c only, so
// collections are inferred concurrently.
func inferCollection(name string, doc *openapi3.T, c *collection, opts Options) collectionOut {
	n := &notes{doc: doc}
	mc := manifest.Collection{Name: c.name, Unique: []string{c.key}, Schema: c.schemaName}
	mc.Index = append(mc.Index, indexable(c.schema, c.key)...)
	for _, f := range c.index {
		if !slices.Contains(mc.Index, f) {
			mc.Index = append(mc.Index, f)
		}
	}
	sort.Strings(mc.Index)
	var fixture []byte
	recs := exampleRecords(doc, c, n.at(c.recordPointer()))
	if len(recs) > 0 {
		file := name + "/" + c.name + ".json"
		data, err := json.MarshalIndent(recs, "", "  ")
		if err != nil {
			return collectionOut{notes: *n, err: err}
		}
		fixture = data
		mc.Fixtures = file
	}
	gen := newRules(c.name, n.warn)
	recRef := ""
	if c.schemaName != "" && !strings.HasPrefix(c.schemaName, "#") {
		recRef = "#/components/schemas/" + c.schemaName
	}
	fields := gen.object(c.schema, recRef, 0)
	for name, rule := range fields {
		if k := fakedata.FieldKey(name); k != name {
			// a record field named _links, not a hidden helper
			delete(fields, name)
			fields[k] = rule
		}
	}
	count := opts.Count
	if p := properties(c.schema)[c.key]; p != nil && p.Value != nil {
		ks := keySchema(p.Value, c.keyParam)
		// an id-like or number key counts up or is a UUID; a key such
		// as username keeps its name's rule (unique values are retried)
		if key := fakedata.FieldKey(c.key); fields[key] == nil || conventions.IDLike(c.key) || mainType(ks) != "string" || ks.Format != "" || ks.Pattern != "" {
			rule, room := keyRule(ks, recs, c.key)
			fields[key] = rule
			if room >= 0 && room/2 < count {
				// half the keys the path parameter allows: the other
				// half is the room creates have (the petstore's orderId
				// is 1 to 10: ten orders left no order to place)
				count = room / 2
			}
		}
	}
	fields, made := checkRules(name, c, fields, opts.Seed, doc.IsOpenAPI31OrLater(), n.at(c.recordPointer()))
	samples := append([]map[string]any(nil), recs...)
	for i, r := range made {
		if i == 10 {
			break
		}
		samples = append(samples, r)
	}
	verifyAnswers(c, samples, opts.Seed, doc.IsOpenAPI31OrLater(), n.warn)
	if fields != nil && count > 0 {
		mc.Generate = &manifest.Generate{Count: count, Fields: fields}
	}
	return collectionOut{mc: mc, fixture: fixture, notes: *n}
}

// recordPointer is where the collection's record schema is: its component
// schema, else the item GET's answer.
func (c *collection) recordPointer() string {
	if c.schemaName != "" {
		return jsonptr.Format("components", "schemas", c.schemaName)
	}
	return jsonptr.Format("paths", c.item, "get")
}
