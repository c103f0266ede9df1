package schemagen

import "testing"

// TestOverlappingOneOf: a oneOf of open objects whose values match every
// branch (GitHub's 422 answer: a validation error or a rule violation)
// gets a value exactly one branch accepts, a property only another branch
// declares set to another type; for every seed, answers and requests,
// held to the schema by the independent validator and kin-openapi, and
// the same bytes for the same seed.
func TestOverlappingOneOf(t *testing.T) {
	checkSeeds(t, "overlap.yaml", "Unprocessable", "Three")
}
