package kit

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/conform/model"
)

// bodyOp loads one operation taking a request body of the given content.
func bodyOp(t *testing.T, content string) model.Operation {
	t.Helper()
	doc := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/x": {"post": {
		"requestBody": {"required": true, "content": ` + content + `},
		"responses": {"201": {"description": "made"}}}}},
		"components": {"schemas": {
			"Base": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 2, "maxLength": 5}}},
			"Cat": {"type": "object", "required": ["kind", "meows"], "properties": {"kind": {"type": "string"}, "meows": {"type": "boolean"}}},
			"Dog": {"type": "object", "required": ["kind", "barks"], "properties": {"kind": {"type": "string"}, "barks": {"type": "integer", "minimum": 3}}}
		}}}`
	loader := openapi3.NewLoader()
	d, err := loader.LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	a := &model.API{OpenAPI: d}
	return a.Operations()[0]
}

// TestValidBodies: examples first, then every field and the required
// ones; allOf merged, oneOf with its discriminator, formats, patterns,
// bounds and lengths honoured; each valid against its schema; forms and
// multipart forms read back as the fields meant.
func TestValidBodies(t *testing.T) {
	o := bodyOp(t, `{"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object",
		"required": ["pet", "code", "count"], "additionalProperties": false, "properties": {
		"name": {}, "pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
			"discriminator": {"propertyName": "kind"}},
		"code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
		"count": {"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 5},
		"when": {"type": "string", "format": "date-time"},
		"id": {"type": "string", "readOnly": true},
		"tags": {"type": "array", "minItems": 2, "items": {"type": "string", "enum": ["a", "b"]}}}}]},
		"examples": {"ok": {"value": {"name": "Rex", "pet": {"kind": "Cat", "meows": true}, "code": "ABC-12", "count": 15}},
			"invalid": {"value": {"name": "R"}}}}}`)
	bodies := ValidBodies(o, 0)
	var whats []string
	for _, b := range bodies {
		whats = append(whats, b.What)
		if err := validate(o.Op.RequestBody.Value.Content["application/json"].Schema.Value, b.Value); err != nil {
			t.Errorf("%s is not valid: %v", b.What, err)
		}
		if _, ok := b.Value.(map[string]any)["id"]; ok {
			t.Errorf("%s sends the readOnly id", b.What)
		}
	}
	want := `the example "ok" (application/json)|every field, generated (application/json)|the required fields, generated (application/json)`
	if got := strings.Join(whats, "|"); got != want {
		t.Errorf("bodies %s, want %s (an invalid example is left out)", got, want)
	}
	if v, ok := BodyFor(o, 3); !ok || !strings.HasPrefix(v.What, "every field") || Canonical(v.Value) == Canonical(bodies[1].Value) {
		t.Errorf("BodyFor(variant 3) = %s %s: want every field with other values", v.What, Canonical(v.Value))
	}

	form := bodyOp(t, `{"application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["n"], "properties": {
		"n": {"type": "integer"}, "s": {"type": "string"}, "many": {"type": "array", "items": {"type": "string"}}}}},
		"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
		"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}}}`)
	for _, b := range ValidBodies(form, 0) {
		r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(string(b.Payload.Data)))
		r.Header.Set("Content-Type", b.Payload.MediaType)
		mt, _, _ := mime.ParseMediaType(b.Payload.MediaType)
		switch mt {
		case MediaForm:
			if err := r.ParseForm(); err != nil || r.PostForm.Get("n") != "1" {
				t.Errorf("%s: form %v %v", b.What, r.PostForm, err)
			}
			if strings.HasPrefix(b.What, "every") && len(r.PostForm["many"]) != 1 {
				t.Errorf("%s: the array field is not repeated: %v", b.What, r.PostForm)
			}
		case MediaMultipart:
			if err := r.ParseMultipartForm(1 << 20); err != nil || len(r.MultipartForm.File["file"]) != 1 {
				t.Errorf("%s: the binary field is not a file part (%v)", b.What, err)
			}
		default:
			t.Errorf("%s: media type %s", b.What, b.Payload.MediaType)
		}
	}
}

// TestInvalidBodies: each invalid body is invalid against the schema
// (as a form carries it, for a form), and names what is wrong.
func TestInvalidBodies(t *testing.T) {
	o := bodyOp(t, `{"application/json": {"schema": {"type": "object", "required": ["name", "age"], "additionalProperties": false, "properties": {
		"name": {"type": "string", "maxLength": 3}, "age": {"type": "integer", "minimum": 0}, "kind": {"type": "string", "enum": ["a"]},
		"note": {"type": "string", "format": "email"}}}},
		"application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["name"], "properties": {
		"name": {"type": "string"}, "age": {"type": "integer"}}}}}`)
	got := map[string]bool{}
	for _, b := range InvalidBodies(o) {
		got[b.What] = true
		mt, _, _ := mime.ParseMediaType(b.Payload.MediaType)
		s := o.Op.RequestBody.Value.Content[mt].Schema.Value
		if b.Value != nil && validate(s, formView(s, b.Value, mt == MediaForm)) == nil {
			t.Errorf("%s is valid", b.What)
		}
		if mt == MediaForm {
			if _, err := url.ParseQuery(string(b.Payload.Data)); err != nil {
				t.Errorf("%s: not a form: %v", b.What, err)
			}
		}
	}
	for _, want := range []string{
		"malformed JSON (application/json)",
		"an array where the schema wants an object (application/json)",
		"no body, though the request body is required (application/json)",
		"age missing (required) (application/json)",
		"age not a number (application/json)",
		"age below its minimum 0 (application/json)",
		"name a number where a string is wanted (application/json)",
		"name longer than its maxLength 3 (application/json)",
		"kind not a value of its enum (application/json)",
		"an undeclared field standinUndeclared (additionalProperties: false) (application/json)",
		"name missing (required) (application/x-www-form-urlencoded)",
		"age not a number (application/x-www-form-urlencoded)",
	} {
		if !got[want] {
			t.Errorf("no invalid body %q (have %v)", want, got)
		}
	}
	for what := range got {
		if strings.Contains(what, "format") || strings.Contains(what, "email") {
			t.Errorf("%s: a format is not refused on the suite's word", what)
		}
		if strings.Contains(what, "name a number") && strings.Contains(what, "form") {
			t.Errorf("%s: a form carries a number as text, which a string field takes", what)
		}
	}
	b, _ := json.Marshal(got)
	t.Logf("invalid bodies: %s", b)
}

// TestUnknownFor: unknown ids are valid against the parameter's schema.
func TestUnknownFor(t *testing.T) {
	max := 5000.0
	ml := uint64(8)
	for _, tc := range []struct {
		name   string
		s      *openapi3.Schema
		sample string
		check  func(string) bool
	}{
		{"int64", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Format: "int64"}, "", func(v string) bool { return len(v) >= 15 && strings.Trim(v, "0123456789") == "" }},
		{"bounded integer", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Max: &max}, "", func(v string) bool { n, err := strconv.Atoi(v); return err == nil && n > 4994 && n <= 5000 }},
		{"uuid", &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "uuid"}, "", func(v string) bool { return looksLikeUUID(v) && v[14] == '4' }},
		{"a string whose ids are uuids", &openapi3.Schema{Type: &openapi3.Types{"string"}}, "aa7cf840-9ca9-46a3-9778-9015d6580d50", looksLikeUUID},
		{"pattern", &openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: "^[0-9]{13}$"}, "", func(v string) bool { return len(v) == 13 && strings.Trim(v, "0123456789") == "" }},
		{"slug within maxLength", &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: &ml}, "c333333", func(v string) bool { return len(v) == 8 }},
	} {
		v, ok := UnknownFor(tc.s, tc.sample, 42)
		if !ok || !tc.check(v) || validate(tc.s, v) != nil && !tc.s.Type.Is("integer") {
			t.Errorf("%s: %q", tc.name, v)
		}
	}
	if _, ok := UnknownFor(&openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"a"}}, "", 1); ok {
		t.Error("an enum has an unknown value")
	}
	// the petstore's orderId: 1 to 10, all of which a server may hold
	one, ten := 1.0, 10.0
	if v, ok := UnknownFor(&openapi3.Schema{Type: &openapi3.Types{"integer"}, Min: &one, Max: &ten}, "", 1); ok {
		t.Errorf("integers 1 to 10 have an unknown value: %q", v)
	}
}

// FuzzBodies: any request schema (JSON) gives valid bodies that are
// valid and invalid ones that are not, never a panic, and nothing huge.
func FuzzBodies(f *testing.F) {
	f.Add(`{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "pattern": "^x+$", "maxLength": 3}}}`)
	f.Add(`{"type": "array", "minItems": 2, "items": {"type": "integer", "multipleOf": 7, "maximum": 30}}`)
	f.Add(`{"oneOf": [{"type": "object", "properties": {"k": {"enum": ["a"]}}}, {"type": "number", "exclusiveMinimum": true, "minimum": 3}]}`)
	f.Add(`{"type": "string", "minLength": 9223372036854775807}`)
	f.Add(`{"allOf": [{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "boolean"}}}, {"required": ["a"]}]}`)
	f.Fuzz(func(t *testing.T, schema string) {
		var s openapi3.Schema
		if err := json.Unmarshal([]byte(schema), &s); err != nil || s.Validate(context.Background()) != nil {
			return
		}
		content := openapi3.Content{}
		for _, mt := range []string{MediaJSON, MediaForm, MediaMultipart} {
			content[mt] = &openapi3.MediaType{Schema: &openapi3.SchemaRef{Value: &s}}
		}
		o := model.Operation{Method: "POST", Path: "/x", Op: &openapi3.Operation{
			RequestBody: &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{Required: true, Content: content}}}}
		for _, b := range ValidBodies(o, 0) {
			if len(b.Payload.Data) > 1<<20 {
				t.Fatalf("%s: %d bytes", b.What, len(b.Payload.Data))
			}
			if err := validate(&s, b.Value); err != nil {
				t.Fatalf("%s is not valid: %v", b.What, err)
			}
		}
		for _, b := range InvalidBodies(o) {
			if len(b.Payload.Data) > 1<<20 {
				t.Fatalf("%s: %d bytes", b.What, len(b.Payload.Data))
			}
		}
	})
}
