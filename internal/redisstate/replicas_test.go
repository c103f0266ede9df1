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
)

// The replicas tests build cmd/mockserver and run three of it on one
// redis-server: slower than unit tests, so they run when STANDIN_REDIS_TESTS
// is set (.ci/redis sets it).
func needReplicaTests(t *testing.T) {
	t.Helper()
	if os.Getenv("STANDIN_REDIS_TESTS") == "" {
		t.Skip("starts three mockserver processes: set STANDIN_REDIS_TESTS=1 (.ci/redis does)")
	}
}

// buildMockserver builds the binary once per test.
func buildMockserver(t *testing.T) string {
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
	log  *bytes.Buffer
}

func startMock(t *testing.T, bin, state string) *mock {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	m := &mock{base: "http://" + addr, log: &bytes.Buffer{}}
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
			t.Logf("%s log:\n%s", m.base, m.log)
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
		for _, m := range ms {
			if _, ok := within(time.Second, func() bool {
				return call(t, "GET", m.base+companyPath, "standin-admin", "").status == 200
			}); !ok {
				t.Errorf("%s: the company is still gone after a reset on replica 3", m.base)
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
}
