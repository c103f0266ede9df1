package openapi

import (
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

func schema(t *testing.T, src string) *openapi3.Schema {
	t.Helper()
	var s openapi3.Schema
	if err := s.UnmarshalJSON([]byte(src)); err != nil {
		t.Fatal(err)
	}
	return &s
}

// TestReasons: the violations of kin-openapi's validators, read by their
// types: pointers from SchemaError.JSONPointer (an undeclared property
// pointed at), JSON Schema 2020-12 causes one by one, integer bounds as
// integers, the part of a request named.
func TestReasons(t *testing.T) {
	obj := `{"type":"object","required":["id"],"additionalProperties":false,"properties":{"id":{"type":"integer","maximum":2147483647},"tags":{"type":"array","items":{"type":"string","maxLength":2}}}}`
	tests := []struct {
		name   string
		schema string
		value  any
		opts   []openapi3.SchemaValidationOption
		want   []string
	}{
		{"missing and undeclared", obj, map[string]any{"b": 1.0, "a": 1.0},
			nil, []string{`at /a: property "a" is unsupported`, `at /b: property "b" is unsupported`, `at /id: property "id" is missing`}},
		// regression: kin-openapi words the bound with %g (2.147483647e+09)
		{"integer bound", obj, map[string]any{"id": 3e9}, nil, []string{"at /id: number must be at most 2147483647"}},
		{"nested", obj, map[string]any{"id": 1.0, "tags": []any{"abc"}}, nil, []string{"at /tags/0: maximum string length is 2"}},
		{"3.1: each cause", obj, map[string]any{"tags": []any{"abc", 1.0}}, []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020()},
			[]string{"missing property 'id'", "at /tags/0: maxLength: got 3, want 2", "at /tags/1: got number, want string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, tt.opts...)
			err := schema(t, tt.schema).VisitJSON(tt.value, opts...)
			if got := Reasons(err, FlattenOptions{}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Reasons = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRequestErrorNamesThePart(t *testing.T) {
	s := schema(t, `{"type":"integer","minimum":1}`)
	inner := s.VisitJSON(0.0, openapi3.MultiErrors())
	err := openapi3.MultiError{
		&openapi3filter.RequestError{Parameter: &openapi3.Parameter{Name: "limit", In: "query"}, Err: inner},
		&openapi3filter.RequestError{RequestBody: &openapi3.RequestBody{}, Reason: "value is required but missing"},
		&openapi3filter.SecurityRequirementsError{},
	}
	want := []string{`parameter "limit" in query: number must be at least 1`, "request body: value is required but missing"}
	if got := Reasons(err, FlattenOptions{}); !reflect.DeepEqual(got, want) {
		t.Errorf("Reasons = %q, want %q", got, want)
	}
}

// TestBranches: with Branches, a failed allOf reports its branch's
// violation at the field.
func TestBranches(t *testing.T) {
	s := schema(t, `{"allOf":[{"type":"object","properties":{"n":{"type":"integer"}}}]}`)
	err := s.VisitJSON(map[string]any{"n": "x"}, openapi3.MultiErrors())
	got := Flatten(err, FlattenOptions{Branches: true})
	if len(got) != 1 || got[0].Pointer != "/n" {
		t.Errorf("Flatten = %+v, want one violation at /n", got)
	}
}

// TestAmbiguousOneOf: with AmbiguousOneOf, a value two branches of a oneOf
// accept passes, yet is still held to what the schema says beside the
// oneOf (kin-openapi stops at the oneOf: the polymorphism example's
// {type: string, oneOf: [two descriptions]} had taken 12345).
func TestAmbiguousOneOf(t *testing.T) {
	overlapping := `{"oneOf":[{"type":"object","properties":{"a":{"type":"string"}}},{"type":"object","properties":{"b":{"type":"string"}}}]}`
	typed := `{"type":"object","properties":{"event":{"type":"string","oneOf":[{"description":"one"},{"description":"two"}]}}}`
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	for _, tt := range []struct {
		name, schema string
		value        any
		want         []string
	}{
		{"two branches accept it", overlapping, map[string]any{"a": "x"}, []string{}},
		{"no branch accepts it", overlapping, map[string]any{"a": 1.0, "b": 1.0}, nil},
		{"beside the oneOf: kept", typed, map[string]any{"event": "x"}, []string{}},
		{"beside the oneOf: refused", typed, map[string]any{"event": 12345.0}, []string{"at /event: value must be a string"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := schema(t, tt.schema).VisitJSON(tt.value, opts...)
			got := Reasons(err, FlattenOptions{AmbiguousOneOf: true, Validate: opts})
			switch {
			case tt.want == nil && len(got) == 0:
				t.Errorf("Reasons = none, want a violation")
			case tt.want != nil && !reflect.DeepEqual(got, tt.want):
				t.Errorf("Reasons = %q, want %q", got, tt.want)
			}
		})
	}
}
