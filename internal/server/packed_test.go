package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/standintest"
)

// A collection larger than store.DefaultPackAfter keeps its later records
// packed: REST and GraphQL answer them exactly as they answer map-held ones.
func TestPackedRecordsServeLikeMaps(t *testing.T) {
	n := store.DefaultPackAfter + 500
	srv := standintest.Start(t, standintest.WithCount("marketplace", "accounts", n))
	restGet := func(path string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return v
	}
	// the last page: packed records (the page's and the first generated
	// ones are maps)
	last := restGet(fmt.Sprintf("/api/account/v2/companies?size=10&page=%d", (n+2)/10))
	content, _ := last["content"].([]any)
	if len(content) == 0 {
		t.Fatalf("empty last page: %v", last)
	}
	const fields = "id name externalId status accessTypes countryCode defaultRole website emailAddress phoneNumber createdOn"
	for _, c := range content {
		company := c.(map[string]any)
		id := company["id"].(string)
		jsonEq(t, "REST get of a packed record", restGet("/api/account/v2/companies/"+id), company)
		r := doGraphQL(t, srv, marketPath, `query ($id: ID!) { account(id: $id) { `+fields+` } }`, map[string]any{"id": id})
		mustOK(t, r)
		jsonEq(t, "GraphQL account of a packed record", r.at("account"), company)
	}
	r := doGraphQL(t, srv, marketPath, `{ accounts(last: 3) { totalCount edges { cursor node { id name } } } }`, nil)
	mustOK(t, r)
	edges, _ := r.at("accounts", "edges").([]any)
	if len(edges) != 3 || r.at("accounts", "totalCount") != float64(n+3) {
		t.Fatalf("accounts(last: 3): %s", r.Raw)
	}
	lastID := content[len(content)-1].(map[string]any)["id"]
	if got := edges[2].(map[string]any)["node"].(map[string]any)["id"]; got != lastID {
		t.Fatalf("last account %v, want %v", got, lastID)
	}
	// a filter reads packed fields
	name := content[0].(map[string]any)["name"].(string)
	r = doGraphQL(t, srv, marketPath, `query ($n: String) { accounts(first: 100, filter: {name: $n}) { nodes { id name } } }`, map[string]any{"n": name})
	mustOK(t, r)
	found := false
	for _, node := range r.at("accounts", "nodes").([]any) {
		if node.(map[string]any)["id"] == content[0].(map[string]any)["id"] {
			found = true
		}
	}
	if !found {
		t.Fatalf("filter by name %q misses the packed record: %s", name, r.Raw)
	}
}
