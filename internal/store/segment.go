package store

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A segment holds a collection's records in positions 0..n-1, in sequence
// order, almost without pointers: the first mapsN records are kept as the
// maps they were given (small collections are read as fast as before), the
// rest are encoded into byte chunks (the arena) and found by integer
// offsets, and the indexes on unique and indexed fields are open-addressing
// tables of integers. A million records are then a few hundred slices of
// bytes and integers for the garbage collector, which it never scans.
//
// A segment only grows (while a collection is built, before Freeze) and is
// immutable once frozen: the bytes of a record are never written twice, so
// an Item may keep referring to them after the lock is released.
type segment struct {
	mapsN  int      // how many records are kept as maps (PackAfter)
	maps   []Record // records 0..len(maps)-1
	chunks [][]byte
	offs   []uint64 // record mapsN+i: chunk<<32 | offset of its length prefix
	seqs   []uint64 // sequence number of each position
	revs   []uint64 // Rev of each position
	odd    map[int32]Record
	// tab is the current shape table, replaced (never changed) when a
	// shape is added, under shapeMu: Packers add shapes without the
	// store's lock.
	tab     atomic.Pointer[shapeTable]
	shapeMu sync.Mutex
	idx     map[string]*hashIndex // by field
	frozen  bool
	enc     encoder // the segment's own, used under the store's lock
}

// chunkSize is the size of one arena chunk.
const chunkSize = 1 << 20

// maxShapes bounds the distinct key sets a segment names by number; objects
// beyond it are encoded with their keys inline.
const maxShapes = 4096

func newSegment(def Definition) *segment {
	mapsN := def.PackAfter
	if mapsN == 0 {
		mapsN = DefaultPackAfter
	}
	mapsN = max(mapsN, 0)
	g := &segment{mapsN: mapsN, idx: map[string]*hashIndex{}}
	g.tab.Store(&shapeTable{ids: map[string]int{}})
	g.enc.g = g
	for _, f := range append(append([]string(nil), def.Unique...), def.Index...) {
		if g.idx[f] == nil {
			g.idx[f] = newHashIndex(f)
		}
	}
	return g
}

// len is the number of positions.
func (g *segment) len() int { return len(g.seqs) }

// add appends r at the next position and reports whether the segment keeps
// the map r itself.
func (g *segment) add(seq, rev uint64, r Record) (retained bool) {
	return g.addAt(seq, rev, r, nil, nil, nil)
}

// addNew is add for a record whose unique fields must hold values no
// position holds: else it adds nothing and returns the error
// (ErrMissingKey, ErrDuplicate). Each key's index is probed once. raw,
// when set, is r encoded for this segment (a Packer's).
func (g *segment) addNew(seq, rev uint64, r Record, raw []byte, unique []string) (retained bool, err error) {
	var buf [4]slot
	at := buf[:0]
	for i, f := range unique {
		if slices.Contains(unique[:i], f) {
			unique = slices.Delete(slices.Clone(unique), i, i+1) // listed twice: probed once
			return g.addNew(seq, rev, r, raw, unique)
		}
		key, ok := KeyOf(Lookup(r, f))
		if !ok {
			return false, errMissing(f)
		}
		sl := g.idx[f].locate(g, key)
		if sl.found {
			return false, errDup(f, key)
		}
		at = append(at, sl)
	}
	return g.addAt(seq, rev, r, raw, unique, at), nil
}

// addAt is add with r's encoding (nil: to be made) and the slots of the
// unique fields already located.
func (g *segment) addAt(seq, rev uint64, r Record, raw []byte, unique []string, at []slot) (retained bool) {
	p := len(g.seqs)
	g.seqs = append(g.seqs, seq)
	g.revs = append(g.revs, rev)
	if p < g.mapsN {
		g.maps = append(g.maps, r)
		retained = true
	} else {
		b, ok := raw, raw != nil
		if !ok {
			b, ok = g.enc.encode(r)
		}
		if !ok {
			if g.odd == nil {
				g.odd = map[int32]Record{}
			}
			g.odd[int32(p)] = r
			retained = true
			b = []byte{0} // an empty record in the arena keeps offsets aligned
		}
		g.offs = append(g.offs, g.store(b))
	}
	for i, f := range unique {
		g.idx[f].place(p, at[i])
	}
	for f, ix := range g.idx {
		if !slices.Contains(unique, f) {
			ix.add(g, p, Lookup(r, f))
		}
	}
	return retained
}

// reserve makes room for n more records; the tables of the unique fields
// (n new keys) are sized for them, those of other indexes grow as keys
// come (they may repeat).
func (g *segment) reserve(n int, unique []string) {
	g.seqs, g.revs = slices.Grow(g.seqs, n), slices.Grow(g.revs, n)
	g.offs = slices.Grow(g.offs, max(n-max(g.mapsN-len(g.seqs), 0), 0))
	for f, ix := range g.idx {
		keys := 0
		if slices.Contains(unique, f) {
			keys = n
		}
		ix.reserve(n, keys)
	}
}

// store copies an encoded record into the arena behind a length prefix.
func (g *segment) store(b []byte) uint64 {
	need := binary.MaxVarintLen64 + len(b)
	n := len(g.chunks)
	if n == 0 || cap(g.chunks[n-1])-len(g.chunks[n-1]) < need {
		g.chunks = append(g.chunks, make([]byte, 0, max(chunkSize, need)))
		n++
	}
	c := g.chunks[n-1]
	off := len(c)
	c = binary.AppendUvarint(c, uint64(len(b)))
	c = append(c, b...)
	g.chunks[n-1] = c
	return uint64(n-1)<<32 | uint64(off)
}

// item returns the Item at position p.
func (g *segment) item(p int, seq uint64) Item {
	it := Item{Seq: seq, rev: g.revs[p], seg: g, bpos: int32(p) + 1}
	if p < len(g.maps) {
		it.rec = g.maps[p]
		return it
	}
	if r, ok := g.odd[int32(p)]; ok {
		it.rec = r
		return it
	}
	it.raw, it.tab = g.raw(p), g.tab.Load()
	return it
}

func (g *segment) raw(p int) []byte {
	o := g.offs[p-len(g.maps)]
	c := g.chunks[o>>32]
	off := int(uint32(o))
	n, k := binary.Uvarint(c[off:])
	return c[off+k : off+k+int(n) : off+k+int(n)]
}

// lookup is Item.Lookup at position p.
func (g *segment) lookup(p int, path string) any {
	if p < len(g.maps) {
		return Lookup(g.maps[p], path)
	}
	if r, ok := g.odd[int32(p)]; ok {
		return Lookup(r, path)
	}
	return lookupRaw(g.raw(p), g.tab.Load(), path)
}

// Value tags of the encoding. A record is its shape's number followed by
// its values in the shape's key order.
const (
	tagNull byte = iota
	tagFalse
	tagTrue
	tagFloat    // 8 bytes, little endian IEEE 754
	tagString   // uvarint length, bytes
	tagInt      // zigzag varint (Go int)
	tagInt64    // zigzag varint
	tagArray    // uvarint count, values
	tagShaped   // uvarint shape, values
	tagInline   // uvarint count, (uvarint key length, key, value)...
	tagStrArray // uvarint count, (uvarint length, bytes)... ([]string)
)

// shapeTable is the sorted key lists the segment's records name by number.
// A table is never changed once an Item refers to it: adding a shape makes
// a new table.
type shapeTable struct {
	shapes []*shape
	ids    map[string]int // keys joined by NUL → number
}

// shape is the sorted key list of some encoded objects.
type shape struct {
	keys []string
	pos  map[string]int
}

// str returns n bytes of b as a string without copying: arena bytes are
// never written again.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// lookupRaw is Lookup on an encoded record.
func lookupRaw(b []byte, tab *shapeTable, path string) any {
	id, k := binary.Uvarint(b)
	b = b[k:]
	return lookupShaped(b, tab, tab.shapes[id], path)
}

// lookupShaped finds path among the values of an object of shape s.
func lookupShaped(b []byte, tab *shapeTable, s *shape, path string) any {
	head, rest, nested := strings.Cut(path, ".")
	i, ok := s.pos[head]
	if !ok {
		return nil
	}
	for range i {
		b = skip(b, tab)
	}
	if !nested {
		v, _ := decode(b, tab)
		return v
	}
	return lookupIn(b, tab, rest)
}

// lookupIn continues a dotted path inside the value at the start of b.
func lookupIn(b []byte, tab *shapeTable, path string) any {
	switch b[0] {
	case tagShaped:
		id, k := binary.Uvarint(b[1:])
		return lookupShaped(b[1+k:], tab, tab.shapes[id], path)
	case tagInline:
		head, rest, nested := strings.Cut(path, ".")
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		for range n {
			l, k := binary.Uvarint(b)
			key := str(b[k : k+int(l)])
			b = b[k+int(l):]
			if key == head {
				if !nested {
					v, _ := decode(b, tab)
					return v
				}
				return lookupIn(b, tab, rest)
			}
			b = skip(b, tab)
		}
	}
	return nil
}

// skip returns b after the value at its start.
func skip(b []byte, tab *shapeTable) []byte {
	switch b[0] {
	case tagNull, tagFalse, tagTrue:
		return b[1:]
	case tagFloat:
		return b[9:]
	case tagString:
		n, k := binary.Uvarint(b[1:])
		return b[1+k+int(n):]
	case tagInt, tagInt64:
		_, k := binary.Varint(b[1:])
		return b[1+k:]
	case tagArray:
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		for range n {
			b = skip(b, tab)
		}
		return b
	case tagStrArray:
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		for range n {
			l, k := binary.Uvarint(b)
			b = b[k+int(l):]
		}
		return b
	case tagShaped:
		id, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		for range tab.shapes[id].keys {
			b = skip(b, tab)
		}
		return b
	case tagInline:
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		for range n {
			l, k := binary.Uvarint(b)
			b = skip(b[k+int(l):], tab)
		}
		return b
	}
	panic("store: corrupt record encoding")
}

// decode returns the value at the start of b and what follows it.
func decode(b []byte, tab *shapeTable) (any, []byte) {
	switch b[0] {
	case tagNull:
		return nil, b[1:]
	case tagFalse:
		return false, b[1:]
	case tagTrue:
		return true, b[1:]
	case tagFloat:
		return math.Float64frombits(binary.LittleEndian.Uint64(b[1:])), b[9:]
	case tagString:
		n, k := binary.Uvarint(b[1:])
		return str(b[1+k : 1+k+int(n)]), b[1+k+int(n):]
	case tagInt:
		v, k := binary.Varint(b[1:])
		return int(v), b[1+k:]
	case tagInt64:
		v, k := binary.Varint(b[1:])
		return v, b[1+k:]
	case tagArray:
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		out := make([]any, n)
		for i := range out {
			out[i], b = decode(b, tab)
		}
		return out, b
	case tagStrArray:
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		out := make([]string, n)
		for i := range out {
			l, k := binary.Uvarint(b)
			out[i] = str(b[k : k+int(l)])
			b = b[k+int(l):]
		}
		return out, b
	case tagShaped:
		id, k := binary.Uvarint(b[1:])
		return decodeShaped(b[1+k:], tab, tab.shapes[id])
	case tagInline:
		n, k := binary.Uvarint(b[1:])
		b = b[1+k:]
		m := make(map[string]any, n)
		for range n {
			l, k := binary.Uvarint(b)
			key := str(b[k : k+int(l)])
			m[key], b = decode(b[k+int(l):], tab)
		}
		return m, b
	}
	panic("store: corrupt record encoding")
}

func decodeShaped(b []byte, tab *shapeTable, s *shape) (Record, []byte) {
	m := make(Record, len(s.keys))
	for _, k := range s.keys {
		m[k], b = decode(b, tab)
	}
	return m, b
}

// decodeRaw returns an encoded record as a new map.
func decodeRaw(b []byte, tab *shapeTable) Record {
	id, k := binary.Uvarint(b)
	m, _ := decodeShaped(b[k:], tab, tab.shapes[id])
	return m
}

// hashIndex finds the positions of a segment whose field has a key
// (KeyOf), without pointers: an open-addressing table of distinct keys
// (their hash and the latest position holding them) and, per position,
// the previous position with the same key.
type hashIndex struct {
	field string
	seed  maphash.Seed
	// tab holds each slot's hash and head side by side: a probe of a
	// million-key table then misses the cache once, not twice.
	tab  []hslot
	next []uint32 // position → position+1 of the previous one with the key
	used int
}

// hslot is one slot of a hashIndex: a key's hash and the latest position
// holding it (position+1; 0 is an empty slot).
type hslot struct {
	hash uint64
	head uint32
}

func newHashIndex(field string) *hashIndex {
	return &hashIndex{field: field, seed: maphash.MakeSeed(), tab: make([]hslot, 16)}
}

// add indexes position p (the next one) holding value v.
func (ix *hashIndex) add(g *segment, p int, v any) {
	key, ok := KeyOf(v)
	if !ok {
		ix.next = append(ix.next, 0)
		return
	}
	ix.place(p, ix.locate(g, key))
}

// slot is where a key is or would go in a hashIndex's table.
type slot struct {
	h     uint64
	s     uint64
	found bool // the key is there
}

// locate finds key's slot.
func (ix *hashIndex) locate(g *segment, key string) slot {
	h := maphash.String(ix.seed, key)
	mask := uint64(len(ix.tab) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		e := ix.tab[s]
		if e.head == 0 {
			return slot{h: h, s: s}
		}
		if e.hash == h && ix.keyAt(g, int(e.head)-1) == key {
			return slot{h: h, s: s, found: true}
		}
	}
}

// place indexes position p (the next one) at the slot locate gave for
// its key, the table unchanged since.
func (ix *hashIndex) place(p int, at slot) {
	ix.next = append(ix.next, 0)
	if at.found {
		ix.next[p] = ix.tab[at.s].head
		ix.tab[at.s].head = uint32(p) + 1
		return
	}
	ix.tab[at.s] = hslot{at.h, uint32(p) + 1}
	ix.used++
	if ix.used*2 > len(ix.tab) {
		ix.grow()
	}
}

// reserve makes room for n more positions and keys new keys.
func (ix *hashIndex) reserve(n, keys int) {
	ix.next = slices.Grow(ix.next, n)
	for (ix.used+keys)*2 > len(ix.tab) {
		ix.grow()
	}
}

func (ix *hashIndex) keyAt(g *segment, p int) string {
	k, _ := KeyOf(g.lookup(p, ix.field))
	return k
}

func (ix *hashIndex) grow() {
	old := ix.tab
	ix.tab = make([]hslot, 2*len(old))
	mask := uint64(len(ix.tab) - 1)
	for _, e := range old {
		if e.head == 0 {
			continue
		}
		s := e.hash & mask
		for ix.tab[s].head != 0 {
			s = (s + 1) & mask
		}
		ix.tab[s] = e
	}
}

// find calls fn with every position holding key, latest first, until fn
// returns false.
func (ix *hashIndex) find(g *segment, key string, fn func(p int) bool) {
	h := maphash.String(ix.seed, key)
	mask := uint64(len(ix.tab) - 1)
	for s := h & mask; ix.tab[s].head != 0; s = (s + 1) & mask {
		if e := ix.tab[s]; e.hash == h && ix.keyAt(g, int(e.head)-1) == key {
			for p := e.head; p != 0; p = ix.next[p-1] {
				if !fn(int(p) - 1) {
					return
				}
			}
			return
		}
	}
}
