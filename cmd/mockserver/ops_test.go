package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// started is a mockserver run by a test.
type started struct {
	base   string
	stdout *syncBuf
	stderr *syncBuf
	stop   func() int
}

// startServe runs serve with args and waits for the start-up banner.
func startServe(t *testing.T, args []string, environ map[string]string) *started {
	t.Helper()
	s := &started{stdout: &syncBuf{}, stderr: &syncBuf{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- serve(ctx, args, env(environ), s.stdout, s.stderr) }()
	var once bool
	var code int
	s.stop = func() int {
		if !once {
			once = true
			http.DefaultClient.CloseIdleConnections()
			cancel()
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Error("no shutdown within 20s")
			}
		}
		return code
	}
	t.Cleanup(func() { s.stop() })
	urlRe := regexp.MustCompile(`Standin mock server on (http://[0-9.:]+)`)
	for deadline := time.Now().Add(60 * time.Second); ; {
		if m := urlRe.FindStringSubmatch(s.stdout.String()); m != nil && strings.Contains(s.stdout.String(), "Control API:") {
			s.base = m[1]
			return s
		}
		select {
		case code := <-done:
			t.Fatalf("exited %d: %s", code, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner; stdout %q stderr %q", s.stdout.String(), s.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJSONLogLineCarriesTheRequest(t *testing.T) {
	s := startServe(t, []string{"--addr", "127.0.0.1:0", "--log-format", "json"}, nil)
	req, _ := http.NewRequest("GET", s.base+"/v0/clients", nil)
	req.Header.Set("Authorization", "Bearer standin-admin")
	req.Header.Set("X-Standin-Scenario", "rate-limited")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if id == "" {
		t.Fatal("no X-Request-Id in the response")
	}
	var line map[string]any
	for deadline := time.Now().Add(5 * time.Second); line == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		sc := bufio.NewScanner(strings.NewReader(s.stderr.String()))
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("a log line is not JSON: %q", sc.Text())
			}
			if m["msg"] == "request" && m["request_id"] == id {
				line = m
			}
		}
	}
	if line == nil {
		t.Fatalf("no JSON request line with request_id %s in:\n%s", id, s.stderr.String())
	}
	for k, want := range map[string]any{"api": "clients-v0", "operation": "listClients", "status": float64(429), "scenario": "rate-limited"} {
		if line[k] != want {
			t.Errorf("%s = %v, want %v (line %v)", k, line[k], want, line)
		}
	}
	if _, ok := line["duration"].(float64); !ok {
		t.Errorf("duration %v is not a number", line["duration"])
	}
}

// freePort returns a port free on every interface at the time of asking.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// fetch sends one GET to 127.0.0.1 (never to the wildcard address).
func fetch(t *testing.T, url, token string) (answer, error) {
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &a.body); err != nil {
		t.Errorf("GET %s: body is not a JSON object: %s", url, b)
	}
	return a, nil
}

// TestReadyWhileAMillionRecordsAreBuilt: the port opens before the data is
// built; ready answers 503 with progress, API requests 503 with Retry-After
// in their API's shape, and once built ready answers 200. On 0.0.0.0 with an
// admin token, health and ready need no token and the rest of the control
// API still refuses requests without it.
func TestReadyWhileAMillionRecordsAreBuilt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a million records (seconds and about 400 MiB); not run with -short")
	}
	const total = 1_000_000
	cfgFile := filepath.Join(t.TempDir(), "standin.yaml")
	if err := os.WriteFile(cfgFile, []byte("apis: {marketplace: {counts: {accounts: 1000000}}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	var stdout, stderr syncBuf
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	began := time.Now()
	go func() {
		done <- serve(ctx, []string{"--addr", fmt.Sprintf("0.0.0.0:%d", port), "--admin-token", "T", "--config", cfgFile, "--log-level", "warn"},
			env(nil), &stdout, &stderr)
	}()
	defer func() {
		http.DefaultClient.CloseIdleConnections()
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("no shutdown within 30s")
		}
	}()

	// The first answer of ready: 503 with progress.
	var first answer
	var err error
	for {
		a, err := fetch(t, base+"/__standin/ready", "")
		if err == nil {
			first = a
			break
		}
		select {
		case code := <-done:
			t.Fatalf("exited %d: %s", code, stderr.String())
		default:
		}
		if time.Since(began) > 10*time.Second {
			t.Fatalf("port not open after 10s: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Logf("first ready answer %s after start: %d %v", time.Since(began), first.status, first.body)
	if first.status != http.StatusServiceUnavailable || first.body["status"] != "starting" || first.header.Get("Retry-After") == "" {
		t.Fatalf("first ready answer %d %v, want 503 starting with Retry-After", first.status, first.body)
	}
	// The total is known once the manifests are read (milliseconds later).
	for {
		records, _ := first.body["records"].(map[string]any)
		if records != nil && records["total"].(float64) >= total {
			break
		}
		if first.status != http.StatusServiceUnavailable || time.Since(began) > 10*time.Second {
			t.Fatalf("ready %d %v, want 503 with a total of at least %d records", first.status, first.body, total)
		}
		time.Sleep(2 * time.Millisecond)
		if first, err = fetch(t, base+"/__standin/ready", ""); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("ready answer with the total %s after start: %v", time.Since(began), first.body)
	if h, err := fetch(t, base+"/__standin/health", ""); err != nil || h.status != 200 {
		t.Fatalf("health while starting: %v %v", h, err)
	}

	// Meanwhile API requests get 503 with Retry-After in the API's shape.
	a, err := fetch(t, base+"/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", "standin-admin")
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := a.body["error"].(map[string]any); a.status != 503 || a.header.Get("Retry-After") == "" || e == nil || e["code"] != "service_unavailable" {
		t.Errorf("clients-v2 while starting: %d %v %v", a.status, a.header, a.body)
	}
	g, err := fetch(t, base+"/graphql?query=%7B__typename%7D", "standin-admin")
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := g.body["errors"].([]any); g.status != 503 || g.header.Get("Retry-After") == "" || len(errs) != 1 {
		t.Errorf("admin GraphQL while starting: %d %v", g.status, g.body)
	}
	if c, _ := fetch(t, base+"/__standin/apis", ""); c.status == 200 {
		t.Errorf("control API without token while starting: %d", c.status)
	}

	// Progress grows, then ready answers 200. No bound on the whole build
	// (a loaded machine may take minutes): it fails when progress stops
	// moving for a minute, or when it goes back.
	var last answer
	made, moved := -1.0, time.Now()
	for ; ; time.Sleep(100 * time.Millisecond) {
		last, err = fetch(t, base+"/__standin/ready", "")
		if err != nil {
			t.Fatal(err)
		}
		if last.status == 200 {
			break
		}
		records, _ := last.body["records"].(map[string]any)
		n, _ := records["done"].(float64)
		switch {
		case n < made:
			t.Fatalf("progress went back from %v to %v: %v", made, n, last.body)
		case n > made:
			made, moved = n, time.Now()
		case time.Since(moved) > time.Minute:
			t.Fatalf("no progress for a minute at %v: %v", made, last.body)
		}
	}
	t.Logf("ready after %s", time.Since(began))
	if last.body["status"] != "ready" {
		t.Errorf("ready body %v", last.body)
	}
	if !strings.Contains(stderr.String(), "building data:") || !strings.Contains(stderr.String(), "records/s") {
		t.Errorf("no progress on stderr: %q", stderr.String())
	}

	// Built, on 0.0.0.0 with an admin token.
	checks := []struct {
		path, token string
		status      int
	}{
		{"/__standin/health", "", 200},
		{"/__standin/ready", "", 200},
		{"/__standin/apis", "", 401},
		{"/__standin/metrics", "", 401},
		{"/__standin/requests", "wrong", 401},
		{"/__standin/apis", "T", 200},
	}
	for _, c := range checks {
		got, err := fetch(t, base+c.path, c.token)
		if err != nil {
			t.Fatal(err)
		}
		if got.status != c.status {
			t.Errorf("GET %s token %q: %d, want %d", c.path, c.token, got.status, c.status)
		}
	}
	if n, err := fetch(t, base+"/api/account/v2/companies?page=0&size=1", "standin-admin"); err != nil || n.status != 200 {
		t.Errorf("marketplace once built: %v %v", n, err)
	}
}

// TestWatchReloadsAnEditedScenario: with --watch and scenariosDir, editing
// a scenario file changes the next answer without a restart; a broken edit
// keeps the running behaviour and logs file:line.
func TestWatchReloadsAnEditedScenario(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "scenarios")
	if err := os.CopyFS(dir, os.DirFS("../../scenarios")); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "standin.yaml")
	if err := os.WriteFile(cfgFile, []byte("scenariosDir: "+dir+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, []string{"--addr", "127.0.0.1:0", "--config", cfgFile, "--watch"}, nil)
	file := filepath.Join(dir, "clients-v0", "rate-limited.yaml")
	get := func() answer {
		req, _ := http.NewRequest("GET", s.base+"/v0/clients", nil)
		req.Header.Set("Authorization", "Bearer standin-admin")
		req.Header.Set("X-Standin-Scenario", "rate-limited")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		a := answer{status: resp.StatusCode, header: resp.Header}
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &a.body)
		return a
	}
	if a := get(); a.status != 429 || a.header.Get("Retry-After") != "900" {
		t.Fatalf("before the edit: %d %v", a.status, a.header)
	}

	// Edit: a shorter Retry-After and another message.
	edited := `description: "Rate limit exhausted, one-minute window (edited)."
source: "002 Get Clients (GET /v0/clients), Responses: 429 Rate limit exceeded"
effect:
  status: 429
  message: "Slow down"
  headers:
    Retry-After: "60"
`
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	var a answer
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if a = get(); a.header.Get("Retry-After") == "60" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit did not change the answer within 30s: %d %v %v\n%s", a.status, a.header, a.body, s.stderr.String())
		}
	}
	if a.status != 429 || !strings.Contains(fmt.Sprint(a.body), "Slow down") {
		t.Errorf("after the edit: %d %v", a.status, a.body)
	}

	// A broken edit (a tab in the indentation of line 4; yaml.v3 alone said
	// line 3): logged with file:line:col and the fix, the running scenario
	// stays.
	broken := "description: d\neffect:\n  status: 429\n\tmessage: x\n"
	if err := os.WriteFile(file, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(s.stderr.String(), "reload failed"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload error logged within 30s:\n%s", s.stderr.String())
		}
	}
	if !regexp.MustCompile(`clients-v0/rate-limited\.yaml:4:1: YAML syntax: .*tab.*; indent with spaces, not tabs`).MatchString(s.stderr.String()) {
		t.Errorf("the error does not name file:line:\n%s", s.stderr.String())
	}
	if a := get(); a.status != 429 || a.header.Get("Retry-After") != "60" {
		t.Errorf("after the broken edit: %d %v, want the edited scenario kept", a.status, a.header)
	}

	// The reloads are visible to the control API and the metrics.
	r, err := fetch(t, s.base+"/__standin/reloads", "")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := r.body["reloads"].([]any)
	if len(list) < 2 {
		t.Fatalf("reloads %v", r.body)
	}
	if last := list[0].(map[string]any); !strings.Contains(fmt.Sprint(last["error"]), "rate-limited.yaml:4:1") {
		t.Errorf("newest reload %v, want the broken edit's error", last)
	}
	resp, err := http.Get(s.base + "/__standin/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`standin_reloads_total{kind="scenarios",result="error"} 1`, `standin_reloads_total{kind="scenarios",result="ok"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestWatchRebuildsOnAFixtureEdit: a fixture edit rebuilds the server (the
// new record is served), keeps the sticky scenarios and the journal, and a
// broken fixture keeps the running server.
func TestWatchRebuildsOnAFixtureEdit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fixtures")
	if err := os.CopyFS(dir, os.DirFS("../../fixtures")); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "standin.yaml")
	if err := os.WriteFile(cfgFile, []byte("fixturesDir: "+dir+"\nwatch: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, []string{"--addr", "127.0.0.1:0", "--config", cfgFile, "--scenario", "clients-v0=server-error"}, nil)
	const acme = "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"
	if a, _ := fetch(t, s.base+acme, "standin-admin"); a.body["name"] != "Acme Corporation" {
		t.Fatalf("before: %v", a.body)
	}
	file := filepath.Join(dir, "clients-v2", "clients.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), "Acme Corporation", "Acme Renamed", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		a, _ := fetch(t, s.base+acme, "standin-admin")
		if a.body["name"] == "Acme Renamed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no rebuild within 20s: %v\n%s", a.body, s.stderr.String())
		}
	}
	if a, _ := fetch(t, s.base+"/v0/clients", "standin-admin"); a.status != 500 {
		t.Errorf("sticky scenario lost in the rebuild: %d", a.status)
	}
	if j, _ := fetch(t, s.base+"/__standin/requests?limit=0", ""); len(j.body["requests"].([]any)) < 3 {
		t.Errorf("journal lost in the rebuild: %v", j.body)
	}
	if err := os.WriteFile(file, []byte("[{]"), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(s.stderr.String(), "reload failed"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload error within 20s:\n%s", s.stderr.String())
		}
	}
	if a, _ := fetch(t, s.base+acme, "standin-admin"); a.body["name"] != "Acme Renamed" {
		t.Errorf("after a broken fixture: %v, want the running data kept", a.body)
	}
	if !strings.Contains(s.stderr.String(), "clients-v2/clients.json:1:3: JSON syntax: invalid character ']'") {
		t.Errorf("the error does not name file:line:\n%s", s.stderr.String())
	}
}

// TestWatchReloadsAnEditedSpec: with --watch, editing a --spec file
// rebuilds its API (a changed example is answered, a new path served); a
// broken edit keeps the last good document serving and logs why, with
// file:line:col.
func TestWatchReloadsAnEditedSpec(t *testing.T) {
	const doc = `openapi: 3.0.3
info: {title: Greetings, version: "1"}
paths:
  /greeting:
    get:
      responses:
        "200":
          description: a greeting
          content:
            application/json:
              schema: {type: object, properties: {text: {type: string}}}
              example: {text: GREETING}
`
	file := filepath.Join(t.TempDir(), "greetings.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(doc, "GREETING", "hello", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, []string{"--addr", "127.0.0.1:0", "--spec", file, "--watch"}, nil)
	if a, _ := fetch(t, s.base+"/greeting", ""); a.status != 200 || a.body["text"] != "hello" {
		t.Fatalf("before: %d %v", a.status, a.body)
	}
	edited := strings.Replace(doc, "GREETING", "hello again", 1) + `  /farewell:
    get:
      responses:
        "200":
          description: a farewell
          content:
            application/json:
              schema: {type: object}
              example: {text: bye}
`
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		a, _ := fetch(t, s.base+"/greeting", "")
		if a.body["text"] == "hello again" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reload of the edited spec within 20s: %v\n%s", a.body, s.stderr.String())
		}
	}
	if a, _ := fetch(t, s.base+"/farewell", ""); a.status != 200 || a.body["text"] != "bye" {
		t.Errorf("the path added by the edit: %d %v", a.status, a.body)
	}
	if err := os.WriteFile(file, []byte("openapi: 3.0.3\ninfo: {title: t\npaths: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(s.stderr.String(), "reload failed"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload error within 20s:\n%s", s.stderr.String())
		}
	}
	if a, _ := fetch(t, s.base+"/greeting", ""); a.body["text"] != "hello again" {
		t.Errorf("after a broken edit: %v, want the last good document serving", a.body)
	}
	if !strings.Contains(s.stderr.String(), "greetings.yaml:2:7: YAML syntax") {
		t.Errorf("the error does not name file:line:col:\n%s", s.stderr.String())
	}
}
