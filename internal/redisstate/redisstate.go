// Package redisstate shares one mock's state between several replicas
// through Redis: the store's write log (a stream), the rate-limit counters
// and the sticky scenarios. Each replica keeps serving reads from its own
// memory; Redis orders the writes and carries the counters.
//
// Keys live under "standin:<seed>:" (the seed is part of the name because
// replicas can only share a log when they generated the same data):
//
//	log       stream of store entries (field "e": JSON of store.Entry,
//	          field "w": the write id of the attempt that appended it)
//	fence:ID  the write ID was found not applied: its append is refused
//	rl:...    one counter per (API, window, token), expiring with the window
//	sticky    hash API → sticky scenario name
//	sticky    pub/sub channel announcing a change of the hash
package redisstate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/store"
)

// State is a connection to the Redis that holds the shared state.
type State struct {
	rdb    *redis.Client
	prefix string
	// closing ends the rate-limit batcher (closed once, by Close).
	closing chan struct{}
	once    sync.Once
}

// Open connects to the Redis named by a redis:// (or rediss://) URL and
// checks that it answers. seed namespaces the keys.
func Open(ctx context.Context, url string, seed uint64) (*State, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("state %q: %w", url, err)
	}
	// Short timeouts: when Redis is gone, a write must fail fast (503),
	// not hang the request.
	opt.DialTimeout = time.Second
	opt.ReadTimeout = time.Second
	opt.WriteTimeout = time.Second
	// No silent retries: a retried append whose first try did land would
	// be refused as a conflict and then evaluated again.
	opt.MaxRetries = -1
	rdb := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("state %s: Redis does not answer: %w", url, err)
	}
	return &State{rdb: rdb, prefix: "standin:" + strconv.FormatUint(seed, 10) + ":", closing: make(chan struct{})}, nil
}

// Close closes the connection (and ends the rate-limit batcher); it may be
// called more than once.
func (s *State) Close() error {
	var err error
	s.once.Do(func() {
		close(s.closing)
		err = s.rdb.Close()
	})
	return err
}

// Ping reports whether Redis answers now.
func (s *State) Ping(ctx context.Context) error { return s.rdb.Ping(ctx).Err() }

// Log returns the shared write log, for store.SetLog.
func (s *State) Log() store.Log {
	return &streamLog{rdb: s.rdb, key: s.prefix + "log", fences: s.prefix + "fence:"}
}

// streamLog is a store.Log on a Redis stream.
type streamLog struct {
	rdb *redis.Client
	key string
	// fences prefixes the keys of writes found not applied (outcome.go).
	fences string
}

// appendScript appends ARGV[3] unless the stream's last id differs from
// ARGV[1] (ARGV[2] "1": a reset, appended anyway, which then trims what
// came before it: nothing older matters to a replica that replays). The
// entry's write id ARGV[4] goes beside it (field "w"); an append whose
// write id is fenced (KEYS[2], set by outcomeScript when it found the
// write not applied) is refused: it arrived after its writer gave it up.
var appendScript = redis.NewScript(`
if ARGV[4] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then return {2, ''} end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local lastid = ''
if #last > 0 then lastid = last[1][1] end
if ARGV[2] ~= '1' and lastid ~= ARGV[1] then return {0, lastid} end
local id
if ARGV[4] ~= '' then
  id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[3], 'w', ARGV[4])
else
  id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])
end
if ARGV[2] == '1' then redis.call('XTRIM', KEYS[1], 'MINID', id) end
return {1, id}
`)

func (l *streamLog) Append(ctx context.Context, after string, e store.Entry) (string, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return "", err
	}
	reset := "0"
	if e.Reset {
		reset = "1"
	}
	res, err := appendScript.Run(ctx, l.rdb, []string{l.key, l.fence(e.Write)}, after, reset, b, e.Write).Slice()
	if err != nil {
		if mayHaveRun(err) {
			return "", fmt.Errorf("%w: %v", store.ErrAnswerLost, err)
		}
		return "", err
	}
	if len(res) != 2 {
		return "", fmt.Errorf("append: unexpected answer %v", res)
	}
	ok, _ := res[0].(int64)
	id, _ := res[1].(string)
	switch ok {
	case 1:
		return id, nil
	case 2:
		return "", fmt.Errorf("append: write %s was given up (found not applied) before it arrived", e.Write)
	}
	return "", fmt.Errorf("%w (log at %q, writer at %q)", store.ErrConflict, id, after)
}

func (l *streamLog) Read(ctx context.Context, after string, count int, block time.Duration) ([]store.Entry, error) {
	if block <= 0 {
		start := "-"
		if after != "" {
			start = "(" + after
		}
		msgs, err := l.rdb.XRangeN(ctx, l.key, start, "+", int64(count)).Result()
		if err != nil {
			return nil, err
		}
		return decode(msgs)
	}
	from := after
	if from == "" {
		from = "0-0"
	}
	streams, err := l.rdb.XRead(ctx, &redis.XReadArgs{Streams: []string{l.key, from}, Count: int64(count), Block: block}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []store.Entry
	for _, st := range streams {
		es, err := decode(st.Messages)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

func decode(msgs []redis.XMessage) ([]store.Entry, error) {
	out := make([]store.Entry, 0, len(msgs))
	for _, m := range msgs {
		raw, _ := m.Values["e"].(string)
		var e store.Entry
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, fmt.Errorf("log entry %s: %w", m.ID, err)
		}
		e.ID = m.ID
		e.Write, _ = m.Values["w"].(string)
		out = append(out, e)
	}
	return out, nil
}

// keyPart makes a value safe inside a key (no ':' ambiguity).
func keyPart(v string) string { return strings.ReplaceAll(v, ":", "%3A") }
