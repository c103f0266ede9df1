package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"sync"
	"testing"
)

// model is the plain reference the overlay is checked against: the live
// records in sequence order.
type model struct {
	seqs []uint64
	recs []Record
}

func (m *model) clone() model {
	return model{seqs: append([]uint64(nil), m.seqs...), recs: append([]Record(nil), m.recs...)}
}

// TestOverlayMatchesModel runs random inserts, deletes, replaces, resets
// and freezes on collections that keep 0, 3 or all records as maps, and
// after every step compares every read with the reference.
func TestOverlayMatchesModel(t *testing.T) {
	for _, packAfter := range []int{-1, 3, 1000} {
		t.Run(fmt.Sprintf("packAfter=%d", packAfter), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(packAfter+2)))
			s := New()
			if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, Index: []string{"g", "o.k"}, PackAfter: packAfter}); err != nil {
				t.Fatal(err)
			}
			var live, frozen model
			next := uint64(1)
			nextID := 0
			rec := func() Record {
				nextID++
				r := Record{"id": fmt.Sprint(nextID), "g": fmt.Sprint(rng.IntN(4)), "n": float64(rng.IntN(100)),
					"o": map[string]any{"k": fmt.Sprint(rng.IntN(3)), "l": []any{"x", 1.5, nil, true}}}
				if rng.IntN(5) == 0 {
					delete(r, "n") // another shape
				}
				return r
			}
			for range 60 { // built before the first freeze
				r := rec()
				if err := s.Insert("c", r); err != nil {
					t.Fatal(err)
				}
				live.seqs, live.recs = append(live.seqs, next), append(live.recs, r)
				next++
			}
			for step := range 1500 {
				switch op := rng.IntN(20); {
				case op < 6:
					r := rec()
					if err := s.Insert("c", r); err != nil {
						t.Fatal(err)
					}
					live.seqs, live.recs = append(live.seqs, next), append(live.recs, r)
					next++
				case op < 11 && len(live.recs) > 0:
					i := rng.IntN(len(live.recs))
					if err := s.Update(func(tx *Tx) error { _, err := tx.Delete("c", "id", live.recs[i]["id"]); return err }); err != nil {
						t.Fatal(err)
					}
					live.seqs = append(live.seqs[:i], live.seqs[i+1:]...)
					live.recs = append(live.recs[:i], live.recs[i+1:]...)
				case op < 16 && len(live.recs) > 0:
					i := rng.IntN(len(live.recs))
					r := rec()
					if rng.IntN(2) == 0 {
						r["id"] = live.recs[i]["id"] // same key, or a new one
					}
					if err := s.Update(func(tx *Tx) error { return tx.Replace("c", live.seqs[i], r) }); err != nil {
						t.Fatal(err)
					}
					live.recs[i] = r
				case op < 17:
					// a failing transaction changes nothing
					_ = s.Update(func(tx *Tx) error {
						if _, err := tx.Insert("c", rec()); err != nil {
							return err
						}
						if len(live.recs) > 0 {
							if _, err := tx.Delete("c", "id", live.recs[0]["id"]); err != nil {
								return err
							}
						}
						return fmt.Errorf("refused")
					})
					next++
				case op < 19:
					s.Reset()
					live = frozen.clone()
					for i := range live.seqs {
						live.seqs[i] = uint64(i) + 1
					}
					next = uint64(len(live.seqs)) + 1
				default:
					s.Freeze()
					frozen = live.clone()
				}
				compare(t, step, s, &live)
				if t.Failed() {
					return
				}
			}
		})
	}
}

func compare(t *testing.T, step int, s *Store, m *model) {
	t.Helper()
	var seqs []uint64
	var recs []Record
	_ = s.Scan("c", func(it Item) bool { seqs, recs = append(seqs, it.Seq), append(recs, it.Record()); return true })
	if !reflect.DeepEqual(seqs, m.seqs) && len(seqs)+len(m.seqs) > 0 || !reflect.DeepEqual(recs, m.recs) && len(recs)+len(m.recs) > 0 {
		t.Fatalf("step %d: scan\n got %v %v\nwant %v %v", step, seqs, recs, m.seqs, m.recs)
	}
	n := len(m.seqs)
	if got, _ := s.Len("c"); got != n {
		t.Fatalf("step %d: Len %d, want %d", step, got, n)
	}
	for i, r := range m.recs {
		it, ok, _ := s.Get("c", "id", r["id"])
		if !ok || it.Seq != m.seqs[i] || !reflect.DeepEqual(it.Record(), r) || it.Lookup("o.k") != r["o"].(map[string]any)["k"] {
			t.Fatalf("step %d: Get %v = %v %v", step, r["id"], ok, it.Record())
		}
	}
	for _, field := range []string{"g", "o.k", "n"} {
		for v := range 4 {
			var want []uint64
			for i, r := range m.recs {
				if k, _ := KeyOf(Lookup(r, field)); k == fmt.Sprint(v) {
					want = append(want, m.seqs[i])
				}
			}
			found, _ := s.Find("c", field, fmt.Sprint(v))
			var got []uint64
			for _, it := range found {
				got = append(got, it.Seq)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d: Find %s=%d = %v, want %v", step, field, v, got, want)
			}
		}
	}
	// windows and ranges at a few places
	for _, off := range []int{0, 1, n / 2, max(n-1, 0), n} {
		items, total, _ := s.Range("c", off, 5)
		lo := min(max(off, 0), n)
		want := m.seqs[lo:min(lo+5, n)]
		if total != n || !sameSeqs(items, want) {
			t.Fatalf("step %d: Range(%d, 5) = %v, want %v", step, off, items, want)
		}
		if off >= n {
			continue
		}
		after := m.seqs[off]
		p, _ := s.Slice("c", Window{After: after, First: 3, Last: -1})
		j := sort.Search(n, func(i int) bool { return m.seqs[i] > after })
		hi := min(j+3, n)
		if !sameSeqs(p.Items, m.seqs[j:hi]) || p.Total != n || p.HasPrevious != (j > 0) || p.HasNext != (hi < n) {
			t.Fatalf("step %d: Slice after %d = %+v, want %v", step, after, p, m.seqs[j:hi])
		}
		p, _ = s.Slice("c", Window{Before: after, First: -1, Last: 2})
		hi = sort.Search(n, func(i int) bool { return m.seqs[i] >= after })
		lo = max(hi-2, 0)
		if !sameSeqs(p.Items, m.seqs[lo:hi]) || p.HasPrevious != (lo > 0) || p.HasNext != (hi < n) {
			t.Fatalf("step %d: Slice before %d = %+v, want %v", step, after, p, m.seqs[lo:hi])
		}
	}
}

func sameSeqs(items []Item, want []uint64) bool {
	if len(items) != len(want) {
		return false
	}
	for i, it := range items {
		if it.Seq != want[i] {
			return false
		}
	}
	return true
}

// TestResetCostsTheChanges: a reset drops the overlay; the frozen segment
// is shared, never copied.
func TestResetCostsTheChanges(t *testing.T) {
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}}); err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		if _, err := s.Add("c", Record{"id": fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Freeze()
	seg := s.cols["c"].seg
	v := s.Version()
	if err := s.Update(func(tx *Tx) error { _, err := tx.Delete("c", "id", "7"); return err }); err != nil {
		t.Fatal(err)
	}
	s.Reset()
	if c := s.cols["c"]; c.seg != seg || c.overlaid() {
		t.Fatal("reset copied the frozen records or kept changes")
	}
	if s.Version() != v+2 {
		t.Fatalf("version %d, want %d (a write and a reset)", s.Version(), v+2)
	}
	if _, ok, _ := s.Get("c", "id", "7"); !ok {
		t.Fatal("deleted record not back after reset")
	}
}

// TestConcurrentWritesReadsResets is for the race detector: writers,
// readers of every kind and resets at once, on a collection with encoded
// records; every read sees a whole record.
func TestConcurrentWritesReadsResets(t *testing.T) {
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, Index: []string{"g"}, PackAfter: 10}); err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		if _, err := s.Add("c", Record{"id": fmt.Sprint(i), "g": fmt.Sprint(i % 7), "v": "v" + fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Freeze()
	var wg sync.WaitGroup
	const rounds = 300
	for w := range 2 {
		wg.Go(func() {
			for i := range rounds {
				id := fmt.Sprint((i*13 + w*7) % 2000)
				_ = s.Update(func(tx *Tx) error {
					it, ok, _ := tx.Get("c", "id", id)
					if !ok {
						_, err := tx.Insert("c", Record{"id": id, "g": "x", "v": "new"})
						return err
					}
					if i%2 == 0 {
						_, err := tx.Delete("c", "id", id)
						return err
					}
					return tx.Replace("c", it.Seq, Record{"id": id, "g": "y", "v": "replaced"})
				})
				_ = s.Insert("c", Record{"id": fmt.Sprintf("w%d-%d", w, i), "g": "z", "v": "tail"})
			}
		})
	}
	wg.Go(func() {
		for range 30 {
			s.Reset()
		}
	})
	for r := range 2 {
		wg.Go(func() {
			for i := range rounds {
				var items []Item
				if it, ok, _ := s.Get("c", "id", fmt.Sprint(i)); ok {
					items = append(items, it)
				}
				f, _ := s.Find("c", "g", fmt.Sprint(i%7))
				items = append(items, f...)
				p, _ := s.Slice("c", Window{After: uint64(i), First: 20, Last: -1})
				items = append(items, p.Items...)
				rg, _, _ := s.Range("c", 1990+r, 20)
				items = append(items, rg...)
				for _, it := range items {
					if rec := it.Record(); rec["id"] == nil || rec["v"] == nil || it.Lookup("v") != rec["v"] {
						t.Errorf("torn record %v", rec)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
