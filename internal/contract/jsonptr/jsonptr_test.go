package jsonptr

import (
	"reflect"
	"testing"
)

func TestFormatAndSplit(t *testing.T) {
	tests := []struct {
		tokens []string
		ptr    string
	}{
		{nil, ""},
		{[]string{""}, "/"},
		{[]string{"a"}, "/a"},
		{[]string{"paths", "/pets/{id}", "get"}, "/paths/~1pets~1{id}/get"},
		{[]string{"m~n", "~1"}, "/m~0n/~01"},
		{[]string{"a", "0", ""}, "/a/0/"},
	}
	for _, tt := range tests {
		if got := Format(tt.tokens...); got != tt.ptr {
			t.Errorf("Format(%q) = %q, want %q", tt.tokens, got, tt.ptr)
		}
		if got := Split(tt.ptr); !reflect.DeepEqual(got, tt.tokens) {
			t.Errorf("Split(%q) = %q, want %q", tt.ptr, got, tt.tokens)
		}
	}
	if got := Append("/a", "b/c"); got != "/a/b~1c" {
		t.Errorf("Append = %q", got)
	}
}

// FuzzRoundTrip: Split undoes Format for any tokens.
func FuzzRoundTrip(f *testing.F) {
	f.Add("a", "b/c")
	f.Add("~0", "~1/~")
	f.Fuzz(func(t *testing.T, a, b string) {
		got := Split(Format(a, b))
		if !reflect.DeepEqual(got, []string{a, b}) {
			t.Fatalf("Split(Format(%q, %q)) = %q", a, b, got)
		}
	})
}
