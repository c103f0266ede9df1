package kit

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestRecordNote(t *testing.T) {
	for _, tc := range []struct{ where, records, want string }{
		{"/content/3/name", "content", " (record #14 of the walk)"},
		{"/3/name", "", " (record #14 of the walk)"},
		{"/page/size", "content", ""},
		{"", "content", ""},
	} {
		if got := recordNote(tc.where, tc.records, 10); got != tc.want {
			t.Errorf("recordNote(%q): %q, want %q", tc.where, got, tc.want)
		}
	}
}

func TestDistinctValues(t *testing.T) {
	recs := []WalkedRecord{}
	for _, n := range []string{"a", "b", "b", "c", "b", "d"} {
		recs = append(recs, WalkedRecord{Rec: map[string]any{"name": n}})
	}
	recs = append(recs, WalkedRecord{Rec: map[string]any{"name": nil}})
	got := DistinctValues(recs, "name", 3)
	if !reflect.DeepEqual(got, []any{"a", "b", "d"}) {
		t.Fatalf("got %v: want the first, the most shared, the last", got)
	}
	if got := DistinctValues(recs, "missing", 3); got != nil {
		t.Fatalf("got %v for a field no record has", got)
	}
}

func TestMatchMode(t *testing.T) {
	for doc, want := range map[string]string{
		"Only companies whose name equals this value exactly": "equal",
		"Exact, case-sensitive account name.":                 "equal",
		"Case-insensitive match on the name":                  "fold",
		"Names that contain this text":                        "equal",
		"Only names that contains this substring":             "contains",
	} {
		if got := MatchMode(doc); got != want {
			t.Errorf("MatchMode(%q) = %s, want %s", doc, got, want)
		}
	}
}

func TestCompareScalars(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want int
	}{
		{json.Number("2"), json.Number("10"), -1},
		{"b", "a", 1},
		{"2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z", 0},
		{nil, "a", -1},
		{false, true, -1},
	} {
		if got := CompareScalars(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareScalars(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
