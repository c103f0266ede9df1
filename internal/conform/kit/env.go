package kit

import (
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
)

// Env is what one run's cases share: the configuration, the HTTP client,
// the selected APIs with their contracts and targets, the documented
// queries and a way to reset the target.
type Env struct {
	Config conform.Config
	Client *http.Client
	APIs   []*API
	// Queries holds <api>/<name>.graphql (+ optional <name>.json variables).
	Queries fs.FS
	// Reset puts the target back to its start state; nil when the target
	// cannot be reset.
	Reset func() error
	// Coverage records what the run's requests exercised.
	Coverage *Coverage

	mu    sync.Mutex
	cache map[string]string
	// seen are the values each API answered to the discovery query
	// (SeenValues), by API name.
	seen map[string]*Seen
	// lengths are the APIs whose target answered 411 to a chunked body:
	// their request bodies go with a Content-Length.
	lengths map[string]bool
}

// NewEnv makes the environment of a run over apis. Its client never
// follows a redirect: a 3xx is the answer the checks judge.
func NewEnv(cfg conform.Config, apis []*API, queries fs.FS) *Env {
	return &Env{
		Config:   cfg,
		Client:   NewClient(time.Duration(cfg.Timeout)),
		APIs:     apis,
		Queries:  queries,
		Coverage: NewCoverage(),
		cache:    map[string]string{},
	}
}

// NewClient is the suite's HTTP client: the timeout of each request, and
// no redirect followed (CheckRedirect answers http.ErrUseLastResponse), so
// that a 301 or 307 where the contract documents 200 is seen as what it
// is.
func NewClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// needsLength reports whether api's request bodies must carry a
// Content-Length (its target refused a chunked one).
func (e *Env) needsLength(api string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lengths[api]
}

// requireLength makes api's later request bodies carry a Content-Length.
func (e *Env) requireLength(api string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lengths == nil {
		e.lengths = map[string]bool{}
	}
	e.lengths[api] = true
}

// SetBaseURL points every API at baseURL (the in-process mock).
func (e *Env) SetBaseURL(baseURL string) {
	for _, a := range e.APIs {
		a.Conf.BaseURL = baseURL
		e.Config.APIs[a.Name] = a.Conf
	}
}

// Remember caches a value discovered by one case (an id read from a list)
// for the others.
func (e *Env) Remember(key string, f func() string) string {
	e.mu.Lock()
	v, ok := e.cache[key]
	e.mu.Unlock()
	if ok {
		return v
	}
	v = f()
	if v != "" {
		e.mu.Lock()
		if e.cache == nil {
			e.cache = map[string]string{}
		}
		e.cache[key] = v
		e.mu.Unlock()
	}
	return v
}

// Forget drops discovered values (after a reset or a destructive flow).
func (e *Env) Forget() {
	e.mu.Lock()
	e.cache = map[string]string{}
	e.seen = nil
	e.mu.Unlock()
}

// seenOf returns the values seen of api, read with read the first time.
func (e *Env) seenOf(api string, read func() *Seen) *Seen {
	e.mu.Lock()
	s, ok := e.seen[api]
	e.mu.Unlock()
	if ok {
		return s
	}
	s = read()
	e.mu.Lock()
	if e.seen == nil {
		e.seen = map[string]*Seen{}
	}
	e.seen[api] = s
	e.mu.Unlock()
	return s
}

// ResetTarget resets the target if it can be reset, and forgets what was
// discovered.
func (e *Env) ResetTarget() error {
	e.Forget()
	if e.Reset == nil {
		return nil
	}
	return e.Reset()
}

// API is one selected API: its contract and its target.
type API struct {
	*model.API
	Conf conform.APIConfig
}

// BaseURL is the API's base URL without a trailing slash.
func (a *API) BaseURL() string { return strings.TrimRight(a.Conf.BaseURL, "/") }

// ID returns the first known id of key from the configuration.
func (a *API) ID(key string) string { return a.Conf.IDs[key].First() }

// IDs returns every known id of key from the configuration.
func (a *API) IDs(key string) []string { return a.Conf.IDs[key] }

// Credentials are the valid token of the target sent as Authorization:
// Bearer (the GraphQL endpoints'). A REST operation's credentials are the
// ones its contract's security says (CredentialsFor, OpCredentials).
func (a *API) Credentials() Credentials { return a.CredentialsOf(a.Conf.Token) }

// LimitedCredentials are the limited token's credentials (none when no
// limited token is configured).
func (a *API) LimitedCredentials() Credentials { return a.CredentialsOf(a.Conf.LimitedToken) }

// CredentialsOf sends another secret (a role's token, the rate-limit
// token, an unknown token) the way Credentials go; "" sends none. For a
// REST operation, CredentialsAs sends it the way the operation's
// contract says.
func (a *API) CredentialsOf(secret string) Credentials { return Bearer(secret) }

// Open reports whether the API is checked without a credential: none is
// configured, so the checks send none and those that need one to be
// refused have nothing to check.
func (a *API) Open() bool { return a.Conf.Token == "" }

// FieldCode is the extensions.code a GraphQL field error answered with
// this HTTP status must carry: the API's documented code when its
// configuration requires codes of field errors (errorCodes: fields or
// required), else "" (an error is enough: the GraphQL specification makes
// extensions optional).
func (a *API) FieldCode(status int) string {
	if !a.Conf.GraphQL.CodesRequired(false) {
		return ""
	}
	return a.GraphQLErrorCode(status)
}

// RequestCodesRequired reports whether errors answering a malformed
// request (a body that is not a GraphQL request) must carry
// extensions.code (errorCodes: required).
func (a *API) RequestCodesRequired() bool { return a.Conf.GraphQL.CodesRequired(true) }
