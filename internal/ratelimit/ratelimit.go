// Package ratelimit counts requests per API and key (a token) in fixed
// windows, the way a documented limit such as "100 queries per 15 minutes"
// reads.
//
// # Algorithm
//
// Each (api, key) has at most one window. The first request of a key opens a
// window of limit.Window starting at that moment, counting 1. Later requests
// inside the window count up; while the count is below limit.Limit they are
// allowed, after that they are refused until the window ends. The first
// request at or after the window's end opens a new window. Refused requests
// are not counted, so a client hammering the limit does not extend it.
//
// Decision.Reset is the time until the current window ends (when the full
// allowance comes back); when a request is refused RetryAfter equals Reset.
//
// # Memory
//
// Windows that have ended are pruned: a sweep over all windows runs at most
// once per sweep interval (the shortest window seen, at least one second, at
// most one minute) from within Take, so memory is proportional to the keys
// active within one window. A hard cap (MaxKeys) bounds it even under a flood
// of distinct keys: when full after a sweep, the window closest to its end is
// dropped.
package ratelimit

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/standin/standin/clock"
	"github.com/standin/standin/internal/manifest"
)

// Clock tells the time: the public clock.Clock, so that tests in other
// modules can hand the limiter a clock.Fake.
type Clock = clock.Clock

// SystemClock is the real clock.
type SystemClock = clock.System

// FakeClock is a Clock that moves only when told (clock.Fake).
type FakeClock = clock.Fake

// NewFakeClock returns a fake clock set to t (a fixed date if t is zero).
func NewFakeClock(t time.Time) *FakeClock { return clock.NewFake(t) }

// MaxKeys is the default bound on the number of windows a Limiter keeps.
const MaxKeys = 1 << 16

// Decision is the outcome of one Take.
type Decision struct {
	Allowed bool
	// Limit is the number of requests a window allows; Remaining how many
	// are left in the current window after this request.
	Limit, Remaining int
	// Reset is the time until the current window ends.
	Reset time.Duration
	// RetryAfter is when a refused request may be retried (0 if allowed).
	RetryAfter time.Duration
}

// Headers returns the rate-limit response headers: RateLimit-Limit,
// RateLimit-Remaining, RateLimit-Reset (whole seconds, rounded up) and, for a
// refused request, Retry-After (whole seconds, rounded up, at least 1). A
// decision without a limit (Limit 0) has no headers.
func (d Decision) Headers() map[string]string {
	if d.Limit <= 0 {
		return nil
	}
	h := make(map[string]string, 4)
	h["RateLimit-Limit"] = strconv.Itoa(d.Limit)
	h["RateLimit-Remaining"] = strconv.Itoa(d.Remaining)
	h["RateLimit-Reset"] = strconv.FormatInt(ceilSeconds(d.Reset), 10)
	if !d.Allowed {
		h["Retry-After"] = strconv.FormatInt(max(1, ceilSeconds(d.RetryAfter)), 10)
	}
	return h
}

// SetHeaders sets the headers Headers returns on h directly, in their
// canonical form, the three values in one allocation and no map (it runs
// on every rate-limited request).
func (d Decision) SetHeaders(h http.Header) {
	if d.Limit <= 0 {
		return
	}
	v := []string{strconv.Itoa(d.Limit), strconv.Itoa(d.Remaining), strconv.FormatInt(ceilSeconds(d.Reset), 10)}
	h["Ratelimit-Limit"] = v[0:1:1]     // full slices: an Add appends to a copy,
	h["Ratelimit-Remaining"] = v[1:2:2] // never into the next value
	h["Ratelimit-Reset"] = v[2:3:3]
	if !d.Allowed {
		h["Retry-After"] = []string{strconv.FormatInt(max(1, ceilSeconds(d.RetryAfter)), 10)}
	}
}

func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(math.Ceil(d.Seconds()))
}

type windowKey struct{ api, key string }

type window struct {
	end   time.Time
	count int
}

// Shared counts windows outside the process (in Redis), so that several
// replicas of the mock share one budget per key. It follows the algorithm
// above; an error makes the Limiter count locally for that request.
type Shared interface {
	Take(api, key string, limit manifest.RateLimit) (Decision, error)
	// Reset deletes every shared counter.
	Reset() error
	// Forget drops what this process keeps of the shared counters (a
	// replica decides a counter that only it uses in memory), without
	// writing it back: another replica's Reset deleted those counters.
	Forget()
}

// Limiter counts requests in fixed windows. Safe for concurrent use.
type Limiter struct {
	clk     Clock
	maxKeys int
	shared  Shared

	mu        sync.Mutex
	windows   map[windowKey]*window
	nextSweep time.Time
	sweepStep time.Duration
}

// New returns a limiter reading time from clk (SystemClock if nil).
func New(clk Clock) *Limiter {
	if clk == nil {
		clk = SystemClock{}
	}
	return &Limiter{clk: clk, maxKeys: MaxKeys, windows: map[windowKey]*window{}, sweepStep: time.Minute}
}

// SetMaxKeys changes the bound on kept windows (MaxKeys by default); n <= 0
// restores the default. Call it before use.
func (l *Limiter) SetMaxKeys(n int) {
	if n <= 0 {
		n = MaxKeys
	}
	l.mu.Lock()
	l.maxKeys = n
	l.mu.Unlock()
}

// SetShared makes the limiter count in sh (while it answers) instead of in
// memory. Call it before use.
func (l *Limiter) SetShared(sh Shared) { l.shared = sh }

// Take counts one request of key against api's limit and says whether it is
// allowed. A limit with a non-positive Limit or Window allows everything and
// returns a Decision with Limit 0.
func (l *Limiter) Take(api, key string, limit manifest.RateLimit) Decision {
	win := time.Duration(limit.Window)
	if limit.Limit <= 0 || win <= 0 {
		return Decision{Allowed: true}
	}
	if l.shared != nil {
		if d, err := l.shared.Take(api, key, limit); err == nil {
			return d
		}
	}
	now := l.clk.Now()
	k := windowKey{api, key}

	l.mu.Lock()
	defer l.mu.Unlock()
	if step := min(max(win, time.Second), time.Minute); step < l.sweepStep {
		l.sweepStep = step
	}
	if !now.Before(l.nextSweep) {
		l.sweep(now)
	}
	w := l.windows[k]
	if w == nil || !now.Before(w.end) {
		if w == nil {
			if len(l.windows) >= l.maxKeys {
				l.sweep(now)
				if len(l.windows) >= l.maxKeys {
					l.evict()
				}
			}
			w = &window{}
			l.windows[k] = w
		}
		w.end, w.count = now.Add(win), 0
	}
	reset := w.end.Sub(now)
	if w.count >= limit.Limit {
		return Decision{Allowed: false, Limit: limit.Limit, Remaining: 0, Reset: reset, RetryAfter: reset}
	}
	w.count++
	return Decision{Allowed: true, Limit: limit.Limit, Remaining: limit.Limit - w.count, Reset: reset}
}

// sweep drops windows that have ended. Callers hold l.mu.
func (l *Limiter) sweep(now time.Time) {
	for k, w := range l.windows {
		if !now.Before(w.end) {
			delete(l.windows, k)
		}
	}
	l.nextSweep = now.Add(l.sweepStep)
}

// evict drops the window closest to its end. Callers hold l.mu.
func (l *Limiter) evict() {
	var victim windowKey
	var first time.Time
	found := false
	for k, w := range l.windows {
		if !found || w.end.Before(first) {
			victim, first, found = k, w.end, true
		}
	}
	if found {
		delete(l.windows, victim)
	}
}

// Len returns the number of windows kept (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.windows)
}

// Reset forgets every window: every key gets its full allowance back.
func (l *Limiter) Reset() {
	if l.shared != nil {
		_ = l.shared.Reset()
	}
	l.mu.Lock()
	clear(l.windows)
	l.mu.Unlock()
}
