package journal

import (
	"sync"
	"sync/atomic"
)

// subscribers are the live listeners of a journal (Subscribe).
type subscribers struct {
	n    atomic.Int32 // len(m), read without the lock on every Publish
	mu   sync.Mutex
	next int
	m    map[int]chan Entry
}

// Subscribe returns a channel that receives each completed request as the
// server publishes it (Publish), redacted as List redacts, and a function that ends
// the subscription and closes the channel. A subscriber that falls more than
// buffer entries behind misses entries rather than slowing requests down.
func (j *Journal) Subscribe(buffer int) (<-chan Entry, func()) {
	if buffer < 1 {
		buffer = 1
	}
	s := &j.subs
	ch := make(chan Entry, buffer)
	s.mu.Lock()
	if s.m == nil {
		s.m = map[int]chan Entry{}
	}
	id := s.next
	s.next++
	s.m[id] = ch
	s.n.Store(int32(len(s.m)))
	s.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			s.mu.Lock()
			_, held := s.m[id]
			delete(s.m, id)
			s.n.Store(int32(len(s.m)))
			s.mu.Unlock()
			if held { // else CloseSubscribers closed it
				close(ch)
			}
		})
	}
}

// Publish hands a completed entry to every subscriber without waiting: a
// full subscriber misses it. Without subscribers it costs one atomic load.
func (j *Journal) Publish(e Entry) {
	s := &j.subs
	if s.n.Load() == 0 {
		return
	}
	forReading(&e)
	s.mu.Lock()
	for _, ch := range s.m {
		select {
		case ch <- e:
		default:
		}
	}
	s.mu.Unlock()
}

// CloseSubscribers ends every subscription (their channels close), so that
// streams end when the server shuts down.
func (j *Journal) CloseSubscribers() {
	s := &j.subs
	s.mu.Lock()
	subs := s.m
	s.m = nil
	s.n.Store(0)
	s.mu.Unlock()
	for _, ch := range subs {
		close(ch)
	}
}
