package redisstate

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
)

// Limits returns the shared rate-limit counters, for Limiter.SetShared.
// Their decisions are sent to Redis in batches (see run) until Close.
func (s *State) Limits() ratelimit.Shared {
	l := &limits{rdb: s.rdb, prefix: s.prefix + "rl:", wake: make(chan struct{}, 1), stop: s.closing}
	go l.run()
	return l
}

// limits decides rate limits in Redis. Requests queue in pending; one
// goroutine (run) takes the whole queue per round trip and closes the
// batch's done channel once every decision of it is known.
type limits struct {
	rdb    *redis.Client
	prefix string
	wake   chan struct{} // one token: a batch is pending
	stop   <-chan struct{}

	mu      sync.Mutex
	pending *takeBatch // requests for the next round trip; nil when none
}

// takeBatch is the requests of one round trip, in queue order, and their
// decisions (res[i] for reqs[i]), readable once done is closed.
type takeBatch struct {
	reqs []takeReq
	res  []takeRes
	err  error
	done chan struct{}
}

// takeReq is one request's turn: the counter is (api, win, token).
type takeReq struct {
	api, token string
	limit      int
	win        int64 // ms
}

type takeRes struct {
	allowed bool
	count   int64 // the window's count after this request (when allowed)
	leftMS  int64
}

// takeScript is ratelimit's algorithm in one atomic step per distinct
// counter. ARGV holds limit, window (ms) and n, the requests of that
// counter in this batch, per key. A window opens (expiring after the
// window) when none is running; of the n requests, the first
// min(n, limit-count) are allowed and counted (INCRBY), the rest refused
// and not counted. It returns the count before, how many were allowed
// and the milliseconds left in the window, per key: exactly what n
// one-at-a-time steps would decide, since time stands still inside a
// script.
var takeScript = redis.NewScript(`
local out = {}
for i, k in ipairs(KEYS) do
  local lim, win, n = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1]), tonumber(ARGV[3*i])
  local ttl = redis.call('PTTL', k)
  local start, take = 0, math.min(n, lim)
  if ttl <= 0 then
    redis.call('SET', k, take, 'PX', win)
    ttl = win
  else
    start = tonumber(redis.call('GET', k))
    take = math.max(0, math.min(n, lim - start))
    if take > 0 then
      redis.call('INCRBY', k, take)
    end
  end
  out[#out+1], out[#out+2], out[#out+3] = start, take, ttl
end
return out
`)

// opTimeout bounds one counter operation: a request never waits long for
// a Redis that is gone (it is then counted locally).
const opTimeout = 500 * time.Millisecond

// maxBatch bounds how many distinct counters one script call carries.
const maxBatch = 512

// errClosed: the State was closed.
var errClosed = errors.New("redisstate: closed")

func (l *limits) Take(api, key string, limit manifest.RateLimit) (ratelimit.Decision, error) {
	req := takeReq{api: api, token: key, limit: limit.Limit, win: time.Duration(limit.Window).Milliseconds()}
	l.mu.Lock()
	b := l.pending
	first := b == nil
	if first {
		b = &takeBatch{done: make(chan struct{})}
		l.pending = b
	}
	i := len(b.reqs)
	b.reqs = append(b.reqs, req)
	l.mu.Unlock()
	if first {
		select {
		case l.wake <- struct{}{}:
		default: // run is already told
		}
	}
	select {
	case <-b.done:
	case <-l.stop:
		return ratelimit.Decision{}, errClosed
	}
	if b.err != nil {
		return ratelimit.Decision{}, b.err
	}
	r := b.res[i]
	reset := time.Duration(r.leftMS) * time.Millisecond
	if !r.allowed {
		return ratelimit.Decision{Allowed: false, Limit: limit.Limit, Reset: reset, RetryAfter: reset}, nil
	}
	return ratelimit.Decision{Allowed: true, Limit: limit.Limit, Remaining: max(0, limit.Limit-int(r.count)), Reset: reset}, nil
}

// run sends the pending requests' decisions to Redis, one batch per round
// trip: what queued up while the previous batch was away goes in the next
// one (so a lone request waits for nobody, and under load one script call
// decides hundreds of requests, in order).
func (l *limits) run() {
	for {
		select {
		case <-l.wake:
		case <-l.stop:
			return
		}
		l.mu.Lock()
		b := l.pending
		l.pending = nil
		l.mu.Unlock()
		if b == nil {
			continue
		}
		b.res, b.err = l.decide(b.reqs)
		close(b.done)
	}
}

// decide decides reqs, in order, with one script call per maxBatch
// distinct counters.
func (l *limits) decide(reqs []takeReq) ([]takeRes, error) {
	groups, of := coalesce(reqs)
	taken := make([]takeGroup, 0, len(groups))
	for len(groups) > 0 {
		part := groups[:min(len(groups), maxBatch)]
		groups = groups[len(part):]
		got, err := l.takeGroups(part)
		if err != nil {
			return nil, err
		}
		taken = append(taken, got...)
	}
	return distribute(reqs, of, taken), nil
}

// takeGroups runs takeScript for groups and returns them with start,
// allowed and leftMS filled in.
func (l *limits) takeGroups(groups []takeGroup) ([]takeGroup, error) {
	keys := make([]string, len(groups))
	args := make([]any, 0, 3*len(groups))
	for i, g := range groups {
		keys[i] = l.prefix + keyPart(g.api) + ":" + strconv.FormatInt(g.win, 10) + ":" + g.token
		args = append(args, g.limit, g.win, g.n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	res, err := takeScript.Run(ctx, l.rdb, keys, args...).Int64Slice()
	if err != nil {
		return nil, err
	}
	if len(res) != 3*len(groups) {
		return nil, errors.New("rate limit: " + strconv.Itoa(len(res)) + " values for " + strconv.Itoa(len(groups)) + " counters")
	}
	for i := range groups {
		groups[i].start, groups[i].allowed, groups[i].leftMS = res[3*i], res[3*i+1], res[3*i+2]
	}
	return groups, nil
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
