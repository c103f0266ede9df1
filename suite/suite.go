// Package suite is the Standin conformance suite as Ginkgo specs. The specs
// are the cases the checks of internal/conform/checks generate from the
// contracts, planned by internal/conform/engine in the tree-construction
// phase, before RunSpecs.
//
// Run it with `go test ./suite/... [-args --target URL ...]` or
// `go run ./cmd/conform [flags]`; both call Run.
package suite

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/checks"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/report"
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

// Checks is the registry of every check of the catalogs
// (internal/conform/checks), in run order.
func Checks() *engine.Registry { return engine.MustRegistry(checks.All()...) }

// Exit statuses.
const (
	ExitPass  = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Prepare loads the contracts and, for the bundled target, starts the mock
// in-process. The returned stop function closes what was started.
func Prepare(cfg conform.Config) (*kit.Env, func(), error) {
	env, err := engine.NewEnv(cfg, Queries())
	if err != nil {
		if !errors.Is(err, conform.ErrUsage) {
			// the contracts did not load: a bad file, as a bad --spec is
			err = fmt.Errorf("%w: %w", conform.ErrUsage, err)
		}
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
	if err := engine.Setup(env); err != nil {
		stop()
		return nil, nil, err
	}
	for _, a := range env.APIs {
		for _, w := range a.Warnings {
			fmt.Fprintf(os.Stderr, "conform: warning: %s\n", w)
		}
	}
	return env, stop, nil
}

// controlReset returns a reset through the Standin control API
// (POST /__standin/reset) when every target base URL is a Standin mock.
func controlReset(env *kit.Env) func() error {
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

// Collector gathers the results of the specs for the reports: one result
// per spec, also for specs Ginkgo did not run (filtered out, or failed in
// a setup node), so that every report counts the same specs.
type Collector struct {
	mu      sync.Mutex
	Results []engine.Result
	// Ginkgo holds Ginkgo's own counts (passed, failed, skipped) of the
	// run, for comparison with Results.
	Ginkgo [3]int

	planned map[string]engine.Result // spec key -> the result it stands for
	added   bool                     // a result was added by the running spec
}

func (c *Collector) add(r engine.Result) {
	c.mu.Lock()
	c.Results = append(c.Results, r)
	c.added = true
	c.mu.Unlock()
}

// plan remembers what the spec at the given container path stands for.
func (c *Collector) plan(path []string, leaf string, r engine.Result) {
	c.planned[specKey(path, leaf)] = r
}

func specKey(path []string, leaf string) string {
	return strings.Join(append(append([]string(nil), path...), leaf), "\x00")
}

// afterSpec adds a result for a spec that did not record one.
func (c *Collector) afterSpec(rep types.SpecReport) {
	c.mu.Lock()
	added := c.added
	c.added = false
	c.mu.Unlock()
	if added || rep.LeafNodeType != types.NodeTypeIt {
		return
	}
	r, ok := c.planned[specKey(rep.ContainerHierarchyTexts, rep.LeafNodeText)]
	if !ok {
		return
	}
	switch {
	case rep.State.Is(types.SpecStateFailureStates):
		r.Status = engine.Fail
		r.Violations = []kit.Violation{{Where: kit.InTheRun("suite"), Message: rep.Failure.Message}}
	case rep.State == types.SpecStatePassed:
		r.Status = engine.Pass
	default:
		r.Status = engine.Skip
		r.SkipReason = rep.Failure.Message
		if r.SkipReason == "" {
			r.SkipReason = "not selected (--ginkgo.label-filter or --ginkgo.focus)"
		}
	}
	c.add(r)
	c.mu.Lock()
	c.added = false
	c.mu.Unlock()
}

// Define builds the Ginkgo spec tree of every case of env: one container
// per API, one It per case (an Ordered container for a stateful flow),
// labelled api:NAME, proto:rest|graphql, check:NAME and destructive. It
// also registers the report writers.
func Define(env *kit.Env, cfg conform.Config) *Collector {
	col := &Collector{planned: map[string]engine.Result{}}
	cases := engine.Plan(env, Checks().Checks())
	ginkgo.Describe("Standin conformance", func() {
		for _, g := range containers(env.APIs, cases) {
			ginkgo.Describe(g.name, ginkgo.Label("api:"+g.api), func() {
				for _, c := range g.cases {
					defineCase(env, c, col, []string{"Standin conformance", g.name})
				}
			})
		}
		ginkgo.ReportAfterEach(col.afterSpec)
	})
	ginkgo.ReportAfterSuite("conformance reports", func(r ginkgo.Report) {
		if cfg.JUnit != "" {
			if err := report.WriteJUnit(r, cfg.JUnit); err != nil {
				fmt.Fprintf(os.Stderr, "conform: JUnit report: %v\n", err)
			}
		}
		if cfg.JSON != "" {
			if err := writeJSON(cfg.JSON, col.Results, report.CoverageLines(env, col.Results)); err != nil {
				fmt.Fprintf(os.Stderr, "conform: JSON report: %v\n", err)
			}
		}
		if cfg.HTML != "" {
			if err := writeHTML(cfg.HTML, htmlRun(env, cfg, r), col.Results, report.Coverage(env)); err != nil {
				fmt.Fprintf(os.Stderr, "conform: HTML report: %v\n", err)
			}
		}
		col.Ginkgo = ginkgoCounts(r)
	})
	return col
}

// container is one Describe of the spec tree: one API's read-only cases,
// or its destructive ones.
type container struct {
	name, api string
	cases     []*kit.Case
}

// containers groups the cases by API, every API's read-only cases first,
// then every API's destructive ones: a destructive case of one API (a
// delete, a reset hook) never runs before another API's reads.
func containers(apis []*kit.API, cases []*kit.Case) []container {
	var out []container
	for _, destructive := range []bool{false, true} {
		for _, a := range apis {
			g := container{name: a.Name, api: a.Name}
			if destructive {
				g.name += " (destructive)"
			}
			for _, c := range cases {
				if c.API == a && c.Destructive() == destructive {
					g.cases = append(g.cases, c)
				}
			}
			if len(g.cases) > 0 {
				out = append(out, g)
			}
		}
	}
	return out
}

// ginkgoCounts counts Ginkgo's passed, failed and skipped It specs.
func ginkgoCounts(report ginkgo.Report) [3]int {
	var n [3]int
	for _, r := range report.SpecReports {
		if r.LeafNodeType != types.NodeTypeIt {
			continue
		}
		switch {
		case r.State == types.SpecStatePassed:
			n[0]++
		case r.State.Is(types.SpecStateFailureStates):
			n[1]++
		default:
			n[2]++
		}
	}
	return n
}

// htmlRun is the HTML report's header of a run: the targets, the seed,
// when and how long (Ginkgo's report), the command line.
func htmlRun(env *kit.Env, cfg conform.Config, r ginkgo.Report) report.Run {
	run := report.Run{Targets: map[string]string{}, Bundled: cfg.Bundled, Seed: cfg.Seed, Examples: cfg.Examples,
		Started: r.StartTime, Duration: r.RunTime, Command: cfg.Command}
	for _, a := range env.APIs {
		run.Targets[a.Name] = a.BaseURL()
	}
	return run
}

func writeHTML(path string, run report.Run, results []engine.Result, cov []report.CoverageItem) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteHTML(f, run, results, cov); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeJSON(path string, results []engine.Result, cov []report.APICoverage) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteJSON(f, results, cov...); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runStep(env *kit.Env, c *kit.Case, s kit.Step, col *Collector) {
	tell(engine.RunStep(env, c, s), col)
}

// tell records a result and tells Ginkgo.
func tell(r engine.Result, col *Collector) {
	col.add(r)
	switch r.Status {
	case engine.Skip:
		ginkgo.Skip(r.SkipReason)
	case engine.Fail:
		ginkgo.Fail(report.Failure(r))
	}
}

func defineCase(env *kit.Env, c *kit.Case, col *Collector, path []string) {
	labels := ginkgo.Label(c.Labels()...)
	name := fmt.Sprintf("[%s · %s] %s: %s", c.Check.Name, c.Check.ClassOf(), c.Operation, c.Title)
	planned := func(s kit.Step) engine.Result {
		r := engine.SkippedAfterFailure(c, s)
		if s.Name == c.Title {
			r.Name = c.Title
		}
		return r
	}
	before := func() {
		if err := engine.BeforeDestructive(env, c); err != nil {
			ginkgo.Fail("reset before a destructive check: " + err.Error())
		}
	}
	reset := func() {
		if err := engine.AfterDestructive(env, c); err != nil {
			ginkgo.Fail("reset after a destructive check: " + err.Error())
		}
	}
	// The check and its class, as JUnit properties of the spec (and in
	// Ginkgo's JSON report); the console shows them in the spec's text.
	entries := func() {
		ginkgo.AddReportEntry("check", c.Check.Name, ginkgo.ReportEntryVisibilityNever)
		ginkgo.AddReportEntry("class", string(c.Check.ClassOf()), ginkgo.ReportEntryVisibilityNever)
	}
	if len(c.Steps) == 1 {
		col.plan(path, name, planned(c.Steps[0]))
		ginkgo.It(name, labels, func() {
			entries()
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
			col.plan(append(append([]string(nil), path...), name), s.Name, planned(s))
			ginkgo.It(s.Name, func() {
				entries()
				if failed {
					r := engine.SkippedAfterFailure(c, s)
					col.add(r)
					ginkgo.Skip(r.SkipReason)
				}
				r := engine.RunStep(env, c, s)
				failed = r.Status == engine.Fail
				tell(r, col)
			})
		}
	})
}

// failer records a failed suite for RunSpecs outside go test.
type failer struct{ failed bool }

func (f *failer) Fail() { f.failed = true }

// Run runs the suite in this process (cmd/conform): it prepares the
// target, builds the spec tree and drives ginkgo.RunSpecs, then prints
// the summary per API and the coverage table. It returns the exit status:
// 0 all passed, 1 a check failed, 2 bad usage. Ginkgo runs a suite once
// per process, so Run may be called once.
func Run(cfg conform.Config) int {
	code, _ := RunTo(cfg, os.Stdout)
	return code
}

// RunTo is Run with the summary written to w; it also returns the
// collected results (nil on a usage or setup error).
func RunTo(cfg conform.Config, w io.Writer) (int, *Collector) {
	env, stop, err := Prepare(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "conform: %v\n", err)
		if errors.Is(err, conform.ErrUsage) {
			return ExitUsage, nil
		}
		return cmdline.ExitStatus(err), nil // 2 for a placed mistake in a user's file
	}
	defer stop()
	col := Define(env, cfg)
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	if cfg.Verbose {
		reporterConfig.Verbose = true
	}
	reporterConfig.NoColor = !isTerminal()
	f := &failer{}
	ginkgo.RunSpecs(f, "Standin conformance", suiteConfig, reporterConfig)
	report.WriteConsoleSummary(w, col.Results, report.Coverage(env), report.CoverageLines(env, col.Results)...)
	if f.failed {
		return ExitFail, col
	}
	return ExitPass, col
}

func isTerminal() bool {
	st, err := os.Stdout.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
