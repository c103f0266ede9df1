// Package respcache keeps whole answers (status, the headers the handler
// set, body) that do not change between identical requests, so the mock
// sends bytes it already made instead of computing them again.
//
// A Cache is bounded in bytes (keys, headers and bodies counted) and evicts
// with CLOCK (second chance): a hit only sets a flag under a read lock, so
// concurrent hits do not serialise on a list update. Every entry carries the
// data version it was made from; an entry whose version is not the current
// one is never served (it is a miss, and the next Put replaces it in
// place). What goes into the key — and so what an answer may depend on — is
// the caller's choice; see KeyBuilder.
package respcache

import (
	"encoding/binary"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
)

// Defaults for New's zero arguments.
const (
	// DefaultMaxBytes bounds a cache's entries in total.
	DefaultMaxBytes = 32 << 20
	// DefaultMaxEntryBytes bounds one entry: bigger answers are streamed
	// to the client as usual and not kept.
	DefaultMaxEntryBytes = 1 << 20
	// entryOverhead is what an entry costs besides its key, headers and
	// body (the structs, map slot and ring slot), counted in its size.
	entryOverhead = 160
)

// Entry is one kept answer. Entries returned by Get are shared between
// requests: treat them as read-only.
type Entry struct {
	// Status is the HTTP status the handler answered with.
	Status int
	// Header holds the headers the handler set (not those set before it
	// ran), with Content-Length added.
	Header http.Header
	// Body is the whole answer body.
	Body []byte

	version uint64
	size    int64
	key     string
	slot    int
	ref     atomic.Bool
	// served is set by the entry's first hit; staleMisses counts the
	// misses that found it outdated (see Lookup).
	served      atomic.Bool
	staleMisses atomic.Uint32
}

// WriteTo sends the entry on w: its headers over those already set, its
// status and body.
func (e *Entry) WriteTo(w http.ResponseWriter) error {
	h := w.Header()
	for k, v := range e.Header {
		h[k] = v
	}
	w.WriteHeader(e.Status)
	_, err := w.Write(e.Body)
	return err
}

// Stats counts what a cache did since it was made.
type Stats struct {
	Hits, Misses, Stores, Evictions uint64
	// Stale counts the misses that found an entry of an older version.
	Stale uint64
	// Entries and Bytes are what the cache holds now.
	Entries int
	Bytes   int64
}

// Cache is a byte-bounded map from request keys to answers. It is safe for
// concurrent use. The zero value is not usable; call New.
type Cache struct {
	maxBytes, maxEntry int64

	mu    sync.RWMutex
	items map[string]*Entry
	ring  []*Entry // CLOCK ring; nil slots are free
	free  []int    // free ring slots
	hand  int
	used  int64

	hits, misses, stores, evictions, stale atomic.Uint64

	keys sync.Pool // *KeyBuilder
}

// New returns a cache holding at most maxBytes, each entry at most
// maxEntry bytes. Zero arguments take DefaultMaxBytes and
// DefaultMaxEntryBytes; maxEntry is capped at maxBytes.
func New(maxBytes, maxEntry int64) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxEntry <= 0 {
		maxEntry = DefaultMaxEntryBytes
	}
	maxEntry = min(maxEntry, maxBytes)
	c := &Cache{maxBytes: maxBytes, maxEntry: maxEntry, items: map[string]*Entry{}}
	c.keys.New = func() any { return &KeyBuilder{b: make([]byte, 0, 256)} }
	return c
}

// MaxEntryBytes is the size of the biggest answer the cache keeps (its
// body; key and headers count too, see Put).
func (c *Cache) MaxEntryBytes() int64 { return c.maxEntry }

// RetryEvery is how often a key whose last entry went stale unserved is
// captured again: when the data changes between every two requests, only
// one answer in RetryEvery is copied for nothing, and once it stops
// changing, at most RetryEvery-1 misses pass before answers are kept again.
const RetryEvery = 8

// Get returns the entry kept under key if it was made at version.
func (c *Cache) Get(key []byte, version uint64) (*Entry, bool) {
	e, hit, _ := c.Lookup(key, version)
	return e, hit
}

// Lookup is Get that also says, on a miss, whether the answer about to be
// made is worth keeping (capturing and Put): not when the key's last entry
// went stale without ever being served, except every RetryEvery-th time.
func (c *Cache) Lookup(key []byte, version uint64) (e *Entry, hit, keep bool) {
	c.mu.RLock()
	e, ok := c.items[string(key)]
	c.mu.RUnlock()
	if !ok {
		c.misses.Add(1)
		return nil, false, true
	}
	if e.version != version {
		c.misses.Add(1)
		c.stale.Add(1)
		if e.served.Load() || e.version > version {
			return nil, false, true
		}
		n := e.staleMisses.Add(1)
		return nil, false, n%RetryEvery == 0
	}
	if !e.ref.Load() {
		e.ref.Store(true)
	}
	if !e.served.Load() {
		e.served.Store(true)
	}
	c.hits.Add(1)
	return e, true, false
}

// Put keeps an answer under key, made at version, replacing what the key
// held. It reports false (and keeps nothing) when the entry is bigger than
// MaxEntryBytes. Put takes over header and body: the caller must not change
// them afterwards.
func (c *Cache) Put(key string, version uint64, status int, header http.Header, body []byte) bool {
	size := int64(entryOverhead + 2*len(key) + len(body))
	for k, vs := range header {
		size += int64(len(k) + 16)
		for _, v := range vs {
			size += int64(len(v) + 16)
		}
	}
	if size > c.maxEntry {
		return false
	}
	e := &Entry{Status: status, Header: header, Body: body, version: version, size: size, key: key}
	// ref starts clear: an entry never asked for again goes first (one
	// pass over the cache by keys used once does not push out the hot
	// ones); the sweep that makes room for e skips it.
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.items[key]; ok {
		if old.version > version {
			// a newer answer got there first: keep it
			return false
		}
		c.used -= old.size
		e.slot = old.slot
		c.ring[e.slot] = e
	} else if n := len(c.free); n > 0 {
		e.slot = c.free[n-1]
		c.free = c.free[:n-1]
		c.ring[e.slot] = e
	} else {
		e.slot = len(c.ring)
		c.ring = append(c.ring, e)
	}
	c.items[key] = e
	c.used += size
	c.stores.Add(1)
	c.evictLocked(e)
	return true
}

// evictLocked drops entries with CLOCK until the cache fits its bound; it
// never drops keep.
func (c *Cache) evictLocked(keep *Entry) {
	for c.used > c.maxBytes {
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		e := c.ring[c.hand]
		switch {
		case e == nil || e == keep:
		case e.ref.Load():
			e.ref.Store(false)
		default:
			c.dropLocked(e)
			c.evictions.Add(1)
		}
		c.hand++
	}
}

func (c *Cache) dropLocked(e *Entry) {
	delete(c.items, e.key)
	c.ring[e.slot] = nil
	c.free = append(c.free, e.slot)
	c.used -= e.size
}

// Clear drops every entry.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.ring, c.free, c.hand, c.used = nil, nil, 0, 0
}

// Stats returns the cache's counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	n, used := len(c.items), c.used
	c.mu.RUnlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Stores: c.stores.Load(),
		Evictions: c.evictions.Load(), Stale: c.stale.Load(), Entries: n, Bytes: used}
}

// Key returns a KeyBuilder from the cache's pool; give it back with
// Release once the key is no longer used.
func (c *Cache) Key() *KeyBuilder {
	k := c.keys.Get().(*KeyBuilder)
	k.b = k.b[:0]
	return k
}

// Release returns k to the pool.
func (c *Cache) Release(k *KeyBuilder) {
	if cap(k.b) <= 64<<10 {
		c.keys.Put(k)
	}
}

// KeyBuilder builds a key from parts. Each part is written with its length
// first (four bytes) and a mark of its kind, so different lists of parts
// never give the same key.
type KeyBuilder struct{ b []byte }

// head starts a part of n bytes (or a list of n parts) of the given kind.
func (k *KeyBuilder) head(n int, kind byte) {
	k.b = binary.BigEndian.AppendUint32(k.b, uint32(n))
	k.b = append(k.b, kind)
}

// String adds a part.
func (k *KeyBuilder) String(s string) *KeyBuilder {
	k.head(len(s), ':')
	k.b = append(k.b, s...)
	return k
}

// Bytes adds a part.
func (k *KeyBuilder) Bytes(p []byte) *KeyBuilder {
	k.head(len(p), ':')
	k.b = append(k.b, p...)
	return k
}

// Strings adds a list of parts as one part (e.g. a header's values).
func (k *KeyBuilder) Strings(vs []string) *KeyBuilder {
	k.head(len(vs), '#')
	for _, v := range vs {
		k.String(v)
	}
	return k
}

// Read adds a part of what r yields to its end, read straight into the key
// (a request body that is part of the key is not copied twice), and
// returns those bytes: valid until the builder is changed or released.
// When r holds more than max bytes, or fails, whole is false: the key is
// then not to be used, and p is what was read (at most max+1 bytes), for
// the caller to hand on ahead of the rest of r.
func (k *KeyBuilder) Read(r io.Reader, max int) (p []byte, whole bool) {
	at := len(k.b)
	k.head(0, ':')
	start := len(k.b)
	for {
		if len(k.b) == cap(k.b) {
			k.b = slices.Grow(k.b, min(512, max+1-(len(k.b)-start)))
		}
		room := min(cap(k.b), start+max+1)
		n, err := r.Read(k.b[len(k.b):room])
		k.b = k.b[:len(k.b)+n]
		size := len(k.b) - start
		if size > max || (err != nil && err != io.EOF) {
			return k.b[start:], false
		}
		if err == io.EOF {
			binary.BigEndian.PutUint32(k.b[at:], uint32(size))
			return k.b[start:], true
		}
	}
}

// Key returns the key built so far; it is valid until the builder is
// changed or released.
func (k *KeyBuilder) Key() []byte { return k.b }
