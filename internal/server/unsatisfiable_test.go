package server

import (
	"path/filepath"
	"testing"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract/diag"
)

var unsatisfiableSpec = filepath.Join("testdata", "features", "unsatisfiable.yaml")

// TestUnsatisfiableRequestBodies: a request body schema that admits no
// value (allOf parts of types with nothing in common, also through $refs
// and nested parts; a closed object that requires a property only its part
// declares) is a start-up warning at the schema, and the operation accepts
// its bodies unchecked, still read as JSON (malformed JSON is refused); a
// body whose schema can match is still validated (an optional property no
// value matches is refused when sent).
func TestUnsatisfiableRequestBodies(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.Specs = config.List{unsatisfiableSpec} })
	want := map[string]int{ // pointer → line
		"/paths/~1quirks/put/requestBody/content/application~1json/schema":   11,
		"/paths/~1quirks/patch/requestBody/content/application~1json/schema": 23,
		"/paths/~1links/post/requestBody/content/application~1json/schema":   60,
	}
	for _, d := range s.mock.Diagnostics() {
		if d.Code != diag.CodeUnsatisfiableSchema {
			continue
		}
		line, ok := want[d.Pointer]
		if !ok || d.Line != line || d.Severity != diag.Warning || d.File == "" {
			t.Errorf("unexpected warning %s (pointer %s)", d, d.Pointer)
		}
		delete(want, d.Pointer)
	}
	for ptr := range want {
		t.Errorf("no %s warning at %s", diag.CodeUnsatisfiableSchema, ptr)
	}
	for _, tt := range []struct {
		name, method, path, body string
		want                     int
	}{
		{"a string", "PUT", "/quirks", `"x"`, 200},
		{"an integer", "PUT", "/quirks", `5`, 200},
		{"an object", "PUT", "/quirks", `{"a": 1}`, 200},
		{"null", "PUT", "/quirks", `null`, 200},
		{"malformed JSON", "PUT", "/quirks", `{"a": `, 400},
		{"through $refs and a nested allOf", "PATCH", "/quirks", `"x"`, 200},
		{"malformed JSON through $refs", "PATCH", "/quirks", `nope`, 400},
		{"an object without the impossible property", "POST", "/quirks", `{"name": "x"}`, 200},
		{"the impossible property", "POST", "/quirks", `{"incompatible": "x"}`, 400},
		{"a property of the wrong type", "POST", "/quirks", `{"name": 5}`, 400},
		{"an integer", "POST", "/numbers", `5`, 200},
		{"null: both nullable parts admit it", "POST", "/numbers", `null`, 200},
		{"a string: neither branch", "POST", "/numbers", `"x"`, 400},
		{"a closed link: every object refused", "POST", "/links", `{"href": "x"}`, 200},
		{"a closed link: any body", "POST", "/links", `{"a": 1}`, 200},
		{"malformed JSON for a closed link", "POST", "/links", `{`, 400},
		{"an object without the closed link", "PUT", "/links", `{"name": "x"}`, 200},
		{"the closed link as a property", "PUT", "/links", `{"link": {"href": "x"}}`, 400},
		{"a property the body does not allow", "PUT", "/links", `{"other": 1}`, 400},
	} {
		r := s.do(t, stReq{method: tt.method, path: tt.path, token: stAdmin, body: tt.body})
		if r.status != tt.want {
			t.Errorf("%s %s %s: %s, want %d", tt.name, tt.method, tt.path, r, tt.want)
		}
	}
}
