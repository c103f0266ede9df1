package usererr

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONError(t *testing.T) {
	tests := []struct {
		name, doc string
		into      func() any
		want      string
	}{
		{"missing comma", "[\n  {\"id\": 1}\n  {\"id\": 2}\n]\n", func() any { return new([]any) }, "f.json:3:3: JSON syntax: invalid character '{' after array element; check the JSON syntax here"},
		{"trailing comma", "[\n  {\"id\": 1},\n]\n", func() any { return new([]any) }, "f.json:3:1: JSON syntax: invalid character ']'"},
		{"cut short", "[\n  {\"id\": 1\n", func() any { return new([]any) }, "f.json:3:1: JSON syntax: unexpected end of JSON input; the file ends early"},
		{"an object, not an array", "\n  {\"id\": 1}\n", func() any { return new([]any) }, "f.json:2:3: a JSON object where a JSON array of records is wanted; the file must hold a JSON array of records"},
		{"a string, not an array", "\"x\"", func() any { return new([]any) }, "f.json:1:1: a JSON string where"},
		{"a nested wrong type", "{\"a\": [{\"b\": 1}, {\"b\": \"x\"}]}", func() any { return new(struct{ A []struct{ B int } }) }, "f.json:1:24: A.B: a JSON string where a int is wanted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tc.doc), tc.into())
			if err == nil {
				t.Fatal("no error from json.Unmarshal")
			}
			got := JSONError("f.json", []byte(tc.doc), err, "a JSON array of records")
			if _, ok := Find(got); !ok || !strings.Contains(got.Error(), tc.want) {
				t.Errorf("got %v\nwant it to contain %s", got, tc.want)
			}
		})
	}
}

func TestJSONPlace(t *testing.T) {
	doc := "[\n  {\"id\": 1, \"name\": \"a\"},\n  {\n    \"id\": 2,\n    \"tags\": [\"x\", {\"k~/\": \"é\"}],\n    \"name\": \"ünï\"\n  }\n]\n"
	for _, tc := range []struct{ ptr, want string }{
		{"", "f:1:1"},
		{"/0", "f:2:3"},
		{"/0/name", "f:2:21"},
		{"/1", "f:3:3"},
		{"/1/tags/1/k~0~1", "f:5:27"},
		{"/1/name", "f:6:13"},
		{"/1/missing", "f:3:3"},
		{"/5", "f:1:1"},
	} {
		if got := JSONPlace("f", []byte(doc), tc.ptr).String(); got != tc.want {
			t.Errorf("JSONPlace(%q) = %s, want %s", tc.ptr, got, tc.want)
		}
	}
}

// FuzzJSONPlace: any text and pointer give a place inside the text, never
// a panic.
func FuzzJSONPlace(f *testing.F) {
	f.Add(`[{"a": [1, {"b": "\"x"}]}]`, "/0/a/1/b")
	f.Add(`{"a`, "/a")
	f.Add(`[1, 2`, "/1")
	f.Fuzz(func(t *testing.T, doc, ptr string) {
		p := JSONPlace("f", []byte(doc), ptr)
		lines := strings.Count(doc, "\n") + 1
		if p.Line < 1 || p.Line > lines || p.Col < 1 {
			t.Fatalf("place %v outside %q", p, doc)
		}
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			if _, ok := Find(JSONError("f", []byte(doc), err, "JSON")); !ok {
				t.Fatalf("JSONError(%v) is not placed", err)
			}
		}
	})
}
