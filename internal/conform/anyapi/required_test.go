package anyapi

import (
	"net/http"
	"strconv"
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

// TestInvalidParameterWhereNoRefusalIsDocumented: a query parameter that
// breaks its schema, on an operation documenting only its success, is
// refused with any client error (Dialogporten's limit): no server could
// answer a documented one. A value accepted is still caught.
func TestInvalidParameterWhereNoRefusalIsDocumented(t *testing.T) {
	const spec = `openapi: 3.0.3
info: {title: limits, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10}}
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema: {type: array, items: {type: object, required: [id], properties: {id: {type: integer}}}}
`
	server := func(lenient bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if l := r.URL.Query().Get("limit"); l != "" && !lenient {
				if n, err := strconv.Atoi(l); err != nil || n < 1 || n > 10 {
					problem(w, http.StatusBadRequest, "limit: 1 to 10")
					return
				}
			}
			writeJSON(w, http.StatusOK, []map[string]any{{"id": 1}})
		})
	}
	passes(t, run(t, spec, server(false)), "rest-invalid-input")
	catches(t, run(t, spec, server(true)), "rest-invalid-input", "the invalid value was accepted")
}
