package source

import (
	"strings"
	"testing"
)

// TestLocateJSON places pointers in a JSON document: members at their
// keys, elements at their values, escaped keys, a missing pointer at its
// longest prefix present, and broken or absurdly nested data without a
// panic.
func TestLocateJSON(t *testing.T) {
	doc := "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/pets/{id}\": {\"get\": {\"x\": [1, {\"a~b\": true}]}},\n    \"/skipped\": {\"get\": {\"s\": \"a \\\" } ] string\"}}\n  },\n  \"ünï\": {\"k\": 1}\n}\n"
	got := LocateJSON([]byte(doc), []string{
		"/openapi",
		"/paths/~1pets~1{id}/get",
		"/paths/~1pets~1{id}/get/x/1/a~0b",
		"/paths/~1pets~1{id}/get/missing/deeper",
		"/ünï/k",
		"/nowhere",
	})
	want := map[string]Pos{
		"/openapi":                               {2, 3},
		"/paths/~1pets~1{id}/get":                {4, 20},
		"/paths/~1pets~1{id}/get/x/1/a~0b":       {4, 38},
		"/paths/~1pets~1{id}/get/missing/deeper": {4, 20},
		"/ünï/k":                                 {7, 11},
		"/nowhere":                               {1, 1},
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s at %v, want %v", p, got[p], w)
		}
	}
	for _, bad := range []string{"", "{", `{"a": [1, 2`, strings.Repeat("[", 100000), `{"a" 1}`, "\ufeff{\"a\": 1}"} {
		_ = LocateJSON([]byte(bad), []string{"/a", "/a/0"})
	}
	if got := LocateJSON([]byte("\ufeff{\"a\": 1}"), []string{"/a"}); got["/a"] != (Pos{1, 3}) {
		t.Errorf("after a byte-order mark: %v", got)
	}
}

// FuzzLocateJSON: any bytes and pointer are located or not, never a panic.
func FuzzLocateJSON(f *testing.F) {
	f.Add([]byte(`{"a": {"b": [1, {"c": "d"}]}}`), "/a/b/1/c")
	f.Add([]byte(`[[[[`), "/0/0")
	f.Fuzz(func(t *testing.T, data []byte, ptr string) {
		_ = LocateJSON(data, []string{ptr})
	})
}
