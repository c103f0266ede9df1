package gqlhttp

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/standin/standin/internal/graphql/exec"
)

// cachedDoc is a parsed and validated document, or the errors that
// prevented it (those are answered but never cached).
type cachedDoc struct {
	doc   *ast.QueryDocument
	plans *exec.PlanCache
	errs  gqlerror.List
	// validation is true when errs are validation (not parse) errors.
	validation bool
	// warnings are the repairs Config.Repair made to the document (see
	// Config.Repair); they go to the response's extensions.warnings.
	warnings []string
}

// docCache is a concurrency-safe LRU keyed by query text.
type docCache struct {
	mu     sync.Mutex
	max    int
	ll     *list.List
	items  map[string]*list.Element
	hits   atomic.Uint64
	misses atomic.Uint64
}

type cacheEntry struct {
	key string
	val *cachedDoc
}

func newDocCache(max int) *docCache {
	return &docCache{max: max, ll: list.New(), items: make(map[string]*list.Element, max)}
}

func (c *docCache) get(key string) (*cachedDoc, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	el, ok := c.items[key]
	if ok {
		c.ll.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return el.Value.(*cacheEntry).val, true
}

func (c *docCache) put(key string, val *cachedDoc) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		el.Value.(*cacheEntry).val = val
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key: key, val: val})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*cacheEntry).key)
	}
}

func (c *docCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
