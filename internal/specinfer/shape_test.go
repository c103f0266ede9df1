package specinfer

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/internal/manifest"
)

// shapeSchemas loads testdata/schemas/shapes.yaml's component schemas.
func shapeSchemas(t *testing.T) openapi3.Schemas {
	t.Helper()
	doc, _, err := LoadOpenAPI(os.DirFS("testdata/schemas"), "shapes.yaml", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}

func TestProjection(t *testing.T) {
	s := shapeSchemas(t)
	tests := []struct {
		name, out string
		fields    map[string]string
		missing   []string
	}{
		{"summary: same names, nested words, optional fields only when always there or nullable", "Summary",
			map[string]string{"isbn": "isbn", "authorName": "author.name", "author_country": "author.country"}, nil},
		{"a smaller nested object is projected field by field", "Short", map[string]string{"isbn": "isbn", "author.name": "author.name"}, nil},
		{"a required field without a record field is missing", "Unfillable", map[string]string{"isbn": "isbn"}, []string{"price"}},
		{"the record's own schema: as stored", "Book", nil, nil},
		{"the same field names: as stored", "Same", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s["Book"].Value
			out := s[tt.out].Value
			if tt.out == "Book" {
				out = rec
			}
			fields, missing := projection(out, rec)
			if !reflect.DeepEqual(fields, tt.fields) || !reflect.DeepEqual(missing, tt.missing) {
				t.Errorf("projection = %v, missing %v; want %v, missing %v", fields, missing, tt.fields, tt.missing)
			}
		})
	}
}

func TestListEnvelope(t *testing.T) {
	s := shapeSchemas(t)
	offset := &manifest.Paging{Offset: "offset", Limit: "limit"}
	page := &manifest.Paging{Style: manifest.PagingPage, Page: "page", Size: "size"}
	tests := []struct {
		name, schema, prop string
		pg                 *manifest.Paging
		env                map[string]any
		missing            []string
	}{
		{"allOf: success flag, counts, constants, empty object; optional strings left out", "Page", "data", offset,
			map[string]any{"data": "{{items}}", "ok": true, "hasMore": false, "total": "{{page.totalElements}}", "kind": "page", "meta": map[string]any{}}, nil},
		{"unpaged: the total is still the count", "Page", "data", nil,
			map[string]any{"data": "{{items}}", "ok": true, "hasMore": false, "total": "{{page.totalElements}}", "kind": "page", "meta": map[string]any{}}, nil},
		{"page style: number and pages; a cursor cannot be filled", "PagedPage", "items", page,
			map[string]any{"items": "{{items}}", "number": "{{page.number}}", "pages": "{{page.totalPages}}", "size": "{{page.size}}"}, []string{"cursor"}},
		{"offset style has no page number", "PagedPage", "items", offset,
			map[string]any{"items": "{{items}}", "size": "{{page.size}}"}, []string{"number", "pages", "cursor"}},
		{"the list one object down: figures beside it, constants around", "WrappedPage", "result.books", offset,
			map[string]any{"result": map[string]any{"books": "{{items}}", "hasMore": false, "total": "{{page.totalElements}}"}, "code": 2000.0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch := s[tt.schema].Value
			if items, way := listItems(s[tt.schema]); items == nil || strings.Join(way, ".") != tt.prop {
				t.Fatalf("listItems = %v, %q; want the array %q", items, way, tt.prop)
			}
			env, missing := listEnvelope(sch, strings.Split(tt.prop, "."), tt.pg)
			if !reflect.DeepEqual(env, tt.env) || !reflect.DeepEqual(missing, tt.missing) {
				t.Errorf("envelope = %v, missing %v; want %v, missing %v", env, missing, tt.env, tt.missing)
			}
		})
	}
}

func TestErrorBody(t *testing.T) {
	s := shapeSchemas(t)
	tests := []struct {
		schema string
		want   any
	}{
		{"FlatError", map[string]any{"code": "{{status}}", "message": "{{message}}"}},
		{"NestedError", map[string]any{"error": map[string]any{"code": "{{code}}", "message": "{{message}}"}}},
		{"Problem", map[string]any{"type": "about:blank", "title": "{{message}}", "status": "{{status}}", "detail": "{{message}}"}},
		{"StringStatus", map[string]any{"status": "error", "message": "{{message}}"}},
		{"NoMessage", nil},
		{"ErrorList", map[string]any{"errors": []any{map[string]any{"message": "{{message}}", "extensions": map[string]any{"code": "{{code}}"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.schema, func(t *testing.T) {
			got := errorBody(s[tt.schema].Value, 0)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errorBody = %#v, want %#v", got, tt.want)
			}
		})
	}
}
