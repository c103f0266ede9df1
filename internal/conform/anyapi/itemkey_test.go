package anyapi

import (
	"net/http"
	"strings"
	"testing"
)

// namedSpec keys its collections by name under a parameter called id,
// beside a list whose records have integer ids (as Directus does with
// /collections/{id} and /activity).
const namedSpec = `openapi: 3.0.3
info: {title: named, version: "1"}
paths:
  /activity:
    get:
      operationId: listActivity
      responses:
        "200":
          description: the activity
          content:
            application/json:
              schema: {type: array, items: {type: object, required: [id], properties: {id: {type: integer}}}}
  /collections:
    get:
      operationId: listCollections
      responses:
        "200":
          description: the collections
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Collection"}}
  /collections/{id}:
    get:
      operationId: getCollection
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: one collection
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Collection"}
        "404": {description: no such collection}
components:
  schemas:
    Collection:
      type: object
      required: [collection]
      properties:
        collection: {type: string}
        note: {type: string}
`

// TestItemKeyFromItsOwnList: the id of /collections/{id} is read from
// /collections (its records' collection, the field named as the list),
// not from the first list with an id field (/activity's 7), which names
// no collection.
func TestItemKeyFromItsOwnList(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/activity":
			writeJSON(w, http.StatusOK, []map[string]any{{"id": 7}})
		case r.URL.Path == "/collections":
			writeJSON(w, http.StatusOK, []map[string]any{{"collection": "articles"}, {"collection": "authors"}})
		case strings.HasPrefix(r.URL.Path, "/collections/"):
			name := strings.TrimPrefix(r.URL.Path, "/collections/")
			if name != "articles" && name != "authors" {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"collection": name})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	passes(t, run(t, namedSpec, h), "rest-success")
}
