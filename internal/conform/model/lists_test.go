package model

import "testing"

// TestFirstPageAndAccept: a page parameter counts from its minimum, else
// from its default when that is 0 or 1, else from 1 (Directus' and
// GitHub's pages document no minimum); a contract with an answer in no
// JSON type (Directus' text/plain asset) is asked with */* last.
func TestFirstPageAndAccept(t *testing.T) {
	a := loadDoc(t, `openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /a:
    get:
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}}}}}
  /b:
    get:
      parameters: [{name: page, in: query, schema: {type: integer, minimum: 0}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}}}}}
  /c:
    get:
      parameters: [{name: page, in: query, schema: {type: integer, default: 0}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}}}}}
  /asset:
    get:
      responses: {"200": {description: ok, content: {text/plain: {schema: {type: string}}}}}
`)
	want := map[string]int{"/a": 1, "/b": 0, "/c": 0}
	for _, l := range a.Lists() {
		if w, ok := want[l.Op.Path]; ok && l.PageMin != w {
			t.Errorf("%s: first page %d, want %d", l.Op.Path, l.PageMin, w)
		}
		delete(want, l.Op.Path)
	}
	if len(want) > 0 {
		t.Errorf("lists not found: %v", want)
	}
	if got := a.Accept(); got != "application/json, */*;q=0.1" {
		t.Errorf("Accept = %q, want application/json, */*;q=0.1", got)
	}
}
