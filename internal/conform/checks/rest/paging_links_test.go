package rest

import (
	"net/http"
	"reflect"
	"testing"
)

func TestPageLinks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header string
		body   any
		want   map[string]string
	}{
		{"RFC 8288 header", `</items?page=2>; rel="next", </items?page=0>; rel="prev first"`, nil,
			map[string]string{"next": "/items?page=2", "prev": "/items?page=0", "first": "/items?page=0"}},
		{"a comma inside the URL", `</items?ids=1,2>; rel=next`, nil, map[string]string{"next": "/items?ids=1,2"}},
		{"links array", "", map[string]any{"links": []any{map[string]any{"rel": "Next", "href": "/c?page=1"}, map[string]any{"rel": "self"}}},
			map[string]string{"next": "/c?page=1"}},
		{"HAL", "", map[string]any{"_links": map[string]any{"next": map[string]any{"href": "/c?page=1"}}}, map[string]string{"next": "/c?page=1"}},
		{"none", "", map[string]any{"links": "x"}, map[string]string{}},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Link", tc.header)
		}
		if got := pageLinks(h, tc.body); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzPageLinks: any Link header is read without a panic, and every link
// it yields has a relation.
func FuzzPageLinks(f *testing.F) {
	f.Add(`</a?page=2>; rel="next"`)
	f.Add(`<>;rel=`)
	f.Add(`<</x>>; rel="next prev", <y>`)
	f.Fuzz(func(t *testing.T, header string) {
		h := http.Header{}
		h.Set("Link", header)
		for rel := range pageLinks(h, nil) {
			if rel == "" {
				t.Errorf("a link without a relation from %q", header)
			}
		}
	})
}
