package redisstate

import (
	"context"
	"encoding/json"
	"strconv"
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
	rdb *redis.Client
	key string
	max int
	ch  chan journal.Entry
}

// shipBuffer is how many entries may wait for shipping; past it, entries
// are kept only in the replica's own journal.
const shipBuffer = 4096

// shipLinger is how long the shipper gathers entries before one round
// trip; other replicas see a request at most about this much later.
const shipLinger = 5 * time.Millisecond

// Journal returns the shared journal keeping about max entries; call Run
// to ship what Ship is given.
func (s *State) Journal(max int) *Journal {
	return &Journal{rdb: s.rdb, key: s.prefix + "journal", max: max, ch: make(chan journal.Entry, shipBuffer)}
}

// Ship queues a completed entry for the shared journal without waiting.
func (j *Journal) Ship(e journal.Entry) {
	e.Token, e.Query = journal.Redact(e.Token), journal.RedactQuery(e.Query)
	select {
	case j.ch <- e:
	default: // Redis is slow or gone: the local journal still has it
	}
}

// Run ships queued entries, in pipelined batches, until ctx ends; then it
// ships what is still queued (one last round trip, bounded by opTimeout)
// and returns.
func (j *Journal) Run(ctx context.Context) {
	batch := make([]journal.Entry, 0, 256)
	for {
		select {
		case <-ctx.Done():
			j.flush(batch[:0])
			return
		case e := <-j.ch:
			batch = append(batch[:0], e)
		}
		// Linger a little: under load one round trip then carries
		// hundreds of entries instead of one.
		linger := time.NewTimer(shipLinger)
	gather:
		for len(batch) < cap(batch) {
			select {
			case e := <-j.ch:
				batch = append(batch, e)
			case <-linger.C:
				break gather
			case <-ctx.Done():
				break gather
			}
		}
		linger.Stop()
		j.ship(batch, 2*time.Second)
	}
}

// flush ships every entry still queued, in batches, without waiting for
// more.
func (j *Journal) flush(batch []journal.Entry) {
	for {
		select {
		case e := <-j.ch:
			batch = append(batch, e)
			if len(batch) < cap(batch) {
				continue
			}
		default:
		}
		if len(batch) == 0 {
			return
		}
		j.ship(batch, opTimeout)
		batch = batch[:0]
	}
}

// ship appends one batch as one stream entry (field "b", a JSON array),
// trimming the stream to about max/len(batch) batches: about max requests.
// A batch Redis does not take stays only in the local journal.
func (j *Journal) ship(batch []journal.Entry, timeout time.Duration) {
	b := encodeBatch(batch)
	keep := max(1, (j.max+len(batch)-1)/len(batch))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_ = j.rdb.XAdd(ctx, &redis.XAddArgs{Stream: j.key, MaxLen: int64(keep), Approx: true, Values: []any{"b", b}}).Err()
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

// encodeBatch is json.Marshal(batch), byte for byte, written without
// reflection (encoding/json spent a tenth of a busy replica's CPU on the
// journal); an entry that does not encode is left out.
func encodeBatch(batch []journal.Entry) []byte {
	b := make([]byte, 0, 256*len(batch))
	b = append(b, '[')
	for i := range batch {
		n := len(b)
		if n > 1 {
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
