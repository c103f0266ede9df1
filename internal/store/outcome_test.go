package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestLogLostAnswer: an append whose answer was lost is answered by what
// the log holds, never by the lost answer: applied (and readable on the
// writer at once), not written, or unknown with the write id that
// WriteOutcome settles later.
func TestLogLostAnswer(t *testing.T) {
	tests := []struct {
		name string
		lose string // memLog.lose
		// fails is how many outcome lookups fail first (-1: all of them,
		// until the test brings the log back)
		fails int
		// want: "applied", "not written" or "unknown"
		want string
		// later is what WriteOutcome says once the log answers (unknown)
		later Outcome
	}{
		{"landed, lookup answers at once", "landed", 0, "applied", ""},
		{"landed, log back after 3 failed lookups", "landed", 3, "applied", ""},
		{"dropped, lookup answers at once", "dropped", 0, "not written", ""},
		{"dropped, log back after 3 failed lookups", "dropped", 3, "not written", ""},
		{"landed, log not back in time", "landed", -1, "unknown", OutcomeApplied},
		{"dropped, log not back in time", "dropped", -1, "unknown", OutcomeNotApplied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, log := loggedPair(t)
			a.SetOutcomeWait(300 * time.Millisecond)
			var settled []Outcome
			a.SetOnSettle(func(_ string, o Outcome) { settled = append(settled, o) })
			ctx := context.Background()
			log.lose, log.outcomeFails = tt.lose, tt.fails
			err := a.Insert("c", Record{"id": "lost?"})
			want := map[string]Outcome{"applied": OutcomeApplied, "not written": OutcomeNotApplied, "unknown": OutcomeUnknown}[tt.want]
			if len(settled) != 1 || settled[0] != want {
				t.Errorf("SetOnSettle heard %v, want [%s]", settled, want)
			}
			_, onA, _ := a.Get("c", "id", "lost?")
			var unknown *UnknownOutcomeError
			switch tt.want {
			case "applied":
				if err != nil {
					t.Fatalf("insert whose entry landed: %v, want nil", err)
				}
				if !onA {
					t.Error("the writer does not read its own acknowledged write")
				}
			case "not written":
				if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrOutcomeUnknown) {
					t.Fatalf("insert whose entry never landed: %v, want ErrUnavailable", err)
				}
				if onA {
					t.Error("a write answered as not written is in the writer's store")
				}
			case "unknown":
				if !errors.As(err, &unknown) || !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrUnavailable) {
					t.Fatalf("insert with the log gone: %v, want an UnknownOutcomeError only", err)
				}
				if after, perr := ParseWriteID(unknown.WriteID); perr != nil || after != "" {
					t.Errorf("write id %q: after %q, %v; want the start of the log", unknown.WriteID, after, perr)
				}
				log.mu.Lock()
				log.outcomeFails = 0 // the log answers again
				log.mu.Unlock()
				o, err := a.WriteOutcome(ctx, unknown.WriteID)
				if err != nil || o.Outcome != tt.later {
					t.Fatalf("WriteOutcome once the log is back: %+v, %v; want %s", o, err, tt.later)
				}
				again, _ := b.WriteOutcome(ctx, unknown.WriteID)
				if again != o {
					t.Errorf("asked again, on another replica: %+v, want %+v", again, o)
				}
			}
			// whatever was answered, every replica ends up agreeing with it
			for _, s := range []*Store{a, b} {
				if err := s.CatchUp(ctx); err != nil {
					t.Fatal(err)
				}
			}
			wantStored := tt.want == "applied" || tt.later == OutcomeApplied
			for name, s := range map[string]*Store{"writer": a, "other": b} {
				if _, ok, _ := s.Get("c", "id", "lost?"); ok != wantStored {
					t.Errorf("%s replica holds the record: %v, want %v", name, ok, wantStored)
				}
			}
			if n := len(log.ids); n != map[bool]int{true: 1, false: 0}[wantStored] {
				t.Errorf("the log holds %d entries", n)
			}
			if ga, gb := ids(t, a), ids(t, b); ga != gb {
				t.Fatalf("replicas differ:\na %s\nb %s", ga, gb)
			}
			// and the store writes on
			if err := a.Insert("c", Record{"id": "next"}); err != nil {
				t.Errorf("the next insert: %v", err)
			}
		})
	}
}

// TestLogLostAnswerReadsGoOn: while a write waits to learn its outcome,
// the store's lock is free: reads and other writes go on.
func TestLogLostAnswerReadsGoOn(t *testing.T) {
	a, _, log := loggedPair(t)
	a.SetOutcomeWait(time.Minute)
	log.lose, log.outcomeFails = "landed", -1
	done := make(chan error, 1)
	go func() { done <- a.Insert("c", Record{"id": "waiting"}) }()
	for { // until the insert is waiting for its outcome
		log.mu.Lock()
		n := len(log.ids)
		log.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if _, ok, err := a.Get("c", "id", "3"); !ok || err != nil {
		t.Errorf("read while a write waits for its outcome: %v, %v", ok, err)
	}
	// another write of this replica conflicts (the log moved on), catches
	// up past the waiting write's entry and lands after it
	if err := a.Insert("c", Record{"id": "meanwhile"}); err != nil {
		t.Errorf("write while another waits for its outcome: %v", err)
	}
	select {
	case err := <-done:
		t.Fatalf("the waiting insert returned (%v) before its outcome could be learned", err)
	default:
	}
	log.mu.Lock()
	log.outcomeFails = 0
	log.mu.Unlock()
	if err := <-done; err != nil {
		t.Fatalf("the insert whose entry landed: %v", err)
	}
	for _, id := range []string{"waiting", "meanwhile"} {
		if _, ok, _ := a.Get("c", "id", id); !ok {
			t.Errorf("%s is not in the writer's store", id)
		}
	}
}

// TestLogOutcomeAfterReset: a reset right after a write's position hides
// whether the write landed before it: the outcome is unknown, not a guess.
func TestLogOutcomeAfterReset(t *testing.T) {
	a, b, log := loggedPair(t)
	a.SetOutcomeWait(100 * time.Millisecond)
	log.lose = "dropped"
	log.outcomeFails = -1
	err := a.Insert("c", Record{"id": "x"})
	var unknown *UnknownOutcomeError
	if !errors.As(err, &unknown) {
		t.Fatalf("insert: %v, want unknown", err)
	}
	log.mu.Lock()
	log.outcomeFails = 0
	log.mu.Unlock()
	if err := b.TryReset(); err != nil {
		t.Fatal(err)
	}
	o, err := a.WriteOutcome(context.Background(), unknown.WriteID)
	if err != nil || o.Outcome != OutcomeUnknown || o.Reason == "" {
		t.Errorf("outcome of a write followed by a reset: %+v, %v; want unknown with a reason", o, err)
	}
}

func TestWriteOutcomeErrors(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.WriteOutcome(context.Background(), NewWriteID("")); !errors.Is(err, ErrNoLog) {
		t.Errorf("without a log: %v, want ErrNoLog", err)
	}
	a, _, log := loggedPair(t)
	if _, err := a.WriteOutcome(context.Background(), "nonsense"); !errors.Is(err, ErrBadWriteID) {
		t.Errorf("bad id: %v, want ErrBadWriteID", err)
	}
	log.outcomeFails = 1
	if _, err := a.WriteOutcome(context.Background(), NewWriteID("")); !errors.Is(err, ErrUnavailable) {
		t.Errorf("log unreachable: %v, want ErrUnavailable", err)
	}
}

func TestParseWriteID(t *testing.T) {
	tests := []struct {
		id, after string
		ok        bool
	}{
		{"0-0.0123456789abcdef", "", true},
		{"1733100000000-5.9f3a2c1b7d4e6a08", "1733100000000-5", true},
		{"1-1.9F3A2C1B7D4E6A08", "", false}, // upper case: not one we give
		{"1-1.9f3a2c1b7d4e6a0", "", false},
		{"1-1.9f3a2c1b7d4e6a088", "", false},
		{"1-1.9f3a2c1b7d4e6a0g", "", false},
		{"1.9f3a2c1b7d4e6a08", "", false},
		{"-1.9f3a2c1b7d4e6a08", "", false},
		{"1--1.9f3a2c1b7d4e6a08", "", false},
		{"+1-1.9f3a2c1b7d4e6a08", "", false},
		{"1-1.9f3a2c1b.d4e6a08", "", false},
		{"", "", false},
		{"1-1", "", false},
		{"01-1.9f3a2c1b7d4e6a08", "", false},
		{"0-00.9f3a2c1b7d4e6a08", "", false},
	}
	for _, tt := range tests {
		after, err := ParseWriteID(tt.id)
		if (err == nil) != tt.ok || after != tt.after {
			t.Errorf("ParseWriteID(%q) = %q, %v; want %q, ok %v", tt.id, after, err, tt.after, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrBadWriteID) {
			t.Errorf("ParseWriteID(%q): %v, want ErrBadWriteID", tt.id, err)
		}
	}
	for _, after := range []string{"", "1-1", "1733100000000-42"} {
		id := NewWriteID(after)
		if got, err := ParseWriteID(id); err != nil || got != after {
			t.Errorf("ParseWriteID(NewWriteID(%q) = %q) = %q, %v", after, id, got, err)
		}
	}
	if a, b := NewWriteID("1-1"), NewWriteID("1-1"); a == b {
		t.Error("two write ids after one position are equal")
	}
}

// FuzzParseWriteID: a write id comes from a client (GET
// /__standin/writes/{id}); parsing never panics, and what it accepts is
// a position and 16 lower-case hex digits.
func FuzzParseWriteID(f *testing.F) {
	f.Add("0-0.0123456789abcdef")
	f.Add("1733100000000-5.9f3a2c1b7d4e6a08")
	f.Add("1-1.")
	f.Add("18446744073709551616-0.0123456789abcdef")
	f.Fuzz(func(t *testing.T, id string) {
		after, err := ParseWriteID(id)
		if err != nil {
			return
		}
		pos, nonce, _ := strings.Cut(id, ".")
		if len(nonce) != 16 || (after != pos && !(after == "" && pos == "0-0")) {
			t.Fatalf("ParseWriteID(%q) accepted it as after %q", id, after)
		}
		if after != "" && !PositionAfter(after, "") {
			t.Fatalf("ParseWriteID(%q) = %q, which is no position", id, after)
		}
	})
}
