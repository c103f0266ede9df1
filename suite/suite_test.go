package suite

import (
	"errors"
	"flag"
	"testing"

	"github.com/onsi/ginkgo/v2"

	"github.com/standin/standin/internal/conform"
)

// flags are registered in init, validated in TestConformance before
// RunSpecs (go test ./suite/... -args --target URL ...).
var flags *conform.Flags

func init() {
	flags = conform.BindFlags(flag.CommandLine)
}

func TestConformance(t *testing.T) {
	cfg, err := flags.Config()
	if err != nil {
		if errors.Is(err, conform.ErrUsage) {
			t.Fatalf("bad usage: %v", err)
		}
		t.Fatal(err)
	}
	env, stop, err := Prepare(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	Define(env, cfg)
	ginkgo.RunSpecs(t, "Standin conformance")
}
