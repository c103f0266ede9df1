package control_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/scenario"
)

type fakeBackend struct {
	reg    *scenario.Registry
	j      *journal.Journal
	resets atomic.Int32
}

func (f *fakeBackend) APIs() []control.APIInfo {
	return []control.APIInfo{
		{Name: "admin", Title: "Admin", Protocols: []string{"graphql"}, Paths: []string{"/graphql"}},
		{Name: "clients-v0", Title: "Clients v0", Protocols: []string{"rest"}, Paths: []string{"/v0/clients"},
			RateLimit: &manifest.RateLimit{Limit: 100, Window: manifest.Duration(15 * time.Minute)}},
	}
}
func (f *fakeBackend) Scenarios() *scenario.Registry { return f.reg }
func (f *fakeBackend) Reset()                        { f.resets.Add(1) }
func (f *fakeBackend) Journal() *journal.Journal     { return f.j }

func newBackend(t *testing.T) *fakeBackend {
	t.Helper()
	reg, err := scenario.NewRegistry([]*scenario.Scenario{
		{API: "admin", Name: "no-clients", Description: "no clients", Source: "000, Troubleshooting", Effect: scenario.Effect{DataSet: "empty"}},
		{API: "admin", Name: "slow", Description: "slow", Effect: scenario.Effect{Delay: 2 * time.Second}},
		{API: "clients-v0", Name: "rate-limited", Description: "429", Operations: []string{"listClients"},
			Effect: scenario.Effect{Status: 429, Headers: map[string]string{"Retry-After": "900"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(10)
	for i := range 5 {
		j.Add(journal.Entry{Method: "GET", Path: "/v0/clients", API: "clients-v0", Status: 200 + i, Token: "standin-admin"})
	}
	return &fakeBackend{reg: reg, j: j}
}

type call struct {
	method, path, body, auth string
}

func do(t *testing.T, h http.Handler, c call) (*http.Response, map[string]any) {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := httptest.NewRequest(c.method, c.path, body)
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	var out map[string]any
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q", c.method, c.path, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v", c.method, c.path, err)
	}
	return resp, out
}

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name   string
		call   call
		status int
		check  func(t *testing.T, b *fakeBackend, resp *http.Response, body map[string]any)
	}{
		{"health", call{method: "GET", path: "/__standin/health"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			if body["status"] != "ok" {
				t.Errorf("body %v", body)
			}
		}},
		{"health without prefix", call{method: "GET", path: "/health"}, 200, nil},
		{"health trailing slash", call{method: "GET", path: "/__standin/health/"}, 200, nil},
		{"apis", call{method: "GET", path: "/__standin/apis"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			apis := body["apis"].([]any)
			if len(apis) != 2 {
				t.Fatalf("apis %v", apis)
			}
			v0 := apis[1].(map[string]any)
			rl := v0["rateLimit"].(map[string]any)
			if v0["name"] != "clients-v0" || rl["limit"] != 100.0 || rl["window"] != "15m0s" || rl["windowSeconds"] != 900.0 {
				t.Errorf("clients-v0 %v", v0)
			}
			if apis[0].(map[string]any)["rateLimit"] != nil {
				t.Errorf("admin has no rate limit: %v", apis[0])
			}
		}},
		{"scenarios", call{method: "GET", path: "/__standin/scenarios"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			list := body["scenarios"].([]any)
			if len(list) != 3 {
				t.Fatalf("scenarios %v", list)
			}
			first := list[0].(map[string]any)
			if first["api"] != "admin" || first["name"] != "no-clients" || first["source"] != "000, Troubleshooting" ||
				first["sticky"] != false || first["effect"].(map[string]any)["dataSet"] != "empty" {
				t.Errorf("first %v", first)
			}
			last := list[2].(map[string]any)
			if last["operations"].([]any)[0] != "listClients" || last["effect"].(map[string]any)["status"] != 429.0 {
				t.Errorf("last %v", last)
			}
		}},
		{"scenarios of one API", call{method: "GET", path: "/__standin/scenarios?api=clients-v0"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			if n := len(body["scenarios"].([]any)); n != 1 {
				t.Errorf("%d scenarios", n)
			}
		}},
		{"scenarios of unknown API", call{method: "GET", path: "/__standin/scenarios?api=nope"}, 404, nil},
		{"put sticky", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":"no-clients"}`}, 200, func(t *testing.T, b *fakeBackend, _ *http.Response, body map[string]any) {
			if b.reg.Sticky("admin") != "no-clients" || body["scenario"] != "no-clients" || body["api"] != "admin" {
				t.Errorf("sticky %q, body %v", b.reg.Sticky("admin"), body)
			}
		}},
		{"put none clears", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":"none"}`}, 200, func(t *testing.T, b *fakeBackend, _ *http.Response, _ map[string]any) {
			if b.reg.Sticky("admin") != "" {
				t.Error("not cleared")
			}
		}},
		{"put unknown scenario", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":"nope"}`}, 400, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			msg, _ := body["error"].(string)
			if !strings.Contains(msg, "nope") || !strings.Contains(msg, "no-clients, slow") || len(body["valid"].([]any)) != 2 {
				t.Errorf("body %v", body)
			}
		}},
		{"put scenario of another API", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":"rate-limited"}`}, 400, nil},
		{"put unknown API", call{method: "PUT", path: "/__standin/apis/nope/scenario", body: `{"name":"slow"}`}, 404, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			if msg, _ := body["error"].(string); !strings.Contains(msg, "admin, clients-v0") {
				t.Errorf("body %v", body)
			}
		}},
		{"put bad JSON", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":`}, 400, nil},
		{"put empty body", call{method: "PUT", path: "/__standin/apis/admin/scenario"}, 400, nil},
		{"put no name", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{}`}, 400, nil},
		{"put unknown field", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"nmae":"slow"}`}, 400, nil},
		{"put trailing data", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":"slow"} x`}, 400, nil},
		{"put wrong type", call{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":1}`}, 400, nil},
		{"get sticky", call{method: "GET", path: "/__standin/apis/admin/scenario"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			if body["scenario"] != "slow" {
				t.Errorf("body %v", body)
			}
		}},
		{"delete sticky", call{method: "DELETE", path: "/__standin/apis/admin/scenario"}, 200, func(t *testing.T, b *fakeBackend, _ *http.Response, _ map[string]any) {
			if b.reg.Sticky("admin") != "" {
				t.Error("not cleared")
			}
		}},
		{"delete unknown API", call{method: "DELETE", path: "/__standin/apis/nope/scenario"}, 404, nil},
		{"reset", call{method: "POST", path: "/__standin/reset"}, 200, func(t *testing.T, b *fakeBackend, _ *http.Response, _ map[string]any) {
			if b.resets.Load() != 1 {
				t.Error("Reset not called")
			}
		}},
		{"requests", call{method: "GET", path: "/__standin/requests?limit=2"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			list := body["requests"].([]any)
			if len(list) != 2 {
				t.Fatalf("requests %v", list)
			}
			e := list[0].(map[string]any)
			if e["status"] != 204.0 || e["token"] != "stan…" || e["path"] != "/v0/clients" {
				t.Errorf("newest %v", e)
			}
		}},
		{"requests default limit", call{method: "GET", path: "/__standin/requests"}, 200, func(t *testing.T, _ *fakeBackend, _ *http.Response, body map[string]any) {
			if n := len(body["requests"].([]any)); n != 5 {
				t.Errorf("%d requests", n)
			}
		}},
		{"requests bad limit", call{method: "GET", path: "/__standin/requests?limit=x"}, 400, nil},
		{"requests negative limit", call{method: "GET", path: "/__standin/requests?limit=-1"}, 400, nil},
		{"clear requests", call{method: "DELETE", path: "/__standin/requests"}, 200, func(t *testing.T, b *fakeBackend, _ *http.Response, _ map[string]any) {
			if b.j.Len() != 0 {
				t.Error("journal not cleared")
			}
		}},
		{"unknown path", call{method: "GET", path: "/__standin/nope"}, 404, nil},
		{"bad api path", call{method: "PUT", path: "/__standin/apis/a/b/scenario"}, 404, nil},
		{"wrong method health", call{method: "POST", path: "/__standin/health"}, 405, func(t *testing.T, _ *fakeBackend, resp *http.Response, _ map[string]any) {
			if resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", resp.Header.Get("Allow"))
			}
		}},
		{"wrong method reset", call{method: "GET", path: "/__standin/reset"}, 405, func(t *testing.T, _ *fakeBackend, resp *http.Response, _ map[string]any) {
			if resp.Header.Get("Allow") != "POST" {
				t.Errorf("Allow %q", resp.Header.Get("Allow"))
			}
		}},
		{"wrong method sticky", call{method: "POST", path: "/__standin/apis/admin/scenario"}, 405, func(t *testing.T, _ *fakeBackend, resp *http.Response, _ map[string]any) {
			if resp.Header.Get("Allow") != "GET, PUT, DELETE, HEAD" {
				t.Errorf("Allow %q", resp.Header.Get("Allow"))
			}
		}},
	}
	// One backend for the table: the sticky steps build on each other.
	b := newBackend(t)
	h := control.New(b, control.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "get sticky" {
				_ = b.reg.SetSticky("admin", "slow")
			}
			resp, body := do(t, h, tc.call)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %v", resp.StatusCode, tc.status, body)
			}
			if tc.status >= 400 {
				if msg, _ := body["error"].(string); msg == "" {
					t.Errorf("error body without a message: %v", body)
				}
			}
			if tc.check != nil {
				tc.check(t, b, resp, body)
			}
		})
	}
}

func TestStickyShownInListings(t *testing.T) {
	b := newBackend(t)
	h := control.New(b, control.Options{})
	do(t, h, call{method: "PUT", path: "/__standin/apis/clients-v0/scenario", body: `{"name":"rate-limited"}`})
	_, body := do(t, h, call{method: "GET", path: "/__standin/apis"})
	if got := body["apis"].([]any)[1].(map[string]any)["scenario"]; got != "rate-limited" {
		t.Errorf("apis scenario %v", got)
	}
	_, body = do(t, h, call{method: "GET", path: "/__standin/scenarios?api=clients-v0"})
	if got := body["scenarios"].([]any)[0].(map[string]any)["sticky"]; got != true {
		t.Errorf("scenarios sticky %v", got)
	}
}

func TestToken(t *testing.T) {
	tests := []struct {
		name   string
		opts   control.Options
		auth   string
		status int
	}{
		{"not required", control.Options{AdminToken: "s3cret"}, "", 200},
		{"required, missing", control.Options{AdminToken: "s3cret", RequireToken: true}, "", 401},
		{"required, wrong", control.Options{AdminToken: "s3cret", RequireToken: true}, "Bearer s3cre", 401},
		{"required, not bearer", control.Options{AdminToken: "s3cret", RequireToken: true}, "Basic s3cret", 401},
		{"required, right", control.Options{AdminToken: "s3cret", RequireToken: true}, "Bearer s3cret", 200},
		{"required, case-insensitive scheme", control.Options{AdminToken: "s3cret", RequireToken: true}, "bearer s3cret", 200},
		{"required but none configured", control.Options{RequireToken: true}, "Bearer ", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := control.New(newBackend(t), tc.opts)
			for _, c := range []call{
				{method: "GET", path: "/__standin/apis", auth: tc.auth},
				{method: "PUT", path: "/__standin/apis/admin/scenario", body: `{"name":"slow"}`, auth: tc.auth},
				{method: "POST", path: "/__standin/reset", auth: tc.auth},
			} {
				resp, body := do(t, h, c)
				if resp.StatusCode != tc.status {
					t.Fatalf("%s %s: status %d, want %d (%v)", c.method, c.path, resp.StatusCode, tc.status, body)
				}
				if tc.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Error("401 without WWW-Authenticate")
				}
			}
		})
	}
}

func TestRealServer(t *testing.T) {
	srv := httptest.NewServer(control.New(newBackend(t), control.Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/__standin/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}

// TestProbesNeedNoToken: liveness and readiness answer without the admin
// token, whatever is configured, and say nothing but their status.
func TestProbesNeedNoToken(t *testing.T) {
	tests := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"health", "GET", "/__standin/health", 200, `{"status":"ok"}`},
		{"health slash", "GET", "/__standin/health/", 200, `{"status":"ok"}`},
		{"ready", "GET", "/__standin/ready", 200, `{"status":"ready"}`},
		{"ready head", "HEAD", "/__standin/ready", 200, ""},
		{"ready post", "POST", "/__standin/ready", 405, ""},
	}
	for _, opts := range []control.Options{{}, {AdminToken: "s3cret", RequireToken: true}, {RequireToken: true}} {
		h := control.New(newBackend(t), opts)
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s token %v", tc.name, opts.RequireToken), func(t *testing.T) {
				req := httptest.NewRequest(tc.method, tc.path, nil)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
				}
				if tc.body != "" && strings.TrimSpace(rec.Body.String()) != tc.body {
					t.Fatalf("body %s, want %s", rec.Body, tc.body)
				}
			})
		}
	}
}
