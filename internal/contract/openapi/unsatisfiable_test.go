package openapi

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestUnsatisfiable: the schemas no value matches (allOf parts of types
// with nothing in common, directly, through $refs or nested; a type and an
// anyOf; the false schema; an object that requires a property a closed
// part refuses, or whose schema admits no value), and the ones that look
// alike but admit a value (number and integer, nullable parts, a $ref
// cycle, an untyped part, an allOf kin-openapi reads as the empty schema;
// an untyped closed schema, a readOnly or writeOnly required property, a
// nullable or optional link, a required chain back to itself, which has
// no finite value but is not read). Each is a request body of its own
// path; the loader warns about the first kind only.
func TestUnsatisfiable(t *testing.T) {
	schemas := map[string]struct {
		schema string
		empty  bool
	}{
		"string-integer":    {`{allOf: [{type: string}, {type: integer}]}`, true},
		"refs":              {`{allOf: [{$ref: "#/components/schemas/Text"}, {allOf: [{$ref: "#/components/schemas/Count"}]}]}`, true},
		"type-and-part":     {`{type: object, allOf: [{type: array}]}`, true},
		"type-and-anyOf":    {`{type: boolean, anyOf: [{type: string}, {type: number}]}`, true},
		"nested-empty-part": {`{allOf: [{type: object}, {allOf: [{type: string}, {type: boolean}]}]}`, true},
		"number-integer":    {`{allOf: [{type: number}, {type: integer}]}`, false},
		"nullable-parts":    {`{allOf: [{type: string, nullable: true}, {type: integer, nullable: true}]}`, false},
		"nullable-root":     {`{nullable: true, allOf: [{type: string}, {type: integer}]}`, false},
		"untyped-part":      {`{allOf: [{type: string}, {minLength: 2}]}`, false},
		"anyOf-overlaps":    {`{type: integer, anyOf: [{type: string}, {type: number}]}`, false},
		"cycle":             {`{$ref: "#/components/schemas/Node"}`, false},
		// objects: a required property a closed part refuses, or whose
		// schema admits no value
		"closed-link":            {`{$ref: "#/components/schemas/Link"}`, true},
		"closed-link-part":       {`{allOf: [{$ref: "#/components/schemas/Link"}], description: a link}`, true},
		"closed-nested-part":     {`{allOf: [{required: [a]}, {allOf: [{type: object, additionalProperties: false, properties: {b: {}}}]}]}`, true},
		"closed-additional-none": {`{type: object, required: [a], additionalProperties: {allOf: [{type: string}, {type: integer}]}}`, true},
		"required-empty":         {`{type: object, required: [a], properties: {a: {allOf: [{type: string}, {type: integer}]}}}`, true},
		"required-empty-part":    {`{type: object, required: [a], allOf: [{properties: {a: {$ref: "#/components/schemas/Link"}}}]}`, true},
		"anyOf-closed-only":      {`{anyOf: [{$ref: "#/components/schemas/Link"}, {$ref: "#/components/schemas/Link"}]}`, true},
		"closed-declared":        {`{type: object, additionalProperties: false, required: [href], properties: {href: {type: string}}}`, false},
		"closed-untyped":         {`{additionalProperties: false, required: [a]}`, false},
		"closed-open-part":       {`{allOf: [{required: [a]}, {type: object, properties: {b: {}}}]}`, false},
		"closed-readOnly":        {`{type: object, additionalProperties: false, required: [id], allOf: [{properties: {id: {type: string, readOnly: true}}}]}`, false},
		"closed-writeOnly":       {`{type: object, additionalProperties: false, required: [pw], allOf: [{properties: {pw: {type: string, writeOnly: true}}}]}`, false},
		"closed-nullable":        {`{nullable: true, allOf: [{$ref: "#/components/schemas/Link"}]}`, false},
		"anyOf-closed-or-string": {`{anyOf: [{$ref: "#/components/schemas/Link"}, {type: string}]}`, false},
		"optional-empty":         {`{type: object, properties: {a: {allOf: [{type: string}, {type: integer}]}}}`, false},
		"optional-closed":        {`{type: object, properties: {link: {$ref: "#/components/schemas/Link"}}}`, false},
		"required-cycle":         {`{$ref: "#/components/schemas/Chain"}`, false},
	}
	var doc strings.Builder
	doc.WriteString("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n")
	for name, s := range schemas {
		doc.WriteString("  /" + name + ":\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: " + s.schema +
			"\n      responses:\n        \"200\": {description: OK}\n")
	}
	doc.WriteString(`components:
  schemas:
    Text: {type: string}
    Count: {type: integer}
    Node: {allOf: [{type: object}, {anyOf: [{$ref: "#/components/schemas/Node"}, {type: object}]}]}
    Link: {type: object, additionalProperties: false, required: [href], allOf: [{$ref: "#/components/schemas/OptionalLink"}]}
    OptionalLink: {type: object, additionalProperties: false, properties: {href: {type: string}, type: {type: string}}}
    Chain: {type: object, required: [next], properties: {next: {$ref: "#/components/schemas/Chain"}}}
`)
	d, warnings, err := Load(fstest.MapFS{"t.yaml": {Data: []byte(doc.String())}}, "t.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	warned := map[string]string{}
	for _, w := range warnings {
		if w.Code == "unsatisfiable-schema" {
			warned[w.Pointer] = w.Message
		}
	}
	for name, s := range schemas {
		why, empty := Unsatisfiable(d.Paths.Value("/" + name).Post.RequestBody.Value.Content["application/json"].Schema.Value)
		if empty != s.empty {
			t.Errorf("%s: Unsatisfiable = %v (%s), want %v", name, empty, why, s.empty)
		}
		ptr := "/paths/~1" + name + "/post/requestBody/content/application~1json/schema"
		if msg, ok := warned[ptr]; ok != s.empty || ok && !strings.Contains(msg, why) {
			t.Errorf("%s: warned %v (%q), want %v", name, ok, msg, s.empty)
		}
	}
	for name, want := range map[string]string{
		"string-integer":      "allOf/0 (string) and allOf/1 (integer) have no type in common",
		"closed-link":         `it requires "href", which its additionalProperties: false refuses (not among its properties)`,
		"closed-nested-part":  `it requires "a", which the additionalProperties: false of allOf/1/allOf/0 refuses (not among the properties there)`,
		"required-empty-part": `it requires "a", and allOf/0/properties/a admits no value: it requires "href", which its additionalProperties: false refuses (not among its properties)`,
	} {
		if why, _ := Unsatisfiable(d.Paths.Value("/" + name).Post.RequestBody.Value.Content["application/json"].Schema.Value); why != want {
			t.Errorf("%s: why = %q, want %q", name, why, want)
		}
	}
}

// TestSatisfiabilityKept: one Satisfiability answers the same whatever
// the order of the questions (schemas that refer to each other), and
// NullOnly tells a nullable schema whose other values are all refused.
func TestSatisfiabilityKept(t *testing.T) {
	sch := componentSchemas(t, `
    Link: {type: object, additionalProperties: false, required: [href], allOf: [{$ref: "#/components/schemas/OptionalLink"}]}
    OptionalLink: {type: object, additionalProperties: false, properties: {href: {type: string}}}
    MaybeLink: {nullable: true, allOf: [{$ref: "#/components/schemas/Link"}]}
    MaybeText: {type: string, nullable: true}
    A: {type: object, required: [b], properties: {b: {$ref: "#/components/schemas/B"}, link: {$ref: "#/components/schemas/Link"}}}
    B: {anyOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/Link"}]}
    C: {type: object, required: [link], properties: {link: {$ref: "#/components/schemas/Link"}, back: {$ref: "#/components/schemas/C"}}}
`)
	want := map[string]bool{"Link": true, "OptionalLink": false, "MaybeLink": false, "MaybeText": false, "A": false, "B": false, "C": true}
	orders := [][]string{
		{"A", "B", "C", "Link", "MaybeLink", "MaybeText", "OptionalLink"},
		{"OptionalLink", "MaybeText", "MaybeLink", "Link", "C", "B", "A"},
		{"B", "C", "A", "MaybeLink", "Link", "OptionalLink", "MaybeText"},
	}
	for _, order := range orders {
		r := NewSatisfiability()
		for _, name := range order {
			if _, empty := r.Unsatisfiable(sch[name].Value); empty != want[name] {
				t.Errorf("order %v: %s: Unsatisfiable %v, want %v", order, name, empty, want[name])
			}
		}
	}
	r := NewSatisfiability()
	for name, only := range map[string]bool{"MaybeLink": true, "MaybeText": false, "Link": false, "OptionalLink": false} {
		if got := r.NullOnly(sch[name].Value); got != only {
			t.Errorf("NullOnly(%s) = %v, want %v", name, got, only)
		}
	}
}

// TestUnsatisfiableFalseSchema: in OpenAPI 3.1 the false schema admits
// no value, and so does an allOf holding it; an anyOf holding it beside a
// schema admits that schema's values. A closed object that requires a
// property only a part declares admits none, unless patternProperties
// may admit the property.
func TestUnsatisfiableFalseSchema(t *testing.T) {
	const doc = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /false:
    post:
      requestBody:
        content:
          application/json:
            schema: false
      responses:
        "200": {description: OK}
  /all-false:
    post:
      requestBody:
        content:
          application/json:
            schema: {allOf: [false]}
      responses:
        "200": {description: OK}
  /any-false:
    post:
      requestBody:
        content:
          application/json:
            schema: {anyOf: [false, {type: string}]}
      responses:
        "200": {description: OK}
  /closed:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: false, required: [href], allOf: [{properties: {href: {type: string}}}]}
      responses:
        "200": {description: OK}
  /closed-pattern:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: false, patternProperties: {"^h": {}}, required: [href], allOf: [{properties: {href: {type: string}}}]}
      responses:
        "200": {description: OK}
`
	d, _, err := Load(fstest.MapFS{"t.yaml": {Data: []byte(doc)}}, "t.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/false": true, "/all-false": true, "/any-false": false, "/closed": true, "/closed-pattern": false} {
		if why, empty := Unsatisfiable(d.Paths.Value(path).Post.RequestBody.Value.Content["application/json"].Schema.Value); empty != want {
			t.Errorf("%s: Unsatisfiable = %v (%s), want %v", path, empty, why, want)
		}
	}
}
