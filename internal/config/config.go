// Package config holds the mock server's one Config struct: what it reads
// from a YAML file (--config), from STANDIN_* environment variables and from
// flags, in that order of precedence (flags win). The Config is validated
// once, by Validate, and then passed down; nothing else reads flags or the
// environment.
package config

import (
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

	"github.com/standin/standin/internal/cmdline"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/usererr"
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
	// Credentials pin, for an API whose manifest says auth.fromSpec (every
	// --spec API), the one credential each named security scheme accepts
	// (an API key's value, a bearer token, "user:password" for basic);
	// a scheme not named accepts any well-formed credential.
	Credentials map[string]string `yaml:"credentials"`
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

// Parse reads a YAML configuration over the defaults; unknown keys are
// errors. Mistakes are *usererr.Error values with line and column.
func Parse(data []byte) (Config, error) {
	c, _, err := parse("", data)
	return c, err
}

// parse is Parse naming the file in errors, and returns the YAML tree for
// placing later ones.
func parse(file string, data []byte) (Config, *yaml.Node, error) {
	c := Default()
	root, err := usererr.DecodeYAML(file, data, &c)
	if err != nil {
		return Config{}, nil, err
	}
	return c, root, nil
}

// Load reads a YAML configuration file: a regular file of at most
// MaxConfigFileBytes. Mistakes are *usererr.Error values naming the file,
// line and column.
func Load(path string) (Config, error) {
	c, _, err := load(path)
	return c, err
}

func load(path string) (Config, *yaml.Node, error) {
	data, err := readConfigFile(path)
	if err != nil {
		return Config{}, nil, err
	}
	return parse(path, data)
}

// readConfigFile reads path if it is a regular file of at most
// MaxConfigFileBytes (never more, even if it grows while read).
func readConfigFile(path string) ([]byte, error) {
	bad := func(problem, fix string, err error) error {
		e := &usererr.Error{Place: usererr.Place{File: path}, Problem: problem, Fix: fix, Err: err}
		if err != nil {
			e.Place = usererr.Place{} // the os error names the file
		}
		return e
	}
	// Stat'ed before it is opened: opening a FIFO with no writer blocks.
	st, err := os.Stat(path)
	if err != nil {
		return nil, bad("config: "+err.Error(), "give --config the path of a YAML file (docs/standin.example.yaml shows one)", err)
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
		return nil, bad(fmt.Sprintf("config: %s, not a regular file", kind), "give --config a YAML file", nil)
	}
	if st.Size() > MaxConfigFileBytes {
		return nil, bad(fmt.Sprintf("config: %d bytes, more than the maximum of %d", st.Size(), MaxConfigFileBytes), "a configuration is a few lines of YAML: give --config the right file", nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, bad("config: "+err.Error(), "give --config a readable YAML file", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigFileBytes+1))
	if err != nil {
		return nil, bad("config: "+err.Error(), "give --config a readable YAML file", err)
	}
	if len(data) > MaxConfigFileBytes {
		return nil, bad(fmt.Sprintf("config: more than the maximum of %d bytes", MaxConfigFileBytes), "a configuration is a few lines of YAML: give --config the right file", nil)
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

// Validate checks the configuration once, before anything uses it. Every
// broken rule is a *usererr.Error whose Key names the setting (journalSize,
// apis.admin.prefix); Flags.Locate places those read from the file.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, fix, format string, args ...any) {
		errs = append(errs, &usererr.Error{Key: key, Problem: fmt.Sprintf(format, args...), Fix: fix})
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		bad("addr", "write HOST:PORT, e.g. 127.0.0.1:8080", "addr %q: want HOST:PORT", c.Addr)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("addr", "write a port from 0 to 65535 (0: any free port)", "addr %q: bad port", c.Addr)
	} else if !IsLoopback(host) && c.AdminToken == "" {
		bad("addr", "set an admin token (--admin-token or adminToken) to protect the control API, or listen on 127.0.0.1",
			"addr %q is not a loopback address", c.Addr)
	}
	if c.State != "" && !strings.HasPrefix(c.State, "redis://") && !strings.HasPrefix(c.State, "rediss://") {
		bad("state", "write redis://HOST:PORT/DB, or leave it out to keep the state in this process", "state %.80q: want redis://HOST:PORT/DB", c.State)
	}
	if c.JournalSize < 0 || c.JournalSize > MaxJournalSize {
		bad("journalSize", "choose a smaller journal (about 200 bytes an entry)", "journalSize %d: want 0 to %d entries", c.JournalSize, MaxJournalSize)
	}
	if c.HoldCap < 0 || time.Duration(c.HoldCap) > MaxHoldCap {
		bad("holdCap", "write a Go duration such as 30s", "holdCap %s: want 0 to %s", time.Duration(c.HoldCap), MaxHoldCap)
	}
	if err := c.CORS.validate(); err != nil {
		bad("cors", "write true, false or a list of origins such as http://localhost:*", "%v", err)
	}
	if c.MaxBodyBytes <= 0 || c.MaxBodyBytes > MaxBodyBytesLimit {
		bad("maxBodyBytes", "write a size in bytes (default 1048576)", "maxBodyBytes %d: want 1 to %d", c.MaxBodyBytes, MaxBodyBytesLimit)
	}
	for _, l := range []struct {
		key  string
		vals List
	}{{"specs", c.Specs}, {"apisDir", c.APIsDirs}} {
		for _, v := range l.vals {
			if _, file := SplitSpec(v); file == "" || len(v) > MaxTextLen {
				bad(l.key, "give each entry as [NAME=]FILE (specs) or DIR (apisDir)",
					"specs/apisDir entry %.80q: want [NAME=]FILE or DIR of at most %d bytes", v, MaxTextLen)
			}
		}
	}
	for _, t := range []struct{ name, v string }{{"adminToken", c.AdminToken}, {"addr", c.Addr}, {"specsDir", c.SpecsDir}, {"fixturesDir", c.FixturesDir}, {"scenariosDir", c.ScenariosDir}} {
		if len(t.v) > MaxTextLen {
			bad(t.name, "shorten it", "%s: %d bytes, more than the maximum of %d", t.name, len(t.v), MaxTextLen)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("logLevel", "write debug, info, warn or error", "logLevel %q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("logFormat", "write text or json", "logFormat %q: want text or json", c.LogFormat)
	}
	names := make([]string, 0, len(c.APIs))
	for n := range c.APIs {
		names = append(names, n)
	}
	sort.Strings(names)
	total := 0
	for _, n := range names {
		a := c.APIs[n]
		key := "apis." + n
		if len(n) > MaxTextLen {
			bad("apis", "name an API of the mock", "apis: a name of %d bytes, more than the maximum of %d", len(n), MaxTextLen)
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
				bad(key+".counts."+col, "choose a smaller count: memory grows with it",
					"apis.%s.counts.%s %d: want 0 to %d records (about 850 bytes each)", n, col, cnt, MaxRecords)
				continue
			}
			total += cnt
		}
		if a.RateLimit != nil {
			if a.RateLimit.Limit <= 0 || a.RateLimit.Window <= 0 {
				bad(key+".rateLimit", "write rateLimit: {limit: 100, window: 15m}", "apis.%s.rateLimit needs a positive limit and window", n)
			} else if a.RateLimit.Limit > MaxRateLimit || time.Duration(a.RateLimit.Window) > MaxRateWindow {
				bad(key+".rateLimit", "choose a smaller limit or window", "apis.%s.rateLimit: want a limit of at most %d per a window of at most %s", n, MaxRateLimit, MaxRateWindow)
			}
		}
		if a.Prefix != "" && (!strings.HasPrefix(a.Prefix, "/") || strings.HasSuffix(a.Prefix, "/")) {
			bad(key+".prefix", "write a path such as /v1", "apis.%s.prefix %q must start with / and not end with /", n, a.Prefix)
		} else if a.Prefix != "" {
			if msg := prefixProblem(a.Prefix); msg != "" {
				bad(key+".prefix", "write a path such as /v1", "apis.%s.prefix %q: %s", n, a.Prefix, msg)
			}
		}
		if len(a.Prefix) > MaxTextLen || len(a.Scenario) > MaxTextLen {
			bad(key, "shorten them", "apis.%s: prefix or scenario longer than %d bytes", n, MaxTextLen)
		}
	}
	if total > MaxRecords {
		bad("apis", "choose smaller counts: memory grows with them", "counts: %d records in all, more than the maximum of %d (about 850 bytes each)", total, MaxRecords)
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
// --log-format, --cors, --watch, --state, --spec and --apis-dir. Call
// Resolve after parsing to apply the file, environment and flags in order.
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

	// file is the configuration file Resolve read ("" for none), root its
	// YAML tree and overridden the keys of it the environment or flags
	// replaced: Locate places errors in what is left.
	file       string
	root       *yaml.Node
	overridden map[string]bool
}

type scenarioList []string

func (s *scenarioList) String() string     { return strings.Join(*s, ",") }
func (s *scenarioList) Set(v string) error { *s = append(*s, v); return nil }

// FlagGroups sorts the flags Bind registers (and the commands' --help and
// --version) into the groups of mockserver --help. A new flag joins a
// group with one line here; cmd/mockserver's TestHelpGroupsEveryFlag fails
// until it does.
func FlagGroups() []cmdline.Group {
	return []cmdline.Group{
		{Title: "Serving", Flags: []string{
			"addr",
			"cors",
			"admin-token",
		}},
		{Title: "Data", Flags: []string{
			"config",
			"seed",
			"spec",
			"apis-dir",
		}},
		{Title: "Scenarios", Flags: []string{
			"scenario",
		}},
		{Title: "State", Flags: []string{
			"state",
			"journal-size",
		}},
		{Title: "Operations", Flags: []string{
			"watch",
			"log-level",
			"log-format",
			"help",
			"version",
		}},
	}
}

// Bind registers the flags on fs.
func Bind(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs}
	fs.StringVar(&f.config, "config", "", "read settings from the YAML `FILE` (env STANDIN_CONFIG; docs/standin.example.yaml is a commented example)")
	fs.StringVar(&f.addr, "addr", "", "listen on `HOST:PORT`; port 0 picks a free one (env STANDIN_ADDR, default "+DefaultAddr+")")
	fs.StringVar(&f.seed, "seed", "", "seed `N` of the generated data: same seed, same data on any machine (env STANDIN_SEED, default 1)")
	fs.Var(&f.scenarios, "scenario", "sticky scenario `API=NAME` from the start, repeatable (env STANDIN_SCENARIO, comma-separated)")
	fs.StringVar(&f.admin, "admin-token", "", "Bearer `TOKEN` the control API requires; needed on a non-loopback address (env STANDIN_ADMIN_TOKEN)")
	fs.StringVar(&f.state, "state", "", "`URL` of a Redis (redis://HOST:PORT/DB) through which replicas share data, rate limits, sticky scenarios and the journal (env STANDIN_STATE; default: all state in this process)")
	fs.StringVar(&f.journal, "journal-size", "", "keep the last `N` requests in the journal (env STANDIN_JOURNAL_SIZE, default 1000)")
	fs.StringVar(&f.logLevel, "log-level", "", "log `LEVEL`: debug, info, warn or error (env STANDIN_LOG_LEVEL, default info)")
	fs.StringVar(&f.logFormat, "log-format", "", "log `FORMAT`: text (key=value lines) or json (env STANDIN_LOG_FORMAT, default text)")
	fs.BoolVar(&f.watch, "watch", false, "reload changed scenario, fixture, spec and manifest files from the folders on disk (env STANDIN_WATCH)")
	fs.Var(&f.specs, "spec", "serve your own OpenAPI 3.0/3.1 document or GraphQL SDL `[NAME=]FILE` beside the bundled APIs, repeatable (env STANDIN_SPEC, comma-separated)")
	fs.Var(&f.apisDirs, "apis-dir", "serve the APIs of folder `DIR` (a sub-folder with an api.yaml each) beside the bundled ones, repeatable (env STANDIN_APIS_DIR, comma-separated)")
	fs.Var(&f.cors, "cors", "CORS for browser pages of other origins: on for any origin by default; --cors=false turns it off, --cors=ORIGIN,... allows only those (patterns such as http://localhost:*) (env STANDIN_CORS)")
	return f
}

// Locate places the errors of err that name a configuration key
// (usererr.Error.Key) read from the configuration file and not replaced by
// the environment or a flag: their Place becomes the key's line and column
// in the file. It returns err. Call it on errors of Resolve's Config found
// later (an API name no manifest declares).
func (f *Flags) Locate(err error) error {
	if f.root == nil {
		return err
	}
	for _, e := range usererr.All(err) {
		if e.Key == "" || e.File != "" {
			continue
		}
		keys := strings.Split(e.Key, ".")
		if f.overridden[keys[0]] || len(keys) == 3 && keys[0] == "apis" && f.overridden[e.Key] {
			continue
		}
		if p, ok := usererr.YAMLFind(f.file, f.root, keys...); ok {
			e.Place = p
		}
	}
	return err
}

// Resolve builds the Config: defaults, then the config file, then the
// environment (getenv), then flags that were set. The result is validated.
func (f *Flags) Resolve(getenv func(string) string) (Config, error) {
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	f.overridden = map[string]bool{}
	pick := func(name, flagVal string) string {
		v := getenv("STANDIN_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")))
		if set[name] {
			v = flagVal
		}
		if v != "" {
			f.overridden[yamlKey(name)] = true
		}
		return v
	}
	c := Default()
	if path := pick("config", f.config); path != "" {
		var err error
		if c, f.root, err = load(path); err != nil {
			return Config{}, err
		}
		f.file = path
	}
	if v := pick("addr", f.addr); v != "" {
		c.Addr = v
	}
	if v := pick("seed", f.seed); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return Config{}, &usererr.Error{Key: "seed", Problem: fmt.Sprintf("seed %q: want a non-negative integer", v), Fix: "write digits only, e.g. --seed 7"}
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
			return Config{}, &usererr.Error{Key: "journalSize", Problem: fmt.Sprintf("journal-size %q: want an integer", v), Fix: "write digits only, e.g. --journal-size 1000"}
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
		f.overridden["watch"] = true
	} else if v := getenv("STANDIN_WATCH"); v != "" {
		f.overridden["watch"] = true
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Config{}, &usererr.Error{Problem: fmt.Sprintf("STANDIN_WATCH %q: want true or false", v), Fix: "set STANDIN_WATCH=true or STANDIN_WATCH=false"}
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
			return Config{}, &usererr.Error{Key: "cors", Problem: err.Error(), Fix: corsFix}
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
			return Config{}, &usererr.Error{Problem: fmt.Sprintf("scenario %q: want API=NAME", s), Fix: "write --scenario admin=no-clients (GET /__standin/scenarios lists them)"}
		}
		c.SetScenario(api, name)
		f.overridden["apis."+api+".scenario"] = true
	}
	if err := c.Validate(); err != nil {
		return Config{}, f.Locate(err)
	}
	return c, nil
}

// yamlKey is the configuration file's key of a flag: journal-size is
// journalSize.
func yamlKey(flagName string) string {
	parts := strings.Split(flagName, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
