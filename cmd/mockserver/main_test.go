package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuf is a bytes.Buffer safe for the server goroutine and the test.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestInterruptDuringLoad cancels the context (as SIGTERM does) while a
// million records are generated: serve stops loading and exits 1. (How
// fast is measured by bench/hostile against the binary, not here.)
func TestInterruptDuringLoad(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "million.yaml")
	if err := os.WriteFile(cfg, []byte("apis:\n  marketplace:\n    counts: {accounts: 1000000}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr syncBuf
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	code := serve(ctx, []string{"--addr", "127.0.0.1:0", "--config", cfg}, env(nil), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "interrupted while loading data") {
		t.Errorf("exit %d, stderr %q; want 1 and the interruption", code, stderr.String())
	}
}

func TestBadUsageExits2(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, nil, "flag provided but not defined: -bogus"},
		{"bad seed", []string{"--seed", "abc"}, nil, `seed "abc"`},
		{"bad seed from env", nil, map[string]string{"STANDIN_SEED": "-1"}, `seed "-1"`},
		{"bad scenario", []string{"--scenario", "admin"}, nil, "want API=NAME"},
		{"bad journal size", []string{"--journal-size", "x"}, nil, "journal-size"},
		{"bad log level", []string{"--log-level", "loud"}, nil, "logLevel"},
		{"extra argument", []string{"serve"}, nil, "unexpected arguments"},
		{"missing config file", []string{"--config", "/nonexistent/standin.yaml"}, nil, "/nonexistent/standin.yaml"},
		{"non-loopback without admin token", []string{"--addr", "0.0.0.0:0"}, nil, "not a loopback address; set an admin token"},
		{"non-loopback from env", nil, map[string]string{"STANDIN_ADDR": "0.0.0.0:0"}, "admin token"},
		{"config not a regular file", []string{"--config", "/dev/zero"}, nil, "/dev/zero: config: a device, not a regular file; give --config a YAML file"},
		{"journal size over the maximum", []string{"--journal-size", "1000000000000"}, nil, "journalSize 1000000000000: want 0 to 100000 entries"},
		{"absurd record count", []string{"--config", "{absurd.yaml}"}, nil, "counts.accounts 1000000000000: want 0 to 5000000 records"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuf
			absurd := filepath.Join(t.TempDir(), "absurd.yaml")
			if err := os.WriteFile(absurd, []byte("apis:\n  marketplace:\n    counts: {accounts: 1000000000000}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			for i, a := range tc.args {
				if a == "{absurd.yaml}" {
					tc.args[i] = absurd
				}
			}
			// serve, not run: should a case wrongly start, it stops after 10s.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := serve(ctx, tc.args, env(tc.env), &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr: %s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tc.want)
			}
			if stdout.String() != "" {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestUnknownStickyScenarioExits2: an unknown --scenario name is bad usage
// (exit 2), and the message lists the valid names.
func TestUnknownStickyScenarioExits2(t *testing.T) {
	var stdout, stderr syncBuf
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code := serve(ctx, []string{"--addr", "127.0.0.1:0", "--scenario", "admin=bogus"}, env(nil), &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "no-clients") {
		t.Errorf("stderr %q does not list the valid names", stderr.String())
	}
}

// TestServeAndShutdown starts the server on a free port, reads the banner,
// makes requests and shuts it down by cancelling the context (as SIGINT).
func TestServeAndShutdown(t *testing.T) {
	var stdout, stderr syncBuf
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"--scenario", "clients-v2=server-error", "--log-level", "error"},
			env(map[string]string{"STANDIN_ADDR": "127.0.0.1:0", "STANDIN_SEED": "3"}), &stdout, &stderr)
	}()
	urlRe := regexp.MustCompile(`Standin mock server on (http://127\.0\.0\.1:\d+) \(seed 3\)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; {
		if m := urlRe.FindStringSubmatch(stdout.String()); m != nil && strings.Contains(stdout.String(), "Control API:") {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	banner := stdout.String()
	for _, want := range []string{
		"admin", "marketplace", "clients-v0", "clients-v2", // APIs
		"POST /graphql", "GET /v0/clients", "GET /v2/clients/{client_id}", "GET /api/account/v2/companies/externalID:{externalId}", "POST /api/graphql", // paths
		"standin-admin", "standin-readonly", "standin-partner", // tokens
		base + "/__standin/", // control URL
		"sticky scenario: server-error",
		"rate limit: 100 requests per 15m0s per token",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer standin-admin")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/__standin/health"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("health: %d %s", code, body)
	}
	if code, body := get("/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"); code != 500 {
		t.Errorf("sticky scenario from --scenario: %d %s", code, body)
	}
	if code, _ := get("/v0/clients"); code != 200 {
		t.Errorf("/v0/clients: %d", code)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after shutdown: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no graceful shutdown within 10s")
	}
	if _, err := http.Get(base + "/__standin/health"); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestListenErrorExits1(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stdout, stderr syncBuf
	if code := serve(ctx, []string{"--addr", addr}, env(nil), &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1 (address in use)", code)
	}
	if !strings.Contains(stderr.String(), addr) {
		t.Errorf("stderr %q does not name %s", stderr.String(), addr)
	}
}

// TestSpecFlag: --spec (here through STANDIN_SPEC) serves the user's
// petstore beside the bundled APIs; a spec that cannot be served stops
// start-up with exit status 1 naming it.
func TestSpecFlag(t *testing.T) {
	spec := filepath.Join("..", "..", "internal", "rest", "testdata", "petstore.yaml")
	var stdout, stderr syncBuf
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--log-level", "error"}, env(map[string]string{"STANDIN_SPEC": spec}), &stdout, &stderr)
	}()
	urlRe := regexp.MustCompile(`Standin mock server on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(stdout.String()); m != nil && strings.Contains(stdout.String(), "Control API:") {
			base = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner; stdout %q stderr %q", stdout.String(), stderr.String())
		}
	}
	if banner := stdout.String(); !strings.Contains(banner, "Swagger Petstore") || !strings.Contains(banner, "DELETE /pets/{petId}") || !strings.Contains(banner, "GET /v0/clients") {
		t.Errorf("banner lacks the petstore or the bundled APIs:\n%s", banner)
	}
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer standin-admin")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := do("GET", "/pets/1", ""); code != 200 || !strings.Contains(body, `"name":"Rex"`) {
		t.Errorf("GET /pets/1: %d %s", code, body)
	}
	if code, body := do("POST", "/pets", `{"name":"Fido"}`); code != 201 || !strings.Contains(body, `"name":"Fido"`) {
		t.Errorf("POST /pets: %d %s", code, body)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, stderr.String())
	}

	var out2, err2 syncBuf
	bad := filepath.Join(t.TempDir(), "nope.yaml")
	if code := serve(context.Background(), []string{"--addr", "127.0.0.1:0", "--spec", bad}, env(nil), &out2, &err2); code != 2 || !strings.Contains(err2.String(), bad+": no such file") {
		t.Errorf("a missing spec: exit %d, stderr %q; want 2 (a bad file) naming it", code, err2.String())
	}
}
