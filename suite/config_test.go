package suite

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
)

func TestExampleConfigLoads(t *testing.T) {
	t.Setenv("STANDIN_TOKEN", "standin-admin")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f := conform.BindFlags(fs)
	if err := fs.Parse([]string{"--config", "testdata/conform.example.yaml"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.APIs) != 4 || cfg.APIs["clients-v2"].Token != "standin-admin" || len(cfg.APIs["clients-v2"].IDs["forbidden.client_id"]) == 0 {
		t.Fatalf("unexpected config: %+v", cfg)
	}
	if _, err := engine.NewEnv(cfg, Queries()); err != nil {
		t.Fatal(err)
	}
	mp := cfg.APIs["marketplace"]
	if len(mp.Roles) != 2 || mp.Roles[0].Token != "standin-noaccess" || mp.Reset == nil || mp.Reset.URL == "" {
		t.Fatalf("marketplace roles / reset not loaded: %+v", mp)
	}
	if cfg.APIs["clients-v0"].RateLimitToken != "standin-readonly" || len(cfg.APIs["clients-v2"].Roles[1].RefuseIDs["client_id"]) != 1 {
		t.Fatalf("rateLimitToken / refuseIds not loaded: %+v", cfg.APIs)
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--api", "nope"},
		{"--target", "not a url"},
		{"--config", "testdata/missing.yaml"},
		{"--examples", "-1"},
		{"--spec", "testdata/conform.example.yaml"}, // no --target
		{"--spec", "testdata/missing.yaml", "--target", "http://127.0.0.1:1", "--token", "x"}, // no file
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		f := conform.BindFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Config(); err == nil {
			t.Errorf("%v: want a usage error", args)
		}
	}
}

// TestReportsParse writes both reports for a small synthetic run and reads
// them back: the JUnit file must be valid XML, the JSON file valid JSON.
func TestReportsParse(t *testing.T) {
	dir := t.TempDir()
	report := types.Report{SuiteDescription: "Standin conformance", SuiteSucceeded: false,
		SpecReports: types.SpecReports{
			{LeafNodeType: types.NodeTypeIt, LeafNodeText: "[rest-success] getClient: ok", State: types.SpecStatePassed},
			{LeafNodeType: types.NodeTypeIt, LeafNodeText: "[rest-success] listClients: bad <&>", State: types.SpecStateFailed,
				Failure: types.Failure{Message: "API clients-v0 ... /client/0/client_id: value must be an integer"}},
		}}
	junit := filepath.Join(dir, "out.xml")
	if err := reporters.GenerateJUnitReport(report, junit); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatalf("JUnit report is not valid XML: %v", err)
	}
	if suites.Failures != 1 || suites.Tests != 2 {
		t.Fatalf("JUnit counts: %+v", suites)
	}
	js := filepath.Join(dir, "out.json")
	if err := writeJSON(js, []engine.Result{{Check: "rest-success", API: "clients-v0", Status: engine.Fail,
		Violations: []kit.Violation{{Where: kit.Body("/client/0/client_id"), Message: "value must be an integer"}}}}, nil); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(js); err != nil || len(data) == 0 {
		t.Fatalf("JSON report: %v", err)
	}
}

func TestPointerEscapes(t *testing.T) {
	if got := kit.Pointer([]string{"a/b", "m~n", "0"}); got != "/a~1b/m~0n/0" {
		t.Fatalf("got %q", got)
	}
}

// TestResetConfigLoads: the repeatable-destructive-run configuration
// loads, with a reset hook on the APIs that have destructive checks.
func TestResetConfigLoads(t *testing.T) {
	t.Setenv("STANDIN_URL", "http://127.0.0.1:9")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f := conform.BindFlags(fs)
	if err := fs.Parse([]string{"--config", "testdata/conform.reset.yaml", "--destructive"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	for _, api := range []string{"clients-v0", "marketplace"} {
		if h := cfg.APIs[api].Reset; h == nil || h.URL != "http://127.0.0.1:9/__standin/reset" {
			t.Errorf("%s: reset hook %+v", api, h)
		}
	}
	if !cfg.HasResetHooks() || cfg.APIs["clients-v0"].RateLimitToken == "" {
		t.Fatalf("hooks / rateLimitToken missing: %+v", cfg.APIs)
	}
}
