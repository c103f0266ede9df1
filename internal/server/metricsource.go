package server

// The server's metrics and what they read at scrape time.

import (
	"strings"
	"time"

	"github.com/standin/standin/internal/metrics"
)

// initMetrics gives the server its metrics (Options.Metrics, or new ones)
// and points them at this server's store and journal.
func (s *Server) initMetrics(opts Options, began time.Time) {
	m := opts.Metrics
	if m == nil {
		m = metrics.New()
		m.Ready(time.Since(began)) // given metrics are a reload's: start-up was earlier
	}
	s.metrics = m
	m.SetSource(metricsSource{s})
}

// Metrics returns the server's metrics.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// metricsSource lets the metrics read the store and journal at scrape time.
type metricsSource struct{ s *Server }

func (m metricsSource) Collections() []metrics.Collection {
	defs := m.s.store.Definitions()
	out := make([]metrics.Collection, 0, len(defs))
	for _, d := range defs {
		n, err := m.s.store.Len(d.Name)
		if err != nil {
			continue
		}
		api, col, _ := strings.Cut(d.Name, ".")
		out = append(out, metrics.Collection{API: api, Name: col, Records: n})
	}
	return out
}

func (m metricsSource) JournalLen() int { return m.s.journal.Len() }
func (m metricsSource) JournalCap() int { return m.s.journal.Cap() }
