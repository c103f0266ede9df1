package server

// Building a server from its configuration: New and what it calls.

import (
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	bundledfixtures "github.com/standin/standin/fixtures"
	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract"
	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/cors"
	"github.com/standin/standin/internal/dashboard"
	"github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/graphiql"
	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/rest"
	"github.com/standin/standin/internal/scenario"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/internal/usererr"
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
	// each contract document is loaded once, however many stages read it
	opts.docs = contract.NewCache()
	extra, err := loadExtra(cfg, all, opts.docs)
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
	for _, name := range slices.Sorted(maps.Keys(cfg.APIs)) {
		if !known[name] {
			// Key: config.Flags.Locate places it in the config file
			return nil, &usererr.Error{Key: "apis." + name, Problem: fmt.Sprintf("config names API %q, which no manifest declares", name),
				Fix: "use one of " + strings.Join(slices.Sorted(maps.Keys(known)), ", ")}
		}
	}
	// the REST documents first, named as the user finds them: the
	// fixtures' checks read them from the cache
	for _, a := range apis {
		if a.REST != nil {
			if _, _, err := opts.docs.OpenAPI(opts.Specs, path.Join(a.Dir, a.REST.Spec), opts.files.options()); err != nil {
				return nil, err
			}
		}
	}
	credData, err := fs.ReadFile(opts.Fixtures, CredentialsFile)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	creds, err := auth.ParseFile(usererr.FileName(opts.Fixtures, CredentialsFile), credData)
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
	if opts.Generating != nil {
		opts.Generating()
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
	if s.records, err = records.New(st, apis, opts.Specs, opts.docs); err != nil {
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
				return nil, &usererr.Error{Key: "apis." + a.Name + ".scenario", Problem: fmt.Sprintf("sticky scenario %s=%s: %v", a.Name, name, err),
					Fix: "name one of the API's scenarios (GET /__standin/scenarios lists them)", Err: err}
			}
		}
	}
	if err := checkPaths(s.apis); err != nil {
		return nil, err
	}
	// each group once at warn level, every warning at debug
	for _, line := range s.warningLines() {
		opts.Logger.Warn("not served as written: " + line)
	}
	for _, w := range s.warnings {
		opts.Logger.Debug("not served as written: " + w.String())
	}
	s.scenarioMounts = extra.scenarios
	if err := s.attachState(opts.Context); err != nil {
		return nil, err
	}
	s.initMetrics(opts, began)
	s.control = control.New(backend{s}, control.Options{AdminToken: cfg.AdminToken, RequireToken: cfg.AdminToken != "",
		Metrics: s.metrics.Handler(), Reloads: func() any { return s.metrics.Reloads() }, UI: dashboard.Handler(),
		Traffic: s.metrics.Traffic(), KnownToken: func(tok string) bool { _, ok := s.creds.Lookup(tok); return ok }})
	return s, nil
}

func withDefaults(cfg config.Config, o Options) Options {
	if o.Specs == nil {
		o.Specs = dirOr(cfg.SpecsDir, specs.FS)
	}
	if o.Fixtures == nil {
		o.Fixtures = dirOr(cfg.FixturesDir, bundledfixtures.FS)
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

// dirOr is the folder dir on disk (its files named by their paths there,
// for errors), or the bundled files when dir is "".
func dirOr(dir string, bundled fs.FS) fs.FS {
	if dir != "" {
		return usererr.DirFS(dir)
	}
	return bundled
}

func (s *Server) buildAPI(a *manifest.API, opts Options) (*apiRuntime, error) {
	rt := &apiRuntime{m: a, limit: a.RateLimit}
	// one large data set per API, seen alike by its REST lists and GraphQL fields
	large := &largeSets{api: a, opts: opts, seed: s.cfg.Seed, sets: map[string]*largeSet{}, log: s.log.Warn}
	if a.REST != nil {
		doc, warnings, err := opts.docs.OpenAPI(opts.Specs, path.Join(a.Dir, a.REST.Spec), opts.files.options())
		if err != nil {
			return nil, err
		}
		for _, d := range warnings {
			s.addWarnings(warning{d: d})
		}
		eng, err := rest.New(a, doc, s.store, rest.Options{Large: large.get, Seed: s.cfg.Seed, Credentials: s.cfg.APIs[a.Name].Credentials})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		s.addWarnings(s.engineWarnings(a, opts, eng.Warnings())...)
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

func loadStore(apis []*manifest.API, opts Options, seed uint64, counts map[string]int) (*store.Store, error) {
	return fixtures.Load(fixtures.Options{APIs: apis, Specs: opts.Specs, Fixtures: opts.Fixtures, Seed: seed, Counts: counts,
		Context: opts.Context, Progress: opts.progressFunc(), Documents: opts.docs})
}

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
