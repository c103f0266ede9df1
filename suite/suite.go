// Package suite is the Standin conformance suite as Ginkgo specs. The specs
// are generated from the bundled contracts (specs/) by package
// internal/conform, in the tree-construction phase, before RunSpecs.
//
// Run it with `go test ./suite/... [-args --target URL ...]` or
// `go run ./cmd/conform [flags]`; both call Run.
package suite

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/standintest"
)

//go:embed testdata/queries
var queriesFS embed.FS

// Queries holds the documented queries: <api>/<name>.graphql with optional
// <name>.json variables.
func Queries() fs.FS {
	sub, err := fs.Sub(queriesFS, "testdata/queries")
	if err != nil {
		panic(err)
	}
	return sub
}

// Exit statuses.
const (
	ExitPass  = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Prepare loads the contracts and, for the bundled target, starts the mock
// in-process. The returned stop function closes what was started.
func Prepare(cfg conform.Config) (*conform.Env, func(), error) {
	env, err := conform.NewEnv(cfg, Queries())
	if err != nil {
		return nil, nil, err
	}
	stop := func() {}
	if cfg.Bundled {
		srv, err := standintest.New()
		if err != nil {
			return nil, nil, err
		}
		env.SetBaseURL(srv.URL)
		env.Reset = func() error { srv.Reset(); return nil }
		stop = srv.Close
	} else if cfg.Destructive && !cfg.HasResetHooks() {
		env.Reset = controlReset(env)
	}
	if cfg.Destructive {
		if err := env.ResetTarget(); err != nil {
			stop()
			return nil, nil, err
		}
	}
	return env, stop, nil
}

// controlReset returns a reset through the Standin control API
// (POST /__standin/reset) when every target base URL is a Standin mock.
func controlReset(env *conform.Env) func() error {
	bases := map[string]bool{}
	for _, a := range env.APIs {
		bases[a.BaseURL()] = true
	}
	for b := range bases {
		resp, err := env.Client.Get(b + "/__standin/health")
		if err != nil {
			return nil
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil
		}
	}
	return func() error {
		for b := range bases {
			resp, err := env.Client.Post(b+"/__standin/reset", "application/json", nil)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				return fmt.Errorf("POST %s/__standin/reset: HTTP %d", b, resp.StatusCode)
			}
		}
		return nil
	}
}

// Collector gathers the results of the specs for the JSON report.
type Collector struct {
	mu      sync.Mutex
	Results []conform.Result
}

func (c *Collector) add(r conform.Result) {
	c.mu.Lock()
	c.Results = append(c.Results, r)
	c.mu.Unlock()
}

// Define builds the Ginkgo spec tree of every case of env: one container
// per API, one It per case (an Ordered container for a stateful flow),
// labelled api:NAME, proto:rest|graphql, check:NAME and destructive. It
// also registers the report writers.
func Define(env *conform.Env, cfg conform.Config) *Collector {
	col := &Collector{}
	cases := conform.Plan(env, nil)
	ginkgo.Describe("Standin conformance", func() {
		for _, a := range env.APIs {
			var mine []*conform.Case
			for _, c := range cases {
				if c.API == a {
					mine = append(mine, c)
				}
			}
			ginkgo.Describe(a.Name, ginkgo.Label("api:"+a.Name), func() {
				for _, c := range mine {
					defineCase(env, c, col)
				}
			})
		}
	})
	ginkgo.ReportAfterSuite("conformance reports", func(report ginkgo.Report) {
		if cfg.JUnit != "" {
			if err := reporters.GenerateJUnitReport(report, cfg.JUnit); err != nil {
				fmt.Fprintf(os.Stderr, "conform: JUnit report: %v\n", err)
			}
		}
		if cfg.JSON != "" {
			if err := writeJSON(cfg.JSON, col.Results); err != nil {
				fmt.Fprintf(os.Stderr, "conform: JSON report: %v\n", err)
			}
		}
	})
	return col
}

func writeJSON(path string, results []conform.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := conform.WriteJSON(f, results); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runStep(env *conform.Env, c *conform.Case, s conform.Step, col *Collector) {
	report(conform.RunStep(env, c, s), col)
}

// report records a result and tells Ginkgo.
func report(r conform.Result, col *Collector) {
	col.add(r)
	switch r.Status {
	case conform.Skip:
		ginkgo.Skip(r.SkipReason)
	case conform.Fail:
		ginkgo.Fail(r.Report())
	}
}

func defineCase(env *conform.Env, c *conform.Case, col *Collector) {
	labels := ginkgo.Label(c.Labels()...)
	name := fmt.Sprintf("[%s] %s: %s", c.Check.Name, c.Operation, c.Title)
	before := func() {
		if err := env.BeforeDestructive(c); err != nil {
			ginkgo.Fail("reset before a destructive check: " + err.Error())
		}
	}
	reset := func() {
		if c.Destructive() && env.Config.Destructive {
			if err := env.ResetTarget(); err != nil {
				ginkgo.Fail("reset after a destructive check: " + err.Error())
			}
		}
	}
	if len(c.Steps) == 1 {
		ginkgo.It(name, labels, func() {
			defer reset()
			before()
			runStep(env, c, c.Steps[0], col)
		})
		return
	}
	// The flow's steps run in order; after a failed step the rest are
	// skipped by the suite itself (not by Ginkgo), so that every report
	// lists them as skipped with the reason.
	failed := false
	ginkgo.Describe(name, ginkgo.Ordered, ginkgo.ContinueOnFailure, labels, func() {
		ginkgo.BeforeAll(before)
		ginkgo.AfterAll(reset)
		for _, s := range c.Steps {
			ginkgo.It(s.Name, func() {
				if failed {
					r := conform.SkippedAfterFailure(c, s)
					col.add(r)
					ginkgo.Skip(r.SkipReason)
				}
				r := conform.RunStep(env, c, s)
				failed = r.Status == conform.Fail
				report(r, col)
			})
		}
	})
}

// failer records a failed suite for RunSpecs outside go test.
type failer struct{ failed bool }

func (f *failer) Fail() { f.failed = true }

// Run runs the suite in this process (cmd/conform): it prepares the
// target, builds the spec tree and drives ginkgo.RunSpecs. It returns the
// exit status: 0 all passed, 1 a check failed, 2 bad usage. Ginkgo runs a
// suite once per process, so Run may be called once.
func Run(cfg conform.Config) int {
	env, stop, err := Prepare(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "conform: %v\n", err)
		if errors.Is(err, conform.ErrUsage) {
			return ExitUsage
		}
		return ExitFail
	}
	defer stop()
	Define(env, cfg)
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	if cfg.Verbose {
		reporterConfig.Verbose = true
	}
	reporterConfig.NoColor = !isTerminal()
	f := &failer{}
	ginkgo.RunSpecs(f, "Standin conformance", suiteConfig, reporterConfig)
	if f.failed {
		return ExitFail
	}
	return ExitPass
}

func isTerminal() bool {
	st, err := os.Stdout.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
