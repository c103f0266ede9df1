package records

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/standin/standin/internal/cursor"
	"github.com/standin/standin/internal/store"
)

// Predicate restricts the records of a query. The zero Predicate keeps
// every record.
type Predicate struct {
	// Eq: each field must equal its value, as the store's keys compare
	// ("1" equals 1; a missing field, null or an object equals nothing).
	Eq map[string]any
	// OneOf: each field must hold one of its values (the manifest's where).
	OneOf map[string][]any
	// Index names the Eq field whose records are read through the store's
	// index (store.Find) rather than by a scan; "" picks the first Eq field
	// by name.
	Index string
	// Scope: each field, when a record holds it, must equal its value;
	// records without it are kept (a nested collection's records made for
	// every parent, beside those made under one).
	Scope map[string]any
}

// IsZero reports whether p keeps every record.
func (p Predicate) IsZero() bool { return len(p.Eq) == 0 && len(p.OneOf) == 0 && len(p.Scope) == 0 }

// InScope reports whether a record passes a Scope: each field it holds
// equals its value.
func InScope(it store.Item, scope map[string]any) bool {
	for field, v := range scope {
		if got := it.Lookup(field); got != nil && !Equal(got, v) {
			return false
		}
	}
	return true
}

// index is the Eq field read through the store's index, or "".
func (p Predicate) index() string {
	if len(p.Eq) == 0 {
		return ""
	}
	if _, ok := p.Eq[p.Index]; ok && p.Index != "" {
		return p.Index
	}
	return slices.Min(slices.Collect(mapKeys(p.Eq)))
}

// Keep reports whether the record passes p.
func (p Predicate) Keep(it store.Item) bool { return p.keep(it, "") }

// keep is Keep without the Eq field already matched by the index.
func (p Predicate) keep(it store.Item, matched string) bool {
	for field, v := range p.Eq {
		if field != matched && !Equal(it.Lookup(field), v) {
			return false
		}
	}
	return MatchesWhere(it, p.OneOf) && InScope(it, p.Scope)
}

// Equal compares two scalars as the store's indexes do ("1" equals 1);
// values that cannot be keys equal nothing.
func Equal(a, b any) bool {
	ka, ok1 := store.KeyOf(a)
	kb, ok2 := store.KeyOf(b)
	return ok1 && ok2 && ka == kb
}

// OneOf reports whether v equals one of vals.
func OneOf(v any, vals []any) bool {
	for _, w := range vals {
		if Equal(v, w) {
			return true
		}
	}
	return false
}

// MatchesWhere reports whether every field of where holds one of its
// values in the record.
func MatchesWhere(it store.Item, where map[string][]any) bool {
	for field, vals := range where {
		if !OneOf(it.Lookup(field), vals) {
			return false
		}
	}
	return true
}

func mapKeys[V any](m map[string]V) iter.Seq[string] {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Order sorts the records of a query by a field, ascending or descending,
// ties in creation (sequence) order, so that the order is total and stable.
// The zero Order is the store's own order.
type Order struct {
	// Key names the order in cursors (e.g. "NAME:ASC"): a cursor of one
	// order is refused by another. "" is the store's order.
	Key string
	// Field is the record field sorted by.
	Field string
	// Desc sorts descending.
	Desc bool
}

// Query selects records of one collection of a view.
type Query struct {
	// Collection is the store name of the collection.
	Collection string
	// Where restricts the records.
	Where Predicate
	// Scoped applies the principal's scope for the API: records it does
	// not admit are left out.
	Scoped bool
	// Order sorts the records; zero keeps the store's order.
	Order Order
	// Cost is the simulated time to fetch one record of the large data set
	// (the manifest's recordCost); 0 costs nothing.
	Cost time.Duration
}

// plain reports whether q selects by position alone: no predicate, no
// scope, no order. Such a query is cut by the store directly (Slice,
// Range) at O(log n + page) whatever the page's depth.
func (v View) plain(q *Query) bool {
	return q.Where.IsZero() && !v.scoped(q.Scoped) && q.Order.Key == ""
}

// each calls fn for the selected records in store order until fn returns
// false: through the store's index when the predicate has an Eq field,
// else by a scan. It is where the index-or-scan decision is made, once.
func (v View) each(st *store.Store, col string, q *Query, fn func(store.Item) bool) error {
	keep := func(it store.Item, matched string) bool {
		return q.Where.keep(it, matched) && v.admits(q.Scoped, it)
	}
	if key := q.Where.index(); key != "" {
		found, err := st.Find(col, key, q.Where.Eq[key])
		if err != nil {
			return err
		}
		for _, it := range found {
			if keep(it, key) && !fn(it) {
				break
			}
		}
		return nil
	}
	return st.Scan(col, func(it store.Item) bool {
		return !keep(it, "") || fn(it)
	})
}

// selected returns every selected record, in the query's order.
func (v View) selected(st *store.Store, col string, q *Query) ([]store.Item, error) {
	var items []store.Item
	err := v.each(st, col, q, func(it store.Item) bool {
		items = append(items, it)
		return true
	})
	if err != nil {
		return nil, err
	}
	if q.Order.Key != "" {
		less := q.Order.less()
		sort.SliceStable(items, func(i, j int) bool { return less(items[i], items[j]) })
	}
	return items, nil
}

// Window asks for a page by position relative to cursors, as Relay
// connections do: the records strictly after After and before Before (nil:
// unbounded), then the First n or the Last n of them (negative: all).
type Window struct {
	First, Last   int
	After, Before *cursor.Cursor
}

// Cut is one page of a query by Window.
type Cut struct {
	store.Page
	// Order is the query's order, which the page's cursors carry.
	Order Order
}

// Cursor is the opaque cursor of the page's i-th record.
func (p *Cut) Cursor(i int) string { return CursorOf(p.Items[i], p.Order) }

// CursorOf is the cursor of a record in an order: its sequence number, and
// for a sorted order the order's key and the record's sort value.
func CursorOf(it store.Item, o Order) string {
	if o.Key == "" {
		return cursor.EncodeSeq(it.Seq)
	}
	return cursor.Encode(cursor.Cursor{Seq: it.Seq, Order: o.Key, Value: sortValue(it, o.Field)})
}

// Errors of ParseCursor.
var (
	// ErrBadCursor: the text is not a cursor this layer issued.
	ErrBadCursor = errors.New("not a cursor issued by this connection")
	// ErrOtherOrder: the cursor belongs to another order than the query's.
	ErrOtherOrder = errors.New("the cursor belongs to another order")
)

// ParseCursor decodes a cursor for a query in order o; "" is no cursor
// (nil).
func ParseCursor(s string, o Order) (*cursor.Cursor, error) {
	if s == "" {
		return nil, nil
	}
	c, err := cursor.Decode(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	if c.Order != o.Key {
		return nil, ErrOtherOrder
	}
	return &c, nil
}

// Cut returns the window of the query's records. A plain query (no
// predicate, scope or order) is cut by the store (store.Slice); others are
// selected once, sorted, and cut at the cursors' positions. A page of the
// large data set costs q.Cost per record (see TimeoutError).
func (v View) Cut(q Query, w Window) (Cut, error) {
	out := Cut{Order: q.Order}
	if v.Empty() {
		return out, nil
	}
	q.Where = v.src.canonicalWhere(q.Collection, q.Where)
	st, col, large := v.read(q.Collection)
	if v.plain(&q) {
		sw := store.Window{First: w.First, Last: w.Last}
		if w.After != nil {
			sw.After = w.After.Seq
		}
		if w.Before != nil {
			sw.Before = w.Before.Seq
		}
		p, err := st.Slice(col, sw)
		if err != nil {
			return out, err
		}
		out.Page = p
	} else {
		items, err := v.selected(st, col, &q)
		if err != nil {
			return out, err
		}
		lo, hi := 0, len(items)
		if w.After != nil {
			lo = sort.Search(len(items), func(i int) bool { return q.Order.cmp(items[i], *w.After) > 0 })
		}
		if w.Before != nil {
			hi = sort.Search(len(items), func(i int) bool { return q.Order.cmp(items[i], *w.Before) >= 0 })
		}
		out.Page = store.SlicePositions(items, lo, hi, w.First, w.Last)
	}
	if large {
		if err := v.spend(q.Cost, len(out.Items)); err != nil {
			return Cut{Order: q.Order}, err
		}
	}
	return out, nil
}

// Span asks for records by position in the query's order: Limit records
// (negative: all) from position Offset.
type Span struct {
	Offset, Limit int
	// Total asks for the number of all selected records; without it the
	// selection stops at the span's end.
	Total bool
	// StreamAbove: a plain query's span of more records than this is not
	// read at once but returned as List.Stream (0: never).
	StreamAbove int
	// Chunk is how many records a stream reads from the store at a time
	// (0: DefaultChunk).
	Chunk int
}

// DefaultChunk is how many records a streamed list reads from the store at
// a time.
const DefaultChunk = 1000

// List is the answer of a query by Span.
type List struct {
	// Items is the span, unless it is streamed.
	Items []store.Item
	// Stream, when not nil, yields the span (Count records) in chunks
	// instead of Items.
	Stream iter.Seq[store.Item]
	// Count is the number of records of the span.
	Count int
	// Total is the number of selected records: exact for a plain query
	// and when Span.Total is set, else at least the span's end.
	Total int
}

// List returns the span of the query's records. A plain query (no
// predicate, scope or order) is cut by position by the store
// (store.Range) at any depth; a long one is streamed in chunks. A span of
// the large data set costs q.Cost per record (see TimeoutError).
func (v View) List(q Query, s Span) (List, error) {
	var out List
	if v.Empty() || (s.Limit == 0 && !s.Total) {
		return out, nil
	}
	q.Where = v.src.canonicalWhere(q.Collection, q.Where)
	st, col, large := v.read(q.Collection)
	var err error
	switch {
	case v.plain(&q):
		if out.Total, err = st.Len(col); err != nil {
			return List{}, err
		}
		out.Count = max(0, out.Total-max(s.Offset, 0))
		if s.Limit >= 0 {
			out.Count = min(out.Count, s.Limit)
		}
		if s.StreamAbove > 0 && out.Count > s.StreamAbove {
			chunk := s.Chunk
			if chunk <= 0 {
				chunk = DefaultChunk
			}
			out.Stream = chunks(st, col, s.Offset, out.Count, chunk)
		} else if out.Items, out.Total, err = st.Range(col, s.Offset, s.Limit); err != nil {
			return List{}, err
		}
	case q.Order.Key != "":
		items, err := v.selected(st, col, &q)
		if err != nil {
			return List{}, err
		}
		out.Total = len(items)
		lo := min(max(s.Offset, 0), len(items))
		hi := len(items)
		if s.Limit >= 0 {
			hi = min(hi, lo+s.Limit)
		}
		out.Items = items[lo:hi]
	default:
		total := 0
		err = v.each(st, col, &q, func(it store.Item) bool {
			if total >= s.Offset && (s.Limit < 0 || total-s.Offset < s.Limit) {
				out.Items = append(out.Items, it)
			}
			total++
			return s.Total || s.Limit < 0 || total-s.Offset < s.Limit
		})
		if err != nil {
			return List{}, err
		}
		out.Total = total
	}
	if out.Stream == nil {
		out.Count = len(out.Items)
	}
	if large {
		if err := v.spend(q.Cost, out.Count); err != nil {
			return List{}, err
		}
	}
	return out, nil
}

// chunks yields up to n records of a collection from position offset, taken
// from the store size at a time, each chunk after the sequence number of
// the last record yielded: the store's lock is never held while the list
// is written, and a record deleted meanwhile shifts nothing. A read error
// ends the sequence early.
func chunks(st *store.Store, col string, offset, n, size int) iter.Seq[store.Item] {
	return func(yield func(store.Item) bool) {
		page, _, err := st.Range(col, offset, min(n, size))
		for err == nil && len(page) > 0 && n > 0 {
			for _, it := range page {
				if !yield(it) {
					return
				}
				n--
			}
			if n == 0 {
				return
			}
			var next store.Page
			next, err = st.Slice(col, store.Window{After: page[len(page)-1].Seq, First: min(n, size), Last: -1})
			page = next.Items
		}
	}
}

// Chunks is the stream of a plain span: up to n records of a collection of
// the view from position offset, read size at a time (see List.Stream).
func (v View) Chunks(col string, offset, n, size int) iter.Seq[store.Item] {
	if v.Empty() {
		return func(func(store.Item) bool) {}
	}
	st, name, _ := v.read(col)
	return chunks(st, name, offset, n, size)
}

// sortValue is a record's value for an order: a string, number or
// boolean; other values sort as null (first).
func sortValue(it store.Item, field string) any {
	switch v := it.Lookup(field).(type) {
	case string, float64, bool:
		return v
	}
	return nil
}

// CompareValues orders two sort values: null first, then by type's own
// order (strings bytewise, numbers, false before true); values of two
// types compare by their text.
func CompareValues(a, b any) int {
	switch x := a.(type) {
	case nil:
		if b == nil {
			return 0
		}
		return -1
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	}
	if b == nil {
		return 1
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// less orders records by the order's field, then by sequence.
func (o Order) less() func(a, b store.Item) bool {
	return func(a, b store.Item) bool {
		return cmpPos(sortValue(a, o.Field), a.Seq, sortValue(b, o.Field), b.Seq, o.Desc) < 0
	}
}

// cmp compares a record's position in the order with a cursor's; the
// store's order compares sequence numbers only.
func (o Order) cmp(it store.Item, c cursor.Cursor) int {
	if o.Key == "" {
		return cmpPos(nil, it.Seq, nil, c.Seq, false)
	}
	return cmpPos(sortValue(it, o.Field), it.Seq, c.Value, c.Seq, o.Desc)
}

func cmpPos(av any, aseq uint64, bv any, bseq uint64, desc bool) int {
	c := CompareValues(av, bv)
	if desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	switch {
	case aseq < bseq:
		return -1
	case aseq > bseq:
		return 1
	}
	return 0
}

// Key selects one record of a collection by the value of a field.
type Key struct {
	// Field is the record field compared with Value.
	Field string
	// Value is the key. A UUID written in upper case that finds nothing
	// as sent is looked up in its canonical lower-case form (uuid.go).
	Value any
	// Also lists further fields the record must equal (else: not found).
	Also map[string]any
	// Scoped applies the principal's scope: a record it does not admit is
	// ErrOutOfScope.
	Scoped bool
}

// Get returns the record k selects in the collection whose store name is
// col: ErrNotFound when the view has none, ErrOutOfScope when the
// principal's scope does not admit it. (The collection is a parameter of
// its own, not a field of Key, so that a request's key does not escape to
// the heap with the collection's name: a REST get allocates nothing.)
func (v View) Get(col string, k Key) (store.Item, error) {
	st, name, _ := v.read(col)
	return v.lookup(source{st: st}, name, &k)
}

// source is where lookup reads: the store (a read) or a write transaction
// in it. A struct of both, not an interface, so that its Get calls are
// static and a key's values do not escape to the heap through them.
type source struct {
	st *store.Store
	tx *store.Tx // when set, read inside it
}

func (s source) get(col, field string, value any) (store.Item, bool, error) {
	if s.tx != nil {
		return s.tx.Get(col, field, value)
	}
	return s.st.Get(col, field, value)
}

// lookup finds the record k selects in the collection col of src, for Get
// and for writes (target): the empty data set has none, a UUID is found
// whatever its case (getKey), Also must match, the scope hides some.
func (v View) lookup(src source, col string, k *Key) (store.Item, error) {
	if v.Empty() {
		return store.Item{}, ErrNotFound
	}
	it, ok, err := src.getKey(col, k.Field, k.Value)
	if err != nil {
		return store.Item{}, err
	}
	if !ok {
		return store.Item{}, ErrNotFound
	}
	for field, want := range k.Also {
		if !Equal(it.Lookup(field), want) {
			return store.Item{}, ErrNotFound
		}
	}
	if !v.admits(k.Scoped, it) {
		return store.Item{}, ErrOutOfScope
	}
	return it, nil
}
