// Package violator breaks every rule of the architecture test, so that the
// test can show each rule fails.
package violator

import (
	"slices"
	"sort"

	"github.com/standin/standin/internal/store"
)

// Pages selects, pages and sorts records itself.
func Pages(st *store.Store) {
	p, _ := st.Slice("c", store.Window{First: 1})
	items, _, _ := st.Range("c", 0, 10)
	_ = st.Scan("c", func(store.Item) bool { return true })
	found, _ := st.Find("c", "f", "v")
	scan := st.Scan // a method value counts as a call
	_ = scan
	_ = store.SliceItems(items, store.Window{})
	_ = store.SlicePositions(items, 0, 1, 1, -1)
	sort.Slice(found, func(i, j int) bool { return found[i].Seq < found[j].Seq })
	slices.SortFunc(p.Items, func(a, b store.Item) int { return int(a.Seq) - int(b.Seq) })
	_ = st.Update(func(tx *store.Tx) error {
		_, err := tx.Find("c", "f", "v")
		_ = tx.Scan("c", func(store.Item) bool { return true })
		return err
	})
	_, _, _ = st.Get("c", "f", "v")  // one record by key: allowed
	sort.Strings([]string{"b", "a"}) // not records: allowed
}
