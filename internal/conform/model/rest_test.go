package model

import (
	"github.com/standin/standin/internal/contract/source"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// loadDoc loads an OpenAPI document from text, as LoadFile does.
func loadDoc(t *testing.T, text string) *API {
	t.Helper()
	file := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := LoadFile("x", file)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const securityDoc = `openapi: 3.0.3
info: {title: x, version: "1"}
security: [{key: []}, {bearer: [], app: []}]
paths:
  /a:
    get: {operationId: inherits, responses: {"200": {description: ok}}}
  /b:
    get: {operationId: open, security: [], responses: {"200": {description: ok}}}
  /c:
    get: {operationId: optional, security: [{}, {key: []}], responses: {"200": {description: ok}}}
components:
  securitySchemes:
    key: {type: apiKey, in: cookie, name: session}
    bearer: {type: http, scheme: Bearer}
    app: {type: apiKey, in: query, name: app_id}
`

// TestSecurity: an operation's security is its own (security: [] open,
// {} optional) or the document's; a requirement with several schemes
// needs them all. (A scheme the document does not declare is refused
// when the document loads.)
func TestSecurity(t *testing.T) {
	a := loadDoc(t, securityDoc)
	got := map[string]string{}
	for _, o := range a.Operations() {
		sec := a.Security(o)
		var alts []string
		for _, r := range sec.Alternatives {
			var parts []string
			for _, s := range r {
				parts = append(parts, s.Name+":"+s.Type+":"+s.In+s.HTTP)
			}
			alts = append(alts, "["+strings.Join(parts, " ")+"]")
		}
		flags := map[bool]string{true: "required", false: ""}[sec.Required()] + map[bool]string{true: "open", false: ""}[sec.Open()] + map[bool]string{true: "optional", false: ""}[sec.Optional()]
		got[o.ID()] = flags + " " + strings.Join(alts, " or ")
	}
	want := map[string]string{
		"inherits": "required [key:apiKey:cookie] or [app:apiKey:query bearer:http:bearer]",
		"open":     "open ",
		"optional": "optional [] or [key:apiKey:cookie]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("security:\n got %q\nwant %q", got, want)
	}
	if s := (Scheme{Name: "nope"}); s.Sendable() {
		t.Error("an undeclared scheme is sendable")
	}
	for _, s := range a.OpenAPISchemes() {
		if !s.Sendable() {
			t.Errorf("%s is not sendable", s.Name)
		}
	}
}

// TestRecordKeysAndParamFields: a record's key through allOf, by its
// item path's parameter, by a unique name; the field a parameter names.
func TestRecordKeysAndParamFields(t *testing.T) {
	obj := func(required []string, props ...string) *openapi3.Schema {
		s := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{}, Required: required}
		for _, p := range props {
			s.Properties[p] = &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}}}
		}
		return s
	}
	allOf := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: obj([]string{"name"}, "name")}, {Value: obj([]string{"slug"}, "slug", "owner_id")}}}
	for _, tc := range []struct {
		name string
		s    *openapi3.Schema
		want string
	}{
		{"id", obj([]string{"id"}, "id", "name"), "id"},
		{"a required *_id", obj([]string{"client_id"}, "client_id"), "client_id"},
		{"slug through allOf, not a foreign key", allOf, "slug"},
		{"an optional foreign key is no key", obj(nil, "owner_id", "name"), ""},
		{"an optional uuid", obj(nil, "uuid"), "uuid"},
	} {
		if got := RecordKey(tc.s); got != tc.want {
			t.Errorf("%s: RecordKey = %q, want %q", tc.name, got, tc.want)
		}
	}
	rec := ObjectOf(obj(nil, "id", "slug", "uuid"))
	for param, want := range map[string]string{"petId": "id", "pet_id": "id", "slug": "slug", "tagSlug": "slug", "companyUUID": "uuid", "owner": ""} {
		if got := ParamField(param, rec); got != want {
			t.Errorf("ParamField(%s) = %q, want %q", param, got, want)
		}
	}
}

const crudDoc = `openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /owners/{ownerId}/pets:
    get:
      operationId: listPets
      parameters: [{name: ownerId, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}}}
    post:
      operationId: createPet
      parameters: [{name: ownerId, in: path, required: true, schema: {type: integer}}]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
      responses: {"201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}
  /owners/{ownerId}/pets/{petId}:
    parameters:
      - {name: ownerId, in: path, required: true, schema: {type: integer}}
      - {name: petId, in: path, required: true, schema: {type: integer}}
    get: {operationId: getPet, responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}}
    delete: {operationId: deletePet, responses: {"204": {description: gone}}}
  /orders:
    post:
      operationId: placeOrder
      responses:
        "201":
          description: placed
          content: {application/json: {schema: {type: object, properties: {ref: {type: string}}}}}
          links:
            Order: {operationRef: "#/paths/~1orders~1by-ref~1{ref}/get", parameters: {ref: "$response.body#/ref"}}
  /orders/by-ref/{ref}:
    get:
      operationId: getOrder
      parameters: [{name: ref, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /search:
    post: {operationId: search, responses: {"200": {description: found}}}
components:
  schemas:
    Pet: {type: object, required: [id], properties: {id: {type: integer}, name: {type: string}}}
`

// TestCRUDChains: the chains a contract implies: a nested collection's
// (its item path's parameter naming the record's id, the delete on it),
// and one found through an OpenAPI link by operationRef; a POST without
// a read is none.
func TestCRUDChains(t *testing.T) {
	a := loadDoc(t, crudDoc)
	var got []string
	for _, c := range a.CRUDChains() {
		got = append(got, c.Title()+" param="+c.Param+" field="+c.Field+" link="+c.Link[c.Param])
	}
	want := []string{
		"POST /orders → GET /orders/by-ref/{ref} param=ref field= link=$response.body#/ref",
		"POST /owners/{ownerId}/pets → GET, DELETE /owners/{ownerId}/pets/{petId} param=petId field=id link=",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("chains:\n got %q\nwant %q", got, want)
	}
	reads := map[string]bool{}
	for _, o := range a.Operations() {
		reads[o.ID()] = a.IsItemRead(o)
	}
	if !reads["getPet"] || reads["getOrder"] || reads["listPets"] {
		t.Errorf("item reads %v: want getPet alone", reads)
	}
}

// TestSwagger2Loads: a Swagger 2.0 document, JSON or YAML, is converted
// (definitions, securityDefinitions, body parameters) with a warning,
// and is never taken for an SDL.
func TestSwagger2Loads(t *testing.T) {
	for name, text := range map[string]string{
		"swagger.json": `{"swagger": "2.0", "info": {"title": "x", "version": "1"},
			"securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
			"paths": {"/pets": {"post": {"operationId": "createPet", "consumes": ["application/json"],
				"parameters": [{"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}],
				"responses": {"201": {"description": "made", "schema": {"$ref": "#/definitions/Pet"}}}}}},
			"definitions": {"Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}`,
		"contract": "swagger: '2.0'\ninfo: {title: x, version: '1'}\nsecurityDefinitions: {key: {type: apiKey, in: header, name: X-Key}}\npaths: {}\n",
	} {
		file := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if source.Detect(file, []byte(text)) == source.KindGraphQL {
			t.Errorf("%s taken for an SDL", name)
		}
		a, err := LoadFile("x", file)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "Swagger 2.0") {
			t.Errorf("%s: warnings %q", name, a.Warnings)
		}
		if s := a.OpenAPISchemes(); len(s) != 1 || s[0].Param != "X-Key" || s[0].In != InHeader {
			t.Errorf("%s: schemes %+v", name, s)
		}
		for _, o := range a.Operations() {
			if o.Op.RequestBody == nil || o.Op.RequestBody.Value.Content.Get("application/json") == nil {
				t.Errorf("%s: %s has no JSON request body after conversion", name, o.ID())
			}
		}
	}
}
