package records_test

import (
	"context"
	"slices"
	"testing"

	"github.com/standin/standin/internal/records"
	"github.com/standin/standin/internal/store"
)

// FuzzCut: any cursor text, window size and order on a small collection
// never panics; a cursor ParseCursor accepts gives a page that is a run
// of the whole ordered selection, starting right after the cursor's
// record when the cursor is one of its own.
func FuzzCut(f *testing.F) {
	st := thingsStore(f, 12)
	v := records.ViewOf(context.Background(), records.NewSource("t", st, nil))
	orders := []records.Order{{}, {Key: "RANK:ASC", Field: "rank"}, {Key: "RANK:DESC", Field: "rank", Desc: true}, {Key: "COLOR:ASC", Field: "color"}}
	all := make([][]store.Item, len(orders))
	for i, o := range orders {
		c, err := v.Cut(records.Query{Collection: things, Order: o}, records.Window{First: -1, Last: -1})
		if err != nil {
			f.Fatal(err)
		}
		all[i] = c.Items
		f.Add(c.Cursor(3), uint8(i), int8(2), false)
	}
	f.Add("", uint8(0), int8(-1), true)
	f.Add("not a cursor", uint8(1), int8(5), false)
	f.Fuzz(func(t *testing.T, text string, order uint8, n int8, backward bool) {
		i := int(order) % len(orders)
		o := orders[i]
		c, err := records.ParseCursor(text, o)
		if err != nil {
			return
		}
		w := records.Window{First: int(n), Last: -1, After: c}
		if backward {
			w = records.Window{First: -1, Last: int(n), Before: c}
		}
		cut, err := v.Cut(records.Query{Collection: things, Order: o}, w)
		if err != nil {
			t.Fatal(err)
		}
		if n >= 0 && len(cut.Items) > int(n) {
			t.Fatalf("%d items for a window of %d", len(cut.Items), n)
		}
		whole := all[i]
		if len(cut.Items) == 0 {
			return
		}
		at := slices.IndexFunc(whole, func(it store.Item) bool { return it.Seq == cut.Items[0].Seq })
		if at < 0 || at+len(cut.Items) > len(whole) {
			t.Fatalf("page %v is not a run of the selection", ids(cut.Items))
		}
		for j, it := range cut.Items {
			if whole[at+j].Seq != it.Seq {
				t.Fatalf("page %v is not a run of the selection", ids(cut.Items))
			}
		}
		if cut.HasPrevious != (at > 0) || cut.HasNext != (at+len(cut.Items) < len(whole)) {
			t.Fatalf("hasPrevious %v hasNext %v for a run at %d of %d", cut.HasPrevious, cut.HasNext, at, len(whole))
		}
		// a cursor of the page's own records continues right after it
		own := slices.IndexFunc(whole, func(it store.Item) bool { return records.CursorOf(it, o) == text })
		if own >= 0 && !backward && at != own+1 {
			t.Fatalf("after the record at %d, the page starts at %d", own, at)
		}
	})
}
