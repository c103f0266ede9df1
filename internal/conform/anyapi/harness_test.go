package anyapi

import (
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/checks"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/report"
)

// run is conform --spec (the contract written to a file) --target (the
// handler served on a loopback port) --destructive, with more flags, run
// as cmd/conform runs it: the configuration from the flags, the
// contract loaded, the setup hooks, then every check of the catalogs.
func run(t *testing.T, spec string, h http.Handler, args ...string) []engine.Result {
	t.Helper()
	return runAt(t, spec, serve(t, h), args...)
}

// serve serves h on a loopback port for the test and returns its URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// runEnv runs every check of the catalogs in env, in the registry's
// order.
func runEnv(env *kit.Env) []engine.Result {
	return engine.RunCases(env, engine.Plan(env, engine.MustRegistry(checks.All()...).Checks()))
}

// runAt is run against a target already served at base.
func runAt(t *testing.T, spec, base string, args ...string) []engine.Result {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "anyapi") // the API's name
	file := filepath.Join(dir, "openapi.yaml")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	env, err := setUp(append([]string{"--spec", file, "--target", base, "--destructive"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return runEnv(env)
}

// setUp builds the run's environment from flags, as cmd/conform does.
func setUp(args []string) (*kit.Env, error) {
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	f := conform.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	env, err := engine.NewEnv(cfg, fstest.MapFS{})
	if err != nil {
		return nil, err
	}
	if err := engine.Setup(env); err != nil {
		return nil, err
	}
	return env, nil
}

// passes fails the test on any failed result and requires each named
// check to have passed at least once (so that a pass is not only skips).
func passes(t *testing.T, results []engine.Result, checks ...string) {
	t.Helper()
	for _, r := range engine.Failed(results) {
		t.Errorf("the correct server failed:\n%s", report.Failure(r))
	}
	for _, c := range checks {
		n := 0
		for _, r := range results {
			if r.Check == c && r.Status == engine.Pass {
				n++
			}
		}
		if n == 0 {
			for _, r := range results {
				if r.Check == c {
					t.Logf("%s %s: %s %s", r.Status, r.Name, r.SkipReason, r.Violations)
				}
			}
			t.Errorf("check %s never passed against the correct server", c)
		}
	}
	if t.Failed() {
		for _, r := range results {
			t.Logf("%s %s %s %s", r.Status, r.Check, r.Name, r.SkipReason)
		}
	}
	t.Logf("correct server: %s", engine.Summary(results))
}

// catches requires a failure of check whose violations say every one of
// the texts (what broke), and returns it.
func catches(t *testing.T, results []engine.Result, check string, texts ...string) engine.Result {
	t.Helper()
	for _, r := range engine.Failed(results) {
		if r.Check != check {
			continue
		}
		var said []string
		for _, v := range r.Violations {
			said = append(said, v.String())
		}
		all := strings.Join(said, "\n")
		ok := true
		for _, text := range texts {
			ok = ok && strings.Contains(all, text)
		}
		if ok {
			t.Logf("caught by %s:\n%s", check, all)
			return r
		}
	}
	for _, r := range results {
		if r.Status != engine.Pass {
			t.Logf("%s %s %s %s: %v", r.Status, r.Check, r.Name, r.SkipReason, r.Violations)
		}
	}
	t.Fatalf("no failure of %s says %q (%s)", check, texts, engine.Summary(results))
	return engine.Result{}
}

// writeJSON answers v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem answers an error body {"message": msg}.
func problem(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg})
}
