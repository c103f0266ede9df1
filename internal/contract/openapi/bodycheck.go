package openapi

import "github.com/getkin/kin-openapi/openapi3"

// BodyCheck says how a request body of a schema is checked.
type BodyCheck int

// The checks of BodySchema, from the strictest.
const (
	// AsWritten: the schema admits values and needs no relaxing.
	AsWritten BodyCheck = iota
	// RelaxedCopy: against Relaxed's copy (a closed object admits what its
	// allOf parts declare), because a part of the schema, or the schema
	// itself, admits no value as written.
	RelaxedCopy
	// LooselyChecked: against Loosened (the properties an object's parts
	// declare, each by its own schema), because even the relaxed copy
	// admits no value.
	LooselyChecked
	// Unchecked: no object and no value matches; a body is read as its
	// media type but not held to a schema.
	Unchecked
)

// BodySchema is the schema a request body of ref is checked against, and
// which check that is: the one decision the server's validation and the
// loader's warning share. The schema is nil for Unchecked (the caller
// knows what the media type can decode) and ref itself for AsWritten.
func BodySchema(ref *openapi3.SchemaRef) (*openapi3.SchemaRef, BodyCheck) {
	if ref == nil || ref.Value == nil {
		return ref, AsWritten
	}
	relaxed, changed := Relaxed(ref)
	if _, empty := Unsatisfiable(relaxed.Value); !empty {
		if changed {
			return relaxed, RelaxedCopy
		}
		return ref, AsWritten
	}
	if loose := Loosened(ref); loose != nil {
		return loose, LooselyChecked
	}
	return nil, Unchecked
}
