package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

const stDormant = "0438bc88-bd79-40be-bc89-93d27b5773eb"

func TestControlStickyScenario(t *testing.T) {
	srv := stStart(t, nil)
	sticky := func() string {
		r := srv.do(t, stReq{path: "/__standin/apis"})
		var body struct {
			APIs []struct{ Name, Scenario string }
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		for _, a := range body.APIs {
			if a.Name == "clients-v0" {
				return a.Scenario
			}
		}
		t.Fatal("clients-v0 not listed")
		return ""
	}
	steps := []struct {
		method, body string
		status       int // of the control request
		sticky       string
		api          int // status of GET /v0/clients afterwards
	}{
		{"PUT", `{"name":"server-error"}`, 200, "server-error", 500},
		{"GET", "", 200, "server-error", 500},
		{"PUT", `{"name":"rate-limited"}`, 200, "rate-limited", 429},
		{"DELETE", "", 200, "", 200},
		{"PUT", `{"name":"unauthorized"}`, 200, "unauthorized", 401},
		{"PUT", `{"name":"none"}`, 200, "", 200},
		{"PUT", `{"name":"bogus"}`, 400, "", 200},
		{"PUT", `{}`, 400, "", 200},
		{"PUT", `not json`, 400, "", 200},
		{"POST", `{"name":"server-error"}`, 405, "", 200},
	}
	for i, st := range steps {
		t.Run(fmt.Sprintf("%d %s %s", i, st.method, st.body), func(t *testing.T) {
			r := srv.do(t, stReq{method: st.method, path: "/__standin/apis/clients-v0/scenario", body: st.body})
			if r.status != st.status {
				t.Fatalf("control: %s, want %d", r, st.status)
			}
			if got := sticky(); got != st.sticky {
				t.Errorf("sticky %q, want %q", got, st.sticky)
			}
			if r := srv.do(t, stReq{path: "/v0/clients", token: stAdmin}); r.status != st.api {
				t.Errorf("GET /v0/clients: %s, want %d", r, st.api)
			}
		})
	}
	if r := srv.do(t, stReq{method: "PUT", path: "/__standin/apis/nope/scenario", body: `{"name":"timeout"}`}); r.status != 404 {
		t.Errorf("unknown API: %s, want 404", r)
	}
}

func TestControlResetRestoresData(t *testing.T) {
	srv := stStart(t, nil)
	company := stReq{path: "/api/account/v2/companies/" + stDormant, token: stAdmin}
	if r := srv.do(t, company); r.status != 200 {
		t.Fatalf("before: %s", r)
	}
	mutation := `mutation { deleteAccount(input: {accountId: "` + stDormant + `"}) { success } }`
	b, _ := json.Marshal(map[string]string{"query": mutation})
	r := srv.do(t, stReq{method: "POST", path: "/api/graphql", token: stAdmin, body: string(b)})
	if r.status != 200 || stGet(r.json(t), "data", "deleteAccount", "success") != true {
		t.Fatalf("deleteAccount: %s", r)
	}
	if r := srv.do(t, company); r.status != 404 {
		t.Fatalf("after delete: %s, want 404", r)
	}
	if r := srv.do(t, stReq{method: "POST", path: "/__standin/reset"}); r.status != 200 {
		t.Fatalf("reset: %s", r)
	}
	if r := srv.do(t, company); r.status != 200 {
		t.Errorf("after reset: %s, want 200", r)
	}
	if r := srv.do(t, stReq{method: "GET", path: "/__standin/reset"}); r.status != 405 || r.header.Get("Allow") != "POST" {
		t.Errorf("GET reset: %s Allow %q, want 405 Allow POST", r, r.header.Get("Allow"))
	}
}

func TestControlJournalBounded(t *testing.T) {
	srv := stStart(t, func(c *config.Config) { c.JournalSize = 5 })
	scen := []string{"", "server-error", "forbidden", "not-found"}
	for i := 0; i < 20; i++ {
		q := stReq{path: fmt.Sprintf("/v0/clients?i=%d", i), token: stAdmin}
		if s := scen[i%len(scen)]; s != "" {
			q.header = map[string]string{"X-Standin-Scenario": s}
		}
		srv.do(t, q)
	}
	r := srv.do(t, stReq{path: "/__standin/requests"})
	var body struct {
		Requests []struct {
			Method, Path, Query, API, Operation, Scenario string
			Status                                        int
		}
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Requests) != 5 {
		t.Fatalf("%d entries, want 5: %s", len(body.Requests), r.body)
	}
	wantStatus := map[string]int{"": 200, "server-error": 500, "forbidden": 403, "not-found": 404}
	for k, e := range body.Requests {
		i := 19 - k // newest first
		if e.Query != fmt.Sprintf("i=%d", i) {
			t.Errorf("entry %d: query %q, want i=%d", k, e.Query, i)
		}
		s := scen[i%len(scen)]
		if e.Scenario != s || e.Status != wantStatus[s] || e.API != "clients-v0" || e.Operation != "listClients" || e.Method != "GET" || e.Path != "/v0/clients" {
			t.Errorf("entry %d: %+v, want scenario %q status %d", k, e, s, wantStatus[s])
		}
	}
	if r := srv.do(t, stReq{path: "/__standin/requests?limit=2"}); strings.Count(string(r.body), `"method"`) != 2 {
		t.Errorf("limit=2: %s", r.body)
	}
}

func TestControlAdminToken(t *testing.T) {
	t.Run("non-loopback without token refuses to start", func(t *testing.T) {
		for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:8080", "[::]:8080", "example.com:80"} {
			cfg := config.Default()
			cfg.Addr = addr
			_, err := New(cfg, Options{})
			if err == nil || !strings.Contains(err.Error(), "admin token") {
				t.Errorf("%s: %v, want an error asking for an admin token", addr, err)
			}
			cfg.AdminToken = "s3cret"
			if _, err := New(cfg, Options{}); err != nil {
				t.Errorf("%s with a token: %v", addr, err)
			}
		}
		for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0"} {
			cfg := config.Default()
			cfg.Addr = addr
			if _, err := New(cfg, Options{}); err != nil {
				t.Errorf("%s: %v", addr, err)
			}
		}
	})
	t.Run("control requests need the token", func(t *testing.T) {
		srv := stStart(t, func(c *config.Config) { c.AdminToken = "s3cret" })
		tests := []struct {
			method, path, token string
			status              int
		}{
			{"GET", "/__standin/health", "", 200},
			{"GET", "/__standin/ready", "", 200},
			{"GET", "/__standin/metrics", "", 401},
			{"GET", "/__standin/apis", "wrong", 401},
			{"GET", "/__standin/scenarios", stAdmin, 401},
			{"POST", "/__standin/reset", "", 401},
			{"PUT", "/__standin/apis/clients-v0/scenario", "", 401},
			{"GET", "/__standin/requests", "", 401},
			{"GET", "/__standin/health", "s3cret", 200},
			{"GET", "/__standin/requests", "s3cret", 200},
			{"POST", "/__standin/reset", "s3cret", 200},
		}
		for _, tc := range tests {
			r := srv.do(t, stReq{method: tc.method, path: tc.path, token: tc.token, body: `{"name":"timeout"}`})
			if r.status != tc.status {
				t.Errorf("%s %s token %q: %s, want %d", tc.method, tc.path, tc.token, r, tc.status)
			}
			if tc.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", tc.method, tc.path)
			}
		}
		// The sticky PUT without the token changed nothing; the APIs
		// themselves do not need the admin token.
		if r := srv.do(t, stReq{path: "/v0/clients", token: stAdmin}); r.status != 200 {
			t.Errorf("API request: %s", r)
		}
	})
}
