// Command hostile runs the hostile-input suite against a built mockserver
// binary: configurations that must be refused at once, a signal during a
// long start-up, and requests an attacker or a careless client sends (huge
// or quadratic GraphQL documents, floods, slow and idle connections, lying
// bodies, wrong shapes). It prints one PASS or FAIL line per case and exits
// 1 when any case fails.
//
//	go build -o /tmp/mockserver ./cmd/mockserver
//	go run ./bench/hostile --bin /tmp/mockserver          # the full suite
//	go run ./bench/hostile --bin /tmp/mockserver --short  # the CI subset
//
// The in-process side of the suite (the same classes as table tests
// against the handler) is internal/server/hostile_test.go and
// internal/graphql/gqlhttp/hostile_test.go; this command adds what needs
// the real process: exit codes, signals, RSS, sockets and timeouts.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const admin = "Bearer standin-admin"

func main() {
	bin := flag.String("bin", "", "path to the built mockserver binary (required)")
	short := flag.Bool("short", false, "the CI subset: fewer connections and holds, no slow cases")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "hostile: --bin is required (go build -o /tmp/mockserver ./cmd/mockserver)")
		os.Exit(2)
	}
	s := &suite{bin: *bin, short: *short}
	os.Exit(s.run())
}

type suite struct {
	bin    string
	short  bool
	failed int
	passed int
	tmp    string
}

// check records one case.
func (s *suite) check(name string, err error, detail string) {
	if err != nil {
		s.failed++
		fmt.Printf("FAIL  %-58s %v\n", name, err)
		return
	}
	s.passed++
	fmt.Printf("PASS  %-58s %s\n", name, detail)
}

func (s *suite) run() int {
	var err error
	if s.tmp, err = os.MkdirTemp("", "hostile"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(s.tmp)
	start := time.Now()
	s.configCases()
	s.signalCase()
	if err := s.serverCases(); err != nil {
		s.check("mock starts", err, "")
	}
	fmt.Printf("\n%d passed, %d failed in %s\n", s.passed, s.failed, time.Since(start).Round(time.Millisecond))
	if s.failed > 0 {
		return 1
	}
	return 0
}

func (s *suite) file(name, body string) string {
	p := filepath.Join(s.tmp, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		panic(err)
	}
	return p
}

// configCases: each must exit 2 within a second with one line and no
// stack trace.
func (s *suite) configCases() {
	huge := filepath.Join(s.tmp, "huge.yaml")
	if f, err := os.Create(huge); err == nil {
		_ = f.Truncate(100 << 20)
		f.Close()
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"--config /dev/zero", []string{"--config", "/dev/zero"}, "not a regular file"},
		{"--config of 100 MB", []string{"--config", huge}, "more than the maximum"},
		{"--journal-size 1000000000000", []string{"--journal-size", "1000000000000"}, "journalSize"},
		{"counts: {accounts: 10^12}", []string{"--config", s.file("absurd.yaml", "apis:\n  marketplace:\n    counts: {accounts: 1000000000000}\n")}, "counts.accounts"},
		{"counts over the total", []string{"--config", s.file("total.yaml", "apis:\n  marketplace:\n    counts: {accounts: 3000000, memberships: 3000000}\n")}, "in all"},
		{"maxBodyBytes 2^63-1", []string{"--config", s.file("body.yaml", "maxBodyBytes: 9223372036854775807\n")}, "maxBodyBytes"},
		{"holdCap 10^6 hours", []string{"--config", s.file("hold.yaml", "holdCap: 1000000h\n")}, "holdCap"},
		{"rate limit window of a year", []string{"--config", s.file("rate.yaml", "apis:\n  clients-v0:\n    rateLimit: {limit: 1, window: 8760h}\n")}, "rateLimit"},
	}
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, s.bin, append(c.args, "--addr", "127.0.0.1:0")...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		t0 := time.Now()
		err := cmd.Run()
		took := time.Since(t0)
		cancel()
		code := -1
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		msg := strings.TrimSpace(stderr.String())
		switch {
		case code != 2:
			err = fmt.Errorf("exit %d (%v), want 2: %.200s", code, err, msg)
		case took > time.Second:
			err = fmt.Errorf("took %s, want under 1s", took.Round(time.Millisecond))
		case strings.Count(msg, "\n") > 0 || strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic"):
			err = fmt.Errorf("not one line: %.300s", msg)
		case !strings.Contains(msg, c.want):
			err = fmt.Errorf("message %q lacks %q", msg, c.want)
		default:
			err = nil
		}
		s.check("config: "+c.name, err, fmt.Sprintf("exit 2 in %s: %s", took.Round(time.Millisecond), msg))
	}
}

// signalCase: SIGTERM while a million records are generated ends the
// process within a second.
func (s *suite) signalCase() {
	cfg := s.file("million.yaml", "apis:\n  marketplace:\n    counts: {accounts: 1000000}\n")
	cmd := exec.Command(s.bin, "--config", cfg, "--addr", freeAddr(), "--log-level", "error")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		s.check("SIGTERM while generating 10^6 records", err, "")
		return
	}
	time.Sleep(1500 * time.Millisecond)
	t0 := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case <-done:
		if took := time.Since(t0); took > time.Second {
			err = fmt.Errorf("exited %s after SIGTERM, want under 1s", took.Round(time.Millisecond))
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		err = errors.New("still running 10s after SIGTERM")
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	s.check("SIGTERM while generating 10^6 records", err, fmt.Sprintf("exited in %s: %s", time.Since(t0).Round(time.Millisecond), lines[len(lines)-1]))
}

// freeAddr returns a loopback address with a port nothing listens on.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:0"
	}
	defer ln.Close()
	return ln.Addr().String()
}

// mock is a running mockserver.
type mock struct {
	cmd  *exec.Cmd
	addr string
	base string
}

func (s *suite) start(args ...string) (*mock, error) {
	addr := freeAddr()
	cmd := exec.Command(s.bin, append([]string{"--addr", addr, "--log-level", "error"}, args...)...)
	cmd.Stdout = io.Discard
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &mock{cmd: cmd, addr: addr, base: "http://" + addr}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.base + "/__standin/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m, nil
			}
			if resp.StatusCode == http.StatusNotFound { // a mock without readiness
				if resp, err := http.Get(m.base + "/__standin/health"); err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						return m, nil
					}
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.stop()
	return nil, errors.New("not ready after 30s")
}

func (m *mock) stop() {
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}

// rss is the process's resident set in bytes (Linux /proc).
func (m *mock) rss() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", m.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS")
}

type answer struct {
	status int
	header http.Header
	body   []byte
	took   time.Duration
}

var client = &http.Client{Timeout: 30 * time.Second}

func (m *mock) do(method, path, body string, header ...string) (answer, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, m.base+path, rd)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", admin)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	return answer{status: resp.StatusCode, header: resp.Header, body: b, took: time.Since(t0)}, err
}

func gql(query string) string {
	b, _ := json.Marshal(map[string]string{"query": query})
	return string(b)
}

// expect checks an answer's status and that its body holds every want.
func expect(a answer, err error, status int, want ...string) error {
	if err != nil {
		return err
	}
	if a.status != status {
		return fmt.Errorf("status %d, want %d: %.200s", a.status, status, a.body)
	}
	for _, w := range want {
		if !bytes.Contains(a.body, []byte(w)) {
			return fmt.Errorf("body lacks %q: %.200s", w, a.body)
		}
	}
	return nil
}

// within adds a time bound to a check.
func within(err error, a answer, d time.Duration) error {
	if err == nil && a.took > d {
		return fmt.Errorf("took %s, want under %s", a.took.Round(time.Millisecond), d)
	}
	return err
}

func repeat(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

func (s *suite) serverCases() error {
	hold := s.file("server.yaml", "holdCap: 2s\n")
	m, err := s.start("--config", hold)
	if err != nil {
		return err
	}
	defer m.stop()
	detail := func(a answer) string {
		return fmt.Sprintf("%d in %s, %d bytes", a.status, a.took.Round(time.Millisecond), len(a.body))
	}
	type tc struct {
		name string
		fn   func() (answer, error)
	}
	// Answers are timed from the client, so the bounds leave room for a
	// loaded machine; the benchmarks measure server time.
	const quick = 500 * time.Millisecond
	gqlCases := []struct {
		name, body string
		status     int
		want       []string
	}{
		{"5,400 __typename fields", gql("{ " + strings.Repeat("__typename ", 5400) + "}"), 400, []string{"QUERY_TOO_COMPLEX"}},
		{"500 conflicting account(id) fields", gql("{ " + repeat(`account(id:"%d"){name} `, 500) + "}"), 400, []string{"QUERY_TOO_COMPLEX"}},
		{"accounts{nodes{name x5000}}", gql("{ accounts(first:1){ nodes { " + strings.Repeat("name ", 5000) + "} } }"), 400, []string{"QUERY_TOO_COMPLEX"}},
		{"2,100 aliases", gql("{ " + repeat("a%d: __typename ", 2100) + "}"), 400, []string{"more than 2000 selections"}},
		{"45 x 20 conflicts: 100 errors at most", gql("{ " + repeat(`a%d: account(id:"1"){name} `, 45) + strings.Repeat(repeat(`a%d: account(id:"2"){name} `, 45), 19) + "}"), 400, []string{"Too many errors"}},
		{"99 aliased __schema", gql("{ " + repeat("s%d: __schema { types { name kind description fields { name description type { name kind } } } } ", 99) + "}"), 400, []string{"maximum introspection cost", "QUERY_TOO_COMPLEX"}},
		{"first: 2147483648", gql("{ accounts(first: 2147483648) { totalCount } }"), 400, []string{"Int cannot represent non 32-bit signed integer value"}},
		{"batched JSON array body", `[` + gql("{ __typename }") + `,` + gql("{ __typename }") + `]`, 400, []string{"Batched requests"}},
		{"20,000 tokens", gql("{ __typename " + strings.Repeat("@skip(if:false) ", 4000) + "}"), 400, []string{"tokens"}},
		{"document over 64 KiB", gql("{ __typename } #" + strings.Repeat("x", 70<<10)), 400, []string{"QUERY_TOO_LARGE"}},
	}
	var cases []tc
	for _, g := range gqlCases {
		cases = append(cases, tc{"graphql: " + g.name, func() (answer, error) {
			a, err := m.do("POST", "/api/graphql", g.body)
			err = within(expect(a, err, g.status, g.want...), a, quick)
			if err == nil && len(a.body) > 64<<10 {
				err = fmt.Errorf("answer of %d bytes", len(a.body))
			}
			if err == nil && bytes.Contains(a.body, []byte("Go value")) {
				err = fmt.Errorf("the answer shows Go internals: %.200s", a.body)
			}
			return a, err
		}})
	}
	shapeCases := []struct {
		name, method, path, body string
		header                   []string
		status                   int
		want                     []string
	}{
		{"unknown scenario, clients-v0", "GET", "/v0/clients", "", []string{"X-Standin-Scenario", "bogus"}, 400, []string{`"success":false`, "valid names"}},
		{"bad delay, clients-v2", "GET", "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", "", []string{"X-Standin-Scenario", "slow", "X-Standin-Delay", "soon"}, 400, []string{`"error":{"code":"bad_request"`}},
		{"unknown scenario, admin GraphQL", "POST", "/graphql", gql("{ __typename }"), []string{"X-Standin-Scenario", "bogus"}, 400, []string{`"errors":[`, `"valid":[`}},
		{"/v0//clients", "GET", "/v0//clients", "", nil, 404, []string{`"success":false`}},
		{"/v2/clients//x", "GET", "/v2/clients//x", "", nil, 404, []string{`"error":{"code":"not_found"`}},
		{"/api/account/v2/companies//", "GET", "/api/account/v2/companies//", "", nil, 404, []string{`"code":"NOT_FOUND"`}},
		{"405 on marketplace REST", "DELETE", "/api/account/v2/companies", "", nil, 405, []string{`"code":"METHOD_NOT_ALLOWED"`}},
		{"415 on clients-v0", "GET", "/v0/clients", "x", []string{"Content-Type", "text/plain"}, 415, []string{`"success":false`}},
		{"upper-case UUID found", "GET", "/v2/clients/AA7CF840-9CA9-46A3-9778-9015D6580D50", "", nil, 200, []string{`"id":"aa7cf840-9ca9-46a3-9778-9015d6580d50"`}},
		{"page=10^17 is 400", "GET", "/api/account/v2/companies?page=100000000000000000", "", nil, 400, []string{"at most 2147483647"}},
		{"path traversal stays outside the control API", "POST", "/v0/../__standin/reset", "", nil, 404, []string{`"success":false`}},
	}
	for _, c := range shapeCases {
		cases = append(cases, tc{"shape: " + c.name, func() (answer, error) {
			a, err := m.do(c.method, c.path, c.body, c.header...)
			err = expect(a, err, c.status, c.want...)
			if err == nil && a.header.Get("X-Content-Type-Options") != "nosniff" {
				err = errors.New("no X-Content-Type-Options: nosniff")
			}
			return a, err
		}})
	}
	for _, c := range cases {
		a, err := c.fn()
		s.check(c.name, err, detail(a))
	}

	s.check("graphql: 100 distinct failing documents keep RSS within 20 MiB", s.rssCase(m), "")
	s.check("journal: query-string secrets redacted", s.journalCase(m), "")
	s.check("http: Expect: 100-continue over the limit gets 413 first", expectContinue(m.addr), "")
	s.check("http: 100 KB of headers refused", headerFlood(m.addr), "")
	s.check("http: 1 MB URL refused", urlFlood(m), "")
	s.check("http: lying Content-Length does not hang the server", lyingLength(m), "")
	idle := 2000
	holds := 500
	if s.short {
		idle, holds = 300, 50
	}
	s.check(fmt.Sprintf("http: %d idle connections, the mock still answers", idle), idleConns(m, idle), "")
	s.check("http: slowloris headers do not block others", slowloris(m), "")
	s.check(fmt.Sprintf("scenario: %d held timeout requests end at the hold cap", holds), heldRequests(m, holds), "")
	return nil
}

// rssCase sends 100 distinct failing documents and compares RSS (failed
// documents were once cached with their error lists: 20 of 8 KB took the
// process from 21 to 655 MiB).
func (s *suite) rssCase(m *mock) error {
	doc := func(i int) string {
		// 45 names × 20 conflicting fields (8,550 conflicts, 29 KB): the
		// most the limits let through to validation.
		return gql(fmt.Sprintf("# %d\n{ ", i) + repeat(`a%d: account(id:"1"){name} `, 45) + strings.Repeat(repeat(`a%d: account(id:"2"){name} `, 45), 19) + "}")
	}
	for i := range 10 { // warm up pools and caches
		if _, err := m.do("POST", "/api/graphql", doc(-1-i)); err != nil {
			return err
		}
	}
	before, err := m.rss()
	if err != nil {
		return err
	}
	for i := range 100 {
		a, err := m.do("POST", "/api/graphql", doc(i))
		if err := expect(a, err, 400); err != nil {
			return err
		}
	}
	after, err := m.rss()
	if err != nil {
		return err
	}
	fmt.Printf("      RSS %d MiB before, %d MiB after\n", before>>20, after>>20)
	if after-before > 20<<20 {
		return fmt.Errorf("RSS grew by %d MiB", (after-before)>>20)
	}
	return nil
}

func (s *suite) journalCase(m *mock) error {
	if _, err := m.do("GET", "/v0/clients?access_token=hostile-secret-0123456789&page=1", ""); err != nil {
		return err
	}
	a, err := m.do("GET", "/__standin/requests?limit=5", "")
	if err := expect(a, err, 200, "access_token="); err != nil {
		return err
	}
	if bytes.Contains(a.body, []byte("hostile-secret-0123456789")) {
		return fmt.Errorf("journal lists the secret: %.300s", a.body)
	}
	return nil
}

func expectContinue(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/graphql HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", admin, 50<<20)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		return fmt.Errorf("first answer %d, want 413", resp.StatusCode)
	}
	return nil
}

func headerFlood(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v0/clients HTTP/1.1\r\nHost: x\r\n")
	for i := range 1000 {
		fmt.Fprintf(conn, "X-Flood-%d: %s\r\n", i, strings.Repeat("a", 100))
	}
	fmt.Fprintf(conn, "\r\n")
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		return fmt.Errorf("status %d, want 431", resp.StatusCode)
	}
	return nil
}

func urlFlood(m *mock) error {
	a, err := m.do("GET", "/v0/clients?x="+strings.Repeat("a", 1<<20), "")
	if err != nil {
		return err
	}
	if a.status != http.StatusRequestHeaderFieldsTooLarge && a.status != http.StatusRequestURITooLong {
		return fmt.Errorf("status %d, want 431 or 414", a.status)
	}
	return nil
}

func lyingLength(m *mock) error {
	conn, err := net.DialTimeout("tcp", m.addr, 5*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(conn, "POST /api/graphql HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\":", admin)
	conn.Close() // 990 bytes never come
	a, err := m.do("POST", "/api/graphql", gql("{ __typename }"))
	return within(expect(a, err, 200, "__typename"), a, 2*time.Second)
}

func idleConns(m *mock, n int) error {
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := net.DialTimeout("tcp", m.addr, 5*time.Second)
		if err != nil {
			return fmt.Errorf("after %d connections: %v", len(conns), err)
		}
		conns = append(conns, c)
	}
	a, err := m.do("GET", "/v0/clients?size=1", "")
	return within(expect(a, err, 200), a, 2*time.Second)
}

func slowloris(m *mock) error {
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 50 {
		c, err := net.DialTimeout("tcp", m.addr, 5*time.Second)
		if err != nil {
			return err
		}
		fmt.Fprintf(c, "GET /v0/clients HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		conns = append(conns, c)
	}
	for range 3 {
		time.Sleep(200 * time.Millisecond)
		for _, c := range conns {
			_, _ = c.Write([]byte("a"))
		}
	}
	a, err := m.do("GET", "/v0/clients?size=1", "")
	return within(expect(a, err, 200), a, 2*time.Second)
}

// heldRequests: n concurrent timeout-scenario requests are all answered
// 504 at the hold cap (2s in this suite's configuration).
func heldRequests(m *mock, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	t0 := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := m.do("GET", "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", "", "X-Standin-Scenario", "timeout")
			if err := expect(a, err, http.StatusGatewayTimeout); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	if took := time.Since(t0); took > 10*time.Second {
		return fmt.Errorf("took %s", took.Round(time.Millisecond))
	}
	return nil
}
