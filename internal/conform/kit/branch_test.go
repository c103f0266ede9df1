package kit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestBranchViolations: a value failing allOf, oneOf or anyOf is placed
// at the field that breaks it, naming the branch.
func TestBranchViolations(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}, "components": {"schemas": {
		"Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
		"Aged": {"type": "object", "required": ["age"], "properties": {"age": {"type": "integer"}}},
		"Cat": {"type": "object", "required": ["meows"], "properties": {"meows": {"type": "boolean"}}},
		"Dog": {"type": "object", "required": ["barks", "legs"], "properties": {"barks": {"type": "boolean"}, "legs": {"type": "integer"}}},
		"Wrap": {"type": "object", "properties": {
			"pet": {"allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Aged"}]},
			"animal": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
			"both": {"oneOf": [{"type": "object"}, {"$ref": "#/components/schemas/Cat"}]},
			"any": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}}}}}}`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	_ = json.Unmarshal([]byte(`{"pet": {"name": "x", "age": "old"}, "animal": {"meows": "x"}, "both": {"meows": true}, "any": "s"}`), &v)
	err = d.Components.Schemas["Wrap"].Value.VisitJSON(v, openapi3.MultiErrors())
	var got []string
	for _, vi := range flattenOpenAPIError(err) {
		got = append(got, vi.Where.String()+": "+vi.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`/pet/age: allOf branch 2 (Aged): value must be an integer (got "old")`,
		`/animal/meows: oneOf matches none of its 2 branches; the closest, branch 1 (Cat): value must be a boolean (got "x")`,
		`/both: matches 2 oneOf branches (branch 1, branch 2 (Cat)), want exactly one`,
		`/any: anyOf matches none of its 2 branches; the closest, branch 1: value must be an integer (got "s")`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no violation %q in:\n%s", want, all)
		}
	}
}
