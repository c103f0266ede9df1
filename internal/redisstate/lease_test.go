package redisstate

import (
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/redisstate/redistest"
)

// runningLimits returns n replicas' counters on one Redis, running until
// the test ends.
func runningLimits(t *testing.T, n int) []*limits {
	t.Helper()
	rs := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr})
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); _ = rdb.Close() })
	out := make([]*limits, n)
	for i := range out {
		out[i] = newLimits(rdb, "rl:", stop)
		go out[i].run()
	}
	return out
}

func leased(l *limits) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.leases)
}

// TestRedisLeaseStaysExact: a counter one replica uses alone is leased to
// it and decided in memory, one count at a time; another replica's
// request takes it back and sees the exact count; then both, at once,
// are allowed exactly what is left, each allowed request a different
// RateLimit-Remaining.
func TestRedisLeaseStaysExact(t *testing.T) {
	ls := runningLimits(t, 2)
	a, b := ls[0], ls[1]
	const limit = 2000
	lim := manifest.RateLimit{Limit: limit, Window: manifest.Duration(time.Minute)}
	const solo = soloNeed + 150
	for i := range solo {
		d, err := a.Take("api", "tok", lim)
		if err != nil || !d.Allowed || d.Remaining != limit-(i+1) {
			t.Fatalf("request %d alone: %+v, %v; want allowed, %d remaining", i+1, d, err, limit-(i+1))
		}
	}
	if leased(a) != 1 {
		t.Fatalf("after %d requests of one replica alone it holds %d leases, want 1", solo, leased(a))
	}
	d, err := b.Take("api", "tok", lim)
	if err != nil || !d.Allowed || d.Remaining != limit-solo-1 {
		t.Fatalf("other replica's request: %+v, %v; want allowed, %d remaining", d, err, limit-solo-1)
	}
	// b's request is decided by Redis as soon as a's give-back script
	// has run; a drops the lease from its map only when that script's
	// answer reaches it, which can be a moment after b's answer.
	for deadline := time.Now().Add(2 * leaseFor); leased(a) != 0; {
		if time.Now().After(deadline) {
			t.Fatalf("the lease was not given back")
		}
		time.Sleep(time.Millisecond)
	}
	left := limit - solo - 1
	var mu sync.Mutex
	seen := map[int]int{}
	allowed := 0
	var wg sync.WaitGroup
	for _, l := range []*limits{a, b} {
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 2 * left / 32 {
					d, err := l.Take("api", "tok", lim)
					mu.Lock()
					if err != nil {
						t.Error(err)
					} else if d.Allowed {
						allowed++
						seen[d.Remaining]++
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if allowed != left {
		t.Errorf("%d allowed of the %d left", allowed, left)
	}
	for r, n := range seen {
		if n != 1 || r < 0 || r >= left {
			t.Errorf("RateLimit-Remaining %d given %d times", r, n)
		}
	}
}

// TestRedisLeaseIdleIsGivenBack: a lease none of whose requests came for
// idleFor is given back with its count, so Redis decides the next one.
func TestRedisLeaseIdleIsGivenBack(t *testing.T) {
	ls := runningLimits(t, 1)
	a := ls[0]
	lim := manifest.RateLimit{Limit: 1000, Window: manifest.Duration(time.Minute)}
	for range soloNeed + 5 {
		if _, err := a.Take("api", "tok", lim); err != nil {
			t.Fatal(err)
		}
	}
	if leased(a) != 1 {
		t.Fatalf("%d leases, want 1", leased(a))
	}
	deadline := time.Now().Add(idleFor + 5*time.Second)
	for leased(a) != 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if leased(a) != 0 {
		t.Fatal("an idle lease was kept")
	}
	if d, err := a.Take("api", "tok", lim); err != nil || d.Remaining != 1000-(soloNeed+6) {
		t.Fatalf("after the give-back: %+v, %v; want %d remaining", d, err, 1000-(soloNeed+6))
	}
}

// TestRedisLeaseRoundRobinIsNeverLeased: requests alternating between
// replicas never build a run, so every decision is made by Redis.
func TestRedisLeaseRoundRobinIsNeverLeased(t *testing.T) {
	ls := runningLimits(t, 3)
	lim := manifest.RateLimit{Limit: 1000, Window: manifest.Duration(time.Minute)}
	for i := range 900 {
		d, err := ls[i%3].Take("api", "tok", lim)
		if err != nil || !d.Allowed || d.Remaining != 1000-(i+1) {
			t.Fatalf("request %d: %+v, %v", i+1, d, err)
		}
	}
	for i, l := range ls {
		if n := leased(l); n != 0 {
			t.Errorf("replica %d holds %d leases", i, n)
		}
	}
}

// TestRedisLeaseGoesWithAReset: a full window decided in memory is
// forgotten by a reset made through another replica: the next request is
// allowed with the whole budget.
func TestRedisLeaseGoesWithAReset(t *testing.T) {
	tests := []struct {
		name   string
		forget bool // the store's reset hook ran on the lease holder
	}{{"reset applied by the holder", true}, {"holder told only by its renewal", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := runningLimits(t, 2)
			a, b := ls[0], ls[1]
			lim := manifest.RateLimit{Limit: soloNeed + 10, Window: manifest.Duration(time.Minute)}
			for range lim.Limit {
				if d, err := a.Take("api", "tok", lim); err != nil || !d.Allowed {
					t.Fatalf("%+v, %v", d, err)
				}
			}
			if d, err := a.Take("api", "tok", lim); err != nil || d.Allowed || leased(a) != 1 {
				t.Fatalf("past the limit, leased: %+v, %v, %d leases", d, err, leased(a))
			}
			if err := b.Reset(); err != nil {
				t.Fatal(err)
			}
			if tt.forget {
				a.Forget()
			} else {
				deadline := time.Now().Add(5 * time.Second)
				for leased(a) != 0 && time.Now().Before(deadline) {
					time.Sleep(renewEvery)
				}
			}
			d, err := a.Take("api", "tok", lim)
			if err != nil || !d.Allowed || d.Remaining != lim.Limit-1 {
				t.Fatalf("after the reset: %+v, %v; want allowed, %d remaining", d, err, lim.Limit-1)
			}
		})
	}
}
