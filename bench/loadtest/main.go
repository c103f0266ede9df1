// Command loadtest runs the Standin mock in-process on a loopback port and
// drives it with many concurrent connections for a bounded time, mixing REST
// and GraphQL reads, per-request scenarios and GraphQL mutations on the
// generated marketplace records. Then it checks that
//   - no request got a 5xx unless its scenario asked for one,
//   - the goroutine count is back to where it was before the load,
//   - the store is consistent: accounts and memberships counts went down by
//     exactly the number of successful deletions, and the cancelled
//     subscriptions went up by the successful terminations,
//
// and prints a report. Exit status 1 when a check fails.
//
//	go run ./bench/loadtest -duration 60s -conns 1000
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/server"
)

const token = "Bearer standin-admin"

var scenarios = []string{"server-error", "slow", "not-found", "rate-limited"}

type stats struct {
	mu         sync.Mutex
	byStatus   map[int]int
	byKind     map[string]int
	unexpected []string
	transport  int
	total      atomic.Int64
}

func (s *stats) add(kind, scenario string, status int, err error) {
	s.total.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byKind[kind]++
	if err != nil {
		s.transport++
		if len(s.unexpected) < 20 {
			s.unexpected = append(s.unexpected, fmt.Sprintf("%s: %v", kind, err))
		}
		return
	}
	s.byStatus[status]++
	if status >= 500 && scenario != "server-error" {
		if len(s.unexpected) < 20 {
			s.unexpected = append(s.unexpected, fmt.Sprintf("%s (scenario %q): %d", kind, scenario, status))
		}
	}
}

type client struct {
	base string
	hc   *http.Client
}

func (c *client) do(ctx context.Context, method, path, body, scenario string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if scenario != "" {
		req.Header.Set("X-Standin-Scenario", scenario)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (c *client) gql(ctx context.Context, query string, out any) error {
	q, _ := json.Marshal(map[string]any{"query": query})
	status, body, err := c.do(ctx, http.MethodPost, "/api/graphql", string(q), "")
	if err != nil {
		return err
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("%d: %s", status, body)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("%s", r.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

type account struct {
	ID          string
	Memberships []string
	ActiveSubs  []string
	Cancelled   int
}

type census struct {
	accounts, memberships, cancelled int
	list                             []account
}

// survey reads every account with its memberships and subscriptions.
func survey(ctx context.Context, c *client) (census, error) {
	var cs census
	after := ""
	for {
		arg := "first: 10"
		if after != "" {
			arg += fmt.Sprintf(", after: %q", after)
		}
		var d struct {
			Accounts struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []struct {
					ID          string
					Memberships struct {
						TotalCount int
						Nodes      []struct{ ID string }
					}
					Subscriptions struct {
						TotalCount int
						Nodes      []struct{ ID, Status string }
					}
				}
			}
		}
		q := `{ accounts(` + arg + `) { totalCount pageInfo { hasNextPage endCursor } nodes { id memberships(first: 50) { totalCount nodes { id } } subscriptions(first: 50) { totalCount nodes { id status } } } } }`
		if err := c.gql(ctx, q, &d); err != nil {
			return cs, err
		}
		cs.accounts = d.Accounts.TotalCount
		for _, n := range d.Accounts.Nodes {
			a := account{ID: n.ID}
			cs.memberships += n.Memberships.TotalCount
			for _, m := range n.Memberships.Nodes {
				a.Memberships = append(a.Memberships, m.ID)
			}
			for _, s := range n.Subscriptions.Nodes {
				if s.Status == "CANCELLED" {
					cs.cancelled++
					a.Cancelled++
				} else {
					a.ActiveSubs = append(a.ActiveSubs, s.ID)
				}
			}
			cs.list = append(cs.list, a)
		}
		if !d.Accounts.PageInfo.HasNextPage {
			return cs, nil
		}
		after = d.Accounts.PageInfo.EndCursor
	}
}

// mutations hands out the mutation jobs: the memberships and active
// subscriptions of the chosen accounts, then each account once it is empty.
type mutations struct {
	mu      sync.Mutex
	jobs    []job
	pending map[string]int // account id -> jobs left before it can go
	termBy  map[string]int // account id -> subscriptions terminated
	done    struct{ memberships, terminated, accounts, failed int }
}

type job struct{ kind, id, account string }

func newMutations(accts []account, every int) *mutations {
	m := &mutations{pending: map[string]int{}, termBy: map[string]int{}}
	for i, a := range accts {
		if i%every != 0 {
			continue
		}
		for _, id := range a.Memberships {
			m.jobs = append(m.jobs, job{"deleteAccountMembership", id, a.ID})
		}
		for _, id := range a.ActiveSubs {
			m.jobs = append(m.jobs, job{"terminateSubscription", id, a.ID})
		}
		m.pending[a.ID] = len(a.Memberships) + len(a.ActiveSubs)
		if m.pending[a.ID] == 0 {
			m.jobs = append(m.jobs, job{"deleteAccount", a.ID, a.ID})
		}
	}
	rand.Shuffle(len(m.jobs), func(i, j int) { m.jobs[i], m.jobs[j] = m.jobs[j], m.jobs[i] })
	return m
}

func (m *mutations) next() (job, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.jobs) == 0 {
		return job{}, false
	}
	j := m.jobs[len(m.jobs)-1]
	m.jobs = m.jobs[:len(m.jobs)-1]
	return j, true
}

func (m *mutations) finish(j job, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !ok {
		m.done.failed++
		return
	}
	switch j.kind {
	case "deleteAccountMembership":
		m.done.memberships++
	case "terminateSubscription":
		m.done.terminated++
		m.termBy[j.account]++
	case "deleteAccount":
		m.done.accounts++
		return
	}
	m.pending[j.account]--
	if m.pending[j.account] == 0 {
		m.jobs = append(m.jobs, job{"deleteAccount", j.account, j.account})
	}
}

func (m *mutations) run(ctx context.Context, c *client, j job) (int, error) {
	field := map[string]string{"deleteAccountMembership": "membershipId", "terminateSubscription": "subscriptionId", "deleteAccount": "accountId"}[j.kind]
	q, _ := json.Marshal(map[string]any{"query": fmt.Sprintf(`mutation { %s(input: {%s: %q}) { success } }`, j.kind, field, j.id)})
	status, body, err := c.do(ctx, http.MethodPost, "/api/graphql", string(q), "")
	ok := err == nil && status == 200 && bytes.Contains(body, []byte(`"success":true`)) && !bytes.Contains(body, []byte(`"errors"`))
	m.finish(j, ok)
	return status, err
}

func main() {
	duration := flag.Duration("duration", 60*time.Second, "how long to load the mock")
	conns := flag.Int("conns", 1000, "concurrent connections (one worker each)")
	every := flag.Int("mutate-every", 2, "empty and delete every n-th account")
	flag.Parse()

	cfg := config.Default()
	cfg.APIs = map[string]config.API{"clients-v0": {RateLimit: &manifest.RateLimit{Limit: 1 << 40, Window: manifest.Duration(15 * time.Minute)}}}
	logger := slog.New(slog.DiscardHandler)
	mock, err := server.New(cfg, server.Options{Logger: logger})
	if err != nil {
		fail("server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	hs := server.HTTPServer(mock, logger)
	go func() { _ = hs.Serve(ln) }()

	tr := &http.Transport{MaxIdleConns: *conns, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, IdleConnTimeout: 30 * time.Second}
	c := &client{base: "http://" + ln.Addr().String(), hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
	ctx := context.Background()

	time.Sleep(100 * time.Millisecond)
	gBefore := runtime.NumGoroutine()
	before, err := survey(ctx, c)
	if err != nil {
		fail("survey before: %v", err)
	}
	muts := newMutations(before.list, *every)
	accountIDs := make([]string, len(before.list))
	for i, a := range before.list {
		accountIDs[i] = a.ID
	}

	st := &stats{byStatus: map[int]int{}, byKind: map[string]int{}}
	loadCtx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	allClients := `{"query":"{ admin { allClients(first: 10) { edges { node { name code group } } totalCount } } }"}`
	accounts := `{"query":"query A { accounts(first: 20) { totalCount edges { cursor node { ...F } } pageInfo { hasNextPage endCursor } } } fragment F on Account { id name externalId countryCode accessTypes defaultRole status createdOn }"}`
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for loadCtx.Err() == nil {
				r := rand.IntN(100)
				if r < 10 {
					if j, ok := muts.next(); ok {
						status, err := muts.run(loadCtx, c, j)
						if loadCtx.Err() == nil {
							st.add("mutation "+j.kind, "", status, err)
						}
						continue
					}
				}
				scenario := ""
				if rand.IntN(100) < 10 {
					scenario = scenarios[rand.IntN(len(scenarios))]
				}
				var (
					kind, method, path, body string
				)
				switch r % 5 {
				case 0:
					kind, method, path = "REST get v2 client", "GET", "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"
				case 1:
					kind, method, path = "REST list v0 clients", "GET", "/v0/clients"
				case 2:
					kind, method, path = "REST get company", "GET", "/api/account/v2/companies/"+accountIDs[rand.IntN(len(accountIDs))]
				case 3:
					kind, method, path, body = "GraphQL allClients", "POST", "/graphql", allClients
				case 4:
					kind, method, path, body = "GraphQL accounts", "POST", "/api/graphql", accounts
				}
				if scenario != "" {
					kind += " +scenario"
				}
				status, _, err := c.do(loadCtx, method, path, body, scenario)
				if loadCtx.Err() != nil {
					return // cut by the end of the run: not counted
				}
				st.add(kind, scenario, status, err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	// Let the mutations that were cut by the deadline settle, then count.
	after, err := survey(ctx, c)
	if err != nil {
		fail("survey after: %v", err)
	}
	tr.CloseIdleConnections()
	var gAfter int
	for i := 0; i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		if gAfter = runtime.NumGoroutine(); gAfter <= gBefore {
			break
		}
	}

	var failures []string
	fmt.Printf("Standin load test: %d connections for %s (%s, %d cores)\n", *conns, elapsed.Round(time.Millisecond), runtime.Version(), runtime.NumCPU())
	fmt.Printf("requests: %d (%.0f/s), transport errors: %d\n", st.total.Load(), float64(st.total.Load())/elapsed.Seconds(), st.transport)
	fmt.Println("by status:")
	for _, k := range slices.Sorted(maps.Keys(st.byStatus)) {
		fmt.Printf("  %d  %d\n", k, st.byStatus[k])
	}
	fmt.Println("by kind:")
	kinds := make([]string, 0, len(st.byKind))
	for k := range st.byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf("  %-40s %d\n", k, st.byKind[k])
	}
	d := muts.done
	fmt.Printf("mutations ok: %d memberships deleted, %d subscriptions terminated, %d accounts deleted; %d refused or cut\n", d.memberships, d.terminated, d.accounts, d.failed)
	fmt.Printf("store: accounts %d -> %d, memberships %d -> %d, cancelled subscriptions %d -> %d (deleted accounts take theirs)\n",
		before.accounts, after.accounts, before.memberships, after.memberships, before.cancelled, after.cancelled)
	fmt.Printf("goroutines: before %d, after %d\n", gBefore, gAfter)
	if len(st.unexpected) > 0 {
		failures = append(failures, fmt.Sprintf("unexpected errors (first %d): %s", len(st.unexpected), strings.Join(st.unexpected, "; ")))
	}
	if after.accounts != before.accounts-d.accounts {
		failures = append(failures, fmt.Sprintf("accounts: %d - %d deleted != %d", before.accounts, d.accounts, after.accounts))
	}
	if after.memberships != before.memberships-d.memberships {
		failures = append(failures, fmt.Sprintf("memberships: %d - %d deleted != %d", before.memberships, d.memberships, after.memberships))
	}
	// Deleting an account takes its (cancelled) subscriptions with it: the
	// expected count is over the accounts that remain.
	remaining := map[string]bool{}
	for _, a := range after.list {
		remaining[a.ID] = true
	}
	wantCancelled := 0
	for _, a := range before.list {
		if remaining[a.ID] {
			wantCancelled += a.Cancelled + muts.termBy[a.ID]
		}
	}
	if after.cancelled != wantCancelled {
		failures = append(failures, fmt.Sprintf("cancelled subscriptions of the remaining accounts: want %d (before + terminated), got %d", wantCancelled, after.cancelled))
	}
	if gAfter > gBefore {
		failures = append(failures, fmt.Sprintf("goroutines grew: %d -> %d", gBefore, gAfter))
	}
	_ = hs.Close()
	if len(failures) > 0 {
		fmt.Println("FAIL:\n  " + strings.Join(failures, "\n  "))
		os.Exit(1)
	}
	fmt.Println("PASS: no unexpected 5xx, no goroutine growth, store consistent")
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", args...)
	os.Exit(2)
}
