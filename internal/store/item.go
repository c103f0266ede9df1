package store

// DefaultPackAfter is how many records a collection's segment keeps as maps
// before it encodes new ones (see Definition.PackAfter).
const DefaultPackAfter = 4096

// Item is a record together with its sequence number in its collection.
//
// A small collection keeps each record as the map it was given. A large one
// keeps records encoded in byte chunks, which the garbage collector never
// scans. Read single fields with Lookup, which decodes only the value asked
// for; Record returns the whole record (for an encoded one, a new map on
// each call). An Item stays valid and unchanged after the store changes:
// records are replaced, never changed in place.
type Item struct {
	// Seq is the record's sequence number in its collection.
	Seq uint64
	rev uint64
	rec Record
	// raw is the encoded record (when rec is nil), its shapes in tab.
	raw []byte
	tab *shapeTable
	// seg and bpos (position+1) say that the item is the record of that
	// segment's position, not a later one put there.
	seg  *segment
	bpos int32
}

// NewItem returns an item holding r at sequence number seq, for views and
// tests that build items themselves. Its Rev is 0.
func NewItem(seq uint64, r Record) Item { return Item{Seq: seq, rec: r} }

// Record returns the record. Treat it as read-only.
func (it Item) Record() Record {
	if it.raw == nil {
		return it.rec
	}
	return decodeRaw(it.raw, it.tab)
}

// Lookup returns the value at a dotted path in the record, or nil; like the
// function Lookup on Record.
func (it Item) Lookup(path string) any {
	if it.raw == nil {
		return Lookup(it.rec, path)
	}
	return lookupRaw(it.raw, it.tab, path)
}

// Packed reports whether the item holds its record encoded, so that Record
// builds a map on each call.
func (it Item) Packed() bool { return it.raw != nil }

// Rev identifies the stored version of the record: a record put into a
// Store (inserted or replacing another) gets a Rev no other record of that
// Store had. Callers may cache what they derive from a record under (Seq,
// Rev). Items made by NewItem have Rev 0.
func (it Item) Rev() uint64 { return it.rev }
