package redisstate_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standin/standin/internal/redisstate/redistest"
)

// killWriters is how many goroutines insert through each replica.
const killWriters = 4

// longOutage is how long Redis stays down after one of the kills: longer
// than a write waits to learn its outcome (the append's timeout plus
// store.DefaultOutcomeWait), so that writes caught by that kill answer
// "outcome unknown".
const longOutage = 6 * time.Second

// insertAnswer is one insert sent during the kills and what it was
// answered.
type insertAnswer struct {
	id, replica string
	a           answer
	err         error
}

// TestRedisKilledDuringInserts: redis-server is killed (SIGKILL) and
// restarted on the same port with the same append-only file, again and
// again, while inserts go to two replicas through the data API. Every
// answer must be true: a 201 is stored on both replicas, a "nothing was
// written" 503 is stored on neither, an "outcome unknown" 503 has the
// documented form and GET /__standin/writes/{id} settles it (its record
// then present or absent on both as it says). It prints the counts and
// fails on any answer that lied.
//
// It runs when STANDIN_REDIS_KILLS is the number of kills (.ci/redis runs
// it with 8).
func TestRedisKilledDuringInserts(t *testing.T) {
	needReplicaTests(t)
	kills, _ := strconv.Atoi(os.Getenv("STANDIN_REDIS_KILLS"))
	if kills <= 0 {
		t.Skip("kills redis-server during inserts: set STANDIN_REDIS_KILLS to the number of kills (.ci/redis runs 8)")
	}
	rs := redistest.StartWith(t, true)
	bin := buildMockserver(t)
	ms := []*mock{startMock(t, bin, rs.URL), startMock(t, bin, rs.URL)}
	const recordsPath = "/__standin/apis/marketplace/collections/accounts/records"

	var (
		mu      sync.Mutex
		answers []insertAnswer
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r, m := range ms {
		for w := range killWriters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 30 * time.Second}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("00000000-0000-4000-8000-%02d%02d%08d", r, w, i)
					a, err := post(client, m.base+recordsPath, accountJSON(id))
					mu.Lock()
					answers = append(answers, insertAnswer{id: id, replica: m.base, a: a, err: err})
					mu.Unlock()
					if a.status != http.StatusCreated {
						time.Sleep(5 * time.Millisecond) // Redis is down: do not flood
					}
				}
			}()
		}
	}

	long := kills / 2 // the kill after which Redis stays down past the outcome wait
	for k := range kills {
		time.Sleep(time.Duration(200+rand.IntN(500)) * time.Millisecond)
		rs.Stop() // SIGKILL
		down := time.Duration(100+rand.IntN(600)) * time.Millisecond
		if k == long {
			down = longOutage
		}
		time.Sleep(down)
		rs.Restart(t)
		t.Logf("kill %d: Redis down for %v", k+1, down)
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()

	// Both replicas have applied the whole log once each has seen an
	// insert made after every other: one through replica 1, read on 2
	// (409: an earlier try of it landed, its answer lost).
	sentinel := "00000000-0000-4000-8000-999999999999"
	if _, ok := within(20*time.Second, func() bool {
		a, _ := post(http.DefaultClient, ms[0].base+recordsPath, accountJSON(sentinel))
		return a.status == http.StatusCreated || a.status == http.StatusConflict
	}); !ok {
		t.Fatal("no insert is acknowledged 20s after the last restart")
	}
	if _, ok := within(10*time.Second, func() bool {
		return call(t, "GET", ms[1].base+recordsPath+"/"+sentinel, "", "").status == 200
	}); !ok {
		t.Fatal("replica 2 does not hold replica 1's last insert after 10s")
	}

	var c killCounts
	for _, ans := range answers {
		if lie := c.check(t, ms, recordsPath, ans); lie != "" {
			c.lies++
			t.Errorf("insert %s on %s: %s", ans.id, ans.replica, lie)
		}
	}
	t.Logf("%d inserts during %d kills: acknowledged %d, not written %d, unknown %d (then applied %d, not applied %d), verified %d, lies %d",
		len(answers), kills, c.acked, c.notWritten, c.unknown, c.unknownApplied, c.unknownNotApplied, c.verified, c.lies)
	// what the replicas say of the answers Redis lost (they log each)
	learned := map[string]int{}
	for _, m := range ms {
		for _, line := range strings.Split(m.log.String(), "\n") {
			switch {
			case strings.Contains(line, "outcome was learned") && strings.Contains(line, "outcome=applied"):
				learned["applied"]++
			case strings.Contains(line, "outcome was learned") && strings.Contains(line, "outcome=not-applied"):
				learned["not applied"]++
			case strings.Contains(line, "could not be learned in time"):
				learned["unknown"]++
			}
		}
	}
	t.Logf("answers Redis lost, as the replicas settled them: applied %d (answered 201), not applied %d (answered 503 not written), unknown %d",
		learned["applied"], learned["not applied"], learned["unknown"])
	if c.acked == 0 || c.notWritten == 0 {
		t.Errorf("the run did not exercise both answers (acknowledged %d, not written %d)", c.acked, c.notWritten)
	}
}

// killCounts tallies the answers of TestRedisKilledDuringInserts.
type killCounts struct {
	acked, notWritten, unknown, unknownApplied, unknownNotApplied, verified, lies int
}

// check verifies one answer against both replicas' data; it returns what
// was untrue about it ("" when it was true).
func (c *killCounts) check(t *testing.T, ms []*mock, recordsPath string, ans insertAnswer) string {
	t.Helper()
	stored := func() (bool, string) {
		n := 0
		for _, m := range ms {
			switch st := call(t, "GET", m.base+recordsPath+"/"+ans.id, "", "").status; st {
			case 200:
				n++
			case 404:
			default:
				return false, fmt.Sprintf("GET on %s answered %d", m.base, st)
			}
		}
		switch n {
		case len(ms):
			return true, ""
		case 0:
			return false, ""
		}
		return false, fmt.Sprintf("stored on %d of %d replicas", n, len(ms))
	}
	a := ans.a
	if ans.err != nil {
		return "no answer: " + ans.err.Error()
	}
	switch {
	case a.status == http.StatusCreated:
		c.acked++
		if ok, bad := stored(); bad != "" || !ok {
			return "201 but not stored on both replicas " + bad
		}
	case a.status == http.StatusServiceUnavailable && a.header.Get("X-Standin-Write-Id") != "":
		c.unknown++
		outcome, bad := c.settle(t, ms, ans)
		if bad != "" {
			return bad
		}
		ok, bad := stored()
		switch {
		case bad != "":
			return "outcome unknown, then " + outcome + ", but " + bad
		case outcome == "applied" && !ok:
			return "GET /__standin/writes says applied, the record is on no replica"
		case outcome == "not-applied" && ok:
			return "GET /__standin/writes says not applied, the record is on both replicas"
		}
	case a.status == http.StatusServiceUnavailable && strings.Contains(string(a.body), "nothing was written") && a.header.Get("Retry-After") != "":
		c.notWritten++
		if ok, bad := stored(); ok || bad != "" {
			return "503 \"nothing was written\", but the record is stored " + bad
		}
	default:
		return fmt.Sprintf("answered %d %s", a.status, a.body)
	}
	c.verified++
	return ""
}

// settle checks an "outcome unknown" answer's documented form and asks
// the other replica's GET /__standin/writes/{id} what became of it.
func (c *killCounts) settle(t *testing.T, ms []*mock, ans insertAnswer) (string, string) {
	t.Helper()
	a := ans.a
	id := a.header.Get("X-Standin-Write-Id")
	var body struct {
		Error, Outcome, WriteID string
	}
	if err := json.Unmarshal(a.body, &body); err != nil || body.Outcome != "unknown" || body.WriteID != id ||
		!strings.Contains(body.Error, "unknown") || a.header.Get("X-Standin-Write-Outcome") != "unknown" || a.header.Get("Retry-After") == "" {
		return "", fmt.Sprintf("outcome unknown, not in the documented form: %s %v", a.body, a.header)
	}
	other := ms[0]
	if other.base == ans.replica {
		other = ms[1]
	}
	var got struct{ WriteID, Outcome string }
	r := call(t, "GET", other.base+"/__standin/writes/"+id, "", "")
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || got.WriteID != id {
		return "", fmt.Sprintf("GET /__standin/writes/%s on %s: %d %s", id, other.base, r.status, r.body)
	}
	switch got.Outcome {
	case "applied":
		c.unknownApplied++
	case "not-applied":
		c.unknownNotApplied++
	default:
		return "", fmt.Sprintf("GET /__standin/writes/%s with Redis up: %s", id, r.body)
	}
	return got.Outcome, ""
}

func accountJSON(id string) string {
	return `{"id":"` + id + `","name":"Kill ` + id + `","externalId":"k` + id + `","countryCode":"DE","accessTypes":["CUSTOMER"],"defaultRole":"USER",` +
		`"status":"ACTIVE","website":null,"emailAddress":null,"phoneNumber":null,"createdOn":"2026-01-01T00:00:00Z"}`
}

// post sends a JSON body; unlike call it returns a transport error instead
// of failing the test (the check counts it as an untrue answer).
func post(client *http.Client, url, body string) (answer, error) {
	r, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	return answer{status: r.StatusCode, body: b, header: r.Header}, err
}
