package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/cors"
)

// TestCORS checks the CORS stage inside the whole chain: a preflight is
// answered before scenarios, auth and rate limits, and every answer to an
// allowed origin (errors included) carries the headers a page needs to read
// it.
func TestCORS(t *testing.T) {
	const origin = "http://127.0.0.1:8099"
	preflight := func(path, method string) stReq {
		return stReq{method: http.MethodOptions, path: path, header: map[string]string{
			"Origin":                         origin,
			"Access-Control-Request-Method":  method,
			"Access-Control-Request-Headers": "authorization",
		}}
	}
	fromPage := func(q stReq) stReq {
		h := map[string]string{"Origin": origin}
		for k, v := range q.header {
			h[k] = v
		}
		q.header = h
		return q
	}
	tests := []struct {
		name       string
		mut        func(*config.Config)
		setup      func(t *testing.T, s *stServer)
		req        stReq
		status     int
		allowed    bool              // Access-Control-Allow-Origin is the page's origin
		wantHeader map[string]string // further headers, exact
	}{
		{
			name:    "preflight of a REST API that wants a token: 204, not 401",
			req:     preflight("/v0/clients", "GET"),
			status:  http.StatusNoContent,
			allowed: true,
			wantHeader: map[string]string{
				"Access-Control-Allow-Methods":     "GET",
				"Access-Control-Allow-Headers":     "authorization",
				"Access-Control-Allow-Credentials": "true",
			},
		},
		{
			name:    "preflight of GraphQL POST",
			req:     preflight("/graphql", "POST"),
			status:  http.StatusNoContent,
			allowed: true,
		},
		{
			name:    "preflight of the control API",
			req:     preflight("/__standin/reset", "POST"),
			status:  http.StatusNoContent,
			allowed: true,
		},
		{
			name:    "preflight before a sticky scenario",
			mut:     func(c *config.Config) { c.SetScenario("clients-v2", "server-error") },
			req:     preflight("/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", "GET"),
			status:  http.StatusNoContent,
			allowed: true,
		},
		{
			name: "preflight before a spent rate limit",
			mut: func(c *config.Config) {
				c.APIs = map[string]config.API{"clients-v0": {RateLimit: stLimit(1, time.Minute)}}
			},
			setup: func(t *testing.T, s *stServer) {
				s.do(t, stReq{path: "/v0/clients", token: stAdmin})
				if r := s.do(t, stReq{path: "/v0/clients", token: stAdmin}); r.status != http.StatusTooManyRequests {
					t.Fatalf("second request: %s, want 429", r)
				}
			},
			req:     preflight("/v0/clients", "GET"),
			status:  http.StatusNoContent,
			allowed: true,
		},
		{
			name:    "actual request: data readable with the rate limit headers exposed",
			req:     fromPage(stReq{path: "/v0/clients", token: stAdmin}),
			status:  http.StatusOK,
			allowed: true,
			wantHeader: map[string]string{
				"Access-Control-Expose-Headers": cors.ExposedHeaders,
				"Vary":                          "Origin",
				"RateLimit-Limit":               "100",
			},
		},
		{
			name:    "a 401 is readable by the page too",
			req:     fromPage(stReq{path: "/v0/clients"}),
			status:  http.StatusUnauthorized,
			allowed: true,
		},
		{
			name:    "a scenario's 429 is readable, Retry-After exposed",
			req:     fromPage(stReq{path: "/v0/clients", token: stAdmin, header: map[string]string{"X-Standin-Scenario": "rate-limited"}}),
			status:  http.StatusTooManyRequests,
			allowed: true,
			wantHeader: map[string]string{
				"Access-Control-Expose-Headers": cors.ExposedHeaders,
			},
		},
		{
			name:   "origin not in the list: no CORS headers, the preflight goes on to auth (401)",
			mut:    func(c *config.Config) { c.CORS = config.CORS{Origins: []string{"http://localhost:*"}} },
			req:    preflight("/v0/clients", "GET"),
			status: http.StatusUnauthorized,
		},
		{
			name:    "origin in the list",
			mut:     func(c *config.Config) { c.CORS = config.CORS{Origins: []string{"http://127.0.0.1:*"}} },
			req:     preflight("/v0/clients", "GET"),
			status:  http.StatusNoContent,
			allowed: true,
		},
		{
			name:   "CORS off: the preflight is an ordinary OPTIONS request (401)",
			mut:    func(c *config.Config) { c.CORS = config.CORS{Off: true} },
			req:    preflight("/v0/clients", "GET"),
			status: http.StatusUnauthorized,
		},
		{
			name:   "CORS off: no header on answers",
			mut:    func(c *config.Config) { c.CORS = config.CORS{Off: true} },
			req:    fromPage(stReq{path: "/v0/clients", token: stAdmin}),
			status: http.StatusOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stStart(t, tt.mut)
			if tt.setup != nil {
				tt.setup(t, s)
			}
			r := s.do(t, tt.req)
			if r.status != tt.status {
				t.Fatalf("status: %s, want %d", r, tt.status)
			}
			acao := r.header.Get("Access-Control-Allow-Origin")
			switch {
			case tt.allowed && acao != origin:
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", acao, origin)
			case !tt.allowed && acao != "":
				t.Errorf("Access-Control-Allow-Origin = %q, want none", acao)
			}
			if !tt.allowed && r.header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("Access-Control-Allow-Credentials on a refused origin")
			}
			for k, v := range tt.wantHeader {
				if got := strings.Join(r.header.Values(k), ", "); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestCORSPreflightNotJournaled: a preflight is the browser's, not the
// page's request; the journal lists only what the page asked for.
func TestCORSPreflightNotJournaled(t *testing.T) {
	s := stStart(t, nil)
	r := s.do(t, stReq{method: http.MethodOptions, path: "/v0/clients", header: map[string]string{
		"Origin": "http://127.0.0.1:8099", "Access-Control-Request-Method": "GET",
	}})
	if r.status != http.StatusNoContent {
		t.Fatalf("preflight: %s", r)
	}
	if n := len(s.mock.journal.List(0)); n != 0 {
		t.Errorf("journal has %d entries after a preflight, want 0", n)
	}
}

// TestExampleConfigCORS: the example configuration's cors list takes
// effect (TestExampleConfig checks its other settings).
func TestExampleConfigCORS(t *testing.T) {
	cfg, err := config.Load(stExampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	s := stStartCfg(t, cfg)
	for origin, allowed := range map[string]bool{
		"http://localhost:5173": true,
		"http://127.0.0.1:8099": true,
		"https://example.com":   false,
	} {
		r := s.do(t, stReq{method: http.MethodOptions, path: "/v0/clients", header: map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "GET",
		}})
		if got := r.header.Get("Access-Control-Allow-Origin") == origin; got != allowed {
			t.Errorf("origin %s: allowed = %v (%s), want %v", origin, got, r, allowed)
		}
	}
}
