package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestFirstPage: a page parameter's first page is its minimum, else its
// default when 0 or 1, else 1; no parameter, 0.
func TestFirstPage(t *testing.T) {
	zero, two := 0.0, 2.0
	for _, c := range []struct {
		name string
		s    *openapi3.Schema
		want int
	}{
		{"no parameter", nil, 0},
		{"minimum 0 (the marketplace)", &openapi3.Schema{Min: &zero, Default: 0.0}, 0},
		{"minimum 2", &openapi3.Schema{Min: &two}, 2},
		{"default 1, no minimum (GitHub)", &openapi3.Schema{Default: 1.0}, 1},
		{"default 0, no minimum", &openapi3.Schema{Default: 0}, 0},
		{"default 5 says nothing of the first", &openapi3.Schema{Default: 5.0}, 1},
		{"nothing (Directus)", &openapi3.Schema{}, 1},
	} {
		if got := FirstPage(c.s); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
