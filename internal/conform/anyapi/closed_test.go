package anyapi

import (
	"net/http"
	"testing"
)

// closedSpec's batch is two allOf parts each closed to the other's field
// (as ShipEngine's records are): as written, only {} matches it.
const closedSpec = `openapi: 3.0.3
info: {title: closed, version: "1"}
paths:
  /batch:
    get:
      operationId: getBatch
      responses:
        "200":
          description: the batch
          content:
            application/json:
              schema:
                allOf:
                  - {type: object, additionalProperties: false, properties: {id: {type: string}}}
                  - {type: object, additionalProperties: false, properties: {count: {type: integer, minimum: 0}}}
`

// TestClosedParts: an answer is held to what such a schema's author
// meant (the union of the parts' fields), so the batch with both fields
// passes; a field no part declares, or a count below the minimum, is
// still caught.
func TestClosedParts(t *testing.T) {
	serve := func(body map[string]any) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, body) })
	}
	passes(t, run(t, closedSpec, serve(map[string]any{"id": "b1", "count": 2})), "rest-success")
	catches(t, run(t, closedSpec, serve(map[string]any{"id": "b1", "count": 2, "extra": true})), "rest-success", `"extra"`)
	catches(t, run(t, closedSpec, serve(map[string]any{"id": "b1", "count": -1})), "rest-success", "count")
}
