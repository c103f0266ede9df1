package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/standin/standin/internal/config"
)

// stProbe is a representative request of an API: what a scenario test sends.
type stProbe struct {
	api, name string
	graphql   bool
	// REST: the operation, its path and path parameters.
	op     string
	path   string
	params map[string]string
	// GraphQL: the query; list is a JSON path to a connection's totalCount.
	query string
	total []string
}

var stProbes = []stProbe{
	{api: "clients-v0", name: "listClients", op: "listClients", path: "/v0/clients"},
	{api: "clients-v2", name: "getClient", op: "getClient", path: "/v2/clients/" + stAcmeID, params: map[string]string{"client_id": stAcmeID}},
	{api: "marketplace", name: "getCompany", op: "getCompany", path: "/api/account/v2/companies/" + stCompanyOne, params: map[string]string{"companyUuid": stCompanyOne}},
	{api: "marketplace", name: "listCompanies", op: "listCompanies", path: "/api/account/v2/companies"},
	{api: "marketplace", name: "graphql-account", graphql: true, path: "/api/graphql",
		query: `{ account(id: "` + stCompanyOne + `") { id name } }`},
	{api: "marketplace", name: "graphql-accounts", graphql: true, path: "/api/graphql",
		query: `{ accounts(first: 5) { totalCount edges { node { id } } } }`, total: []string{"accounts", "totalCount"}},
	{api: "admin", name: "graphql-allClients", graphql: true, path: "/graphql",
		query: `{ admin { allClients(first: 5) { totalCount edges { node { name code } } } } }`, total: []string{"admin", "allClients", "totalCount"}},
}

func (p stProbe) req(token string, header map[string]string) stReq {
	if p.graphql {
		b, _ := json.Marshal(map[string]any{"query": p.query})
		return stReq{method: "POST", path: p.path, token: token, header: header, body: string(b)}
	}
	return stReq{path: p.path, token: token, header: header}
}

// stScenarioInfo is one entry of GET /__standin/scenarios.
type stScenarioInfo struct {
	API        string   `json:"api"`
	Name       string   `json:"name"`
	Operations []string `json:"operations"`
	Effect     struct {
		Status        int               `json:"status"`
		GraphQLStatus int               `json:"graphqlStatus"`
		Headers       map[string]string `json:"headers"`
		Delay         string            `json:"delay"`
		Hold          bool              `json:"hold"`
		Fault         string            `json:"fault"`
		DataSet       string            `json:"dataSet"`
		ActAs         string            `json:"actAs"`
		QueryBudget   string            `json:"queryBudget"`
		Code          string            `json:"code"`
	} `json:"effect"`
}

func stScenarios(t testing.TB, srv *stServer) []stScenarioInfo {
	t.Helper()
	r := srv.do(t, stReq{path: "/__standin/scenarios"})
	if r.status != 200 {
		t.Fatalf("GET /__standin/scenarios: %s", r)
	}
	var body struct{ Scenarios []stScenarioInfo }
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	return body.Scenarios
}

func stGet(v any, path ...string) any {
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func (s stScenarioInfo) applies(p stProbe) bool {
	if len(s.Operations) == 0 {
		return true
	}
	for _, o := range s.Operations {
		if o == p.op || (p.graphql && strings.Contains(p.query, o+"(")) {
			return true
		}
	}
	return false
}

// TestEveryScenario runs every (API, scenario) pair of the registry against
// the API's representative requests and checks the answer's status and shape.
func TestEveryScenario(t *testing.T) {
	ss := stLoadSpecs(t)
	srv := stStart(t, func(c *config.Config) { c.HoldCap = config.Default().HoldCap / 300 }) // 100ms
	list := stScenarios(t, srv)
	perAPI := map[string]int{}
	for _, s := range list {
		perAPI[s.API]++
	}
	for _, api := range []string{"admin", "marketplace", "clients-v0", "clients-v2"} {
		if perAPI[api] < 9 {
			t.Errorf("%s offers %d scenarios, want at least the 9 common ones", api, perAPI[api])
		}
	}
	for _, sc := range list {
		for _, p := range stProbes {
			if p.api != sc.API {
				continue
			}
			t.Run(sc.API+"/"+sc.Name+"/"+p.name, func(t *testing.T) {
				if sc.Effect.QueryBudget != "" {
					t.Parallel() // waits out the query budget
				}
				header := map[string]string{"X-Standin-Scenario": sc.Name}
				if sc.Effect.Delay != "" {
					header["X-Standin-Delay"] = "10ms"
				}
				q := p.req(stAdmin, header)
				if sc.Effect.QueryBudget != "" && p.graphql {
					// Unpaginated: the large data set runs out of the budget.
					q = p.req(stAdmin, header)
					q.body = strings.Replace(q.body, "(first: 5)", "", 1)
				}
				if sc.Effect.Fault != "" {
					_, err := srv.try(context.Background(), q)
					if err == nil {
						t.Fatalf("fault %s: the client got an answer", sc.Effect.Fault)
					}
					return
				}
				r := srv.do(t, q)
				applied := sc.applies(p)
				want := 200
				switch {
				case !applied:
				case sc.Effect.Hold:
					want = http.StatusGatewayTimeout
				case sc.Effect.Status != 0 && p.graphql && sc.Effect.GraphQLStatus != 0:
					want = sc.Effect.GraphQLStatus
				case sc.Effect.Status != 0:
					want = sc.Effect.Status
				case sc.Effect.DataSet == "empty" && !p.graphql && strings.HasPrefix(p.op, "get"):
					want = http.StatusNotFound // lookups by id find nothing
				}
				if r.status != want {
					t.Fatalf("status %s, want %d", r, want)
				}
				if !p.graphql {
					if err := ss.validate(t, p.api, p.op, p.path, p.params, r); err != nil {
						t.Errorf("answer does not match %s's spec: %v\n%s", p.api, err, r)
					}
					if applied && sc.Effect.DataSet == "empty" && r.status == 200 {
						body := r.json(t)
						items, _ := stGet(body, "client").([]any)
						if items == nil {
							items, _ = stGet(body, "content").([]any)
						}
						if items == nil || len(items) != 0 {
							t.Errorf("empty data set, list not empty: %s", r)
						}
					}
				} else {
					stCheckGraphQLScenario(t, sc, p, r, applied)
				}
				if applied && want == 429 && r.header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			})
		}
	}
}

func stCheckGraphQLScenario(t *testing.T, sc stScenarioInfo, p stProbe, r stResp, applied bool) {
	t.Helper()
	body, _ := r.json(t).(map[string]any)
	errs, _ := body["errors"].([]any)
	switch {
	case !applied || sc.Effect.Delay != "":
		if len(errs) > 0 || body["data"] == nil {
			t.Errorf("want a normal answer: %s", r)
		}
	case sc.Effect.DataSet == "empty" && sc.Effect.QueryBudget == "":
		if p.total != nil {
			if len(errs) > 0 {
				t.Errorf("errors on an empty data set: %s", r)
			}
			if n := stGet(body["data"], p.total...); n != float64(0) {
				t.Errorf("totalCount %v on an empty data set", n)
			}
		} else if stGet(body["data"], "account") != nil || len(errs) != 1 || stGet(errs[0], "extensions", "code") != "NOT_FOUND" {
			// A lookup by id finds nothing: NOT_FOUND at the field.
			t.Errorf("want account null with a NOT_FOUND error: %s", r)
		}
	case sc.Effect.ActAs != "":
		// The real permission check answers: an error at the field, the
		// field null.
		if len(errs) == 0 {
			t.Fatalf("no permission error: %s", r)
		}
		if p.total != nil && stGet(body["data"], p.total[:len(p.total)-1]...) != nil {
			t.Errorf("field not null: %s", r)
		}
	case sc.Effect.QueryBudget != "":
		if len(errs) == 0 {
			t.Fatalf("no timeout error: %s", r)
		}
		if code := stGet(errs[0], "extensions", "code"); code != sc.Effect.Code {
			t.Errorf("code %v, want %s", code, sc.Effect.Code)
		}
	default:
		codes := stGraphQLError(t, r)
		if sc.Effect.Hold && codes[0] != "TIMEOUT" {
			t.Errorf("held request: code %v, want TIMEOUT", codes)
		}
	}
}

// TestScenarioSelection checks how a request picks its scenario: header >
// query parameter > sticky (PUT or --scenario); "none" or empty disables.
func TestScenarioSelection(t *testing.T) {
	const path = "/v2/clients/" + stAcmeID
	put := func(t *testing.T, srv *stServer, name string) {
		t.Helper()
		r := srv.do(t, stReq{method: "PUT", path: "/__standin/apis/clients-v2/scenario", body: `{"name":"` + name + `"}`})
		if r.status != 200 {
			t.Fatalf("PUT sticky: %s", r)
		}
	}
	tests := []struct {
		name     string
		sticky   string // PUT before the request
		startup  string // --scenario at start-up
		query    string
		header   *string
		status   int
		scenario string // in the journal
	}{
		{name: "nothing", status: 200},
		{name: "header", header: stPtr("server-error"), status: 500, scenario: "server-error"},
		{name: "query", query: "server-error", status: 500, scenario: "server-error"},
		{name: "sticky", sticky: "forbidden", status: 403, scenario: "forbidden"},
		{name: "startup sticky", startup: "not-found", status: 404, scenario: "not-found"},
		{name: "header beats query", header: stPtr("forbidden"), query: "server-error", status: 403, scenario: "forbidden"},
		{name: "query beats sticky", sticky: "forbidden", query: "server-error", status: 500, scenario: "server-error"},
		{name: "header beats startup sticky", startup: "not-found", header: stPtr("server-error"), status: 500, scenario: "server-error"},
		{name: "header none disables sticky", sticky: "forbidden", header: stPtr("none"), status: 200},
		{name: "empty header disables sticky", sticky: "forbidden", header: stPtr(""), status: 200},
		{name: "query none disables sticky", startup: "not-found", query: "none", status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := stStart(t, func(c *config.Config) {
				if tc.startup != "" {
					c.SetScenario("clients-v2", tc.startup)
				}
			})
			if tc.sticky != "" {
				put(t, srv, tc.sticky)
			}
			p := path
			if tc.query != "" {
				p += "?__scenario=" + url.QueryEscape(tc.query)
			}
			q := stReq{path: p, token: stAdmin}
			if tc.header != nil {
				q.header = map[string]string{"X-Standin-Scenario": *tc.header}
			}
			r := srv.do(t, q)
			if r.status != tc.status {
				t.Fatalf("status %s, want %d", r, tc.status)
			}
			e := stJournal(t, srv, 1)[0]
			if e.Scenario != tc.scenario {
				t.Errorf("journal scenario %q, want %q", e.Scenario, tc.scenario)
			}
		})
	}

	t.Run("sticky on and off", func(t *testing.T) {
		srv := stStart(t, nil)
		put(t, srv, "server-error")
		if r := srv.do(t, stReq{path: path, token: stAdmin}); r.status != 500 {
			t.Fatalf("sticky on: %s", r)
		}
		if r := srv.do(t, stReq{path: "/v0/clients", token: stAdmin}); r.status != 200 {
			t.Errorf("sticky leaks to another API: %s", r)
		}
		if r := srv.do(t, stReq{method: "DELETE", path: "/__standin/apis/clients-v2/scenario"}); r.status != 200 {
			t.Fatalf("DELETE sticky: %s", r)
		}
		if r := srv.do(t, stReq{path: path, token: stAdmin}); r.status != 200 {
			t.Errorf("sticky off: %s", r)
		}
		put(t, srv, "forbidden")
		put(t, srv, "none")
		if r := srv.do(t, stReq{path: path, token: stAdmin}); r.status != 200 {
			t.Errorf(`PUT "none" does not clear: %s`, r)
		}
	})

	t.Run("unknown name", func(t *testing.T) {
		srv := stStart(t, nil)
		for _, q := range []stReq{
			{path: path, token: stAdmin, header: map[string]string{"X-Standin-Scenario": "bogus"}},
			{path: path + "?__scenario=bogus", token: stAdmin},
			{path: "/graphql", method: "POST", token: stAdmin, body: `{"query":"{ __typename }"}`, header: map[string]string{"X-Standin-Scenario": "bogus"}},
			{method: "PUT", path: "/__standin/apis/clients-v2/scenario", body: `{"name":"bogus"}`},
		} {
			r := srv.do(t, q)
			if r.status != http.StatusBadRequest {
				t.Errorf("%s %s: %s, want 400", q.method, q.path, r)
				continue
			}
			for _, name := range []string{"bogus", "server-error", "timeout", "connection-reset"} {
				if !strings.Contains(string(r.body), name) {
					t.Errorf("%s: 400 does not name %q: %s", q.path, name, r.body)
				}
			}
		}
		if _, err := New(stCfg(func(c *config.Config) { c.SetScenario("clients-v2", "bogus") }), Options{}); err == nil ||
			!strings.Contains(err.Error(), "server-error") {
			t.Errorf("--scenario clients-v2=bogus: %v, want an error listing the valid names", err)
		}
	})
}

func stPtr(s string) *string { return &s }

func stCfg(mut func(*config.Config)) config.Config {
	c := config.Default()
	mut(&c)
	return c
}

func TestSlowAndTimeoutScenarios(t *testing.T) {
	t.Run("slow with X-Standin-Delay", func(t *testing.T) {
		srv := stStart(t, nil)
		start := time.Now()
		r := srv.do(t, stReq{path: "/v0/clients", token: stAdmin, header: map[string]string{"X-Standin-Scenario": "slow", "X-Standin-Delay": "50ms"}})
		if d := time.Since(start); r.status != 200 || d < 50*time.Millisecond || d > 1500*time.Millisecond {
			t.Errorf("slow: %d after %s, want 200 after 50ms", r.status, d)
		}
		r = srv.do(t, stReq{path: "/v0/clients", token: stAdmin, header: map[string]string{"X-Standin-Scenario": "slow", "X-Standin-Delay": "forever"}})
		if r.status != 400 {
			t.Errorf("bad X-Standin-Delay: %s, want 400", r)
		}
	})
	t.Run("timeout reaches the cap", func(t *testing.T) {
		srv := stStart(t, func(c *config.Config) { c.HoldCap = config.Default().HoldCap / 300 }) // 100ms
		start := time.Now()
		r := srv.do(t, stReq{path: "/v2/clients/" + stAcmeID, token: stAdmin, header: map[string]string{"X-Standin-Scenario": "timeout"}})
		if r.status != 504 || time.Since(start) < 100*time.Millisecond {
			t.Errorf("timeout: %s after %s, want 504 after 100ms", r, time.Since(start))
		}
		// clients-v2's error shape, code timeout.
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(r.body, &body); err != nil || body.Error.Code != "timeout" || body.Error.Message == "" {
			t.Errorf("504 body %s, want {error: {code: timeout, message}}", r.body)
		}
	})
}

// TestTimeoutCancelledFreesGoroutine: a held request whose client gives up
// returns at once (journal 499), long before the 30s cap, and leaves no
// goroutine behind.
func TestTimeoutCancelledFreesGoroutine(t *testing.T) {
	opts := []goleak.Option{goleak.IgnoreCurrent()}
	srv := stStart(t, nil) // default 30s cap
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := srv.try(ctx, stReq{path: "/v0/clients", token: stAdmin, header: map[string]string{"X-Standin-Scenario": "timeout"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client: %v, want its deadline", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if es := stJournal(t, srv, 0); len(es) > 0 && es[len(es)-1].Status == 499 && es[len(es)-1].Scenario == "timeout" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the held request did not end after its client left (journal %+v)", stJournal(t, srv, 0))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("the request was held to the cap")
	}
	// Goroutine count back to where it was (the journal GETs may leave an
	// idle keep-alive connection: close those first).
	srv.Client().CloseIdleConnections()
	srv.CloseClientConnections()
	for i := 0; ; i++ {
		if n := runtime.NumGoroutine(); n <= before {
			break
		} else if i == 100 {
			t.Fatalf("%d goroutines, %d before the request", n, before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.Close()
	goleak.VerifyNone(t, opts...)
}

// stEntry is one journal entry as the control API lists it.
type stEntry struct {
	Method, Path, API, Operation, Scenario string
	Status                                 int
}

func stJournal(t testing.TB, srv *stServer, limit int) []stEntry {
	t.Helper()
	r := srv.do(t, stReq{path: "/__standin/requests?limit=" + strconv.Itoa(limit)})
	if r.status != 200 {
		t.Fatalf("journal: %s", r)
	}
	var body struct{ Requests []stEntry }
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	return body.Requests
}

func TestRateLimitClientsV0(t *testing.T) {
	srv := stStart(t, nil)
	get := func(token string) stResp { return srv.do(t, stReq{path: "/v0/clients", token: token}) }
	for i := 1; i <= 100; i++ {
		r := get(stAdmin)
		if r.status != 200 {
			t.Fatalf("request %d: %s", i, r)
		}
		if r.header.Get("RateLimit-Limit") != "100" || r.header.Get("RateLimit-Remaining") != strconv.Itoa(100-i) || r.header.Get("RateLimit-Reset") != "900" {
			t.Fatalf("request %d: RateLimit headers %v", i, r.header)
		}
	}
	r := get(stAdmin)
	if r.status != 429 {
		t.Fatalf("101st request: %s", r)
	}
	stSameJSON(t, r, stJSON(t, `{"success": false, "error": "Too many requests, please try again later"}`))
	if ra, _ := strconv.Atoi(r.header.Get("Retry-After")); ra < 1 || ra > 900 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if r.header.Get("RateLimit-Remaining") != "0" || r.header.Get("RateLimit-Limit") != "100" {
		t.Errorf("429 RateLimit headers %v", r.header)
	}
	if r := get(stReadonly); r.status != 200 || r.header.Get("RateLimit-Remaining") != "99" {
		t.Errorf("another token is affected: %s %v", r, r.header)
	}
	srv.clock.Advance(10 * time.Minute)
	if r := get(stAdmin); r.status != 429 || r.header.Get("Retry-After") != "300" {
		t.Errorf("still in the window: %s Retry-After %q", r, r.header.Get("Retry-After"))
	}
	srv.clock.Advance(5*time.Minute + time.Second)
	if r := get(stAdmin); r.status != 200 || r.header.Get("RateLimit-Remaining") != "99" {
		t.Errorf("after the window: %s %v", r, r.header)
	}
	for i := 0; i < 100; i++ {
		get(stAdmin)
	}
	if r := get(stAdmin); r.status != 429 {
		t.Fatalf("spent again: %s", r)
	}
	if r := srv.do(t, stReq{method: "POST", path: "/__standin/reset"}); r.status != 200 {
		t.Fatalf("reset: %s", r)
	}
	if r := get(stAdmin); r.status != 200 || r.header.Get("RateLimit-Remaining") != "99" {
		t.Errorf("after reset: %s %v", r, r.header)
	}
	// Unauthenticated requests are refused before they count.
	if r := get(""); r.status != 401 {
		t.Errorf("no token: %s", r)
	}
}

func TestRateLimitConfigurable(t *testing.T) {
	tests := []struct {
		api, path string
		limit     int
	}{
		{"clients-v2", "/v2/clients/" + stAcmeID, 3},
		{"clients-v0", "/v0/clients", 2},
		{"marketplace", "/api/account/v2/companies/" + stCompanyOne, 1},
	}
	for _, tc := range tests {
		t.Run(tc.api, func(t *testing.T) {
			srv := stStart(t, func(c *config.Config) {
				c.APIs = map[string]config.API{tc.api: {RateLimit: stLimit(tc.limit, time.Minute)}}
			})
			for i := 0; i < tc.limit; i++ {
				r := srv.do(t, stReq{path: tc.path, token: stAdmin})
				if r.status != 200 || r.header.Get("RateLimit-Limit") != strconv.Itoa(tc.limit) {
					t.Fatalf("request %d: %s %v", i+1, r, r.header)
				}
			}
			r := srv.do(t, stReq{path: tc.path, token: stAdmin})
			if r.status != 429 || r.header.Get("Retry-After") != "60" {
				t.Fatalf("over the limit: %s Retry-After %q", r, r.header.Get("Retry-After"))
			}
			srv.clock.Advance(time.Minute)
			if r := srv.do(t, stReq{path: tc.path, token: stAdmin}); r.status != 200 {
				t.Errorf("after the window: %s", r)
			}
		})
	}
}
