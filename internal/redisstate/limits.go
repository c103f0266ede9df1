package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	l := newLimits(s.rdb, s.prefix+"rl:", s.closing)
	go l.run()
	return l
}

// newLimits returns counters under prefix, not yet running (see run).
func newLimits(rdb *redis.Client, prefix string, stop <-chan struct{}) *limits {
	return &limits{rdb: rdb, prefix: prefix, replica: newReplicaID(), wake: make(chan struct{}, 1), stop: stop, leases: map[counterKey]*lease{}}
}

// newReplicaID names this process's leases: random, so two processes
// never share one.
func newReplicaID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// limits decides rate limits in Redis. Requests queue in pending; one
// goroutine (run) takes the whole queue per round trip and closes the
// batch's done channel once every decision of it is known.
type limits struct {
	rdb     *redis.Client
	prefix  string
	replica string        // names this process's leases (lease.go)
	wake    chan struct{} // one token: a batch is pending
	stop    <-chan struct{}

	mu      sync.Mutex
	pending *takeBatch // requests for the next round trip; nil when none
	leases  map[counterKey]*lease
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
	// busy: another replica holds the counter's lease (or this one is
	// giving it back): ask again. lapsed: this replica's lease could not
	// be extended in time: count locally.
	busy, lapsed bool
}

// takeScript is ratelimit's algorithm in one atomic step per distinct
// counter. ARGV holds limit, window (ms) and n, the requests of that
// counter in this batch, per key, then the replica, the lease and the
// contended time (ms) and soloNeed (see lease.go). A window opens
// (expiring after the window) when none is running; of the n requests,
// the first min(n, limit-count) are allowed and counted (INCRBY), the
// rest refused and not counted. It returns per key the count before, how
// many were allowed, the milliseconds left in the window and a flag: 1
// when the counter is now leased to the replica, 2 when another replica
// holds it (nothing decided: ask again). Exactly what n one-at-a-time
// steps would decide, since time stands still inside a script.
var takeScript = redis.NewScript(`
local m = 3 * #KEYS
local me, lease, contended, need = ARGV[m+1], tonumber(ARGV[m+2]), tonumber(ARGV[m+3]), tonumber(ARGV[m+4])
local out = {}
for i, k in ipairs(KEYS) do
  local lim, win, n = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1]), tonumber(ARGV[3*i])
  local ok, sk, wk = k .. '|o', k .. '|s', k .. '|w'
  local owner = redis.call('GET', ok)
  if owner and owner ~= me then
    redis.call('SET', wk, '1', 'PX', lease)
    redis.call('SET', sk, '', 'PX', contended)
    out[#out+1], out[#out+2], out[#out+3], out[#out+4] = 0, 0, 0, 2
  else
    if owner then
      redis.call('DEL', ok)
    end
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
    local flag = 0
    local s = redis.call('GET', sk)
    if s ~= '' then
      local run = n
      if s then
        local who, cnt = string.match(s, '^(.*)|(%d+)$')
        if who == me then
          run = run + tonumber(cnt)
        end
      end
      if run >= need and ttl > lease then
        redis.call('SET', ok, me, 'PX', lease)
        redis.call('DEL', sk, wk)
        flag = 1
      else
        redis.call('SET', sk, me .. '|' .. run, 'PX', contended)
      end
    end
    out[#out+1], out[#out+2], out[#out+3], out[#out+4] = start, take, ttl, flag
  end
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
	var waitUntil time.Time
	for {
		r, err := l.take(req)
		switch {
		case err != nil:
			return ratelimit.Decision{}, err
		case r.lapsed:
			return ratelimit.Decision{}, errLeaseLapsed
		case !r.busy:
			return decision(r, limit.Limit), nil
		}
		now := time.Now()
		if waitUntil.IsZero() {
			waitUntil = now.Add(busyFor)
		} else if now.After(waitUntil) {
			return ratelimit.Decision{}, errBusy
		}
		select {
		case <-time.After(busyRetry):
		case <-l.stop:
			return ratelimit.Decision{}, errClosed
		}
	}
}

// take decides req once: from this replica's lease, or in the next batch.
func (l *limits) take(req takeReq) (takeRes, error) {
	l.mu.Lock()
	if r, ok := l.local(req, time.Now()); ok {
		l.mu.Unlock()
		return r, nil
	}
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
		return takeRes{}, errClosed
	}
	if b.err != nil {
		return takeRes{}, b.err
	}
	return b.res[i], nil
}

// run sends the pending requests' decisions to Redis, one batch per round
// trip: what queued up while the previous batch was away goes in the next
// one (so a lone request waits for nobody, and under load one script call
// decides hundreds of requests, in order).
func (l *limits) run() {
	tick := time.NewTicker(renewEvery)
	defer tick.Stop()
	for {
		select {
		case <-l.wake:
		case <-tick.C:
			l.renew()
			continue
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
//
// Requests of a counter leased to this replica since they queued are
// decided from the lease.
func (l *limits) decide(reqs []takeReq) ([]takeRes, error) {
	var res []takeRes
	var at []int // at[j]: the place in reqs of the j-th request sent
	l.mu.Lock()
	if len(l.leases) > 0 {
		res = make([]takeRes, len(reqs))
		remote := make([]takeReq, 0, len(reqs))
		now := time.Now()
		for i, r := range reqs {
			if d, ok := l.local(r, now); ok {
				res[i] = d
				continue
			}
			remote = append(remote, r)
			at = append(at, i)
		}
		reqs = remote
	}
	l.mu.Unlock()
	got, err := l.decideRemote(reqs)
	if err != nil || at == nil {
		return got, err
	}
	for j, r := range got {
		res[at[j]] = r
	}
	return res, nil
}

// decideRemote decides reqs in Redis.
func (l *limits) decideRemote(reqs []takeReq) ([]takeRes, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
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
	args := make([]any, 0, 3*len(groups)+4)
	for i, g := range groups {
		keys[i] = l.key(g.api, g.win, g.token)
		args = append(args, g.limit, g.win, g.n)
	}
	args = append(args, l.replica, leaseFor.Milliseconds(), contendedFor.Milliseconds(), soloNeed)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	sent := time.Now()
	res, err := takeScript.Run(ctx, l.rdb, keys, args...).Int64Slice()
	if err != nil {
		return nil, err
	}
	if len(res) != 4*len(groups) {
		return nil, errors.New("rate limit: " + strconv.Itoa(len(res)) + " values for " + strconv.Itoa(len(groups)) + " counters")
	}
	for i := range groups {
		g := &groups[i]
		g.start, g.allowed, g.leftMS = res[4*i], res[4*i+1], res[4*i+2]
		g.granted, g.busy = res[4*i+3] == 1, res[4*i+3] == 2
	}
	l.grant(groups, sent)
	return groups, nil
}

// key is a counter's Redis key.
func (l *limits) key(api string, win int64, token string) string {
	return l.prefix + keyPart(api) + ":" + strconv.FormatInt(win, 10) + ":" + token
}

// Reset deletes every counter (and every lease) and forgets this
// replica's leases.
func (l *limits) Reset() error {
	defer l.Forget()
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
