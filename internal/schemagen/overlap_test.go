package schemagen

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/answercheck"
)

// TestOverlappingOneOf: a oneOf of open objects whose values match every
// branch (GitHub's 422 answer: a validation error or a rule violation)
// gets a value exactly one branch accepts, a property only another branch
// declares set to another type; for every seed, answers and requests,
// held to the schema by the independent validator and kin-openapi, and
// the same bytes for the same seed.
func TestOverlappingOneOf(t *testing.T) {
	doc, judge := load(t, "overlap.yaml")
	for _, name := range []string{"Unprocessable", "Three"} {
		ref := &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: doc.Components.Schemas[name].Value}
		for seed := uint64(0); seed < 6; seed++ {
			for _, side := range []answercheck.Side{answercheck.Answers, answercheck.Requests} {
				o := Options{Seed: seed, Optional: true, Request: side == answercheck.Requests}
				v := New(o).Value(ref, "")
				b := asJSON(t, v)
				if ver := judge.Check(side, ref.Ref, decodeJSON(t, b)); !ver.Valid {
					t.Errorf("%s seed %d %v: %s: %s %v", name, seed, side, b, ver.Reason, ver.Errors)
				}
				if err := ref.Value.VisitJSON(decodeStd(t, b)); err != nil {
					t.Errorf("%s seed %d %v: kin-openapi: %s: %v", name, seed, side, b, err)
				}
				if again := asJSON(t, New(o).Value(ref, "")); string(again) != string(b) {
					t.Errorf("%s seed %d: same seed, other bytes:\n%s\n%s", name, seed, b, again)
				}
				if seed == 0 && side == answercheck.Answers {
					t.Logf("%s: %s", name, b)
				}
			}
		}
	}
}
