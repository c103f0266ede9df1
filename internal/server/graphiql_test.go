package server

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/graphiql"
)

const stBrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// TestGraphiQL: a browser opening a GraphQL path gets the IDE, before
// scenarios and auth; GraphQL requests on the same path are unchanged.
func TestGraphiQL(t *testing.T) {
	browser := map[string]string{"Accept": stBrowserAccept}
	tests := []struct {
		name      string
		mut       func(*config.Config)
		req       stReq
		wantIDE   bool
		wantToken bool
		status    int
	}{
		{name: "admin /graphql", req: stReq{path: "/graphql", header: browser}, wantIDE: true, wantToken: true, status: 200},
		{name: "marketplace /api/graphql", req: stReq{path: "/api/graphql", header: browser}, wantIDE: true, wantToken: true, status: 200},
		{name: "a mounted prefix", mut: func(c *config.Config) { c.APIs = map[string]config.API{"marketplace": {Prefix: "/mp"}} },
			req: stReq{path: "/mp/api/graphql", header: browser}, wantIDE: true, wantToken: true, status: 200},
		{name: "before a sticky scenario", mut: func(c *config.Config) { c.SetScenario("admin", "server-error") },
			req: stReq{path: "/graphql", header: browser}, wantIDE: true, wantToken: true, status: 200},
		{name: "not on loopback: no token in the page",
			mut: func(c *config.Config) { c.Addr, c.AdminToken = "0.0.0.0:0", "secret" },
			req: stReq{path: "/graphql", header: browser}, wantIDE: true, wantToken: false, status: 200},
		{name: "a GET with a query is GraphQL", req: stReq{path: "/graphql?query=%7B__typename%7D", token: stAdmin, header: browser}, status: 200},
		{name: "a JSON client without a token still gets 401", req: stReq{path: "/graphql", header: map[string]string{"Accept": "application/json"}}, status: 401},
		{name: "curl without Accept gets the GraphQL answer", req: stReq{path: "/graphql"}, status: 401},
		{name: "POST from a browser is GraphQL", req: stReq{method: http.MethodPost, path: "/graphql", token: stAdmin, header: browser, body: `{"query":"{ __typename }"}`}, status: 200},
		{name: "a REST path is not GraphQL", req: stReq{path: "/v0/clients", header: browser}, status: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stStart(t, tt.mut)
			r := s.do(t, tt.req)
			if r.status != tt.status {
				t.Fatalf("status: %s, want %d", r, tt.status)
			}
			isIDE := strings.HasPrefix(r.header.Get("Content-Type"), "text/html") && strings.Contains(string(r.body), "standin-graphiql.js")
			if isIDE != tt.wantIDE {
				t.Fatalf("GraphiQL page = %v, want %v: %s", isIDE, tt.wantIDE, r)
			}
			if !isIDE {
				return
			}
			cfg := stIDEConfig(t, r.body)
			wantHeaders := ""
			if tt.wantToken {
				wantHeaders = "{\n  \"Authorization\": \"Bearer standin-admin\"\n}"
			}
			if cfg.Headers != wantHeaders {
				t.Errorf("pre-filled headers %q, want %q", cfg.Headers, wantHeaders)
			}
			if path, _, _ := strings.Cut(tt.req.path, "?"); cfg.Endpoint != path {
				t.Errorf("the page sends its queries to %q, want %q", cfg.Endpoint, path)
			}
		})
	}
}

// stIDEConfig reads the settings a GraphiQL page hands its script.
func stIDEConfig(t *testing.T, body []byte) (c struct{ Endpoint, Headers string }) {
	t.Helper()
	m := regexp.MustCompile(`data-config="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no data-config in the page: %s", body)
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &c); err != nil {
		t.Fatalf("data-config: %v", err)
	}
	return c
}

// TestGraphiQLAssets: the page's files come from the binary, without the
// control API's token even when one is set (they are public files).
func TestGraphiQLAssets(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.Addr, c.AdminToken = "0.0.0.0:0", "secret" })
	page := s.do(t, stReq{path: "/graphql", header: map[string]string{"Accept": "text/html"}})
	srcs := []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "standin-graphiql.js"}
	for _, src := range srcs {
		p := graphiql.AssetPrefix + graphiql.Version + "/" + src
		if !strings.Contains(string(page.body), p) {
			t.Errorf("page does not load %s", p)
		}
		r := s.do(t, stReq{path: p})
		if r.status != http.StatusOK || len(r.body) == 0 {
			t.Errorf("%s: %d, %d bytes", p, r.status, len(r.body))
		}
	}
	if r := s.do(t, stReq{path: graphiql.AssetPrefix + "nope"}); r.status != http.StatusNotFound {
		t.Errorf("unknown asset: %s", r)
	}
	// The control API itself still wants its token.
	if r := s.do(t, stReq{path: "/__standin/apis"}); r.status != http.StatusUnauthorized {
		t.Errorf("/__standin/apis without the admin token: %s", r)
	}
}
