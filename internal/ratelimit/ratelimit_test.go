package ratelimit_test

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
)

var perQuarter = manifest.RateLimit{Limit: 100, Window: manifest.Duration(15 * time.Minute)}

func TestHundredPerFifteenMinutes(t *testing.T) {
	clk := ratelimit.NewFakeClock(time.Time{})
	l := ratelimit.New(clk)
	for i := 1; i <= 100; i++ {
		d := l.Take("clients-v0", "tok-a", perQuarter)
		if !d.Allowed || d.Remaining != 100-i || d.Limit != 100 {
			t.Fatalf("request %d: %+v", i, d)
		}
		clk.Advance(time.Second)
	}
	d := l.Take("clients-v0", "tok-a", perQuarter)
	if d.Allowed || d.Remaining != 0 {
		t.Fatalf("101st request allowed: %+v", d)
	}
	wantRetry := 15*time.Minute - 100*time.Second
	if d.RetryAfter != wantRetry || d.Reset != wantRetry {
		t.Fatalf("RetryAfter %v, Reset %v, want %v", d.RetryAfter, d.Reset, wantRetry)
	}
	h := d.Headers()
	if h["Retry-After"] != "800" || h["RateLimit-Limit"] != "100" || h["RateLimit-Remaining"] != "0" || h["RateLimit-Reset"] != "800" {
		t.Fatalf("headers %v", h)
	}
	if d := l.Take("clients-v0", "tok-b", perQuarter); !d.Allowed || d.Remaining != 99 {
		t.Fatalf("another token affected: %+v", d)
	}
	if d := l.Take("other-api", "tok-a", perQuarter); !d.Allowed {
		t.Fatalf("another API affected: %+v", d)
	}
	// Refused requests do not count; the window ends on time.
	clk.Advance(wantRetry - time.Nanosecond)
	if d := l.Take("clients-v0", "tok-a", perQuarter); d.Allowed {
		t.Fatalf("allowed before the window ended: %+v", d)
	}
	clk.Advance(time.Nanosecond)
	if d := l.Take("clients-v0", "tok-a", perQuarter); !d.Allowed || d.Remaining != 99 || d.Reset != 15*time.Minute {
		t.Fatalf("new window: %+v", d)
	}
}

func TestReset(t *testing.T) {
	clk := ratelimit.NewFakeClock(time.Time{})
	l := ratelimit.New(clk)
	lim := manifest.RateLimit{Limit: 2, Window: manifest.Duration(time.Hour)}
	l.Take("a", "k", lim)
	l.Take("a", "k", lim)
	if l.Take("a", "k", lim).Allowed {
		t.Fatal("third allowed")
	}
	l.Reset()
	if d := l.Take("a", "k", lim); !d.Allowed || d.Remaining != 1 {
		t.Fatalf("after Reset: %+v", d)
	}
}

func TestHeaders(t *testing.T) {
	tests := []struct {
		name string
		d    ratelimit.Decision
		want map[string]string
	}{
		{"no limit", ratelimit.Decision{Allowed: true}, nil},
		{"allowed, rounds up", ratelimit.Decision{Allowed: true, Limit: 5, Remaining: 3, Reset: 1500 * time.Millisecond},
			map[string]string{"RateLimit-Limit": "5", "RateLimit-Remaining": "3", "RateLimit-Reset": "2"}},
		{"refused, at least one second", ratelimit.Decision{Limit: 5, Reset: time.Millisecond, RetryAfter: time.Millisecond},
			map[string]string{"RateLimit-Limit": "5", "RateLimit-Remaining": "0", "RateLimit-Reset": "1", "Retry-After": "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.d.Headers()
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			// SetHeaders sets the same, canonical keys
			h := http.Header{}
			tc.d.SetHeaders(h)
			if len(h) != len(tc.want) {
				t.Fatalf("SetHeaders: %v, want %v", h, tc.want)
			}
			for k, v := range tc.want {
				if vs := h[http.CanonicalHeaderKey(k)]; len(vs) != 1 || vs[0] != v {
					t.Errorf("SetHeaders %s = %q, want %q", k, vs, v)
				}
			}
		})
	}
}

func TestNoLimit(t *testing.T) {
	l := ratelimit.New(nil)
	for _, lim := range []manifest.RateLimit{{}, {Limit: 5}, {Window: manifest.Duration(time.Second)}} {
		if d := l.Take("a", "k", lim); !d.Allowed || d.Limit != 0 {
			t.Fatalf("%+v: %+v", lim, d)
		}
	}
	if l.Len() != 0 {
		t.Fatal("unlimited requests kept windows")
	}
}

func TestConcurrentNeverOverAdmits(t *testing.T) {
	l := ratelimit.New(ratelimit.NewFakeClock(time.Time{}))
	const n, limit = 500, 100
	lim := manifest.RateLimit{Limit: limit, Window: manifest.Duration(15 * time.Minute)}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if l.Take("clients-v0", "tok", lim).Allowed {
				allowed.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if got := allowed.Load(); got != limit {
		t.Fatalf("%d of %d concurrent requests allowed, want exactly %d", got, n, limit)
	}
}

func TestPruning(t *testing.T) {
	clk := ratelimit.NewFakeClock(time.Time{})
	l := ratelimit.New(clk)
	lim := manifest.RateLimit{Limit: 1, Window: manifest.Duration(10 * time.Second)}
	for i := range 1000 {
		l.Take("a", fmt.Sprint("k", i), lim)
	}
	if l.Len() != 1000 {
		t.Fatalf("len %d", l.Len())
	}
	clk.Advance(11 * time.Second)
	l.Take("a", "fresh", lim)
	if l.Len() != 1 {
		t.Fatalf("expired windows not pruned: %d left", l.Len())
	}
}

func TestMaxKeys(t *testing.T) {
	clk := ratelimit.NewFakeClock(time.Time{})
	l := ratelimit.New(clk)
	l.SetMaxKeys(10)
	lim := manifest.RateLimit{Limit: 1, Window: manifest.Duration(time.Hour)}
	for i := range 100 {
		clk.Advance(time.Millisecond)
		if !l.Take("a", fmt.Sprint("k", i), lim).Allowed {
			t.Fatal("a new key was refused")
		}
		if l.Len() > 10 {
			t.Fatalf("len %d above the cap", l.Len())
		}
	}
	// The newest keys keep their windows.
	if l.Take("a", "k99", lim).Allowed {
		t.Fatal("the newest window was evicted")
	}
}

func BenchmarkTake(b *testing.B) {
	l := ratelimit.New(ratelimit.SystemClock{})
	lim := manifest.RateLimit{Limit: 1 << 30, Window: manifest.Duration(time.Hour)}
	keys := []string{"standin-admin", "standin-readonly", "standin-partner"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Take("clients-v0", keys[i%len(keys)], lim)
			i++
		}
	})
}

// fakeShared counts in a map and fails while down.
type fakeShared struct {
	down   bool
	counts map[string]int
	resets int
}

func (f *fakeShared) Take(api, key string, limit manifest.RateLimit) (ratelimit.Decision, error) {
	if f.down {
		return ratelimit.Decision{}, errors.New("down")
	}
	k := api + "/" + key
	if f.counts[k] >= limit.Limit {
		return ratelimit.Decision{Limit: limit.Limit, Reset: time.Minute, RetryAfter: time.Minute}, nil
	}
	f.counts[k]++
	return ratelimit.Decision{Allowed: true, Limit: limit.Limit, Remaining: limit.Limit - f.counts[k], Reset: time.Minute}, nil
}

func (f *fakeShared) Reset() error { f.resets++; clear(f.counts); return nil }
func (f *fakeShared) Forget()      {}

func TestSharedCountsAndFallsBack(t *testing.T) {
	l := ratelimit.New(ratelimit.NewFakeClock(time.Time{}))
	sh := &fakeShared{counts: map[string]int{}}
	l.SetShared(sh)
	lim := manifest.RateLimit{Limit: 2, Window: manifest.Duration(time.Minute)}
	sh.counts["a/t"] = 2 // another replica used the budget
	if d := l.Take("a", "t", lim); d.Allowed {
		t.Errorf("shared budget spent, yet allowed: %+v", d)
	}
	if l.Len() != 0 {
		t.Errorf("shared decision kept %d local windows", l.Len())
	}
	sh.down = true
	if d := l.Take("a", "t", lim); !d.Allowed || d.Remaining != 1 {
		t.Errorf("shared counter down: %+v, want the local count (allowed, 1 left)", d)
	}
	sh.down = false
	l.Reset()
	if sh.resets != 1 || l.Len() != 0 {
		t.Errorf("Reset: shared resets %d, local windows %d", sh.resets, l.Len())
	}
}
