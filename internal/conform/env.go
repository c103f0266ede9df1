package conform

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/specs"
)

// Env is what one run's cases share: the configuration, the HTTP client,
// the selected APIs with their loaded contracts, the documented queries and
// a way to reset the target (the bundled mock only).
type Env struct {
	Config Config
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
	// lengths are the APIs whose target answered 411 to a chunked body:
	// their request bodies go with a Content-Length.
	lengths map[string]bool
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

// API is one selected API with its contracts.
type API struct {
	Name     string
	Manifest *manifest.API
	Conf     APIConfig
	// OpenAPI is the REST contract (nil when the API has no REST part).
	OpenAPI *openapi3.T
	// Schema is the GraphQL contract (nil when the API has no GraphQL part).
	Schema      *ast.Schema
	GraphQLPath string
}

// BaseURL is the API's base URL without a trailing slash.
func (a *API) BaseURL() string { return strings.TrimRight(a.Conf.BaseURL, "/") }

// ID returns the first known id of key from the configuration.
func (a *API) ID(key string) string { return a.Conf.IDs[key].First() }

// IDs returns every known id of key from the configuration.
func (a *API) IDs(key string) []string { return a.Conf.IDs[key] }

// NewEnv loads the contracts of the configured APIs from specs.FS.
func NewEnv(cfg Config, queries fs.FS) (*Env, error) {
	all, err := manifest.LoadAll(specs.FS)
	if err != nil {
		return nil, err
	}
	env := &Env{
		Config:  cfg,
		Client:  &http.Client{Timeout: time.Duration(cfg.Timeout)},
		Queries: queries,
		cache:   map[string]string{},
	}
	env.Coverage = newCoverage()
	for _, m := range all {
		conf, ok := cfg.APIs[m.Name]
		if !ok || conf.Spec != "" {
			continue
		}
		a := &API{Name: m.Name, Manifest: m, Conf: conf}
		if m.REST != nil {
			data, err := fs.ReadFile(specs.FS, path.Join(m.Dir, m.REST.Spec))
			if err != nil {
				return nil, err
			}
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.REST.Spec, err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				return nil, fmt.Errorf("%s: %w", m.REST.Spec, err)
			}
			a.OpenAPI = doc
		}
		if m.GraphQL != nil {
			file := path.Join(m.Dir, m.GraphQL.Schema)
			data, err := fs.ReadFile(specs.FS, file)
			if err != nil {
				return nil, err
			}
			schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: file, Input: string(data)})
			if gerr != nil {
				return nil, fmt.Errorf("%s: %w", file, gerr)
			}
			a.Schema, a.GraphQLPath = schema, m.GraphQL.Path
		}
		env.APIs = append(env.APIs, a)
	}
	for _, name := range sortedKeys(cfg.APIs) {
		if conf := cfg.APIs[name]; conf.Spec != "" {
			a, err := specAPI(name, conf)
			if err != nil {
				return nil, err
			}
			env.APIs = append(env.APIs, a)
		}
	}
	sort.Slice(env.APIs, func(i, j int) bool { return env.APIs[i].Name < env.APIs[j].Name })
	return env, nil
}

// SetBaseURL points every API at baseURL (the in-process mock).
func (e *Env) SetBaseURL(baseURL string) {
	for _, a := range e.APIs {
		a.Conf.BaseURL = baseURL
		e.Config.APIs[a.Name] = a.Conf
	}
}

// remember caches a value discovered by one case (an id read from a list)
// for the others.
func (e *Env) remember(key string, f func() string) string {
	e.mu.Lock()
	v, ok := e.cache[key]
	e.mu.Unlock()
	if ok {
		return v
	}
	v = f()
	if v != "" {
		e.mu.Lock()
		e.cache[key] = v
		e.mu.Unlock()
	}
	return v
}

// forget drops discovered values (after a reset or a destructive flow).
func (e *Env) forget() {
	e.mu.Lock()
	e.cache = map[string]string{}
	e.mu.Unlock()
}

// ResetTarget resets the target if it can be reset, and forgets what was
// discovered.
func (e *Env) ResetTarget() error {
	e.forget()
	if e.Reset == nil {
		return nil
	}
	return e.Reset()
}
