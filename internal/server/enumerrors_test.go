package server

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var enumErrorsSpec = filepath.Join("testdata", "features", "enumerrors.yaml")

// TestErrorValuesFitTheirFields: the code, status and message the mock
// writes into an error in the document's shape are values those fields'
// schemas accept, in an array item or at the top. ShipEngine's error_code
// is an allOf of an enum: a bad body answers its "invalid_field_value"
// (not BAD_REQUEST), an unknown id the value the template had there (the
// enum names no not-found); a code enum that has one answers
// "parcel_not_found", a message bounded to 20 characters is cut at a
// word, and every answer passes its documented schema.
func TestErrorValuesFitTheirFields(t *testing.T) {
	s, ss := startOwnSpec(t, "enumerrors", enumErrorsSpec)
	key := map[string]string{"X-Key": "k"}
	codes := []string{"auto_fund_not_supported", "batch_cannot_be_modified", "carrier_conflict", "field_value_required", "forbidden",
		"invalid_address", "invalid_field_value", "invalid_identifier", "invalid_status", "rate_limit_exceeded", "unauthorized",
		"unknown", "unspecified", "warehouse_conflict"}
	for _, tt := range []struct {
		name, opID, path string
		params           map[string]string
		q                stReq
		status           int
		// where the code is and what it must be ("" any value of the enum)
		code    func(map[string]any) any
		want    string
		message string
	}{
		{"a bad body: the enum's invalid_field_value", "createLabel", "/labels", nil,
			stReq{method: "POST", path: "/labels", header: key, body: `{"name": 5}`}, 400,
			firstErrorCode, "invalid_field_value", ""},
		{"an unknown id: the enum names no not-found, the template's value stays", "getLabel", "/labels/nope", map[string]string{"label_id": "nope"},
			stReq{path: "/labels/nope", header: key}, 404,
			firstErrorCode, "", "Not found"},
		{"an unknown id: the enum's not-found", "getParcel", "/parcels/nope", map[string]string{"parcel_id": "nope"},
			stReq{path: "/parcels/nope", header: key}, 404,
			topCode, "parcel_not_found", "Not found"},
		{"a bad body: the enum's invalid_request, the message cut to 20", "createParcel", "/parcels", nil,
			stReq{method: "POST", path: "/parcels", header: key, body: `{"weight": "heavy"}`}, 400,
			topCode, "invalid_request", "Bad request: request"},
	} {
		r := s.do(t, tt.q)
		if r.status != tt.status {
			t.Errorf("%s: %s %s = %s, want %d", tt.name, tt.q.method, tt.q.path, r, tt.status)
			continue
		}
		if err := ss.validate(t, "enumerrors", tt.opID, tt.path, tt.params, r); err != nil {
			t.Errorf("%s: the %d answer does not match the document: %v\n%s", tt.name, r.status, err, r)
		}
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("%s: %v: %s", tt.name, err, r.body)
		}
		code, _ := tt.code(body).(string)
		switch {
		case tt.want != "" && code != tt.want:
			t.Errorf("%s: code %q, want %q\n%s", tt.name, code, tt.want, r)
		case tt.want == "" && !slices.Contains(codes, code):
			t.Errorf("%s: code %q is none of the enum's\n%s", tt.name, code, r)
		}
		if tt.message != "" && !strings.Contains(string(r.body), `"message":"`+tt.message+`"`) {
			t.Errorf("%s: want the message %q\n%s", tt.name, tt.message, r)
		}
	}
}

// firstErrorCode is error_code in the first of a body's errors.
func firstErrorCode(body map[string]any) any {
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		return nil
	}
	first, _ := errs[0].(map[string]any)
	return first["error_code"]
}

// topCode is a body's code.
func topCode(body map[string]any) any { return body["code"] }
