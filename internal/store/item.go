package store

import (
	"sort"
	"strings"
)

// DefaultPackAfter is how many records a collection holds as maps before it
// stores new ones packed (see Definition.PackAfter).
const DefaultPackAfter = 4096

// Item is a record together with its sequence number in its collection.
//
// A small collection keeps each record as the map it was given. A large one
// keeps records packed: one list of keys shared by the collection and a
// slice of values per record, about a third of the memory of a map of a
// dozen entries. Read single fields with Lookup, which never builds a map;
// Record returns the whole record (for a packed one, a new map on each
// call).
type Item struct {
	// Seq is the record's sequence number in its collection.
	Seq   uint64
	rev   uint64
	rec   Record
	shape *shape
	vals  []any
}

// shape is the sorted key list of a collection's packed records.
type shape struct {
	keys []string
	pos  map[string]int
	// nested[i] is the shape of the objects packed under keys[i], nil
	// until one is packed.
	nested []*shape
}

// PackNestedKeys is the least number of keys an object inside a packed
// record must have to be packed too. Smaller objects stay maps: they are
// often one value shared by many records (a picked partner), which packing
// would copy into each.
const PackNestedKeys = 5

// object is a packed object inside a packed record.
type object struct {
	shape *shape
	vals  []any
}

// record returns o as a map.
func (o *object) record() Record {
	m := make(Record, len(o.vals))
	for i, v := range o.vals {
		if _, gone := v.(absent); !gone {
			m[o.shape.keys[i]] = v
		}
	}
	return m
}

// lookup is Item.Lookup inside o.
func (o *object) lookup(path string) any {
	head, rest, nested := strings.Cut(path, ".")
	i, ok := o.shape.pos[head]
	if !ok {
		return nil
	}
	return descend(o.vals[i], rest, nested)
}

// descend returns v, or the value at path inside it when nested, as a
// JSON-shaped value (a packed object becomes a map).
func descend(v any, path string, nested bool) any {
	switch x := v.(type) {
	case absent:
		return nil
	case *object:
		if !nested {
			return x.record()
		}
		return x.lookup(path)
	case map[string]any:
		if nested {
			return Lookup(x, path)
		}
		return v
	}
	if nested {
		return nil
	}
	return v
}

// absent marks, in a packed record, a key of the shape the record lacks.
type absent struct{}

// NewItem returns an item holding r at sequence number seq, for views and
// tests that build items themselves. Its Rev is 0.
func NewItem(seq uint64, r Record) Item { return Item{Seq: seq, rec: r} }

// Record returns the record. Treat it as read-only.
func (it Item) Record() Record {
	if it.shape == nil {
		return it.rec
	}
	m := make(Record, len(it.vals))
	for i, v := range it.vals {
		switch x := v.(type) {
		case absent:
		case *object:
			m[it.shape.keys[i]] = x.record()
		default:
			m[it.shape.keys[i]] = v
		}
	}
	return m
}

// Lookup returns the value at a dotted path in the record, or nil; like the
// function Lookup on Record.
func (it Item) Lookup(path string) any {
	if it.shape == nil {
		return Lookup(it.rec, path)
	}
	return (&object{shape: it.shape, vals: it.vals}).lookup(path)
}

// Packed reports whether the item holds its record packed, so that Record
// builds a map on each call.
func (it Item) Packed() bool { return it.shape != nil }

// Rev identifies the stored version of the record: a record put into a
// Store (inserted or replacing another) gets a Rev no other record of that
// Store had. Callers may cache what they derive from a record under (Seq,
// Rev). Items made by NewItem have Rev 0.
func (it Item) Rev() uint64 { return it.rev }

// newShape returns the shape of r's keys.
func newShape(r Record) *shape {
	s := &shape{keys: make([]string, 0, len(r)), pos: make(map[string]int, len(r))}
	for k := range r {
		s.keys = append(s.keys, k)
	}
	sort.Strings(s.keys)
	for i, k := range s.keys {
		s.pos[k] = i
	}
	return s
}

// pack returns r's values in s's key order, or false when r has a key s
// lacks. Objects of PackNestedKeys keys or more are packed too, one level
// deep.
func (s *shape) pack(r Record) ([]any, bool) {
	vals, ok := s.values(r)
	if !ok {
		return nil, false
	}
	for i, v := range vals {
		m, isMap := v.(map[string]any)
		if !isMap || len(m) < PackNestedKeys {
			continue
		}
		if s.nested == nil {
			s.nested = make([]*shape, len(s.keys))
		}
		if s.nested[i] == nil {
			s.nested[i] = newShape(m)
		}
		if nv, ok := s.nested[i].values(m); ok {
			vals[i] = &object{shape: s.nested[i], vals: nv}
		}
	}
	return vals, true
}

// values returns r's values in s's key order, or false.
func (s *shape) values(r Record) ([]any, bool) {
	if len(r) > len(s.keys) {
		return nil, false
	}
	vals := make([]any, len(s.keys))
	for i := range vals {
		vals[i] = absent{}
	}
	for k, v := range r {
		i, ok := s.pos[k]
		if !ok {
			return nil, false
		}
		vals[i] = v
	}
	return vals, true
}
