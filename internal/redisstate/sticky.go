package redisstate

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// StickyTarget is what the sticky choices heard from Redis are applied to
// (a scenario.Registry).
type StickyTarget interface {
	ApplySticky(api, name string)
}

// Sticky returns the sticky-scenario sync, for Registry.SetSync.
func (s *State) Sticky() *Sticky {
	return &Sticky{rdb: s.rdb, key: s.prefix + "sticky"}
}

// Sticky keeps the sticky scenarios in a Redis hash and announces each
// change on a channel of the same name.
type Sticky struct {
	rdb *redis.Client
	key string
}

// publishScript changes the hash and announces it in one step.
var publishScript = redis.NewScript(`
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('PUBLISH', KEYS[1], ARGV[1])
return 1
`)

// Publish records an API's sticky choice ("" clears it) for every replica.
func (s *Sticky) Publish(api, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	return publishScript.Run(ctx, s.rdb, []string{s.key}, api, name).Err()
}

// Watch subscribes to the announcements and loads every shared choice
// into t; the returned run then applies each change as it is announced
// until ctx ends. run also reloads the whole hash every resync interval,
// which heals announcements missed while the connection was down. apis
// lists the APIs whose choice t keeps (an API missing from the hash is
// cleared).
func (s *Sticky) Watch(ctx context.Context, t StickyTarget, apis []string, resync time.Duration) (run func()) {
	sub := s.rdb.Subscribe(ctx, s.key)
	s.load(ctx, t, apis)
	return func() {
		defer sub.Close()
		msgs := sub.Channel()
		tick := time.NewTicker(resync)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				name, err := s.rdb.HGet(ctx, s.key, m.Payload).Result()
				if err == redis.Nil {
					name, err = "", nil
				}
				if err == nil {
					t.ApplySticky(m.Payload, name)
				}
			case <-tick.C:
				s.load(ctx, t, apis)
			}
		}
	}
}

func (s *Sticky) load(ctx context.Context, t StickyTarget, apis []string) {
	all, err := s.rdb.HGetAll(ctx, s.key).Result()
	if err != nil {
		return
	}
	for _, api := range apis {
		t.ApplySticky(api, all[api])
	}
}
