package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/manifest"
)

// Requests the answer-cache tests read with (admin token unless said).
const (
	rcList       = "/v0/clients"
	rcV2Get      = "/v2/clients/" + stAcme
	rcAllClients = `{"query":"{ admin { allClients(first: 100) { edges { node { name code } } totalCount } } }"}`
	rcAccounts   = `{"query":"{ accounts(first: 100) { totalCount edges { node { id name } } } }"}`
	rcDormant    = "0438bc88-bd79-40be-bc89-93d27b5773eb" // a marketplace account deleteAccount may delete
	rcV0Records  = "/__standin/apis/clients-v0/collections/clients/records"
	rcAdminRecs  = "/__standin/apis/admin/collections/clients/records"
)

// rcServe answers one request in-process.
func rcServe(h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var r *http.Request
	if rd != nil {
		r = httptest.NewRequest(method, path, rd)
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func rcNew(t testing.TB, cacheBytes int64) *Server {
	t.Helper()
	cfg := config.Default()
	cfg.LogLevel = "error"
	cfg.APIs = map[string]config.API{"clients-v0": {RateLimit: stLimit(1_000_000_000, time.Hour)}}
	s, err := New(cfg, Options{ResponseCacheBytes: cacheBytes})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	return s
}

// A kept answer is never sent after a write that changes it: each case
// reads twice (the second read must come from the cache, or the test
// proves nothing), writes through one of the ways data changes, and reads
// again.
func TestResponseCacheFollowsWrites(t *testing.T) {
	type read struct{ method, path, body string }
	restList := read{"GET", rcList, ""}
	restGet := read{"GET", rcV2Get, ""}
	allClients := read{"POST", "/graphql", rcAllClients}
	accounts := read{"POST", "/api/graphql", rcAccounts}
	v0Client := `{"client_id":9001,"created_at":"2024-10-10T18:36:47Z","email_address":"cached@example.com","first_name":"Cached Co",` +
		`"last_name":"Test","patronymic":"Testovich","phone_number":"79170000000","profile_picture_url":"https://example.com/p.jpg"}`
	cases := []struct {
		name  string
		read  read
		write func(t *testing.T, s *Server)
		// changed reports whether the answer after the write shows it
		changed func(before, after string) bool
	}{
		{"REST list, data API insert", restList, func(t *testing.T, s *Server) {
			rcMust(t, rcServe(s, "POST", rcV0Records, "", v0Client), 201)
		}, func(_, after string) bool { return strings.Contains(after, "Cached Co") }},
		{"REST get, data API patch", restGet, func(t *testing.T, s *Server) {
			rcMust(t, rcServe(s, "PATCH", stRecords+"/"+stAcme, "", `{"name":"Acme Renamed"}`), 200)
		}, func(_, after string) bool { return strings.Contains(after, "Acme Renamed") }},
		{"REST get, data API delete", restGet, func(t *testing.T, s *Server) {
			rcMust(t, rcServe(s, "DELETE", stRecords+"/"+stAcme, "", ""), 204)
		}, func(_, after string) bool { return !strings.Contains(after, "Acme") }},
		{"GraphQL allClients, data API delete", allClients, func(t *testing.T, s *Server) {
			rcMust(t, rcServe(s, "DELETE", rcAdminRecs+"/client-code-1", "", ""), 204)
		}, func(before, after string) bool {
			return strings.Contains(before, `"client-code-1"`) && !strings.Contains(after, `"client-code-1"`)
		}},
		{"GraphQL accounts, deleteAccount mutation", accounts, func(t *testing.T, s *Server) {
			w := rcServe(s, "POST", "/api/graphql", stAdmin, `{"query":"mutation { deleteAccount(input: {accountId: \"`+rcDormant+`\"}) { success } }"}`)
			rcMust(t, w, 200)
			if !strings.Contains(w.Body.String(), `"success":true`) {
				t.Fatalf("deleteAccount: %s", w.Body)
			}
		}, func(before, after string) bool {
			return strings.Contains(before, rcDormant) && !strings.Contains(after, rcDormant)
		}},
		{"REST list, reset after a write", restList, func(t *testing.T, s *Server) {
			rcMust(t, rcServe(s, "POST", rcV0Records, "", v0Client), 201)
			if w := rcServe(s, "GET", rcList, stAdmin, ""); !strings.Contains(w.Body.String(), "Cached Co") {
				t.Fatalf("insert not seen: %s", w.Body)
			}
			rcMust(t, rcServe(s, "POST", "/__standin/reset", "", ""), 200)
		}, func(_, after string) bool { return !strings.Contains(after, "Cached Co") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := rcNew(t, 0)
			first := rcServe(s, c.read.method, c.read.path, stAdmin, c.read.body)
			rcMust(t, first, 200)
			hits := s.respCache.Stats().Hits
			second := rcServe(s, c.read.method, c.read.path, stAdmin, c.read.body)
			if s.respCache.Stats().Hits != hits+1 {
				t.Fatalf("second read was not served from the cache: %+v", s.respCache.Stats())
			}
			if second.Body.String() != first.Body.String() {
				t.Fatalf("cached answer differs:\n%s\n%s", first.Body, second.Body)
			}
			c.write(t, s)
			after := rcServe(s, c.read.method, c.read.path, stAdmin, c.read.body)
			if after.Code != 200 && after.Code != 404 {
				t.Fatalf("after the write: %d %s", after.Code, after.Body)
			}
			if !c.changed(first.Body.String(), after.Body.String()) {
				t.Fatalf("answer after the write does not show it:\n%s", after.Body)
			}
			// and what is sent now is what an uncached server sends
			if want := rcReplay(t, c.write, c.read.method, c.read.path, c.read.body); want != after.Body.String() {
				t.Fatalf("after the write:\n got %s\nwant %s", after.Body, want)
			}
		})
	}
}

// rcReplay runs write on a server without the cache and returns its answer
// to the read.
func rcReplay(t *testing.T, write func(*testing.T, *Server), method, path, body string) string {
	s := rcNew(t, -1)
	if s.respCache != nil {
		t.Fatal("ResponseCacheBytes -1 left the cache on")
	}
	write(t, s)
	return rcServe(s, method, path, stAdmin, body).Body.String()
}

func rcMust(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
}

// What is not kept, and what keeps answers apart.
func TestResponseCacheKeepsApart(t *testing.T) {
	s := rcNew(t, 0)
	stats := func() (hits, stores uint64) { st := s.respCache.Stats(); return st.Hits, st.Stores }
	cases := []struct {
		name          string
		method, path  string
		token, body   string
		header        map[string]string
		status        int
		stored, isHit bool
	}{
		{"admin list: kept", "GET", rcList, stAdmin, "", nil, 200, true, false},
		{"admin list again: hit", "GET", rcList, stAdmin, "", nil, 200, false, true},
		{"other query string: its own entry", "GET", rcList + "?limit=2", stAdmin, "", nil, 200, true, false},
		{"readonly allClients: errors, not kept", "POST", "/graphql", stReadonly, rcAllClients, nil, 200, false, false},
		{"admin allClients: kept", "POST", "/graphql", stAdmin, rcAllClients, nil, 200, true, false},
		{"admin allClients again: hit by the raw body", "POST", "/graphql", stAdmin, rcAllClients, nil, 200, false, true},
		{"same query, other bytes: its own entry", "POST", "/graphql", stAdmin, rcAllClients + " ", nil, 200, true, false},
		{"body over the raw-key bound: answered, not kept", "POST", "/graphql", stAdmin, strings.Replace(rcAllClients, `{"query"`, "{"+strings.Repeat(" ", maxRawKeyBytes)+`"query"`, 1), nil, 200, false, false},
		{"readonly allClients again: not the admin's answer", "POST", "/graphql", stReadonly, rcAllClients, nil, 200, false, false},
		{"scenario empty: its own entry", "GET", rcList, stAdmin, "", map[string]string{"X-Standin-Scenario": "empty"}, 200, true, false},
		{"scenario not-found: answered by the effect", "GET", rcList, stAdmin, "", map[string]string{"X-Standin-Scenario": "not-found"}, 404, false, false},
		{"no token: 401, not kept", "GET", rcList, "", "", nil, 401, false, false},
		{"mutation: never kept", "POST", "/api/graphql", stAdmin, `{"query":"mutation { deleteAccount(input: {accountId: \"00000000-0000-4000-8000-000000000000\"}) { success } }"}`, nil, 200, false, false},
		{"the same mutation again: never kept", "POST", "/api/graphql", stAdmin, `{"query":"mutation { deleteAccount(input: {accountId: \"00000000-0000-4000-8000-000000000000\"}) { success } }"}`, nil, 200, false, false},
		{"other Accept: its own entry", "POST", "/graphql", stAdmin, rcAllClients, map[string]string{"Accept": "application/graphql-response+json"}, 200, true, false},
		{"GraphQL GET query: kept", "GET", "/graphql?query=%7B+admin+%7B+allClients%28first%3A+1%29+%7B+totalCount+%7D+%7D+%7D", stAdmin, "", nil, 200, true, false},
	}
	var adminAll string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h0, s0 := stats()
			r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			if c.token != "" {
				r.Header.Set("Authorization", "Bearer "+c.token)
			}
			for k, v := range c.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			rcMust(t, w, c.status)
			h1, s1 := stats()
			if got := s1 == s0+1; got != c.stored {
				t.Errorf("stored %v, want %v", got, c.stored)
			}
			if got := h1 == h0+1; got != c.isHit {
				t.Errorf("hit %v, want %v", got, c.isHit)
			}
			if c.token == stAdmin && c.path == "/graphql" && c.header == nil {
				adminAll = w.Body.String()
			}
			if c.token == stReadonly && adminAll != "" && w.Body.String() == adminAll {
				t.Errorf("readonly got the admin's answer")
			}
			// per-request headers are still per request
			if w.Header().Get(RequestIDHeader) == "" {
				t.Errorf("no %s", RequestIDHeader)
			}
			if c.path == rcList && c.status == 200 && w.Header().Get("RateLimit-Remaining") == "" {
				t.Errorf("no RateLimit-Remaining: %v", w.Header())
			}
		})
	}
}

// Hits stay per request where they must: each is journaled, counted and
// rate limited; a kept answer carries the handler's headers.
func TestResponseCacheHitIsARequest(t *testing.T) {
	cfg := config.Default()
	cfg.APIs = map[string]config.API{"clients-v0": {RateLimit: &manifest.RateLimit{Limit: 3, Window: manifest.Duration(60e9)}}}
	s, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 4 {
		w := rcServe(s, "GET", rcList, stAdmin, "")
		got = append(got, fmt.Sprint(w.Code, " ", w.Header().Get("RateLimit-Remaining"), " ", w.Header().Get("Content-Type")))
	}
	want := []string{"200 2 application/json", "200 1 application/json", "200 0 application/json", "429 0 application/json"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("answers %q, want %q", got, want)
	}
	if s.respCache.Stats().Hits != 2 {
		t.Errorf("hits %d, want 2", s.respCache.Stats().Hits)
	}
	if n := len(s.Journal().List(0)); n != 4 {
		t.Errorf("journal holds %d requests, want 4", n)
	}
}

// Concurrent reads (REST and GraphQL), writes and resets: run with -race.
// Once writers stop, every read answers what an uncached server answers
// after the same writes.
func TestResponseCacheConcurrent(t *testing.T) {
	s := rcNew(t, 0)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	reads := []struct{ method, path, body string }{
		{"GET", rcList, ""}, {"GET", rcV2Get, ""}, {"POST", "/graphql", rcAllClients}, {"POST", "/api/graphql", rcAccounts},
	}
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rd := reads[i%len(reads)]
				if w := rcServe(s, rd.method, rd.path, stAdmin, rd.body); w.Code != 200 && w.Code != 404 {
					t.Errorf("%s %s: %d %s", rd.method, rd.path, w.Code, w.Body)
					return
				}
			}
		}()
	}
	for i := range 40 {
		name := []string{"Alpha", "Beta"}[i%2]
		rcServe(s, "PATCH", stRecords+"/"+stAcme, "", `{"name":"`+name+`"}`)
		if i%10 == 9 {
			s.Reset()
		}
	}
	close(stop)
	wg.Wait()
	rcServe(s, "PATCH", stRecords+"/"+stAcme, "", `{"name":"Final"}`)
	for _, rd := range reads {
		got := rcServe(s, rd.method, rd.path, stAdmin, rd.body).Body.String()
		again := rcServe(s, rd.method, rd.path, stAdmin, rd.body).Body.String()
		if got != again {
			t.Errorf("%s: two answers differ", rd.path)
		}
	}
	if got := rcServe(s, "GET", rcV2Get, stAdmin, "").Body.String(); !strings.Contains(got, `"Final"`) {
		t.Errorf("after the writes: %s", got)
	}
}

// Property: whatever sequence of reads, writes and resets, the server with
// the cache answers every read byte for byte as the server without it.
func TestResponseCacheSameAsUncached(t *testing.T) {
	cached, plain := rcNew(t, 0), rcNew(t, -1)
	type op struct{ method, path, token, body string }
	reads := []op{
		{"GET", rcList, stAdmin, ""},
		{"GET", rcList + "?limit=3", stAdmin, ""},
		{"GET", rcV2Get, stAdmin, ""},
		{"GET", rcV2Get, stPartner, ""},
		{"POST", "/graphql", stAdmin, rcAllClients},
		{"POST", "/api/graphql", stAdmin, rcAccounts},
		{"POST", "/api/graphql", stReadonly, rcAccounts},
	}
	writes := []op{
		{"PATCH", stRecords + "/" + stAcme, "", `{"name":"Renamed"}`},
		{"PATCH", stRecords + "/" + stAcme, "", `{"name":"Acme Corporation"}`},
		{"DELETE", stRecords + "/" + stAcme, "", ""},
		{"POST", stRecords, "", stClientJSON(stNewClient, "Initech")},
		{"POST", "/api/graphql", stAdmin, `{"query":"mutation { deleteAccount(input: {accountId: \"` + rcDormant + `\"}) { success } }"}`},
		{"POST", "/__standin/reset", "", ""},
	}
	rapid.Check(t, func(t *rapid.T) {
		cached.Reset()
		plain.Reset()
		n := rapid.IntRange(1, 30).Draw(t, "steps")
		for range n {
			var o op
			if rapid.IntRange(0, 3).Draw(t, "kind") == 0 {
				o = rapid.SampledFrom(writes).Draw(t, "write")
			} else {
				o = rapid.SampledFrom(reads).Draw(t, "read")
			}
			a := rcServe(cached, o.method, o.path, o.token, o.body)
			b := rcServe(plain, o.method, o.path, o.token, o.body)
			if a.Code != b.Code || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
				t.Fatalf("%s %s as %q:\ncached %d %s\nplain  %d %s", o.method, o.path, o.token, a.Code, a.Body, b.Code, b.Body)
			}
		}
	})
	if cached.respCache.Stats().Hits == 0 {
		t.Error("no read was served from the cache: the property proved nothing")
	}
}

// The route memo answers as route does, the first time and the next, and
// stays within its bound.
func TestRouteMemo(t *testing.T) {
	s := rcNew(t, 0)
	cases := []struct{ method, path string }{
		{"GET", rcList}, {"GET", rcV2Get}, {"GET", "/v2/clients/not-a-uuid"}, {"POST", "/graphql"},
		{"GET", "/api/account/v2/companies/externalID:c333333"}, {"GET", "/api/account/v2/companies/" + rcDormant},
		{"DELETE", rcList}, {"GET", "/nowhere"}, {"GET", "/v2/clients/a%2Fb"},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			r := httptest.NewRequest(c.method, c.path, nil)
			api, m, err := s.route(r)
			for i := range 2 {
				a2, m2, err2 := s.routed(r)
				if a2 != api || m2.OperationID() != m.OperationID() || fmt.Sprint(err2) != fmt.Sprint(err) {
					t.Fatalf("call %d: %v %q %v, route says %v %q %v", i, a2, m2.OperationID(), err2, api, m.OperationID(), err)
				}
			}
		})
	}
	for i := range maxRoutes + 10 {
		s.routed(httptest.NewRequest("GET", fmt.Sprintf("/v2/clients/00000000-0000-4000-8000-%012d", i), nil))
	}
	if n := len(s.routes.m); n > maxRoutes || n == 0 {
		t.Errorf("memo holds %d routes, bound %d", n, maxRoutes)
	}
}
