package anyapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// ordersSpec lets a client choose an order's id, as the petstore's
// POST /store/order does.
const ordersSpec = `openapi: 3.0.3
info: {title: orders, version: "1"}
paths:
  /orders:
    post:
      operationId: placeOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Order"}
      responses:
        "200":
          description: placed
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
        "400": {description: Invalid Order}
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: an order
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
        "404": {description: no such order}
components:
  schemas:
    Order:
      type: object
      required: [item]
      properties:
        id: {type: integer}
        item: {type: string}
`

// TestCreateNamingAKeyTaken: a creation whose body (made from the
// contract) names an id the server holds may be refused, whatever the
// status: the read of that id shows the server holds it. A server that
// refuses every creation is still caught, on the body without an id.
func TestCreateNamingAKeyTaken(t *testing.T) {
	t.Run("records as they are", func(t *testing.T) { createNamingAKeyTaken(t, false) })
	// Directus' way: the read answers {"data": {...}}
	t.Run("records in an envelope", func(t *testing.T) { createNamingAKeyTaken(t, true) })
}

func createNamingAKeyTaken(t *testing.T, envelope bool) {
	spec := ordersSpec
	if envelope {
		const read = `        "200":
          description: an order
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}`
		if !strings.Contains(spec, read) {
			t.Fatal("ordersSpec changed: its read is not where this test wraps it")
		}
		spec = strings.Replace(spec, read, `        "200":
          description: an order
          content:
            application/json:
              schema: {type: object, properties: {data: {$ref: "#/components/schemas/Order"}}}`, 1)
	}
	server := func(refuseAll bool) http.Handler {
		var mu sync.Mutex
		orders := map[int]map[string]any{1: {"id": 1, "item": "kept"}}
		next := 100
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if rest, ok := strings.CutPrefix(r.URL.Path, "/orders/"); ok {
				n, _ := strconv.Atoi(rest)
				if o, ok := orders[n]; ok {
					if envelope {
						writeJSON(w, http.StatusOK, map[string]any{"data": o})
						return
					}
					writeJSON(w, http.StatusOK, o)
					return
				}
				problem(w, http.StatusNotFound, "no such order")
				return
			}
			var o map[string]any
			if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&o) != nil || refuseAll {
				problem(w, http.StatusBadRequest, "invalid order")
				return
			}
			id := next
			if v, ok := o["id"]; ok {
				f, isNumber := v.(float64)
				item, isText := o["item"].(string)
				if !isNumber || !isText || item == "" {
					problem(w, http.StatusBadRequest, "invalid order")
					return
				}
				id = int(f)
			} else if _, isText := o["item"].(string); !isText {
				problem(w, http.StatusBadRequest, "invalid order")
				return
			}
			if _, taken := orders[id]; taken {
				problem(w, http.StatusBadRequest, "that id is taken")
				return
			}
			next++
			o["id"] = id
			orders[id] = o
			writeJSON(w, http.StatusOK, o)
		})
	}
	passes(t, run(t, spec, server(false)), "rest-write-bodies")
	catches(t, run(t, spec, server(true)), "rest-write-bodies", "the required fields, generated")
}
