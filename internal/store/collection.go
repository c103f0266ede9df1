package store

import (
	"slices"
	"sort"
)

// collection is a segment (the records loaded, then frozen) with an overlay
// of the changes made since it was frozen: base positions deleted (gone) or
// replaced (repl), and records inserted after it (tail). Reset drops the
// overlay, so it costs what the changes cost, not what the data does.
//
// While a collection is built (its segment not frozen, nothing in the
// tail) inserts are appended to the segment itself.
type collection struct {
	def  Definition
	next uint64
	seg  *segment
	// dense: position p has sequence number p+1 (after Reset), whatever
	// the segment recorded.
	dense bool
	gone  []int32        // sorted base positions deleted
	repl  map[int32]Item // base positions holding another record
	tail  []Item         // records after the segment, sorted by Seq
	// unique and index hold the overlay's records (repl and tail) only.
	unique map[string]map[string]uint64
	index  map[string]map[string][]uint64
	revs   *uint64 // the store's Rev counter
	warmed uint64  // what Warm read (unused)
	// warmHashes is Warm's scratch; Warm runs under the read lock, but
	// only the goroutine building the collection calls it.
	warmHashes []uint64
}

func newCollection(def Definition, revs *uint64) *collection {
	c := &collection{def: def, next: 1, revs: revs, seg: newSegment(def)}
	c.clearOverlay()
	return c
}

func (c *collection) clearOverlay() {
	c.gone, c.repl, c.tail = nil, map[int32]Item{}, nil
	c.unique, c.index = map[string]map[string]uint64{}, map[string]map[string][]uint64{}
	for _, f := range c.def.Unique {
		c.unique[f] = map[string]uint64{}
	}
	for _, f := range c.def.Index {
		c.index[f] = map[string][]uint64{}
	}
}

// overlaid reports whether the collection has changes above its segment.
func (c *collection) overlaid() bool {
	return len(c.gone) > 0 || len(c.repl) > 0 || len(c.tail) > 0
}

func (c *collection) seqAt(p int) uint64 {
	if c.dense {
		return uint64(p) + 1
	}
	return c.seg.seqs[p]
}

// basePos returns the segment position of seq.
func (c *collection) basePos(seq uint64) (int, bool) {
	n := c.seg.len()
	if c.dense {
		p := int(seq) - 1
		return p, seq >= 1 && p < n
	}
	p := sort.Search(n, func(i int) bool { return c.seg.seqs[i] >= seq })
	return p, p < n && c.seg.seqs[p] == seq
}

// firstAfter returns the first base position whose seq is > seq.
func (c *collection) firstAfter(seq uint64) int {
	n := c.seg.len()
	if c.dense {
		return int(min(seq, uint64(n)))
	}
	return sort.Search(n, func(i int) bool { return c.seg.seqs[i] > seq })
}

// placeable reports whether a new item may take seq while keeping the
// order scans rely on (base records, then the tail): seq is a base
// position (its record deleted) or comes after every base record. A local
// write always takes c.next; an entry from the shared log written by
// another build may name any number.
func (c *collection) placeable(seq uint64) bool {
	if seq == 0 {
		return false
	}
	if _, ok := c.basePos(seq); ok {
		return true
	}
	n := c.seg.len()
	return n == 0 || seq > c.seg.seqs[n-1]
}

func (c *collection) isGone(p int) (int, bool) {
	j, ok := slices.BinarySearch(c.gone, int32(p))
	return j, ok
}

// baseAlive is the number of base positions not deleted.
func (c *collection) baseAlive() int { return c.seg.len() - len(c.gone) }

func (c *collection) total() int { return c.baseAlive() + len(c.tail) }

// baseItem is the record at a live base position.
func (c *collection) baseItem(p int) Item {
	if it, ok := c.repl[int32(p)]; ok {
		return it
	}
	return c.seg.item(p, c.seqAt(p))
}

// at returns the live record with seq.
func (c *collection) at(seq uint64) (Item, bool) {
	if p, ok := c.basePos(seq); ok {
		if _, g := c.isGone(p); g {
			return Item{}, false
		}
		return c.baseItem(p), true
	}
	i, ok := c.tailPos(seq)
	if !ok {
		return Item{}, false
	}
	return c.tail[i], true
}

func (c *collection) tailPos(seq uint64) (int, bool) {
	i := sort.Search(len(c.tail), func(i int) bool { return c.tail[i].Seq >= seq })
	return i, i < len(c.tail) && c.tail[i].Seq == seq
}

// rankOfBase is the number of live records before base position p.
func (c *collection) rankOfBase(p int) int {
	j, _ := slices.BinarySearch(c.gone, int32(p))
	return p - j
}

// rankAfter is the rank of the first live record with Seq > seq.
func (c *collection) rankAfter(seq uint64) int {
	if p := c.firstAfter(seq); p < c.seg.len() {
		return c.rankOfBase(p)
	}
	i := sort.Search(len(c.tail), func(i int) bool { return c.tail[i].Seq > seq })
	return c.baseAlive() + i
}

// rankFrom is the rank of the first live record with Seq >= seq.
func (c *collection) rankFrom(seq uint64) int {
	if seq == 0 {
		return 0
	}
	return c.rankAfter(seq - 1)
}

// selectBase is the base position of the live record of rank r <
// baseAlive: the smallest j with gone[j]-j > r gives r+j.
func (c *collection) selectBase(r int) int {
	j := sort.Search(len(c.gone), func(j int) bool { return int(c.gone[j])-j > r })
	return r + j
}

// each calls fn with the live records from rank from on, in order, until
// fn returns false.
func (c *collection) each(from int, fn func(Item) bool) {
	if from < c.baseAlive() {
		p := c.selectBase(from)
		j, _ := slices.BinarySearch(c.gone, int32(p))
		for n := c.seg.len(); p < n; p++ {
			if j < len(c.gone) && int(c.gone[j]) == p {
				j++
				continue
			}
			if !fn(c.baseItem(p)) {
				return
			}
		}
		from = c.baseAlive()
	}
	for _, it := range c.tail[min(from-c.baseAlive(), len(c.tail)):] {
		if !fn(it) {
			return
		}
	}
}

// ranks returns the live records of ranks lo..hi-1.
func (c *collection) ranks(lo, hi int) []Item {
	if hi <= lo {
		return []Item{}
	}
	out := make([]Item, 0, hi-lo)
	c.each(lo, func(it Item) bool {
		out = append(out, it)
		return len(out) < hi-lo
	})
	return out
}

// baseFind returns the live, unreplaced base positions whose field has
// key, in ascending order.
func (c *collection) baseFind(field, key string) []int {
	ix := c.seg.idx[field]
	if ix == nil {
		return nil
	}
	var ps []int
	ix.find(c.seg, key, func(p int) bool {
		if _, g := c.isGone(p); g {
			return true
		}
		if _, r := c.repl[int32(p)]; r {
			return true
		}
		ps = append(ps, p)
		return true
	})
	slices.Reverse(ps)
	return ps
}

func (c *collection) get(field string, value any) (Item, bool) {
	key, ok := KeyOf(value)
	if !ok {
		return Item{}, false
	}
	if idx, ok := c.unique[field]; ok {
		if seq, ok := idx[key]; ok {
			return c.at(seq)
		}
		if ps := c.baseFind(field, key); len(ps) > 0 {
			return c.baseItem(ps[0]), true
		}
		return Item{}, false
	}
	found := c.find(field, value)
	if len(found) == 0 {
		return Item{}, false
	}
	return found[0], true
}

func (c *collection) find(field string, value any) []Item {
	key, ok := KeyOf(value)
	if !ok {
		return nil
	}
	if _, ok := c.unique[field]; ok {
		if it, ok := c.get(field, value); ok {
			return []Item{it}
		}
		return nil
	}
	if idx, ok := c.index[field]; ok {
		ps := c.baseFind(field, key)
		seqs := idx[key]
		out := make([]Item, 0, len(ps)+len(seqs))
		for _, p := range ps {
			out = append(out, c.baseItem(p))
		}
		for _, seq := range seqs {
			if it, ok := c.at(seq); ok {
				out = append(out, it)
			}
		}
		if len(seqs) > 0 {
			sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
		}
		return out
	}
	var out []Item
	c.each(0, func(it Item) bool {
		if k, ok := KeyOf(it.Lookup(field)); ok && k == key {
			out = append(out, it)
		}
		return true
	})
	return out
}

// check reports whether r may join the collection.
func (c *collection) check(r Record) error {
	for _, field := range c.def.Unique {
		key, ok := KeyOf(Lookup(r, field))
		if !ok {
			return errMissing(field)
		}
		if _, dup := c.unique[field][key]; dup || len(c.baseFind(field, key)) > 0 {
			return errDup(field, key)
		}
	}
	return nil
}

// appendable reports whether an insert at seq may go into the segment.
func (c *collection) appendable(seq uint64) bool {
	n := c.seg.len()
	return !c.seg.frozen && !c.dense && len(c.tail) == 0 && (n == 0 || c.seg.seqs[n-1] < seq)
}

// insert adds r at the next sequence number and reports whether the
// collection keeps the map r itself.
func (c *collection) insert(r Record) (retained bool, err error) {
	return c.insertPacked(r, nil)
}

// insertPacked is insert with r's encoding for the segment (nil: none).
func (c *collection) insertPacked(r Record, raw []byte) (retained bool, err error) {
	if c.appendable(c.next) && !c.overlaid() {
		// the segment holds every record: it checks and indexes in one probe
		if retained, err = c.seg.addNew(c.next, *c.revs+1, r, raw, c.def.Unique); err != nil {
			return false, err
		}
		c.next++
		*c.revs++
		return retained, nil
	}
	if err := c.check(r); err != nil {
		return false, err
	}
	seq := c.next
	c.next++
	if c.appendable(seq) {
		*c.revs++
		return c.seg.add(seq, *c.revs, r), nil
	}
	c.put(c.item(seq, r))
	return true, nil
}

// reserve makes room for n more records while the collection is built.
func (c *collection) reserve(n int) {
	if c.appendable(c.next) {
		c.seg.reserve(n, c.def.Unique)
	}
}

// item makes the overlay item that stores r at seq, with a new Rev.
func (c *collection) item(seq uint64, r Record) Item {
	*c.revs++
	return Item{Seq: seq, rev: *c.revs, rec: r}
}

// put places an item at its sequence position and indexes it.
func (c *collection) put(it Item) {
	if p, ok := c.basePos(it.Seq); ok {
		if j, g := c.isGone(p); g {
			c.gone = slices.Delete(c.gone, j, j+1)
		}
		if it.seg == c.seg && int(it.bpos) == p+1 {
			return // the segment's own record back in place
		}
		c.repl[int32(p)] = it
		c.indexAdd(it)
		return
	}
	if it.Seq >= c.next {
		c.next = it.Seq + 1
	}
	i, _ := c.tailPos(it.Seq)
	c.tail = slices.Insert(c.tail, i, it)
	c.indexAdd(it)
}

// remove takes the record with seq out of the collection and its indexes.
func (c *collection) remove(seq uint64) {
	if p, ok := c.basePos(seq); ok {
		j, g := c.isGone(p)
		if g {
			return
		}
		if old, ok := c.repl[int32(p)]; ok {
			c.indexRemove(old)
			delete(c.repl, int32(p))
		}
		c.gone = slices.Insert(c.gone, j, int32(p))
		return
	}
	i, ok := c.tailPos(seq)
	if !ok {
		return
	}
	it := c.tail[i]
	c.tail = slices.Delete(c.tail, i, i+1)
	c.indexRemove(it)
}

func (c *collection) indexAdd(it Item) {
	for field, idx := range c.unique {
		if key, ok := KeyOf(it.Lookup(field)); ok {
			idx[key] = it.Seq
		}
	}
	for field, idx := range c.index {
		if key, ok := KeyOf(it.Lookup(field)); ok {
			seqs := idx[key]
			j, _ := slices.BinarySearch(seqs, it.Seq)
			idx[key] = slices.Insert(seqs, j, it.Seq)
		}
	}
}

func (c *collection) indexRemove(it Item) {
	for field, idx := range c.unique {
		if key, ok := KeyOf(it.Lookup(field)); ok && idx[key] == it.Seq {
			delete(idx, key)
		}
	}
	for field, idx := range c.index {
		if key, ok := KeyOf(it.Lookup(field)); ok {
			seqs := idx[key]
			if j, found := slices.BinarySearch(seqs, it.Seq); found {
				seqs = slices.Delete(seqs, j, j+1)
			}
			if len(seqs) == 0 {
				delete(idx, key)
			} else {
				idx[key] = seqs
			}
		}
	}
}

// freeze makes the collection's current records its segment's frozen
// state and returns that segment. A collection without changes above its
// segment freezes it in place; otherwise its records are copied into a new
// segment, keeping their sequence numbers and Revs.
func (c *collection) freeze() *segment {
	if !c.overlaid() && !c.dense {
		c.seg.frozen = true
		return c.seg
	}
	g := newSegment(c.def)
	c.each(0, func(it Item) bool {
		g.add(it.Seq, it.rev, it.Record())
		return true
	})
	g.frozen = true
	c.seg, c.dense = g, false
	c.clearOverlay()
	return g
}

// reset returns a collection to a frozen segment (nil: empty), its
// records numbered 1..n again.
func (c *collection) reset(g *segment) {
	if g == nil {
		g = newSegment(c.def)
		g.frozen = true
	}
	c.seg, c.dense = g, true
	c.next = uint64(g.len()) + 1
	c.clearOverlay()
}
