package clock_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/standin/standin/clock"
)

// A fake clock moves only when told.
func ExampleFake() {
	clk := clock.NewFake(time.Time{})
	fmt.Println(clk.Now().Format(time.RFC3339))
	clk.Advance(15 * time.Minute)
	fmt.Println(clk.Now().Format(time.RFC3339))
	clk.Set(time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC))
	fmt.Println(clk.Now().Format(time.RFC3339))
	// Output:
	// 2026-01-01T00:00:00Z
	// 2026-01-01T00:15:00Z
	// 2030-06-01T12:00:00Z
}

func TestFake(t *testing.T) {
	start := time.Date(2020, 2, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		moves []time.Duration
		want  time.Time
	}{
		{"none", nil, start},
		{"forward", []time.Duration{time.Minute, time.Hour}, start.Add(61 * time.Minute)},
		{"back", []time.Duration{-time.Second}, start.Add(-time.Second)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := clock.NewFake(start)
			for _, d := range tc.moves {
				c.Advance(d)
			}
			if got := c.Now(); !got.Equal(tc.want) {
				t.Errorf("Now() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFakeConcurrent(t *testing.T) {
	c := clock.NewFake(time.Time{})
	start := c.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		}()
	}
	wg.Wait()
	if got := c.Now().Sub(start); got != 800*time.Second {
		t.Errorf("moved %v, want 800s", got)
	}
}

func TestSystem(t *testing.T) {
	var c clock.Clock = clock.System{}
	before := time.Now()
	got := c.Now()
	if got.Before(before) || got.Sub(before) > time.Minute {
		t.Errorf("System.Now() = %v, not about %v", got, before)
	}
}
