package anyapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// thingsSwagger is the things contract (apiKey in a header) as Swagger
// 2.0.
const thingsSwagger = `swagger: "2.0"
info: {title: things, version: "1"}
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, in: header, name: X-API-Key}
security: [{key: []}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        200: {description: every thing, schema: {type: array, items: {$ref: "#/definitions/Thing"}}}
        401: {description: who are you, schema: {$ref: "#/definitions/Error"}}
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, type: integer, format: int64, minimum: 1}
      responses:
        200: {description: one thing, schema: {$ref: "#/definitions/Thing"}}
        400: {description: a bad id, schema: {$ref: "#/definitions/Error"}}
        401: {description: who are you, schema: {$ref: "#/definitions/Error"}}
        404: {description: no such thing, schema: {$ref: "#/definitions/Error"}}
definitions:
  Thing:
    type: object
    required: [id, name]
    properties:
      id: {type: integer, format: int64}
      name: {type: string}
  Error:
    type: object
    required: [message]
    properties: {message: {type: string}}
`

// TestSwagger2: a Swagger 2.0 contract is checked as its OpenAPI 3.0
// conversion (its securityDefinitions as security schemes), with a
// warning saying so; the correct server passes, a defect is caught.
func TestSwagger2(t *testing.T) {
	base := serve(t, thingsServer(headerIs("X-API-Key", "k1"), nil))
	file := filepath.Join(t.TempDir(), "things.yaml")
	if err := os.WriteFile(file, []byte(thingsSwagger), 0o600); err != nil {
		t.Fatal(err)
	}
	env, err := setUp([]string{"--spec", file, "--target", base, "--credential", "key=k1"})
	if err != nil {
		t.Fatal(err)
	}
	if w := env.APIs[0].Warnings; len(w) != 1 || !strings.Contains(w[0], "Swagger 2.0") || !strings.Contains(w[0], "openapi2conv") {
		t.Errorf("warnings %q, want one saying the Swagger 2.0 document is checked converted", w)
	}
	passes(t, runEnv(env), "rest-success", "rest-no-token", "rest-security-schemes", "rest-not-found", "rest-lookups")
	t.Run("defect", func(t *testing.T) {
		catches(t, runAt(t, thingsSwagger, serve(t, thingsServer(anyone, nil)), "--credential", "key=k1"), "rest-no-token", "want HTTP 401, got 200")
	})
}
