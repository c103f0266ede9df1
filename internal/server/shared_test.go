package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/redisstate/redistest"
)

// stSharedPair starts two mocks on one redis-server (skipped when it is not
// installed): a's Redis traffic goes through a proxy that injects faults, b's
// goes straight. a waits 300ms for a lost answer's outcome. One write
// through a loads the append script into Redis first: an EVALSHA that
// Redis answers NOSCRIPT did not run, whatever happens to its answer.
func stSharedPair(t *testing.T) (a, b *stServer, proxy *redistest.Proxy) {
	t.Helper()
	rs := redistest.Start(t)
	proxy = redistest.StartProxy(t, rs)
	start := func(url string) *stServer {
		s := stStart(t, func(c *config.Config) { c.State = url; c.Specs = config.List{petstoreSpec} })
		t.Cleanup(func() { _ = s.mock.Close() })
		return s
	}
	a, b = start(proxy.URL), start(rs.URL)
	a.mock.store.SetOutcomeWait(300 * time.Millisecond)
	if r := a.do(t, stReq{method: "POST", path: stAccounts, body: stAccountJSON("00000000-0000-4000-8000-000000000001")}); r.status != 201 {
		t.Fatalf("first write: %s", r)
	}
	return a, b, proxy
}

// stEventually polls check for up to 5s.
func stEventually(check func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if check() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// stSurface is one way to write: the request, the marker the proxy
// finds in its log entry, whether it took effect on a mock, and the check
// of an "outcome unknown" body in the surface's own shape.
type stSurface struct {
	name    string
	prepare func(t *testing.T, a, b *stServer, key string) // before the write (may be nil)
	send    func(key string) stReq
	marker  func(key string) string
	written func(t *testing.T, s *stServer, key string) bool
	unknown func(t *testing.T, r stResp, id string)
}

const stAccounts = "/__standin/apis/marketplace/collections/accounts/records"

func stAccountJSON(id string) string {
	return `{"id":"` + id + `","name":"Shared ` + id + `","externalId":"s` + id + `","countryCode":"DE","accessTypes":["CUSTOMER"],"defaultRole":"USER",` +
		`"status":"ACTIVE","website":null,"emailAddress":null,"phoneNumber":null,"createdOn":"2026-01-01T00:00:00Z"}`
}

func stHasAccount(t *testing.T, s *stServer, id string) bool {
	return s.do(t, stReq{path: stAccounts + "/" + id}).status == 200
}

var stSurfaces = []stSurface{
	{
		name:    "data API insert",
		send:    func(key string) stReq { return stReq{method: "POST", path: stAccounts, body: stAccountJSON(key)} },
		marker:  func(key string) string { return key },
		written: stHasAccount,
		unknown: func(t *testing.T, r stResp, id string) {
			var body struct{ Error, Outcome, WriteID string }
			if err := json.Unmarshal(r.body, &body); err != nil || body.Outcome != "unknown" || body.WriteID != id || !strings.Contains(body.Error, "outcome is unknown") {
				t.Errorf("data API body: %s", r.body)
			}
		},
	},
	{
		name: "REST create (--spec petstore)",
		send: func(key string) stReq {
			return stReq{method: "POST", path: "/pets", token: stAdmin, body: `{"name":"` + key + `"}`}
		},
		marker: func(key string) string { return key },
		written: func(t *testing.T, s *stServer, key string) bool {
			return strings.Contains(string(s.do(t, stReq{path: "/__standin/apis/petstore/collections/pets/records?limit=1000"}).body), `"`+key+`"`)
		},
		unknown: func(t *testing.T, r stResp, id string) {
			var body struct {
				Code    int
				Message string
			}
			if err := json.Unmarshal(r.body, &body); err != nil || body.Code != 503 || !strings.Contains(body.Message, "outcome is unknown") ||
				!strings.Contains(body.Message, "/__standin/writes/"+id) {
				t.Errorf("REST body, in the petstore's error shape {code, message}: %s", r.body)
			}
		},
	},
	{
		name: "GraphQL deleteAccount",
		prepare: func(t *testing.T, a, b *stServer, key string) {
			if r := b.do(t, stReq{method: "POST", path: stAccounts, body: stAccountJSON(key)}); r.status != 201 {
				t.Fatalf("insert the account to delete: %s", r)
			}
			if !stEventually(func() bool { return stHasAccount(t, a, key) }) {
				t.Fatal("the account to delete never reached the replica that deletes it")
			}
		},
		send: func(key string) stReq {
			return stReq{method: "POST", path: "/api/graphql", token: stAdmin,
				body: `{"query":"mutation { deleteAccount(input: {accountId: \"` + key + `\"}) { success } }"}`}
		},
		marker:  func(string) string { return `"op":"delete"` },
		written: func(t *testing.T, s *stServer, key string) bool { return !stHasAccount(t, s, key) },
		unknown: func(t *testing.T, r stResp, id string) {
			var body struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			if err := json.Unmarshal(r.body, &body); err != nil || len(body.Errors) != 1 {
				t.Fatalf("GraphQL body: %s", r.body)
			}
			e := body.Errors[0]
			if e.Extensions["code"] != "SERVICE_UNAVAILABLE" || e.Extensions["outcome"] != "unknown" || e.Extensions["writeId"] != id ||
				!strings.Contains(e.Message, "outcome is unknown") {
				t.Errorf("GraphQL error: %s", r.body)
			}
		},
	},
}

// TestSharedWriteAnswersAreTrue: on each write surface, a write whose
// append lost its answer is answered by what the log holds: 2xx when the
// append ran, the "nothing was written" 503 when it did not, and, when
// Redis cannot be asked in time, a 503 saying the outcome is unknown, in
// the API's own shape, with X-Standin-Write-Id that GET
// /__standin/writes/{id} settles (on any replica) once Redis answers.
func TestSharedWriteAnswersAreTrue(t *testing.T) {
	a, b, proxy := stSharedPair(t)
	faults := []struct {
		name    string
		fault   redistest.Fault
		down    bool
		answer  string // "written", "not written", "unknown"
		settled string // GET /__standin/writes/{id}, for "unknown"
	}{
		{"append ran, answer lost", redistest.LoseAnswer, false, "written", ""},
		{"append never arrived", redistest.LoseCommand, false, "not written", ""},
		{"append ran, answer lost, Redis gone", redistest.LoseAnswer, true, "unknown", "applied"},
		{"append never arrived, Redis gone", redistest.LoseCommand, true, "unknown", "not-applied"},
	}
	n := 0
	for _, sf := range stSurfaces {
		for _, f := range faults {
			n++
			key := fmt.Sprintf("00000000-0000-4000-8000-5%011d", n)
			t.Run(sf.name+"/"+f.name, func(t *testing.T) {
				defer proxy.SetDown(false)
				if sf.prepare != nil {
					sf.prepare(t, a, b, key)
				}
				hit := proxy.Arm(redistest.Injection{Marker: sf.marker(key), Fault: f.fault, ThenDown: f.down})
				r := a.do(t, sf.send(key))
				select {
				case <-hit:
				default:
					t.Fatalf("the proxy never saw the write's append; answer %s", r)
				}
				id := r.header.Get("X-Standin-Write-Id")
				switch f.answer {
				case "written":
					if r.status >= 300 || id != "" {
						t.Fatalf("answer %s (write id %q), want 2xx", r, id)
					}
					if !sf.written(t, a, key) {
						t.Error("the replica that acknowledged the write does not show it")
					}
				case "not written":
					if r.status != 503 || id != "" || !strings.Contains(string(r.body), "nothing was written") || r.header.Get("Retry-After") == "" {
						t.Fatalf("answer %s (write id %q), want 503 \"nothing was written\" with Retry-After", r, id)
					}
				case "unknown":
					if r.status != 503 || id == "" || r.header.Get("X-Standin-Write-Outcome") != "unknown" || r.header.Get("Retry-After") == "" {
						t.Fatalf("answer %s, headers %v; want 503 with X-Standin-Write-Id, X-Standin-Write-Outcome: unknown, Retry-After", r, r.header)
					}
					sf.unknown(t, r, id)
					// any replica that reaches Redis settles it: b at once,
					// a once its Redis is back
					for _, s := range []*stServer{b, a} {
						if s == a {
							proxy.SetDown(false)
						}
						var got struct{ WriteID, Outcome string }
						w := s.do(t, stReq{path: "/__standin/writes/" + id})
						if err := json.Unmarshal(w.body, &got); err != nil || w.status != 200 || got.WriteID != id || got.Outcome != f.settled {
							t.Fatalf("GET /__standin/writes/%s: %s, want outcome %s", id, w, f.settled)
						}
					}
				}
				proxy.SetDown(false)
				want := f.answer == "written" || f.settled == "applied"
				for name, s := range map[string]*stServer{"a": a, "b": b} {
					if !stEventually(func() bool { return sf.written(t, s, key) == want }) {
						t.Errorf("replica %s shows the write: %v, want %v", name, !want, want)
					}
				}
				if !stEventually(func() bool { return a.do(t, stReq{path: "/__standin/ready"}).status == http.StatusOK }) {
					t.Fatal("replica a is not ready again after the proxy came back")
				}
			})
		}
	}
}

// TestSharedWriteOutcomeEndpoint: GET /__standin/writes/{id} refuses what
// is not a write id, answers 503 while Redis cannot be reached, and 404
// without shared state.
func TestSharedWriteOutcomeEndpoint(t *testing.T) {
	a, _, proxy := stSharedPair(t)
	if r := a.do(t, stReq{path: "/__standin/writes/nonsense"}); r.status != 400 || !strings.Contains(string(r.body), "not a write id") {
		t.Errorf("malformed id: %s, want 400", r)
	}
	if r := a.do(t, stReq{method: "POST", path: "/__standin/writes/0-0.0123456789abcdef"}); r.status != 405 {
		t.Errorf("POST: %s, want 405", r)
	}
	proxy.SetDown(true)
	r := a.do(t, stReq{path: "/__standin/writes/0-0.0123456789abcdef"})
	if r.status != 503 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), `"outcome":"unknown"`) {
		t.Errorf("Redis unreachable: %s, want 503 with Retry-After and outcome unknown", r)
	}
	proxy.SetDown(false)
	if r := a.do(t, stReq{path: "/__standin/writes/0-0.0123456789abcdef"}); r.status != 200 || !strings.Contains(string(r.body), `"outcome":"not-applied"`) {
		t.Errorf("a write id nobody used: %s, want 200 not-applied", r)
	}
	alone := stStart(t, nil)
	if r := alone.do(t, stReq{path: "/__standin/writes/0-0.0123456789abcdef"}); r.status != 404 || !strings.Contains(string(r.body), "--state") {
		t.Errorf("without --state: %s, want 404", r)
	}
}
