package store

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// packerRecord is record i: its shape (nested keys) depends on i % 3.
func packerRecord(i int) Record {
	r := Record{"id": fmt.Sprint(i), "g": fmt.Sprint(i % 5), "n": float64(i)}
	switch i % 3 {
	case 1:
		r["o"] = map[string]any{"k": fmt.Sprint(i), "l": []any{"x", 1.5, nil}}
	case 2:
		r["o"] = map[string]any{fmt.Sprint("k", i%7): true} // a new shape now and then
	}
	return r
}

// TestPackedAddsAreAdds: records packed by Packers on four goroutines at
// once (adding shapes concurrently) and added with AddPacked read back
// exactly as records added with Add; duplicates and stale packs are
// handled as Add handles them.
func TestPackedAddsAreAdds(t *testing.T) {
	const n = 3000
	def := Definition{Name: "c", Unique: []string{"id"}, Index: []string{"g", "o.k"}, PackAfter: 100}
	plain, packed := New(), New()
	for _, s := range []*Store{plain, packed} {
		if err := s.Define(def); err != nil {
			t.Fatal(err)
		}
	}
	raws := make([][]byte, n)
	pks := make([]*Packer, n)
	var wg sync.WaitGroup
	for w := range 4 {
		pk, err := packed.Packer("c")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				b, ok := pk.Pack(nil, packerRecord(i))
				if !ok {
					t.Errorf("record %d not packed", i)
				}
				raws[i], pks[i] = b, pk
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if _, err := plain.Add("c", packerRecord(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := packed.AddPacked("c", packerRecord(i), pks[i], raws[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := packed.AddPacked("c", packerRecord(5), pks[5], raws[5]); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate AddPacked: %v", err)
	}
	for i := range n {
		a, _, _ := plain.Get("c", "id", fmt.Sprint(i))
		b, ok, _ := packed.Get("c", "id", fmt.Sprint(i))
		if !ok || !reflect.DeepEqual(a.Record(), b.Record()) || a.Seq != b.Seq {
			t.Fatalf("record %d: Add %v, AddPacked %v", i, a.Record(), b.Record())
		}
	}
	for _, k := range []string{"0", "3"} {
		a, _ := plain.Find("c", "g", k)
		b, _ := packed.Find("c", "g", k)
		if len(a) != len(b) || len(a) == 0 {
			t.Errorf("g=%s: %d and %d records", k, len(a), len(b))
		}
	}
	// a pack made before Freeze is not copied into the frozen collection
	pk, _ := packed.Packer("c")
	raw, _ := pk.Pack(nil, packerRecord(n))
	packed.Freeze()
	if _, err := packed.AddPacked("c", packerRecord(n), pk, raw); err != nil {
		t.Fatal(err)
	}
	if it, ok, _ := packed.Get("c", "id", fmt.Sprint(n)); !ok || !reflect.DeepEqual(it.Record(), packerRecord(n)) {
		t.Errorf("after Freeze: %v %v", it.Record(), ok)
	}
}
