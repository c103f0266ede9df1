package redisstate

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/standin/standin/internal/manifest"

	"github.com/standin/standin/internal/redisstate/redistest"
)

// oneScript is the rate-limit step for one request at a time (the
// algorithm of package ratelimit): the reference coalesced batches must
// match.
var oneScript = redis.NewScript(`
local k, lim, win = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local ttl = redis.call('PTTL', k)
if ttl <= 0 then
  redis.call('SET', k, 1, 'PX', win)
  return {1, 1, win}
end
local c = tonumber(redis.call('GET', k))
if c >= lim then
  return {0, c, ttl}
end
return {1, redis.call('INCR', k), ttl}
`)

// coalesceCases: before is taken one at a time first (windows already
// running), then batch in one go.
var coalesceCases = []struct {
	name          string
	before, batch []takeReq
}{
	{"one request", nil, reqs("a", "t", 3, 1)},
	{"a new window, under the limit", nil, reqs("a", "t", 5, 4)},
	{"a new window, past the limit", nil, reqs("a", "t", 3, 7)},
	{"a running window fills up", reqs("a", "t", 10, 8), reqs("a", "t", 10, 5)},
	{"a full window refuses all", reqs("a", "t", 2, 2), reqs("a", "t", 2, 4)},
	{"counters interleaved", reqs("a", "t", 4, 2), interleave(reqs("a", "t", 4, 5), reqs("a", "u", 4, 3), reqs("b", "t", 1, 3))},
	{"one token, two windows", nil, interleave(reqs("a", "t", 2, 3), window(reqs("a", "t", 3, 4), 30_000))},
	{"two limits on one counter (a reload)", reqs("a", "t", 5, 3), append(reqs("a", "t", 5, 2), reqs("a", "t", 4, 2)...)},
}

func reqs(api, token string, limit, n int) []takeReq {
	out := make([]takeReq, n)
	for i := range out {
		out[i] = takeReq{api: api, token: token, limit: limit, win: 60_000}
	}
	return out
}

func window(rs []takeReq, ms int64) []takeReq {
	for i := range rs {
		rs[i].win = ms
	}
	return rs
}

func interleave(lists ...[]takeReq) []takeReq {
	var out []takeReq
	for i := 0; ; i++ {
		added := false
		for _, l := range lists {
			if i < len(l) {
				out, added = append(out, l[i]), true
			}
		}
		if !added {
			return out
		}
	}
}

// oneAtATime decides rs with one oneScript call each.
func oneAtATime(t *testing.T, rdb *redis.Client, prefix string, rs []takeReq) []takeRes {
	t.Helper()
	out := make([]takeRes, len(rs))
	for i, r := range rs {
		key := fmt.Sprintf("%s%s:%d:%s", prefix, keyPart(r.api), r.win, r.token)
		v, err := oneScript.Run(context.Background(), rdb, []string{key}, r.limit, r.win).Int64Slice()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = takeRes{allowed: v[0] == 1, count: v[1], leftMS: v[2]}
	}
	return out
}

// TestRedisCoalescedTakesEqualOneAtATime: a batch decided with one script
// step per counter gives every request the decision and count that one
// script call per request gives.
func TestRedisCoalescedTakesEqualOneAtATime(t *testing.T) {
	rs := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	for i, tt := range coalesceCases {
		t.Run(tt.name, func(t *testing.T) {
			one, batched := fmt.Sprintf("one%d:", i), fmt.Sprintf("batched%d:", i)
			l := newLimits(rdb, batched, nil)
			oneAtATime(t, rdb, one, tt.before)
			oneAtATime(t, rdb, batched, tt.before)
			want := oneAtATime(t, rdb, one, tt.batch)
			got, err := l.decide(tt.batch)
			if err != nil {
				t.Fatal(err)
			}
			for j := range want {
				w, g := want[j], got[j]
				if g.allowed != w.allowed || (w.allowed && g.count != w.count) {
					t.Errorf("request %d (%+v): got allowed %v count %d, want %v %d", j, tt.batch[j], g.allowed, g.count, w.allowed, w.count)
				}
				if g.leftMS <= 0 || g.leftMS > tt.batch[j].win {
					t.Errorf("request %d: %d ms left in a window of %d", j, g.leftMS, tt.batch[j].win)
				}
			}
		})
	}
}

// TestDistributeInQueueOrder: within a counter, the allowed requests are
// the first ones, counted up from the window's count before the batch.
func TestDistributeInQueueOrder(t *testing.T) {
	batch := interleave(reqs("a", "t", 5, 4), reqs("a", "u", 5, 2))
	groups, of := coalesce(batch)
	if len(groups) != 2 || groups[0].n != 4 || groups[1].n != 2 {
		t.Fatalf("groups %+v", groups)
	}
	groups[0].start, groups[0].allowed, groups[0].leftMS = 3, 2, 1000 // 2 of 4 fit
	groups[1].start, groups[1].allowed, groups[1].leftMS = 0, 2, 2000
	got := distribute(batch, of, groups)
	want := []takeRes{ // batch is t, u, t, u, t, t
		{allowed: true, count: 4, leftMS: 1000}, {allowed: true, count: 1, leftMS: 2000},
		{allowed: true, count: 5, leftMS: 1000}, {allowed: true, count: 2, leftMS: 2000},
		{count: 5, leftMS: 1000}, {count: 5, leftMS: 1000},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// BenchmarkRedisTake: concurrent Takes of one token on one replica, the
// load of a rate-limited list endpoint.
func BenchmarkRedisTake(b *testing.B) {
	rs := redistest.Start(b)
	st, err := Open(context.Background(), rs.URL, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	l := st.Limits()
	lim := manifest.RateLimit{Limit: 1 << 30, Window: manifest.Duration(time.Hour)}
	b.SetParallelism(32)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.Take("api", "tok", lim); err != nil {
				b.Fatal(err)
			}
		}
	})
}
