// Package clock is the time source of the mock's rate limiter, with a fake
// clock for tests that must cross a rate-limit window without waiting:
//
//	clk := clock.NewFake(time.Time{})
//	srv := standintest.NewServer(standintest.WithClock(clk))
//	// … spend clients-v0's 100 requests, get a 429 …
//	clk.Advance(15 * time.Minute) // the window has ended: 200 again
//
// It is a public package so that tests in other modules can use it.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface{ Now() time.Time }

// System is the real clock.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// Fake is a Clock that moves only when told. Safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a fake clock set to t (2026-01-01T00:00:00Z if t is zero).
func NewFake(t time.Time) *Fake {
	if t.IsZero() {
		t = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &Fake{t: t}
}

// Now returns the fake time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the fake time forward by d (backward if d is negative).
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the fake time to t.
func (c *Fake) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
