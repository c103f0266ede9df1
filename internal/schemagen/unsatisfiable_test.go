package schemagen

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestUnsatisfiableParts: schemas no value matches, shaped as ShipEngine
// writes them (a closed link that requires a property only its part
// declares), are never filled: an optional property of one is left out,
// a nullable one is null, an alternative of one is never chosen (null
// when the schema takes it and none is left), and an array of them is
// empty. Every value, for every seed, answers and requests, is held to
// its schema by the independent validator and by kin-openapi, and the
// same seed gives the same bytes.
func TestUnsatisfiableParts(t *testing.T) {
	doc := checkSeeds(t, "unsatisfiable.yaml", "Warehouse", "Label", "Target", "Destination", "MaybeLink", "Links")
	g := New(Options{Optional: true})
	value := func(name string) any {
		return g.Value(&openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: doc.Components.Schemas[name].Value}, "")
	}
	if w := value("Warehouse").(map[string]any); w["name"] == nil || w["origin_address"] != nil {
		t.Errorf("Warehouse: %v (want its name, no origin_address)", w)
	}
	if l := value("Label").(map[string]any); l["form_download"] != nil || l["insurance_claim"] != nil {
		t.Errorf("Label: %v (want form_download and insurance_claim null)", l)
	}
	if v := value("MaybeLink"); v != nil {
		t.Errorf("MaybeLink: %v, want null", v)
	}
	if l := value("Links").(map[string]any)["links"].([]any); len(l) != 0 {
		t.Errorf("Links: %v, want none", l)
	}
}
