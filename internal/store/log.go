package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Log is an ordered, shared record of writes that several stores (one per
// replica of the mock) apply in the same order, so that they hold the same
// data. The store knows nothing of how a Log keeps its entries.
//
// Positions are opaque strings that compare as "MS-SEQ" pairs of decimal
// numbers (Redis stream ids); "" and "0-0" are the start of the log.
type Log interface {
	// Append adds an entry holding changes after the entry at position
	// after, and returns the new entry's position. When another entry was
	// appended after that position meanwhile it appends nothing and returns
	// an error matching ErrConflict. An entry with Reset set is appended
	// wherever the log ends (after is ignored). When the entry may have
	// been appended but the answer was lost (the connection dropped or
	// timed out after the entry was sent), the error matches
	// ErrAnswerLost; any other error means nothing was appended.
	Append(ctx context.Context, after string, e Entry) (string, error)
	// Read returns the entries after position after, in order, at most
	// count of them; when there are none it waits up to block for one
	// (block 0: it does not wait).
	Read(ctx context.Context, after string, count int, block time.Duration) ([]Entry, error)
	// Outcome tells what became of the entry with write id write that an
	// Append after position after sent and lost the answer of. When it
	// answers OutcomeNotApplied the log guarantees that this entry is
	// never appended later (an Append of it still under way is refused).
	// An error means the log could not be asked.
	Outcome(ctx context.Context, after, write string) (WriteOutcome, error)
}

// Entry is one committed transaction in a Log.
type Entry struct {
	// ID is the entry's position, set by the Log.
	ID string `json:"-"`
	// Write is the write id of the attempt that appended the entry (see
	// NewWriteID; "" for a reset), kept by the Log beside the entry so that
	// Outcome can find it.
	Write string `json:"-"`
	// Reset puts every collection back to its frozen state; Changes is
	// then empty.
	Reset   bool     `json:"reset,omitempty"`
	Changes []Change `json:"changes,omitempty"`
}

// Change is one record-level effect of a transaction, as plain data.
type Change struct {
	Op  Op     `json:"op"`
	Col string `json:"col"`
	Seq uint64 `json:"seq"`
	// Rec is the record inserted or put in place (nil for a delete).
	Rec Record `json:"rec,omitempty"`
}

// Op is what a Change does.
type Op string

// The operations of a Change.
const (
	OpInsert  Op = "insert"
	OpDelete  Op = "delete"
	OpReplace Op = "replace"
)

// Errors of the shared log.
var (
	// ErrConflict: another entry was appended after the position a writer
	// read the data at.
	ErrConflict = errors.New("store: log moved on")
	// ErrUnavailable: the log cannot be reached, so the write was not
	// made (and is not acknowledged).
	ErrUnavailable = errors.New("store: shared state unavailable")
	// ErrAnswerLost: a Log's Append sent the entry but lost the answer;
	// the entry may or may not be in the log (Outcome tells).
	ErrAnswerLost = errors.New("store: the log's answer was lost")
)

// MaxAttempts bounds how often a write is evaluated again after a conflict.
const MaxAttempts = 50

// SetLog makes every later Update and Reset go through log: a write is
// acknowledged only once it is in the log. Call it after Freeze and before
// serving; then call CatchUp (and Follow) to apply what the log holds.
func (s *Store) SetLog(log Log) {
	s.mu.Lock()
	s.log = log
	s.mu.Unlock()
}

// SetOnApply makes Follow call fn (outside the store's lock) after it
// applied entries, e.g. to tell others how far this store has come; fn
// must not block.
func (s *Store) SetOnApply(fn func()) {
	s.mu.Lock()
	s.onApply = fn
	s.mu.Unlock()
}

// SetOnReset makes every reset (this store's, or another replica's read
// from the log) call fn, under the store's write lock: before the reset
// entry's position can be read by Position, so whoever reports that
// position has run fn. fn must be quick and must not use the store.
func (s *Store) SetOnReset(fn func()) {
	s.mu.Lock()
	s.onReset = fn
	s.mu.Unlock()
}

// Position is the position in the log up to which the store has applied
// entries ("" before the first).
func (s *Store) Position() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.logPos
}

// readBatch is how many entries one read of the log asks for.
const readBatch = 512

// CatchUp applies every entry of the log after the store's position.
func (s *Store) CatchUp(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.catchUpLocked(ctx)
}

func (s *Store) catchUpLocked(ctx context.Context) error {
	for {
		es, err := s.log.Read(ctx, s.logPos, readBatch, 0)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		if err := s.applyLocked(es); err != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		if len(es) < readBatch {
			return nil
		}
	}
}

// Follow applies the log's new entries as they arrive, until ctx ends.
// When the log cannot be read, or holds an entry that does not fit the
// store's data, it retries every retry interval; onError, if set, hears
// of the first failure and of the recovery (nil).
func (s *Store) Follow(ctx context.Context, block, retry time.Duration, onError func(error)) {
	failing := false
	for ctx.Err() == nil {
		pos := s.Position()
		es, err := s.log.Read(ctx, pos, readBatch, block)
		if err == nil && len(es) > 0 {
			s.mu.Lock()
			err = s.applyLocked(es)
			applied := s.onApply
			s.mu.Unlock()
			if applied != nil {
				applied()
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !failing && onError != nil {
				onError(err)
			}
			failing = true
			select {
			case <-ctx.Done():
				return
			case <-time.After(retry):
			}
			continue
		}
		if failing && onError != nil {
			onError(nil)
		}
		failing = false
	}
}

// applyLocked applies the entries after the store's position, in order.
// Entries at or before it were applied already (this store wrote them, or
// caught up past them) and are skipped.
func (s *Store) applyLocked(es []Entry) error {
	for _, e := range es {
		if !PositionAfter(e.ID, s.logPos) {
			continue
		}
		if e.Reset {
			s.resetLocked()
		} else if err := s.applyChanges(e.Changes); err != nil {
			return fmt.Errorf("store: log entry %s: %w", e.ID, err)
		}
		s.logPos = e.ID
		s.version.Add(1)
	}
	return nil
}

// applyChanges applies one entry's changes whole or not at all: an entry
// that does not fit this store's data (a record it lacks, a sequence
// number or unique value it already has, an unknown operation: a log
// written by another build or seed) is refused, and its changes so far are
// undone, so the store never holds half an entry or a broken index.
func (s *Store) applyChanges(cs []Change) error {
	var undo []func()
	fail := func(i int, err error) error {
		for j := len(undo) - 1; j >= 0; j-- {
			undo[j]()
		}
		return fmt.Errorf("change %d: %w", i+1, err)
	}
	for i, ch := range cs {
		c, err := s.col(ch.Col)
		if err != nil {
			return fail(i, err)
		}
		seq := ch.Seq
		switch ch.Op {
		case OpInsert:
			if ch.Rec == nil {
				return fail(i, fmt.Errorf("insert into %s without a record", ch.Col))
			}
			if _, ok := c.at(seq); ok {
				return fail(i, fmt.Errorf("insert into %s at %d: the place is taken", ch.Col, seq))
			}
			if !c.placeable(seq) {
				return fail(i, fmt.Errorf("insert into %s at %d: no record was ever there and it is not after the last one", ch.Col, seq))
			}
			if err := c.check(ch.Rec); err != nil {
				return fail(i, fmt.Errorf("insert into %s: %w", ch.Col, err))
			}
			next := c.next
			c.put(c.item(seq, ch.Rec))
			c.next = max(c.next, seq+1)
			undo = append(undo, func() { c.remove(seq); c.next = next })
		case OpDelete:
			old, ok := c.at(seq)
			if !ok {
				return fail(i, fmt.Errorf("delete from %s at %d: %w", ch.Col, seq, ErrNotFound))
			}
			c.remove(seq)
			undo = append(undo, func() { c.put(old) })
		case OpReplace:
			if ch.Rec == nil {
				return fail(i, fmt.Errorf("replace in %s without a record", ch.Col))
			}
			old, ok := c.at(seq)
			if !ok {
				return fail(i, fmt.Errorf("replace in %s at %d: %w", ch.Col, seq, ErrNotFound))
			}
			c.remove(seq)
			if err := c.check(ch.Rec); err != nil {
				c.put(old)
				return fail(i, fmt.Errorf("replace in %s: %w", ch.Col, err))
			}
			c.put(c.item(seq, ch.Rec))
			undo = append(undo, func() { c.remove(seq); c.put(old) })
		default:
			return fail(i, fmt.Errorf("unknown change %q", ch.Op))
		}
	}
	return nil
}

// updateLogged is Update with a log: fn runs on the data as of the store's
// position; its changes are appended to the log after that position, and
// when another replica appended first they are undone, the store catches
// up and fn runs again on the newer data (so its checks see the latest
// state). When fn refuses, the store catches up too and fn runs again if
// the log had moved on, so a refusal is never based on stale data. The
// store's write lock is held throughout, so the local follower waits
// rather than interleaving, except while the outcome of an append whose
// answer was lost is looked up (settle): reads and the follower go on
// meanwhile.
func (s *Store) updateLogged(fn func(tx *Tx) error) error {
	s.mu.Lock()
	locked := true
	defer func() {
		if locked {
			s.mu.Unlock()
		}
	}()
	ctx := context.Background()
	for range MaxAttempts {
		tx := &Tx{s: s, record: true}
		if err := fn(tx); err != nil {
			tx.rollback()
			// Refused on this replica's data: if the log holds entries
			// not applied yet, the refusal may be stale; catch up and
			// evaluate again.
			pos := s.logPos
			if cerr := s.catchUpLocked(ctx); cerr != nil || s.logPos == pos {
				return err
			}
			continue
		}
		if !tx.changed {
			return nil
		}
		after := s.logPos
		write := NewWriteID(after)
		id, err := s.log.Append(ctx, after, Entry{Write: write, Changes: tx.changes})
		if err == nil {
			s.logPos = id
			s.version.Add(1)
			return nil
		}
		tx.rollback()
		if errors.Is(err, ErrAnswerLost) {
			locked = false
			s.mu.Unlock()
			return s.settle(after, write, tx.changes, err)
		}
		if !errors.Is(err, ErrConflict) {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		if err := s.catchUpLocked(ctx); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: the write kept conflicting with other replicas' writes", ErrUnavailable)
}

// resetLogged appends a reset to the log and applies it.
func (s *Store) resetLogged() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := s.log.Append(context.Background(), s.logPos, Entry{Reset: true})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	s.resetLocked()
	s.logPos = id
	return nil
}

// PositionAfter reports whether log position a comes after b ("MS-SEQ"
// pairs; "" is the start). Malformed positions compare as the start.
func PositionAfter(a, b string) bool {
	am, as := splitPosition(a)
	bm, bs := splitPosition(b)
	return am > bm || am == bm && as > bs
}

func splitPosition(p string) (uint64, uint64) {
	ms, seq, _ := strings.Cut(p, "-")
	m, err1 := strconv.ParseUint(ms, 10, 64)
	n, err2 := strconv.ParseUint(seq, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	return m, n
}
