package specinfer

// Media types: the JSON content of an operation's answers, by the
// conventions of the contract layer.

import (
	"github.com/getkin/kin-openapi/openapi3"

	contractapi "github.com/standin/standin/internal/contract/openapi"
)

// jsonSchema returns the JSON schema of a response of status.
func jsonSchema(o *openapi3.Operation, statuses ...string) *openapi3.SchemaRef {
	if o == nil || o.Responses == nil {
		return nil
	}
	for _, st := range statuses {
		r := o.Responses.Value(st)
		if r == nil || r.Value == nil {
			continue
		}
		if mt := contractapi.JSONMedia(r.Value.Content); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
			return mt.Schema
		}
	}
	return nil
}
