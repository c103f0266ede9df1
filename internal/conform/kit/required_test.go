package kit

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/model"
)

// TestRequiredQuery: every required query parameter gets a value its
// schema accepts (the petstore's GET /pet/findByStatus requires an array
// of an enum whose items default to "available"), found in its example,
// its named examples, its schema's example, default or enum, else
// generated; an optional one is left out.
func TestRequiredQuery(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/pets/{id}": {"get": {
		"parameters": [
			{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
			{"name": "status", "in": "query", "required": true, "explode": true, "schema": {"type": "array", "items": {"type": "string", "enum": ["available", "sold"], "default": "available"}}},
			{"name": "limit", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 5, "maximum": 9}},
			{"name": "q", "in": "query", "required": true, "example": "cats", "schema": {"type": "string"}},
			{"name": "since", "in": "query", "required": true, "examples": {"b": {"value": "bad"}, "a": {"value": "2024-05-01"}}, "schema": {"type": "string", "format": "date"}},
			{"name": "page", "in": "query", "schema": {"type": "integer"}}
		],
		"responses": {"200": {"description": "ok"}}}}}}`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	o := (&model.API{OpenAPI: d}).Operations()[0]
	want := "/pets/7?limit=5&q=cats&since=2024-05-01&status=available"
	if got := Target(o, map[string]string{"id": "7"}); got != want {
		t.Errorf("Target = %q, want %q", got, want)
	}
	if got := QueryParamValue(o, "page"); got != "1" {
		t.Errorf("QueryParamValue(page) = %q, want 1, generated from its schema", got)
	}
}
