package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// TestLikeEncodingJSON: for JSON-shaped values the output is json.Marshal's,
// byte for byte, including the escaping of HTML characters, control
// characters, U+2028/U+2029 and invalid UTF-8.
func TestLikeEncodingJSON(t *testing.T) {
	tests := []any{
		nil, true, false, "", "plain", `quote " backslash \ slash /`, "<a href='x'>&amp;</a>",
		"\b\f\n\r\t\x00\x01\x1f\x7f", "line\u2028para\u2029", "bad \xff utf-8 \xc3", "ünïcødé 日本 🎉",
		0.0, math.Copysign(0, -1), 1.0, -1.5, 1e-7, 1e21, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64,
		float32(3.14), float32(1e-7), 42, int64(-7), int32(8), uint64(math.MaxUint64),
		[]any{}, []any{1.0, "x", nil, []any{true}}, map[string]any{}, map[string]any{"b": 1.0, "a": "<", "&": map[string]any{"z": nil}},
		json.Number("12.5"), map[string]string{"k": ">"}, struct{ A int }{1},
	}
	for _, v := range tests {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		got, err := Marshal(v)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%#v:\n got %s (%v)\nwant %s", v, got, err, want)
		}
	}
}

// TestKeptWhole: the two documented departures from json.Marshal.
func TestKeptWhole(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{[]any(nil), `[]`},
		{map[string]any{"x": math.NaN(), "y": math.Inf(-1)}, `{"x":null,"y":null}`},
	} {
		if got, err := Marshal(tt.v); err != nil || string(got) != tt.want {
			t.Errorf("%#v: got %s (%v), want %s", tt.v, got, err, tt.want)
		}
	}
	if _, err := Marshal(map[string]any{"c": make(chan int)}); err == nil {
		t.Error("a channel was encoded")
	}
	if got, _ := Append([]byte("x"), func() {}); string(got) != "x" {
		t.Errorf("failed Append changed the buffer: %q", got)
	}
}

// FuzzLikeEncodingJSON: any JSON document, decoded, and any string are
// written as json.Marshal writes them (byte for byte), and decode back to
// the same value.
func FuzzLikeEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,"<&>"],"b":null}`, `"\u2028\b"`, `1e300`, `[{"":{}}]`, "\xff"} {
		f.Add([]byte(s), s)
	}
	f.Fuzz(func(t *testing.T, doc []byte, s string) {
		values := []any{s, map[string]any{s: []any{s}}}
		var v any
		if json.Unmarshal(doc, &v) == nil {
			values = append(values, v)
		}
		for _, v := range values {
			want, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%#v:\n got %s\nwant %s", v, got, want)
			}
			var a, b any
			if err := json.Unmarshal(got, &a); err != nil {
				t.Fatalf("output %s is not JSON: %v", got, err)
			}
			_ = json.Unmarshal(want, &b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s and %s decode differently", got, want)
			}
		}
	})
}
