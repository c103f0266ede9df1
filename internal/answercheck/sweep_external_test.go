package answercheck

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestSweepExternal sweeps a running server against a document given by
// the environment: STANDIN_SWEEP_SPEC (the document) and STANDIN_SWEEP_URL
// (the server). It is the local run over large public documents, which
// are not kept in the repository; without them it is skipped.
func TestSweepExternal(t *testing.T) {
	spec, base := os.Getenv("STANDIN_SWEEP_SPEC"), os.Getenv("STANDIN_SWEEP_URL")
	if spec == "" || base == "" {
		t.Skip("STANDIN_SWEEP_SPEC and STANDIN_SWEEP_URL name a document and a running server to sweep")
	}
	d, err := Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	tally := Sweep(context.Background(), d, Options{Base: strings.TrimSuffix(base, "/"), Credential: "standin-admin"})
	t.Log(tally.Summary())
	if os.Getenv("STANDIN_SWEEP_VERBOSE") != "" {
		for _, a := range tally.Invalid() {
			t.Log(a)
		}
		for _, n := range tally.NotPersisted {
			t.Log("not persisted: " + n)
		}
		for _, n := range tally.Harness {
			t.Log("harness: " + n)
		}
	}
}
