package server

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/standin/standin/internal/config"
)

// TestOverlappingOneOfBodies: a request body that matches two branches of
// a oneOf (open branches, a discriminator naming the one meant) is
// accepted, as a client's validator with OpenAPI's discriminator
// semantics accepts it; a body that matches none is still refused.
func TestOverlappingOneOfBodies(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "pets.yaml")
	const doc = `openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets:
    patch:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
              discriminator: {propertyName: pet_type}
      responses:
        "200": {description: updated}
components:
  schemas:
    Cat:
      type: object
      required: [pet_type]
      properties: {pet_type: {type: string}, hunts: {type: boolean}}
    Dog:
      type: object
      required: [pet_type]
      properties: {pet_type: {type: string}, bark: {type: boolean}}
`
	if err := os.WriteFile(spec, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	s := stStart(t, func(c *config.Config) { c.Specs = config.List{spec} })
	for _, tt := range []struct {
		name, body string
		want       int
	}{
		{"matches both branches", `{"pet_type": "Cat", "hunts": true}`, 200},
		{"matches none", `{"hunts": true}`, 400},
		{"the discriminator of the wrong type", `{"pet_type": 5, "hunts": true}`, 400},
	} {
		r := s.do(t, stReq{method: "PATCH", path: "/pets", token: stAdmin, body: tt.body})
		if r.status != tt.want {
			t.Errorf("%s: %s", tt.name, r)
		}
	}
}
