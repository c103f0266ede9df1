package redisstate

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/journal"
	"github.com/standin/standin/internal/jsonw"
)

// Journal is the request journal shared by every replica: a Redis stream
// of batches of entries, capped at about max entries (XADD MAXLEN ~).
// Entries are shipped in the background, so that no request waits for
// Redis, and are stored with their tokens already redacted.
type Journal struct {
	rdb  *redis.Client
	key  string
	max  int
	wake chan struct{} // one token: entries wait in queue

	mu    sync.Mutex
	queue []journal.Entry // waiting for shipping, at most shipBuffer
}

// shipBuffer is how many entries may wait for shipping; past it, entries
// are kept only in the replica's own journal.
const shipBuffer = 4096

// shipBatch is the most entries one stream entry (one XADD) carries.
const shipBatch = 512

// shipLinger is how long the shipper gathers entries before one round
// trip; other replicas see a request at most about this much later.
const shipLinger = 5 * time.Millisecond

// Journal returns the shared journal keeping about max entries; call Run
// to ship what Ship is given.
func (s *State) Journal(max int) *Journal {
	return &Journal{rdb: s.rdb, key: s.prefix + "journal", max: max, wake: make(chan struct{}, 1)}
}

// Ship queues a completed entry for the shared journal without waiting:
// an append under a mutex; only the first entry of an empty queue wakes
// the shipper.
func (j *Journal) Ship(e journal.Entry) {
	e.Token, e.Query = journal.Redact(e.Token), journal.RedactQuery(e.Query)
	j.mu.Lock()
	n := len(j.queue)
	if n < shipBuffer { // else Redis is slow or gone: the local journal still has it
		j.queue = append(j.queue, e)
	}
	j.mu.Unlock()
	if n == 0 {
		select {
		case j.wake <- struct{}{}:
		default: // the shipper is already told
		}
	}
}

// Run ships queued entries until ctx ends; then it ships what is still
// queued (bounded by opTimeout per batch) and returns. Woken by the first
// entry of an empty queue, it lingers shipLinger, so that under load one
// round trip carries hundreds of entries instead of one, then takes the
// whole queue at once.
func (j *Journal) Run(ctx context.Context) {
	var spare []journal.Entry // the queue before last, reused
	var buf []byte            // the encoding, reused
	linger := time.NewTimer(shipLinger)
	linger.Stop()
	defer linger.Stop()
	for {
		timeout := 2 * time.Second
		select {
		case <-ctx.Done():
			timeout = opTimeout
		case <-j.wake:
			linger.Reset(shipLinger)
			select {
			case <-linger.C:
			case <-ctx.Done():
				linger.Stop()
				timeout = opTimeout
			}
		}
		j.mu.Lock()
		taken := j.queue
		j.queue = spare
		j.mu.Unlock()
		for rest := taken; len(rest) > 0; {
			part := rest[:min(len(rest), shipBatch)]
			buf = j.ship(buf[:0], part, timeout)
			rest = rest[len(part):]
		}
		clear(taken) // keeps no request's strings alive
		spare = taken[:0]
		if ctx.Err() != nil {
			j.mu.Lock()
			left := len(j.queue)
			j.mu.Unlock()
			if left == 0 {
				return
			}
		}
	}
}

// ship appends one batch as one stream entry (field "b", a JSON array,
// encoded into buf), trimming the stream to about max/len(batch) batches:
// about max requests. A batch Redis does not take stays only in the local
// journal. It returns buf for reuse.
func (j *Journal) ship(buf []byte, batch []journal.Entry, timeout time.Duration) []byte {
	buf = appendBatch(buf, batch)
	keep := max(1, (j.max+len(batch)-1)/len(batch))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_ = j.rdb.XAdd(ctx, &redis.XAddArgs{Stream: j.key, MaxLen: int64(keep), Approx: true, Values: []any{"b", buf}}).Err()
	return buf
}

// Select returns the shared entries f matches, newest first.
func (j *Journal) Select(f journal.Filter) ([]journal.Entry, error) {
	out := []journal.Entry{}
	err := j.scan(func(e *journal.Entry) bool {
		if f.Match(e) {
			out = append(out, *e)
		}
		return f.Limit <= 0 || len(out) < f.Limit
	})
	return out, err
}

// Count returns how many shared entries f matches.
func (j *Journal) Count(f journal.Filter) (int, error) {
	n := 0
	err := j.scan(func(e *journal.Entry) bool {
		if f.Match(e) {
			n++
		}
		return true
	})
	return n, err
}

// Clear empties the shared journal.
func (j *Journal) Clear() error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	return j.rdb.Del(ctx, j.key).Err()
}

// scan calls fn for the entries newest first until it returns false.
func (j *Journal) scan(fn func(*journal.Entry) bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	msgs, err := j.rdb.XRevRangeN(ctx, j.key, "+", "-", int64(j.max)).Result()
	if err != nil {
		return err
	}
	seen := 0
	for _, m := range msgs {
		raw, _ := m.Values["b"].(string)
		batch, err := decodeBatch(raw)
		if err != nil {
			continue // not a batch this build wrote: skipped, not fatal
		}
		for i := len(batch) - 1; i >= 0; i-- { // newest first
			if seen == j.max || !fn(&batch[i]) {
				return nil
			}
			seen++
		}
	}
	return nil
}

// appendBatch appends json.Marshal(batch) to b, byte for byte, written
// without reflection (encoding/json spent a tenth of a busy replica's CPU
// on the journal); an entry that does not encode is left out.
func appendBatch(b []byte, batch []journal.Entry) []byte {
	open := len(b)
	b = append(b, '[')
	for i := range batch {
		n := len(b)
		if n > open+1 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendEntry(b, &batch[i]); err != nil {
			b = b[:n]
		}
	}
	return append(b, ']')
}

// appendEntry appends what e.MarshalJSON writes.
func appendEntry(b []byte, e *journal.Entry) ([]byte, error) {
	if y := e.Time.Year(); e.Request != nil || e.Response != nil || y < 0 || y > 9999 {
		// bodies (journalBodies), or a time json refuses: the general way
		j, err := e.MarshalJSON()
		if err != nil {
			return b, err
		}
		return append(b, j...), nil
	}
	b = append(b, `{"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","method":`...)
	b = jsonw.AppendString(b, e.Method)
	b = append(b, `,"path":`...)
	b = jsonw.AppendString(b, e.Path)
	b = appendOptional(b, `,"query":`, e.Query)
	b = appendOptional(b, `,"api":`, e.API)
	b = appendOptional(b, `,"operation":`, e.Operation)
	b = appendOptional(b, `,"scenario":`, e.Scenario)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, `,"durationMs":`...)
	b = jsonw.AppendFloat(b, float64(e.Duration)/float64(time.Millisecond), 64)
	b = append(b, `,"duration":`...)
	b = jsonw.AppendString(b, e.Duration.String())
	b = appendOptional(b, `,"token":`, e.Token)
	b = appendOptional(b, `,"requestId":`, e.RequestID)
	b = appendOptional(b, `,"replica":`, e.Replica)
	return append(b, '}'), nil
}

func appendOptional(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return jsonw.AppendString(append(b, name...), v)
}

// decodeBatch decodes one stream entry of the shared journal (field "b":
// a JSON array of entries).
func decodeBatch(raw string) ([]journal.Entry, error) {
	var batch []journal.Entry
	if err := json.Unmarshal([]byte(raw), &batch); err != nil {
		return nil, err
	}
	return batch, nil
}
