package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
)

// TestHostileRequests is the handler side of the hostile-input suite
// (bench/hostile runs the rest against the built binary): each request a
// careless or hostile client sends gets a clear, bounded answer in the
// API's shape. Cases that once failed are marked with what they did.
func TestHostileRequests(t *testing.T) {
	srv, err := New(config.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	const acme = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
	const company = "7480a312-916e-4739-b53a-7345bf3c6929"
	tests := []struct {
		name, method, path, token, body string
		header                          map[string]string
		status                          int
		has, lacks                      []string
	}{
		// Once 404: UUIDs compare without case (RFC 9562).
		{name: "upper-case UUID, clients-v2", path: "/v2/clients/" + strings.ToUpper(acme), status: 200, has: []string{`"id":"` + acme + `"`}},
		{name: "upper-case UUID, marketplace", path: "/api/account/v2/companies/" + strings.ToUpper(company), status: 200, has: []string{`"id":"` + company + `"`}},
		{name: "mixed-case UUID", path: "/v2/clients/AA7cf840-9CA9-46a3-9778-9015d6580d50", status: 200, has: []string{acme}},
		{name: "upper-case UUID, marketplace GraphQL", method: "POST", path: "/api/graphql", body: `{"query":"{ account(id: \"` + strings.ToUpper(company) + `\") { id name } }"}`, status: 200, has: []string{`"id":"` + company + `"`}, lacks: []string{`"errors"`}},
		{name: "unknown UUID still 404", path: "/v2/clients/AA7CF840-9CA9-46A3-9778-9015D6580D59", status: 404, has: []string{`"not_found"`}},
		// Once clamped to page 2147483647 with a self link to it.
		{name: "page 10^17", path: "/api/account/v2/companies?page=100000000000000000", status: 400, has: []string{`"code":"BAD_REQUEST"`, "at most 2147483647"}},
		{name: "page 10^20", path: "/api/account/v2/companies?page=99999999999999999999", status: 400, has: []string{`"code":"BAD_REQUEST"`}},
		{name: "size 10^17", path: "/api/account/v2/companies?size=100000000000000000", status: 400, has: []string{`"code":"BAD_REQUEST"`}},
		// Already held: kept so they do not regress.
		{name: "path traversal to the control API", method: "POST", path: "/v0/../__standin/reset", status: 404, has: []string{`"success":false`}, lacks: []string{`"status":"reset"`}},
		{name: "encoded traversal", path: "/v2/clients/..%2F..%2F__standin%2Fapis", status: 404},
		{name: "no token", path: "/v0/clients", token: "-", status: 401, has: []string{`"success":false`}},
		{name: "empty bearer", path: "/v0/clients", token: "-", header: map[string]string{"Authorization": "Bearer "}, status: 401},
		{name: "basic scheme", path: "/v0/clients", token: "-", header: map[string]string{"Authorization": "Basic c3RhbmRpbi1hZG1pbjo="}, status: 401},
		{name: "unknown token", path: "/v2/clients/" + acme, token: "nope", status: 401, has: []string{`"unauthorized"`}},
		{name: "NUL in a path parameter", path: "/v2/clients/%00", status: 404, has: []string{`"not_found"`}},
		{name: "overlong path parameter", path: "/v2/clients/" + strings.Repeat("a", 8000), status: 404, has: []string{`"not_found"`}},
		{name: "unknown query parameter flood", path: "/v0/clients?" + strings.Repeat("x=1&", 2000), status: 200},
		{name: "GraphQL over GET with a mutation", path: "/api/graphql?query=" + "mutation%7BdeleteAccount(input:%7BaccountId:%22x%22%7D)%7Bsuccess%7D%7D", status: 405, has: []string{`"errors"`}},
		{name: "GraphQL nesting 1,000 braces deep", method: "POST", path: "/api/graphql", body: `{"query":"` + strings.Repeat("{a", 1000) + strings.Repeat("}", 1000) + `"}`, status: 400, has: []string{`"errors"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, "http://mock"+tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			switch tc.token {
			case "":
				req.Header.Set("Authorization", "Bearer standin-admin")
			case "-":
			default:
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tc.status, body)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("no X-Content-Type-Options: nosniff")
			}
			for _, h := range tc.has {
				if !strings.Contains(body, h) {
					t.Errorf("body lacks %q: %.300s", h, body)
				}
			}
			for _, h := range tc.lacks {
				if strings.Contains(body, h) {
					t.Errorf("body has %q: %.300s", h, body)
				}
			}
		})
	}
}

// TestNosniffEverywhere: success, error and control answers all carry
// X-Content-Type-Options: nosniff.
func TestNosniffEverywhere(t *testing.T) {
	srv, err := New(config.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v0/clients", "/graphql?query=%7B__typename%7D", "/__standin/health", "/__standin/apis", "/nowhere", "/v0/nowhere"} {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.Header.Set("Authorization", "Bearer standin-admin")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s (%d): X-Content-Type-Options %q, want nosniff", p, rec.Code, got)
		}
	}
}

// TestJournalRedactsQuerySecrets: a token sent in the query string is not
// listed whole by GET /__standin/requests.
func TestJournalRedactsQuerySecrets(t *testing.T) {
	srv, err := New(config.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"access_token=standin-admin-0123456789", "api_key=sk_live_0123456789abcdef&page=2", "token=verysecretvalue"} {
		req := httptest.NewRequest(http.MethodGet, "/v0/clients?"+q, nil)
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/__standin/requests", nil))
	body := rec.Body.String()
	for _, secret := range []string{"standin-admin-0123456789", "sk_live_0123456789abcdef", "verysecretvalue"} {
		if strings.Contains(body, secret) {
			t.Errorf("journal lists %q: %.500s", secret, body)
		}
	}
	if !strings.Contains(body, "page=2") {
		t.Errorf("journal lost the other parameters: %.500s", body)
	}
}

// TestExpectContinueOverLimit: a POST declaring a body over the limit with
// Expect: 100-continue is refused with 413 and no 100 Continue (RFC 9110,
// 10.1.1: a server that will refuse the content should not invite it).
func TestExpectContinueOverLimit(t *testing.T) {
	for _, bodies := range []bool{false, true} {
		t.Run(fmt.Sprintf("journalBodies=%v", bodies), func(t *testing.T) {
			cfg := config.Default()
			cfg.JournalBodies = bodies
			expectContinueOverLimit(t, cfg)
		})
	}
}

func expectContinueOverLimit(t *testing.T, cfg config.Config) {
	srv, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, path := range []string{"/api/graphql", "/v0/clients", "/nowhere"} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		method := "POST"
		if path == "/v0/clients" {
			method = "GET" // its one method: the body check comes after routing
		}
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer standin-admin\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", method, path, 2<<20)
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			conn.Close()
			t.Errorf("%s: %v", path, err)
			continue
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		conn.Close()
		want := http.StatusRequestEntityTooLarge
		if path == "/nowhere" {
			want = http.StatusNotFound // no API: nothing reads the body either
		}
		if resp.StatusCode != want {
			t.Errorf("%s: first answer %d (want %d, no 100 Continue): %s", path, resp.StatusCode, want, body)
		}
	}
}
