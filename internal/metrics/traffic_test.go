package metrics

import (
	"math"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestTrafficCounts(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	tr := NewTraffic(clk.now)
	for _, o := range []struct {
		api    string
		status int
	}{{"a", 200}, {"a", 201}, {"a", 404}, {"a", 429}, {"a", 429}, {"a", 500}, {"a", 503}, {"a", 0}, {"b", 200}, {"", 404}} {
		tr.Observe(clk.t, o.api, o.status, time.Millisecond)
	}
	rep := tr.Report([]string{"b", "a", "quiet"})
	names := []string{}
	for _, a := range rep.APIs {
		names = append(names, a.API)
	}
	if got, want := names, []string{"b", "a", "quiet", ""}; !equal(got, want) {
		t.Fatalf("APIs %v, want %v (asked first, then the others sorted)", got, want)
	}
	tests := []struct {
		api  string
		want TrafficCounts
	}{
		{"a", TrafficCounts{Requests: 8, Status4xx: 3, Status5xx: 2, Status429: 2, Faults: 1}},
		{"b", TrafficCounts{Requests: 1}},
		{"quiet", TrafficCounts{}},
		{"", TrafficCounts{Requests: 1, Status4xx: 1}},
	}
	for _, tc := range tests {
		t.Run("api "+tc.api, func(t *testing.T) {
			got := find(rep, tc.api)
			for _, c := range []TrafficCounts{got.Total, got.Window} {
				p50 := c.P50Ms
				c.P50Ms, c.P99Ms = 0, 0
				if c != tc.want {
					t.Errorf("counts %+v, want %+v", c, tc.want)
				}
				if tc.want.Requests > 0 && (p50 < 0.9 || p50 > 1.15) {
					t.Errorf("p50 %v ms, want about 1", p50)
				}
			}
			last := TrafficSteps - 1
			if got.Series.Requests[last] != tc.want.Requests || got.Series.Status5xx[last] != tc.want.Status5xx || len(got.Series.P99Ms) != TrafficSteps {
				t.Errorf("current step %+v", got.Series)
			}
		})
	}
}

// TestTrafficSteps: requests land in the step of their time; the window
// forgets steps older than TrafficSteps while the totals keep them.
func TestTrafficSteps(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := &fakeClock{t: start}
	tr := NewTraffic(clk.now)
	tr.Observe(clk.t, "a", 200, time.Millisecond) // step 0
	clk.t = start.Add(TrafficStep)
	tr.Observe(clk.t, "a", 500, time.Millisecond) // step 1
	tr.Observe(clk.t, "a", 500, time.Millisecond)

	rep := tr.Report([]string{"a"})
	s := rep.APIs[0].Series
	if s.Requests[TrafficSteps-2] != 1 || s.Requests[TrafficSteps-1] != 2 || s.Status5xx[TrafficSteps-1] != 2 {
		t.Fatalf("last two steps: %v %v", s.Requests[TrafficSteps-2:], s.Status5xx[TrafficSteps-2:])
	}
	if want := start.Add(TrafficStep - (TrafficSteps-1)*TrafficStep); !rep.Start.Equal(want) {
		t.Errorf("start %v, want %v", rep.Start, want)
	}

	// One step short of the window: step 0 is the oldest still shown.
	clk.t = start.Add((TrafficSteps - 1) * TrafficStep)
	if w := tr.Report(nil).APIs[0].Window.Requests; w != 3 {
		t.Fatalf("window %d, want 3", w)
	}
	// One more: step 0 is gone from the window, also once its slot is
	// written again.
	clk.t = start.Add(TrafficSteps * TrafficStep)
	tr.Observe(clk.t, "a", 404, time.Millisecond)
	a := tr.Report(nil).APIs[0]
	if a.Window.Requests != 3 || a.Window.Status5xx != 2 || a.Window.Status4xx != 1 || a.Total.Requests != 4 {
		t.Fatalf("after the window moved: window %+v total %+v", a.Window, a.Total)
	}
	// Long idle: the window is empty, the totals stay.
	clk.t = start.Add(10 * TrafficSteps * TrafficStep)
	a = tr.Report(nil).APIs[0]
	if a.Window.Requests != 0 || a.Window.P99Ms != 0 || a.Total.Requests != 4 {
		t.Fatalf("idle: window %+v total %+v", a.Window, a.Total)
	}
}

// TestTrafficPercentiles: p50 and p99 from the bins are within the bins'
// width (12%) of the exact figures.
func TestTrafficPercentiles(t *testing.T) {
	tests := []struct {
		name     string
		d        func(i int) time.Duration
		n        int
		p50, p99 float64 // ms
	}{
		{"uniform 1..1000 µs", func(i int) time.Duration { return time.Duration(i+1) * time.Microsecond }, 1000, 0.5, 0.99},
		{"a slow tail", func(i int) time.Duration {
			if i%50 == 0 {
				return 2 * time.Second
			}
			return 300 * time.Microsecond
		}, 1000, 0.3, 2000},
		{"sub-microsecond", func(int) time.Duration { return 100 * time.Nanosecond }, 10, 0.0005, 0.0005},
		{"hours", func(int) time.Duration { return 3 * time.Hour }, 3, 3 * 3600 * 1000, 3 * 3600 * 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTraffic(nil)
			for i := range tc.n {
				tr.Observe(time.Now(), "a", 200, tc.d(i))
			}
			got := tr.Report(nil).APIs[0].Total
			for _, p := range []struct{ got, want float64 }{{got.P50Ms, tc.p50}, {got.P99Ms, tc.p99}} {
				if math.Abs(p.got-p.want)/p.want > 0.125 {
					t.Errorf("percentile %v ms, want %v ms within 12.5%% (p50 %v, p99 %v)", p.got, p.want, got.P50Ms, got.P99Ms)
				}
			}
		})
	}
}

func TestLatBins(t *testing.T) {
	prev := -1
	for us := time.Duration(0); us < 1<<20; us = us*9/8 + 1 {
		b := latBin(us * time.Microsecond)
		if b < prev || b >= latBins {
			t.Fatalf("%v µs: bin %d after %d", us, b, prev)
		}
		prev = b
		if us > 0 {
			if v := latValueMs(b) * 1000; math.Abs(v-float64(us))/float64(us) > 0.125 {
				t.Fatalf("%v µs: bin %d stands for %v µs", us, b, v)
			}
		}
	}
	if latBin(-time.Second) != 0 || latBin(time.Duration(math.MaxInt64)) != latBins-1 {
		t.Fatal("out-of-range durations")
	}
}

func TestTrafficObserveAllocatesNothing(t *testing.T) {
	tr := NewTraffic(nil)
	at := time.Now()
	tr.Observe(at, "a", 200, time.Millisecond)
	if n := testing.AllocsPerRun(100, func() { tr.Observe(at, "a", 200, time.Millisecond) }); n != 0 {
		t.Fatalf("%v allocations per Observe", n)
	}
}

func BenchmarkTrafficObserve(b *testing.B) {
	tr := NewTraffic(nil)
	at := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		tr.Observe(at, "clients-v0", 200, time.Millisecond)
	}
}

func find(rep TrafficReport, api string) APITraffic {
	for _, a := range rep.APIs {
		if a.API == api {
			return a
		}
	}
	return APITraffic{}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMetricsFeedTraffic: every request Observe counts is in Traffic.
func TestMetricsFeedTraffic(t *testing.T) {
	m := New()
	m.Observe("a", "list", 200, "", time.Millisecond)
	m.ObserveAt(time.Now(), "a", "list", 429, "rate-limited", time.Millisecond)
	a := m.Traffic().Report([]string{"a"}).APIs[0]
	if a.Total.Requests != 2 || a.Total.Status429 != 1 || a.Window.Requests != 2 {
		t.Fatalf("%+v", a)
	}
}
