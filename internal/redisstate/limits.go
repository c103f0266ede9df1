package redisstate

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/ratelimit"
)

// Limits returns the shared rate-limit counters, for Limiter.SetShared.
func (s *State) Limits() ratelimit.Shared {
	return &limits{rdb: s.rdb, prefix: s.prefix + "rl:"}
}

type limits struct {
	rdb    *redis.Client
	prefix string
}

// takeScript is ratelimit's algorithm in one atomic step: a window opens
// (count 1, expiring after ARGV[2] ms) when none is running; a request
// inside a full window is refused and not counted. It returns allowed, the
// count and the milliseconds left in the window.
var takeScript = redis.NewScript(`
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('SET', KEYS[1], 1, 'PX', ARGV[2])
  return {1, 1, tonumber(ARGV[2])}
end
local c = tonumber(redis.call('GET', KEYS[1]))
if c >= tonumber(ARGV[1]) then return {0, c, ttl} end
return {1, redis.call('INCR', KEYS[1]), ttl}
`)

// opTimeout bounds one counter operation: a request never waits long for
// a Redis that is gone (it is then counted locally).
const opTimeout = 500 * time.Millisecond

func (l *limits) Take(api, key string, limit manifest.RateLimit) (ratelimit.Decision, error) {
	win := time.Duration(limit.Window)
	k := l.prefix + keyPart(api) + ":" + strconv.FormatInt(win.Milliseconds(), 10) + ":" + key
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	res, err := takeScript.Run(ctx, l.rdb, []string{k}, limit.Limit, win.Milliseconds()).Int64Slice()
	if err != nil {
		return ratelimit.Decision{}, err
	}
	if len(res) != 3 {
		return ratelimit.Decision{}, fmt.Errorf("rate limit: unexpected answer %v", res)
	}
	reset := time.Duration(res[2]) * time.Millisecond
	if res[0] != 1 {
		return ratelimit.Decision{Allowed: false, Limit: limit.Limit, Reset: reset, RetryAfter: reset}, nil
	}
	return ratelimit.Decision{Allowed: true, Limit: limit.Limit, Remaining: max(0, limit.Limit-int(res[1])), Reset: reset}, nil
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
