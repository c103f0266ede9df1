// Package metrics exports the mock's Prometheus metrics at
// /__standin/metrics, through the Prometheus Go client with a registry of
// its own per server (never the global one):
//
//	standin_requests_total{api,operation,status,scenario}   counter
//	standin_request_duration_seconds{api,operation}          histogram
//	standin_rate_limit_rejections_total{api}                 counter
//	standin_records{api,collection}                          gauge, read from the store at scrape time
//	standin_journal_entries                                  gauge, read at scrape time
//	standin_journal_capacity                                 gauge
//	standin_startup_seconds                                  gauge: time to build the data and be ready
//	standin_ready                                            gauge: 1 once the data is built
//	standin_reloads_total{kind,result}                       counter (--watch)
//	standin_last_reload_timestamp_seconds                    gauge
//
// Observe also feeds Traffic: each API's counts and latency percentiles over
// the last minutes, for the dashboard (GET /__standin/traffic).
//
// Labels are bounded: operations and scenarios come from the specs and the
// scenario files, statuses are HTTP statuses; paths and ids never become
// labels.
package metrics

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric name.
const Namespace = "standin"

// Collection is one collection's record count.
type Collection struct {
	API, Name string
	Records   int
}

// Source is what the metrics read at scrape time.
type Source interface {
	// Collections returns every collection with its record count.
	Collections() []Collection
	// JournalLen and JournalCap are the journal's size and bound.
	JournalLen() int
	JournalCap() int
}

// Metrics holds one server's metrics. Safe for concurrent use.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rateLimited *prometheus.CounterVec
	startup     prometheus.Gauge
	ready       prometheus.Gauge
	reloads     *prometheus.CounterVec
	lastReload  prometheus.Gauge
	src         atomic.Pointer[sourceBox]

	mu     sync.Mutex
	events []ReloadEvent // oldest first, at most MaxReloadEvents

	obsMu sync.RWMutex
	obs   map[obsKey]obs // cached series of Observe

	traffic *Traffic
}

type sourceBox struct{ Source }

// buckets are the latency histogram's bounds, in seconds: a mock answers in
// microseconds unless a scenario delays it.
func buckets() []float64 {
	return []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}
}

// New returns metrics registered on a new registry, with the Go runtime and
// process collectors beside Standin's own.
func New() *Metrics {
	m := &Metrics{
		obs:     map[obsKey]obs{},
		traffic: NewTraffic(nil),
		reg:     prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "requests_total",
			Help: "API requests answered, by API, operation, HTTP status (0: a fault was injected, 499: the client left) and scenario (\"\" for none).",
		}, []string{"api", "operation", "status", "scenario"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "request_duration_seconds",
			Help:    "Time to answer an API request, scenario delays included.",
			Buckets: buckets(),
		}, []string{"api", "operation"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "rate_limit_rejections_total",
			Help: "Requests refused with 429 by an API's rate limit (not by the rate-limited scenario).",
		}, []string{"api"}),
		startup: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "startup_seconds",
			Help: "Seconds from start-up until the data was built and the APIs served.",
		}),
		ready: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "ready",
			Help: "1 once the data is built and the APIs are served, 0 before.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "reloads_total",
			Help: "Reloads of changed files (--watch), by kind (scenarios, all) and result (ok, error).",
		}, []string{"kind", "result"}),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "last_reload_timestamp_seconds",
			Help: "Unix time of the last reload attempt, 0 if none.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.rateLimited, m.startup, m.ready, m.reloads, m.lastReload,
		newStoreCollector(m), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// SetSource makes the records and journal metrics read src (the server
// serving now; replaced on a full reload).
func (m *Metrics) SetSource(src Source) { m.src.Store(&sourceBox{src}) }

// Observe counts one answered API request. It is on every request's path:
// the label lookups are cached, so a repeated combination allocates
// nothing.
func (m *Metrics) Observe(api, operation string, status int, scenario string, d time.Duration) {
	m.ObserveAt(time.Now(), api, operation, status, scenario, d)
}

// ObserveAt is Observe for a request that began at a time the caller has
// already read (the clock is not cheap on every machine): Traffic counts
// it in the step of that time.
func (m *Metrics) ObserveAt(at time.Time, api, operation string, status int, scenario string, d time.Duration) {
	k := obsKey{api: api, operation: operation, scenario: scenario, status: status}
	m.obsMu.RLock()
	o, ok := m.obs[k]
	m.obsMu.RUnlock()
	if !ok {
		o = obs{
			count: m.requests.WithLabelValues(api, operation, strconv.Itoa(status), scenario),
			dur:   m.duration.WithLabelValues(api, operation),
		}
		m.obsMu.Lock()
		m.obs[k] = o
		m.obsMu.Unlock()
	}
	o.count.Inc()
	o.dur.Observe(d.Seconds())
	m.traffic.Observe(at, api, status, d)
}

// Traffic returns the per-API request counts over time that Observe
// keeps for the dashboard.
func (m *Metrics) Traffic() *Traffic { return m.traffic }

// obsKey is one label combination of the request metrics; obs its series.
type obsKey struct {
	api, operation, scenario string
	status                   int
}

type obs struct {
	count prometheus.Counter
	dur   prometheus.Observer
}

// RateLimited counts one request refused by an API's rate limit.
func (m *Metrics) RateLimited(api string) { m.rateLimited.WithLabelValues(api).Inc() }

// Ready records that the data is built, d after start-up began.
func (m *Metrics) Ready(d time.Duration) {
	m.startup.Set(d.Seconds())
	m.ready.Set(1)
}

// MaxReloadEvents is how many reloads Reloads remembers.
const MaxReloadEvents = 20

// ReloadEvent is one reload attempt, for the dashboard.
type ReloadEvent struct {
	Time  time.Time `json:"time"`
	Kind  string    `json:"kind"`
	Files []string  `json:"files"`
	Error string    `json:"error,omitempty"`
}

// Reloaded counts one reload attempt of a kind ("scenarios" or "all") of
// the files that changed, and remembers it.
func (m *Metrics) Reloaded(kind string, files []string, err error, at time.Time) {
	result := "ok"
	ev := ReloadEvent{Time: at, Kind: kind, Files: slices.Clone(files)}
	if err != nil {
		result = "error"
		ev.Error = err.Error()
	}
	m.reloads.WithLabelValues(kind, result).Inc()
	m.lastReload.Set(float64(at.UnixNano()) / 1e9)
	m.mu.Lock()
	m.events = append(m.events, ev)
	if len(m.events) > MaxReloadEvents {
		m.events = slices.Delete(m.events, 0, len(m.events)-MaxReloadEvents)
	}
	m.mu.Unlock()
}

// Reloads returns the latest reload attempts, newest first.
func (m *Metrics) Reloads() []ReloadEvent {
	m.mu.Lock()
	out := slices.Clone(m.events)
	m.mu.Unlock()
	slices.Reverse(out)
	if out == nil {
		out = []ReloadEvent{}
	}
	return out
}

// Registry returns the Prometheus registry, for tests and embedders.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// storeCollector reads the source at scrape time.
type storeCollector struct {
	m                               *Metrics
	records, journalLen, journalCap *prometheus.Desc
}

func newStoreCollector(m *Metrics) storeCollector {
	return storeCollector{
		m:          m,
		records:    prometheus.NewDesc(Namespace+"_records", "Records held per collection now.", []string{"api", "collection"}, nil),
		journalLen: prometheus.NewDesc(Namespace+"_journal_entries", "Requests held in the journal now.", nil, nil),
		journalCap: prometheus.NewDesc(Namespace+"_journal_capacity", "The most requests the journal keeps.", nil, nil),
	}
}

func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.records
	ch <- c.journalLen
	ch <- c.journalCap
}

func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	box := c.m.src.Load()
	if box == nil {
		return
	}
	for _, col := range box.Collections() {
		ch <- prometheus.MustNewConstMetric(c.records, prometheus.GaugeValue, float64(col.Records), col.API, col.Name)
	}
	ch <- prometheus.MustNewConstMetric(c.journalLen, prometheus.GaugeValue, float64(box.JournalLen()))
	ch <- prometheus.MustNewConstMetric(c.journalCap, prometheus.GaugeValue, float64(box.JournalCap()))
}
