package server

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	stMarketGraphQL = "/api/graphql"
	stCustomerOne   = "7480a312-916e-4739-b53a-7345bf3c6929"
	// stAccountAsPrinted is page 001's account query as printed: no "{"
	// after account(id: $id), and $id not declared.
	stAccountAsPrinted = "query { \naccount(id: $id)\nname\nid\n}\n}"
)

// TestGraphQLScenarioMatching holds the scenario stage to gqlhttp's reading
// of a GraphQL request: marketplace's not-found scenario names the root
// fields account and deleteAccount, and applies exactly when the operation
// gqlhttp would run selects one of them.
func TestGraphQLScenarioMatching(t *testing.T) {
	body := func(query string, vars map[string]any, opName string) string {
		b, err := json.Marshal(map[string]any{"query": query, "variables": vars, "operationName": opName})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	account := `{ account(id: "` + stCustomerOne + `") { name } }`
	tests := []struct {
		name        string
		contentType string // default application/json
		body        string
		status      int
		scenario    string // in the journal; "" when it did not apply
		inBody      string
	}{
		{name: "root field named", body: body(account, nil, ""), status: 200, scenario: "not-found", inBody: "NOT_FOUND"},
		{name: "root field not named", body: body(`{ accounts(first: 1) { totalCount } }`, nil, ""), status: 200, inBody: "totalCount"},
		{name: "through a fragment at the root", body: body(`query { ...F } fragment F on Query { account(id: "`+stCustomerOne+`") { name } }`, nil, ""),
			status: 200, scenario: "not-found", inBody: "NOT_FOUND"},
		// Regression: every operation of the document was matched, not the
		// one operationName selects.
		{name: "operationName selects another operation", body: body(`query A { accounts(first: 1) { totalCount } } query B { account(id: "`+stCustomerOne+`") { name } }`, nil, "A"),
			status: 200, inBody: "totalCount"},
		{name: "operationName selects the named field", body: body(`query A { accounts(first: 1) { totalCount } } query B { account(id: "`+stCustomerOne+`") { name } }`, nil, "B"),
			status: 200, scenario: "not-found", inBody: "NOT_FOUND"},
		// Regression: the page's account query as printed (no "{" after
		// account(id: $id)) failed the server's own parse and was never
		// matched; gqlhttp's repaired document asks for account.
		{name: "repaired page example", body: body(stAccountAsPrinted, map[string]any{"id": stCustomerOne}, ""), status: 200, scenario: "not-found", inBody: "NOT_FOUND"},
		// Regression: the server read application/graphql bodies as
		// queries and applied the scenario, where gqlhttp answers 415.
		{name: "application/graphql is 415, not a match", contentType: "application/graphql", body: account, status: 415},
		{name: "no valid document asks for nothing", body: body(`{ account(id: "x") { nosuchfield } }`, nil, ""), status: 200, inBody: "GRAPHQL_VALIDATION_FAILED"},
		{name: "body not JSON", body: `{"query":`, status: 400},
	}
	srv := stStart(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ct := tc.contentType
			if ct == "" {
				ct = "application/json"
			}
			r := srv.do(t, stReq{method: "POST", path: stMarketGraphQL, token: stAdmin, body: tc.body,
				header: map[string]string{"Content-Type": ct, "Accept": "application/json", "X-Standin-Scenario": "not-found"}})
			if r.status != tc.status {
				t.Fatalf("status %s, want %d", r, tc.status)
			}
			if !strings.Contains(string(r.body), tc.inBody) {
				t.Errorf("body %s, want it to contain %q", r, tc.inBody)
			}
			if e := stJournal(t, srv, 1)[0]; e.Scenario != tc.scenario {
				t.Errorf("journal scenario %q, want %q", e.Scenario, tc.scenario)
			}
		})
	}

	// Regression: once the scenario stage had read the body, the answer
	// cache keyed GraphQL requests by the body left over (none), so a
	// second query got the first one's answer.
	t.Run("read once, keyed by what was read", func(t *testing.T) {
		for _, q := range []struct{ query, want string }{
			{`{ accounts(first: 1) { totalCount } }`, `"totalCount"`},
			{`{ accounts(first: 1) { nodes { id } } }`, `"nodes"`},
			{`{ accounts(first: 1) { totalCount } }`, `"totalCount"`},
		} {
			r := srv.do(t, stReq{method: "POST", path: stMarketGraphQL, token: stAdmin, body: body(q.query, nil, ""),
				header: map[string]string{"Accept": "application/json", "X-Standin-Scenario": "not-found"}})
			if r.status != 200 || !strings.Contains(string(r.body), q.want) {
				t.Errorf("%s: %s, want %s", q.query, r, q.want)
			}
		}
	})
}
