// Package config holds the mock server's one Config struct: what it reads
// from a YAML file (--config), from STANDIN_* environment variables and from
// flags, in that order of precedence (flags win). The Config is validated
// once, by Validate, and then passed down; nothing else reads flags or the
// environment.
package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/standin/standin/internal/manifest"
)

// Defaults.
const (
	DefaultAddr        = "127.0.0.1:8080"
	DefaultSeed        = 1
	DefaultJournalSize = 1000
	DefaultHoldCap     = 30 * time.Second
	DefaultMaxBody     = 1 << 20
)

// Maxima of the configuration, checked by Validate. Record counts are
// sized to memory: a generated record takes 600 to 850 bytes in the store,
// so MaxRecords records need about 4 GiB.
const (
	// MaxConfigFileBytes bounds the configuration file; it must also be a
	// regular file (not a device or a pipe).
	MaxConfigFileBytes = 4 << 20
	// MaxJournalSize bounds journalSize (entries; the ring is allocated
	// whole at start-up, about 200 bytes an entry).
	MaxJournalSize = 100_000
	// MaxRecords bounds each collection's count and all counts together.
	MaxRecords = 5_000_000
	// MaxBodyBytesLimit bounds maxBodyBytes.
	MaxBodyBytesLimit = 64 << 20
	// MaxHoldCap bounds holdCap.
	MaxHoldCap = time.Hour
	// MaxRateLimit bounds a rate limit's requests per window.
	MaxRateLimit = 1_000_000_000
	// MaxRateWindow bounds a rate limit's window.
	MaxRateWindow = 7 * 24 * time.Hour
	// MaxTextLen bounds adminToken, prefixes, scenario names and folder
	// paths (bytes).
	MaxTextLen = 4096
)

// Config is everything the mock server can be told.
type Config struct {
	// Addr is the HOST:PORT to listen on.
	Addr string `yaml:"addr"`
	// Seed makes generated data deterministic: same seed, same data.
	Seed uint64 `yaml:"seed"`
	// APIs configures individual APIs by name.
	APIs map[string]API `yaml:"apis"`
	// JournalSize bounds the request journal (entries).
	JournalSize int `yaml:"journalSize"`
	// JournalBodies makes the journal keep each request's and response's
	// headers and the start of their bodies, secrets redacted.
	JournalBodies bool `yaml:"journalBodies"`
	// AdminToken protects the control API. Required when Addr is not loopback.
	AdminToken string `yaml:"adminToken"`
	// State, when set (redis://HOST:PORT/DB), shares the data, rate limits
	// and sticky scenarios with every replica using the same Redis; empty
	// keeps all state in this process.
	State string `yaml:"state"`
	// HoldCap is how long the timeout scenario holds a request at most.
	HoldCap manifest.Duration `yaml:"holdCap"`
	// MaxBodyBytes bounds request bodies.
	MaxBodyBytes int64 `yaml:"maxBodyBytes"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"logLevel"`
	// LogFormat is text (logfmt-style key=value lines, the default) or json
	// (one JSON object per line).
	LogFormat string `yaml:"logFormat"`
	// StrictGraphQL turns off the repair of GraphQL documents whose only
	// faults are undeclared variables, an object field without a selection
	// set or one missing opening brace (the mistakes of documentation
	// examples): they are then rejected, as a strict server would.
	StrictGraphQL bool `yaml:"strictGraphQL"`
	// SpecsDir, FixturesDir and ScenariosDir, when set, replace the bundled
	// specs, fixtures and scenarios with folders on disk.
	SpecsDir     string `yaml:"specsDir"`
	FixturesDir  string `yaml:"fixturesDir"`
	ScenariosDir string `yaml:"scenariosDir"`
	// Watch reloads scenario, fixture, spec and manifest files from the
	// folders on disk above when they change.
	Watch bool `yaml:"watch"`
	// Specs are the user's own contracts served beside the bundled APIs,
	// each "FILE" or "NAME=FILE": an OpenAPI 3.0 or 3.1 document (YAML or
	// JSON) or a GraphQL SDL, its collections inferred (package specinfer).
	Specs List `yaml:"specs"`
	// APIsDirs are folders of api.yaml-based APIs (<dir>/<api>/api.yaml
	// with the specs it names, fixtures/ and scenarios/ beside it) served
	// beside the bundled APIs.
	APIsDirs List `yaml:"apisDir"`
	// CORS says which browser pages of other origins may call the mock
	// (default: any origin).
	CORS CORS `yaml:"cors"`
}

// List is a list of strings that YAML may also give as one string.
type List []string

// UnmarshalYAML reads a string or a sequence of strings.
func (l *List) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		var s string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*l = List{s}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*l = list
	return nil
}

// SplitSpec splits a --spec value "NAME=FILE" or "FILE" (name "" then).
// A "=" belongs to the name only when what precedes it is a valid API
// name, so a file path containing "=" still works.
func SplitSpec(v string) (name, file string) {
	if n, f, ok := strings.Cut(v, "="); ok && specName.MatchString(n) {
		return n, f
	}
	return "", v
}

var specName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// API configures one API.
type API struct {
	// Enabled turns the API off when false (default on).
	Enabled *bool `yaml:"enabled"`
	// Prefix mounts the API under a path prefix (default: the manifest's).
	Prefix string `yaml:"prefix"`
	// Counts overrides generated record counts by collection name.
	Counts map[string]int `yaml:"counts"`
	// RateLimit overrides (or adds) the API's rate limit per token.
	RateLimit *manifest.RateLimit `yaml:"rateLimit"`
	// Scenario is the sticky scenario at start-up.
	Scenario string `yaml:"scenario"`
}

// On reports whether the API is enabled.
func (a API) On() bool { return a.Enabled == nil || *a.Enabled }

// Default returns the configuration used when nothing is said.
func Default() Config {
	return Config{
		Addr:         DefaultAddr,
		Seed:         DefaultSeed,
		JournalSize:  DefaultJournalSize,
		HoldCap:      manifest.Duration(DefaultHoldCap),
		MaxBodyBytes: DefaultMaxBody,
		LogLevel:     "info",
		LogFormat:    "text",
	}
}

// Parse reads a YAML configuration over the defaults; unknown keys are errors.
func Parse(data []byte) (Config, error) {
	c := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// Load reads a YAML configuration file: a regular file of at most
// MaxConfigFileBytes.
func Load(path string) (Config, error) {
	data, err := readConfigFile(path)
	if err != nil {
		return Config{}, err
	}
	c, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// readConfigFile reads path if it is a regular file of at most
// MaxConfigFileBytes (never more, even if it grows while read).
func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if m := st.Mode(); !m.IsRegular() {
		kind := "a special file"
		switch {
		case m.IsDir():
			kind = "a directory"
		case m&os.ModeDevice != 0:
			kind = "a device"
		case m&os.ModeNamedPipe != 0:
			kind = "a named pipe"
		case m&os.ModeSocket != 0:
			kind = "a socket"
		}
		return nil, fmt.Errorf("config %s: %s, not a regular file", path, kind)
	}
	if st.Size() > MaxConfigFileBytes {
		return nil, fmt.Errorf("config %s: %d bytes, more than the maximum of %d", path, st.Size(), MaxConfigFileBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if len(data) > MaxConfigFileBytes {
		return nil, fmt.Errorf("config %s: more than the maximum of %d bytes", path, MaxConfigFileBytes)
	}
	return data, nil
}

// SetScenario records a sticky scenario for an API.
func (c *Config) SetScenario(api, name string) {
	if c.APIs == nil {
		c.APIs = map[string]API{}
	}
	a := c.APIs[api]
	a.Scenario = name
	c.APIs[api] = a
}

// Validate checks the configuration once, before anything uses it.
func (c Config) Validate() error {
	var errs []error
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want HOST:PORT", c.Addr))
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		errs = append(errs, fmt.Errorf("addr %q: bad port", c.Addr))
	} else if !IsLoopback(host) && c.AdminToken == "" {
		errs = append(errs, fmt.Errorf("addr %q is not a loopback address: set an admin token (--admin-token or adminToken) to protect the control API", c.Addr))
	}
	if c.State != "" && !strings.HasPrefix(c.State, "redis://") && !strings.HasPrefix(c.State, "rediss://") {
		errs = append(errs, fmt.Errorf("state %.80q: want redis://HOST:PORT/DB", c.State))
	}
	if c.JournalSize < 0 || c.JournalSize > MaxJournalSize {
		errs = append(errs, fmt.Errorf("journalSize %d: want 0 to %d entries", c.JournalSize, MaxJournalSize))
	}
	if c.HoldCap < 0 || time.Duration(c.HoldCap) > MaxHoldCap {
		errs = append(errs, fmt.Errorf("holdCap %s: want 0 to %s", time.Duration(c.HoldCap), MaxHoldCap))
	}
	if err := c.CORS.validate(); err != nil {
		errs = append(errs, err)
	}
	if c.MaxBodyBytes <= 0 || c.MaxBodyBytes > MaxBodyBytesLimit {
		errs = append(errs, fmt.Errorf("maxBodyBytes %d: want 1 to %d", c.MaxBodyBytes, MaxBodyBytesLimit))
	}
	for _, v := range append(append([]string(nil), c.Specs...), c.APIsDirs...) {
		if _, file := SplitSpec(v); file == "" || len(v) > MaxTextLen {
			errs = append(errs, fmt.Errorf("specs/apisDir entry %.80q: want [NAME=]FILE or DIR of at most %d bytes", v, MaxTextLen))
		}
	}
	for _, t := range []struct{ name, v string }{{"adminToken", c.AdminToken}, {"addr", c.Addr}, {"specsDir", c.SpecsDir}, {"fixturesDir", c.FixturesDir}, {"scenariosDir", c.ScenariosDir}} {
		if len(t.v) > MaxTextLen {
			errs = append(errs, fmt.Errorf("%s: %d bytes, more than the maximum of %d", t.name, len(t.v), MaxTextLen))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("logLevel %q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("logFormat %q: want text or json", c.LogFormat))
	}
	names := make([]string, 0, len(c.APIs))
	for n := range c.APIs {
		names = append(names, n)
	}
	sort.Strings(names)
	total := 0
	for _, n := range names {
		a := c.APIs[n]
		if len(n) > MaxTextLen {
			errs = append(errs, fmt.Errorf("apis: a name of %d bytes, more than the maximum of %d", len(n), MaxTextLen))
			continue
		}
		cols := make([]string, 0, len(a.Counts))
		for col := range a.Counts {
			cols = append(cols, col)
		}
		sort.Strings(cols)
		for _, col := range cols {
			cnt := a.Counts[col]
			if cnt < 0 || cnt > MaxRecords {
				errs = append(errs, fmt.Errorf("apis.%s.counts.%s %d: want 0 to %d records (about 850 bytes each)", n, col, cnt, MaxRecords))
				continue
			}
			total += cnt
		}
		if a.RateLimit != nil {
			if a.RateLimit.Limit <= 0 || a.RateLimit.Window <= 0 {
				errs = append(errs, fmt.Errorf("apis.%s.rateLimit needs a positive limit and window", n))
			} else if a.RateLimit.Limit > MaxRateLimit || time.Duration(a.RateLimit.Window) > MaxRateWindow {
				errs = append(errs, fmt.Errorf("apis.%s.rateLimit: want a limit of at most %d per a window of at most %s", n, MaxRateLimit, MaxRateWindow))
			}
		}
		if a.Prefix != "" && (!strings.HasPrefix(a.Prefix, "/") || strings.HasSuffix(a.Prefix, "/")) {
			errs = append(errs, fmt.Errorf("apis.%s.prefix %q must start with / and not end with /", n, a.Prefix))
		} else if a.Prefix != "" {
			if msg := prefixProblem(a.Prefix); msg != "" {
				errs = append(errs, fmt.Errorf("apis.%s.prefix %q: %s", n, a.Prefix, msg))
			}
		}
		if len(a.Prefix) > MaxTextLen || len(a.Scenario) > MaxTextLen {
			errs = append(errs, fmt.Errorf("apis.%s: prefix or scenario longer than %d bytes", n, MaxTextLen))
		}
	}
	if total > MaxRecords {
		errs = append(errs, fmt.Errorf("counts: %d records in all, more than the maximum of %d (about 850 bytes each)", total, MaxRecords))
	}
	return errors.Join(errs...)
}

// prefixProblem says what is wrong with a mount prefix that starts with /
// and does not end with one: each segment must be non-empty, of unreserved
// URL characters (RFC 3986: letters, digits, - . _ ~), not "." or "..",
// and the prefix must not hide the control API under /__standin.
func prefixProblem(prefix string) string {
	for _, seg := range strings.Split(prefix[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "empty, . or .. segment"
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
				return fmt.Sprintf("character %q: use letters, digits, - . _ ~", r)
			}
		}
	}
	if prefix == "/__standin" || strings.HasPrefix(prefix, "/__standin/") {
		return "the control API's path"
	}
	return ""
}

// IsLoopback reports whether host names only this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Flags binds a FlagSet to a Config: --addr, --config, --seed, --scenario
// API=NAME (repeatable), --admin-token, --journal-size, --log-level,
// --log-format, --cors. Call Resolve after parsing to apply the file,
// environment and flags in order.
type Flags struct {
	fs        *flag.FlagSet
	config    string
	addr      string
	seed      string
	scenarios scenarioList
	specs     scenarioList
	apisDirs  scenarioList
	admin     string
	state     string
	journal   string
	logLevel  string
	logFormat string
	watch     bool
	cors      boolOrList
}

type scenarioList []string

func (s *scenarioList) String() string     { return strings.Join(*s, ",") }
func (s *scenarioList) Set(v string) error { *s = append(*s, v); return nil }

// Bind registers the flags on fs.
func Bind(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs}
	fs.StringVar(&f.config, "config", "", "YAML configuration file (env STANDIN_CONFIG)")
	fs.StringVar(&f.addr, "addr", "", "listen address HOST:PORT (env STANDIN_ADDR, default "+DefaultAddr+")")
	fs.StringVar(&f.seed, "seed", "", "seed for generated data; same seed, same data (env STANDIN_SEED, default 1)")
	fs.Var(&f.scenarios, "scenario", "sticky scenario API=NAME, repeatable (env STANDIN_SCENARIO, comma-separated)")
	fs.StringVar(&f.admin, "admin-token", "", "Bearer token that protects the control API (env STANDIN_ADMIN_TOKEN)")
	fs.StringVar(&f.state, "state", "", "share state between replicas through Redis, redis://HOST:PORT/DB (env STANDIN_STATE; default: in this process)")
	fs.StringVar(&f.journal, "journal-size", "", "request journal size (env STANDIN_JOURNAL_SIZE, default 1000)")
	fs.StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error (env STANDIN_LOG_LEVEL)")
	fs.StringVar(&f.logFormat, "log-format", "", "text or json (env STANDIN_LOG_FORMAT, default text)")
	fs.BoolVar(&f.watch, "watch", false, "reload changed scenario, fixture, spec and manifest files from the folders on disk (env STANDIN_WATCH)")
	fs.Var(&f.specs, "spec", "serve your own OpenAPI 3.0/3.1 document or GraphQL SDL, [NAME=]FILE, repeatable (env STANDIN_SPEC, comma-separated)")
	fs.Var(&f.apisDirs, "apis-dir", "add a folder of api.yaml-based APIs beside the bundled ones, repeatable (env STANDIN_APIS_DIR, comma-separated)")
	fs.Var(&f.cors, "cors", "CORS for browser pages of other origins: on for any origin by default; --cors=false turns it off, --cors=ORIGIN,... allows only those (patterns such as http://localhost:*) (env STANDIN_CORS)")
	return f
}

// Resolve builds the Config: defaults, then the config file, then the
// environment (getenv), then flags that were set. The result is validated.
func (f *Flags) Resolve(getenv func(string) string) (Config, error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	pick := func(name, flagVal string) string {
		if set[name] {
			return flagVal
		}
		return getenv("STANDIN_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")))
	}
	c := Default()
	if path := pick("config", f.config); path != "" {
		var err error
		if c, err = Load(path); err != nil {
			return Config{}, err
		}
	}
	if v := pick("addr", f.addr); v != "" {
		c.Addr = v
	}
	if v := pick("seed", f.seed); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return Config{}, fmt.Errorf("seed %q: want a non-negative integer", v)
		}
		c.Seed = n
	}
	if v := pick("admin-token", f.admin); v != "" {
		c.AdminToken = v
	}
	if v := pick("state", f.state); v != "" {
		c.State = v
	}
	if v := pick("journal-size", f.journal); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return Config{}, fmt.Errorf("journal-size %q: want an integer", v)
		}
		c.JournalSize = n
	}
	if v := pick("log-level", f.logLevel); v != "" {
		c.LogLevel = v
	}
	if v := pick("log-format", f.logFormat); v != "" {
		c.LogFormat = v
	}
	if set["watch"] {
		c.Watch = f.watch
	} else if v := getenv("STANDIN_WATCH"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Config{}, fmt.Errorf("STANDIN_WATCH %q: want true or false", v)
		}
		c.Watch = b
	}
	for _, l := range []struct {
		flag string
		vals []string
		dst  *List
	}{{"spec", f.specs, &c.Specs}, {"apis-dir", f.apisDirs, &c.APIsDirs}} {
		vals := l.vals
		if !set[l.flag] {
			if v := getenv("STANDIN_" + strings.ToUpper(strings.ReplaceAll(l.flag, "-", "_"))); v != "" {
				vals = strings.Split(v, ",")
			}
		}
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				*l.dst = append(*l.dst, v)
			}
		}
	}
	if v := pick("cors", string(f.cors)); v != "" {
		cors, err := ParseCORS(v)
		if err != nil {
			return Config{}, err
		}
		c.CORS = cors
	}
	scen := []string(f.scenarios)
	if !set["scenario"] {
		if v := getenv("STANDIN_SCENARIO"); v != "" {
			scen = strings.Split(v, ",")
		}
	}
	for _, s := range scen {
		api, name, ok := strings.Cut(strings.TrimSpace(s), "=")
		if !ok || api == "" || name == "" {
			return Config{}, fmt.Errorf("scenario %q: want API=NAME", s)
		}
		c.SetScenario(api, name)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}
