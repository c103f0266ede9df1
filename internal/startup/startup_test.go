package startup

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSnapshotLine(t *testing.T) {
	start := time.Unix(1000, 0)
	tests := []struct {
		name        string
		done, total int
		after       time.Duration
		want        string
	}{
		{"nothing yet", 0, 1_000_000, time.Second, "0/1,000,000 records (0%), 0 records/s, ? left"},
		{"a quarter", 250_000, 1_000_000, 2 * time.Second, "250,000/1,000,000 records (25%), 125,000 records/s, 6s left"},
		{"done", 1000, 1000, time.Second, "1,000/1,000 records (100%), 1,000 records/s, ? left"},
		{"no total", 5, 0, time.Second, "5/0 records (100%), 5 records/s, ? left"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := start
			p := newProgress(func() time.Time { return now })
			p.SetTotal(tc.total)
			p.Add(tc.done)
			now = now.Add(tc.after)
			if got := p.Snapshot().Line(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBar(t *testing.T) {
	s := Snapshot{Done: 50, Total: 100}
	if got := s.Bar(10); !strings.HasPrefix(got, "[#####.....] 50/100") {
		t.Errorf("bar %q", got)
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -5: "-5"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestGate(t *testing.T) {
	p := NewProgress()
	p.SetTotal(10)
	p.Add(4)
	g := NewGate(p)
	g.Grace = 10 * time.Millisecond // refused after the grace
	serve := func(method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec
	}
	type want struct {
		status int
		retry  bool
		body   string
	}
	check := func(t *testing.T, method, path string, w want) {
		t.Helper()
		rec := serve(method, path)
		if rec.Code != w.status || (rec.Header().Get("Retry-After") != "") != w.retry || !strings.Contains(rec.Body.String(), w.body) {
			t.Errorf("%s %s: %d %v %s, want %+v", method, path, rec.Code, rec.Header(), rec.Body, w)
		}
	}
	t.Run("starting", func(t *testing.T) {
		check(t, "GET", "/__standin/health", want{200, false, `"status":"ok"`})
		check(t, "GET", "/__standin/ready", want{503, true, `"records":{"done":4,"total":10}`})
		check(t, "GET", "/__standin/apis", want{503, true, "starting"})
		check(t, "GET", "/v0/clients", want{503, true, "starting"})
		var body map[string]any
		if err := json.Unmarshal(serve("GET", "/__standin/ready").Body.Bytes(), &body); err != nil || body["status"] != "starting" {
			t.Errorf("ready body %v %v", body, err)
		}
	})
	t.Run("API shape once known", func(t *testing.T) {
		g.SetUnavailable(func(w http.ResponseWriter, r *http.Request, retry int) bool {
			if r.URL.Path != "/v0/clients" {
				return false
			}
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			_, _ = w.Write([]byte(`{"api":"shape"}`))
			return true
		})
		check(t, "GET", "/v0/clients", want{503, true, `{"api":"shape"}`})
		check(t, "GET", "/elsewhere", want{503, true, "starting"})
	})
	t.Run("ready", func(t *testing.T) {
		g.Ready(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("real " + r.URL.Path)) }))
		if !g.IsReady() {
			t.Fatal("not ready")
		}
		check(t, "GET", "/__standin/ready", want{200, false, "real /__standin/ready"})
		check(t, "GET", "/v0/clients", want{200, false, "real /v0/clients"})
	})
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestReport(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want []string
	}{
		{"log lines", false, []string{"building data: 3/9 records", "data built: 3 records in"}},
		{"terminal bar", true, []string{"\r\033[Kbuilding data [", "\r\033[Kdata built: 3 records"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProgress()
			p.SetTotal(9)
			p.Add(3)
			var out lockedBuf
			r := Report(&out, p, tc.tty, time.Millisecond)
			for !strings.Contains(out.String(), "building data") {
				time.Sleep(time.Millisecond)
			}
			r.Stop()
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output %q lacks %q", out.String(), w)
				}
			}
		})
	}
	t.Run("silent when quick", func(t *testing.T) {
		var out lockedBuf
		Report(&out, NewProgress(), false, time.Hour).Stop()
		if out.String() != "" {
			t.Errorf("printed %q", out.String())
		}
	})
}

// TestGateGrace: a request that arrives while a small data set is built
// waits for it and gets the real answer, not a 503 (regression: a client
// polling health right after start got 503 for its first API request).
func TestGateGrace(t *testing.T) {
	g := NewGate(NewProgress())
	go func() {
		time.Sleep(50 * time.Millisecond)
		g.Ready(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("real")) }))
	}()
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, httptest.NewRequest("GET", "/v0/clients", nil))
	if rec.Code != 200 || rec.Body.String() != "real" {
		t.Errorf("within the grace: %d %q, want 200 real", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	g.ServeHTTP(rec, httptest.NewRequest("GET", "/__standin/health", nil))
	if rec.Code != 200 {
		t.Errorf("health: %d", rec.Code)
	}
}

// TestReportLog: with --log-format json every progress line is a JSON
// record (regression: a plain "building data: …" line broke log
// collectors reading stderr when the data took over a second).
func TestReportLog(t *testing.T) {
	p := NewProgress()
	p.SetTotal(9)
	p.Add(3)
	var out lockedBuf
	r := ReportLog(slog.New(slog.NewJSONHandler(&out, nil)), p, time.Millisecond)
	for !strings.Contains(out.String(), "building data") {
		time.Sleep(time.Millisecond)
	}
	r.Stop()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("a progress line is not JSON: %q", l)
		}
	}
	var last map[string]any
	_ = json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last["msg"] != "data built" || last["records"] != float64(3) {
		t.Errorf("last record %v", last)
	}
}
