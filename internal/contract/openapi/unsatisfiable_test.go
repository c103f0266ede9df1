package openapi

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestUnsatisfiable: the schemas no value matches (allOf parts of types
// with nothing in common, directly, through $refs or nested; a type and an
// anyOf; the false schema), and the ones that look alike but admit a value
// (number and integer, nullable parts, a $ref cycle, an untyped part, an
// allOf kin-openapi reads as the empty schema). Each is a request body of
// its own path; the loader warns about the first kind only.
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
	if why, _ := Unsatisfiable(d.Paths.Value("/string-integer").Post.RequestBody.Value.Content["application/json"].Schema.Value); why != "allOf/0 (string) and allOf/1 (integer) have no type in common" {
		t.Errorf("why = %q", why)
	}
}

// TestUnsatisfiableFalseSchema: in OpenAPI 3.1 the false schema admits
// no value, and so does an allOf holding it; an anyOf holding it beside a
// schema admits that schema's values.
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
`
	d, _, err := Load(fstest.MapFS{"t.yaml": {Data: []byte(doc)}}, "t.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/false": true, "/all-false": true, "/any-false": false} {
		if why, empty := Unsatisfiable(d.Paths.Value(path).Post.RequestBody.Value.Content["application/json"].Schema.Value); empty != want {
			t.Errorf("%s: Unsatisfiable = %v (%s), want %v", path, empty, why, want)
		}
	}
}
