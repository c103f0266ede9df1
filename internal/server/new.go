package server

import (
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/standin/standin/fixtures"
	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/cors"
	"github.com/standin/standin/internal/dashboard"
	"github.com/standin/standin/internal/graphiql"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/rest"
	"github.com/standin/standin/internal/scenario"
	"github.com/standin/standin/scenarios"
	"github.com/standin/standin/specs"
)

// CredentialsFile is the credentials file's name in the fixtures folder.
const CredentialsFile = "credentials.yaml"

// New builds a server from a validated Config. It fails, naming the file,
// when any manifest, spec, fixture or scenario is wrong.
func New(cfg config.Config, opts Options) (*Server, error) {
	began := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts = withDefaults(cfg, opts)
	all, err := manifest.LoadAll(opts.Specs)
	if err != nil {
		return nil, err
	}
	nameSources(all, cfg.SpecsDir, opts.Specs)
	extra, err := loadExtra(cfg, all)
	if err != nil {
		return nil, err
	}
	if cfg.SpecsDir != "" {
		extra.warnings = append(unservedSpecs(opts.Specs, cfg.SpecsDir, "specsDir"), extra.warnings...)
	}
	all = append(all, extra.apis...)
	opts.Specs = overlay(opts.Specs, extra.specs)
	opts.Fixtures = overlay(opts.Fixtures, extra.fixtures)
	opts.Scenarios = overlay(opts.Scenarios, extra.scenarios)
	opts.files = newSpecFiles(cfg.SpecsDir, opts.Specs, extra.dirs)
	opts.Specs = overlay(opts.Specs, extra.specs)
	known := map[string]bool{}
	var apis []*manifest.API
	for _, a := range all {
		known[a.Name] = true
		ac := cfg.APIs[a.Name]
		if !ac.On() {
			continue
		}
		if ac.Prefix != "" {
			a.Prefix = ac.Prefix
		}
		if ac.RateLimit != nil {
			a.RateLimit = ac.RateLimit
		}
		apis = append(apis, a)
	}
	for name := range cfg.APIs {
		if !known[name] {
			return nil, fmt.Errorf("config names API %q, which no manifest declares (known: %s)", name, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	credData, err := fs.ReadFile(opts.Fixtures, CredentialsFile)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	creds, err := auth.Parse(credData)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for name, ac := range cfg.APIs {
		for col, n := range ac.Counts {
			counts[manifest.StoreName(name, col)] = n
		}
	}
	if opts.Progress != nil {
		opts.Progress.SetTotal(plannedRecords(apis, counts))
	}
	st, err := loadStore(apis, opts, cfg.Seed, counts)
	if err != nil {
		return nil, err
	}
	registry, err := scenario.Load(opts.Scenarios)
	if err != nil {
		return nil, err
	}
	corsPolicy, err := cors.New(cfg.CORS.AllowedOrigins())
	if err != nil {
		return nil, err
	}
	ide, err := graphiql.New()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:        cfg,
		log:        opts.Logger,
		store:      st,
		creds:      creds,
		byName:     map[string]*apiRuntime{},
		registry:   registry,
		limiter:    ratelimit.New(opts.Clock),
		journal:    opts.journalOr(cfg.JournalSize),
		cors:       corsPolicy,
		graphiql:   ide,
		ideHeaders: graphiQLHeaders(cfg, creds),
		respCache:  newResponseCache(opts.ResponseCacheBytes),
		nosniff:    []string{"nosniff"},
	}
	// the inferred APIs' warnings first: the same diagnostic found again
	// when the API is built is theirs
	s.addWarnings(extra.warnings...)
	if s.records, err = records.New(st, apis, opts.Specs); err != nil {
		return nil, err
	}
	for _, a := range apis {
		rt, err := s.buildAPI(a, opts)
		if err != nil {
			return nil, err
		}
		s.apis = append(s.apis, rt)
		s.byName[a.Name] = rt
		if name := cfg.APIs[a.Name].Scenario; name != "" {
			if err := registry.SetSticky(a.Name, name); err != nil {
				return nil, fmt.Errorf("--scenario %s=%s: %w", a.Name, name, err)
			}
		}
	}
	if err := checkPaths(s.apis); err != nil {
		return nil, err
	}
	for _, w := range s.warnings {
		opts.Logger.Warn("not served as written: " + w.String())
	}
	s.scenarioMounts = extra.scenarios
	if err := s.attachState(opts.Context); err != nil {
		return nil, err
	}
	s.initMetrics(opts, began)
	s.control = control.New(backend{s}, control.Options{AdminToken: cfg.AdminToken, RequireToken: cfg.AdminToken != "",
		Metrics: s.metrics.Handler(), Reloads: func() any { return s.metrics.Reloads() }, UI: dashboard.Handler()})
	return s, nil
}

func withDefaults(cfg config.Config, o Options) Options {
	if o.Specs == nil {
		o.Specs = dirOr(cfg.SpecsDir, specs.FS)
	}
	if o.Fixtures == nil {
		o.Fixtures = dirOr(cfg.FixturesDir, fixtures.FS)
	}
	if o.Scenarios == nil {
		o.Scenarios = dirOr(cfg.ScenariosDir, scenarios.FS)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = ratelimit.SystemClock{}
	}
	return o
}

func dirOr(dir string, bundled fs.FS) fs.FS {
	if dir != "" {
		return os.DirFS(dir)
	}
	return bundled
}

func (s *Server) buildAPI(a *manifest.API, opts Options) (*apiRuntime, error) {
	rt := &apiRuntime{m: a, limit: a.RateLimit}
	// one large data set per API, seen alike by its REST lists and GraphQL fields
	large := &largeSets{api: a, opts: opts, seed: s.cfg.Seed, sets: map[string]*largeSet{}, log: s.log.Warn}
	if a.REST != nil {
		doc, warnings, err := openapi.Load(opts.Specs, path.Join(a.Dir, a.REST.Spec), opts.files.options())
		if err != nil {
			return nil, err
		}
		for _, d := range warnings {
			s.addWarnings(warning{d: d})
		}
		eng, err := rest.New(a, doc, s.store, rest.Options{Large: large.get})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		rt.rest = eng
		for _, p := range doc.Paths.InMatchingOrder() {
			for method := range doc.Paths.Value(p).Operations() {
				rt.paths = append(rt.paths, method+" "+a.Prefix+p)
			}
			rt.addSpace(a.Prefix+p, false)
		}
	}
	if a.GraphQL != nil {
		read, h, err := s.buildGraphQL(a, opts, large)
		if err != nil {
			return nil, err
		}
		rt.gql, rt.gqlRead = h, read
		rt.gqlPath = a.Prefix + a.GraphQL.Path
		rt.addSpace(rt.gqlPath, true)
		rt.paths = append(rt.paths, "POST "+rt.gqlPath, "GET "+rt.gqlPath)
	}
	sort.Strings(rt.paths)
	return rt, nil
}

// backend adapts the server to the control API.
type backend struct{ s *Server }

func (b backend) APIs() []control.APIInfo {
	out := make([]control.APIInfo, 0, len(b.s.apis))
	for _, a := range b.s.apis {
		info := control.APIInfo{Name: a.m.Name, Title: a.m.Title, Paths: a.paths, Scenario: b.s.registry.Sticky(a.m.Name), RateLimit: a.limit}
		if a.rest != nil {
			info.Protocols = append(info.Protocols, "rest")
			info.Operations = append(info.Operations, slices.Sorted(slices.Values(a.rest.Operations()))...)
		}
		if a.gql != nil {
			info.Protocols = append(info.Protocols, "graphql")
			info.Operations = append(info.Operations, "POST "+a.gqlPath+" graphql", "GET "+a.gqlPath+" graphql")
		}
		out = append(out, info)
	}
	return out
}

func (b backend) Scenarios() *scenario.Registry { return b.s.registry }
func (b backend) Reset()                        { b.s.Reset() }
func (b backend) Journal() *journal.Journal     { return b.s.journal }

// Records serves the control API's data API.
func (b backend) Records() *records.Service { return b.s.records }

// Summary describes what the server serves, for the start-up banner.
func (s *Server) Summary(baseURL string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Standin mock server on %s (seed %d)\n\nAPIs:\n", baseURL, s.cfg.Seed)
	for _, a := range s.apis {
		fmt.Fprintf(&sb, "  %-12s %s\n", a.m.Name, a.m.Title)
		for _, p := range a.paths {
			fmt.Fprintf(&sb, "               %s\n", p)
		}
		if a.limit != nil {
			fmt.Fprintf(&sb, "               rate limit: %d requests per %s per token\n", a.limit.Limit, time.Duration(a.limit.Window))
		}
		if n := s.registry.Sticky(a.m.Name); n != "" {
			fmt.Fprintf(&sb, "               sticky scenario: %s\n", n)
		}
	}
	if len(s.warnings) > 0 {
		sb.WriteString("\nWARNINGS (found but not served as written):\n")
		for _, w := range s.warnings {
			fmt.Fprintf(&sb, "  ! %s\n", w.String())
		}
	}
	sb.WriteString("\nTokens (Authorization: Bearer <token>):\n")
	for _, p := range s.creds.List() {
		fmt.Fprintf(&sb, "  %-18s %s\n", p.Token, p.Description)
	}
	fmt.Fprintf(&sb, "\nControl API: %s/__standin/ (health, apis, scenarios, reset, requests, apis/{api}/collections)\n", baseURL)
	fmt.Fprintf(&sb, "Dashboard:   %s%s\nMetrics:     %s/__standin/metrics\n", baseURL, dashboard.Path, baseURL)
	fmt.Fprintf(&sb, "CORS: %s\n", s.cfg.CORS)
	var ide []string
	for _, a := range s.apis {
		if a.gql != nil {
			ide = append(ide, baseURL+a.gqlPath)
		}
	}
	if len(ide) > 0 {
		fmt.Fprintf(&sb, "GraphiQL (open in a browser): %s\n", strings.Join(ide, ", "))
	}
	return sb.String()
}
