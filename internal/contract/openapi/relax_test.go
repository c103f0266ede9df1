package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestRelaxed: a closed object that requires a property only its allOf
// parts declare (ShipEngine's link, address, create_package_type; also
// as an optional property, in an array, through a recursive schema) is
// relaxed to admit the properties its closure declares, closed to the
// others, every other keyword kept; schemas that need nothing, and those
// no relaxing helps, are not relaxed; the document's schemas are not
// changed and the ones nothing under changes are shared. Servable serves
// a schema some value matches as written, else relaxed.
func TestRelaxed(t *testing.T) {
	sch := componentSchemas(t, `
    Link: {type: object, additionalProperties: false, required: [href], allOf: [{$ref: "#/components/schemas/OptionalLink"}]}
    OptionalLink: {type: object, additionalProperties: false, properties: {href: {type: string, minLength: 2}, rel: {type: string, enum: [self, next]}}}
    Package:
      type: object
      additionalProperties: false
      allOf: [{$ref: "#/components/schemas/PackageType"}]
    PackageType:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: {type: string}
        links: {type: array, items: {$ref: "#/components/schemas/Link"}}
        size: {$ref: "#/components/schemas/Size"}
    Size: {type: object, additionalProperties: false, properties: {w: {type: number, minimum: 0}}}
    Siblings:
      allOf:
        - {type: object, additionalProperties: false, required: [a], properties: {a: {type: integer}}}
        - {type: object, additionalProperties: false, properties: {b: {type: boolean}}}
    Holder: {type: object, properties: {link: {$ref: "#/components/schemas/Link"}, name: {type: string}}}
    Batch: {type: object, required: [link], properties: {link: {$ref: "#/components/schemas/Link"}}}
    Tree: {type: object, additionalProperties: false, required: [label], allOf: [{properties: {label: {type: string}, kids: {type: array, items: {$ref: "#/components/schemas/Tree"}}}}]}
    StringInteger: {allOf: [{type: string}, {type: integer}]}
    Undeclared: {type: object, additionalProperties: false, required: [x], allOf: [{properties: {y: {}}}]}
`)
	before := snapshot(sch)
	for _, c := range []struct {
		name     string
		relaxed  bool
		admitted []string
		refused  []string
	}{
		{"Link", true,
			[]string{`{"href": "xy"}`, `{"href": "xy", "rel": "self"}`},
			[]string{`{}`, `{"href": "x"}`, `{"href": 5}`, `{"href": "xy", "rel": "prev"}`, `{"href": "xy", "other": 1}`}},
		{"Package", true,
			[]string{`{"name": "box"}`, `{"name": "box", "links": [{"href": "xy"}], "size": {"w": 1}}`},
			[]string{`{"name": 5}`, `{}`, `{"name": "box", "other": 1}`, `{"name": "box", "links": [{}]}`, `{"name": "box", "size": {"w": -1}}`, `{"name": "box", "size": {"h": 1}}`}},
		{"Siblings", true,
			[]string{`{"a": 1}`, `{"a": 1, "b": true}`},
			[]string{`{"b": true}`, `{"a": "1"}`, `{"a": 1, "b": 1}`, `{"a": 1, "c": 1}`}},
		{"Holder", true,
			[]string{`{"name": "n"}`, `{"link": {"href": "xy"}}`},
			[]string{`{"link": {}}`, `{"link": {"href": "xy", "x": 1}}`}},
		{"Tree", true,
			[]string{`{"label": "a", "kids": [{"label": "b", "kids": []}]}`},
			[]string{`{"label": "a", "kids": [{"kids": []}]}`, `{"label": "a", "leaf": true}`}},
		{"OptionalLink", false, []string{`{"href": "xy"}`}, []string{`{"x": 1}`}},
		{"Size", false, nil, nil},
		{"StringInteger", false, nil, nil},
		{"Undeclared", false, nil, nil},
	} {
		ref := sch[c.name]
		got, ok := Relaxed(ref)
		if ok != c.relaxed {
			t.Errorf("%s: relaxed %v, want %v", c.name, ok, c.relaxed)
			continue
		}
		if !ok {
			if got != ref {
				t.Errorf("%s: not relaxed, but not the schema itself", c.name)
			}
			continue
		}
		if why, empty := Unsatisfiable(got.Value); empty {
			t.Errorf("%s: relaxed, still admits no value: %s", c.name, why)
		}
		for _, v := range c.admitted {
			if err := got.Value.VisitJSON(jsonOf(t, v), openapi3.MultiErrors()); err != nil {
				t.Errorf("%s: %s refused: %v", c.name, v, err)
			}
		}
		for _, v := range c.refused {
			if got.Value.VisitJSON(jsonOf(t, v)) == nil {
				t.Errorf("%s: %s admitted", c.name, v)
			}
		}
	}
	after := snapshot(sch)
	for n, was := range before {
		if after[n] != was {
			t.Errorf("a schema of the document changed:\n%s\nwas\n%s", after[n], was)
		}
	}
	// shared where nothing under changes: Package's size
	pkg, _ := Relaxed(sch["Package"])
	part := pkg.Value.AllOf[0].Value
	if part == sch["PackageType"].Value || part.Properties["size"].Value != sch["Size"].Value {
		t.Error("Package: want its part copied and Size shared")
	}
	// a string and an integer: nothing to relax, still no value
	if got, ok := Relaxed(sch["StringInteger"]); ok || got != sch["StringInteger"] {
		t.Error("StringInteger: relaxed")
	}

	// Servable: a schema some value matches is served as written (Holder:
	// its optional link, which admits nothing, is left out, not relaxed
	// in); one no value matches is served relaxed (Link; Batch, whose link
	// is required)
	if Servable(sch["Holder"]) != sch["Holder"] || Servable(sch["Size"]) != sch["Size"] {
		t.Error("Servable: a schema a value matches is not served as written")
	}
	for _, name := range []string{"Link", "Batch"} {
		got := Servable(sch[name])
		if got == sch[name] {
			t.Errorf("Servable(%s): no value matches it, want the relaxed copy", name)
		} else if why, empty := Unsatisfiable(got.Value); empty {
			t.Errorf("Servable(%s) admits no value: %s", name, why)
		}
	}
	if Servable(nil) != nil {
		t.Error("Servable(nil) != nil")
	}

	// Loosened: the properties a composition declares, each held to its
	// own schema; nil for no object
	if Loosened(sch["StringInteger"]) != nil || Loosened(nil) != nil {
		t.Error("Loosened: an allOf of a string and an integer is no object")
	}
	loose := Loosened(sch["Siblings"])
	if loose == nil {
		t.Fatal("Loosened(Siblings) = nil")
	}
	for v, want := range map[string]bool{`{}`: true, `{"a": 1, "b": true, "c": 1}`: true, `{"a": "1"}`: false, `{"b": 1}`: false, `5`: false} {
		if err := loose.Value.VisitJSON(jsonOf(t, v)); (err == nil) != want {
			t.Errorf("Loosened(Siblings) on %s: %v, want admitted %v", v, err, want)
		}
	}
}

// componentSchemas loads a document whose only content is the component
// schemas given (YAML, indented under components.schemas) and returns them.
func componentSchemas(t *testing.T, schemas string) openapi3.Schemas {
	t.Helper()
	doc := "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:" + schemas
	d, _, err := Load(fstest.MapFS{"t.yaml": {Data: []byte(doc)}}, "t.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d.Components.Schemas
}

// snapshot is, for each schema under the document's schemas, what
// Relaxed could change in it: its properties, parts, items and
// additionalProperties (as pointers) and its required properties.
func snapshot(sch openapi3.Schemas) map[*openapi3.Schema]string {
	out := map[*openapi3.Schema]string{}
	var walk func(*openapi3.Schema)
	walk = func(n *openapi3.Schema) {
		if _, seen := out[n]; seen {
			return
		}
		var b strings.Builder
		for _, k := range slices.Sorted(maps.Keys(n.Properties)) {
			fmt.Fprintf(&b, "%s:%p ", k, n.Properties[k].Value)
		}
		for _, rs := range []openapi3.SchemaRefs{n.AllOf, n.AnyOf, n.OneOf} {
			for _, r := range rs {
				fmt.Fprintf(&b, "%p ", r.Value)
			}
			b.WriteString("| ")
		}
		fmt.Fprintf(&b, "%v %v %v %v", n.Items, n.AdditionalProperties.Has, n.AdditionalProperties.Schema, n.Required)
		out[n] = b.String()
		eachChild(n, walk)
	}
	for _, ref := range sch {
		walk(ref.Value)
	}
	return out
}

func jsonOf(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRelaxedClosures: allOf parts each closed to the others' fields, none
// required, admit only {} (ShipEngine's batch): Relaxed leaves them,
// RelaxedClosures lets each part take the fields the others declare and
// keeps every other keyword, and refuses what no part declares.
func TestRelaxedClosures(t *testing.T) {
	sch := componentSchemas(t, `
    Batch:
      allOf:
        - {type: object, additionalProperties: false, properties: {id: {type: string}}}
        - {type: object, additionalProperties: false, properties: {count: {type: integer, minimum: 0}, note: {type: string, nullable: true}}}
    Open: {type: object, properties: {id: {type: string}}}
`)
	batch := &openapi3.SchemaRef{Value: sch["Batch"].Value}
	if _, changed := Relaxed(batch); changed {
		t.Error("Relaxed changed a schema some value ({}) matches")
	}
	relaxed, changed := RelaxedClosures(batch)
	if !changed {
		t.Fatal("RelaxedClosures left the closed parts as written")
	}
	for _, c := range []struct {
		v  map[string]any
		ok bool
	}{
		{map[string]any{"id": "b1", "count": 2.0}, true},
		// a nullable field of one part: the others' closures take null too
		// (ShipEngine's label had answered form_download: null, refused)
		{map[string]any{"id": "b1", "note": nil}, true},
		{map[string]any{"id": nil}, false},
		{map[string]any{"id": "b1", "count": -1.0}, false},
		{map[string]any{"id": "b1", "other": true}, false},
	} {
		if err := relaxed.Value.VisitJSON(c.v); (err == nil) != c.ok {
			t.Errorf("%v: %v, want ok=%v", c.v, err, c.ok)
		}
	}
	if err := batch.Value.VisitJSON(map[string]any{"id": "b1", "count": 2.0}); err == nil {
		t.Error("the document's schema was changed")
	}
	if _, changed := RelaxedClosures(&openapi3.SchemaRef{Value: sch["Open"].Value}); changed {
		t.Error("RelaxedClosures changed an open schema")
	}
}
