package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/introspect"
	"github.com/standin/standin/standintest"
)

// Paths and fixture ids of the bundled GraphQL APIs (pages 000 and 001).
const (
	adminPath       = "/graphql"
	marketPath      = "/api/graphql"
	idCustomerOne   = "7480a312-916e-4739-b53a-7345bf3c6929"
	idMyCompany     = "017eb76e-957f-409e-8be3-fc6fed394137"
	idDormant       = "0438bc88-bd79-40be-bc89-93d27b5773eb"
	adminToken      = standintest.AdminToken
	readonlyToken   = standintest.ReadonlyToken
	graphqlRespType = "application/graphql-response+json"
)

// gqlError is one GraphQL error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { s, _ := e.Extensions["code"].(string); return s }

// gqlResult is a decoded GraphQL HTTP response.
type gqlResult struct {
	Status int
	Header http.Header
	Raw    []byte
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	// Extensions is the response's extensions member.
	Extensions map[string]any `json:"extensions"`
	decoded    any
}

// data returns the decoded data member (nil for absent or null).
func (r *gqlResult) data() any {
	if r.decoded == nil && len(r.Data) > 0 {
		_ = json.Unmarshal(r.Data, &r.decoded)
	}
	return r.decoded
}

// at walks the decoded data by keys (strings) and list indexes (ints).
func (r *gqlResult) at(path ...any) any {
	cur := r.data()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[k]
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			cur = l[k]
		}
	}
	return cur
}

// errCodes lists the extensions.code of every error.
func (r *gqlResult) errCodes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.code())
	}
	return out
}

// reqOpt changes a GraphQL request.
type reqOpt func(*http.Request)

func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func bearer(token string) reqOpt { return withHeader("Authorization", "Bearer "+token) }

func noAuth() reqOpt { return func(r *http.Request) { r.Header.Del("Authorization") } }

// doGraphQL POSTs a GraphQL request (Bearer standin-admin unless changed
// by opts) and decodes the answer.
func doGraphQL(t testing.TB, srv *standintest.Server, path, query string, vars map[string]any, opts ...reqOpt) *gqlResult {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	for _, o := range opts {
		o(req)
	}
	return send(t, srv, req)
}

func send(t testing.TB, srv *standintest.Server, req *http.Request) *gqlResult {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := &gqlResult{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && len(raw) > 0 {
		if err := json.Unmarshal(raw, r); err != nil {
			t.Fatalf("%s %s: response is not JSON: %v\n%s", req.Method, req.URL.Path, err, raw)
		}
	}
	return r
}

// mustOK fails unless the response is 200 without errors.
func mustOK(t testing.TB, r *gqlResult) {
	t.Helper()
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("want 200 without errors, got %d: %s", r.Status, r.Raw)
	}
}

// oneError fails unless the response has exactly one error with the code
// and, when path is not nil, that path; it returns the error.
func oneError(t testing.TB, r *gqlResult, code string, path []any) gqlError {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("want one %s error, got %d: %s", code, len(r.Errors), r.Raw)
	}
	e := r.Errors[0]
	if e.code() != code {
		t.Fatalf("want code %s, got %q: %s", code, e.code(), r.Raw)
	}
	if path != nil {
		got, _ := json.Marshal(e.Path)
		want, _ := json.Marshal(path)
		if !bytes.Equal(got, want) {
			t.Fatalf("want path %s, got %s: %s", want, got, r.Raw)
		}
	}
	return e
}

// jsonEq compares two values by their JSON text.
func jsonEq(t testing.TB, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// decodeJSON parses JSON text into a generic value.
func decodeJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON in test: %v\n%s", err, s)
	}
	return v
}

// ---- 1. The pages' examples ----

// pageAllClients is page 000's query, verbatim.
const pageAllClients = `query {
admin {
allClients {
edges {
node {
name
code
group
}
}
}
}
}`

func TestGraphQLAdminPageExample(t *testing.T) {
	srv := standintest.Start(t)
	r := doGraphQL(t, srv, adminPath, pageAllClients, map[string]any{})
	mustOK(t, r)
	edges, _ := r.at("admin", "allClients", "edges").([]any)
	if len(edges) < 2 {
		t.Fatalf("want the page's clients and more, got %d edges: %s", len(edges), r.Raw)
	}
	jsonEq(t, "first two clients", []any{r.at("admin", "allClients", "edges", 0), r.at("admin", "allClients", "edges", 1)},
		decodeJSON(t, `[{"node":{"name":"client-name-1","code":"client-code-1","group":"client-group-1"}},
		{"node":{"name":"client-name-2","code":"client-code-2","group":"client-group-2"}}]`))
	for i, e := range edges {
		node, _ := e.(map[string]any)["node"].(map[string]any)
		if len(node) != 3 || node["name"] == nil || node["code"] == nil {
			t.Fatalf("edge %d: want exactly name, code, group: %v", i, e)
		}
	}

	withCount := strings.Replace(pageAllClients, "allClients {", "allClients {\ntotalCount", 1)
	r2 := doGraphQL(t, srv, adminPath, withCount, nil)
	mustOK(t, r2)
	if tc, _ := r2.at("admin", "allClients", "totalCount").(float64); int(tc) != len(edges) {
		t.Fatalf("totalCount %v, want %d (every client, the page says allClients returns all)", tc, len(edges))
	}
}

// pageAccountsSelection is page 001's accounts query after its first line.
const pageAccountsSelection = `
accounts(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
nodes {
name
id
externalId
countryCode
accessTypes
defaultRole
status
}
}
}`

// pageAccountFields is the end of page 001's account query, after
// `account(id: $id)`.
const pageAccountFields = `
name
id
externalId
status
accessTypes
countryCode
defaultRole
}
}`

// pageAccounts is page 001's accounts query with its variables declared.
const pageAccounts = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: AccountFilter, $orderBy: AccountOrder) {` + pageAccountsSelection

const pageMyCompany = `{"name": "My Company Inc.", "id": "017eb76e-957f-409e-8be3-fc6fed394137", "externalId": "a111111",
 "countryCode": "US", "accessTypes": ["CUSTOMER", "CHANNEL_ADMIN", "VENDOR"], "defaultRole": "USER", "status": "PENDING_ACTIVATION"}`

const pageCustomerOne = `{"name": "Customer Company One", "id": "7480a312-916e-4739-b53a-7345bf3c6929", "externalId": "c333333",
 "countryCode": "US", "accessTypes": ["CUSTOMER"], "defaultRole": "USER", "status": "PENDING_ACTIVATION"}`

func TestGraphQLMarketplacePageExamples(t *testing.T) {
	srv := standintest.Start(t)

	t.Run("accounts", func(t *testing.T) {
		for _, vars := range []map[string]any{nil, {"filter": map[string]any{"name": "Customer Company One"}}} {
			r := doGraphQL(t, srv, marketPath, pageAccounts, vars)
			mustOK(t, r)
			nodes, _ := r.at("accounts", "nodes").([]any)
			found := map[string]any{}
			for _, n := range nodes {
				found[n.(map[string]any)["name"].(string)] = n
			}
			want := []string{pageMyCompany, pageCustomerOne}
			if vars != nil {
				want = want[1:]
				if len(nodes) != 1 {
					t.Fatalf("filter by name: want 1 node, got %d", len(nodes))
				}
			}
			for _, w := range want {
				wv := decodeJSON(t, w).(map[string]any)
				jsonEq(t, "account "+wv["name"].(string), found[wv["name"].(string)], wv)
			}
		}
	})

	t.Run("account", func(t *testing.T) {
		q := "query ($id: ID!) {\naccount(id: $id) {" + pageAccountFields
		r := doGraphQL(t, srv, marketPath, q, map[string]any{"id": idCustomerOne})
		mustOK(t, r)
		jsonEq(t, "account", r.at("account"), decodeJSON(t, pageCustomerOne))
		r = doGraphQL(t, srv, marketPath, `{ account(id: "`+idCustomerOne+`") { name } }`, nil)
		mustOK(t, r)
		if r.at("account", "name") != "Customer Company One" {
			t.Fatalf("inline id: %s", r.Raw)
		}
	})

	t.Run("deleteAccount", func(t *testing.T) {
		srv.Reset()
		t.Cleanup(srv.Reset)
		r := doGraphQL(t, srv, marketPath, `mutation {
deleteAccount(
input: {
accountId: "0438bc88-bd79-40be-bc89-93d27b5773eb",
}
) { success }
}`, nil)
		mustOK(t, r)
		jsonEq(t, "data", r.data(), map[string]any{"deleteAccount": map[string]any{"success": true}})
		r = doGraphQL(t, srv, marketPath, `{ account(id: "`+idDormant+`") { id } }`, nil)
		oneError(t, r, "NOT_FOUND", []any{"account"})
	})
}

// The page's accounts query uses variables it never declares and its
// deleteAccount mutation has no selection set: both run as printed, with the
// repairs reported, unless strictGraphQL is set.
const (
	verbatimAccounts      = "query { " + pageAccountsSelection               // as printed: variables not declared
	verbatimAccount       = "query { \naccount(id: $id)" + pageAccountFields // as printed: no "{" after the field
	verbatimDeleteAccount = `mutation {
deleteAccount(
input: {
accountId: "0438bc88-bd79-40be-bc89-93d27b5773eb",
}
)
}`
)

func TestGraphQLPageExamplesVerbatim(t *testing.T) {
	srv := standintest.Start(t)
	warnings := func(t *testing.T, r *gqlResult, n int) {
		t.Helper()
		ws, _ := r.Extensions["warnings"].([]any)
		if len(ws) != n {
			t.Fatalf("want %d warnings in extensions, got %v", n, r.Extensions)
		}
	}

	t.Run("accounts", func(t *testing.T) {
		r := doGraphQL(t, srv, marketPath, verbatimAccounts, nil)
		mustOK(t, r)
		warnings(t, r, 6) // one per undeclared variable
		if n, _ := r.at("accounts", "nodes").([]any); len(n) < 2 {
			t.Fatalf("want the accounts, got %s", r.Raw)
		}
		r = doGraphQL(t, srv, marketPath, verbatimAccounts, map[string]any{"filter": map[string]any{"name": "Customer Company One"}, "first": 5})
		mustOK(t, r)
		warnings(t, r, 6) // the cached repaired document keeps its warnings
		jsonEq(t, "filtered", r.at("accounts", "nodes"), []any{decodeJSON(t, pageCustomerOne)})
		// a repaired variable keeps its argument's type
		r = doGraphQL(t, srv, marketPath, verbatimAccounts, map[string]any{"first": "ten"})
		if r.Status != http.StatusOK || len(r.Errors) != 1 || r.data() != nil {
			t.Fatalf("want a variable coercion error, got %d %s", r.Status, r.Raw)
		}
	})

	t.Run("account", func(t *testing.T) {
		// the page's variables (`id: "…"`) are not JSON; sent as JSON
		r := doGraphQL(t, srv, marketPath, verbatimAccount, map[string]any{"id": idCustomerOne})
		mustOK(t, r)
		warnings(t, r, 2) // the missing brace, the undeclared $id
		jsonEq(t, "account", r.at("account"), decodeJSON(t, pageCustomerOne))
	})

	t.Run("deleteAccount", func(t *testing.T) {
		srv.Reset()
		t.Cleanup(srv.Reset)
		r := doGraphQL(t, srv, marketPath, verbatimDeleteAccount, nil)
		mustOK(t, r)
		warnings(t, r, 1)
		jsonEq(t, "data", r.data(), map[string]any{"deleteAccount": map[string]any{"success": true}})
	})

	t.Run("valid documents carry no warnings", func(t *testing.T) {
		r := doGraphQL(t, srv, marketPath, pageAccounts, nil)
		mustOK(t, r)
		if r.Extensions != nil {
			t.Fatalf("unexpected extensions: %s", r.Raw)
		}
	})

	t.Run("other validation errors are not repaired", func(t *testing.T) {
		r := doGraphQL(t, srv, marketPath, `query { accounts(first: $first) { nodes { noSuchField } } }`, nil)
		if r.Status != http.StatusOK || r.Data != nil || len(r.Errors) == 0 || r.Extensions != nil {
			t.Fatalf("want validation errors only, got %d %s", r.Status, r.Raw)
		}
		for _, e := range r.Errors {
			if e.code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Fatalf("want GRAPHQL_VALIDATION_FAILED, got %s", r.Raw)
			}
		}
	})

	t.Run("strictGraphQL rejects them", func(t *testing.T) {
		cfgFile := filepath.Join(t.TempDir(), "strict.yaml")
		if err := os.WriteFile(cfgFile, []byte("strictGraphQL: true\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		strict := standintest.Start(t, standintest.WithConfigFile(cfgFile))
		for q, code := range map[string]string{verbatimAccounts: "GRAPHQL_VALIDATION_FAILED", verbatimDeleteAccount: "GRAPHQL_VALIDATION_FAILED", verbatimAccount: "GRAPHQL_PARSE_FAILED"} {
			r := doGraphQL(t, strict, marketPath, q, nil, withHeader("Accept", "application/graphql-response+json"))
			if r.Status != http.StatusBadRequest || len(r.Errors) == 0 || r.Errors[0].code() != code {
				t.Fatalf("strict: want 400 %s, got %d %s", code, r.Status, r.Raw)
			}
		}
	})
}

// ---- 2. Pagination ----

// connSpec describes one connection to walk.
type connSpec struct {
	name  string
	path  string
	query string // declares $first $after $last $before (+ extras); selects the connection
	conn  []any  // path to the connection in data
	key   string // node field identifying a record
	extra map[string]any
}

const accountsWalkQuery = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: AccountFilter, $orderBy: AccountOrder) {
  accounts(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name createdOn status } }
  }
}`

const clientsWalkQuery = `query ($first: Int, $after: String, $last: Int, $before: String) {
  admin { allClients(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code name } }
  } }
}`

type page struct {
	keys       []string
	cursors    []string
	total      int
	hasNext    bool
	hasPrev    bool
	start, end any
	raw        []byte
}

func fetchPage(t *testing.T, srv *standintest.Server, c connSpec, args map[string]any) page {
	t.Helper()
	vars := map[string]any{}
	for k, v := range c.extra {
		vars[k] = v
	}
	for k, v := range args {
		vars[k] = v
	}
	r := doGraphQL(t, srv, c.path, c.query, vars)
	mustOK(t, r)
	conn, _ := r.at(c.conn...).(map[string]any)
	if conn == nil {
		t.Fatalf("no connection in %s", r.Raw)
	}
	p := page{raw: r.Raw, total: int(conn["totalCount"].(float64))}
	pi := conn["pageInfo"].(map[string]any)
	p.hasNext, p.hasPrev, p.start, p.end = pi["hasNextPage"].(bool), pi["hasPreviousPage"].(bool), pi["startCursor"], pi["endCursor"]
	for _, e := range conn["edges"].([]any) {
		e := e.(map[string]any)
		p.keys = append(p.keys, e["node"].(map[string]any)[c.key].(string))
		p.cursors = append(p.cursors, e["cursor"].(string))
	}
	// startCursor/endCursor are exactly the first/last edge's cursor, or null.
	if len(p.cursors) == 0 {
		if p.start != nil || p.end != nil {
			t.Fatalf("empty page with cursors: %s", r.Raw)
		}
	} else if p.start != p.cursors[0] || p.end != p.cursors[len(p.cursors)-1] {
		t.Fatalf("startCursor/endCursor are not the first/last edge's: %s", r.Raw)
	}
	return p
}

// walk visits the connection forward (first/after) or backward
// (last/before) n at a time and checks pageInfo on every page.
func walk(t *testing.T, srv *standintest.Server, c connSpec, n int, backward bool) (keys []string, total int) {
	t.Helper()
	var cur any
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("walk does not end")
		}
		args := map[string]any{"first": n, "after": cur}
		if backward {
			args = map[string]any{"last": n, "before": cur}
		}
		p := fetchPage(t, srv, c, args)
		if i == 0 {
			total = p.total
		} else if p.total != total {
			t.Fatalf("totalCount changed while walking: %d then %d", total, p.total)
		}
		if len(p.keys) > n {
			t.Fatalf("page of %d items, asked %d", len(p.keys), n)
		}
		more := p.hasNext
		if backward {
			more = p.hasPrev
			keys = append(append([]string{}, p.keys...), keys...)
			// a page with a before cursor has something after it
			if cur != nil && !p.hasNext {
				t.Fatalf("backward page before a cursor says hasNextPage false: %s", p.raw)
			}
			if i == 0 && p.hasNext {
				t.Fatalf("the last page says hasNextPage: %s", p.raw)
			}
			cur = p.start
		} else {
			keys = append(keys, p.keys...)
			if cur != nil && !p.hasPrev {
				t.Fatalf("forward page after a cursor says hasPreviousPage false: %s", p.raw)
			}
			if i == 0 && p.hasPrev {
				t.Fatalf("the first page says hasPreviousPage: %s", p.raw)
			}
			cur = p.end
		}
		if !more {
			if len(p.keys) == 0 && total > 0 {
				t.Fatalf("walk ended on an empty page: %s", p.raw)
			}
			return keys, total
		}
		if len(p.keys) != n {
			t.Fatalf("a page with more beyond it holds %d items, asked %d: %s", len(p.keys), n, p.raw)
		}
	}
}

// allOf fetches the whole connection in one page.
func allOf(t *testing.T, srv *standintest.Server, c connSpec) page {
	t.Helper()
	p := fetchPage(t, srv, c, map[string]any{"first": 100})
	if p.hasNext || p.hasPrev || len(p.keys) != p.total {
		t.Fatalf("first: 100 does not hold the whole connection (%d of %d)", len(p.keys), p.total)
	}
	return p
}

func TestGraphQLPaginationWalk(t *testing.T) {
	srv := standintest.Start(t)
	specs := []connSpec{
		{name: "accounts", path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id"},
		{name: "accounts NAME DESC", path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id",
			extra: map[string]any{"orderBy": map[string]any{"field": "NAME", "direction": "DESC"}}},
		{name: "accounts NAME ASC", path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id",
			extra: map[string]any{"orderBy": map[string]any{"field": "NAME", "direction": "ASC"}}},
		{name: "accounts CREATED_ON DESC", path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id",
			extra: map[string]any{"orderBy": map[string]any{"field": "CREATED_ON", "direction": "DESC"}}},
		{name: "accounts filter US", path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id",
			extra: map[string]any{"filter": map[string]any{"countryCode": "US"}}},
		{name: "accounts filter ACTIVE by name", path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id",
			extra: map[string]any{"filter": map[string]any{"status": "ACTIVE"}, "orderBy": map[string]any{"field": "NAME", "direction": "DESC"}}},
		{name: "allClients", path: adminPath, query: clientsWalkQuery, conn: []any{"admin", "allClients"}, key: "code"},
	}
	for _, c := range specs {
		t.Run(c.name, func(t *testing.T) {
			all := allOf(t, srv, c)
			if all.total < 3 {
				t.Fatalf("too few records to walk: %d", all.total)
			}
			seen := map[string]bool{}
			for _, k := range all.keys {
				if seen[k] {
					t.Fatalf("record %s twice in one page", k)
				}
				seen[k] = true
			}
			for _, n := range []int{1, 7, all.total, 100} {
				for _, back := range []bool{false, true} {
					keys, total := walk(t, srv, c, n, back)
					if total != len(keys) || !slicesEqual(keys, all.keys) {
						t.Fatalf("n=%d backward=%v: visited %d (totalCount %d), order differs: %v\nwant %v", n, back, len(keys), total, keys, all.keys)
					}
				}
			}
			// Cursors are stable across requests.
			again := allOf(t, srv, c)
			if !slicesEqual(again.cursors, all.cursors) {
				t.Fatal("cursors differ between two identical requests")
			}
			// after/before a middle cursor.
			mid := len(all.keys) / 2
			p := fetchPage(t, srv, c, map[string]any{"first": 100, "after": all.cursors[mid]})
			if !slicesEqual(p.keys, all.keys[mid+1:]) || !p.hasPrev || p.hasNext {
				t.Fatalf("after the middle cursor: %s", p.raw)
			}
			p = fetchPage(t, srv, c, map[string]any{"last": 100, "before": all.cursors[mid]})
			if !slicesEqual(p.keys, all.keys[:mid]) || !p.hasNext || p.hasPrev {
				t.Fatalf("before the middle cursor: %s", p.raw)
			}
			// first: 0 / last: 0 give an empty page with totalCount.
			p = fetchPage(t, srv, c, map[string]any{"first": 0})
			if len(p.keys) != 0 || p.total != all.total || !p.hasNext {
				t.Fatalf("first: 0: %s", p.raw)
			}
			// Past the end.
			p = fetchPage(t, srv, c, map[string]any{"first": 5, "after": all.cursors[len(all.cursors)-1]})
			if len(p.keys) != 0 || p.hasNext || !p.hasPrev {
				t.Fatalf("after the last cursor: %s", p.raw)
			}
		})
	}
}

func TestGraphQLPaginationOrder(t *testing.T) {
	srv := standintest.Start(t)
	c := connSpec{path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id"}
	r := doGraphQL(t, srv, marketPath, `{ accounts(first: 100) { nodes { id name createdOn status countryCode } } }`, nil)
	mustOK(t, r)
	type acc struct{ id, name, created, status, country string }
	var base []acc
	for _, n := range r.at("accounts", "nodes").([]any) {
		m := n.(map[string]any)
		base = append(base, acc{m["id"].(string), m["name"].(string), m["createdOn"].(string), m["status"].(string), m["countryCode"].(string)})
	}
	ids := func(l []acc) []string {
		var out []string
		for _, a := range l {
			out = append(out, a.id)
		}
		return out
	}
	// Ties keep creation (insertion) order in both directions.
	byName := func(desc bool) []string {
		l := append([]acc{}, base...)
		sort.SliceStable(l, func(i, j int) bool {
			if desc {
				return l[i].name > l[j].name
			}
			return l[i].name < l[j].name
		})
		return ids(l)
	}
	for _, dir := range []string{"ASC", "DESC"} {
		c.extra = map[string]any{"orderBy": map[string]any{"field": "NAME", "direction": dir}}
		got := allOf(t, srv, c)
		if want := byName(dir == "DESC"); !slicesEqual(got.keys, want) {
			t.Errorf("NAME %s:\n got %v\nwant %v", dir, got.keys, want)
		}
	}
	c.extra = map[string]any{"orderBy": map[string]any{"field": "CREATED_ON", "direction": "ASC"}}
	got := allOf(t, srv, c)
	l := append([]acc{}, base...)
	sort.SliceStable(l, func(i, j int) bool { return l[i].created < l[j].created })
	if !slicesEqual(got.keys, ids(l)) {
		t.Errorf("CREATED_ON ASC:\n got %v\nwant %v", got.keys, ids(l))
	}
	// filter combines fields.
	c.extra = map[string]any{"filter": map[string]any{"status": "ACTIVE", "countryCode": "US"}}
	got = allOf(t, srv, c)
	var want []string
	for _, a := range base {
		if a.status == "ACTIVE" && a.country == "US" {
			want = append(want, a.id)
		}
	}
	if !slicesEqual(got.keys, want) || got.total != len(want) {
		t.Errorf("filter status+country: got %v (total %d), want %v", got.keys, got.total, want)
	}
}

func TestGraphQLPaginationErrors(t *testing.T) {
	srv := standintest.Start(t)
	accounts := connSpec{path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id"}
	byName := map[string]any{"field": "NAME", "direction": "ASC"}
	nameCursor := fetchPage(t, srv, connSpec{path: marketPath, query: accountsWalkQuery, conn: []any{"accounts"}, key: "id",
		extra: map[string]any{"orderBy": byName}}, map[string]any{"first": 2}).end
	plainCursor := fetchPage(t, srv, accounts, map[string]any{"first": 2}).end
	cases := []struct {
		name    string
		path    string
		query   string
		vars    map[string]any
		errPath []any
		msg     string
	}{
		{"negative first", marketPath, accountsWalkQuery, map[string]any{"first": -1}, []any{"accounts"}, "first must be between 0 and 100"},
		{"oversized first", marketPath, accountsWalkQuery, map[string]any{"first": 101}, []any{"accounts"}, "first must be between 0 and 100"},
		{"negative last", marketPath, accountsWalkQuery, map[string]any{"last": -5}, []any{"accounts"}, "last must be between 0 and 100"},
		{"oversized last", marketPath, accountsWalkQuery, map[string]any{"last": 101}, []any{"accounts"}, "last must be between 0 and 100"},
		{"first and last", marketPath, accountsWalkQuery, map[string]any{"first": 1, "last": 1}, []any{"accounts"}, "not both"},
		{"garbage cursor", marketPath, accountsWalkQuery, map[string]any{"after": "not-a-cursor"}, []any{"accounts"}, "not a cursor"},
		{"garbage before", marketPath, accountsWalkQuery, map[string]any{"before": "Zm9v"}, []any{"accounts"}, "not a cursor"},
		{"cursor of another orderBy", marketPath, accountsWalkQuery, map[string]any{"after": nameCursor}, []any{"accounts"}, "another orderBy"},
		{"plain cursor under orderBy", marketPath, accountsWalkQuery, map[string]any{"after": plainCursor, "orderBy": byName}, []any{"accounts"}, "another orderBy"},
		{"cursor of other direction", marketPath, accountsWalkQuery, map[string]any{"after": nameCursor, "orderBy": map[string]any{"field": "NAME", "direction": "DESC"}}, []any{"accounts"}, "another orderBy"},
		{"admin oversized", adminPath, clientsWalkQuery, map[string]any{"first": 101}, []any{"admin", "allClients"}, "first must be between 0 and 100"},
		{"admin first and last", adminPath, clientsWalkQuery, map[string]any{"first": 1, "last": 1}, []any{"admin", "allClients"}, "not both"},
		{"admin garbage cursor", adminPath, clientsWalkQuery, map[string]any{"before": "%%%"}, []any{"admin", "allClients"}, "not a cursor"},
		{"nested memberships", marketPath, `{ account(id: "` + idCustomerOne + `") { memberships(first: -1) { totalCount } } }`, nil, []any{"account", "memberships"}, "first must be between 0 and 100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := doGraphQL(t, srv, tc.path, tc.query, tc.vars)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Raw)
			}
			e := oneError(t, r, "BAD_USER_INPUT", tc.errPath)
			if !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("message %q does not say %q", e.Message, tc.msg)
			}
		})
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ---- 3. Introspection equals the SDL ----

func TestGraphQLIntrospectionMatchesSDL(t *testing.T) {
	srv := standintest.Start(t)
	for _, api := range []struct{ path, sdl string }{
		{adminPath, "../../specs/admin/schema.graphql"},
		{marketPath, "../../specs/marketplace/schema.graphql"},
	} {
		t.Run(api.sdl, func(t *testing.T) {
			src, err := os.ReadFile(api.sdl)
			if err != nil {
				t.Fatal(err)
			}
			want, gerr := gqlparser.LoadSchema(&ast.Source{Name: api.sdl, Input: string(src)})
			if gerr != nil {
				t.Fatal(gerr)
			}
			r := doGraphQL(t, srv, api.path, introspect.FullQuery, nil)
			mustOK(t, r)
			got, err := introspect.LoadSchema(r.Raw)
			if err != nil {
				t.Fatalf("rebuild from introspection: %v", err)
			}
			if diffs := introspect.Compare(want, got, introspect.CompareOptions{}); len(diffs) > 0 {
				t.Fatalf("introspection differs from the SDL: %v", diffs)
			}
			// Introspection needs credentials like any other query.
			r = doGraphQL(t, srv, api.path, introspect.FullQuery, nil, noAuth())
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("introspection without a token: %d", r.Status)
			}
		})
	}
}

// ---- 5. GraphQL features through the bound schemas ----

func TestGraphQLBoundFeatures(t *testing.T) {
	srv := standintest.Start(t)
	cases := []struct {
		name   string
		path   string
		query  string
		vars   map[string]any
		opts   []reqOpt
		status int
		data   string // expected data JSON ("" = not checked, "null" = null/absent)
		code   string // expected single error code ("" = none)
		epath  []any
		msg    string
	}{
		{name: "named fragment", path: marketPath,
			query:  `query { account(id: "` + idCustomerOne + `") { ...A } } fragment A on Account { name externalId }`,
			status: 200, data: `{"account":{"name":"Customer Company One","externalId":"c333333"}}`},
		{name: "inline fragment and __typename", path: marketPath,
			query:  `{ account(id: "` + idCustomerOne + `") { __typename ... on Account { countryCode } } }`,
			status: 200, data: `{"account":{"__typename":"Account","countryCode":"US"}}`},
		{name: "variables", path: marketPath,
			query: `query Q($id: ID!, $n: Int = 1) { account(id: $id) { name memberships(first: $n) { totalCount nodes { accountId } } } }`,
			vars:  map[string]any{"id": idCustomerOne}, status: 200,
			data: `{"account":{"name":"Customer Company One","memberships":{"totalCount":1,"nodes":[{"accountId":"` + idCustomerOne + `"}]}}}`},
		{name: "aliases", path: marketPath,
			query:  `{ a: account(id: "` + idCustomerOne + `") { n: name } b: account(id: "` + idMyCompany + `") { n: name } c: accounts(filter: {name: "My Company Inc."}) { total: totalCount } }`,
			status: 200, data: `{"a":{"n":"Customer Company One"},"b":{"n":"My Company Inc."},"c":{"total":1}}`},
		{name: "directives", path: marketPath,
			query: `query ($yes: Boolean!) { account(id: "` + idCustomerOne + `") { name @include(if: $yes) id @skip(if: $yes) externalId @include(if: false) } }`,
			vars:  map[string]any{"yes": true}, status: 200, data: `{"account":{"name":"Customer Company One"}}`},
		{name: "nested ref", path: marketPath,
			query:  `{ account(id: "` + idCustomerOne + `") { subscriptions(status: ACTIVE) { nodes { status account { name } } } } }`,
			status: 200, data: `{"account":{"subscriptions":{"nodes":[{"status":"ACTIVE","account":{"name":"Customer Company One"}}]}}}`},
		{name: "accountByExternalId", path: marketPath,
			query:  `{ accountByExternalId(externalId: "a111111") { id } }`,
			status: 200, data: `{"accountByExternalId":{"id":"` + idMyCompany + `"}}`},
		{name: "unknown account", path: marketPath,
			query:  `{ account(id: "unknown") { name } }`,
			status: 200, data: `{"account":null}`, code: "NOT_FOUND", epath: []any{"account"}, msg: `no account with id "unknown"`},
		{name: "null propagation keeps siblings", path: marketPath,
			query:  `{ x: account(id: "unknown") { name } y: account(id: "` + idCustomerOne + `") { name } }`,
			status: 200, data: `{"x":null,"y":{"name":"Customer Company One"}}`, code: "NOT_FOUND", epath: []any{"x"}},
		{name: "bad variable", path: marketPath,
			query: `query ($id: ID!) { account(id: $id) { name } }`, vars: map[string]any{"id": map[string]any{"x": 1}},
			status: 200, data: "null", code: "BAD_USER_INPUT"},
		{name: "missing variable", path: marketPath,
			query: `query ($id: ID!) { account(id: $id) { name } }`, status: 200, data: "null", code: "BAD_USER_INPUT"},
		{name: "bad enum in orderBy", path: marketPath,
			query: `{ accounts(orderBy: {field: SIZE, direction: ASC}) { totalCount } }`, status: 200, data: "null", code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "syntax error", path: marketPath,
			query: `{ account(id: "x") { name }`, status: 200, data: "null", code: "GRAPHQL_PARSE_FAILED"},
		{name: "readonly on admin", path: adminPath, opts: []reqOpt{bearer(readonlyToken)},
			query:  `{ admin { allClients { totalCount } } }`,
			status: 200, data: `{"admin":{"allClients":null}}`, code: "FORBIDDEN", epath: []any{"admin", "allClients"}, msg: "permission denied"},
		{name: "no token", path: adminPath, opts: []reqOpt{noAuth()},
			query: `{ admin { allClients { totalCount } } }`, status: 401, data: "null", code: "UNAUTHENTICATED"},
		{name: "unknown token", path: marketPath, opts: []reqOpt{bearer("nope")},
			query: `{ accounts { totalCount } }`, status: 401, data: "null", code: "UNAUTHENTICATED"},
		{name: "API key on admin", path: adminPath, opts: []reqOpt{noAuth(), withHeader("X-API-Key", adminToken)},
			query: `{ admin { allClients(first: 1) { edges { node { name } } } } }`, status: 200,
			data: `{"admin":{"allClients":{"edges":[{"node":{"name":"client-name-1"}}]}}}`},
		{name: "readonly reads marketplace", path: marketPath, opts: []reqOpt{bearer(readonlyToken)},
			query: `{ account(id: "` + idCustomerOne + `") { name } }`, status: 200, data: `{"account":{"name":"Customer Company One"}}`},
		{name: "readonly cannot mutate", path: marketPath, opts: []reqOpt{bearer(readonlyToken)},
			query:  `mutation { deleteAccount(input: {accountId: "` + idDormant + `"}) { success } }`,
			status: 200, data: `{"deleteAccount":null}`, code: "FORBIDDEN", epath: []any{"deleteAccount"}},
		{name: "graphql-response+json: validation error is 400", path: marketPath, opts: []reqOpt{withHeader("Accept", graphqlRespType)},
			query: `{ nope }`, status: 400, data: "null", code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "graphql-response+json: partial data is 200", path: marketPath, opts: []reqOpt{withHeader("Accept", graphqlRespType)},
			query: `{ account(id: "unknown") { name } }`, status: 200, data: `{"account":null}`, code: "NOT_FOUND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := doGraphQL(t, srv, tc.path, tc.query, tc.vars, tc.opts...)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Raw)
			}
			if tc.code == "" {
				mustOK(t, r)
			} else {
				e := oneError(t, r, tc.code, tc.epath)
				if !strings.Contains(e.Message, tc.msg) {
					t.Fatalf("message %q does not contain %q", e.Message, tc.msg)
				}
			}
			switch tc.data {
			case "":
			case "null":
				if r.data() != nil {
					t.Fatalf("want no data: %s", r.Raw)
				}
			default:
				jsonEq(t, "data", r.data(), decodeJSON(t, tc.data))
			}
			if tc.opts != nil && tc.status == 200 && strings.Contains(r.Header.Get("Content-Type"), "graphql-response") != (len(tc.opts) == 1 && strings.Contains(tc.name, "graphql-response")) {
				t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
			}
		})
	}
}

func TestGraphQLHTTPProtocol(t *testing.T) {
	srv := standintest.Start(t)
	get := func(path, query string, hdr ...reqOpt) *gqlResult {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path+"?query="+url.QueryEscape(query), nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		for _, o := range hdr {
			o(req)
		}
		return send(t, srv, req)
	}
	r := get(adminPath, `{ admin { allClients(first: 2) { totalCount } } }`)
	mustOK(t, r)
	if r.at("admin", "allClients", "totalCount") == nil {
		t.Fatalf("GET query: %s", r.Raw)
	}
	r = get(marketPath, `mutation { deleteAccount(input: {accountId: "`+idDormant+`"}) { success } }`)
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" {
		t.Fatalf("mutation over GET: %d Allow=%q %s", r.Status, r.Header.Get("Allow"), r.Raw)
	}
	// The account is still there.
	r = doGraphQL(t, srv, marketPath, `{ account(id: "`+idDormant+`") { id } }`, nil)
	mustOK(t, r)
	// Media types.
	for accept, want := range map[string]string{
		"":                 graphqlRespType,
		graphqlRespType:    graphqlRespType,
		"application/json": "application/json",
		"*/*":              "application/json",
		"application/json;q=0.5, " + graphqlRespType: graphqlRespType,
	} {
		r := get(marketPath, `{ accounts(first: 1) { totalCount } }`, withHeader("Accept", accept))
		if accept == "" {
			r = get(marketPath, `{ accounts(first: 1) { totalCount } }`, func(req *http.Request) { req.Header.Del("Accept") })
		}
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), want) {
			t.Errorf("Accept %q: %d %q", accept, r.Status, r.Header.Get("Content-Type"))
		}
	}
	r = get(marketPath, `{ accounts(first: 1) { totalCount } }`, withHeader("Accept", "text/html"))
	if r.Status != http.StatusNotAcceptable {
		t.Errorf("Accept text/html: %d", r.Status)
	}
	// 401 in both media types, with the API's message.
	r = doGraphQL(t, srv, adminPath, `{ admin { allClients { totalCount } } }`, nil, noAuth(), withHeader("Accept", graphqlRespType))
	if r.Status != 401 || len(r.Errors) != 1 || r.Errors[0].code() != "UNAUTHENTICATED" {
		t.Fatalf("no token: %d %s", r.Status, r.Raw)
	}
}

// ---- 6. deleteAccount end to end ----

func TestGraphQLDeleteAccountFlow(t *testing.T) {
	srv := standintest.Start(t)
	count := func() int {
		r := doGraphQL(t, srv, marketPath, `{ accounts { totalCount } }`, nil)
		mustOK(t, r)
		return int(r.at("accounts", "totalCount").(float64))
	}
	before := count()
	r := doGraphQL(t, srv, marketPath, `query ($id: ID!) { account(id: $id) {
		memberships(first: 100) { totalCount nodes { id } }
		subscriptions(first: 100) { nodes { id status } } } }`, map[string]any{"id": idCustomerOne})
	mustOK(t, r)
	var members, active []any
	for _, n := range r.at("account", "memberships", "nodes").([]any) {
		members = append(members, n.(map[string]any)["id"])
	}
	for _, n := range r.at("account", "subscriptions", "nodes").([]any) {
		if n.(map[string]any)["status"] != "CANCELLED" {
			active = append(active, n.(map[string]any)["id"])
		}
	}
	if len(members) == 0 || len(active) == 0 {
		t.Fatalf("Customer Company One should have memberships and active subscriptions: %s", r.Raw)
	}
	del := `mutation ($id: ID!) { deleteAccount(input: {accountId: $id}) { success } }`
	blockers := func(r *gqlResult) map[string]any {
		out := map[string]any{}
		bl, _ := r.Errors[0].Extensions["blockers"].([]any)
		for _, b := range bl {
			b := b.(map[string]any)
			out[b["code"].(string)] = b["ids"]
		}
		return out
	}

	r = doGraphQL(t, srv, marketPath, del, map[string]any{"id": idCustomerOne})
	e := oneError(t, r, "ACCOUNT_HAS_MEMBERSHIPS", []any{"deleteAccount"})
	jsonEq(t, "data", r.data(), map[string]any{"deleteAccount": nil})
	jsonEq(t, "blockers", blockers(r), map[string]any{"ACCOUNT_HAS_MEMBERSHIPS": members, "ACCOUNT_HAS_ACTIVE_SUBSCRIPTIONS": active})
	for _, id := range append(append([]any{}, members...), active...) {
		if !strings.Contains(e.Message, id.(string)) {
			t.Errorf("message %q does not name %s", e.Message, id)
		}
	}
	if !strings.HasPrefix(e.Message, `account "`+idCustomerOne+`" cannot be deleted`) {
		t.Errorf("message %q should name the account in the singular", e.Message)
	}

	// Read-only callers cannot lift the block.
	r = doGraphQL(t, srv, marketPath, `mutation ($id: ID!) { deleteAccountMembership(input: {membershipId: $id}) { success } }`,
		map[string]any{"id": members[0]}, bearer(readonlyToken))
	oneError(t, r, "FORBIDDEN", []any{"deleteAccountMembership"})

	for _, id := range members {
		r = doGraphQL(t, srv, marketPath, `mutation ($id: ID!) { deleteAccountMembership(input: {membershipId: $id}) { success } }`, map[string]any{"id": id})
		mustOK(t, r)
		jsonEq(t, "deleteAccountMembership", r.data(), map[string]any{"deleteAccountMembership": map[string]any{"success": true}})
	}
	r = doGraphQL(t, srv, marketPath, del, map[string]any{"id": idCustomerOne})
	oneError(t, r, "ACCOUNT_HAS_ACTIVE_SUBSCRIPTIONS", []any{"deleteAccount"})
	jsonEq(t, "blockers", blockers(r), map[string]any{"ACCOUNT_HAS_ACTIVE_SUBSCRIPTIONS": active})

	term := `mutation ($id: ID!) { terminateSubscription(input: {subscriptionId: $id}) { success subscription { id status endedOn } } }`
	for _, id := range active {
		r = doGraphQL(t, srv, marketPath, term, map[string]any{"id": id})
		mustOK(t, r)
		if r.at("terminateSubscription", "subscription", "status") != "CANCELLED" || r.at("terminateSubscription", "subscription", "endedOn") == nil {
			t.Fatalf("terminateSubscription: %s", r.Raw)
		}
		// Terminating again is refused.
		r = doGraphQL(t, srv, marketPath, term, map[string]any{"id": id})
		oneError(t, r, "BAD_USER_INPUT", []any{"terminateSubscription"})
	}
	r = doGraphQL(t, srv, marketPath, del, map[string]any{"id": idCustomerOne})
	mustOK(t, r)
	jsonEq(t, "deleteAccount", r.data(), map[string]any{"deleteAccount": map[string]any{"success": true}})

	r = doGraphQL(t, srv, marketPath, `{ account(id: "`+idCustomerOne+`") { id } }`, nil)
	oneError(t, r, "NOT_FOUND", []any{"account"})
	jsonEq(t, "data", r.data(), map[string]any{"account": nil})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/account/v2/companies/"+idCustomerOne, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if rr := send(t, srv, req); rr.Status != http.StatusNotFound {
		t.Fatalf("REST after delete: %d %s", rr.Status, rr.Raw)
	}
	if after := count(); after != before-1 {
		t.Fatalf("accounts totalCount %d after delete, want %d", after, before-1)
	}
	r = doGraphQL(t, srv, marketPath, del, map[string]any{"id": idCustomerOne})
	oneError(t, r, "NOT_FOUND", []any{"deleteAccount"})
}

// TestGraphQLConcurrentMutations races goroutines on the same records:
// each record is deleted or terminated exactly once.
func TestGraphQLConcurrentMutations(t *testing.T) {
	srv := standintest.Start(t)
	r := doGraphQL(t, srv, marketPath, `query ($id: ID!) { account(id: $id) {
		memberships(first: 100) { nodes { id } } subscriptions(first: 100) { nodes { id status } } } }`, map[string]any{"id": idMyCompany})
	mustOK(t, r)
	type op struct{ query, id, field string }
	var ops []op
	for _, n := range r.at("account", "memberships", "nodes").([]any) {
		ops = append(ops, op{`mutation ($id: ID!) { m: deleteAccountMembership(input: {membershipId: $id}) { success } }`, n.(map[string]any)["id"].(string), "m"})
	}
	for _, n := range r.at("account", "subscriptions", "nodes").([]any) {
		if n.(map[string]any)["status"] != "CANCELLED" {
			ops = append(ops, op{`mutation ($id: ID!) { m: terminateSubscription(input: {subscriptionId: $id}) { success } }`, n.(map[string]any)["id"].(string), "m"})
		}
	}
	const workers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := map[string]int{}
	failures := map[string][]string{}
	for _, o := range ops {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := doGraphQL(t, srv, marketPath, o.query, map[string]any{"id": o.id})
				mu.Lock()
				defer mu.Unlock()
				if r.Status != 200 {
					failures[o.id] = append(failures[o.id], fmt.Sprintf("status %d", r.Status))
				} else if len(r.Errors) == 0 && r.at("m", "success") == true {
					wins[o.id]++
				} else {
					failures[o.id] = append(failures[o.id], strings.Join(r.errCodes(), ","))
				}
			}()
		}
	}
	// Meanwhile, deleteAccount races against the unblocking and must
	// succeed at most once.
	accWins := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := doGraphQL(t, srv, marketPath, `mutation { deleteAccount(input: {accountId: "`+idMyCompany+`"}) { success } }`, nil)
			mu.Lock()
			defer mu.Unlock()
			if len(r.Errors) == 0 {
				accWins++
			}
		}()
	}
	wg.Wait()
	for _, o := range ops {
		if wins[o.id] != 1 {
			t.Errorf("%s: %d successes, want exactly 1 (failures %v)", o.id, wins[o.id], failures[o.id])
		}
		for _, f := range failures[o.id] {
			if f != "NOT_FOUND" && f != "BAD_USER_INPUT" {
				t.Errorf("%s: unexpected failure %q", o.id, f)
			}
		}
	}
	if accWins > 1 {
		t.Fatalf("deleteAccount succeeded %d times", accWins)
	}
	// Now nothing blocks: a second race deletes the account exactly once.
	if accWins == 0 {
		var n atomic.Int32
		var wg2 sync.WaitGroup
		for range workers {
			wg2.Add(1)
			go func() {
				defer wg2.Done()
				r := doGraphQL(t, srv, marketPath, `mutation { deleteAccount(input: {accountId: "`+idMyCompany+`"}) { success } }`, nil)
				if len(r.Errors) == 0 {
					n.Add(1)
				}
			}()
		}
		wg2.Wait()
		accWins = int(n.Load())
	}
	if accWins != 1 {
		t.Fatalf("deleteAccount: %d successes, want 1", accWins)
	}
	r = doGraphQL(t, srv, marketPath, `{ accounts(filter: {name: "My Company Inc."}) { totalCount } account(id: "`+idCustomerOne+`") { memberships { totalCount } } }`, nil)
	mustOK(t, r)
	jsonEq(t, "after", r.data(), map[string]any{"accounts": map[string]any{"totalCount": 0}, "account": map[string]any{"memberships": map[string]any{"totalCount": 1}}})
}

// ---- 7. Depth and cost limits ----

func TestGraphQLLimits(t *testing.T) {
	srv := standintest.Start(t)
	deep := `{ account(id: "` + idCustomerOne + `") { ` + strings.Repeat(`memberships(first: 1) { nodes { account { `, 5) + `id` + strings.Repeat(` } } }`, 5) + ` } }`
	costly := `{ accounts(first: 100) { nodes { memberships(first: 100) { nodes { account { subscriptions(first: 100) { totalCount } } } } } } }`
	for _, tc := range []struct {
		name, query, code, msg string
	}{
		{"depth", deep, "QUERY_TOO_DEEP", "depth"},
		{"cost", costly, "QUERY_TOO_COMPLEX", "cost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, accept := range []string{"application/json", graphqlRespType} {
				r := doGraphQL(t, srv, marketPath, tc.query, nil, withHeader("Accept", accept))
				want := 200
				if accept == graphqlRespType {
					want = 400
				}
				if r.Status != want || r.data() != nil {
					t.Fatalf("%s: status %d (want %d): %s", accept, r.Status, want, r.Raw)
				}
				e := oneError(t, r, tc.code, nil)
				if !strings.Contains(e.Message, tc.msg) {
					t.Fatalf("message %q", e.Message)
				}
			}
		})
	}
	// Within the limits the same shapes answer.
	r := doGraphQL(t, srv, marketPath, `{ accounts(first: 5) { nodes { memberships(first: 5) { nodes { account { subscriptions(first: 5) { totalCount } } } } } } }`, nil)
	mustOK(t, r)
}

// ---- 8. admin allClients default and the page's troubleshooting cases ----

func TestGraphQLAdminAllClientsScenarios(t *testing.T) {
	srv := standintest.Start(t)
	scenario := func(name string) reqOpt { return withHeader("X-Standin-Scenario", name) }
	withCount := strings.Replace(pageAllClients, "allClients {", "allClients {\ntotalCount", 1)

	t.Run("default returns all", func(t *testing.T) {
		r := doGraphQL(t, srv, adminPath, `{ admin { allClients { totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor } } } }`, nil)
		mustOK(t, r)
		total := int(r.at("admin", "allClients", "totalCount").(float64))
		if n := len(r.at("admin", "allClients", "edges").([]any)); n != total || total <= 50 {
			t.Fatalf("%d edges of %d clients: without first/last every client is returned (and there are more than 50)", n, total)
		}
		jsonEq(t, "pageInfo", r.at("admin", "allClients", "pageInfo"), map[string]any{"hasNextPage": false, "hasPreviousPage": false})
	})
	t.Run("no-clients", func(t *testing.T) {
		r := doGraphQL(t, srv, adminPath, withCount, nil, scenario("no-clients"))
		mustOK(t, r)
		jsonEq(t, "data", r.data(), map[string]any{"admin": map[string]any{"allClients": map[string]any{"totalCount": 0, "edges": []any{}}}})
	})
	t.Run("permission-denied", func(t *testing.T) {
		r := doGraphQL(t, srv, adminPath, pageAllClients, nil, scenario("permission-denied"))
		e := oneError(t, r, "FORBIDDEN", []any{"admin", "allClients"})
		if !strings.Contains(strings.ToLower(e.Message), "permission denied") {
			t.Fatalf("message %q", e.Message)
		}
		jsonEq(t, "data", r.data(), map[string]any{"admin": map[string]any{"allClients": nil}})
	})
	t.Run("query-timeout", func(t *testing.T) {
		if testing.Short() {
			t.Skip("the unpaginated case waits the scenario's 5s budget")
		}
		// The page's unpaginated query fails after the budget (this first
		// request also builds the large organization, within its budget).
		start := time.Now()
		r := doGraphQL(t, srv, adminPath, pageAllClients, nil, scenario("query-timeout"))
		took := time.Since(start)
		e := oneError(t, r, "TIMEOUT", []any{"admin", "allClients"})
		if !strings.Contains(e.Message, "Use pagination") {
			t.Fatalf("message %q", e.Message)
		}
		jsonEq(t, "data", r.data(), map[string]any{"admin": map[string]any{"allClients": nil}})
		if took < 4*time.Second || took > 8*time.Second {
			t.Fatalf("timed out after %v, want about the 5s budget", took)
		}
		// Paginated: answers normally under the same scenario.
		r = doGraphQL(t, srv, adminPath, `{ admin { allClients(first: 10) { totalCount edges { node { name } } } } }`, nil, scenario("query-timeout"))
		mustOK(t, r)
		if n := len(r.at("admin", "allClients", "edges").([]any)); n != 10 {
			t.Fatalf("first: 10 gave %d edges", n)
		}
		if tc := r.at("admin", "allClients", "totalCount").(float64); tc <= 1000 {
			t.Fatalf("the large organization has only %v clients", tc)
		}
	})
}
