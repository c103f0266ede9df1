package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/answercheck"
	"github.com/standin/standin/internal/config"
)

// sweptSpecs are the OpenAPI documents of the repository's testdata that
// TestSpecAnswersValid serves with --spec and sweeps.
func sweptSpecs(t *testing.T) []string {
	t.Helper()
	out := []string{"../rest/testdata/petstore.yaml", "../rest/testdata/books/openapi.yaml"}
	for _, glob := range []string{"../specinfer/testdata/*.yaml", "../specinfer/testdata/*.json", "../specinfer/testdata/*/openapi.yaml"} {
		files, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, ".golden.yaml") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), "swagger:") {
				continue // Swagger 2.0: the judge reads OpenAPI 3 only
			}
			out = append(out, f)
		}
	}
	return out
}

// sweepErrorKinds are the kinds of sweep requests made to fail (an unknown
// id, a body of a wrong type, a read after a delete).
var sweepErrorKinds = map[string]bool{"unknown id": true, "bad body": true, "read back (delete)": true}

// sweepImpossible are the answers no value can make valid, by document
// and operation, with the reason.
var sweepImpossible = map[string]string{
	"recursive GET /endless": "schema Endless can never end (a required, non-nullable reference to itself): answered to schemagen.UnendingBound levels, with a start-up warning",
	// ShipEngine's shapes: a closed object beside the allOf part that
	// declares its fields refuses them, so no batch (its required link)
	// and no warehouse (its required address) matches; a list of batches
	// matches only empty. Served as their author meant (Servable).
	"closed-parts GET /v1/batches":                   "no batch matches (its required link refuses its own href): only an empty list would",
	"closed-parts GET /v1/batches/{batch_id}":        "no value but {} matches (a closed object with no fields beside allOf [batch])",
	"closed-parts POST /v1/batches":                  "no value but {} matches (a closed object with no fields beside allOf [batch])",
	"closed-parts GET /v1/warehouses/{warehouse_id}": "no warehouse matches (its required address refuses the fields its part declares)",
}

// TestSpecAnswersValid serves each OpenAPI document of the repository's
// testdata with --spec and sweeps every operation (each collection
// listed, read, read with an unknown id, created, sent a bad body,
// updated, deleted and read back; every other operation once), judging
// every answer with an independent JSON Schema validator
// (internal/answercheck, not kin-openapi): its status documented, its
// media type documented, its body valid against the document's schema.
// Every answer must be valid, every checkable write read back as written.
func TestSpecAnswersValid(t *testing.T) {
	for _, spec := range sweptSpecs(t) {
		name := strings.TrimSuffix(filepath.Base(spec), filepath.Ext(spec))
		if name == "openapi" {
			name = filepath.Base(filepath.Dir(spec))
		}
		t.Run(name, func(t *testing.T) {
			s := stStart(t, func(c *config.Config) { c.Specs = []string{"swept=" + spec} })
			doc, err := answercheck.Load(spec)
			if err != nil {
				t.Fatal(err)
			}
			tally := answercheck.Sweep(context.Background(), doc, answercheck.Options{Base: s.URL, Credential: stAdmin})
			t.Log(tally.Summary())
			for _, a := range tally.Invalid() {
				if why, ok := sweepImpossible[name+" "+a.Op]; ok {
					t.Logf("invalid as it must be (%s): %s", why, a.Request)
					continue
				}
				if sweepErrorKinds[a.Kind] && a.Status >= 400 {
					// the status and shape of an error the request asked
					// for are the document's error schemas' (not judged here)
					t.Logf("error answer not judged: %s", a)
					continue
				}
				t.Errorf("%s", a)
			}
			for _, n := range tally.NotPersisted {
				t.Errorf("not persisted: %s", n)
			}
			for _, n := range tally.Harness {
				t.Logf("sweep: %s", n)
			}
		})
	}
}
