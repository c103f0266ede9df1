package redisstate

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/ratelimit"
)

// A counter that one replica uses alone is leased to it, so that its
// decisions are made in memory instead of one Redis round trip each;
// the budget stays exact across replicas:
//
//   - Redis grants the lease (key "<counter>|o" = the replica, expiring
//     after leaseFor) when the replica's last soloNeed requests of the
//     counter came one after the other with no other replica's between
//     them ("<counter>|s" tracks that run).
//   - While leased, only the holder decides; it writes its count back to
//     the counter and extends the lease every renewEvery, and stops
//     deciding in memory leaseSafety before the lease it last extended
//     could expire in Redis (its requests are then counted locally, as
//     when Redis cannot be reached).
//   - Another replica's request of a leased counter is not decided from
//     the counter (which lags the holder's count): it marks the counter
//     wanted ("<counter>|w") and contended ("|s" = "" for contendedFor,
//     so no lease is granted again soon) and waits; at its next renewal
//     the holder stops deciding, writes its final count and gives the
//     lease back in one step, and the waiting request is decided by Redis
//     from the exact count.
//   - A reset deletes the counters with their leases; every replica
//     forgets its leases when it applies the reset (Forget), before it
//     reports that it has, so after a reset no old count decides.
const (
	soloNeed     = 256
	leaseFor     = 500 * time.Millisecond
	leaseSafety  = 100 * time.Millisecond
	renewEvery   = 10 * time.Millisecond
	contendedFor = 2 * time.Second
	// idleFor: a lease none of whose requests came for this long is
	// given back, so idle counters do not keep being renewed.
	idleFor = time.Second
	// busyRetry is how often a request of a counter another replica
	// holds asks again; busyFor bounds how long it waits in all.
	busyRetry = time.Millisecond
	busyFor   = 2 * leaseFor
)

// errLeaseLapsed: this replica's lease of the counter could not be
// extended in time (Redis is slow or gone); the Limiter counts locally.
var errLeaseLapsed = errors.New("redisstate: rate-limit lease lapsed")

// errBusy: another replica held the counter for longer than busyFor (it
// stopped renewing without giving it back); the Limiter counts locally.
var errBusy = errors.New("redisstate: rate-limit counter held by another replica")

// counterKey names one counter in the leases map without building its
// Redis key.
type counterKey struct {
	api, token string
	win        int64
}

// lease is a counter decided in memory by this replica.
type lease struct {
	key   string // the counter's Redis key
	limit int
	win   time.Duration
	count int64     // the window's count
	end   time.Time // when the window ends
	until time.Time // decide in memory only before this
	used  time.Time // the last request decided from it
	// releasing: the lease is being given back; requests wait for it.
	releasing bool
}

// take decides one request in memory (the ratelimit algorithm).
func (o *lease) take(now time.Time) takeRes {
	o.used = now
	if !now.Before(o.end) {
		o.count, o.end = 0, now.Add(o.win)
	}
	left := o.end.Sub(now).Milliseconds()
	if o.count >= int64(o.limit) {
		return takeRes{count: o.count, leftMS: left}
	}
	o.count++
	return takeRes{allowed: true, count: o.count, leftMS: left}
}

// local decides req from its lease when this replica holds one: ok is
// false when it does not. Callers hold l.mu.
func (l *limits) local(req takeReq, now time.Time) (res takeRes, ok bool) {
	if len(l.leases) == 0 {
		return takeRes{}, false
	}
	o := l.leases[counterKey{req.api, req.token, req.win}]
	switch {
	case o == nil:
		return takeRes{}, false
	case o.releasing:
		return takeRes{busy: true}, true
	case !now.Before(o.until):
		return takeRes{lapsed: true}, true
	}
	o.limit = req.limit // a reload may have changed it
	return o.take(now), true
}

// grant records the leases Redis granted to groups in a batch sent at
// sent.
func (l *limits) grant(groups []takeGroup, sent time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, g := range groups {
		if !g.granted {
			continue
		}
		l.leases[counterKey{g.api, g.token, g.win}] = &lease{
			key: l.key(g.api, g.win, g.token), limit: g.limit, win: time.Duration(g.win) * time.Millisecond,
			count: g.start + g.allowed, end: sent.Add(time.Duration(g.leftMS) * time.Millisecond),
			until: sent.Add(leaseFor - leaseSafety), used: sent,
		}
	}
}

// renewScript writes leased counts back and extends or gives back the
// leases, per key: ARGV holds the replica and the lease (ms), then count,
// milliseconds left in the window and 1 to give the lease back, per key.
// It returns per key 0 (the lease is not this replica's: a reset or an
// expiry took it), 1 (extended), 2 (extended, but wanted by another
// replica) or 3 (given back).
var renewScript = redis.NewScript(`
local me, lease = ARGV[1], tonumber(ARGV[2])
local out = {}
for i, k in ipairs(KEYS) do
  local count, left, give = tonumber(ARGV[3*i]), tonumber(ARGV[3*i+1]), tonumber(ARGV[3*i+2])
  local ok, wk = k .. '|o', k .. '|w'
  if redis.call('GET', ok) ~= me then
    out[i] = 0
  else
    if left > 0 then
      redis.call('SET', k, count, 'PX', left)
    else
      redis.call('DEL', k)
    end
    if give == 1 then
      redis.call('DEL', ok, wk)
      out[i] = 3
    else
      redis.call('PEXPIRE', ok, lease)
      out[i] = 1 + redis.call('EXISTS', wk)
    end
  end
end
return out
`)

// held is one lease as renew sends it.
type held struct {
	k     counterKey
	o     *lease
	count int64
	left  int64
}

// renew writes this replica's leased counts back and extends its leases;
// the wanted ones it then gives back at once, and the idle ones.
func (l *limits) renew() {
	l.mu.Lock()
	if len(l.leases) == 0 {
		l.mu.Unlock()
		return
	}
	now := time.Now()
	hs := make([]held, 0, len(l.leases))
	var giving []held
	for k, o := range l.leases {
		h := held{k: k, o: o, count: o.count, left: max(0, o.end.Sub(now).Milliseconds())}
		if now.Sub(o.used) > idleFor {
			o.releasing = true // its count is final from here on
		}
		if o.releasing { // idle, or a give-back that failed: give it back
			giving = append(giving, h)
			continue
		}
		hs = append(hs, h)
	}
	l.mu.Unlock()
	sent := time.Now()
	if res, err := l.runRenew(hs, false); err == nil {
		l.mu.Lock()
		for i, h := range hs {
			if l.leases[h.k] != h.o {
				continue // forgotten meanwhile
			}
			switch res[i] {
			case 0:
				delete(l.leases, h.k)
			case 1, 2:
				h.o.until = sent.Add(leaseFor - leaseSafety)
				if res[i] == 2 {
					// no request decides in memory from here on, so
					// the count given back is final
					h.o.releasing = true
					giving = append(giving, held{k: h.k, o: h.o, count: h.o.count, left: max(0, time.Until(h.o.end).Milliseconds())})
				}
			}
		}
		l.mu.Unlock()
	}
	if len(giving) == 0 {
		return
	}
	if _, err := l.runRenew(giving, true); err != nil {
		return // still releasing: its requests wait, and the next renewal tries again
	}
	l.mu.Lock()
	for _, h := range giving {
		if l.leases[h.k] == h.o {
			delete(l.leases, h.k)
		}
	}
	l.mu.Unlock()
}

// runRenew runs renewScript for hs.
func (l *limits) runRenew(hs []held, give bool) ([]int64, error) {
	if len(hs) == 0 {
		return nil, nil
	}
	keys := make([]string, len(hs))
	args := make([]any, 0, 2+3*len(hs))
	args = append(args, l.replica, leaseFor.Milliseconds())
	g := 0
	if give {
		g = 1
	}
	for i, h := range hs {
		keys[i] = h.o.key
		args = append(args, h.count, h.left, g)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	res, err := renewScript.Run(ctx, l.rdb, keys, args...).Int64Slice()
	if err == nil && len(res) != len(hs) {
		err = errors.New("rate limit: " + strconv.Itoa(len(res)) + " answers for " + strconv.Itoa(len(hs)) + " leases")
	}
	return res, err
}

// Forget drops this replica's leases without writing them back: another
// replica's reset deleted the counters they stood for.
func (l *limits) Forget() {
	l.mu.Lock()
	clear(l.leases)
	l.mu.Unlock()
}

// decision turns a result into the Limiter's Decision.
func decision(r takeRes, limit int) ratelimit.Decision {
	reset := time.Duration(r.leftMS) * time.Millisecond
	if !r.allowed {
		return ratelimit.Decision{Allowed: false, Limit: limit, Reset: reset, RetryAfter: reset}
	}
	return ratelimit.Decision{Allowed: true, Limit: limit, Remaining: max(0, limit-int(r.count)), Reset: reset}
}
