// Package standintest starts the Standin mock inside a Go test with one
// call, in the style of net/http/httptest:
//
//	srv := standintest.NewServer()
//	defer srv.Close()
//	resp, err := http.Get(srv.URL + "/v0/clients") // …with a bundled token
//
// The server listens on a loopback port chosen by the system and serves
// every bundled API with the same deterministic data as cmd/mockserver.
package standintest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/standin/standin/clock"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/server"
)

// The bundled tokens (see fixtures/credentials.yaml).
const (
	// AdminToken is valid everywhere with every permission.
	AdminToken = "standin-admin"
	// ReadonlyToken is valid but lacks ADMIN and any clients-v2 client.
	ReadonlyToken = "standin-readonly"
	// PartnerToken reads only the clients-v2 clients of "TechPartner Inc.".
	PartnerToken = "standin-partner"
	// NoAccessToken is valid but has no permission at all.
	NoAccessToken = "standin-noaccess"
)

// Option changes the mock's configuration.
type Option func(*settings) error

// settings is what the options build: the Config and the server Options.
type settings struct {
	cfg  config.Config
	opts server.Options
	// records are inserted before the start state is frozen (WithRecords).
	records []seedRecords
}

// cfgOption adapts a change of the Config to an Option.
func cfgOption(f func(c *config.Config) error) Option {
	return func(s *settings) error { return f(&s.cfg) }
}

// WithSeed sets the seed of generated data.
func WithSeed(seed uint64) Option {
	return cfgOption(func(c *config.Config) error { c.Seed = seed; return nil })
}

// WithScenario makes a scenario sticky for an API from the start.
func WithScenario(api, name string) Option {
	return cfgOption(func(c *config.Config) error { c.SetScenario(api, name); return nil })
}

// WithCount sets how many records are generated for a collection of an API.
func WithCount(api, collection string, n int) Option {
	return cfgOption(func(c *config.Config) error {
		if c.APIs == nil {
			c.APIs = map[string]config.API{}
		}
		a := c.APIs[api]
		if a.Counts == nil {
			a.Counts = map[string]int{}
		}
		a.Counts[collection] = n
		c.APIs[api] = a
		return nil
	})
}

// WithConfigFile starts from a YAML configuration file (as --config).
func WithConfigFile(path string) Option {
	return cfgOption(func(c *config.Config) error {
		loaded, err := config.Load(path)
		if err != nil {
			return err
		}
		*c = loaded
		return nil
	})
}

// WithHoldCap bounds how long the timeout scenario holds a request.
func WithHoldCap(d time.Duration) Option {
	return cfgOption(func(c *config.Config) error {
		c.HoldCap = manifest.Duration(d)
		return nil
	})
}

// WithClock gives the rate limiter a clock, e.g. clock.NewFake, so a test
// can move time past a rate-limit window without waiting.
func WithClock(clk clock.Clock) Option {
	return func(s *settings) error { s.opts.Clock = clk; return nil }
}

// WithJournalSize bounds the request journal (GET /__standin/requests).
func WithJournalSize(n int) Option {
	return cfgOption(func(c *config.Config) error { c.JournalSize = n; return nil })
}

// WithAdminToken makes the control API require "Authorization: Bearer token".
func WithAdminToken(token string) Option {
	return cfgOption(func(c *config.Config) error { c.AdminToken = token; return nil })
}

// WithRateLimit sets (or adds) an API's rate limit: limit requests per
// window per token.
func WithRateLimit(api string, limit int, window time.Duration) Option {
	return cfgOption(func(c *config.Config) error {
		if c.APIs == nil {
			c.APIs = map[string]config.API{}
		}
		a := c.APIs[api]
		a.RateLimit = &manifest.RateLimit{Limit: limit, Window: manifest.Duration(window)}
		c.APIs[api] = a
		return nil
	})
}

// Server is a running mock.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234, without a slash.
	URL  string
	mock *server.Server
	ts   *httptest.Server
}

// New starts a mock and reports configuration errors.
func New(opts ...Option) (*Server, error) {
	st := settings{cfg: config.Default()}
	for _, o := range opts {
		if err := o(&st); err != nil {
			return nil, err
		}
	}
	mock, err := server.New(st.cfg, st.opts)
	if err != nil {
		return nil, err
	}
	if err := addRecords(mock, st.records); err != nil {
		return nil, err
	}
	ts := httptest.NewServer(mock)
	return &Server{URL: ts.URL, mock: mock, ts: ts}, nil
}

// NewServer starts a mock and panics if it cannot, like httptest.NewServer.
func NewServer(opts ...Option) *Server {
	s, err := New(opts...)
	if err != nil {
		panic(fmt.Sprintf("standintest: %v", err))
	}
	return s
}

// Start starts a mock for a test, failing the test if it cannot, and
// closes it when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := New(opts...)
	if err != nil {
		tb.Fatalf("standintest: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts the server down and blocks until its requests have ended.
func (s *Server) Close() { s.ts.Close() }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Handler returns the mock as an http.Handler, for in-process use.
func (s *Server) Handler() http.Handler { return s.mock }

// Reset puts data and rate limits back to the start state.
func (s *Server) Reset() { s.mock.Reset() }
