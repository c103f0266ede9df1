package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/redisstate/redistest"
)

// redisGoroutines counts the goroutines working for a shared state: the
// Redis client's, redisstate's, and the store's log follower.
func redisGoroutines() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte("github.com/redis/go-redis")) || bytes.Contains(g, []byte("internal/redisstate")) ||
			bytes.Contains(g, []byte("store.(*Store).Follow")) {
			n++
		}
	}
	return n
}

// TestRedisWatchRebuildClosesTheReplacedState: each --watch rebuild
// replaces the server; the replaced one's shared state (--state) must
// close: its goroutines end and its Redis connections go, so that three
// rebuilds leave one server's worth, and the shutdown none.
func TestRedisWatchRebuildClosesTheReplacedState(t *testing.T) {
	rs := redistest.Start(t)
	dir := filepath.Join(t.TempDir(), "fixtures")
	if err := os.CopyFS(dir, os.DirFS("../../fixtures")); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "standin.yaml")
	if err := os.WriteFile(cfgFile, []byte("fixturesDir: "+dir+"\nwatch: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, []string{"--addr", "127.0.0.1:0", "--config", cfgFile, "--state", rs.URL}, nil)
	const acme = "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"
	if a, _ := fetch(t, s.base+acme, "standin-admin"); a.body["name"] != "Acme Corporation" {
		t.Fatalf("before: %v", a.body)
	}
	time.Sleep(200 * time.Millisecond) // the first journal batch shipped
	goroutines, clients := redisGoroutines(), rs.Clients(t)
	if goroutines == 0 || clients == 0 {
		t.Fatalf("before the rebuilds: %d goroutines and %d Redis connections of the shared state; the test cannot see them", goroutines, clients)
	}
	file := filepath.Join(dir, "clients-v2", "clients.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("Acme Rebuilt %d", i)
		if err := os.WriteFile(file, []byte(strings.Replace(string(data), "Acme Corporation", name, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if a, _ := fetch(t, s.base+acme, "standin-admin"); a.body["name"] == name {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("rebuild %d not served within 30s:\n%s", i, s.stderr.String())
			}
		}
	}
	// A replaced server's follower may sit in a blocking read for up to
	// a second before it sees that it was closed.
	var g, c int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		g, c = redisGoroutines(), rs.Clients(t)
		if g <= goroutines && c <= clients {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 3 rebuilds: %d goroutines and %d Redis connections of the shared state, want at most the first server's %d and %d", g, c, goroutines, clients)
		}
	}
	t.Logf("one server: %d goroutines, %d connections; after 3 rebuilds: %d, %d", goroutines, clients, g, c)
	if code := s.stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, s.stderr.String())
	}
	// closed goroutines may take a moment to be gone from the stacks
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		g, c = redisGoroutines(), rs.Clients(t)
		if g == 0 && c == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the shutdown: %d goroutines and %d Redis connections of the shared state, want none", g, c)
		}
	}
}
