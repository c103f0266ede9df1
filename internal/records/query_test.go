package records_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/standin/standin/internal/auth"
	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/reqctx"
	"github.com/standin/standin/internal/store"
)

const things = "t.things"

// thingsStore holds n things: id "t<i>", color red/green/blue in turn
// (indexed), rank (i*7)%n, owner "a" for even i and "b" for odd.
func thingsStore(t testing.TB, n int) *store.Store {
	t.Helper()
	st := store.New()
	if err := st.Define(store.Definition{Name: things, Unique: []string{"id"}, Index: []string{"color"}}); err != nil {
		t.Fatal(err)
	}
	colors := []string{"red", "green", "blue"}
	for i := range n {
		owner := "a"
		if i%2 == 1 {
			owner = "b"
		}
		if err := st.Insert(things, store.Record{"id": fmt.Sprintf("t%d", i), "color": colors[i%3], "rank": float64((i * 7) % n), "owner": owner}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func ids(items []store.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, fmt.Sprint(it.Lookup("id")))
	}
	return out
}

// ownerA sees only the things of owner "a".
var ownerA = &auth.Principal{Token: "a", Scopes: map[string]auth.Scope{"t": {Match: map[string]any{"owner": "a"}}}}

func viewWith(src *records.Source, set reqctx.DataSet, p *auth.Principal) records.View {
	ctx := reqctx.WithDataSet(context.Background(), set)
	if p != nil {
		ctx = reqctx.WithPrincipal(ctx, p)
	}
	return records.ViewOf(ctx, src)
}

func TestListSelectsAndPages(t *testing.T) {
	src := records.NewSource("t", thingsStore(t, 10), nil)
	for _, tc := range []struct {
		name      string
		view      records.View
		q         records.Query
		span      records.Span
		want      []string
		wantTotal int
	}{
		{"plain page", viewWith(src, "", nil), records.Query{}, records.Span{Offset: 2, Limit: 3}, []string{"t2", "t3", "t4"}, 10},
		{"plain, past the end", viewWith(src, "", nil), records.Query{}, records.Span{Offset: 9, Limit: 3}, []string{"t9"}, 10},
		{"plain, all", viewWith(src, "", nil), records.Query{}, records.Span{Limit: -1}, []string{"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"}, 10},
		{"indexed eq, total", viewWith(src, "", nil), records.Query{Where: records.Predicate{Eq: map[string]any{"color": "red"}}},
			records.Span{Limit: 2, Total: true}, []string{"t0", "t3"}, 4},
		{"two eq fields", viewWith(src, "", nil), records.Query{Where: records.Predicate{Eq: map[string]any{"color": "red", "owner": "b"}}},
			records.Span{Limit: -1, Total: true}, []string{"t3", "t9"}, 2},
		{"one-of by scan", viewWith(src, "", nil), records.Query{Where: records.Predicate{OneOf: map[string][]any{"color": {"green", "blue"}}}},
			records.Span{Offset: 1, Limit: 2, Total: true}, []string{"t2", "t4"}, 6},
		{"number key equals its text", viewWith(src, "", nil), records.Query{Where: records.Predicate{Eq: map[string]any{"rank": "7"}}},
			records.Span{Limit: -1, Total: true}, []string{"t1"}, 1},
		{"scoped", viewWith(src, "", ownerA), records.Query{Scoped: true}, records.Span{Limit: 3, Total: true}, []string{"t0", "t2", "t4"}, 5},
		{"scope off for an unscoped binding", viewWith(src, "", ownerA), records.Query{}, records.Span{Limit: 2, Total: true}, []string{"t0", "t1"}, 10},
		{"scope and filter", viewWith(src, "", ownerA), records.Query{Scoped: true, Where: records.Predicate{Eq: map[string]any{"color": "red"}}},
			records.Span{Limit: -1, Total: true}, []string{"t0", "t6"}, 2},
		{"ordered", viewWith(src, "", nil), records.Query{Order: records.Order{Key: "RANK:DESC", Field: "rank", Desc: true}},
			records.Span{Limit: 3, Total: true}, []string{"t7", "t4", "t1"}, 10},
		{"empty data set", viewWith(src, reqctx.DataEmpty, nil), records.Query{}, records.Span{Limit: -1, Total: true}, []string{}, 0},
		{"limit 0 without total reads nothing", viewWith(src, "", nil), records.Query{}, records.Span{Limit: 0}, []string{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Collection = things
			l, err := tc.view.List(tc.q, tc.span)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(l.Items); !slices.Equal(got, tc.want) || l.Total != tc.wantTotal || l.Count != len(tc.want) {
				t.Fatalf("List = %v total %d count %d, want %v total %d", got, l.Total, l.Count, tc.want, tc.wantTotal)
			}
		})
	}
}

func TestCutPagesByCursor(t *testing.T) {
	src := records.NewSource("t", thingsStore(t, 10), nil)
	v := viewWith(src, "", nil)
	byRank := records.Order{Key: "RANK:ASC", Field: "rank"}
	for _, tc := range []struct {
		name string
		q    records.Query
		want []string
	}{
		{"store order", records.Query{}, []string{"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"}},
		{"filtered", records.Query{Where: records.Predicate{Eq: map[string]any{"color": "green"}}}, []string{"t1", "t4", "t7"}},
		{"ordered", records.Query{Order: byRank}, []string{"t0", "t3", "t6", "t9", "t2", "t5", "t8", "t1", "t4", "t7"}},
		{"scoped and ordered", records.Query{Order: byRank}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Collection = things
			view := v
			if tc.want == nil {
				view, tc.q.Scoped = viewWith(src, "", ownerA), true
				tc.want = []string{"t0", "t6", "t2", "t8", "t4"}
			}
			// walk forward two at a time, then backward from the end
			var got []string
			var after string
			for range 20 {
				c, err := records.ParseCursor(after, tc.q.Order)
				if err != nil {
					t.Fatal(err)
				}
				cut, err := view.Cut(tc.q, records.Window{First: 2, Last: -1, After: c})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(cut.Items)...)
				if cut.Total != len(tc.want) {
					t.Fatalf("total %d, want %d", cut.Total, len(tc.want))
				}
				if !cut.HasNext {
					break
				}
				after = cut.Cursor(len(cut.Items) - 1)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("forward: %v, want %v", got, tc.want)
			}
			var back []string
			var before string
			for range 20 {
				c, _ := records.ParseCursor(before, tc.q.Order)
				cut, err := view.Cut(tc.q, records.Window{First: -1, Last: 3, Before: c})
				if err != nil {
					t.Fatal(err)
				}
				back = append(ids(cut.Items), back...)
				if !cut.HasPrevious {
					break
				}
				before = cut.Cursor(0)
			}
			if !slices.Equal(back, tc.want) {
				t.Fatalf("backward: %v, want %v", back, tc.want)
			}
		})
	}
}

func TestParseCursorRefusesOthers(t *testing.T) {
	src := records.NewSource("t", thingsStore(t, 3), nil)
	byRank := records.Order{Key: "RANK:ASC", Field: "rank"}
	cut, err := viewWith(src, "", nil).Cut(records.Query{Collection: things, Order: byRank}, records.Window{First: 1, Last: -1})
	if err != nil || len(cut.Items) != 1 {
		t.Fatal(cut, err)
	}
	c := cut.Cursor(0)
	if _, err := records.ParseCursor(c, records.Order{}); !errors.Is(err, records.ErrOtherOrder) {
		t.Errorf("a ranked cursor in store order: %v, want ErrOtherOrder", err)
	}
	if _, err := records.ParseCursor("garbage", byRank); !errors.Is(err, records.ErrBadCursor) {
		t.Errorf("garbage: %v, want ErrBadCursor", err)
	}
	if got, err := records.ParseCursor("", byRank); got != nil || err != nil {
		t.Errorf("no cursor: %v, %v", got, err)
	}
}

func TestGetByKey(t *testing.T) {
	src := records.NewSource("t", thingsStore(t, 4), nil)
	for _, tc := range []struct {
		name    string
		view    records.View
		k       records.Key
		want    string
		wantErr error
	}{
		{"found", viewWith(src, "", nil), records.Key{Field: "id", Value: "t1"}, "t1", nil},
		{"not found", viewWith(src, "", nil), records.Key{Field: "id", Value: "nope"}, "", records.ErrNotFound},
		{"not a UUID: no other spelling", viewWith(src, "", nil), records.Key{Field: "id", Value: "T2"}, "", records.ErrNotFound},
		{"also holds", viewWith(src, "", nil), records.Key{Field: "id", Value: "t1", Also: map[string]any{"owner": "b"}}, "t1", nil},
		{"also fails", viewWith(src, "", nil), records.Key{Field: "id", Value: "t1", Also: map[string]any{"owner": "a"}}, "", records.ErrNotFound},
		{"in scope", viewWith(src, "", ownerA), records.Key{Field: "id", Value: "t2", Scoped: true}, "t2", nil},
		{"out of scope", viewWith(src, "", ownerA), records.Key{Field: "id", Value: "t1", Scoped: true}, "", records.ErrOutOfScope},
		{"unscoped binding", viewWith(src, "", ownerA), records.Key{Field: "id", Value: "t1"}, "t1", nil},
		{"empty data set", viewWith(src, reqctx.DataEmpty, nil), records.Key{Field: "id", Value: "t1"}, "", records.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it, err := tc.view.Get(things, tc.k)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if err == nil && it.Lookup("id") != tc.want {
				t.Fatalf("got %v, want %s", it.Lookup("id"), tc.want)
			}
		})
	}
}

// TestGetKeyStaysOnTheStack: a key built per request costs no allocation
// of its own in Get: looking a record up by a variable id allocates no more
// than by a constant one (boxing a constant never allocates; boxing the
// variable would, were the key's values to escape through the lookup).
func TestGetKeyStaysOnTheStack(t *testing.T) {
	src := records.NewSource("t", thingsStore(t, 4), nil)
	v := viewWith(src, "", ownerA)
	id := fmt.Sprint("t", 2)
	get := func(k records.Key) {
		if _, err := v.Get(things, k); err != nil {
			t.Fatal(err)
		}
	}
	constant := testing.AllocsPerRun(100, func() { get(records.Key{Field: "id", Value: "t2", Scoped: true}) })
	variable := testing.AllocsPerRun(100, func() { get(records.Key{Field: "id", Value: id, Scoped: true}) })
	if variable != constant {
		t.Errorf("View.Get by a variable id: %v allocations, by a constant one %v", variable, constant)
	}
}

// The large data set replaces the collection for a "large" request, and a
// read of it costs time: more than the deadline allows is a TimeoutError,
// a page answers.
func TestLargeDataSetCostsTime(t *testing.T) {
	large := thingsStore(t, 500)
	src := records.NewSource("t", thingsStore(t, 5), func(col string) (*store.Store, string, bool) {
		return large, col, col == things
	})
	ctx, cancel := context.WithTimeout(reqctx.WithDataSet(context.Background(), reqctx.DataLarge), 200*time.Millisecond)
	defer cancel()
	v := records.ViewOf(ctx, src)
	q := records.Query{Collection: things, Cost: time.Millisecond}
	page, err := v.List(q, records.Span{Limit: 10, Total: true})
	if err != nil || page.Total != 500 || page.Count != 10 {
		t.Fatalf("a page of the large set: total %d count %d, %v", page.Total, page.Count, err)
	}
	cut, err := v.Cut(q, records.Window{First: 10, Last: -1})
	if err != nil || cut.Total != 500 {
		t.Fatalf("a cut of the large set: total %d, %v", cut.Total, err)
	}
	_, err = v.List(q, records.Span{Limit: -1})
	var te *records.TimeoutError
	if !errors.As(err, &te) || te.Records != 500 {
		t.Fatalf("the whole large set: %v, want a TimeoutError for 500 records", err)
	}
	if n, _ := viewWith(src, "", nil).List(q, records.Span{Limit: -1}); n.Count != 5 {
		t.Fatalf("the normal data set has %d records, want 5", n.Count)
	}
}

// A plain span longer than StreamAbove is streamed in chunks, each read
// after the last record yielded: a record deleted meanwhile is the only
// one missing.
func TestListStreamsLongSpans(t *testing.T) {
	st := thingsStore(t, 7)
	v := viewWith(records.NewSource("t", st, nil), "", nil)
	for _, tc := range []struct{ offset, limit, chunk int }{{0, -1, 2}, {1, 4, 3}, {2, -1, 1}, {6, 5, 2}} {
		l, err := v.List(records.Query{Collection: things}, records.Span{Offset: tc.offset, Limit: tc.limit, StreamAbove: 0, Chunk: tc.chunk})
		if err != nil {
			t.Fatal(err)
		}
		s, err := v.List(records.Query{Collection: things}, records.Span{Offset: tc.offset, Limit: tc.limit, StreamAbove: 1, Chunk: tc.chunk})
		if err != nil {
			t.Fatal(err)
		}
		want := ids(l.Items)
		if len(want) > 1 && s.Stream == nil {
			t.Fatalf("%+v: a span of %d is not streamed", tc, len(want))
		}
		var got []store.Item
		if s.Stream != nil {
			got = slices.Collect(s.Stream)
		} else {
			got = s.Items
		}
		if !slices.Equal(ids(got), want) || s.Count != len(want) {
			t.Errorf("%+v: streamed %v (count %d), want %v", tc, ids(got), s.Count, want)
		}
	}
	s, _ := v.List(records.Query{Collection: things}, records.Span{Limit: -1, StreamAbove: 1, Chunk: 2})
	var got []string
	for it := range s.Stream {
		got = append(got, fmt.Sprint(it.Lookup("id")))
		if it.Lookup("id") == "t1" {
			if err := st.Update(func(tx *store.Tx) error { _, err := tx.Delete(things, "id", "t3"); return err }); err != nil {
				t.Fatal(err)
			}
		}
	}
	if want := []string{"t0", "t1", "t2", "t4", "t5", "t6"}; !slices.Equal(got, want) {
		t.Fatalf("with a delete between chunks: %v, want %v", got, want)
	}
}

func TestCompareValues(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want int
	}{
		{nil, nil, 0}, {nil, "a", -1}, {"a", nil, 1}, {"a", "b", -1}, {2.0, 10.0, -1}, {10.0, 2.0, 1},
		{false, true, -1}, {true, true, 0}, {"10", 2.0, -1},
	} {
		if got := records.CompareValues(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareValues(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
