package server

import (
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/metrics"
	"github.com/standin/standin/internal/scenario"
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

// progressFunc is the fixtures loader's progress callback, nil without a
// Progress.
func (o Options) progressFunc() func(int) {
	if o.Progress == nil {
		return nil
	}
	return o.Progress.Add
}

func (o Options) journalOr(size int) *journal.Journal {
	if o.Journal != nil {
		return o.Journal
	}
	return journal.New(size)
}

// ReloadScenarios reads the scenarios of fsys again and puts them in place
// of the running ones, keeping sticky choices whose scenario still exists.
// On any error the running scenarios stay as they were.
func (s *Server) ReloadScenarios(fsys fs.FS) error {
	next, err := scenario.Load(overlay(fsys, s.scenarioMounts))
	if err != nil {
		return err
	}
	for _, api := range s.registry.Replace(next) {
		s.log.Warn("sticky scenario cleared: its file is gone", "api", api)
	}
	return nil
}

// AdoptSticky makes the sticky scenarios of old (the server this one
// replaces) sticky here too, where they still exist.
func (s *Server) AdoptSticky(old *Server) {
	for _, a := range old.apis {
		name := old.registry.Sticky(a.m.Name)
		if name == "" {
			continue
		}
		if err := s.registry.SetSticky(a.m.Name, name); err != nil {
			s.log.Warn("sticky scenario not kept after reload", "api", a.m.Name, "scenario", name, "err", fmt.Sprint(err))
		}
	}
}
