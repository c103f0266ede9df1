package server

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestPagesCountFromTheirMinimum: a page parameter with a default of 1 and
// no minimum (GitHub's) counts pages from 1: page=1 is the first page, as
// is the page not given and page=0, and page=2 the next, never
// overlapping it.
func TestPagesCountFromTheirMinimum(t *testing.T) {
	s, _ := startOwnSpec(t, "pages", filepath.Join("testdata", "features", "pages.yaml"))
	ids := func(path string) []float64 {
		t.Helper()
		r := s.do(t, stReq{path: path})
		if r.status != 200 {
			t.Fatalf("GET %s = %s", path, r)
		}
		var notes []map[string]any
		if err := json.Unmarshal(r.body, &notes); err != nil {
			t.Fatal(err)
		}
		out := make([]float64, len(notes))
		for i, n := range notes {
			out[i], _ = n["id"].(float64)
		}
		return out
	}
	first, none, zero, second := ids("/notes?page=1&per_page=3"), ids("/notes?per_page=3"), ids("/notes?page=0&per_page=3"), ids("/notes?page=2&per_page=3")
	if len(first) != 3 || len(second) != 3 {
		t.Fatalf("pages of %d and %d notes, want 3 each", len(first), len(second))
	}
	for i := range first {
		if none[i] != first[i] || zero[i] != first[i] {
			t.Errorf("page 1 %v, no page %v, page 0 %v: want the same first page", first, none, zero)
			break
		}
	}
	for _, a := range first {
		for _, b := range second {
			if a == b {
				t.Errorf("page 2 %v repeats note %v of page 1 %v", second, a, first)
			}
		}
	}
}
