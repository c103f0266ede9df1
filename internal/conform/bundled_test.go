package conform

import (
	"reflect"
	"testing"
)

// TestBundledTargets: the bundled APIs' targets read from
// specs/<api>/conform.yaml are the ones the suite has always used against
// the bundled mock (tokens of fixtures/credentials.yaml, the pages' ids).
func TestBundledTargets(t *testing.T) {
	const (
		admin, readonly, partner, noaccess = "standin-admin", "standin-readonly", "standin-partner", "standin-noaccess"
		acme, acmeNoToken, globex          = "aa7cf840-9ca9-46a3-9778-9015d6580d50", "aa7cf840-9ca9-46a3-9778-9015d6580d51", "3f6d2c1e-8b4a-4c7e-9d2f-1a5b6c7d8e90"
	)
	companies := IDList{"7480a312-916e-4739-b53a-7345bf3c6929", "017eb76e-957f-409e-8be3-fc6fed394137", "0438bc88-bd79-40be-bc89-93d27b5773eb"}
	reads := []string{"listCompanies", "getCompany", "getCompanyByExternalId", "Query.accounts", "Query.account", "Query.accountByExternalId"}
	want := map[string]APIConfig{
		"admin": {BaseURL: "http://x", Token: admin, LimitedToken: readonly, IDs: map[string]IDList{},
			Roles:   []Role{{Name: "readonly", Token: readonly, Refuse: []string{"Admin.allClients"}}},
			GraphQL: GraphQLConfig{ErrorCodes: CodesFields}},
		"clients-v0": {BaseURL: "http://x", Token: admin, LimitedToken: readonly, RateLimitToken: readonly, IDs: map[string]IDList{}},
		"clients-v2": {BaseURL: "http://x", Token: admin, LimitedToken: partner,
			IDs: map[string]IDList{
				"client_id":           {acme, acmeNoToken, globex, "7b1e9a4c-2d3f-4a5b-8c6d-9e0f1a2b3c4d", "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f"},
				"forbidden.client_id": {globex},
			},
			Roles: []Role{
				{Name: "readonly", Token: readonly, RefuseIDs: map[string][]string{"client_id": {acme, globex}}},
				{Name: "partner", Token: partner, ReadIDs: map[string][]string{"client_id": {acme, acmeNoToken}}, RefuseIDs: map[string][]string{"client_id": {globex}}},
			}},
		"marketplace": {BaseURL: "http://x", Token: admin, LimitedToken: noaccess,
			IDs: map[string]IDList{"id": companies, "companyUuid": companies, "externalId": {"c333333", "a111111"},
				"deleteAccountId": {"7480a312-916e-4739-b53a-7345bf3c6929"}},
			Roles:   []Role{{Name: "no READ", Token: noaccess, Refuse: reads}, {Name: "readonly", Token: readonly, Read: reads}},
			GraphQL: GraphQLConfig{ErrorCodes: CodesRequired}},
	}
	// The roles of the second catalog: clients-v0's refusal is its
	// documented 401; marketplace's roles are refused the writes.
	writes := []string{"Mutation.deleteAccount", "Mutation.deleteAccountMembership", "Mutation.terminateSubscription"}
	v0 := want["clients-v0"]
	v0.Roles = []Role{{Name: "no READ", Token: noaccess, Refuse: []string{"listClients"}}}
	want["clients-v0"] = v0
	mp := want["marketplace"]
	mp.Roles = []Role{{Name: "no READ", Token: noaccess, Refuse: append(reads[:len(reads):len(reads)], writes...)},
		{Name: "readonly", Token: readonly, Read: reads, Refuse: writes}}
	want["marketplace"] = mp

	got, err := BundledTargets("http://x")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got the targets of %v, want %d APIs", sortedKeys(got), len(want))
	}
	for name, w := range want {
		if !reflect.DeepEqual(got[name], w) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got[name], w)
		}
		one, err := BundledAPIConfig(name, "http://x")
		if err != nil || !reflect.DeepEqual(one, w) {
			t.Errorf("BundledAPIConfig(%s) = %+v, %v", name, one, err)
		}
	}
	if _, err := BundledAPIConfig("no-such-api", ""); err == nil {
		t.Error("an API that is not bundled has no target")
	}
}

// TestBundledTargetNamesItsAPI: a bundled conform.yaml that configures
// another API, or more than its own, is refused.
func TestBundledTargetNamesItsAPI(t *testing.T) {
	for _, tc := range []struct{ name, yaml string }{
		{"another API", "apis:\n  other:\n    token: x\n"},
		{"two APIs", "apis:\n  mine:\n    token: x\n  other:\n    token: y\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := targetOf("mine", "mine/conform.yaml", []byte(tc.yaml), ""); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	c, err := targetOf("mine", "mine/conform.yaml", []byte("apis:\n  mine:\n    token: x\n"), "http://h")
	if err != nil || c.Token != "x" || c.BaseURL != "http://h" {
		t.Fatalf("got %+v, %v", c, err)
	}
}
