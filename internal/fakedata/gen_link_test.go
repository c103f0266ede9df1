package fakedata

import (
	"strconv"
	"strings"
	"testing"

	"github.com/standin/standin/internal/store"
)

func TestNodeIDRoundTrip(t *testing.T) {
	tests := []struct {
		typ  string
		n    int
		want string
	}{
		{"User", 1, "VXNlcjox"},
		{"PullRequestReviewComment", 20, "UHVsbFJlcXVlc3RSZXZpZXdDb21tZW50OjIw"},
	}
	for _, tc := range tests {
		id := NodeID(tc.typ, tc.n)
		if id != tc.want {
			t.Errorf("NodeID(%s, %d) = %q, want %q", tc.typ, tc.n, id, tc.want)
		}
		typ, rest, ok := ParseNodeID(id)
		if !ok || typ != tc.typ || rest != strconv.Itoa(tc.n) {
			t.Errorf("ParseNodeID(%q) = %q, %q, %v", id, typ, rest, ok)
		}
	}
	for _, bad := range []string{"", "not base64!", "MTIz" /* "123" */, NodeIDOf("1x", "2"), strings.Repeat("A", 600)} {
		if typ, _, ok := ParseNodeID(bad); ok {
			t.Errorf("ParseNodeID(%q) = %q, ok; want not ok", bad, typ)
		}
	}
	// standard base64 with padding, as other servers write them
	if typ, rest, ok := ParseNodeID("VXNlcjoxMA=="); !ok || typ != "User" || rest != "10" {
		t.Errorf("padded id: %q %q %v", typ, rest, ok)
	}
}

// TestLinks: link draws keys of records the target collections will have
// (by their counts), none from an empty one, distinct in a list; nodeId is
// the record's own key.
func TestLinks(t *testing.T) {
	spec := Spec{API: "test", Collection: "books", Unique: []string{"id"}, Fields: map[string]any{
		"id":      y(t, `{nodeId: {type: Book}}`),
		"author":  y(t, `{link: {to: [{collection: authors, type: Author}, {collection: none, type: Nobody}]}}`),
		"shelves": y(t, `{link: {to: [{collection: shelves, number: true}], min: 2, max: 3}}`),
		"ghost":   y(t, `{link: {to: [{collection: none, type: Nobody}]}}`),
	}}
	counts := map[string]int{"authors": 4, "shelves": 3}
	recs, err := Generate(spec, Env{Seed: 7, Counts: func(c string) int { return counts[c] }}, 30)
	if err != nil {
		t.Fatal(err)
	}
	authors := map[string]bool{}
	for i := 1; i <= 4; i++ {
		authors[NodeID("Author", i)] = true
	}
	for i, r := range recs {
		if r["id"] != NodeID("Book", i+1) {
			t.Errorf("record %d: id %v", i, r["id"])
		}
		if a, _ := r["author"].(string); !authors[a] {
			t.Errorf("record %d: author %v is no generated author", i, r["author"])
		}
		if r["ghost"] != nil {
			t.Errorf("record %d: a link into an empty collection is %v, want null", i, r["ghost"])
		}
		l := r["shelves"].([]any)
		seen := map[any]bool{}
		for _, k := range l {
			if f, _ := k.(float64); f < 1 || f > 3 || seen[k] {
				t.Errorf("record %d: shelves %v: want distinct numbers 1..3", i, l)
			}
			seen[k] = true
		}
		if len(l) < 2 {
			t.Errorf("record %d: %d shelves, want 2 or 3", i, len(l))
		}
	}
	if _, err := Generate(spec, Env{Seed: 7}, 1); err == nil || !strings.Contains(err.Error(), "counts") {
		t.Errorf("without Env.Counts: %v", err)
	}
}

// TestUniqueUnderscoreKept: a unique field whose name begins with "_" is
// the store-only key and stays in the record; other "_" fields are hidden.
func TestUniqueUnderscoreKept(t *testing.T) {
	spec := Spec{API: "test", Collection: "c", Unique: []string{"_key"}, Fields: map[string]any{
		"_key":  y(t, `{nodeId: {type: Thing}}`),
		"_tmp":  y(t, `{const: 1}`),
		"label": y(t, `{template: "thing {{ref _key}}"}`),
	}}
	recs, err := Generate(spec, Env{Seed: 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Record{"_key": NodeID("Thing", 2), "label": "thing " + NodeID("Thing", 2)}
	if r := recs[1]; len(r) != 2 || r["_key"] != want["_key"] || r["label"] != want["label"] {
		t.Errorf("record = %v, want %v", r, want)
	}
}

func TestBadLinks(t *testing.T) {
	for _, expr := range []string{
		`{link: {}}`,
		`{link: {to: [authors]}}`,
		`{link: {to: [{collection: a}]}}`,
		`{link: {to: [{collection: a, type: A, extra: 1}]}}`,
		`{link: {to: [{collection: a, type: A}], min: 1}}`,
		`{link: {to: [{collection: a, type: A}], min: 3, max: 2}}`,
		`{nodeId: {}}`,
		`{nodeId: {type: "1x"}}`,
	} {
		if _, err := Compile(Spec{API: "t", Collection: "c", Fields: map[string]any{"f": y(t, expr)}}); err == nil {
			t.Errorf("%s compiled", expr)
		}
	}
}
