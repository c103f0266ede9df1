package suite

import (
	"flag"
	"io/fs"
	"net/http/httptest"
	"os"
	"testing"
	"testing/fstest"

	"github.com/standin/standin/fixtures"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/internal/server"
	"github.com/standin/standin/scenarios"
	"github.com/standin/standin/standintest"
)

// booksDir is an API that is not one of the four bundled ones.
const booksDir = "../internal/rest/testdata/books"

// serveBooks serves the books test API (its api.yaml, spec and fixtures)
// with the bundled credentials, the way the server serves any API folder.
func serveBooks(t *testing.T) string {
	t.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(booksDir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	creds, err := fs.ReadFile(fixtures.FS, server.CredentialsFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	srv, err := server.New(cfg, server.Options{
		Specs:     fstest.MapFS{"books/api.yaml": {Data: read("api.yaml")}, "books/openapi.yaml": {Data: read("openapi.yaml")}},
		Fixtures:  fstest.MapFS{server.CredentialsFile: {Data: creds}, "books.json": {Data: read("fixtures/books.json")}},
		Scenarios: scenarios.FS,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestSpecFlag: --spec with --target and a token runs the generic checks
// against an API that is not bundled (the books API of internal/rest's
// tests), and every one passes or says why it is skipped.
func TestSpecFlag(t *testing.T) {
	runSpecChecks(t, serveBooks(t)+"/lib", booksDir+"/openapi.yaml")
}

// TestSpecFlagInferred: the same checks pass against the books spec served
// by the mock's own --spec, with no api.yaml: the list envelope, the
// summary projection and the error shape are inferred from the spec.
func TestSpecFlagInferred(t *testing.T) {
	// the token conform sends pinned, as suite/testdata/pin-books.yaml
	// does for the command line: unpinned, any token is accepted
	cfg, err := config.Load("testdata/pin-books.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Specs = config.List{booksDir + "/openapi.yaml"}
	srv, err := server.New(cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	runSpecChecks(t, ts.URL, booksDir+"/openapi.yaml")
}

// runSpecChecks runs conform --spec spec --target base with the admin
// token in-process and fails on any failed check.
func runSpecChecks(t *testing.T, base, spec string) {
	t.Helper()
	fset := flag.NewFlagSet("conform", flag.ContinueOnError)
	f := conform.BindFlags(fset)
	if err := fset.Parse([]string{"--spec", spec, "--target", base, "--token", "standin-admin"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	env, err := engine.NewEnv(cfg, Queries())
	if err != nil {
		t.Fatal(err)
	}
	if len(env.APIs) != 1 || env.APIs[0].Name != "books" || env.APIs[0].OpenAPI == nil {
		t.Fatalf("want one API from the spec, got %+v", env.APIs)
	}
	results := engine.RunCases(env, engine.Plan(env, Checks().Checks()))
	passed, failed, _ := engine.Counts(results)
	for _, r := range results {
		switch r.Status {
		case engine.Fail:
			t.Errorf("unexpected failure:\n%s", report.Failure(r))
		case engine.Skip:
			t.Logf("skipped %s %s: %s", r.Check, r.Name, r.SkipReason)
		default:
			t.Logf("passed %s %s", r.Check, r.Name)
		}
	}
	if passed == 0 || failed > 0 {
		t.Fatalf("--spec run: %s", engine.Summary(results))
	}
	t.Logf("--spec %s: %s", spec, engine.Summary(results))
}

// TestSpecFlagSDL: --spec with a GraphQL SDL runs the generic GraphQL
// checks (schema, full selection, property checks, pagination) at
// /graphql, here the admin API's SDL against the mock.
func TestSpecFlagSDL(t *testing.T) {
	mock := standintest.Start(t)
	fset := flag.NewFlagSet("conform", flag.ContinueOnError)
	f := conform.BindFlags(fset)
	if err := fset.Parse([]string{"--spec", "../specs/admin/schema.graphql", "--target", mock.URL, "--token", "standin-admin"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	env, err := engine.NewEnv(cfg, Queries())
	if err != nil {
		t.Fatal(err)
	}
	if len(env.APIs) != 1 || env.APIs[0].Schema == nil {
		t.Fatalf("want one GraphQL API from the SDL, got %+v", env.APIs)
	}
	results := engine.RunCases(env, engine.Plan(env, Checks().Checks()))
	for _, r := range engine.Failed(results) {
		t.Errorf("unexpected failure:\n%s", report.Failure(r))
	}
	if passed, _, _ := engine.Counts(results); passed < 4 {
		t.Fatalf("--spec SDL run: %s", engine.Summary(results))
	}
	t.Logf("--spec admin SDL: %s", engine.Summary(results))
}
