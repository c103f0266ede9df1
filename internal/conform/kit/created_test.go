package kit

import (
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/model"
)

// TestCreatedID: the id of a created record, from the link, the Location
// header (absolute, or under a base path) or the body, in that order.
func TestCreatedID(t *testing.T) {
	read := model.Operation{Method: http.MethodGet, Path: "/owners/{ownerId}/pets/{petId}"}
	chain := model.CRUDChain{Read: read, Param: "petId", Field: "id"}
	linked := chain
	linked.Link, linked.LinkName = map[string]string{"petId": "$response.body#/data/pet_id", "ownerId": "$request.path.ownerId"}, "GetPet"
	templated := chain
	templated.Link, templated.LinkName = map[string]string{"petId": "pet-{$response.header.X-Pet}"}, "ByHeader"
	for _, tc := range []struct {
		name     string
		c        model.CRUDChain
		location string
		header   string
		body     string
		want     string
		from     string
	}{
		{"the link's body pointer", linked, "/owners/1/pets/99", "", `{"data": {"pet_id": 7}, "id": 8}`, "7", "the link GetPet ($response.body#/data/pet_id)"},
		{"a link template", templated, "", "12", `{}`, "pet-12", "the link ByHeader (pet-{$response.header.X-Pet})"},
		{"an absolute Location under a base path", chain, "https://api.example.com/v1/owners/1/pets/a%20b", "", `{"id": 8}`, "a b", "the Location header https://api.example.com/v1/owners/1/pets/a%20b"},
		{"a Location of another path, then the body", chain, "/jobs/5", "", `{"id": 8}`, "8", "the field id of the answer"},
		{"the body's envelope", chain, "", "", `{"pet": {"id": "p-1"}}`, "p-1", "the field id of the answer"},
	} {
		resp := Response{Header: http.Header{}, Body: []byte(tc.body)}
		if tc.location != "" {
			resp.Header.Set("Location", tc.location)
		}
		if tc.header != "" {
			resp.Header.Set("X-Pet", tc.header)
		}
		id, from, ok := CreatedID(tc.c, map[string]string{"ownerId": "1"}, nil, resp)
		if !ok || id != tc.want || from != tc.from {
			t.Errorf("%s: %q from %q (%v), want %q from %q", tc.name, id, from, ok, tc.want, tc.from)
		}
	}
	if _, _, ok := CreatedID(chain, nil, nil, Response{Header: http.Header{}, Body: []byte(`{"name": "x"}`)}); ok {
		t.Error("an id found in an answer that has none")
	}
	if msg := NoIDFound(chain); msg == "" {
		t.Error("no message for a missing id")
	}
}

// TestCompareSent: sent scalars must read back equal (dates as
// instants, numbers as numbers, objects walked); fields not held, arrays
// and writeOnly ones are not compared.
func TestCompareSent(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/x": {"get": {
		"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
			"when": {"type": "string", "format": "date-time"}, "n": {"type": "number"}, "name": {"type": "string"},
			"tags": {"type": "array", "items": {"type": "string"}}, "secret": {"type": "string", "writeOnly": true},
			"nested": {"type": "object", "properties": {"a": {"type": "string"}}}}}}}}}}}}}`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	read := (&model.API{OpenAPI: d}).Operations()[0]
	sent := map[string]any{"when": "2024-01-10T10:00:00Z", "n": 1.5, "name": "a", "tags": []any{"x", "y"}, "secret": "s",
		"nested": map[string]any{"a": "b"}, "gone": "g"}
	got, _ := DecodeJSON([]byte(`{"when": "2024-01-10T11:00:00+01:00", "n": 1.50, "name": "A", "tags": ["y", "x"],
		"nested": {"a": "c"}}`))
	tt := NewT(nil, nil)
	CompareSent(tt, read, sent, got, "the creation")
	var said []string
	for _, v := range tt.Violations() {
		said = append(said, v.String())
	}
	want := []string{
		`/name: the creation sent /name "a", the record read back has "A"`,
		`/nested/a: the creation sent /nested/a "b", the record read back has "c"`,
	}
	if strings.Join(said, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(said, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzCreatedID: any answer (a Location, a header, a body) and any link
// expression give an id or none, never a panic; an id read from a
// Location is one path segment the template matched.
func FuzzCreatedID(f *testing.F) {
	f.Add("/pets/7", "$response.body#/id", `{"id": 7}`, "/pets/{petId}")
	f.Add("http://h/v1/pets/a%2Fb", "x-{$response.header.X}", `[1]`, "/owners/{o}/pets/{petId}")
	f.Add("::", "$request.body#/~1", `{"a": {"b": null}}`, "/{petId}")
	f.Fuzz(func(t *testing.T, location, expr, body, template string) {
		c := model.CRUDChain{Read: model.Operation{Method: http.MethodGet, Path: template}, Param: "petId", Field: "id",
			Link: map[string]string{"petId": expr}, LinkName: "L"}
		resp := Response{Header: http.Header{"Location": {location}, "X": {"1"}}, Body: []byte(body)}
		sent, _ := DecodeJSON([]byte(body))
		_, _, _ = CreatedID(c, map[string]string{"o": "1"}, sent, resp)
		if v, ok := matchPath(template, "petId", location); ok && (v == "" || strings.Contains(location, v) == false && !strings.Contains(location, "%")) {
			t.Errorf("matchPath(%q, %q) = %q", template, location, v)
		}
	})
}
