package schemagen

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/answercheck"
)

// checkSeeds generates a value of each named component schema of file for
// seeds 0 to 5, as an answer and as a request, and holds every value to
// its schema with the independent validator and with kin-openapi (on the
// same side), and to the same bytes for the same seed. It returns the
// loaded document.
func checkSeeds(t *testing.T, file string, names ...string) *openapi3.T {
	t.Helper()
	doc, judge := load(t, file)
	for _, name := range names {
		ref := &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: doc.Components.Schemas[name].Value}
		for seed := uint64(0); seed < 6; seed++ {
			for _, side := range []answercheck.Side{answercheck.Answers, answercheck.Requests} {
				o := Options{Seed: seed, Optional: true, Request: side == answercheck.Requests}
				b := asJSON(t, New(o).Value(ref, ""))
				if ver := judge.Check(side, ref.Ref, decodeJSON(t, b)); !ver.Valid {
					t.Errorf("%s seed %d %v: %s: %s %v", name, seed, side, b, ver.Reason, ver.Errors)
				}
				kinSide := openapi3.VisitAsResponse()
				if side == answercheck.Requests {
					kinSide = openapi3.VisitAsRequest()
				}
				if err := ref.Value.VisitJSON(decodeStd(t, b), kinSide); err != nil {
					t.Errorf("%s seed %d %v: kin-openapi: %s: %v", name, seed, side, b, err)
				}
				if again := asJSON(t, New(o).Value(ref, "")); string(again) != string(b) {
					t.Errorf("%s seed %d: same seed, other bytes:\n%s\n%s", name, seed, b, again)
				}
			}
		}
	}
	return doc
}
