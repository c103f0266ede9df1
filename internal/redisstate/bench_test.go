package redisstate_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// startBenchReplicas starts n mockserver processes on one redis-server
// (state "" for the in-memory mode) and returns their base URLs.
func startBenchReplicas(b *testing.B, n int, redis bool) []string {
	b.Helper()
	needReplicaTests(b)
	state := ""
	if redis {
		state = startRedis(b).URL
	}
	bin := buildMockserver(b)
	var bases []string
	for range n {
		bases = append(bases, startMock(b, bin, state).base)
	}
	return bases
}

func benchGet(b *testing.B, bases []string, path string) {
	var next atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		c := &http.Client{}
		for pb.Next() {
			base := bases[next.Add(1)%uint64(len(bases))]
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Header.Set("Authorization", "Bearer standin-admin")
			r, err := c.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode != 200 {
				b.Errorf("GET %s: %d", path, r.StatusCode)
				return
			}
		}
	})
}

// BenchmarkRedisReads compares a GET on one replica with and without
// shared state (reads are local in both).
//
//	STANDIN_REDIS_TESTS=1 go test -run '^$' -bench RedisReads ./internal/redisstate/
func BenchmarkRedisReads(b *testing.B) {
	for _, mode := range []struct {
		name  string
		redis bool
	}{{"memory", false}, {"redis", true}} {
		b.Run(mode.name, func(b *testing.B) {
			bases := startBenchReplicas(b, 1, mode.redis)
			b.ResetTimer()
			benchGet(b, bases, acmeClient)
		})
	}
}

// BenchmarkRedisWrites inserts records through the data API, round robin
// over three replicas on one Redis: every insert is one append to the log.
//
//	STANDIN_REDIS_TESTS=1 go test -run '^$' -bench RedisWrites ./internal/redisstate/
func BenchmarkRedisWrites(b *testing.B) {
	bases := startBenchReplicas(b, 3, true)
	var next atomic.Uint64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := &http.Client{}
		for pb.Next() {
			i := next.Add(1)
			id := fmt.Sprintf("00000000-0000-4000-9000-%012d", i)
			body := `{"id":"` + id + `","name":"Bench ` + id + `","externalId":"b` + id + `","countryCode":"DE","accessTypes":["CUSTOMER"],"defaultRole":"USER",` +
				`"status":"ACTIVE","website":null,"emailAddress":null,"phoneNumber":null,"createdOn":"2026-01-01T00:00:00Z"}`
			r, err := c.Post(bases[i%3]+"/__standin/apis/marketplace/collections/accounts/records", "application/json", strings.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode != 201 {
				b.Errorf("insert: %d", r.StatusCode)
				return
			}
		}
	})
}
