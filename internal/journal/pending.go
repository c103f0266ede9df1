package journal

// Begin records an entry, like Add, and returns an id for Finish. The
// server records a request when its answer starts (so that a client that
// has read the answer finds the request in the journal) and completes it
// with Finish when the request ends.
func (j *Journal) Begin(e Entry) uint64 {
	j.mu.Lock()
	j.last++
	id := j.last
	e.Seq = id
	j.ring[j.next] = e
	j.ids[j.next] = id
	j.next++
	if j.next == len(j.ring) {
		j.next = 0
	}
	if j.count < len(j.ring) {
		j.count++
	}
	j.mu.Unlock()
	return id
}

// Finish replaces the entry Begin returned id for with e, its completed
// form, if the journal still holds it (it may have been dropped or cleared
// since). It reports whether it did.
func (j *Journal) Finish(id uint64, e Entry) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if id == 0 || j.count == 0 || id > j.last || j.last-id >= uint64(j.count) {
		return false
	}
	idx := j.next - 1 - int(j.last-id)
	if idx < 0 {
		idx += len(j.ring)
	}
	if j.ids[idx] != id {
		return false
	}
	e.Seq = id
	j.ring[idx] = e
	return true
}

// Get returns the entry numbered seq (Entry.Seq) if the journal still
// holds it, as recorded: token, query and headers as presented, for
// replaying the request (the control API's "copy as curl"), never for
// listing.
func (j *Journal) Get(seq uint64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if seq == 0 || j.count == 0 || seq > j.last || j.last-seq >= uint64(j.count) {
		return Entry{}, false
	}
	idx := j.index(int(j.last - seq))
	if j.ids[idx] != seq {
		return Entry{}, false
	}
	return j.ring[idx], true
}
