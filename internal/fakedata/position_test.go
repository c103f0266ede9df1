package fakedata

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/standin/standin/internal/manifest"
)

// positionManifest is an API manifest whose generate block holds one rule
// (RULE) on line 12 from column 17.
const positionManifest = `name: books
auth: {bearer: true}
collections:
  - name: books
    unique: [isbn]
    generate:
      count: 3
      fields:
        isbn: {seq: {}}
        title: {const: t}
        # the rule under test:
        broken: RULE
rest:
  spec: openapi.yaml
  operations:
    getBook: {collection: books, action: get, key: {param: isbn, field: isbn}}
`

// TestErrorPositions: a broken rule read from a manifest is reported at
// file:line:column of the problem, for each kind of mistake.
func TestErrorPositions(t *testing.T) {
	tests := []struct {
		name, rule, place, want string
	}{
		{"unknown generator", `{nope: {}}`, ":12:18:", `unknown generator "nope" (known: bool, company, const`},
		{"bad parameter type", `{int: {min: x}}`, ":12:29:", `int: min must be a number, got a string`},
		{"missing parameter", `{list: {min: 1}}`, ":12:24:", `list: item is required`},
		{"unknown parameter", `{seq: {begin: 1}}`, ":12:24:", `seq: unknown parameter "begin" (allowed: start, step)`},
		{"parameters not a map", `{int: 3}`, ":12:23:", `int: parameters must be a map, got a number`},
		{"nested", `{nullable: {value: {object: {a: {uuid: {x: 1}}}}}}`, ":12:57:", `object: a: uuid: unknown parameter "x"`},
		{"in a list", `{join: {parts: [a, {ref: 3}]}}`, ":12:42:", `join: parts[1]: ref: needs a field path`},
		{"bad value", `{float: {min: 2, max: 1}}`, ":12:25:", `float: need min <= max`},
		{"template", `{template: "{{bogus 1}}"}`, ":12:28:", `unknown action "bogus"`},
		{"block style", "\n          int:\n            max: [1]", ":14:18:", `int: max must be a number, got a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"books/api.yaml": {Data: []byte(strings.Replace(positionManifest, "RULE", tt.rule, 1))}}
			api, err := manifest.Load(fsys, "books")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Compile(SpecIn(api, &api.Collections[0]))
			var ee *ExprError
			if !errors.As(err, &ee) {
				t.Fatalf("got %v, want an ExprError", err)
			}
			prefix := "books/api.yaml" + tt.place + " generate books.books: field \"broken\": "
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %s\nwant prefix\n  %s\ncontaining %q", err, prefix, tt.want)
			}
		})
	}
}

// TestDocNamesEveryGenerator: the package documentation describes every
// generator of the registry.
func TestDocNamesEveryGenerator(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range GeneratorNames() {
		if !strings.Contains(string(doc), "{"+name+":") {
			t.Errorf("doc.go does not show the %s generator ({%s: …})", name, name)
		}
	}
}
