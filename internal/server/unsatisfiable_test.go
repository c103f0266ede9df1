package server

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/contract/diag"
)

var unsatisfiableSpec = filepath.Join("testdata", "features", "unsatisfiable.yaml")

// TestUnsatisfiableRequestBodies: a request body schema that admits no
// value (allOf parts of types with nothing in common, also through $refs
// and nested parts; a closed object that requires a property only its part
// declares) is a start-up warning at the schema. A body whose schema is
// closed that way (ShipEngine's address, create_package_type, link) is
// checked against the relaxed schema (the closed nodes admit what their
// allOf parts declare, every other keyword kept): a valid body is 200, a
// wrong-typed, missing or undeclared property the documented 400 in the
// document's error shape; an optional closed part is relaxed too. One no
// relaxing helps (the allOf of a string and an integer) is accepted
// unchecked, still read as JSON (malformed JSON is refused); a body whose
// schema can match is still validated (an optional property no value
// matches is refused when sent).
func TestUnsatisfiableRequestBodies(t *testing.T) {
	s, ss := startOwnSpec(t, "unsatisfiable", unsatisfiableSpec)
	want := map[string]int{ // pointer → line
		"/paths/~1quirks/put/requestBody/content/application~1json/schema":     11,
		"/paths/~1quirks/patch/requestBody/content/application~1json/schema":   23,
		"/paths/~1rates/post/requestBody/content/application~1json/schema":     62,
		"/paths/~1links/post/requestBody/content/application~1json/schema":     93,
		"/paths/~1addresses/post/requestBody/content/application~1json/schema": 118,
		"/paths/~1packages/post/requestBody/content/application~1json/schema":  133,
	}
	relaxed := map[string]bool{"/paths/~1links/post": true, "/paths/~1addresses/post": true, "/paths/~1packages/post": true}
	loosened := map[string]bool{"/paths/~1rates/post": true}
	for _, d := range s.mock.Diagnostics() {
		if d.Code != diag.CodeUnsatisfiableSchema {
			continue
		}
		line, ok := want[d.Pointer]
		if !ok || d.Line != line || d.Severity != diag.Warning || d.File == "" {
			t.Errorf("unexpected warning %s (pointer %s)", d, d.Pointer)
		}
		op := strings.TrimSuffix(d.Pointer, "/requestBody/content/application~1json/schema")
		says, loose := strings.Contains(d.Fix, "checked against a relaxed copy"), strings.Contains(d.Fix, "checked loosely")
		if says != relaxed[op] || loose != loosened[op] || !says && !loose && !strings.Contains(d.Fix, "accepted unchecked") {
			t.Errorf("%s: the warning says %q", d.Pointer, d.Fix)
		}
		delete(want, d.Pointer)
	}
	for ptr := range want {
		t.Errorf("no %s warning at %s", diag.CodeUnsatisfiableSchema, ptr)
	}
	address := `{"name": "Ann", "address_line1": "1 Main St", "country_code": "US"}`
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
		// ShipEngine's rates: no value matches even relaxed; each property
		// its parts declare is still held to its schema (a bad one had
		// been accepted: 200)
		{"rates by shipment id", "POST", "/rates", `{"shipment_id": "se-1", "rate_options": {"carrier_ids": ["c"]}}`, 200},
		{"rates by shipment", "POST", "/rates", `{"shipment": {"weight": 2}}`, 200},
		{"rates with another property", "POST", "/rates", `{"shipment_id": "se-1", "note": "x"}`, 200},
		{"rates with a shipment id of the wrong type", "POST", "/rates", `{"shipment_id": 5}`, 400},
		{"rates with a shipment id its pattern refuses", "POST", "/rates", `{"shipment_id": "ship-1"}`, 400},
		{"rates with a weight of the wrong type", "POST", "/rates", `{"shipment": {"weight": "heavy"}}`, 400},
		{"rates with options of the wrong type", "POST", "/rates", `{"rate_options": 3}`, 400},
		{"rates: malformed JSON", "POST", "/rates", `{`, 400},
		{"rates: not an object", "POST", "/rates", `"x"`, 400},
		{"a closed link: relaxed, its href", "POST", "/links", `{"href": "x"}`, 200},
		{"a closed link: relaxed, href missing", "POST", "/links", `{}`, 400},
		{"a closed link: relaxed, still closed to others", "POST", "/links", `{"href": "x", "a": 1}`, 400},
		{"a closed link: relaxed, href of the wrong type", "POST", "/links", `{"href": 5}`, 400},
		{"malformed JSON for a closed link", "POST", "/links", `{`, 400},
		{"an object without the closed link", "PUT", "/links", `{"name": "x"}`, 200},
		{"the closed link as a property, relaxed", "PUT", "/links", `{"link": {"href": "x"}}`, 200},
		{"the closed link as a property, with a stray field", "PUT", "/links", `{"link": {"href": "x", "a": 1}}`, 400},
		{"a property the body does not allow", "PUT", "/links", `{"other": 1}`, 400},
		{"an address", "POST", "/addresses", address, 200},
		{"an address with an optional field", "POST", "/addresses", `{"name": "Ann", "phone": "555", "address_line1": "1 Main St", "country_code": "US"}`, 200},
		{"an address with a name of the wrong type", "POST", "/addresses", `{"name": 5, "address_line1": "1 Main St", "country_code": "US"}`, 400},
		{"an address without its country", "POST", "/addresses", `{"name": "Ann", "address_line1": "1 Main St"}`, 400},
		{"an address with a country too long", "POST", "/addresses", `{"name": "Ann", "address_line1": "1 Main St", "country_code": "USA"}`, 400},
		{"an address with a field no part declares", "POST", "/addresses", `{"name": "Ann", "address_line1": "1 Main St", "country_code": "US", "planet": "Mars"}`, 400},
		{"a package type", "POST", "/packages", `{"name": "box", "package_code": "small_box", "dimensions": {"unit": "inch", "length": 2}, "ship_from": ` + address + `}`, 200},
		{"a package type with a code its pattern refuses", "POST", "/packages", `{"name": "box", "package_code": "Small Box"}`, 400},
		{"a package type with dimensions of the wrong type", "POST", "/packages", `{"name": "box", "package_code": "small_box", "dimensions": {"unit": "inch", "length": "2"}}`, 400},
		{"a package type with a unit its enum refuses", "POST", "/packages", `{"name": "box", "package_code": "small_box", "dimensions": {"unit": "mile", "length": 2}}`, 400},
		{"a package type with an address missing a field", "POST", "/packages", `{"name": "box", "package_code": "small_box", "ship_from": {"name": "Ann"}}`, 400},
	} {
		r := s.do(t, stReq{method: tt.method, path: tt.path, token: stAdmin, body: tt.body})
		if r.status != tt.want {
			t.Errorf("%s %s %s: %s, want %d", tt.name, tt.method, tt.path, r, tt.want)
			continue
		}
		if tt.path == "/addresses" && r.status == 400 {
			// the 400 in the document's error shape (no answer passes the
			// 200's schema, the closed address)
			if err := ss.validate(t, "unsatisfiable", "createAddress", tt.path, nil, r); err != nil {
				t.Errorf("%s: the %d answer does not match the document: %v\n%s", tt.name, r.status, err, r)
			}
		}
	}
}
