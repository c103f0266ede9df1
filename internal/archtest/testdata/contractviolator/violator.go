// Package contractviolator loads contracts itself, past the contract
// layer, once in each way the contract rule forbids.
package contractviolator

import (
	"net/url"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// Loads reads contracts without internal/contract.
func Loads(data []byte) {
	loader := openapi3.NewLoader()
	_, _ = loader.LoadFromData(data)
	_, _ = loader.LoadFromFile("spec.yaml")
	_, _ = loader.LoadFromDataWithPath(data, &url.URL{Path: "spec.yaml"})
	load := loader.LoadFromURI // a method value counts as a call
	_ = load
	_, _ = openapi2conv.ToV3(&openapi2.T{})
	_, _ = gqlparser.LoadSchema(&ast.Source{Input: "type Query { a: Int }"})
	_, _ = validator.LoadSchema(&ast.Source{Input: "type Query { a: Int }"})
	_ = gqlparser.MustLoadSchema
	var doc openapi3.T
	_ = doc.Validate                        // validating a loaded document: allowed
	_ = (&openapi3.Schema{}).VisitJSON(1.0) // validating a value: allowed
}
