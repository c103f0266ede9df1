package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, Index: []string{"group"}}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		if err := s.Insert("c", Record{"id": fmt.Sprint(i), "group": fmt.Sprint(i % 3), "n": float64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Freeze()
	return s
}

func TestGetFindAndKeys(t *testing.T) {
	s := newTestStore(t)
	tests := []struct {
		field string
		value any
		want  int
	}{
		{"id", "3", 1},
		{"id", "11", 0},
		{"group", "1", 4},  // 1,4,7,10 via the index
		{"n", 4.0, 1},      // scan, float key
		{"n", "4", 1},      // a path segment finds the JSON number
		{"id", nil, 0},     // not a key
		{"nested.x", 1, 0}, // missing path
	}
	for _, tt := range tests {
		got, err := s.Find("c", tt.field, tt.value)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tt.want {
			t.Errorf("Find(%s=%v) = %d records, want %d", tt.field, tt.value, len(got), tt.want)
		}
	}
	if _, _, err := s.Get("nope", "id", "1"); !errors.Is(err, ErrNoCollection) {
		t.Errorf("unknown collection: %v", err)
	}
}

func TestInsertRejectsDuplicatesAndMissingKeys(t *testing.T) {
	s := newTestStore(t)
	if err := s.Insert("c", Record{"id": "3"}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate: %v", err)
	}
	if err := s.Insert("c", Record{"x": 1}); !errors.Is(err, ErrMissingKey) {
		t.Errorf("missing key: %v", err)
	}
	// All or none: the second record's failure undoes the first.
	if err := s.Insert("c", Record{"id": "new"}, Record{"id": "1"}); err == nil {
		t.Fatal("want an error")
	}
	if _, ok, _ := s.Get("c", "id", "new"); ok {
		t.Error("failed Insert left a record behind")
	}
}

func TestUpdateRollsBack(t *testing.T) {
	s := newTestStore(t)
	v0 := s.Version()
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		if _, err := tx.Delete("c", "id", "2"); err != nil {
			return err
		}
		it, _, _ := tx.Get("c", "id", "5")
		if err := tx.Replace("c", it.Seq, Record{"id": "5", "group": "x"}); err != nil {
			return err
		}
		if _, err := tx.Insert("c", Record{"id": "99", "group": "1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	if s.Version() != v0 {
		t.Error("a rolled-back transaction changed the version")
	}
	for _, id := range []string{"2", "5"} {
		if _, ok, _ := s.Get("c", "id", id); !ok {
			t.Errorf("record %s missing after rollback", id)
		}
	}
	if it, _, _ := s.Get("c", "id", "5"); it.Record()["group"] != "2" {
		t.Errorf("record 5 = %v after rollback", it.Record())
	}
	if got, _ := s.Find("c", "group", "1"); len(got) != 4 {
		t.Errorf("index group=1 has %d records after rollback, want 4", len(got))
	}
	if n, _ := s.Len("c"); n != 10 {
		t.Errorf("Len = %d, want 10", n)
	}
}

func TestSliceWindows(t *testing.T) {
	s := newTestStore(t)
	seqs := func(p Page) []uint64 {
		var out []uint64
		for _, it := range p.Items {
			out = append(out, it.Seq)
		}
		return out
	}
	tests := []struct {
		name       string
		w          Window
		want       []uint64
		prev, next bool
	}{
		{"first 3", Window{First: 3, Last: -1}, []uint64{1, 2, 3}, false, true},
		{"after 8", Window{After: 8, First: 5, Last: -1}, []uint64{9, 10}, true, false},
		{"last 2 before 4", Window{Before: 4, First: -1, Last: 2}, []uint64{2, 3}, true, true},
		{"all", Window{First: -1, Last: -1}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, false, false},
		{"empty range", Window{After: 5, Before: 6, First: -1, Last: -1}, nil, true, true},
		{"zero first", Window{First: 0, Last: -1}, nil, false, true},
	}
	for _, tt := range tests {
		p, err := s.Slice("c", tt.w)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(seqs(p)) != fmt.Sprint(tt.want) || p.HasPrevious != tt.prev || p.HasNext != tt.next || p.Total != 10 {
			t.Errorf("%s: got %v prev=%v next=%v total=%d; want %v prev=%v next=%v", tt.name, seqs(p), p.HasPrevious, p.HasNext, p.Total, tt.want, tt.prev, tt.next)
		}
	}
	// A cursor whose record was deleted still marks the same gap.
	_ = s.Update(func(tx *Tx) error { _, err := tx.Delete("c", "id", "5"); return err })
	p, _ := s.Slice("c", Window{After: 5, First: 2, Last: -1})
	if fmt.Sprint(seqs(p)) != "[6 7]" {
		t.Errorf("after deleted seq 5: %v", seqs(p))
	}
}

func TestResetRestoresFrozenState(t *testing.T) {
	s := newTestStore(t)
	_ = s.Update(func(tx *Tx) error {
		_, err := tx.Delete("c", "id", "1")
		return err
	})
	_ = s.Insert("c", Record{"id": "x"})
	s.Reset()
	if n, _ := s.Len("c"); n != 10 {
		t.Fatalf("Len after Reset = %d", n)
	}
	if _, ok, _ := s.Get("c", "id", "1"); !ok {
		t.Error("record 1 not restored")
	}
	if _, ok, _ := s.Get("c", "id", "x"); ok {
		t.Error("inserted record survived Reset")
	}
}

// TestConcurrentDeletes runs racing transactions: each record is deleted
// exactly once and the indexes stay consistent (run with -race).
func TestConcurrentDeletes(t *testing.T) {
	s := newTestStore(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := map[string]int{}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= 10; i++ {
				id := fmt.Sprint(i)
				err := s.Update(func(tx *Tx) error { _, err := tx.Delete("c", "id", id); return err })
				if err == nil {
					mu.Lock()
					wins[id]++
					mu.Unlock()
				} else if !errors.Is(err, ErrNotFound) {
					t.Error(err)
				}
				_, _ = s.Slice("c", Window{First: 3, Last: -1})
			}
		}()
	}
	wg.Wait()
	for i := 1; i <= 10; i++ {
		if wins[fmt.Sprint(i)] != 1 {
			t.Errorf("record %d deleted %d times", i, wins[fmt.Sprint(i)])
		}
	}
	if got, _ := s.Find("c", "group", "1"); len(got) != 0 {
		t.Errorf("index still holds %d records", len(got))
	}
}

// TestTxScan: Scan inside a transaction sees the transaction's own
// changes, in sequence order, and stops when fn returns false.
func TestTxScan(t *testing.T) {
	s := newTestStore(t)
	err := s.Update(func(tx *Tx) error {
		if _, err := tx.Insert("c", Record{"id": "11", "group": "2"}); err != nil {
			return err
		}
		if _, err := tx.Delete("c", "id", "1"); err != nil {
			return err
		}
		var ids []any
		if err := tx.Scan("c", func(it Item) bool { ids = append(ids, it.Lookup("id")); return true }); err != nil {
			return err
		}
		if len(ids) != 10 || ids[0] != "2" || ids[9] != "11" {
			t.Errorf("scan in tx = %v", ids)
		}
		n := 0
		_ = tx.Scan("c", func(Item) bool { n++; return n < 3 })
		if n != 3 {
			t.Errorf("scan did not stop: %d calls", n)
		}
		if err := tx.Scan("nope", func(Item) bool { return true }); !errors.Is(err, ErrNoCollection) {
			t.Errorf("scan of an unknown collection = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
