package store

import (
	"encoding/binary"
	"math"
	"sort"
	"strings"
)

// encoder encodes records into a segment's format: the segment's own
// (under the store's lock) or a Packer's (on another goroutine). Shapes
// are the segment's, added under its shapeMu.
type encoder struct {
	g    *segment
	buf  []byte // encoding scratch
	keys []string
	// recent are the shapes this encoder used last, most recent first: an
	// object with one of them is encoded without sorting its keys.
	recent  [4]int32
	nRecent int
}

// encode encodes r, or reports false when r holds a value that is not
// JSON-shaped (it is then kept as a map).
func (e *encoder) encode(r Record) ([]byte, bool) {
	b := e.buf[:0]
	b, ok := e.encodeObject(b, r, true)
	e.buf = b
	return b, ok
}

func (e *encoder) encodeObject(b []byte, m map[string]any, top bool) ([]byte, bool) {
	for _, id := range e.recent[:e.nRecent] {
		if out, hit, ok := e.encodeAs(b, m, int(id), top); hit {
			return out, ok
		}
	}
	keys := e.keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e.keys = keys
	id, ok := e.g.shapeID(keys)
	if !ok {
		if top {
			return b, false
		}
		b = append(b, tagInline)
		b = binary.AppendUvarint(b, uint64(len(keys)))
		sorted := append([]string(nil), keys...)
		for _, k := range sorted {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			if b, ok = e.encodeValue(b, m[k]); !ok {
				return b, false
			}
		}
		return b, true
	}
	e.used(id)
	out, _, ok := e.encodeAs(b, m, id, top)
	return out, ok
}

// encodeAs encodes m as an object of shape id. hit reports whether m has
// exactly the shape's keys (if not, nothing is appended); ok, whether its
// values could be encoded.
func (e *encoder) encodeAs(b []byte, m map[string]any, id int, top bool) (out []byte, hit, ok bool) {
	s := e.g.tab.Load().shapes[id]
	if len(s.keys) != len(m) {
		return b, false, false
	}
	start := len(b)
	if !top {
		b = append(b, tagShaped)
	}
	b = binary.AppendUvarint(b, uint64(id))
	for _, k := range s.keys {
		v, present := m[k]
		if !present { // as many keys, so another key set
			return b[:start], false, false
		}
		if b, ok = e.encodeValue(b, v); !ok {
			return b, true, false
		}
	}
	return b, true, true
}

// used makes shape id the most recent.
func (e *encoder) used(id int) {
	n := min(e.nRecent+1, len(e.recent))
	copy(e.recent[1:n], e.recent[:n-1])
	e.recent[0] = int32(id)
	e.nRecent = n
}

// shapeID returns the number of a sorted key list, adding it when there is
// room.
func (g *segment) shapeID(keys []string) (int, bool) {
	sig := strings.Join(keys, "\x00")
	g.shapeMu.Lock()
	defer g.shapeMu.Unlock()
	cur := g.tab.Load()
	if id, ok := cur.ids[sig]; ok {
		return id, true
	}
	if len(cur.shapes) >= maxShapes {
		return 0, false
	}
	s := &shape{keys: append([]string(nil), keys...), pos: make(map[string]int, len(keys))}
	for i, k := range s.keys {
		s.pos[k] = i
	}
	// a new table, so Items holding the old one never see it change
	t := &shapeTable{shapes: append(cur.shapes[:len(cur.shapes):len(cur.shapes)], s), ids: cur.ids}
	t.ids[sig] = len(t.shapes) - 1 // ids only grows, read under shapeMu
	g.tab.Store(t)
	return len(t.shapes) - 1, true
}

func (e *encoder) encodeValue(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(b, tagNull), true
	case bool:
		if x {
			return append(b, tagTrue), true
		}
		return append(b, tagFalse), true
	case float64:
		b = append(b, tagFloat)
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(x)), true
	case string:
		b = append(b, tagString)
		b = binary.AppendUvarint(b, uint64(len(x)))
		return append(b, x...), true
	case int:
		b = append(b, tagInt)
		return binary.AppendVarint(b, int64(x)), true
	case int64:
		b = append(b, tagInt64)
		return binary.AppendVarint(b, x), true
	case []any:
		if x == nil {
			return b, false // a nil list is not the empty one; keep the map
		}
		b = append(b, tagArray)
		b = binary.AppendUvarint(b, uint64(len(x)))
		var ok bool
		for _, v := range x {
			if b, ok = e.encodeValue(b, v); !ok {
				return b, false
			}
		}
		return b, true
	case []string:
		if x == nil {
			return b, false
		}
		b = append(b, tagStrArray)
		b = binary.AppendUvarint(b, uint64(len(x)))
		for _, s := range x {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		return b, true
	case map[string]any:
		if x == nil {
			return b, false
		}
		return e.encodeObject(b, x, false)
	}
	return b, false
}
