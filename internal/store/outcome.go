package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// A write id names one attempt to append an entry to the log: the position
// the attempt appends after ("0-0" for the start of the log), a dot, and 16
// random hex digits, e.g. "1733100000000-5.9f3a2c1b7d4e6a08". The log keeps
// it beside the entry. An entry other than a reset is appended only right
// after the position its writer read the data at, so whether an attempt
// landed is decided by the one entry that follows its position: ours, or
// another (then ours never can).

// Outcome is what became of a write.
type Outcome string

// The outcomes of a write.
const (
	// OutcomeApplied: the entry is in the log; every replica applies it.
	OutcomeApplied Outcome = "applied"
	// OutcomeNotApplied: the entry is not in the log and never will be.
	OutcomeNotApplied Outcome = "not-applied"
	// OutcomeUnknown: the log cannot tell (WriteOutcome.Reason says why).
	OutcomeUnknown Outcome = "unknown"
)

// WriteOutcome is a Log's answer about one write id.
type WriteOutcome struct {
	Outcome Outcome
	// Position is the entry's position when Outcome is OutcomeApplied.
	Position string
	// Reason says why the log cannot tell, when Outcome is OutcomeUnknown.
	Reason string
}

// Errors of the outcome of a write.
var (
	// ErrOutcomeUnknown: the write's entry was sent to the log, the answer
	// was lost, and whether it was appended could not be learned in time
	// (see UnknownOutcomeError). It does not match ErrUnavailable: the
	// write may well be in the log.
	ErrOutcomeUnknown = errors.New("store: the outcome of the write is unknown")
	// ErrBadWriteID: a string that is not a write id.
	ErrBadWriteID = errors.New("store: not a write id")
	// ErrNoLog: the store has no shared log, so every write's outcome was
	// answered for certain.
	ErrNoLog = errors.New("store: no shared log")
)

// UnknownOutcomeError is the error of a write whose outcome is unknown; it
// matches ErrOutcomeUnknown. Store.WriteOutcome tells the outcome later.
type UnknownOutcomeError struct {
	// WriteID names the attempt whose answer was lost.
	WriteID string
	// Reason says why the outcome could not be learned.
	Reason string
}

func (e *UnknownOutcomeError) Error() string {
	return fmt.Sprintf("store: the outcome of write %s is unknown: %s", e.WriteID, e.Reason)
}

// Is makes the error match ErrOutcomeUnknown.
func (e *UnknownOutcomeError) Is(target error) bool { return target == ErrOutcomeUnknown }

// DefaultOutcomeWait bounds how long a write whose append lost its answer
// waits to learn its outcome from the log (see SetOutcomeWait).
const DefaultOutcomeWait = 3 * time.Second

// outcomeRetry is how soon a failed outcome lookup is tried again.
const outcomeRetry = 50 * time.Millisecond

// NewWriteID returns a new write id for an attempt to append after
// position after.
func NewWriteID(after string) string {
	if after == "" {
		after = "0-0"
	}
	b := make([]byte, 0, len(after)+17)
	b = append(append(b, after...), '.')
	n := rand.Uint64()
	for i := 60; i >= 0; i -= 4 {
		b = append(b, "0123456789abcdef"[n>>uint(i)&0xf])
	}
	return string(b)
}

// ParseWriteID checks a write id and returns the position it appends
// after ("" for the start of the log); the error matches ErrBadWriteID.
func ParseWriteID(id string) (after string, err error) {
	pos, nonce, ok := strings.Cut(id, ".")
	ms, seq, ok2 := strings.Cut(pos, "-")
	if !ok || !ok2 || len(nonce) != 16 || !decimal(ms) || !decimal(seq) {
		return "", fmt.Errorf("%w: %q (want POSITION.16-HEX-DIGITS, as X-Standin-Write-Id gives)", ErrBadWriteID, id)
	}
	for _, c := range []byte(nonce) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", fmt.Errorf("%w: %q (want POSITION.16-HEX-DIGITS, as X-Standin-Write-Id gives)", ErrBadWriteID, id)
		}
	}
	if pos == "0-0" {
		return "", nil
	}
	return pos, nil
}

// decimal reports whether s is a decimal uint64 as Redis writes one (no
// sign, no leading zero).
func decimal(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil && (s == "0" || s[0] != '0')
}

// SetOutcomeWait sets how long a write whose append lost its answer waits
// to learn its outcome (0: DefaultOutcomeWait).
func (s *Store) SetOutcomeWait(d time.Duration) {
	s.mu.Lock()
	s.outcomeWait = d
	s.mu.Unlock()
}

// SetOnSettle makes the store call fn (outside its lock) each time a write
// whose append lost its answer is settled: with the write id and what was
// learned (OutcomeUnknown: not in time, or the log cannot tell). fn must
// not block.
func (s *Store) SetOnSettle(fn func(write string, o Outcome)) {
	s.mu.Lock()
	s.onSettle = fn
	s.mu.Unlock()
}

// settle learns what became of an append whose answer was lost (cause),
// asking the log again until it answers or the outcome wait has passed;
// the caller has undone the write's changes and released the lock. It
// returns nil when the entry is in the log (applied to this store before
// it returns, so that the writer reads its write here), an error matching
// ErrUnavailable when it is not (and never will be), and an
// *UnknownOutcomeError when the log cannot tell or does not answer in time.
func (s *Store) settle(after, write string, changes []Change, cause error) error {
	s.mu.RLock()
	log, wait, told := s.log, s.outcomeWait, s.onSettle
	s.mu.RUnlock()
	if wait <= 0 {
		wait = DefaultOutcomeWait
	}
	err := s.learn(log, wait, after, write, changes, cause)
	if told != nil {
		o := OutcomeApplied
		switch {
		case errors.Is(err, ErrOutcomeUnknown):
			o = OutcomeUnknown
		case err != nil:
			o = OutcomeNotApplied
		}
		told(write, o)
	}
	return err
}

// learn is settle's work: it asks log until it answers or wait has passed.
func (s *Store) learn(log Log, wait time.Duration, after, write string, changes []Change, cause error) error {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	last := cause
	for {
		o, err := log.Outcome(ctx, after, write)
		if err == nil {
			switch o.Outcome {
			case OutcomeApplied:
				// Entries are applied in order and ours is the one right
				// after `after`: applied already if the follower moved
				// past it, else applied now.
				// An entry this store's data refused would be refused by
				// its follower too, which reports it; the write is in the
				// log all the same, so the error does not change the answer.
				s.mu.Lock()
				_ = s.applyLocked([]Entry{{ID: o.Position, Write: write, Changes: changes}})
				s.mu.Unlock()
				return nil
			case OutcomeNotApplied:
				return fmt.Errorf("%w: %v; the log does not hold write %s", ErrUnavailable, cause, write)
			}
			return &UnknownOutcomeError{WriteID: write, Reason: o.Reason}
		}
		last = err
		t := time.NewTimer(outcomeRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return &UnknownOutcomeError{WriteID: write, Reason: fmt.Sprintf("the shared state did not answer within %v after the write's answer was lost (%v)", wait, last)}
		case <-t.C:
		}
	}
}

// WriteOutcome asks the log what became of a write whose answer said its
// outcome was unknown (UnknownOutcomeError.WriteID). Errors: ErrBadWriteID,
// ErrNoLog, and one matching ErrUnavailable when the log cannot be asked.
func (s *Store) WriteOutcome(ctx context.Context, write string) (WriteOutcome, error) {
	after, err := ParseWriteID(write)
	if err != nil {
		return WriteOutcome{}, err
	}
	s.mu.RLock()
	log := s.log
	s.mu.RUnlock()
	if log == nil {
		return WriteOutcome{}, ErrNoLog
	}
	o, err := log.Outcome(ctx, after, write)
	if err != nil {
		return WriteOutcome{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return o, nil
}
