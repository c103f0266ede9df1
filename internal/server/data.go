package server

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/sdl"
	"github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/gqlbind"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/gqlhttp"
	"github.com/standin/standin/internal/graphql/lenient"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
)

// LargeCount is how many records the "large" data set of a collection
// holds (the query-timeout scenario's large organization).
const LargeCount = 20000

// DefaultQueryTimeout bounds one GraphQL request when the manifest does not.
const DefaultQueryTimeout = 10 * time.Second

func loadStore(apis []*manifest.API, opts Options, seed uint64, counts map[string]int) (*store.Store, error) {
	return fixtures.Load(fixtures.Options{APIs: apis, Specs: opts.Specs, Fixtures: opts.Fixtures, Seed: seed, Counts: counts,
		Context: opts.Context, Progress: opts.progressFunc()})
}

// largeSets builds, on first use, a read-only copy of a collection with
// LargeCount generated records, in a store of its own so that the main
// store's reset state is never touched.
type largeSets struct {
	api  *manifest.API
	opts Options
	seed uint64
	mu   sync.Mutex
	sets map[string]*largeSet
	log  func(msg string, args ...any)
}

type largeSet struct {
	once sync.Once
	st   *store.Store
	err  error
}

func (l *largeSets) get(storeName string) (*store.Store, string, bool) {
	l.mu.Lock()
	set := l.sets[storeName]
	if set == nil {
		set = &largeSet{}
		l.sets[storeName] = set
	}
	l.mu.Unlock()
	set.once.Do(func() {
		var col *manifest.Collection
		for i := range l.api.Collections {
			if manifest.StoreName(l.api.Name, l.api.Collections[i].Name) == storeName {
				c := l.api.Collections[i]
				col = &c
			}
		}
		if col == nil || col.Generate == nil {
			set.err = fmt.Errorf("collection %s has no generation rules", storeName)
			return
		}
		copyAPI := *l.api
		// REST and GraphQL stay: the fixtures loader finds the collection's
		// schema (e.g. admin's Client) in the API's spec or GraphQL schema.
		copyAPI.Collections = []manifest.Collection{*col}
		set.st, set.err = fixtures.Load(fixtures.Options{
			APIs: []*manifest.API{&copyAPI}, Specs: l.opts.Specs, Fixtures: l.opts.Fixtures, Seed: l.seed,
			Counts: map[string]int{storeName: LargeCount},
		})
	})
	if set.err != nil {
		l.log("large data set unavailable", "collection", storeName, "err", set.err)
		return nil, "", false
	}
	return set.st, storeName, true
}

// buildGraphQL returns the API's GraphQL handler and the gqlhttp.Handler
// inside it, whose Read the scenario stage shares.
func (s *Server) buildGraphQL(a *manifest.API, opts Options, large *largeSets) (*gqlhttp.Handler, http.Handler, error) {
	schema, _, err := sdl.Load(opts.Specs, path.Join(a.Dir, a.GraphQL.Schema), opts.files.options())
	if err != nil {
		return nil, nil, err
	}
	binder, err := gqlbind.New(a, schema, s.store, gqlbind.Options{Large: large.get})
	if err != nil {
		return nil, nil, err
	}
	timeout := time.Duration(a.GraphQL.QueryTimeout)
	if timeout <= 0 {
		timeout = DefaultQueryTimeout
	}
	var repair func(*ast.Schema, string) (*ast.QueryDocument, []string)
	if !s.cfg.StrictGraphQL {
		repair = lenient.RepairSource
	}
	var status func(*http.Request, *exec.Response, int) int
	if s.cfg.State != "" {
		status = unavailableStatus
	}
	h, err := gqlhttp.New(gqlhttp.Config{
		Status:       status,
		Schema:       schema,
		Repair:       repair,
		MaxBodyBytes: s.cfg.MaxBodyBytes,
		Timeout:      timeout,
		Prepare: func(r *http.Request, _ *gqlhttp.Params) (exec.Resolver, any, error) {
			return binder, map[string]any{}, nil
		},
		OnPanic: func(_ context.Context, f exec.FieldContext, recovered any, _ []byte) {
			s.log.Error("panic resolving field", "api", a.Name, "field", f.ParentType+"."+f.Name, "panic", fmt.Sprint(recovered))
		},
	})
	if err != nil {
		return nil, nil, err
	}
	if s.cfg.State == "" {
		return h, h, nil
	}
	return h, retryAfterOn503(h), nil
}
