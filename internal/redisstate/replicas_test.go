package redisstate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standin/standin/internal/redisstate/redistest"
)

// The replicas tests build cmd/mockserver and run three of it on one
// redis-server: slower than unit tests, so they run when STANDIN_REDIS_TESTS
// is set (.ci/redis sets it).
func needReplicaTests(t testing.TB) {
	t.Helper()
	if os.Getenv("STANDIN_REDIS_TESTS") == "" {
		t.Skip("starts three mockserver processes: set STANDIN_REDIS_TESTS=1 (.ci/redis does)")
	}
}

// buildMockserver builds the binary once per test.
func buildMockserver(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mockserver")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/standin/standin/cmd/mockserver").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// mock is one mockserver process.
type mock struct {
	base string
	cmd  *exec.Cmd
	log  *lockedBuffer
}

// lockedBuffer is a process's stderr, readable while the process writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startMock(t testing.TB, bin, state string) *mock {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	m := &mock{base: "http://" + addr, log: &lockedBuffer{}}
	m.cmd = exec.Command(bin, "--addr", addr, "--state", state, "--log-level", "warn")
	m.cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	m.cmd.Stdout, m.cmd.Stderr = io.Discard, m.log
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = m.cmd.Process.Kill()
		_ = m.cmd.Wait()
		if t.Failed() {
			t.Logf("%s log:\n%s", m.base, m.log.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if r, err := http.Get(m.base + "/__standin/ready"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready within 60s", m.base)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type answer struct {
	status int
	body   []byte
	header http.Header
}

func call(t *testing.T, method, url, token, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, url, err)
		return answer{}
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return answer{status: r.StatusCode, body: b, header: r.Header}
}

const (
	dormant     = "0438bc88-bd79-40be-bc89-93d27b5773eb" // the page's deleteAccount example: no blockers
	companyPath = "/api/account/v2/companies/" + dormant
	deleteQuery = `{"query":"mutation { deleteAccount(input: {accountId: \"` + dormant + `\"}) { success } }"}`
	acmeClient  = "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"
)

// within polls check until it holds or d has passed, and reports how long
// it took.
func within(d time.Duration, check func() bool) (time.Duration, bool) {
	start := time.Now()
	for {
		if check() {
			return time.Since(start), true
		}
		if time.Since(start) > d {
			return time.Since(start), false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestRedisThreeReplicas(t *testing.T) {
	needReplicaTests(t)
	rs := startRedis(t)
	bin := buildMockserver(t)
	var ms []*mock
	for range 3 {
		ms = append(ms, startMock(t, bin, rs.URL))
	}

	t.Run("rate limit shared", func(t *testing.T) {
		var last answer
		for i := range 101 {
			last = call(t, "GET", ms[i%3].base+"/v0/clients", "standin-admin", "")
			if i < 100 && last.status != 200 {
				t.Fatalf("request %d on replica %d: %d %s", i+1, i%3+1, last.status, last.body)
			}
			if i == 99 && last.header.Get("RateLimit-Remaining") != "0" {
				t.Errorf("100th request: RateLimit-Remaining %q, want 0", last.header.Get("RateLimit-Remaining"))
			}
		}
		if last.status != 429 || last.header.Get("Retry-After") == "" {
			t.Errorf("101st request: %d (Retry-After %q), want 429 with Retry-After", last.status, last.header.Get("Retry-After"))
		}
	})

	t.Run("delete seen everywhere within 100ms", func(t *testing.T) {
		if a := call(t, "GET", ms[1].base+companyPath, "standin-admin", ""); a.status != 200 {
			t.Fatalf("before the delete: %d %s", a.status, a.body)
		}
		a := call(t, "POST", ms[0].base+"/api/graphql", "standin-admin", deleteQuery)
		if a.status != 200 || !strings.Contains(string(a.body), `"success":true`) {
			t.Fatalf("deleteAccount on replica 1: %d %s", a.status, a.body)
		}
		for _, m := range ms[1:] {
			took, ok := within(100*time.Millisecond, func() bool {
				return call(t, "GET", m.base+companyPath, "standin-admin", "").status == 404
			})
			if !ok {
				t.Errorf("%s: the deleted company is not 404 after %v", m.base, took)
			} else {
				t.Logf("%s: 404 after %v", m.base, took)
			}
		}
	})

	t.Run("reset on any replica resets all", func(t *testing.T) {
		if a := call(t, "POST", ms[2].base+"/__standin/reset", "", ""); a.status != 200 {
			t.Fatalf("reset: %d %s", a.status, a.body)
		}
		// the reset answers once every replica applied it: no waiting
		for _, m := range ms {
			if a := call(t, "GET", m.base+companyPath, "standin-admin", ""); a.status != 200 {
				t.Errorf("%s: the company is still gone right after a reset on replica 3: %d", m.base, a.status)
			}
			if a := call(t, "GET", m.base+"/v0/clients", "standin-admin", ""); a.status != 200 {
				t.Errorf("%s: clients-v0 after the reset: %d, want 200 (budget back)", m.base, a.status)
			}
		}
	})

	t.Run("30 concurrent deleteAccount, one success", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, other := 0, 0
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := call(t, "POST", ms[i%3].base+"/api/graphql", "standin-admin", deleteQuery)
				var r struct {
					Data struct {
						DeleteAccount *struct{ Success bool } `json:"deleteAccount"`
					} `json:"data"`
				}
				_ = json.Unmarshal(a.body, &r)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case r.Data.DeleteAccount != nil && r.Data.DeleteAccount.Success:
					wins++
				case a.status >= 500:
					other++
					t.Errorf("replica %d: %d %s", i%3+1, a.status, a.body)
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d of 30 concurrent deleteAccount calls succeeded, want exactly 1", wins)
		}
	})

	t.Run("journal sees every replica's requests", func(t *testing.T) {
		// 101 requests before the reset, one per replica after it
		var n struct{ Count int }
		if _, ok := within(2*time.Second, func() bool {
			a := call(t, "GET", ms[0].base+"/__standin/requests/count?path=/v0/clients", "", "")
			return json.Unmarshal(a.body, &n) == nil && n.Count == 104
		}); !ok {
			t.Errorf("replica 1 counts %d requests to /v0/clients, want 104 (all replicas')", n.Count)
		}
		a := call(t, "GET", ms[2].base+"/__standin/requests?path=/v0/clients&limit=6", "", "")
		var list struct {
			Requests []struct{ Replica, Token string }
		}
		if err := json.Unmarshal(a.body, &list); err != nil {
			t.Fatalf("%v: %s", err, a.body)
		}
		replicas := map[string]bool{}
		for _, e := range list.Requests {
			replicas[e.Replica] = true
			if e.Token == "standin-admin" {
				t.Errorf("shared journal holds an unredacted token")
			}
		}
		if len(list.Requests) != 6 || len(replicas) != 3 || replicas[""] {
			t.Errorf("latest 6 requests name replicas %v, want 3 distinct names: %s", replicas, a.body)
		}
	})

	t.Run("sticky scenario set on replica 2 applies on replica 3", func(t *testing.T) {
		a := call(t, "PUT", ms[1].base+"/__standin/apis/clients-v2/scenario", "", `{"name":"server-error"}`)
		if a.status != 200 {
			t.Fatalf("set sticky: %d %s", a.status, a.body)
		}
		took, ok := within(100*time.Millisecond, func() bool {
			return call(t, "GET", ms[2].base+acmeClient, "standin-admin", "").status == 500
		})
		if !ok {
			t.Errorf("replica 3 does not apply the sticky scenario after %v", took)
		} else {
			t.Logf("sticky applied on replica 3 after %v", took)
		}
		call(t, "DELETE", ms[1].base+"/__standin/apis/clients-v2/scenario", "", "")
		if _, ok := within(time.Second, func() bool {
			return call(t, "GET", ms[0].base+acmeClient, "standin-admin", "").status == 200
		}); !ok {
			t.Error("replica 1 still applies the cleared sticky scenario")
		}
	})

	// Last, as it sends more clients-v0 requests than the journal check
	// counts: a budget that one replica used alone (so it decides it in
	// memory, lease.go) is handed over to another replica's request, and
	// goes with a reset made through a third.
	t.Run("a budget used by one replica alone", func(t *testing.T) {
		if a := call(t, "POST", ms[0].base+"/__standin/reset", "", ""); a.status != 200 {
			t.Fatalf("reset: %d %s", a.status, a.body)
		}
		for i := range soloRequests {
			a := call(t, "GET", ms[0].base+"/v0/clients", "standin-admin", "")
			if want := map[bool]int{true: 200, false: 429}[i < 100]; a.status != want {
				t.Fatalf("request %d on replica 1 alone: %d, want %d", i+1, a.status, want)
			}
		}
		if a := call(t, "GET", ms[1].base+"/v0/clients", "standin-admin", ""); a.status != 429 || a.header.Get("Retry-After") == "" {
			t.Errorf("replica 2 after replica 1 used the budget: %d (Retry-After %q), want 429", a.status, a.header.Get("Retry-After"))
		}
		for i := range soloRequests {
			if a := call(t, "GET", ms[0].base+"/v0/clients", "standin-admin", ""); a.status != 429 {
				t.Fatalf("request %d on replica 1 alone, budget spent: %d, want 429", i+1, a.status)
			}
		}
		if a := call(t, "POST", ms[2].base+"/__standin/reset", "", ""); a.status != 200 {
			t.Fatalf("reset on replica 3: %d %s", a.status, a.body)
		}
		a := call(t, "GET", ms[0].base+"/v0/clients", "standin-admin", "")
		if a.status != 200 || a.header.Get("RateLimit-Remaining") != "99" {
			t.Errorf("replica 1 right after a reset on replica 3: %d, RateLimit-Remaining %q; want 200 and 99", a.status, a.header.Get("RateLimit-Remaining"))
		}
	})
}

// soloRequests is more than the requests after which a replica that is
// the only one using a budget decides it in memory (soloNeed, 256).
const soloRequests = 300

// TestRedisOutage: Redis stops under load and comes back. Reads never
// fail, writes answer 200/201 or the documented 503 with Retry-After, and
// every acknowledged write ends up on every replica.
func TestRedisOutage(t *testing.T) {
	needReplicaTests(t)
	rs := redistest.StartWith(t, true)
	bin := buildMockserver(t)
	var ms []*mock
	for range 3 {
		ms = append(ms, startMock(t, bin, rs.URL))
	}
	const recordsPath = "/__standin/apis/marketplace/collections/accounts/records"
	var (
		mu       sync.Mutex
		acked    []string
		refused  int
		problems []string
		reads    int
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(2)
		go func() { // writer
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("00000000-0000-4000-8000-%06d%06d", w, i)
				body := `{"id":"` + id + `","name":"Outage ` + id + `","externalId":"o` + id + `","countryCode":"DE","accessTypes":["CUSTOMER"],"defaultRole":"USER",` +
					`"status":"ACTIVE","website":null,"emailAddress":null,"phoneNumber":null,"createdOn":"2026-01-01T00:00:00Z"}`
				a := call(t, "POST", ms[(w+i)%3].base+recordsPath, "", body)
				mu.Lock()
				switch {
				case a.status == 201:
					acked = append(acked, id)
				case a.status == 503 && a.header.Get("Retry-After") != "":
					refused++
				default:
					problems = append(problems, fmt.Sprintf("write: %d %s", a.status, a.body))
				}
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}()
		go func() { // reader
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a := call(t, "GET", ms[(w+i)%3].base+acmeClient, "standin-admin", "")
				mu.Lock()
				reads++
				if a.status != 200 {
					problems = append(problems, fmt.Sprintf("read: %d %s", a.status, a.body))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	rs.Stop()
	degraded, _ := within(5*time.Second, func() bool {
		return call(t, "GET", ms[0].base+"/__standin/ready", "", "").status == 503
	})
	time.Sleep(time.Second)
	rs.Restart(t)
	if _, ok := within(10*time.Second, func() bool {
		return call(t, "GET", ms[0].base+"/__standin/ready", "", "").status == 200
	}); !ok {
		t.Error("replica 1 is not ready again 10s after Redis came back")
	}
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("%d reads, %d acknowledged writes, %d refused with 503 while Redis was down; degraded reported after %v", reads, len(acked), refused, degraded)
	for _, p := range problems {
		t.Error(p)
	}
	if refused == 0 {
		t.Error("no write was refused while Redis was down")
	}
	for _, m := range ms {
		for _, id := range acked {
			if _, ok := within(5*time.Second, func() bool {
				return call(t, "GET", m.base+recordsPath+"/"+id, "", "").status == 200
			}); !ok {
				t.Errorf("%s lacks acknowledged write %s", m.base, id)
				break
			}
		}
	}
}
