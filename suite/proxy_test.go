package suite

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/report"
	"github.com/standin/standin/standintest"
)

// childMockEnv, when set, makes TestProxyChildMock serve the mock and
// print its URL: the mock of TestGraphQLThroughGoReverseProxy runs in a
// process of its own, as behind a real proxy.
const childMockEnv = "STANDIN_SUITE_CHILD_MOCK"

// TestProxyChildMock is not a test: run by TestGraphQLThroughGoReverseProxy
// as a child process, it serves the bundled mock until its stdin closes.
func TestProxyChildMock(t *testing.T) {
	if os.Getenv(childMockEnv) == "" {
		t.Skip("the mock of TestGraphQLThroughGoReverseProxy (a child process); not a test of its own")
	}
	s, err := standintest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// proxyRuns is how many times the suite's GraphQL traffic goes through
// the proxy: before the fix one run in three or four cut an answer.
const proxyRuns = 12

// TestGraphQLThroughGoReverseProxy runs the suite's GraphQL checks many
// times through Go's httputil.ReverseProxy in front of the mock (a child
// process) and wants every answer whole. Go's HTTP/1 reverse proxies cut a
// fast target's answer when the request body has a declared length
// (docs/decisions.md, "Request bodies are sent chunked"): the test counts
// the proxy's reads of a request body it had already closed (the race
// itself, which needs no unlucky timing to show) as well as cut answers.
func TestGraphQLThroughGoReverseProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the GraphQL checks 12 times through a proxy (-short)")
	}
	target := startChildMock(t)
	var lateReads, proxyErrors atomic.Int64
	var logged sync.Map
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(writerFunc(func(p []byte) (int, error) {
		proxyErrors.Add(1)
		logged.Store(string(p), true)
		return len(p), nil
	}), "", 0)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &watchedBody{ReadCloser: r.Body, late: &lateReads}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	apis := []string{"admin", "marketplace"}
	cfg := conform.Config{APIs: map[string]conform.APIConfig{}}
	for _, a := range apis {
		c, err := conform.BundledAPIConfig(a, proxy.URL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.APIs[a] = c
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var graphql []*kit.Check
	for _, ch := range Checks().Checks() {
		if ch.Proto == "graphql" && !ch.Destructive {
			graphql = append(graphql, ch)
		}
	}
	steps, failed := 0, 0
	for run := 1; run <= proxyRuns; run++ {
		env, err := engine.NewEnv(cfg, Queries())
		if err != nil {
			t.Fatal(err)
		}
		results := engine.RunCases(env, engine.Plan(env, graphql))
		steps += len(results)
		for _, r := range engine.Failed(results) {
			failed++
			if failed <= 3 {
				t.Errorf("run %d: failure through the proxy:\n%s", run, report.Failure(r))
			}
		}
	}
	if steps == 0 {
		t.Fatal("no GraphQL check ran")
	}
	logged.Range(func(k, _ any) bool { t.Logf("proxy: %s", strings.TrimSpace(k.(string))); return true })
	if n := lateReads.Load(); n > 0 {
		t.Errorf("the proxy read %d request bodies after closing them (each one can cut the answer)", n)
	}
	if failed > 0 || proxyErrors.Load() > 0 {
		t.Errorf("%d of %d steps failed, %d proxy errors", failed, steps, proxyErrors.Load())
	}
	t.Logf("%d runs, %d steps through httputil.ReverseProxy", proxyRuns, steps)
}

// startChildMock runs the mock in a child process and returns its URL.
func startChildMock(t *testing.T) *url.URL {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProxyChildMock$", "-test.v=false")
	cmd.Env = append(os.Environ(), childMockEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Logf("child mock: %v\n%s", err, stderr.String())
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child mock printed no URL: %v\n%s", err, stderr.String())
	}
	u, err := url.Parse(strings.TrimSpace(line))
	if err != nil || u.Host == "" {
		t.Fatalf("child mock printed %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return u
}

// watchedBody counts reads of a request body after the proxy's server
// closed it: the read whose error makes Go's transport drop the
// connection to the target while the answer is still being copied.
type watchedBody struct {
	io.ReadCloser
	late *atomic.Int64
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, http.ErrBodyReadAfterClose) {
		b.late.Add(1)
	}
	return n, err
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
