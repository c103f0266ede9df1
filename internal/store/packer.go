package store

import (
	"fmt"
	"hash/maphash"
)

// Packer encodes records for one collection while it is built, on the
// caller's goroutine and without the store's lock, so that goroutines
// making records hand the store bytes to copy (AddPacked) and the one
// goroutine storing them does not encode. Each goroutine uses a Packer of
// its own; Packers of one collection may run at once.
type Packer struct {
	enc encoder
}

// Packer returns a Packer for a collection. Its encodings are for the
// collection as it is being built; once the collection is frozen or
// changed otherwise, AddPacked encodes the records itself.
func (s *Store) Packer(col string) (*Packer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil {
		return nil, err
	}
	return &Packer{enc: encoder{g: c.seg}}, nil
}

// Pack appends the encoding of r to buf. It reports false when r holds a
// value the encoding does not take (AddPacked then keeps the map).
func (p *Packer) Pack(buf []byte, r Record) ([]byte, bool) {
	start := len(buf)
	b, ok := p.enc.encodeObject(buf, r, true)
	if !ok {
		return b[:start], false
	}
	return b, true
}

// AddPacked is Add for a record that p packed into raw (Pack; nil: not
// packed). The store copies raw when the record is encoded at all (past
// the collection's first PackAfter records) and the encoding is still for
// the collection as it is; else it encodes r itself. raw must be Pack's
// encoding of r.
func (s *Store) AddPacked(col string, r Record, p *Packer, raw []byte) (retained bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.col(col)
	if err != nil {
		return false, err
	}
	if p == nil || p.enc.g != c.seg {
		raw = nil
	}
	if retained, err = c.insertPacked(r, raw); err != nil {
		return false, fmt.Errorf("store: %s: %w", col, err)
	}
	s.version.Add(1)
	return retained, nil
}

// Warm reads the index slots that adding recs to a collection being built
// will probe, one after another: the reads do not wait on each other, so
// the processor overlaps their cache misses, and the adds that follow
// find the slots in the cache. A million-key table misses the cache on
// nearly every probe. It changes nothing.
func (s *Store) Warm(col string, recs []Record) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.col(col)
	if err != nil || !c.appendable(c.next) {
		return
	}
	var sum uint32
	for _, ix := range c.seg.idx {
		// the hashes first, then the reads alone: nothing between them
		// to wait on
		hs := c.warmHashes[:0]
		for _, r := range recs {
			if key, ok := KeyOf(Lookup(r, ix.field)); ok {
				hs = append(hs, maphash.String(ix.seed, key))
			}
		}
		c.warmHashes = hs
		mask := uint64(len(ix.tab) - 1)
		for _, h := range hs {
			sum += ix.tab[h&mask].head
		}
	}
	c.warmed += uint64(sum) // used, so the reads are not left out
}
