package suite

import (
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/standintest"
)

// TestRoles runs rest-role and graphql-role with roles that hold (pass)
// and roles that claim the opposite of what the mock does (fail, with a
// message naming the role and what it read or was refused).
func TestRoles(t *testing.T) {
	mock := standintest.Start(t)
	const acme, globex = "aa7cf840-9ca9-46a3-9778-9015d6580d50", "3f6d2c1e-8b4a-4c7e-9d2f-1a5b6c7d8e90"
	const account = "7480a312-916e-4739-b53a-7345bf3c6929"
	for _, c := range []struct {
		name   string
		api    string
		role   conform.Role
		expect string // "" passes; else a failure containing it
	}{
		{"partner reads its client, refused another", "clients-v2",
			conform.Role{Name: "partner", Token: standintest.PartnerToken, ReadIDs: map[string][]string{"client_id": {acme}}, RefuseIDs: map[string][]string{"client_id": {globex}}}, ""},
		{"partner claimed to read another partner's client", "clients-v2",
			conform.Role{Name: "partner", Token: standintest.PartnerToken, ReadIDs: map[string][]string{"client_id": {globex}}}, "role partner may read GET /v2/clients/" + globex},
		{"no READ refused the account lookup by id", "marketplace",
			conform.Role{Name: "no READ", Token: standintest.NoAccessToken, RefuseIDs: map[string][]string{"id": {account}}}, ""},
		{"readonly reads the account lookup by id", "marketplace",
			conform.Role{Name: "readonly", Token: standintest.ReadonlyToken, ReadIDs: map[string][]string{"id": {account}}}, ""},
		{"readonly claimed to be refused accounts", "marketplace",
			conform.Role{Name: "readonly", Token: standintest.ReadonlyToken, Refuse: []string{"Query.accounts", "listCompanies"}}, "role readonly read"},
		{"no READ refused clients-v0 with the documented 401", "clients-v0",
			conform.Role{Name: "no READ", Token: standintest.NoAccessToken, Refuse: []string{"listClients"}}, ""},
		{"readonly claimed to be refused clients-v0", "clients-v0",
			conform.Role{Name: "readonly", Token: standintest.ReadonlyToken, Refuse: []string{"listClients"}}, "role readonly read GET /v0/clients (HTTP 200), which it must be refused: want 401"},
		{"no READ claimed to read companies", "marketplace",
			conform.Role{Name: "no READ", Token: standintest.NoAccessToken, Read: []string{"listCompanies"}}, "role no READ may read GET /api/account/v2/companies"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := envFor(t, mock, []string{c.api}, nil)
			env.APIs[0].Conf.Roles = []conform.Role{c.role}
			results := engine.RunCases(env, engine.Plan(env, checksNamed(t, "rest-role", "graphql-role")))
			if len(results) == 0 {
				t.Fatal("no case for the role")
			}
			failed := engine.Failed(results)
			if c.expect == "" {
				for _, r := range failed {
					t.Errorf("unexpected failure:\n%s", report.Failure(r))
				}
				return
			}
			found := false
			for _, r := range failed {
				found = found || strings.Contains(report.Failure(r), c.expect)
			}
			if !found {
				t.Fatalf("no failure says %q: %s", c.expect, engine.Summary(results))
			}
		})
	}
}
