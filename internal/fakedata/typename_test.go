package fakedata_test

import (
	"testing"

	"github.com/standin/standin/internal/fakedata"
)

func TestTypeName(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{"x", "a string"},
		{1.5, "a number"},
		{true, "a boolean"},
		{[]any{1.0}, "a list"},
		{map[string]any{}, "an object"},
		{int64(3), "int64"},
	}
	for _, tc := range tests {
		if got := fakedata.TypeName(tc.v); got != tc.want {
			t.Errorf("TypeName(%#v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// TestTypeNameWith: the caller's word for a list, TypeName's for the rest.
func TestTypeNameWith(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{[]any{}, "an array"},
		{map[string]any{}, "an object"},
		{nil, "null"},
		{int64(3), "int64"},
	}
	for _, tc := range tests {
		if got := fakedata.TypeNameWith(tc.v, "an array"); got != tc.want {
			t.Errorf("TypeNameWith(%#v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
