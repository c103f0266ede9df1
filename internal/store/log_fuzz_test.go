package store

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"sync/atomic"
	"testing"
	"time"
)

// wellFormed is a log position as Redis writes it: two decimal numbers.
var wellFormed = regexp.MustCompile(`^([0-9]+)-([0-9]+)$`)

// refPosition parses a position independently of splitPosition: numbers
// of any size, valid when both fit in 64 bits; anything else is the start.
func refPosition(p string) (ms, seq *big.Int) {
	zero := new(big.Int)
	m := wellFormed.FindStringSubmatch(p)
	if m == nil {
		return zero, zero
	}
	limit := new(big.Int).SetUint64(^uint64(0))
	a, _ := new(big.Int).SetString(m[1], 10)
	b, _ := new(big.Int).SetString(m[2], 10)
	if a.Cmp(limit) > 0 || b.Cmp(limit) > 0 {
		return zero, zero
	}
	return a, b
}

// FuzzPositionAfter: log positions come from Redis (stream ids) and from
// the store's own state; PositionAfter must order them as (ms, seq) pairs,
// put every malformed one at the start, and be a strict order.
func FuzzPositionAfter(f *testing.F) {
	for _, s := range [][3]string{
		{"1-0", "", "0-0"}, {"1700000000000-3", "1700000000000-12", "junk"},
		{"18446744073709551615-18446744073709551615", "18446744073709551616-0", "-1"},
		{"01-2", "1-02", "1-2-3"}, {"+1-2", " 1-2", "1-"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		am, as := refPosition(a)
		bm, bs := refPosition(b)
		want := am.Cmp(bm) > 0 || am.Cmp(bm) == 0 && as.Cmp(bs) > 0
		if got := PositionAfter(a, b); got != want {
			t.Fatalf("PositionAfter(%q, %q) = %v, want %v", a, b, got, want)
		}
		if PositionAfter(a, a) {
			t.Fatalf("PositionAfter(%q, itself) = true", a)
		}
		if PositionAfter(a, b) && PositionAfter(b, a) {
			t.Fatalf("%q and %q both come after each other", a, b)
		}
		if PositionAfter(a, b) && PositionAfter(b, c) && !PositionAfter(a, c) {
			t.Fatalf("not transitive: %q > %q > %q but not %q > %q", a, b, c, a, c)
		}
	})
}

// oneEntryLog is a Log that holds one entry, decoded from raw JSON as the
// Redis log decodes it.
type oneEntryLog struct{ e Entry }

func (l *oneEntryLog) Append(context.Context, string, Entry) (string, error) {
	return "", ErrConflict
}

func (l *oneEntryLog) Outcome(context.Context, string, string) (WriteOutcome, error) {
	return WriteOutcome{Outcome: OutcomeUnknown, Reason: "a test log"}, nil
}

func (l *oneEntryLog) Read(_ context.Context, after string, _ int, _ time.Duration) ([]Entry, error) {
	if PositionAfter(l.e.ID, after) {
		return []Entry{l.e}, nil
	}
	return nil, nil
}

// FuzzApplyEntry: an entry read from the shared log is bytes from Redis
// (written by another replica, possibly another build). Applying it must
// never panic; it is applied whole or refused whole, and what it leaves
// is a consistent store: items in strictly increasing order, each unique
// value found again through the index.
func FuzzApplyEntry(f *testing.F) {
	for _, s := range []string{
		`{"changes":[{"op":"insert","col":"c","seq":11,"rec":{"id":"x","group":"1"}}]}`,
		`{"changes":[{"op":"delete","col":"c","seq":3}]}`,
		`{"changes":[{"op":"replace","col":"c","seq":4,"rec":{"id":"4","n":2}}]}`,
		`{"changes":[{"op":"insert","col":"c","seq":3,"rec":{"id":"3"}}]}`,
		`{"changes":[{"op":"insert","col":"c","seq":12,"rec":{"id":"5"}}]}`,
		`{"changes":[{"op":"insert","col":"c","seq":18446744073709551615,"rec":{"id":"m"}}]}`,
		`{"changes":[{"op":"insert","col":"c","seq":12}]}`,
		`{"changes":[{"op":"delete","col":"c","seq":3},{"op":"drop","col":"c","seq":4}]}`,
		`{"changes":[{"op":"replace","col":"nope","seq":1,"rec":{}}]}`,
		`{"reset":true}`,
		`{"changes":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var e Entry
		if json.Unmarshal(raw, &e) != nil {
			return
		}
		e.ID = "5-1"
		s := newTestStore(t)
		before := ids(t, s)
		s.SetLog(&oneEntryLog{e: e})
		err := s.CatchUp(context.Background())
		if err != nil {
			if got := ids(t, s); got != before {
				t.Fatalf("refused entry (%v) changed the data:\nbefore %s\nafter  %s", err, before, got)
			}
			if s.Position() != "" {
				t.Fatalf("refused entry moved the position to %q", s.Position())
			}
			return
		}
		if s.Position() != e.ID {
			t.Fatalf("applied entry: position %q, want %q", s.Position(), e.ID)
		}
		var last uint64
		n := 0
		if err := s.Scan("c", func(it Item) bool {
			if n > 0 && it.Seq <= last {
				t.Fatalf("item %d after %d: order broken", it.Seq, last)
			}
			last, n = it.Seq, n+1
			if key, ok := KeyOf(it.Lookup("id")); ok {
				got, found, _ := s.Get("c", "id", it.Lookup("id"))
				if !found || got.Seq != it.Seq {
					t.Fatalf("id %s of item %d is found at %d (found %v)", key, it.Seq, got.Seq, found)
				}
			}
			return true
		}); err != nil {
			t.Fatal(err)
		}
	})
}

// countingLog counts reads of a oneEntryLog.
type countingLog struct {
	oneEntryLog
	reads atomic.Int64
}

func (l *countingLog) Read(ctx context.Context, after string, n int, block time.Duration) ([]Entry, error) {
	l.reads.Add(1)
	return l.oneEntryLog.Read(ctx, after, n, block)
}

// An entry that does not fit is refused by CatchUp as ErrUnavailable (a
// write then answers 503, not 500) and by Follow without spinning: Follow
// reports it once and reads again only every retry interval.
func TestRefusedEntryIsNotAppliedNorSpun(t *testing.T) {
	tests := []struct{ name, entry string }{
		{"seq taken", `{"changes":[{"op":"insert","col":"c","seq":3,"rec":{"id":"new"}}]}`},
		{"unique value taken", `{"changes":[{"op":"insert","col":"c","seq":20,"rec":{"id":"3"}}]}`},
		{"unknown collection", `{"changes":[{"op":"insert","col":"other","seq":1,"rec":{"id":"1"}}]}`},
		{"bad op after a good one", `{"changes":[{"op":"delete","col":"c","seq":3},{"op":"drop","col":"c","seq":4}]}`},
		{"seq zero, before every record", `{"changes":[{"op":"insert","col":"c","rec":{"id":""}}]}`},
		{"replace of a missing record", `{"changes":[{"op":"replace","col":"c","seq":99,"rec":{"id":"99"}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Entry
			if err := json.Unmarshal([]byte(tt.entry), &e); err != nil {
				t.Fatal(err)
			}
			e.ID = "1-1"
			s := newTestStore(t)
			before := ids(t, s)
			log := &countingLog{oneEntryLog: oneEntryLog{e: e}}
			s.SetLog(log)
			if err := s.CatchUp(context.Background()); !errors.Is(err, ErrUnavailable) {
				t.Fatalf("CatchUp: %v, want ErrUnavailable", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			var reports []error
			s.Follow(ctx, time.Millisecond, 20*time.Millisecond, func(err error) { reports = append(reports, err) })
			if len(reports) != 1 || reports[0] == nil {
				t.Errorf("Follow reported %v, want the refusal once", reports)
			}
			if n := log.reads.Load(); n > 50 {
				t.Errorf("Follow read the log %d times in 100ms with a 20ms retry: it spins", n)
			}
			if got := ids(t, s); got != before || s.Position() != "" {
				t.Errorf("refused entry changed the store: %s at %q, want %s", got, s.Position(), before)
			}
		})
	}
}
