package gctune

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestHeadroom(t *testing.T) {
	for _, tc := range []struct{ live, want uint64 }{
		{0, MinHeadroom},
		{20 << 20, MinHeadroom},
		{512 << 20, MinHeadroom},
		{650 << 20, 650 << 20 / 4},
		{4 << 30, 1 << 30},
	} {
		if got := Headroom(tc.live); got != tc.want {
			t.Errorf("Headroom(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}

// gcPercent reads GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// restoreGC puts the process-wide collector settings back after a test.
func restoreGC(t *testing.T) {
	pct := debug.SetGCPercent(100)
	lim := debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(lim)
	})
}

func TestLoadingTunes(t *testing.T) {
	restoreGC(t)
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
	debug.SetGCPercent(50)
	tun := Loading(func(string) string { return "" })
	if got := gcPercent(); got != ReadingGCPercent {
		t.Fatalf("GOGC while reading = %d, want %d", got, ReadingGCPercent)
	}
	tun.Generating()
	if got := gcPercent(); got != LoadingGCPercent {
		t.Fatalf("GOGC while loading = %d, want %d", got, LoadingGCPercent)
	}
	done := tun.Done
	keep := make([][]byte, 64)
	for i := range keep {
		keep[i] = make([]byte, 1<<20)
	}
	r := done()
	if !r.Tuned || r.Live < 64<<20 || r.Limit != r.Live+Headroom(r.Live) {
		t.Fatalf("result %+v", r)
	}
	if got := debug.SetMemoryLimit(-1); got != int64(r.Limit) {
		t.Fatalf("memory limit = %d, want %d", got, r.Limit)
	}
	if got := gcPercent(); got != ServingGCPercent {
		t.Fatalf("GOGC after loading = %d, want %d", got, ServingGCPercent)
	}
	runtime.KeepAlive(keep)
}

func TestLoadingRespectsTheUser(t *testing.T) {
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			restoreGC(t)
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			tun := Loading(func(k string) string {
				if k == env {
					return "200"
				}
				return ""
			})
			tun.Generating()
			done := tun.Done
			if got := gcPercent(); got != 100 {
				t.Fatalf("GOGC changed to %d", got)
			}
			if r := done(); r.Tuned || r.Limit != 0 {
				t.Fatalf("result %+v", r)
			}
			if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
				t.Fatalf("memory limit changed to %d", got)
			}
		})
	}
}
