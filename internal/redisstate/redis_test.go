package redisstate_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
	"github.com/standin/standin/internal/redisstate"
	"github.com/standin/standin/internal/redisstate/redistest"
	"github.com/standin/standin/internal/store"
)

// startRedis starts a redis-server for the test, or skips the test when
// the binary is not installed (.ci/redis installs it).
func startRedis(t testing.TB) *redistest.Server { return redistest.Start(t) }

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func open(t *testing.T, url string) *redisstate.State {
	t.Helper()
	st, err := redisstate.Open(context.Background(), url, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func replica(t *testing.T, st *redisstate.State) *store.Store {
	t.Helper()
	s := store.New()
	if err := s.Define(store.Definition{Name: "c", Unique: []string{"id"}}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := s.Insert("c", store.Record{"id": strconv.Itoa(i), "n": float64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Freeze()
	s.SetLog(st.Log())
	if err := s.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRedisLogLinearizesGuardedDeletes(t *testing.T) {
	rs := startRedis(t)
	a, b := replica(t, open(t, rs.URL)), replica(t, open(t, rs.URL))
	stores := []*store.Store{a, b}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := stores[i%2].Update(func(tx *store.Tx) error {
				if _, ok, _ := tx.Get("c", "id", "3"); !ok {
					return store.ErrNotFound
				}
				_, err := tx.Delete("c", "id", "3")
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, store.ErrNotFound):
				t.Errorf("delete: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d of 30 concurrent deletes succeeded, want 1", wins)
	}
	// a third replica starting now replays the log
	c := replica(t, open(t, rs.URL))
	if _, ok, _ := c.Get("c", "id", "3"); ok {
		t.Error("a replica that replays the log still has the deleted record")
	}
	if err := a.Insert("c", store.Record{"id": "new"}); err != nil {
		t.Fatal(err)
	}
	if err := c.TryReset(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*store.Store{a, b} {
		if err := s.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Len("c"); n != 5 {
			t.Errorf("after a reset on another replica: %d records, want 5", n)
		}
	}
	rs.Stop()
	if err := a.Insert("c", store.Record{"id": "lost"}); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("insert with Redis stopped: %v, want ErrUnavailable", err)
	}
	if _, ok, _ := a.Get("c", "id", "1"); !ok {
		t.Error("reads fail with Redis stopped")
	}
}

func TestRedisLimitsAreShared(t *testing.T) {
	rs := startRedis(t)
	a, b := open(t, rs.URL).Limits(), open(t, rs.URL).Limits()
	lim := manifest.RateLimit{Limit: 3, Window: manifest.Duration(time.Minute)}
	tests := []struct {
		on        int
		allowed   bool
		remaining int
	}{{0, true, 2}, {1, true, 1}, {0, true, 0}, {1, false, 0}, {0, false, 0}}
	for i, tt := range tests {
		d, err := []ratelimit.Shared{a, b}[tt.on].Take("api", "tok", lim)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != tt.allowed || d.Remaining != tt.remaining || d.Reset <= 0 || d.Reset > time.Minute {
			t.Errorf("request %d: %+v, want allowed %v, remaining %d", i+1, d, tt.allowed, tt.remaining)
		}
	}
	if err := b.Reset(); err != nil {
		t.Fatal(err)
	}
	if d, _ := a.Take("api", "tok", lim); !d.Allowed || d.Remaining != 2 {
		t.Errorf("after Reset: %+v", d)
	}
}

type stickyMap struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *stickyMap) ApplySticky(api, name string) {
	s.mu.Lock()
	s.m[api] = name
	s.mu.Unlock()
}

func (s *stickyMap) get(api string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[api]
}

func TestRedisStickyIsPushed(t *testing.T) {
	rs := startRedis(t)
	a, b := open(t, rs.URL).Sticky(), open(t, rs.URL).Sticky()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := &stickyMap{m: map[string]string{}}
	run := b.Watch(ctx, got, []string{"api"}, time.Hour)
	done := make(chan struct{})
	go func() { run(); close(done) }()
	defer func() { cancel(); <-done }()
	for _, want := range []string{"down", ""} {
		if err := a.Publish("api", want); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for got.get("api") != want {
			if time.Now().After(deadline) {
				t.Fatalf("sticky %q never arrived (have %q)", want, got.get("api"))
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// TestRedisJournalFlushesOnStop: entries queued when the shipper stops (a
// server replaced by a --watch rebuild, or shutting down) are shipped, not
// dropped.
func TestRedisJournalFlushesOnStop(t *testing.T) {
	rs := startRedis(t)
	j := open(t, rs.URL).Journal(1000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stopped before it ran: everything queued is still shipped
	for i := range 300 {
		j.Ship(journal.Entry{Method: "GET", Path: "/v0/clients", Status: 200, RequestID: strconv.Itoa(i), Time: time.Now()})
	}
	done := make(chan struct{})
	go func() { j.Run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of its context ending")
	}
	if n, err := j.Count(journal.Filter{}); err != nil || n != 300 {
		t.Errorf("shared journal holds %d entries (%v), want the 300 queued", n, err)
	}
}

func TestRedisPresenceWaitsForEveryReplica(t *testing.T) {
	rs := startRedis(t)
	st := open(t, rs.URL)
	a, b := st.Presence("a"), st.Presence("b")
	ctx := context.Background()
	short := func() context.Context {
		c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		t.Cleanup(cancel)
		return c
	}
	steps := []struct {
		name       string
		do         func() error
		pos        string
		wantBehind int
	}{
		{"nobody reported", func() error { return nil }, "1-2", 0},
		{"a behind, b at it", func() error { _ = a.Report(ctx, "1-1"); return b.Report(ctx, "1-2") }, "1-2", 1},
		{"a past it", func() error { return a.Report(ctx, "2-0") }, "1-2", 0},
		{"b at the start", func() error { return b.Report(ctx, "") }, "1-2", 1},
		{"b left", func() error { return b.Leave() }, "1-2", 0},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		behind, err := a.WaitApplied(short(), s.pos)
		if err != nil || len(behind) != s.wantBehind {
			t.Errorf("%s: behind %v (%v), want %d", s.name, behind, err, s.wantBehind)
		}
	}
}

// TestRedisLimitsBatchedStayExact: concurrent requests on two replicas are
// decided in batches, and still exactly the limit is allowed, each allowed
// one seeing a different RateLimit-Remaining.
func TestRedisLimitsBatchedStayExact(t *testing.T) {
	rs := startRedis(t)
	shared := []ratelimit.Shared{open(t, rs.URL).Limits(), open(t, rs.URL).Limits()}
	tests := []struct {
		name            string
		limit, requests int
	}{{"under the limit", 300, 200}, {"past the limit", 50, 400}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := manifest.RateLimit{Limit: tt.limit, Window: manifest.Duration(time.Minute)}
			var mu sync.Mutex
			remaining := map[int]int{}
			allowed, refused := 0, 0
			var wg sync.WaitGroup
			for i := range tt.requests {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d, err := shared[i%2].Take("api", tt.name, lim)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err != nil:
						t.Error(err)
					case d.Allowed:
						allowed++
						remaining[d.Remaining]++
					default:
						refused++
						if d.RetryAfter <= 0 {
							t.Errorf("refused without Retry-After: %+v", d)
						}
					}
				}()
			}
			wg.Wait()
			want := min(tt.limit, tt.requests)
			if allowed != want || refused != tt.requests-want {
				t.Errorf("%d allowed, %d refused; want %d and %d", allowed, refused, want, tt.requests-want)
			}
			for r, n := range remaining {
				if n != 1 || r < tt.limit-want || r >= tt.limit {
					t.Errorf("RateLimit-Remaining %d given %d times", r, n)
				}
			}
		})
	}
}
