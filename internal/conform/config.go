package conform

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// ErrUsage marks configuration errors (exit status 2).
var ErrUsage = errors.New("usage")

// Config is the whole configuration of one conformance run, validated once
// (Validate) and passed down.
type Config struct {
	// APIs maps API name to its target; only these APIs are checked.
	APIs map[string]APIConfig `yaml:"apis" json:"apis"`
	// Destructive allows checks that change data or spend a rate limit.
	Destructive bool `yaml:"destructive" json:"destructive"`
	// Timeout bounds each HTTP request.
	Timeout manifest.Duration `yaml:"timeout" json:"timeout"`
	// Bundled is true when the target is the bundled mock started
	// in-process (no target given): destructive checks run and the mock is
	// reset around them.
	Bundled bool `yaml:"-" json:"bundled"`
	// JUnit and JSON are report files ("" for none).
	JUnit string `yaml:"-" json:"-"`
	JSON  string `yaml:"-" json:"-"`
	// Verbose prints every spec, not only failures.
	Verbose bool `yaml:"-" json:"-"`
	// HTML is the self-contained HTML report file ("" for none).
	HTML string `yaml:"-" json:"-"`
	// Seed seeds the property-based checks (0: seed 1).
	Seed uint64 `yaml:"seed" json:"seed"`
	// Examples is how many random requests each property-based check
	// sends (0: DefaultExamples).
	Examples int `yaml:"examples" json:"examples"`
	// Specs are contract files of APIs that are not bundled (--spec).
	Specs []string `yaml:"-" json:"specs,omitempty"`
	// MaxRecords bounds the records read per list operation or connection
	// (walks, every-record validation, ids discovered for lookups).
	MaxRecords int `yaml:"maxRecords" json:"maxRecords"`
	// Command is the command line of the run, program first, for the
	// HTML report's header (which redacts its credentials); nil when
	// unknown.
	Command []string `yaml:"-" json:"-"`
}

// DefaultExamples is the default budget of each property-based check.
const DefaultExamples = 25

// DefaultMaxRecords is the default of --max-records.
const DefaultMaxRecords = 1000

// APIConfig is one API's target.
type APIConfig struct {
	// BaseURL is the scheme, host and optional path prefix, e.g.
	// https://api.example.com.
	BaseURL string `yaml:"baseURL" json:"baseURL"`
	// Token is a valid credential with every permission the checks need
	// (sent as Authorization: Bearer). ${VAR} is expanded from the
	// environment.
	Token string `yaml:"token" json:"-"`
	// LimitedToken is valid but lacks a permission: it must get the
	// documented 403 (REST) or FORBIDDEN (GraphQL). Optional.
	LimitedToken string `yaml:"limitedToken" json:"-"`
	// IDs are known ids, keyed by path parameter name (client_id,
	// companyUuid, externalId), "forbidden.<param>" for an id the limited
	// token may not read, or a GraphQL variable name (id, externalId);
	// deleteAccountId names the account the delete flow removes. A key
	// takes one id or a list; lookups run on every one.
	IDs map[string]IDList `yaml:"ids" json:"ids,omitempty"`
	// Roles are tokens with what each must be refused and what it may
	// read (checks rest-role, graphql-role).
	Roles []Role `yaml:"roles" json:"roles,omitempty"`
	// RateLimitToken is the token whose budget the rate-limit check
	// spends; without one the check is skipped.
	RateLimitToken string `yaml:"rateLimitToken" json:"-"`
	// Reset is run before each destructive check of the API.
	Reset *ResetHook `yaml:"reset" json:"reset,omitempty"`
	// Spec is the contract file of an API that is not bundled (OpenAPI
	// or GraphQL SDL); the API's name is then free.
	Spec string `yaml:"spec" json:"spec,omitempty"`
	// GraphQL holds the keys of the API's GraphQL endpoint (graphqlPath,
	// errorCodes), inline in the API's entry.
	GraphQL GraphQLConfig `yaml:",inline" json:"graphql"`
	// Credentials are secrets by the name of a security scheme of the
	// API's contract (components.securitySchemes), which says where each
	// goes: an apiKey in its header, query parameter or cookie, a bearer
	// token, basic as user:password, oauth2 and openIdConnect as bearer
	// tokens. ${VAR} is expanded.
	Credentials map[string]string `yaml:"credentials" json:"-"`
	// Headers are sent with every request to the API (--header). ${VAR}
	// is expanded.
	Headers map[string]string `yaml:"headers" json:"-"`
	// Setup is run once before the checks (the same form as Reset): it
	// seeds the data the checks read.
	Setup *ResetHook `yaml:"setup" json:"setup,omitempty"`
}

// IDList is the ids of one key of conform.yaml: a single value or a list.
type IDList []string

// UnmarshalYAML accepts a scalar (one id) or a sequence of ids.
func (l *IDList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*l = IDList{n.Value}
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*l = s
		return nil
	}
	return fmt.Errorf("line %d: an id or a list of ids", n.Line)
}

// First is the first id ("" when none).
func (l IDList) First() string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

// FirstIDs maps each ids key to its first id.
func (c APIConfig) FirstIDs() map[string]string {
	out := map[string]string{}
	for k, v := range c.IDs {
		if f := v.First(); f != "" {
			out[k] = f
		}
	}
	return out
}

// APINames lists the bundled APIs (specs/<api>/api.yaml), sorted.
func APINames() []string {
	apis, err := manifest.LoadAll(specs.FS)
	if err != nil {
		panic(fmt.Sprintf("conform: bundled manifests: %v", err))
	}
	names := make([]string, 0, len(apis))
	for _, a := range apis {
		names = append(names, a.Name)
	}
	sort.Strings(names)
	return names
}

// Flags are the command-line flags of the suite (cmd/conform and
// go test ./suite -args ...).
type Flags struct {
	ConfigFile   string
	Target       string
	APIs         stringList
	Destructive  bool
	JUnit        string
	JSON         string
	Timeout      time.Duration
	Token        string
	LimitedToken string
	Verbose      bool
	HTML         string
	Seed         uint64
	Examples     int
	Specs        stringList
	MaxRecords   int
	GraphQLPath  string
	Credentials  stringList
	Headers      stringList
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// FlagGroups sorts the flags BindFlags registers (and cmd/conform's
// --help and --version) into the groups of conform --help. A new flag
// joins a group with one line here; cmd/conform's TestHelpGroupsEveryFlag
// fails until it does.
func FlagGroups() []cmdline.Group {
	return []cmdline.Group{
		{Title: "Targets", Flags: []string{
			"target",
			"config",
			"spec",
			"graphql-path",
			"timeout",
		}},
		{Title: "Selection", Flags: []string{
			"api",
			"destructive",
			"max-records",
		}},
		{Title: "Credentials", Flags: []string{
			"token",
			"limited-token",
			"credential",
			"header",
		}},
		{Title: "Reports", Flags: []string{
			"junit",
			"json",
			"html",
			"verbose",
		}},
		{Title: "Generation", Flags: []string{
			"seed",
			"examples",
		}},
		{Title: "About", Flags: []string{
			"help",
			"version",
		}},
	}
}

// BindFlags registers the suite's flags on fs (cmd/conform, and the
// Ginkgo suite under go test ./suite -args ...).
func BindFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.ConfigFile, "config", "", "read the targets from conform.yaml `FILE`: per API a base URL, a valid token, optionally a limited token, roles, ids and hooks")
	fs.StringVar(&f.Target, "target", "", "base `URL` of every selected API (default: start the bundled mock in-process and check it)")
	fs.Var(&f.APIs, "api", "check only API `NAME` (repeatable): "+strings.Join(APINames(), ", "))
	fs.BoolVar(&f.Destructive, "destructive", false, "also run the checks that change data or spend a rate limit (always on against the in-process mock)")
	fs.StringVar(&f.JUnit, "junit", "", "write a JUnit XML report to `FILE`")
	fs.StringVar(&f.JSON, "json", "", "write a JSON report to `FILE`")
	fs.DurationVar(&f.Timeout, "timeout", 10*time.Second, "give up on each HTTP request after `DURATION`")
	fs.StringVar(&f.Token, "token", "", "valid `TOKEN` for every API (overrides conform.yaml; default with --target: the bundled standin-admin)")
	fs.StringVar(&f.LimitedToken, "limited-token", "", "limited `TOKEN` for every API, for the 403 / FORBIDDEN checks")
	fs.BoolVar(&f.Verbose, "verbose", false, "report every check, not only failures")
	fs.StringVar(&f.HTML, "html", "", "write a self-contained HTML report to `FILE`")
	fs.Uint64Var(&f.Seed, "seed", 0, "seed `N` of the property-based checks (default 1: the same seed sends the same requests; a failure prints the seed that reproduces it)")
	fs.IntVar(&f.Examples, "examples", 0, fmt.Sprintf("send `N` random requests per property-based check (default %d)", DefaultExamples))
	fs.Var(&f.Specs, "spec", "check an API that is not bundled against its contract `FILE` (repeatable; OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON, or GraphQL SDL); needs --target, and credentials when the contract declares security")
	fs.StringVar(&f.GraphQLPath, "graphql-path", "", "ask the GraphQL endpoint of each --spec API at `PATH` (default "+DefaultGraphQLPath+"; graphqlPath in conform.yaml)")
	fs.Var(&f.Credentials, "credential", "send `NAME=VALUE` where the contract's security scheme NAME says (repeatable): an apiKey in its header, query parameter or cookie, a bearer token, basic as user:password, oauth2 and openIdConnect as bearer tokens")
	fs.Var(&f.Headers, "header", "add the header `'Name: value'` to every request (repeatable)")
	fs.IntVar(&f.MaxRecords, "max-records", 0, fmt.Sprintf("read at most `N` records per list operation or connection (default %d, or maxRecords in conform.yaml)", DefaultMaxRecords))
	return f
}

// Config builds and validates the configuration the flags describe. Errors
// wrap ErrUsage.
func (f *Flags) Config() (Config, error) {
	if len(f.Specs) > 0 {
		return f.specConfig()
	}
	if f.GraphQLPath != "" {
		return Config{}, fmt.Errorf("%w: --graphql-path goes with --spec (in conform.yaml: graphqlPath per API)", ErrUsage)
	}
	var cfg Config
	if f.ConfigFile != "" {
		loaded, err := LoadFile(f.ConfigFile)
		if err != nil {
			return Config{}, err
		}
		cfg = loaded
	}
	switch {
	case f.ConfigFile == "" && f.Target == "":
		cfg.Bundled = true
		targets, err := BundledTargets("") // base URL set when the mock starts
		if err != nil {
			return Config{}, err
		}
		cfg.APIs = targets
	case f.ConfigFile == "":
		targets, err := BundledTargets(f.Target)
		if err != nil {
			return Config{}, err
		}
		cfg.APIs = targets
	case f.Target != "":
		for name, a := range cfg.APIs {
			a.BaseURL = f.Target
			cfg.APIs[name] = a
		}
	}
	if len(f.APIs) > 0 {
		picked := map[string]APIConfig{}
		for _, name := range f.APIs {
			a, ok := cfg.APIs[name]
			if !ok {
				return Config{}, fmt.Errorf("%w: --api %q: not a configured API (have %s)", ErrUsage, name, strings.Join(sortedKeys(cfg.APIs), ", "))
			}
			picked[name] = a
		}
		cfg.APIs = picked
	}
	for name, a := range cfg.APIs {
		if f.Token != "" {
			a.Token = f.Token
		}
		if f.LimitedToken != "" {
			a.LimitedToken = f.LimitedToken
		}
		cfg.APIs[name] = a
	}
	if err := f.applyCredentials(&cfg); err != nil {
		return Config{}, err
	}
	if f.Destructive || cfg.Bundled {
		cfg.Destructive = true
	}
	if f.Timeout > 0 {
		cfg.Timeout = manifest.Duration(f.Timeout)
	} else if f.Timeout < 0 {
		return Config{}, fmt.Errorf("%w: --timeout must be positive", ErrUsage)
	}
	cfg.JUnit, cfg.JSON, cfg.Verbose = f.JUnit, f.JSON, f.Verbose
	if err := f.applyMore(&cfg); err != nil {
		return Config{}, err
	}
	if f.MaxRecords < 0 {
		return Config{}, fmt.Errorf("%w: --max-records must be positive", ErrUsage)
	}
	if f.MaxRecords > 0 {
		cfg.MaxRecords = f.MaxRecords
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// LoadFile reads a conform.yaml. ${VAR} in tokens and base URLs is
// expanded from the environment.
func LoadFile(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("%w: --config: %v", ErrUsage, err)
	}
	return parseFile(path, data)
}

// parseFile reads the conform.yaml named file from data: a user's
// (LoadFile) and the bundled targets' (BundledTargets) alike.
func parseFile(file string, data []byte) (Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("%w: %s: %v", ErrUsage, file, err)
	}
	for name, a := range cfg.APIs {
		a.BaseURL = os.ExpandEnv(a.BaseURL)
		a.Token = os.ExpandEnv(a.Token)
		a.LimitedToken = os.ExpandEnv(a.LimitedToken)
		a.expandEnv()
		cfg.APIs[name] = a
	}
	return cfg, nil
}

// Validate checks the configuration; errors wrap ErrUsage.
func (c *Config) Validate() error {
	known := map[string]bool{}
	for _, n := range APINames() {
		known[n] = true
	}
	if len(c.APIs) == 0 {
		return fmt.Errorf("%w: no API to check", ErrUsage)
	}
	if c.Timeout <= 0 {
		c.Timeout = manifest.Duration(10 * time.Second)
	}
	if c.MaxRecords < 0 {
		return fmt.Errorf("%w: maxRecords must be positive", ErrUsage)
	}
	if c.MaxRecords == 0 {
		c.MaxRecords = DefaultMaxRecords
	}
	if c.Examples <= 0 {
		c.Examples = DefaultExamples
	}
	for _, name := range sortedKeys(c.APIs) {
		a := c.APIs[name]
		if !known[name] && a.Spec == "" {
			return fmt.Errorf("%w: unknown API %q (known: %s)", ErrUsage, name, strings.Join(APINames(), ", "))
		}
		if c.Bundled && a.BaseURL == "" {
			continue
		}
		u, err := url.Parse(a.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: API %s: baseURL %q must be an absolute http(s) URL", ErrUsage, name, a.BaseURL)
		}
		a.BaseURL = strings.TrimRight(a.BaseURL, "/")
		if a.Token == "" && a.Spec == "" && len(a.Credentials) == 0 {
			// A bundled API's contract demands a credential; whether an
			// API of a --spec contract needs one, its contract says
			// (engine.NewEnv).
			return fmt.Errorf("%w: API %s: a valid token is required", ErrUsage, name)
		}
		if err := a.GraphQL.validate(name); err != nil {
			return err
		}
		c.APIs[name] = a
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
