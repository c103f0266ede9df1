package store

import (
	"errors"
	"reflect"
	"testing"
)

func TestPackedRecords(t *testing.T) {
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, Index: []string{"p.id"}, PackAfter: 2}); err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		{"id": "1", "name": "kept as a map", "p": map[string]any{"id": "x"}},
		{"id": "2", "name": "kept as a map too"},
		{"id": "3", "name": "packed", "p": map[string]any{"id": "x"}, "n": 3.0},
		{"id": "4", "name": "packed without n", "p": nil},
		{"id": "5", "name": "a key the shape lacks", "extra": true},
	}
	if err := s.Insert("c", recs...); err != nil {
		t.Fatal(err)
	}
	s.Freeze()
	tests := []struct {
		id     string
		packed bool
		path   string
		want   any
	}{
		{"1", false, "p.id", "x"},
		{"3", true, "name", "packed"},
		{"3", true, "p.id", "x"},
		{"3", true, "n", 3.0},
		{"4", true, "n", nil},    // absent
		{"4", true, "p.id", nil}, // through null
		{"4", true, "nope", nil},
		{"5", true, "extra", true},
	}
	for _, tt := range tests {
		it, ok, err := s.Get("c", "id", tt.id)
		if err != nil || !ok {
			t.Fatalf("Get %s: %v %v", tt.id, ok, err)
		}
		if got := it.Lookup(tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("record %s: Lookup(%q) = %v, want %v", tt.id, tt.path, got, tt.want)
		}
	}
	// the first PackAfter records stay maps, later ones are encoded
	// whatever their keys
	for i, want := range []bool{false, false, true, true, true} {
		it, _, _ := s.Get("c", "id", recs[i]["id"])
		if it.Packed() != want {
			t.Errorf("record %d packed = %v, want %v", i+1, it.Packed(), want)
		}
		if !reflect.DeepEqual(it.Record(), recs[i]) {
			t.Errorf("record %d: Record() = %v, want %v", i+1, it.Record(), recs[i])
		}
	}
	// indexes see packed values
	if got, _ := s.Find("c", "p.id", "x"); len(got) != 2 || got[1].Lookup("id") != "3" {
		t.Fatalf("Find by a nested indexed field: %v", got)
	}
	// Rev: new for every record put, kept by Reset
	before, _, _ := s.Get("c", "id", "3")
	if err := s.Update(func(tx *Tx) error {
		return tx.Replace("c", before.Seq, Record{"id": "3", "name": "replaced", "p": nil, "n": 4.0})
	}); err != nil {
		t.Fatal(err)
	}
	after, _, _ := s.Get("c", "id", "3")
	if after.Rev() == before.Rev() || after.Lookup("name") != "replaced" || after.Seq != before.Seq {
		t.Fatalf("replace: rev %d -> %d, %v", before.Rev(), after.Rev(), after.Record())
	}
	s.Reset()
	reset, _, _ := s.Get("c", "id", "3")
	if reset.Rev() != before.Rev() || reset.Lookup("name") != "packed" {
		t.Fatalf("reset: rev %d (want %d), %v", reset.Rev(), before.Rev(), reset.Record())
	}
	revs := map[uint64]bool{}
	_ = s.Scan("c", func(it Item) bool {
		if revs[it.Rev()] || it.Rev() == 0 {
			t.Errorf("rev %d given twice or zero", it.Rev())
		}
		revs[it.Rev()] = true
		return true
	})
}

func TestPackAfterNegativePacksAll(t *testing.T) {
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, PackAfter: -1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert("c", Record{"id": "1"}); err != nil {
		t.Fatal(err)
	}
	it, _, _ := s.Get("c", "id", "1")
	if !it.Packed() || it.Lookup("id") != "1" {
		t.Fatalf("not packed: %+v", it)
	}
	if NewItem(7, Record{"a": 1}).Rev() != 0 {
		t.Fatal("NewItem has a Rev")
	}
}

// Freeze shares the items with the collection until its next change; a
// change must not reach the frozen state.
func TestFreezeIsCopyOnWrite(t *testing.T) {
	s := newTestStore(t) // frozen with ids 1..10
	if err := s.Update(func(tx *Tx) error {
		if _, err := tx.Delete("c", "id", "1"); err != nil {
			return err
		}
		it, _, _ := tx.Get("c", "id", "2")
		if err := tx.Replace("c", it.Seq, Record{"id": "2", "group": "9"}); err != nil {
			return err
		}
		_, err := tx.Insert("c", Record{"id": "11", "group": "0"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s.Reset()
	var ids []any
	_ = s.Scan("c", func(it Item) bool { ids = append(ids, it.Lookup("id")); return true })
	if !reflect.DeepEqual(ids, []any{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}) {
		t.Fatalf("after reset: %v", ids)
	}
	if it, _, _ := s.Get("c", "id", "2"); it.Lookup("group") != "2" {
		t.Fatalf("record 2 after reset: %v", it.Record())
	}
}

func TestAddReportsWhetherTheMapIsKept(t *testing.T) {
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, PackAfter: 1}); err != nil {
		t.Fatal(err)
	}
	r := Record{"id": "1"}
	if kept, err := s.Add("c", r); err != nil || !kept {
		t.Fatalf("first record: kept %v, %v", kept, err)
	}
	r = Record{"id": "2"}
	if kept, err := s.Add("c", r); err != nil || kept {
		t.Fatalf("packed record: kept %v, %v", kept, err)
	}
	r["id"] = "changed by the caller" // reusing the map must not change the store
	if it, ok, _ := s.Get("c", "id", "2"); !ok || it.Lookup("id") != "2" {
		t.Fatalf("packed record changed with the caller's map: %v", it.Record())
	}
	if _, err := s.Add("c", Record{"id": "2"}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.Add("nope", Record{"id": "3"}); !errors.Is(err, ErrNoCollection) {
		t.Fatalf("unknown collection: %v", err)
	}
}

func TestPackedNestedObjects(t *testing.T) {
	s := New()
	if err := s.Define(Definition{Name: "c", Unique: []string{"id"}, Index: []string{"tok.status"}, PackAfter: -1}); err != nil {
		t.Fatal(err)
	}
	shared := map[string]any{"id": "p1", "name": "Partner"}
	big := func(id string, withSite bool) map[string]any {
		m := map[string]any{"id": "t" + id, "value": "enroll_" + id, "status": "active", "max": nil, "remaining": 3.0, "deep": map[string]any{"x": id}}
		if withSite {
			m["site"] = "s" + id
		}
		return m
	}
	recs := []Record{
		{"id": "1", "partner": shared, "tok": big("1", true)},
		{"id": "2", "partner": shared, "tok": big("2", false)}, // site absent
		{"id": "3", "partner": shared, "tok": nil},
		{"id": "4", "partner": shared, "tok": map[string]any{"id": "t4", "a": 1.0, "b": 2.0, "c": 3.0, "odd": true}}, // keys the nested shape lacks: a map
	}
	if err := s.Insert("c", recs...); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, path string
		want     any
	}{
		{"1", "tok.value", "enroll_1"},
		{"1", "tok.deep.x", "1"},
		{"1", "tok.site", "s1"},
		{"2", "tok.site", nil},
		{"2", "tok.max", nil},
		{"2", "tok.remaining", 3.0},
		{"2", "tok.nope", nil},
		{"2", "tok.value.more", nil},
		{"3", "tok.value", nil},
		{"4", "tok.odd", true},
		{"1", "partner.name", "Partner"},
		{"2", "tok", map[string]any{"id": "t2", "value": "enroll_2", "status": "active", "max": nil, "remaining": 3.0, "deep": map[string]any{"x": "2"}}},
	}
	for _, tt := range tests {
		it, _, _ := s.Get("c", "id", tt.id)
		if got := it.Lookup(tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("record %s: Lookup(%q) = %v, want %v", tt.id, tt.path, got, tt.want)
		}
	}
	for i, r := range recs {
		it, _, _ := s.Get("c", "id", r["id"])
		if !reflect.DeepEqual(it.Record(), r) {
			t.Errorf("record %d: Record() = %v, want %v", i+1, it.Record(), r)
		}
		if !it.Packed() {
			t.Errorf("record %d is not encoded", i+1)
		}
	}
	if got, _ := s.Find("c", "tok.status", "active"); len(got) != 2 {
		t.Fatalf("index on a packed nested field: %d records", len(got))
	}
}
