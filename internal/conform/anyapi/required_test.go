package anyapi

import (
	"net/http"
	"testing"
)

// kindsSpec lists things by a required query parameter, an array of an
// enum as the petstore's GET /pet/findByStatus takes it.
const kindsSpec = `openapi: 3.0.3
info: {title: kinds, version: "1"}
paths:
  /things/findByKind:
    get:
      operationId: findByKind
      parameters:
        - name: kind
          in: query
          required: true
          explode: true
          schema: {type: array, items: {type: string, enum: [red, blue], default: red}}
      responses:
        "200":
          description: the things of those kinds
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  required: [id, kind]
                  properties: {id: {type: integer}, kind: {type: string, enum: [red, blue]}}
        "400":
          description: no kind given
          content:
            application/json:
              schema: {type: object, required: [message], properties: {message: {type: string}}}
`

// TestRequiredQueryParameters: every check that is not about the query
// sends the contract's required query parameters with valid values, so a
// server that refuses a request without them passes (the checks had sent
// GET /things/findByKind bare, and every correct server answered 400).
func TestRequiredQueryParameters(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kinds := r.URL.Query()["kind"]
		if len(kinds) == 0 {
			problem(w, http.StatusBadRequest, "kind: required")
			return
		}
		var out []map[string]any
		for i, k := range kinds {
			if k != "red" && k != "blue" {
				problem(w, http.StatusBadRequest, "kind: red or blue")
				return
			}
			out = append(out, map[string]any{"id": i + 1, "kind": k})
		}
		writeJSON(w, http.StatusOK, out)
	})
	passes(t, run(t, kindsSpec, h), "rest-success", "rest-property-params")
}
