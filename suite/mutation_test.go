package suite

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/internal/defects"
	"github.com/standin/standin/standintest"
)

// envFor points the given APIs (nil: all) at a server wrapping the mock's
// handler with wrap.
func envFor(t *testing.T, mock *standintest.Server, apis []string, wrap func(http.Handler) http.Handler) *kit.Env {
	t.Helper()
	h := mock.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	if apis == nil {
		apis = conform.APINames()
	}
	cfg := conform.Config{APIs: map[string]conform.APIConfig{}, Destructive: true}
	for _, a := range apis {
		c, err := conform.BundledAPIConfig(a, ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.APIs[a] = c
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env, err := engine.NewEnv(cfg, Queries())
	if err != nil {
		t.Fatal(err)
	}
	env.Reset = func() error { mock.Reset(); return nil }
	return env
}

func checksNamed(t *testing.T, names ...string) []*kit.Check {
	t.Helper()
	out, err := Checks().Select(names...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMutation plants one defect at a time in the bundled mock and runs
// the checks meant to catch it: each defect must fail at least one check
// whose report names the defect; the unchanged mock passes every check.
func TestMutation(t *testing.T) {
	mock := standintest.Start(t)

	t.Run("unchanged mock passes", func(t *testing.T) {
		mock.Reset()
		env := envFor(t, mock, nil, nil)
		results := engine.RunCases(env, engine.Plan(env, Checks().Checks()))
		for _, r := range engine.Failed(results) {
			t.Errorf("unexpected failure:\n%s", report.Failure(r))
		}
		t.Logf("unchanged mock: %s", engine.Summary(results))
	})

	var table strings.Builder
	table.WriteString("| defect | failing checks |\n|---|---|\n")
	for _, d := range defects.Defects() {
		t.Run(d.Name, func(t *testing.T) {
			mock.Reset()
			env := envFor(t, mock, d.APIs, d.Wrap)
			results := engine.RunCases(env, engine.Plan(env, checksNamed(t, d.Checks...)))
			var caught []string
			for _, r := range engine.Failed(results) {
				if strings.Contains(report.Failure(r), d.Expect) {
					if len(caught) == 0 {
						t.Logf("first failure naming the defect:\n%s", report.Failure(r))
					}
					caught = append(caught, fmt.Sprintf("%s (%s %s)", r.Check, r.API, r.Operation))
				}
			}
			if len(caught) == 0 {
				for _, r := range results {
					t.Logf("%s %s %s: %v", r.Status, r.Check, r.Name, r.Violations)
				}
				t.Errorf("defect %q: no failing check names %q", d.Name, d.Expect)
			}
			fmt.Fprintf(&table, "| %s | %s |\n", d.Name, strings.Join(caught, "; "))
		})
	}
	t.Logf("mutation score:\n%s", table.String())
}

// TestForbiddenWithAllowedToken: a --limited-token that an API allows (the
// readonly token reads marketplace companies) fails rest-forbidden with a
// hint to configure that API's limited token instead.
func TestForbiddenWithAllowedToken(t *testing.T) {
	mock := standintest.Start(t)
	env := envFor(t, mock, []string{"marketplace"}, nil)
	env.APIs[0].Conf.LimitedToken = standintest.ReadonlyToken
	results := engine.RunCases(env, engine.Plan(env, checksNamed(t, "rest-forbidden")))
	failed := engine.Failed(results)
	if len(failed) == 0 {
		t.Fatalf("no failure: %s", engine.Summary(results))
	}
	for _, r := range failed {
		if !strings.Contains(report.Failure(r), "give marketplace its own limitedToken in conform.yaml") {
			t.Errorf("failure without the hint:\n%s", report.Failure(r))
		}
	}
}
