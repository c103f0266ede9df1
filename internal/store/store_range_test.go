package store

import (
	"errors"
	"slices"
	"testing"
)

func TestRange(t *testing.T) {
	s := newTestStore(t)
	ids := func(items []Item) []string {
		out := []string{}
		for _, it := range items {
			out = append(out, it.Lookup("id").(string))
		}
		return out
	}
	tests := []struct {
		offset, limit int
		want          []string
	}{
		{0, 3, []string{"1", "2", "3"}},
		{8, 5, []string{"9", "10"}},
		{9, -1, []string{"10"}},
		{0, 0, []string{}},
		{10, 2, []string{}},
		{99, 2, []string{}},
		{-4, 2, []string{"1", "2"}},
	}
	for _, tt := range tests {
		items, total, err := s.Range("c", tt.offset, tt.limit)
		if err != nil || total != 10 || !slices.Equal(ids(items), tt.want) {
			t.Errorf("Range(%d, %d) = %v, %d, %v; want %v, 10", tt.offset, tt.limit, ids(items), total, err, tt.want)
		}
	}
	// the page is a copy: a later delete does not change it
	items, _, _ := s.Range("c", 0, 2)
	if err := s.Update(func(tx *Tx) error { _, err := tx.Delete("c", "id", "1"); return err }); err != nil {
		t.Fatal(err)
	}
	if items[0].Lookup("id") != "1" {
		t.Fatalf("page changed under the caller: %v", ids(items))
	}
	if after, total, _ := s.Range("c", 0, 2); total != 9 || !slices.Equal(ids(after), []string{"2", "3"}) {
		t.Fatalf("after delete: %v, %d", ids(after), total)
	}
	if _, _, err := s.Range("nope", 0, 1); !errors.Is(err, ErrNoCollection) {
		t.Fatalf("unknown collection: %v", err)
	}
}
