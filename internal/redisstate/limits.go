package redisstate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
)

// Limits returns the shared rate-limit counters, for Limiter.SetShared.
// Their decisions are sent to Redis in batches (see run) until Close.
func (s *State) Limits() ratelimit.Shared {
	l := &limits{rdb: s.rdb, prefix: s.prefix + "rl:", reqs: make(chan *takeReq), stop: s.closing}
	go l.run()
	return l
}

type limits struct {
	rdb    *redis.Client
	prefix string
	reqs   chan *takeReq
	stop   <-chan struct{}
}

// takeReq is one request's turn, waiting for its batch.
type takeReq struct {
	key   string
	limit int
	win   int64 // ms
	done  chan takeRes
}

type takeRes struct {
	allowed bool
	count   int64
	leftMS  int64
	err     error
}

// takeScript is ratelimit's algorithm in one atomic step, for each key in
// order (a key may come more than once): a window opens (count 1,
// expiring after the window) when none is running; a request inside a
// full window is refused and not counted. ARGV holds limit and window
// (ms) per key; it returns allowed, the count and the milliseconds left in
// the window per key.
var takeScript = redis.NewScript(`
local out = {}
for i, k in ipairs(KEYS) do
  local lim, win = tonumber(ARGV[2*i-1]), tonumber(ARGV[2*i])
  local ttl = redis.call('PTTL', k)
  if ttl <= 0 then
    redis.call('SET', k, 1, 'PX', win)
    out[#out+1], out[#out+2], out[#out+3] = 1, 1, win
  else
    local c = tonumber(redis.call('GET', k))
    if c >= lim then
      out[#out+1], out[#out+2], out[#out+3] = 0, c, ttl
    else
      out[#out+1], out[#out+2], out[#out+3] = 1, redis.call('INCR', KEYS[i]), ttl
    end
  end
end
return out
`)

// opTimeout bounds one counter operation: a request never waits long for
// a Redis that is gone (it is then counted locally).
const opTimeout = 500 * time.Millisecond

// maxBatch bounds how many decisions one round trip carries.
const maxBatch = 512

// errClosed: the State was closed.
var errClosed = errors.New("redisstate: closed")

func (l *limits) Take(api, key string, limit manifest.RateLimit) (ratelimit.Decision, error) {
	win := time.Duration(limit.Window)
	req := &takeReq{
		key:   l.prefix + keyPart(api) + ":" + strconv.FormatInt(win.Milliseconds(), 10) + ":" + key,
		limit: limit.Limit, win: win.Milliseconds(), done: make(chan takeRes, 1),
	}
	select {
	case l.reqs <- req:
	case <-l.stop:
		return ratelimit.Decision{}, errClosed
	}
	var r takeRes
	select {
	case r = <-req.done:
	case <-l.stop:
		return ratelimit.Decision{}, errClosed
	}
	if r.err != nil {
		return ratelimit.Decision{}, r.err
	}
	reset := time.Duration(r.leftMS) * time.Millisecond
	if !r.allowed {
		return ratelimit.Decision{Allowed: false, Limit: limit.Limit, Reset: reset, RetryAfter: reset}, nil
	}
	return ratelimit.Decision{Allowed: true, Limit: limit.Limit, Remaining: max(0, limit.Limit-int(r.count)), Reset: reset}, nil
}

// run sends the requests' decisions to Redis, one batch per round trip:
// what queued up while the previous batch was away goes in the next one
// (so a lone request waits for nobody, and under load one script call
// decides hundreds of requests, still one at a time and in order).
func (l *limits) run() {
	batch := make([]*takeReq, 0, maxBatch)
	for {
		select {
		case r := <-l.reqs:
			batch = append(batch[:0], r)
		case <-l.stop:
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-l.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		l.decide(batch)
	}
}

func (l *limits) decide(batch []*takeReq) {
	keys := make([]string, len(batch))
	args := make([]any, 0, 2*len(batch))
	for i, r := range batch {
		keys[i] = r.key
		args = append(args, r.limit, r.win)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	res, err := takeScript.Run(ctx, l.rdb, keys, args...).Int64Slice()
	if err == nil && len(res) != 3*len(batch) {
		err = fmt.Errorf("rate limit: %d values for %d requests", len(res), len(batch))
	}
	for i, r := range batch {
		if err != nil {
			r.done <- takeRes{err: err}
			continue
		}
		r.done <- takeRes{allowed: res[3*i] == 1, count: res[3*i+1], leftMS: res[3*i+2]}
	}
}

// Reset deletes every counter.
func (l *limits) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	iter := l.rdb.Scan(ctx, 0, l.prefix+"*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := l.rdb.Unlink(ctx, batch...).Err(); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return l.rdb.Unlink(ctx, batch...).Err()
	}
	return nil
}
