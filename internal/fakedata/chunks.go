package fakedata

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"

	"github.com/standin/standin/internal/store"
)

// chunkable reports whether records of these fields can be made from
// their number alone: no e-mail rule (its numbers follow every address
// made before) and every seq evaluated exactly once per record and never
// drawn again for a unique value, so that the nth record's seq is
// start+step·(n−1) however the records are made.
func chunkable(fields []field) bool {
	for _, f := range fields {
		if !byIndex(f.node, false, f.unique) {
			return false
		}
	}
	return true
}

// byIndex is chunkable for one expression; varying says that it is under
// an expression evaluated a varying number of times per record.
func byIndex(n node, varying, unique bool) bool {
	switch x := n.(type) {
	case emailNode:
		return false
	case *seqNode:
		return !varying && !unique
	case nullableNode:
		return byIndex(x.inner, true, unique)
	case listNode:
		return byIndex(x.item, true, unique)
	case switchNode:
		for _, e := range x.cases {
			if !byIndex(e, true, unique) {
				return false
			}
		}
		return byIndex(x.def, true, unique)
	case joinNode:
		for _, p := range x.parts {
			if !byIndex(p, varying, unique) {
				return false
			}
		}
	case *objectNode:
		for _, p := range x.vals {
			if !byIndex(p, varying, unique) {
				return false
			}
		}
	}
	return true
}

// Chunkable reports whether the generator's records can be made in
// independent chunks (Chunks): its rules use no e-mail and no seq that
// depends on how many values came before (under nullable, list or switch,
// or in a unique field).
func (g *Generator) Chunkable() bool { return g.chunkable }

// Chunks makes records of one collection by their number, in chunks that
// goroutines make at the same time: a chunk's records come from a random
// source of its own, seeded from the collection's seed and the chunk's
// first record (ChunkSeed), so they do not depend on which goroutine made
// them or when. A unique value that is taken is then drawn again in the
// order the records are stored (Unique), with a source seeded from the
// record's number and the attempt (RetrySeed).
//
// Chunks is safe for concurrent use; each goroutine uses its own Maker.
type Chunks struct {
	g    *Generator
	env  Env
	seed uint64
	mu   sync.Mutex
	// others are the records of other collections, fetched once for all
	// Makers (a million picks' targets are not copied per goroutine).
	others map[string]picks
}

// ErrNotChunkable is returned by NewChunks for a generator whose records
// depend on the ones made before them (Chunkable).
var ErrNotChunkable = errors.New("fakedata: records depend on the ones before them")

// NewChunks returns the chunked generation of g's records. env.Taken and
// env.Existing are not used: uniqueness is the caller's, through Unique.
func (g *Generator) NewChunks(env Env) (*Chunks, error) {
	if !g.chunkable {
		return nil, ErrNotChunkable
	}
	return &Chunks{g: g, env: env, seed: CollectionSeed(env.Seed, g.spec.API, g.spec.Collection), others: map[string]picks{}}, nil
}

func (ch *Chunks) picks(key, col string, generated bool) (picks, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if src, ok := ch.others[key]; ok {
		return src, nil
	}
	src, err := ch.env.picks(col, generated)
	if err == nil {
		ch.others[key] = src
	}
	return src, err
}

// ChunkSeed is the seed of the random source of the chunk whose first
// record has number first (from 0) in a collection of seed collSeed.
func ChunkSeed(collSeed uint64, first int) uint64 {
	return mix(mix(collSeed^0x6368756e6b) ^ uint64(first))
}

// RetrySeed is the seed of the source that draws record i again, its
// attempt-th time (from 1), when one of its unique values is taken.
func RetrySeed(collSeed uint64, i, attempt int) uint64 {
	return mix(mix(mix(collSeed^0x7265747279)^uint64(i)) ^ uint64(attempt))
}

// mix is the SplitMix64 finalizer, never zero.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	if z == 0 {
		z = 1
	}
	return z
}

// Maker makes records for one goroutine of a Chunks.
type Maker struct {
	ch  *Chunks
	src *rand.PCG
	c   *ctx
}

// Maker returns a new Maker.
func (ch *Chunks) Maker() *Maker {
	src := rand.NewPCG(1, 1)
	m := &Maker{ch: ch, src: src}
	m.c = &ctx{
		f:         newFaker(1),
		hidden:    map[string]any{},
		env:       &ch.env,
		others:    map[string]picks{},
		emails:    map[string]struct{}{},
		emailNext: map[string]int{},
		byIndex:   true,
		shared:    ch,
	}
	m.c.f.Rand = src
	return m
}

// Make builds the records first, first+1, … first+len(into)-1 (numbers
// from 0) of one chunk, record first+j in into[j]: that map cleared, or a
// new one when into[j] is nil. The chunk's source is seeded with
// ChunkSeed(…, first); its records are the same whatever chunk the
// caller makes before or after it. Unique values are not checked. It
// returns how many records it made: all, or those before the one whose
// rules failed (err).
func (m *Maker) Make(first int, into []store.Record) (made int, err error) {
	m.src.Seed(ChunkSeed(m.ch.seed, first), ChunkSeed(m.ch.seed, first))
	for j := range into {
		if into[j] == nil {
			into[j] = make(map[string]any, m.ch.g.nTop)
		} else {
			clear(into[j])
		}
		if err := m.record(first+j, into[j], nil); err != nil {
			return j, err
		}
	}
	return len(into), nil
}

func (m *Maker) record(i int, into store.Record, over map[string]any) error {
	c := m.c
	c.rec, c.n = into, i+1
	err := m.ch.g.fill(c, nil, over)
	c.rec = nil
	return err
}

// Unique returns record i (number from 0, made by Make as r) with its
// unique values free by taken: r itself when they are, else the record
// drawn again, whole, from RetrySeed(…, i, attempt) for attempt 1, 2, …
// up to 100. A string value still taken then gets "-2", "-3", … appended
// (the record of attempt 100 made again with that value, so later fields
// that refer to it see it), like Run's rule. Call it in the order the
// records are stored; the map returned is r or a new one.
func (m *Maker) Unique(i int, r store.Record, taken func(field, key string) bool) (store.Record, error) {
	g := m.ch.g
	bad := func() (field, string, bool, error) {
		for _, f := range g.fields {
			if !f.unique || f.hidden { // hidden fields are never stored
				continue
			}
			v := store.Lookup(r, f.path)
			k, ok := store.KeyOf(v)
			if !ok {
				return f, "", true, g.fail(f.path, errBadUnique(v))
			}
			if taken(f.path, k) {
				return f, k, true, nil
			}
		}
		return field{}, "", false, nil
	}
	for attempt := 0; ; attempt++ {
		f, k, clash, err := bad()
		if err != nil || !clash {
			return r, err
		}
		if attempt == uniqueRetries {
			return m.suffixed(i, r, f, k, taken)
		}
		m.src.Seed(RetrySeed(m.ch.seed, i, attempt+1), RetrySeed(m.ch.seed, i, attempt+1))
		r = make(map[string]any, g.nTop)
		if err := m.record(i, r, nil); err != nil {
			return nil, err
		}
	}
}

// suffixed is Unique's last resort: the record of the last attempt with
// "-n" appended to every taken string value, field by field.
func (m *Maker) suffixed(i int, r store.Record, f field, k string, taken func(field, key string) bool) (store.Record, error) {
	g := m.ch.g
	over := map[string]any{}
	for {
		s, ok := store.Lookup(r, f.path).(string)
		if !ok {
			return nil, g.fail(f.path, bad("cannot find a free unique value after %d tries (last %s)", uniqueRetries, k))
		}
		for n := 2; ; n++ {
			if cand := s + "-" + strconv.Itoa(n); !taken(f.path, cand) {
				over[f.path] = cand
				break
			}
		}
		r = m.retry(i, over)
		next := field{}
		for _, u := range g.fields {
			if !u.unique || u.hidden {
				continue
			}
			if _, done := over[u.path]; done {
				continue
			}
			uk, ok := store.KeyOf(store.Lookup(r, u.path))
			if !ok {
				return nil, g.fail(u.path, errBadUnique(store.Lookup(r, u.path)))
			}
			if taken(u.path, uk) {
				next, k = u, uk
				break
			}
		}
		if next.path == "" {
			return r, nil
		}
		f = next
	}
}

// retry makes record i of the last attempt with the values of over.
func (m *Maker) retry(i int, over map[string]any) store.Record {
	m.src.Seed(RetrySeed(m.ch.seed, i, uniqueRetries), RetrySeed(m.ch.seed, i, uniqueRetries))
	r := make(map[string]any, m.ch.g.nTop)
	if err := m.record(i, r, over); err != nil {
		return nil // the same record was made without error before
	}
	return r
}

func errBadUnique(v any) error {
	return bad("unique field got %s, not a string, number or boolean", TypeName(v))
}
