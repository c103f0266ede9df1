// Package store is the in-memory data store shared by every bundled API.
//
// A Store holds named collections of records. A record is a JSON-shaped object
// (map[string]any with string, float64, bool, nil, []any and map[string]any
// values). Records handed out by the store are shared between readers and must
// be treated as read-only: writers replace a record, they never change one in
// place. Each record gets a sequence number when it is inserted; the sequence
// gives every collection a stable order, and pagination cursors are built on it.
//
// Lookups by a unique field are O(1) through a hash index; lookups by an indexed
// (non-unique) field are O(matches). Listing in insertion order costs O(log n)
// to find a position plus the size of the page, never the size of the
// collection. All methods are safe for concurrent use: reads share a lock,
// writes (including multi-collection transactions through Update) are
// exclusive. Reset puts every collection back to the state captured by
// Freeze.
package store

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Record is one JSON-shaped object. Treat records obtained from a Store as
// read-only.
type Record = map[string]any

// Definition describes a collection: its name, the fields that identify a
// record (unique, O(1) lookup) and the fields indexed for lookups that may
// match several records. Field names may be dotted paths into nested objects
// ("partner.id").
type Definition struct {
	Name   string
	Unique []string
	Index  []string
	// PackAfter is how many records the collection keeps as maps before
	// it encodes new ones (see Item); 0 means DefaultPackAfter, a negative
	// value encodes every record.
	PackAfter int
}

// Errors returned by the store; match them with errors.Is.
var (
	ErrNoCollection = errors.New("no such collection")
	ErrDuplicate    = errors.New("duplicate unique value")
	ErrNotFound     = errors.New("record not found")
	ErrMissingKey   = errors.New("record lacks a unique field")
	ErrExists       = errors.New("collection already defined")
)

// Store is a set of collections. The zero value is not usable; call New.
type Store struct {
	mu      sync.RWMutex
	cols    map[string]*collection
	frozen  map[string]*segment
	version atomic.Uint64
	revs    uint64 // the last Rev given; guarded by mu (write)
	// log, when set, is the shared write log (see SetLog); logPos is the
	// position applied so far. Both guarded by mu.
	log    Log
	logPos string
	// onApply hears that Follow applied entries (SetOnApply); guarded by mu.
	onApply func()
	// onReset hears of every reset, under the write lock (SetOnReset).
	onReset func()
	// outcomeWait bounds the lookup of a write whose append lost its
	// answer (SetOutcomeWait; 0: DefaultOutcomeWait); guarded by mu.
	outcomeWait time.Duration
	// onSettle hears how each lost answer was settled (SetOnSettle).
	onSettle func(write string, o Outcome)
}

// New returns an empty store.
func New() *Store {
	return &Store{cols: map[string]*collection{}}
}

// Define adds an empty collection.
func (s *Store) Define(def Definition) error {
	if def.Name == "" {
		return errors.New("store: collection needs a name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cols[def.Name]; ok {
		return fmt.Errorf("store: %q: %w", def.Name, ErrExists)
	}
	s.cols[def.Name] = newCollection(def, &s.revs)
	return nil
}

// Definitions lists the collections' definitions, sorted by name.
func (s *Store) Definitions() []Definition {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Definition, 0, len(s.cols))
	for _, c := range s.cols {
		out = append(out, c.def)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Version is a counter that changes whenever any record changes. Callers may
// cache what they derive from the store under it.
func (s *Store) Version() uint64 { return s.version.Load() }

// Freeze captures the current contents as the state Reset returns to.
func (s *Store) Freeze() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frozen = map[string]*segment{}
	for name, c := range s.cols {
		s.frozen[name] = c.freeze()
	}
}

// Reset returns every collection to the state captured by Freeze (empty
// collections if Freeze was never called). Sequence numbers restart, so
// cursors issued before the reset point at the same positions again.
//
// With a log (SetLog) the reset is an entry of the log, so every replica
// resets; when the log cannot be reached nothing is reset (see TryReset).
func (s *Store) Reset() { _ = s.TryReset() }

// TryReset is Reset that reports when the shared log could not be reached
// (an error matching ErrUnavailable; the data is then unchanged).
func (s *Store) TryReset() error {
	if s.hasLog() {
		return s.resetLogged()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
	return nil
}

func (s *Store) hasLog() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.log != nil
}

// resetLocked is Reset's work; callers hold the write lock.
func (s *Store) resetLocked() {
	for name, c := range s.cols {
		c.reset(s.frozen[name])
	}
	s.version.Add(1)
	if s.onReset != nil {
		s.onReset()
	}
}

// Len returns the number of records in a collection.
func (s *Store) Len(col string) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return 0, err
	}
	return c.total(), nil
}

// Insert adds records to a collection, all or none.
func (s *Store) Insert(col string, recs ...Record) error {
	return s.Update(func(tx *Tx) error {
		for _, r := range recs {
			if _, err := tx.Insert(col, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// Add inserts one record, like Insert, and reports whether the store keeps
// r itself. When it does not (the record was packed: its values were
// copied), the caller may reuse the map r.
func (s *Store) Add(col string, r Record) (retained bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.col(col)
	if err != nil {
		return false, err
	}
	retained, err = c.insert(r)
	if err != nil {
		return false, fmt.Errorf("store: %s: %w", col, err)
	}
	s.version.Add(1)
	return retained, nil
}

// Reserve makes room for n more records in a collection that is being
// built (not frozen, unchanged since), so that adding them does not grow
// its arrays and indexes step by step. It changes no data.
func (s *Store) Reserve(col string, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.col(col)
	if err != nil {
		return err
	}
	if n > 0 {
		c.reserve(n)
	}
	return nil
}

// Get returns the record whose field equals value. The field must be unique
// or indexed; any other field is found by a scan.
func (s *Store) Get(col, field string, value any) (Item, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return Item{}, false, err
	}
	it, ok := c.get(field, value)
	return it, ok, nil
}

// Find returns every record whose field equals value, in sequence order.
func (s *Store) Find(col, field string, value any) ([]Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return nil, err
	}
	return c.find(field, value), nil
}

// Window describes a slice of a collection in sequence order: the records
// with After < Seq < Before (zero means unbounded), then the First n of them
// or the Last n of them (negative means all).
type Window struct {
	After, Before uint64
	First, Last   int
}

// Page is the answer to a Window.
type Page struct {
	Items []Item
	// Total is the size of the whole collection, independent of the window.
	Total int
	// HasPrevious and HasNext tell whether records exist before the first
	// and after the last returned item, in the whole collection.
	HasPrevious, HasNext bool
}

// Slice returns the window of a collection. Its cost is O(log n) plus the
// size of the page.
func (s *Store) Slice(col string, w Window) (Page, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return Page{}, err
	}
	lo, hi := 0, c.total()
	if w.After > 0 {
		lo = c.rankAfter(w.After)
	}
	if w.Before > 0 {
		hi = c.rankFrom(w.Before)
	}
	hi = max(hi, lo)
	if w.First >= 0 && hi-lo > w.First {
		hi = lo + w.First
	}
	if w.Last >= 0 && hi-lo > w.Last {
		lo = hi - w.Last
	}
	n := c.total()
	return Page{Items: c.ranks(lo, hi), Total: n, HasPrevious: lo > 0, HasNext: hi < n}, nil
}

// SliceItems applies a Window to items sorted by any order in which Seq is
// the position key (the store's own order). Exported for views that keep
// their own sorted slices.
func SliceItems(items []Item, w Window) Page {
	lo, hi := 0, len(items)
	if w.After > 0 {
		lo = sort.Search(len(items), func(i int) bool { return items[i].Seq > w.After })
	}
	if w.Before > 0 {
		hi = sort.Search(len(items), func(i int) bool { return items[i].Seq >= w.Before })
	}
	return slicePositions(items, lo, hi, w.First, w.Last)
}

// slicePositions cuts items[lo:hi] to its first or last n (negative: all) and
// reports what lies beyond the page in the whole of items.
func slicePositions(items []Item, lo, hi, first, last int) Page {
	if hi < lo {
		hi = lo
	}
	if first >= 0 && hi-lo > first {
		hi = lo + first
	}
	if last >= 0 && hi-lo > last {
		lo = hi - last
	}
	page := make([]Item, hi-lo)
	copy(page, items[lo:hi])
	return Page{Items: page, Total: len(items), HasPrevious: lo > 0, HasNext: hi < len(items)}
}

// SlicePositions is slicePositions for callers that located the bounds
// themselves (views sorted by something other than Seq).
func SlicePositions(items []Item, lo, hi, first, last int) Page {
	return slicePositions(items, lo, hi, first, last)
}

// Range returns at most limit items (negative: all) from position offset
// of a collection in sequence order, and the collection's size. Its cost is
// the size of the page, wherever the page lies.
func (s *Store) Range(col string, offset, limit int) ([]Item, int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return nil, 0, err
	}
	n := c.total()
	lo := min(max(offset, 0), n)
	hi := n
	if limit >= 0 && limit < hi-lo {
		hi = lo + limit
	}
	return c.ranks(lo, hi), n, nil
}

// Scan calls fn for every record in sequence order until fn returns false.
// fn runs under the read lock: it must not call the store.
func (s *Store) Scan(col string, fn func(Item) bool) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return err
	}
	c.each(0, fn)
	return nil
}

// Update runs fn as one exclusive transaction. If fn returns an error, every
// change it made is undone and the error is returned.
//
// With a log (SetLog), the change is acknowledged (nil) only once it is in
// the log; fn may then run more than once (see updateLogged), so it must
// have no effects outside tx besides what it recomputes each time.
func (s *Store) Update(fn func(tx *Tx) error) error {
	if s.hasLog() {
		return s.updateLogged(fn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &Tx{s: s}
	if err := fn(tx); err != nil {
		tx.rollback()
		return err
	}
	if tx.changed {
		s.version.Add(1)
	}
	return nil
}

// Tx is a write transaction. It is valid only inside the Update callback.
type Tx struct {
	s       *Store
	undo    []func()
	changed bool
	// record makes the transaction keep its changes as data (for the log).
	record  bool
	changes []Change
}

// Get is Store.Get inside a transaction.
func (tx *Tx) Get(col, field string, value any) (Item, bool, error) {
	c, err := tx.s.col(col)
	if err != nil {
		return Item{}, false, err
	}
	it, ok := c.get(field, value)
	return it, ok, nil
}

// Find is Store.Find inside a transaction.
func (tx *Tx) Find(col, field string, value any) ([]Item, error) {
	c, err := tx.s.col(col)
	if err != nil {
		return nil, err
	}
	return c.find(field, value), nil
}

// Scan is Store.Scan inside a transaction; fn must not call the store.
func (tx *Tx) Scan(col string, fn func(Item) bool) error {
	c, err := tx.s.col(col)
	if err != nil {
		return err
	}
	c.each(0, fn)
	return nil
}

// Insert adds a record and returns its sequence number.
func (tx *Tx) Insert(col string, r Record) (uint64, error) {
	c, err := tx.s.col(col)
	if err != nil {
		return 0, err
	}
	if _, err := c.insert(r); err != nil {
		return 0, fmt.Errorf("store: %s: %w", col, err)
	}
	seq := c.next - 1
	tx.changed = true
	tx.undo = append(tx.undo, func() { c.remove(seq) })
	if tx.record {
		tx.changes = append(tx.changes, Change{Op: OpInsert, Col: col, Seq: seq, Rec: r})
	}
	return seq, nil
}

// Delete removes the record whose unique field equals value.
func (tx *Tx) Delete(col, field string, value any) (Item, error) {
	c, err := tx.s.col(col)
	if err != nil {
		return Item{}, err
	}
	it, ok := c.get(field, value)
	if !ok {
		return Item{}, fmt.Errorf("store: %s %s=%v: %w", col, field, value, ErrNotFound)
	}
	c.remove(it.Seq)
	tx.changed = true
	tx.undo = append(tx.undo, func() { c.put(it) })
	if tx.record {
		tx.changes = append(tx.changes, Change{Op: OpDelete, Col: col, Seq: it.Seq})
	}
	return it, nil
}

// Replace swaps the record with the given sequence number for r, keeping its
// position. r must keep the record's unique values or take free ones.
func (tx *Tx) Replace(col string, seq uint64, r Record) error {
	c, err := tx.s.col(col)
	if err != nil {
		return err
	}
	old, ok := c.at(seq)
	if !ok {
		return fmt.Errorf("store: %s seq %d: %w", col, seq, ErrNotFound)
	}
	c.remove(seq)
	if err := c.check(r); err != nil {
		c.put(old)
		return fmt.Errorf("store: %s: %w", col, err)
	}
	c.put(c.item(seq, r))
	tx.changed = true
	tx.undo = append(tx.undo, func() { c.remove(seq); c.put(old) })
	if tx.record {
		tx.changes = append(tx.changes, Change{Op: OpReplace, Col: col, Seq: seq, Rec: r})
	}
	return nil
}

func (tx *Tx) rollback() {
	for i := len(tx.undo) - 1; i >= 0; i-- {
		tx.undo[i]()
	}
}

func (s *Store) col(name string) (*collection, error) {
	c, ok := s.cols[name]
	if !ok {
		return nil, fmt.Errorf("store: %q: %w", name, ErrNoCollection)
	}
	return c, nil
}

func errMissing(field string) error { return fmt.Errorf("%w %q", ErrMissingKey, field) }

func errDup(field, key string) error { return fmt.Errorf("%w: %s=%s", ErrDuplicate, field, key) }

// Lookup returns the value at a dotted path in a record, or nil.
func Lookup(r Record, path string) any {
	var cur any = r
	for path != "" {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		head, rest, _ := strings.Cut(path, ".")
		cur, path = m[head], rest
	}
	return cur
}

// KeyOf turns a scalar value into the string the indexes use, so that the
// JSON number 1 and the path segment "1" find the same record. It reports
// false for values that cannot be keys (nil, objects, lists).
func KeyOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}
