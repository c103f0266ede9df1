// Package redistest starts a redis-server for a test, on a free loopback
// port, and stops it when the test ends. A test that needs one is skipped,
// saying why, when redis-server is not installed (.ci/redis installs it).
// A Proxy in front of it injects connection faults into one command.
package redistest

import (
	"context"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server a test started.
type Server struct {
	// URL is its address as --state takes it: redis://127.0.0.1:PORT/0.
	URL string
	// Addr is HOST:PORT.
	Addr string
	// persist keeps the data across a restart (append-only file, synced on
	// every write), as a production Redis for shared state should.
	persist bool
	dir     string
	bin     string
	cmd     *exec.Cmd
}

// Start starts a redis-server without persistence.
func Start(t testing.TB) *Server { return StartWith(t, false) }

// StartWith starts a redis-server, persisting its data across Restart
// when persist is set.
func StartWith(t testing.TB, persist bool) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed (apt-get install redis-server, or run .ci/redis)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	r := &Server{Addr: addr, URL: "redis://" + addr + "/0", dir: t.TempDir(), persist: persist, bin: bin}
	r.Restart(t)
	t.Cleanup(r.Stop)
	return r
}

// Restart starts the server again after Stop (Start already started it),
// on the same port, and waits until it answers.
func (r *Server) Restart(t testing.TB) {
	t.Helper()
	_, port, _ := net.SplitHostPort(r.Addr)
	aof := []string{"--appendonly", "no"}
	if r.persist {
		aof = []string{"--appendonly", "yes", "--appendfsync", "always"}
	}
	r.cmd = exec.Command(r.bin, append([]string{"--port", port, "--bind", "127.0.0.1", "--save", "", "--dir", r.dir}, aof...)...)
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not answer within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop ends the server (and waits for it); it may be called more than once.
func (r *Server) Stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// Clients is how many client connections the server has now (INFO
// clients), not counting the one asking.
func (r *Server) Clients(t testing.TB) int {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer rdb.Close()
	n, err := rdb.Do(context.Background(), "CLIENT", "LIST").Text()
	if err != nil {
		t.Fatalf("CLIENT LIST: %v", err)
	}
	lines := 0
	for _, c := range n {
		if c == '\n' {
			lines++
		}
	}
	return lines - 1
}
