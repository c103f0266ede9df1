package gqlhttp_test

// Hostile input sent through the real mock (standintest, and for header
// limits server.HTTPServer on loopback): each limit answers a clear 4xx
// that names the limit. The defaults are documented in docs/performance.md.

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/server"
	"github.com/standin/standin/standintest"
)

type limitCase struct {
	name, path, body string
	status           int
	want             string // in the body
}

func gqlBody(query string, vars string) string {
	q, _ := json.Marshal(query)
	if vars == "" {
		return fmt.Sprintf(`{"query":%s}`, q)
	}
	return fmt.Sprintf(`{"query":%s,"variables":%s}`, q, vars)
}

func TestHostileInputThroughServer(t *testing.T) {
	srv, err := standintest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&aliases, "a%d: __typename ", i)
	}
	aliases.WriteString("}")
	cost := "{ accounts(first: 100) { nodes { memberships(first: 100) { nodes { id } } subscriptions(first: 100) { nodes { id } } } } }"
	bigDoc := "{ accounts(first: 1) { totalCount } } " + "# " + strings.Repeat("x", 70<<10)
	bigVars := `{"pad":"` + strings.Repeat("x", 300<<10) + `"}`

	// The depth limit (15) cannot be reached with the bundled schemas (their
	// deepest selection is 7 fields); exec's tests cover it. A page size
	// over the maximum is a field error (BAD_USER_INPUT): GraphQL over HTTP
	// answers it with 200 and the error, so status 0 here means "errors".
	cases := []limitCase{
		{"body over 1 MiB", "/api/graphql", gqlBody("{ accounts { totalCount } }", `{"pad":"`+strings.Repeat("x", 1<<20)+`"}`), http.StatusRequestEntityTooLarge, "exceeds"},
		{"document over 64 KiB", "/api/graphql", gqlBody(bigDoc, ""), http.StatusBadRequest, "exceeds the maximum of 65536 bytes"},
		{"variables over 256 KiB", "/api/graphql", gqlBody("query($pad: String) { accounts { totalCount } }", bigVars), http.StatusRequestEntityTooLarge, "variables exceed"},
		{"aliases over 100", "/api/graphql", gqlBody(aliases.String(), ""), http.StatusBadRequest, "aliases, more than the maximum of 100"},
		{"cost over 10000", "/api/graphql", gqlBody(cost, ""), http.StatusBadRequest, "exceeds the maximum cost of 10000"},
		{"page size over 100", "/api/graphql", gqlBody("{ accounts(first: 101) { totalCount } }", ""), 0, "first must be between 0 and 100"},
		{"body not JSON", "/api/graphql", `{"query":`, http.StatusBadRequest, "must be a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+c.path, strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			t.Logf("%d %s", resp.StatusCode, truncate(body, 300))
			if c.status != 0 && resp.StatusCode != c.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, c.status, truncate(body, 300))
			}
			if c.status == 0 && (resp.StatusCode < 400 || resp.StatusCode > 499) && !strings.Contains(string(body), `"errors"`) {
				t.Errorf("status %d without errors: %s", resp.StatusCode, truncate(body, 300))
			}
			if c.want != "" && !strings.Contains(string(body), c.want) {
				t.Errorf("body lacks %q: %s", c.want, truncate(body, 300))
			}
		})
	}
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// TestHTTPServerLimits serves the mock through server.HTTPServer, as
// cmd/mockserver does, and checks the header limit and the timeouts.
func TestHTTPServerLimits(t *testing.T) {
	mock, err := server.New(config.Default(), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := server.HTTPServer(mock, slog.New(slog.DiscardHandler))
	if hs.ReadHeaderTimeout <= 0 || hs.ReadHeaderTimeout > 30*time.Second {
		t.Errorf("ReadHeaderTimeout %v: want a bound of at most 30s", hs.ReadHeaderTimeout)
	}
	if hs.IdleTimeout <= 0 {
		t.Errorf("IdleTimeout %v: want a bound", hs.IdleTimeout)
	}
	if hs.WriteTimeout != 0 && hs.WriteTimeout <= config.DefaultHoldCap {
		t.Errorf("WriteTimeout %v would cut the timeout scenario (held up to %v)", hs.WriteTimeout, config.DefaultHoldCap)
	}
	if hs.ReadTimeout != 0 && hs.ReadTimeout <= config.DefaultHoldCap {
		t.Errorf("ReadTimeout %v would cut the timeout scenario (held up to %v)", hs.ReadTimeout, config.DefaultHoldCap)
	}
	if hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes %d: want a bound", hs.MaxHeaderBytes)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()

	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", nil)
	req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
	req.Header.Set("X-Big", strings.Repeat("x", hs.MaxHeaderBytes+8<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("oversized header: status %d, want 431: %s", resp.StatusCode, truncate(body, 200))
	}
	req.Header.Del("X-Big")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("normal request after the oversized one: %d", resp.StatusCode)
	}
}
