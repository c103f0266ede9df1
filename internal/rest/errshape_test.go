package rest

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestStatusFor: a problem is answered with the first of its alternatives
// the operation documents (exactly or by class), else its preferred status.
func TestStatusFor(t *testing.T) {
	op := func(codes ...string) *openapi3.Operation {
		rs := openapi3.NewResponses()
		for _, c := range codes {
			rs.Set(c, &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(c)})
		}
		return &openapi3.Operation{Responses: rs}
	}
	described := func(codes map[string]string) *openapi3.Operation {
		rs := openapi3.NewResponses()
		for c, d := range codes {
			rs.Set(c, &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(d)})
		}
		return &openapi3.Operation{Responses: rs}
	}
	for _, c := range []struct {
		name    string
		o       *openapi3.Operation
		problem int
		want    int
	}{
		{"invalid, 422 documented", op("200", "422"), statusInvalid, 422},
		{"invalid, 400 and 422 documented", op("200", "400", "422"), statusInvalid, 422},
		{"invalid, 400 documented", op("200", "400"), statusInvalid, 400},
		{"invalid, neither", op("200", "404"), statusInvalid, 400},
		{"invalid, 4XX documented", op("200", "4XX"), statusInvalid, 422},
		{"unreadable, 400 and 422 documented", op("400", "422"), 400, 400},
		{"unreadable, 422 only", op("422"), 400, 422},
		{"a bad path parameter, 404 only", op("200", "404"), statusInvalidPath, 404},
		{"a bad path parameter, 400 documented", op("400", "404"), statusInvalidPath, 400},
		{"conflict, 409 documented", op("409", "422"), 409, 409},
		{"conflict, 422 documented", op("201", "422"), 409, 422},
		{"conflict, 400 documented", op("201", "400"), 409, 400},
		{"conflict, none", op("201"), 409, 409},
		{"unsupported media type, 400 documented", op("400"), 415, 400},
		{"not found, 400 documented: no alternative", op("400"), 404, 404},
		{"unauthorized", op("200"), 401, 401},
		{"unauthorized, 401 and 403 documented", op("200", "401", "403"), 401, 401},
		{"unauthorized, 403 alone documented (Figma)", op("200", "403"), 401, 403},
		{"invalid, neither, 405 described as invalid input", described(map[string]string{"405": "Invalid input", "404": "Pet not found"}), statusInvalid, 405},
		{"unreadable, neither, 405 described as a validation exception", described(map[string]string{"405": "Validation exception"}), 400, 405},
		{"invalid, 400 documented before a described 405", described(map[string]string{"400": "Invalid ID supplied", "405": "Validation exception"}), statusInvalid, 400},
		{"invalid, the lowest described wins", described(map[string]string{"418": "Invalid teapot", "405": "Invalid input"}), statusInvalid, 405},
		{"invalid, statuses with their own meaning are not taken", described(map[string]string{"404": "Invalid ID", "409": "Validation conflict", "401": "Invalid token"}), statusInvalid, 400},
		{"invalid, a description that says nothing of it", described(map[string]string{"405": "Method not allowed"}), statusInvalid, 400},
		{"invalid, a word inside another is not one", described(map[string]string{"405": "Revalidation needed"}), statusInvalid, 400},
		{"not found, described 405 not taken", described(map[string]string{"405": "Invalid input"}), 404, 404},
	} {
		if got := statusFor(c.o, c.problem); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// TestWithSlots: the message goes in every message-like string field (or
// one object down, or in the first of an array of errors), the status in
// numeric or plain string status fields, the code in a plain string code
// field (beside the message or one object down); an example keeps its own
// text for a problem without one.
func TestWithSlots(t *testing.T) {
	str := &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}
	num := &openapi3.SchemaRef{Value: openapi3.NewIntegerSchema()}
	enum := &openapi3.SchemaRef{Value: openapi3.NewStringSchema().WithEnum("a", "b")}
	inner := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"code": str, "message": str}}
	outer := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"error": {Value: inner}, "kind": enum}}
	body, ok := withSlots(map[string]any{"error": map[string]any{"code": "x", "message": "y"}, "kind": "a"}, outer, 0, true)
	if !ok {
		t.Fatal("no message slot one level down")
	}
	got := fillSlots(body, &problemText{msg: "", defaultMsg: "Not found", defaultCode: "NOT_FOUND", status: 404})
	want := map[string]any{"error": map[string]any{"code": "x", "message": "y"}, "kind": "a"}
	if !jsonEqual(got, want) {
		t.Errorf("example kept: %v, want %v", got, want)
	}
	got = fillSlots(body, &problemText{msg: "bad", code: "BAD", status: 400})
	want = map[string]any{"error": map[string]any{"code": "BAD", "message": "bad"}, "kind": "a"}
	if !jsonEqual(got, want) {
		t.Errorf("problem's own text: %v, want %v", got, want)
	}
	flat := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"title": str, "detail": str, "status": num, "type": str}}
	body, _ = withSlots(map[string]any{"title": "t", "detail": "d", "status": 1, "type": "about:blank"}, flat, 0, false)
	got = fillSlots(body, &problemText{msg: "m", status: 422})
	want = map[string]any{"title": "m", "detail": "m", "status": 422, "type": "about:blank"}
	if !jsonEqual(got, want) {
		t.Errorf("RFC 7807: %v, want %v", got, want)
	}
	// an array of errors (Directus, JSON:API): the first, its code one
	// object down; generated values give way to the problem's
	ext := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"code": str}}
	item := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"message": str, "extensions": {Value: ext}}}
	list := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"errors": {Value: &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: &openapi3.SchemaRef{Value: item}}}}}
	generated := map[string]any{"errors": []any{
		map[string]any{"message": "Budget latency for problem.", "extensions": map[string]any{"code": "which"}},
		map[string]any{"message": "another", "extensions": map[string]any{"code": "x"}},
	}}
	body, ok = withSlots(generated, list, 0, false)
	if !ok {
		t.Fatal("no message slot in an array of errors")
	}
	got = fillSlots(body, &problemText{defaultMsg: "Not found", defaultCode: "NOT_FOUND", status: 404})
	want = map[string]any{"errors": []any{map[string]any{"message": "Not found", "extensions": map[string]any{"code": "NOT_FOUND"}}}}
	if !jsonEqual(got, want) {
		t.Errorf("array of errors: %v, want %v", got, want)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := appendJSONValue(a)
	y, _ := appendJSONValue(b)
	return string(x) == string(y)
}

func appendJSONValue(v any) ([]byte, error) { return appendJSON(nil, v), nil }

// TestFillSlotsFitTheField: a value the field's schema refuses (an enum
// behind allOf, a bound, a maxLength) gives way to the enum value that
// says the problem, a message cut at a word, or the template's value.
func TestFillSlotsFitTheField(t *testing.T) {
	e := loadBooks(t).eng
	wrap := func(s *openapi3.Schema) *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: s}}}}
	}
	codes := openapi3.NewStringSchema().WithEnum("auto_fund_not_supported", "invalid_address", "invalid_field_value", "resource_not_found")
	status := openapi3.NewIntegerSchema().WithMin(1000)
	short := openapi3.NewStringSchema().WithMaxLength(12)
	item := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{
		"error_code": wrap(codes), "status": {Value: status}, "message": {Value: short}}}
	list := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{
		"errors": {Value: &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: &openapi3.SchemaRef{Value: item}}}}}
	generated := map[string]any{"errors": []any{map[string]any{"error_code": "auto_fund_not_supported", "status": 1001, "message": "Generated"}}}
	body, ok := withSlots(generated, list, 0, false)
	if !ok {
		t.Fatal("no message slot in an array of errors")
	}
	for _, c := range []struct {
		p    problemText
		want map[string]any
	}{
		{problemText{msg: "Bad request: the body is wrong", defaultCode: "BAD_REQUEST", status: 400},
			map[string]any{"error_code": "invalid_field_value", "status": 1001, "message": "Bad request"}},
		{problemText{defaultMsg: "Not found", defaultCode: "NOT_FOUND", status: 404},
			map[string]any{"error_code": "resource_not_found", "status": 1001, "message": "Not found"}},
		{problemText{defaultMsg: "Conflict", defaultCode: "CONFLICT", status: 409},
			map[string]any{"error_code": "auto_fund_not_supported", "status": 1001, "message": "Conflict"}},
	} {
		c.p.accepts = e.accepts
		got := fillSlots(body, &c.p)
		want := map[string]any{"errors": []any{c.want}}
		if !jsonEqual(got, want) {
			t.Errorf("%d: %v, want %v", c.p.status, got, want)
		}
	}
	// a status enum: the status, else the first of its class
	st := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{
		"message": {Value: openapi3.NewStringSchema()}, "status": {Value: openapi3.NewIntegerSchema().WithEnum(400, 404, 500)}}}
	body, _ = withSlots(map[string]any{"message": "m", "status": 500}, st, 0, false)
	for status, want := range map[int]int{404: 404, 422: 400, 503: 500} {
		got := fillSlots(body, &problemText{msg: "m", status: status, accepts: e.accepts})
		if !jsonEqual(got, map[string]any{"message": "m", "status": want}) {
			t.Errorf("status %d: %v, want %d", status, got, want)
		}
	}
}
