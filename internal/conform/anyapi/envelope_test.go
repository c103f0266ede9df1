package anyapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// envelopeSpec wraps its records as Directus does: a list is
// {"data": [...]}, a record {"data": {...}}.
const envelopeSpec = `openapi: 3.0.3
info: {title: envelope, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: the items
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Item"}}
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: one item
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {$ref: "#/components/schemas/Item"}
        "404": {description: no such item}
  /parts:
    get:
      operationId: listParts
      responses:
        "200":
          description: every part
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Part"}}
  /parts/{item}:
    get:
      operationId: listPartsOfItem
      parameters:
        - {name: item, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the parts of one item (Directus' GET /fields/{collection})
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Part"}}
components:
  schemas:
    Part: {type: object, required: [item, part], properties: {item: {type: integer}, part: {type: string}}}
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
`

// TestRecordsInAnEnvelope: rest-lookups reads the record a read answers
// inside its envelope, so a server answering {"data": {"id": 2, ...}}
// for /items/2 passes, and one answering another record is caught; a
// read answering a list ({"data": [...]} for /parts/{item}) is no lookup.
func TestRecordsInAnEnvelope(t *testing.T) {
	items := []map[string]any{{"id": 1, "name": "one"}, {"id": 2, "name": "two"}}
	server := func(wrong bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/parts" {
				writeJSON(w, http.StatusOK, map[string]any{"data": []map[string]any{{"item": 1, "part": "a"}, {"item": 2, "part": "a"}}})
				return
			}
			if rest, ok := strings.CutPrefix(r.URL.Path, "/parts/"); ok {
				n, err := strconv.Atoi(rest)
				if err != nil {
					problem(w, http.StatusNotFound, "no such item")
					return
				}
				writeJSON(w, http.StatusOK, map[string]any{"data": []map[string]any{{"item": n, "part": "a"}, {"item": n, "part": "b"}}})
				return
			}
			if r.URL.Path == "/items" {
				writeJSON(w, http.StatusOK, map[string]any{"data": items})
				return
			}
			for i, it := range items {
				if "/items/"+strconv.Itoa(it["id"].(int)) == r.URL.Path {
					if wrong {
						it = items[(i+1)%len(items)]
					}
					writeJSON(w, http.StatusOK, map[string]any{"data": it})
					return
				}
			}
			problem(w, http.StatusNotFound, "no such item")
		})
	}
	passes(t, run(t, envelopeSpec, server(false)), "rest-lookups")
	catches(t, run(t, envelopeSpec, server(true)), "rest-lookups", "got another record")
}
