package server

// The large data set of the query-timeout scenario, built on first use.

import (
	"fmt"
	"sync"

	"github.com/standin/standin/internal/fixtures"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
)

// LargeCount is how many records the "large" data set of a collection
// holds (the query-timeout scenario's large organization).
const LargeCount = 20000

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
			APIs: []*manifest.API{&copyAPI}, Specs: l.opts.Specs, Fixtures: l.opts.Fixtures, Seed: l.seed, Documents: l.opts.docs,
			Counts: map[string]int{storeName: LargeCount},
		})
	})
	if set.err != nil {
		l.log("large data set unavailable", "collection", storeName, "err", set.err)
		return nil, "", false
	}
	return set.st, storeName, true
}
