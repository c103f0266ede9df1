package specs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"gopkg.in/yaml.v3"
)

// OpenAPI 3.0.3: "nullable: true adds null to the allowed types specified by
// the type keyword, only if type is explicitly defined within the same Schema
// Object". kin-openapi lets a schema with nullable and no type accept null;
// strict validators (Spectral, Redocly, ajv in OpenAPI mode) do not. The specs
// use only the form on which both agree, which these tests enforce.

// nullableWithoutType returns the places under where at which a schema says
// nullable: true without a type, sorted.
func nullableWithoutType(where string, s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) []string {
	if s == nil || s.Value == nil || seen[s.Value] {
		return nil
	}
	seen[s.Value] = true
	v := s.Value
	var out []string
	if v.Nullable && v.Type.IsEmpty() {
		out = append(out, where)
	}
	names := make([]string, 0, len(v.Properties))
	for name := range v.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, nullableWithoutType(where+"/properties/"+name, v.Properties[name], seen)...)
	}
	out = append(out, nullableWithoutType(where+"/items", v.Items, seen)...)
	out = append(out, nullableWithoutType(where+"/additionalProperties", v.AdditionalProperties.Schema, seen)...)
	out = append(out, nullableWithoutType(where+"/not", v.Not, seen)...)
	for kw, subs := range map[string]openapi3.SchemaRefs{"allOf": v.AllOf, "anyOf": v.AnyOf, "oneOf": v.OneOf} {
		for i, sub := range subs {
			out = append(out, nullableWithoutType(fmt.Sprintf("%s/%s/%d", where, kw, i), sub, seen)...)
		}
	}
	sort.Strings(out)
	return out
}

// docSchemas returns every schema a document holds directly (components,
// parameters, headers, media types), by location.
func docSchemas(doc *openapi3.T) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	for name, s := range doc.Components.Schemas {
		out["#/components/schemas/"+name] = s
	}
	for name, h := range doc.Components.Headers {
		out["#/components/headers/"+name] = h.Value.Schema
	}
	content := func(where string, c openapi3.Content) {
		for mt, m := range c {
			out[where+"/content/"+mt] = m.Schema
		}
	}
	for name, r := range doc.Components.Responses {
		content("#/components/responses/"+name, r.Value.Content)
	}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + p
			for _, pr := range op.Parameters {
				out[where+" parameter "+pr.Value.Name] = pr.Value.Schema
			}
			for status, rr := range op.Responses.Map() {
				content(where+" "+status, rr.Value.Content)
				for name, h := range rr.Value.Headers {
					out[where+" "+status+" header "+name] = h.Value.Schema
				}
			}
		}
	}
	return out
}

func TestNullableHasType(t *testing.T) {
	for _, api := range openAPIDirs(t) {
		t.Run(api, func(t *testing.T) {
			doc := loadDoc(t, api)
			seen := map[*openapi3.Schema]bool{}
			schemas := docSchemas(doc)
			where := make([]string, 0, len(schemas))
			for w := range schemas {
				where = append(where, w)
			}
			sort.Strings(where)
			for _, w := range where {
				for _, bad := range nullableWithoutType(w, schemas[w], seen) {
					t.Errorf("%s: nullable without type (no effect in OpenAPI 3.0.3; strict validators reject null)", bad)
				}
			}
		})
	}
}

// TestNullableWithoutTypeDetected shows that the check above finds the
// pattern it is about, including the one clients-v2 once had.
func TestNullableWithoutTypeDetected(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		want         []string
	}{
		{"nullable beside allOf", `
type: object
properties:
  token:
    nullable: true
    allOf:
      - type: object
`, []string{"s/properties/token"}},
		{"nullable with type", `
type: object
properties:
  token:
    type: object
    nullable: true
`, nil},
		{"nullable alternative of anyOf", `
anyOf:
  - type: object
  - type: string
    nullable: true
    enum: [null]
`, nil},
		{"nested in items", `
type: array
items:
  nullable: true
`, []string{"s/items"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s openapi3.Schema
			if err := s.UnmarshalJSON(yamlToJSON(t, tc.schema)); err != nil {
				t.Fatal(err)
			}
			got := nullableWithoutType("s", &openapi3.SchemaRef{Value: &s}, map[*openapi3.Schema]bool{})
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestClientsV2PageExamplesStrict validates the page's two Get Client
// examples against the Client schema, and shows that null is accepted only
// where the schema says so (must-show 4 of the contract as a product).
func TestClientsV2PageExamplesStrict(t *testing.T) {
	doc := loadDoc(t, "clients-v2")
	client := doc.Components.Schemas["Client"]
	token := client.Value.Properties["enrollment_token"]
	if token == nil || token.Value == nil || !token.Value.Type.Is("object") || !token.Value.Nullable {
		t.Fatalf("Client.enrollment_token must be `type: object` with `nullable: true`")
	}
	for _, name := range []string{"acme", "noEnrollmentToken"} {
		v := exampleValue(t, doc, "getClient", "200", name)
		if err := visit(client.Value, v); err != nil {
			t.Errorf("example %s: %v", name, err)
		}
	}
	// Null only where the page allows it; a wrong type fails too.
	for _, tc := range []struct {
		field string
		value any
		ok    bool
	}{
		{"enrollment_token", nil, true},
		{"enrollment_token", "enroll_x", false},
		{"enrollment_token", map[string]any{}, false},
		{"partner", nil, false},
		{"name", nil, false},
		{"created_at", nil, false},
	} {
		v := exampleValue(t, doc, "getClient", "200", "acme").(map[string]any)
		v[tc.field] = tc.value
		err := visit(client.Value, v)
		if (err == nil) != tc.ok {
			t.Errorf("%s = %#v: err = %v, want ok=%v", tc.field, tc.value, err, tc.ok)
		}
	}
	v := exampleValue(t, doc, "getClient", "200", "noEnrollmentToken").(map[string]any)
	delete(v, "enrollment_token")
	if visit(client.Value, v) == nil {
		t.Errorf("a client without the enrollment_token key must fail (the key is required, null or not)")
	}
}

// TestPathParameterExamplesPair checks the convention of Specmatic and
// Microcks: every operation with a path parameter names its parameter
// examples, and each name is also the name of a response example of that
// operation (and the other way round), so that a contract test sends the id
// whose answer the example shows.
func TestPathParameterExamplesPair(t *testing.T) {
	for _, api := range openAPIDirs(t) {
		t.Run(api, func(t *testing.T) {
			doc := loadDoc(t, api)
			for p, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					where := method + " " + p
					responseNames := map[string]bool{}
					for _, rr := range op.Responses.Map() {
						for _, media := range rr.Value.Content {
							for name := range media.Examples {
								responseNames[name] = true
							}
						}
					}
					for _, pr := range op.Parameters {
						if pr.Value.In != openapi3.ParameterInPath {
							continue
						}
						if pr.Value.Example != nil {
							t.Errorf("%s parameter %s: a single `example`; name the examples", where, pr.Value.Name)
						}
						if len(pr.Value.Examples) == 0 {
							t.Errorf("%s parameter %s: no named examples", where, pr.Value.Name)
						}
						for name := range pr.Value.Examples {
							if !responseNames[name] {
								t.Errorf("%s parameter %s: example %q has no response example of that name", where, pr.Value.Name, name)
							}
						}
						for name := range responseNames {
							if pr.Value.Examples[name] == nil {
								t.Errorf("%s: response example %q has no parameter example of that name for %s", where, name, pr.Value.Name)
							}
						}
					}
				}
			}
		})
	}
}

func yamlToJSON(t *testing.T, src string) []byte {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestClientsV2ResponseValidation runs the page's answers through
// openapi3filter.ValidateResponse, the check the conformance suite applies
// to a real server's responses: `"enrollment_token": null` passes, a wrong
// value does not.
func TestClientsV2ResponseValidation(t *testing.T) {
	doc := loadDoc(t, "clients-v2")
	item := doc.Paths.Find("/v2/clients/{client_id}")
	op := item.Get
	validate := func(id string, body any) error {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse("http://127.0.0.1/v2/clients/" + id)
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{
				Request:    &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}},
				PathParams: map[string]string{"client_id": id},
				Route:      &routers.Route{Spec: doc, Path: "/v2/clients/{client_id}", PathItem: item, Method: http.MethodGet, Operation: op},
			},
			Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"application/json"}},
			Body:   io.NopCloser(bytes.NewReader(b)),
			Options: &openapi3filter.Options{
				MultiError:              true,
				IncludeResponseStatus:   true,
				SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(FormatValidators())},
			},
		})
	}
	for _, name := range []string{"acme", "noEnrollmentToken"} {
		v := exampleValue(t, doc, "getClient", "200", name)
		if err := validate("aa7cf840-9ca9-46a3-9778-9015d6580d50", v); err != nil {
			t.Errorf("example %s: %v", name, err)
		}
	}
	bad := exampleValue(t, doc, "getClient", "200", "noEnrollmentToken").(map[string]any)
	bad["enrollment_token"] = false
	if validate("aa7cf840-9ca9-46a3-9778-9015d6580d50", bad) == nil {
		t.Errorf(`"enrollment_token": false passed`)
	}
}
