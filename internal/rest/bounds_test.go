package rest

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestIntegerBounds: kin-openapi words an integer's bound with %g; the mock
// says the integer.
func TestIntegerBounds(t *testing.T) {
	integer := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeInteger}}
	number := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeNumber}}
	for _, tc := range []struct {
		schema   *openapi3.Schema
		in, want string
	}{
		{integer, "number must be at most 2.147483647e+09", "number must be at most 2147483647"},
		{integer, "number must be at least -1e+06", "number must be at least -1000000"},
		{integer, "number must be at most 100", "number must be at most 100"},
		{number, "number must be at most 2.5e+09", "number must be at most 2.5e+09"},
		{nil, "number must be at most 2e+09", "number must be at most 2e+09"},
	} {
		if got := integerBounds(&openapi3.SchemaError{Schema: tc.schema}, tc.in); got != tc.want {
			t.Errorf("integerBounds(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
