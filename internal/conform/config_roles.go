package conform

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/standin/standin/internal/manifest"
)

// Role is one credential of an API with what it must be refused and what
// it may read. Refuse and Read name REST operations (operationId) or
// GraphQL fields (Type.field, e.g. Query.accounts or Admin.allClients);
// RefuseIDs and ReadIDs give, per path parameter or GraphQL argument name,
// ids outside and inside the role's scope.
type Role struct {
	// Name labels the role in reports, e.g. "readonly".
	Name string `yaml:"name" json:"name"`
	// Token is sent as Authorization: Bearer. ${VAR} is expanded.
	Token string `yaml:"token" json:"-"`
	// Refuse lists operations and fields the role must be refused
	// (REST: the documented 403; GraphQL: null with FORBIDDEN).
	Refuse []string `yaml:"refuse" json:"refuse,omitempty"`
	// RefuseIDs lists ids the role may not read, by parameter name.
	RefuseIDs map[string][]string `yaml:"refuseIds" json:"refuseIds,omitempty"`
	// Read lists operations and fields the role may read (a valid answer).
	Read []string `yaml:"read" json:"read,omitempty"`
	// ReadIDs lists ids the role may read, by parameter name.
	ReadIDs map[string][]string `yaml:"readIds" json:"readIds,omitempty"`
}

// Label is the role's name, or "role N" (i is its index).
func (r Role) Label(i int) string {
	if r.Name != "" {
		return r.Name
	}
	return fmt.Sprintf("role %d", i+1)
}

// ResetHook puts an API's target back to a known state before each
// destructive check: an HTTP request (URL, optional Method, Header, Body)
// or a shell command (Command, run with sh -c; non-zero exit fails).
type ResetHook struct {
	Method  string            `yaml:"method" json:"method,omitempty"`
	URL     string            `yaml:"url" json:"url,omitempty"`
	Header  map[string]string `yaml:"header" json:"-"`
	Body    string            `yaml:"body" json:"-"`
	Command string            `yaml:"command" json:"command,omitempty"`
}

// String says what the hook does, for reports.
func (h *ResetHook) String() string {
	if h.Command != "" {
		return "command " + h.Command
	}
	m := h.Method
	if m == "" {
		m = http.MethodPost
	}
	return m + " " + h.URL
}

func (h *ResetHook) validate(api string) error { return h.validateAs(api, "reset") }

// validateAs validates the hook configured under key (reset, setup).
func (h *ResetHook) validateAs(api, key string) error {
	switch {
	case h.Command != "" && h.URL != "":
		return fmt.Errorf("%w: API %s: %s takes a url or a command, not both", ErrUsage, api, key)
	case h.Command == "" && h.URL == "":
		return fmt.Errorf("%w: API %s: %s needs a url (an HTTP request) or a command", ErrUsage, api, key)
	case h.URL != "" && !strings.HasPrefix(h.URL, "http://") && !strings.HasPrefix(h.URL, "https://"):
		return fmt.Errorf("%w: API %s: %s url %q must be an absolute http(s) URL", ErrUsage, api, key, h.URL)
	}
	return nil
}

// Run runs the hook; a transport error, an HTTP status >= 300 or a failed
// command is an error that quotes what the target said.
func (h *ResetHook) Run(client *http.Client, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if h.Command != "" {
		out, err := exec.CommandContext(ctx, "sh", "-c", h.Command).CombinedOutput()
		if err != nil {
			return fmt.Errorf("reset hook %s: %v: %s", h, err, bytes.TrimSpace(out))
		}
		return nil
	}
	m := h.Method
	if m == "" {
		m = http.MethodPost
	}
	var body io.Reader
	if h.Body != "" {
		body = strings.NewReader(h.Body)
	}
	req, err := http.NewRequestWithContext(ctx, m, h.URL, body)
	if err != nil {
		return fmt.Errorf("reset hook %s: %v", h, err)
	}
	for k, v := range h.Header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("reset hook %s: %v", h, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("reset hook %s: HTTP %d: %s", h, resp.StatusCode, bytes.TrimSpace(data))
	}
	return nil
}

// expandEnv expands ${VAR} in the API's roles, rate-limit token and reset
// hook.
func (a *APIConfig) expandEnv() {
	a.RateLimitToken = os.ExpandEnv(a.RateLimitToken)
	for i := range a.Roles {
		a.Roles[i].Token = os.ExpandEnv(a.Roles[i].Token)
	}
	for _, h := range []*ResetHook{a.Reset, a.Setup} {
		if h == nil {
			continue
		}
		h.URL = os.ExpandEnv(h.URL)
		h.Command = os.ExpandEnv(h.Command)
		for k, v := range h.Header {
			h.Header[k] = os.ExpandEnv(v)
		}
	}
	a.Spec = os.ExpandEnv(a.Spec)
	for k, v := range a.Credentials {
		a.Credentials[k] = os.ExpandEnv(v)
	}
	for k, v := range a.Headers {
		a.Headers[k] = os.ExpandEnv(v)
	}
}

// applyMore copies the flags of the property checks, the HTML report and
// --spec into cfg and validates the per-API additions.
func (f *Flags) applyMore(cfg *Config) error {
	cfg.HTML = f.HTML
	if f.Seed != 0 {
		cfg.Seed = f.Seed
	}
	if f.Examples < 0 {
		return fmt.Errorf("%w: --examples must not be negative", ErrUsage)
	}
	if f.Examples > 0 {
		cfg.Examples = f.Examples
	}
	if cfg.Examples == 0 {
		cfg.Examples = DefaultExamples
	}
	for name, a := range cfg.APIs {
		if a.Reset != nil {
			if err := a.Reset.validate(name); err != nil {
				return err
			}
		}
		if a.Setup != nil {
			if err := a.Setup.validateAs(name, "setup"); err != nil {
				return err
			}
		}
		for i, r := range a.Roles {
			if r.Token == "" {
				return fmt.Errorf("%w: API %s: roles[%d] (%s) needs a token", ErrUsage, name, i, r.Label(i))
			}
		}
	}
	return nil
}

// specConfig is the configuration of a --spec run: one API per file,
// named after the file, at --target with the credentials of --token,
// --credential and --header (none when the contract declares no
// security).
func (f *Flags) specConfig() (Config, error) {
	if f.Target == "" {
		return Config{}, fmt.Errorf("%w: --spec needs --target (the base URL of the API)", ErrUsage)
	}
	if f.ConfigFile != "" {
		return Config{}, fmt.Errorf("%w: --spec and --config do not go together (give spec: per API in conform.yaml instead)", ErrUsage)
	}
	cfg := Config{APIs: map[string]APIConfig{}, Destructive: f.Destructive}
	for _, file := range f.Specs {
		if _, err := os.Stat(file); err != nil {
			return Config{}, fmt.Errorf("%w: --spec: %v", ErrUsage, err)
		}
		name := specName(file)
		if _, dup := cfg.APIs[name]; dup {
			name = fmt.Sprintf("%s-%d", name, len(cfg.APIs)+1)
		}
		cfg.APIs[name] = APIConfig{BaseURL: f.Target, Token: f.Token, LimitedToken: f.LimitedToken, Spec: file,
			GraphQL: GraphQLConfig{Path: f.GraphQLPath}}
	}
	cfg.Specs = append([]string(nil), f.Specs...)
	if err := f.applyCredentials(&cfg); err != nil {
		return Config{}, err
	}
	if f.Timeout > 0 {
		cfg.Timeout = manifest.Duration(f.Timeout)
	}
	cfg.JUnit, cfg.JSON, cfg.Verbose = f.JUnit, f.JSON, f.Verbose
	if err := f.applyMore(&cfg); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// HasResetHooks reports whether an API of the run has a reset hook.
func (c *Config) HasResetHooks() bool {
	for _, a := range c.APIs {
		if a.Reset != nil {
			return true
		}
	}
	return false
}

// specName names a --spec API after its file, or after its folder when
// the file has a generic name (books/openapi.yaml: books).
func specName(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	switch strings.ToLower(name) {
	case "openapi", "swagger", "schema", "api", "spec":
		if dir := filepath.Base(filepath.Dir(file)); dir != "." && dir != string(filepath.Separator) {
			return dir
		}
	}
	return name
}

// applyCredentials adds --credential NAME=VALUE and --header 'Name:
// value' to every API of cfg (over conform.yaml's credentials and
// headers of the same names).
func (f *Flags) applyCredentials(cfg *Config) error {
	creds := map[string]string{}
	for _, c := range f.Credentials {
		name, value, ok := strings.Cut(c, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("%w: --credential %q: want NAME=VALUE, NAME a security scheme of the contract (components.securitySchemes)", ErrUsage, c)
		}
		creds[strings.TrimSpace(name)] = value
	}
	headers := map[string]string{}
	for _, h := range f.Headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return fmt.Errorf("%w: --header %q: want 'Name: value'", ErrUsage, h)
		}
		headers[http.CanonicalHeaderKey(name)] = strings.TrimSpace(value)
	}
	for name, a := range cfg.APIs {
		if len(creds) > 0 {
			a.Credentials = merged(a.Credentials, creds)
		}
		if len(headers) > 0 {
			a.Headers = merged(a.Headers, headers)
		}
		cfg.APIs[name] = a
	}
	return nil
}

// merged is base with over's entries put over it (a new map).
func merged(base, over map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}
