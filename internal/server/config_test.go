package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/ratelimit"
)

const stExampleConfig = "../../docs/standin.example.yaml"

// stStartCfg starts a mock from a full Config.
func stStartCfg(t testing.TB, cfg config.Config) *stServer {
	t.Helper()
	clk := ratelimit.NewFakeClock(time.Time{})
	mock, err := New(cfg, Options{Clock: clk})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts := httptest.NewServer(mock)
	t.Cleanup(ts.Close)
	return &stServer{Server: ts, mock: mock, clock: clk}
}

// TestExampleConfig starts a server from docs/standin.example.yaml and
// checks that every setting in it took effect.
func TestExampleConfig(t *testing.T) {
	cfg, err := config.Load(stExampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	srv := stStartCfg(t, cfg)
	const tok = "change-me"
	none := map[string]string{"X-Standin-Scenario": "none"}
	gqlTotal := func(t *testing.T, s *stServer, path string) float64 {
		t.Helper()
		r := s.do(t, stReq{method: "POST", path: path, token: stAdmin, body: `{"query":"{ accounts { totalCount } }"}`, header: none})
		n, ok := stGet(r.json(t), "data", "accounts", "totalCount").(float64)
		if r.status != 200 || !ok {
			t.Fatalf("%s: %s", path, r)
		}
		return n
	}
	v0Count := func(t *testing.T, s *stServer) int {
		t.Helper()
		r := s.do(t, stReq{path: "/v0/clients", token: stAdmin})
		var body struct{ Client []any }
		if err := json.Unmarshal(r.body, &body); err != nil || r.status != 200 {
			t.Fatalf("/v0/clients: %s", r)
		}
		return len(body.Client)
	}
	def := stStart(t, nil)

	t.Run("seed", func(t *testing.T) {
		if cfg.Seed != 7 {
			t.Fatalf("seed %d", cfg.Seed)
		}
		same := stStartCfg(t, cfg)
		other := cfg
		other.Seed = 8
		diff := stStartCfg(t, other)
		a := srv.do(t, stReq{path: "/v0/clients", token: stAdmin}).body
		if b := same.do(t, stReq{path: "/v0/clients", token: stAdmin}).body; !bytes.Equal(a, b) {
			t.Error("same file, different data")
		}
		if b := diff.do(t, stReq{path: "/v0/clients", token: stAdmin}).body; bytes.Equal(a, b) {
			t.Error("seed 7 and 8 give the same data")
		}
	})
	t.Run("disabled API answers 404", func(t *testing.T) {
		r := srv.do(t, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ admin { allClients { totalCount } } }"}`})
		if r.status != 404 {
			t.Errorf("admin: %s, want 404", r)
		}
		if r := def.do(t, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ __typename }"}`}); r.status != 200 {
			t.Errorf("admin on by default: %s", r)
		}
	})
	t.Run("prefix moves marketplace", func(t *testing.T) {
		if r := srv.do(t, stReq{path: "/mp/api/account/v2/companies/" + stCompanyOne, token: stAdmin}); r.status != 200 {
			t.Errorf("/mp/…: %s", r)
		}
		if r := srv.do(t, stReq{path: "/mp/api/account/v2/companies/externalID:c333333", token: stAdmin}); r.status != 200 {
			t.Errorf("/mp/…externalID: %s", r)
		}
		if r := srv.do(t, stReq{path: "/api/account/v2/companies/" + stCompanyOne, token: stAdmin}); r.status != 404 {
			t.Errorf("old path: %s, want 404", r)
		}
		if r := srv.do(t, stReq{method: "POST", path: "/api/graphql", token: stAdmin, body: `{"query":"{ __typename }"}`}); r.status != 404 {
			t.Errorf("old GraphQL path: %s, want 404", r)
		}
	})
	t.Run("counts", func(t *testing.T) {
		// Generated records = count; the pages' records come on top.
		if got, dflt := v0Count(t, srv), v0Count(t, def); got != 11 || dflt < 51 {
			t.Errorf("clients-v0: %d clients (default %d), want 1 + 10", got, dflt)
		}
		got, dflt := gqlTotal(t, srv, "/mp/api/graphql"), gqlTotal(t, def, "/api/graphql")
		if dflt-got != 45 {
			t.Errorf("marketplace accounts: %v (default %v), want 45 fewer with count 5 instead of 50", got, dflt)
		}
	})
	t.Run("rate limits", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			r := srv.do(t, stReq{path: "/v2/clients/" + stAcmeID, token: stReadonly, header: none})
			if r.header.Get("RateLimit-Limit") != "3" {
				t.Fatalf("clients-v2 request %d: RateLimit-Limit %q", i, r.header.Get("RateLimit-Limit"))
			}
		}
		if r := srv.do(t, stReq{path: "/v2/clients/" + stAcmeID, token: stReadonly, header: none}); r.status != 429 {
			t.Errorf("clients-v2 4th request: %s", r)
		}
		if r := srv.do(t, stReq{path: "/v0/clients", token: stPartner}); r.header.Get("RateLimit-Limit") != "20" || r.header.Get("RateLimit-Reset") != "60" {
			t.Errorf("clients-v0 limit headers %v", r.header)
		}
	})
	t.Run("sticky scenario", func(t *testing.T) {
		if r := srv.do(t, stReq{path: "/v2/clients/" + stAcmeID, token: stAdmin}); r.status != 500 {
			t.Errorf("clients-v2: %s, want the sticky server-error", r)
		}
		if r := srv.do(t, stReq{path: "/v2/clients/" + stAcmeID, token: stAdmin, header: none}); r.status != 200 {
			t.Errorf("opting out: %s", r)
		}
	})
	t.Run("admin token", func(t *testing.T) {
		if r := srv.do(t, stReq{path: "/__standin/apis"}); r.status != 401 {
			t.Errorf("no token: %s", r)
		}
		r := srv.do(t, stReq{path: "/__standin/apis", token: tok})
		if r.status != 200 || strings.Contains(string(r.body), `"admin"`) {
			t.Errorf("apis: %s", r)
		}
	})
	t.Run("journal size and hold cap", func(t *testing.T) {
		if n := srv.mock.journal.Cap(); n != 50 {
			t.Errorf("journal size %d, want 50", n)
		}
		if d := time.Duration(srv.mock.Config().HoldCap); d != 5*time.Second {
			t.Errorf("holdCap %s", d)
		}
	})
	t.Run("journal bodies", func(t *testing.T) {
		srv.do(t, stReq{path: "/v0/clients", token: stAdmin})
		if e := srv.mock.journal.List(1)[0]; e.Request == nil || e.Response == nil || !strings.Contains(string(e.Response.Body), `"client_id"`) {
			t.Errorf("journalBodies: true kept no bodies: %+v", e)
		}
	})
}

func TestConfigErrorsRefuseToStart(t *testing.T) {
	tests := []struct {
		name string
		mut  func(*config.Config)
		want string
	}{
		{"unknown API", func(c *config.Config) { c.APIs = map[string]config.API{"nope": {}} }, `"nope"`},
		{"unknown sticky scenario", func(c *config.Config) { c.SetScenario("admin", "bogus") }, "bogus"},
		{"bad prefix", func(c *config.Config) { c.APIs = map[string]config.API{"marketplace": {Prefix: "mp/"}} }, "prefix"},
		{"bad rate limit", func(c *config.Config) {
			c.APIs = map[string]config.API{"clients-v2": {RateLimit: stLimit(0, time.Minute)}}
		}, "rateLimit"},
		{"negative count", func(c *config.Config) {
			c.APIs = map[string]config.API{"clients-v0": {Counts: map[string]int{"clients": -1}}}
		}, "counts"},
		{"bad address", func(c *config.Config) { c.Addr = "nope" }, "HOST:PORT"},
		{"non-loopback without token", func(c *config.Config) { c.Addr = "0.0.0.0:8080" }, "admin token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(stCfg(tc.mut), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one mentioning %s", err, tc.want)
			}
		})
	}
}
