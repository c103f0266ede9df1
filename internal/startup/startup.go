// Package startup lets the mock open its port at once and build its data
// behind it. A Gate answers while the data is built:
//
//	GET /__standin/health   200 {"status":"ok"}            (liveness, no token)
//	GET /__standin/ready    503 {"status":"starting","records":{"done":N,"total":M},...}
//	other /__standin/…      503 {"error":"…starting…"} with Retry-After
//	an API's path           503 with Retry-After in that API's own error shape
//
// and hands every request to the real handler once Ready is called. Progress
// counts the records built; Report prints it to a terminal as a bar, or to a
// log as a line every few seconds. Nothing here is package-level state.
package startup

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RetryAfter is the Retry-After (seconds) sent while starting.
const RetryAfter = 1

// Progress counts the records built of a known total. Safe for concurrent
// use; the zero value is not usable, call NewProgress.
type Progress struct {
	began time.Time
	total atomic.Int64
	done  atomic.Int64
	now   func() time.Time
}

// NewProgress returns a progress that started now.
func NewProgress() *Progress { return newProgress(time.Now) }

func newProgress(now func() time.Time) *Progress { return &Progress{began: now(), now: now} }

// SetTotal says how many records will be built.
func (p *Progress) SetTotal(n int) { p.total.Store(int64(n)) }

// Add counts n more records built.
func (p *Progress) Add(n int) { p.done.Add(int64(n)) }

// Snapshot is the progress at one moment.
type Snapshot struct {
	Done    int64         `json:"done"`
	Total   int64         `json:"total"`
	Elapsed time.Duration `json:"-"`
	// Rate is records per second so far; Left the estimated time to go
	// (0 when unknown).
	Rate float64       `json:"-"`
	Left time.Duration `json:"-"`
}

// Snapshot reads the progress now.
func (p *Progress) Snapshot() Snapshot {
	s := Snapshot{Done: p.done.Load(), Total: p.total.Load(), Elapsed: p.now().Sub(p.began)}
	if s.Elapsed > 0 {
		s.Rate = float64(s.Done) / s.Elapsed.Seconds()
	}
	if s.Rate > 0 && s.Total > s.Done {
		s.Left = time.Duration(float64(s.Total-s.Done) / s.Rate * float64(time.Second))
	}
	return s
}

// Percent is Done of Total in percent (100 when Total is 0).
func (s Snapshot) Percent() float64 {
	if s.Total <= 0 {
		return 100
	}
	return math.Min(100, 100*float64(s.Done)/float64(s.Total))
}

// Line is the snapshot as one line of text: records done of total, rate and
// time left.
func (s Snapshot) Line() string {
	left := "?"
	if s.Left > 0 {
		left = s.Left.Round(time.Second).String()
	}
	return fmt.Sprintf("%s/%s records (%.0f%%), %s records/s, %s left",
		group(s.Done), group(s.Total), s.Percent(), group(int64(s.Rate)), left)
}

// Bar is the snapshot as a terminal progress bar of the given width.
func (s Snapshot) Bar(width int) string {
	fill := int(s.Percent() / 100 * float64(width))
	return "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "] " + s.Line()
}

// group writes n with thousands separators: 1,000,000.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Reporter prints progress while data is built. Start it with Report.
type Reporter struct {
	stop chan struct{}
	done chan struct{}
}

// Report prints p to w every interval until Stop, after a first interval of
// silence (a small data set prints nothing). On a terminal (tty) it redraws
// one bar in place; otherwise it writes a line each time.
func Report(w io.Writer, p *Progress, tty bool, interval time.Duration) *Reporter {
	return report(p, interval, func(s Snapshot, final bool) {
		switch {
		case final:
			if tty {
				fmt.Fprintf(w, "\r\033[K")
			}
			fmt.Fprintf(w, "data built: %s records in %s\n", group(s.Done), s.Elapsed.Round(time.Millisecond))
		case tty:
			fmt.Fprintf(w, "\r\033[Kbuilding data %s", s.Bar(30))
		default:
			fmt.Fprintf(w, "building data: %s\n", s.Line())
		}
	})
}

// ReportLog is Report through a structured logger (--log-format json):
// each report is a log record of level info ("building data", then "data
// built") with the counts as attributes, so that every line a log
// collector reads is one record.
func ReportLog(log *slog.Logger, p *Progress, interval time.Duration) *Reporter {
	return report(p, interval, func(s Snapshot, final bool) {
		if final {
			log.Info("data built", "records", s.Done, "elapsed", s.Elapsed.Round(time.Millisecond))
			return
		}
		log.Info("building data", "done", s.Done, "total", s.Total, "percent", s.Percent(),
			"records_per_second", int64(s.Rate), "left", s.Left.Round(time.Second))
	})
}

// report calls show every interval until Stop, after a first interval of
// silence, and once more with final true when it stops if it showed any.
func report(p *Progress, interval time.Duration, show func(s Snapshot, final bool)) *Reporter {
	r := &Reporter{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-r.stop:
				if shown {
					show(p.Snapshot(), true)
				}
				return
			case <-t.C:
				show(p.Snapshot(), false)
				shown = true
			}
		}
	}()
	return r
}

// Stop ends the report (printing a last line if any was printed) and waits
// for it.
func (r *Reporter) Stop() {
	close(r.stop)
	<-r.done
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Unavailable writes an API's 503 while starting: the gate passes the
// Retry-After header, the caller renders the API's own error shape.
type Unavailable func(w http.ResponseWriter, r *http.Request, retryAfter int) bool

// Gate serves while the data is built and forwards to the real handler once
// Ready is called.
type Gate struct {
	progress *Progress
	ready    atomic.Pointer[handlerBox]
	api      atomic.Pointer[unavailableBox]
	// Grace is how long a request other than health and ready waits for the
	// data before it is refused with 503. A small data set is built well
	// within it, so a client that starts the mock and polls health never
	// sees a 503; a large one still answers 503 with Retry-After.
	Grace   time.Duration
	readyCh chan struct{}
	once    sync.Once
}

// DefaultGrace is the Gate's Grace unless set.
const DefaultGrace = 2 * time.Second

type handlerBox struct{ http.Handler }
type unavailableBox struct{ f Unavailable }

// NewGate returns a gate reporting p.
func NewGate(p *Progress) *Gate {
	return &Gate{progress: p, Grace: DefaultGrace, readyCh: make(chan struct{})}
}

// SetUnavailable installs how API requests are refused while starting (once
// the manifests are read, the APIs' own error shapes are known); until then
// they get a plain JSON 503.
func (g *Gate) SetUnavailable(f Unavailable) { g.api.Store(&unavailableBox{f}) }

// Ready hands every later request to h.
func (g *Gate) Ready(h http.Handler) {
	g.ready.Store(&handlerBox{h})
	g.once.Do(func() { close(g.readyCh) })
}

// await waits up to the grace for Ready, or until the client leaves, and
// returns the real handler if it came.
func (g *Gate) await(r *http.Request) http.Handler {
	if g.Grace <= 0 {
		return nil
	}
	t := time.NewTimer(g.Grace)
	defer t.Stop()
	select {
	case <-g.readyCh:
		if h := g.ready.Load(); h != nil {
			return h.Handler
		}
	case <-t.C:
	case <-r.Context().Done():
	}
	return nil
}

// IsReady reports whether Ready was called.
func (g *Gate) IsReady() bool { return g.ready.Load() != nil }

// ServeHTTP forwards to the real handler when ready, and answers for it
// before.
func (g *Gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := g.ready.Load(); h != nil {
		h.ServeHTTP(w, r)
		return
	}
	p := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case p == "/__standin/health" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
		return
	case p == "/__standin/ready" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		s := g.progress.Snapshot()
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
		body := map[string]any{
			"status":         "starting",
			"records":        map[string]int64{"done": s.Done, "total": s.Total},
			"percent":        math.Round(s.Percent()*10) / 10,
			"elapsedSeconds": math.Round(s.Elapsed.Seconds()*1000) / 1000,
		}
		if s.Left > 0 {
			body["leftSeconds"] = math.Round(s.Left.Seconds()*10) / 10
		}
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	if h := g.await(r); h != nil {
		h.ServeHTTP(w, r)
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/__standin"):
	default:
		if b := g.api.Load(); b != nil && b.f(w, r, RetryAfter) {
			return
		}
	}
	w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
	writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "the mock is starting: its data is being built; see GET /__standin/ready"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v) // maps of strings and numbers always encode
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
