package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// memLog is a Log in memory, shared by the stores of a test. Entries go
// through JSON, as they do through Redis; Outcome answers as the Redis
// log's script does.
type memLog struct {
	mu      sync.Mutex
	entries [][]byte
	ids     []string
	writes  []string // each entry's write id
	fences  map[string]bool
	down    bool
	// lose makes the next Append lose its answer (ErrAnswerLost) after
	// appending ("landed") or without appending ("dropped").
	lose string
	// outcomeFails is how many Outcome calls fail (the log unreachable)
	// before one answers; negative: every one fails.
	outcomeFails int
}

func (l *memLog) last() string {
	if len(l.ids) == 0 {
		return ""
	}
	return l.ids[len(l.ids)-1]
}

func (l *memLog) Append(_ context.Context, after string, e Entry) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return "", errors.New("connection refused")
	}
	lose := l.lose
	l.lose = ""
	if lose == "dropped" {
		return "", fmt.Errorf("%w: EOF", ErrAnswerLost)
	}
	if l.fences[e.Write] {
		return "", errors.New("fenced")
	}
	if !e.Reset && l.last() != after {
		return "", ErrConflict
	}
	b, err := json.Marshal(e)
	if err != nil {
		return "", err
	}
	id := fmt.Sprintf("1-%d", len(l.ids)+1)
	l.entries, l.ids, l.writes = append(l.entries, b), append(l.ids, id), append(l.writes, e.Write)
	if lose == "landed" {
		return "", fmt.Errorf("%w: EOF", ErrAnswerLost)
	}
	return id, nil
}

func (l *memLog) Outcome(_ context.Context, after, write string) (WriteOutcome, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.outcomeFails != 0 {
		l.outcomeFails--
		return WriteOutcome{}, errors.New("connection refused")
	}
	if l.fences[write] {
		return WriteOutcome{Outcome: OutcomeNotApplied}, nil
	}
	for i, id := range l.ids {
		if !PositionAfter(id, after) {
			continue
		}
		if l.writes[i] == write {
			return WriteOutcome{Outcome: OutcomeApplied, Position: id}, nil
		}
		if l.writes[i] == "" { // a reset
			return WriteOutcome{Outcome: OutcomeUnknown, Reason: "a reset follows"}, nil
		}
		return WriteOutcome{Outcome: OutcomeNotApplied}, nil
	}
	if l.fences == nil {
		l.fences = map[string]bool{}
	}
	l.fences[write] = true
	return WriteOutcome{Outcome: OutcomeNotApplied}, nil
}

func (l *memLog) Read(_ context.Context, after string, count int, _ time.Duration) ([]Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return nil, errors.New("connection refused")
	}
	var out []Entry
	for i, id := range l.ids {
		if PositionAfter(id, after) && len(out) < count {
			var e Entry
			if err := json.Unmarshal(l.entries[i], &e); err != nil {
				return nil, err
			}
			e.ID, e.Write = id, l.writes[i]
			out = append(out, e)
		}
	}
	return out, nil
}

func loggedPair(t *testing.T) (a, b *Store, log *memLog) {
	t.Helper()
	log = &memLog{}
	a, b = newTestStore(t), newTestStore(t)
	a.SetLog(log)
	b.SetLog(log)
	return a, b, log
}

func ids(t *testing.T, s *Store) string {
	t.Helper()
	var out []string
	if err := s.Scan("c", func(it Item) bool {
		out = append(out, fmt.Sprintf("%d:%v", it.Seq, it.Lookup("id")))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(out)
}

func TestLogKeepsReplicasEqual(t *testing.T) {
	a, b, _ := loggedPair(t)
	ctx := context.Background()
	steps := []struct {
		name string
		on   *Store
		fn   func(tx *Tx) error
	}{
		{"insert on a", a, func(tx *Tx) error { _, err := tx.Insert("c", Record{"id": "x", "group": "1"}); return err }},
		{"delete on b (b is behind)", b, func(tx *Tx) error { _, err := tx.Delete("c", "id", "3"); return err }},
		{"rolled back insert on a", a, func(tx *Tx) error {
			_, _ = tx.Insert("c", Record{"id": "y"})
			return errors.New("refused")
		}},
		{"insert on b", b, func(tx *Tx) error { _, err := tx.Insert("c", Record{"id": "z"}); return err }},
		{"replace on a", a, func(tx *Tx) error {
			it, _, _ := tx.Get("c", "id", "z")
			return tx.Replace("c", it.Seq, Record{"id": "z", "n": 2.0})
		}},
	}
	for _, st := range steps {
		_ = st.on.Update(st.fn)
	}
	for _, s := range []*Store{a, b} {
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ga, gb := ids(t, a), ids(t, b); ga != gb {
		t.Fatalf("replicas differ:\na %s\nb %s", ga, gb)
	}
	if _, ok, _ := b.Get("c", "id", "x"); !ok {
		t.Error("b misses a's insert")
	}
	if _, ok, _ := a.Get("c", "id", "3"); ok {
		t.Error("a still has what b deleted")
	}
	it, _, _ := b.Get("c", "id", "z")
	if it.Lookup("n") != 2.0 {
		t.Errorf("b has z = %v, want a's replacement", it.Record())
	}
}

func TestLogGuardedWritesAreLinearizable(t *testing.T) {
	a, b, _ := loggedPair(t)
	stores := []*Store{a, b}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := stores[i%2].Update(func(tx *Tx) error {
				if _, ok, _ := tx.Get("c", "id", "5"); !ok {
					return ErrNotFound
				}
				_, err := tx.Delete("c", "id", "5")
				return err
			})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, ErrNotFound) {
				t.Errorf("delete: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d deletes of one record succeeded, want 1", wins)
	}
}

func TestLogResetAndOutage(t *testing.T) {
	a, b, log := loggedPair(t)
	ctx := context.Background()
	if err := a.Insert("c", Record{"id": "new"}); err != nil {
		t.Fatal(err)
	}
	if err := b.TryReset(); err != nil {
		t.Fatal(err)
	}
	if err := a.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Len("c"); n != 10 {
		t.Errorf("after a reset on b, a has %d records, want 10", n)
	}
	log.down = true
	if err := a.Insert("c", Record{"id": "lost"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("insert with the log down: %v, want ErrUnavailable", err)
	}
	if _, ok, _ := a.Get("c", "id", "lost"); ok {
		t.Error("a write the log refused is in the store")
	}
	if err := a.TryReset(); !errors.Is(err, ErrUnavailable) {
		t.Errorf("reset with the log down: %v", err)
	}
	log.down = false
	if err := a.Insert("c", Record{"id": "kept"}); err != nil {
		t.Fatalf("insert once the log is back: %v", err)
	}
	if err := b.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if ga, gb := ids(t, a), ids(t, b); ga != gb {
		t.Fatalf("replicas differ:\na %s\nb %s", ga, gb)
	}
}

func TestFollowAppliesNewEntries(t *testing.T) {
	a, b, _ := loggedPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Follow(ctx, time.Millisecond, time.Millisecond, nil); close(done) }()
	if err := a.Insert("c", Record{"id": "f"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok, _ := b.Get("c", "id", "f"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("b never applied a's insert")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
}

func TestPositionAfter(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1-0", "", true},
		{"", "", false},
		{"2-0", "1-9", true},
		{"1-10", "1-9", true},
		{"1-9", "1-10", false},
		{"1-1", "1-1", false},
		{"junk", "", false},
	}
	for _, tt := range tests {
		if got := PositionAfter(tt.a, tt.b); got != tt.want {
			t.Errorf("PositionAfter(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
