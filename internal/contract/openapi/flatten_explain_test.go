package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// TestResponsePart: a response validator's error is placed at the header
// or the status it names, else in the body.
func TestResponsePart(t *testing.T) {
	for _, tt := range []struct{ reason, want string }{
		{`response header "X-Rate" doesn't match schema`, `response header "X-Rate"`},
		{`response header "Location" missing`, `response header "Location"`},
		{`status is not supported`, InResponseStatus},
		{`response Content-Type text/html is not declared`, `response header "Content-Type"`},
		{`response body doesn't match schema`, "response body"},
	} {
		if got := responsePart(tt.reason); got != tt.want {
			t.Errorf("responsePart(%q) = %q, want %q", tt.reason, got, tt.want)
		}
	}
	err := &openapi3filter.ResponseError{Reason: `response header "X-Rate" doesn't match schema`,
		Err: &openapi3.SchemaError{Value: "x", Reason: "value must be an integer"}}
	vs := Flatten(err, FlattenOptions{Got: true})
	if len(vs) != 1 || vs[0].In != `response header "X-Rate"` || vs[0].Reason != `value must be an integer (got "x")` {
		t.Errorf("Flatten = %+v", vs)
	}
}
