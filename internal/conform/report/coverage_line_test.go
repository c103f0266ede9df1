package report

import (
	"net/http"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/standintest"
)

// TestCoverageLines: the coverage line of an API counts the operations,
// documented statuses and parameters its requests exercised, names what
// no request reached and the skipped results with their reasons.
func TestCoverageLines(t *testing.T) {
	mock := standintest.Start(t)
	cfg := conform.Config{APIs: map[string]conform.APIConfig{}}
	for _, name := range []string{"clients-v2", "marketplace"} {
		c, err := conform.BundledAPIConfig(name, mock.URL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.APIs[name] = c
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env, err := engine.NewEnv(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	apis := map[string]*kit.API{}
	for _, a := range env.APIs {
		apis[a.Name] = a
	}
	v2 := kit.NewT(env, apis["clients-v2"])
	v2.Do(kit.Request{Method: http.MethodGet, Path: "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", Credentials: apis["clients-v2"].Credentials()})
	v2.Do(kit.Request{Method: http.MethodGet, Path: "/v2/clients/00000000-0000-4000-8000-00000000dead", Credentials: apis["clients-v2"].Credentials()})
	mp := kit.NewT(env, apis["marketplace"])
	mp.Do(kit.Request{Method: http.MethodGet, Path: "/api/account/v2/companies?size=3", Credentials: apis["marketplace"].Credentials()})
	kit.GQL(mp, apis["marketplace"].Credentials(), `{ accounts(first: 1) { totalCount } }`, nil)
	kit.GQL(mp, nil, `{ accounts(first: 1) { totalCount } }`, nil)
	results := []engine.Result{{API: "clients-v2", Status: engine.Skip, SkipReason: "no limited token"}, {API: "clients-v2", Status: engine.Pass}}

	got := map[string]APICoverage{}
	for _, c := range CoverageLines(env, results) {
		got[c.API] = c
	}
	v := got["clients-v2"]
	if v.Operations.String() != "1 of 1" || v.Statuses.String() != "2 of 6" || v.Parameters.String() != "1 of 1" || v.Skipped["no limited token"] != 1 {
		t.Errorf("clients-v2: %+v", v)
	}
	m := got["marketplace"]
	// REST: 1 of 3 operations (listCompanies), GraphQL: Query.accounts of
	// 3 queries and 3 mutations; parameters: ?size (not ?page, ?name) and
	// accounts(first:).
	if m.Operations.String() != "2 of 9" || m.Statuses.String() != "1 of 18" {
		t.Errorf("marketplace: %+v", m)
	}
	line := m.Line()
	for _, want := range []string{"GET /api/account/v2/companies ?page", "Mutation.deleteAccount", "GraphQL answered HTTP 200, 401; codes UNAUTHENTICATED", "0 skipped"} {
		if !strings.Contains(line, want) {
			t.Errorf("the line does not say %q:\n%s", want, line)
		}
	}
}
