package openapi

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Loading a large JSON document in parts.
//
// kin-openapi decodes a JSON document level by level, each level twice
// (once into its type, once into a map for its extensions) and some levels
// a third time (Paths and Responses decode into maps, encode each entry
// again and decode that): GitHub's 13 MB description took 2 s of CPU on one
// core, a third of the mock's start-up. loadSplit cuts the document at its
// top, its components and its paths, and decodes each path item and each
// component schema with kin-openapi's own UnmarshalJSON, on every core;
// then kin-openapi's loader resolves the $refs as it does for a whole
// document. The result is the same document (TestLoadSplitIsLoad compares
// the two). Only JSON documents whose $refs all point inside the document
// are loaded so: a YAML document keeps kin-openapi's line numbers, and
// $refs to other files need the loader's own reading of them.

// splitAbove is the size from which a JSON document is loaded in parts.
const splitAbove = 256 << 10

// splittable reports whether data is a JSON document that loadSplit may
// load: large enough to gain, a JSON object, and every $ref local (#...).
func splittable(data []byte) bool {
	if len(data) < splitAbove {
		return false
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return false
	}
	key := []byte(`"$ref"`)
	for rest := data; ; {
		i := bytes.Index(rest, key)
		if i < 0 {
			return true
		}
		rest = bytes.TrimLeft(rest[i+len(key):], " \t\r\n")
		if len(rest) == 0 || rest[0] != ':' {
			continue // "$ref" as a property name of a schema
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) > 0 && rest[0] != '"' {
			continue // a property named $ref, its schema an object
		}
		if !bytes.HasPrefix(rest, []byte(`"#`)) {
			return false
		}
	}
}

// loadSplit loads a splittable document; ok is false when it cannot (the
// text is not the JSON it looked like): the caller then loads it whole,
// which says what is wrong.
func loadSplit(loader *openapi3.Loader, data []byte, location *url.URL) (*openapi3.T, bool, error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil, false, nil
	}
	var components map[string]json.RawMessage
	var paths map[string]json.RawMessage
	if raw, ok := top["components"]; ok && json.Unmarshal(raw, &components) != nil {
		return nil, false, nil
	}
	if raw, ok := top["paths"]; ok && json.Unmarshal(raw, &paths) != nil {
		return nil, false, nil
	}
	var schemas map[string]json.RawMessage
	if raw, ok := components["schemas"]; ok && json.Unmarshal(raw, &schemas) != nil {
		return nil, false, nil
	}
	// The rest of the document (info, servers, tags, security, webhooks,
	// the other components) is small: kin-openapi decodes it whole, with
	// paths and schemas left empty, and its loader keeps the document's
	// location for resolving the $refs afterwards.
	rest := make(map[string]json.RawMessage, len(top))
	for k, v := range top {
		switch k {
		case "paths", "components", "webhooks":
			// webhooks may $ref components: decoded below, resolved with all
		default:
			rest[k] = v
		}
	}
	_, hasPaths := top["paths"]
	if hasPaths {
		rest["paths"] = json.RawMessage(`{}`)
	}
	restData, err := json.Marshal(rest)
	if err != nil {
		return nil, false, nil
	}
	doc, err := loader.LoadFromDataWithPath(restData, location)
	if err != nil {
		return nil, false, nil
	}

	// every path item and every component schema, on every core
	type job struct {
		name string
		raw  json.RawMessage
		path bool
	}
	var jobs []job
	for _, k := range slices.Sorted(maps.Keys(paths)) {
		if !strings.HasPrefix(k, "x-") {
			jobs = append(jobs, job{k, paths[k], true})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(schemas)) {
		jobs = append(jobs, job{k, schemas[k], false})
	}
	items := make([]*openapi3.PathItem, len(jobs))
	refs := make([]*openapi3.SchemaRef, len(jobs))
	errs := make([]error, len(jobs))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				n := i
				i++
				next.Unlock()
				if n >= len(jobs) {
					return
				}
				j := jobs[n]
				if j.path {
					items[n] = &openapi3.PathItem{}
					errs[n] = items[n].UnmarshalJSON(j.raw)
				} else {
					refs[n] = &openapi3.SchemaRef{}
					errs[n] = refs[n].UnmarshalJSON(j.raw)
				}
			}
		}()
	}
	// meanwhile: the other components, the webhooks
	var comps *openapi3.Components
	var hooks map[string]*openapi3.PathItem
	var otherErr error
	if components != nil {
		other := make(map[string]json.RawMessage, len(components))
		for k, v := range components {
			if k != "schemas" {
				other[k] = v
			}
		}
		otherData, err := json.Marshal(other)
		if err == nil {
			comps = &openapi3.Components{}
			err = comps.UnmarshalJSON(otherData)
		}
		otherErr = err
	}
	if raw, ok := top["webhooks"]; ok && otherErr == nil {
		otherErr = json.Unmarshal(raw, &hooks)
	}
	wg.Wait()
	if otherErr != nil {
		return nil, false, nil
	}
	for _, err := range errs {
		if err != nil {
			return nil, false, nil
		}
	}
	if hasPaths {
		doc.Paths = openapi3.NewPaths()
		doc.Paths.Extensions = map[string]any{}
		for k, v := range paths {
			if strings.HasPrefix(k, "x-") {
				var x any
				if json.Unmarshal(v, &x) != nil {
					return nil, false, nil
				}
				doc.Paths.Extensions[k] = x
			}
		}
	}
	if comps != nil {
		if schemas != nil {
			comps.Schemas = make(openapi3.Schemas, len(schemas))
		}
		doc.Components = comps
	}
	for n, j := range jobs {
		if j.path {
			doc.Paths.Set(j.name, items[n])
		} else {
			doc.Components.Schemas[j.name] = refs[n]
		}
	}
	if hooks != nil {
		doc.Webhooks = hooks
	}
	if err := loader.ResolveRefsIn(doc, location); err != nil {
		return nil, true, err
	}
	return doc, true, nil
}
