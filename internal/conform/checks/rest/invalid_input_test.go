package rest

import (
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestSchemaViolations(t *testing.T) {
	min, max := 1.0, 100.0
	ml := uint64(3)
	for _, tc := range []struct {
		name string
		s    *openapi3.Schema
		want []string
	}{
		{"integer with a range", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Min: &min, Max: &max}, []string{"abc", "1.5", "0", "101"}},
		{"uuid", &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "uuid"}, []string{"not-a-uuid"}},
		{"enum", &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"a"}}, []string{"STANDIN_NOT_A_VALUE"}},
		{"pattern and length", &openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: "^[A-Z]{2}$", MaxLength: &ml}, []string{"!", "aaaa"}},
		{"free string", &openapi3.Schema{Type: &openapi3.Types{"string"}, MinLength: 1}, nil},
	} {
		var got []string
		for _, v := range schemaViolations(tc.s) {
			got = append(got, v[0])
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
