package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/journal"
)

// stScrape fetches /__standin/metrics and parses it with the Prometheus
// text parser.
func stScrape(t *testing.T, s *stServer) map[string]*dto.MetricFamily {
	t.Helper()
	r := s.do(t, stReq{path: "/__standin/metrics"})
	if r.status != http.StatusOK {
		t.Fatalf("metrics: %s", r)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("metrics do not parse: %v\n%s", err, r.body)
	}
	return fams
}

// stSample returns the sample of a family whose labels include want, and
// whether there is one.
func stSample(fams map[string]*dto.MetricFamily, name string, want map[string]string) (*dto.Metric, bool) {
	f := fams[name]
	if f == nil {
		return nil, false
	}
next:
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		return m, true
	}
	return nil, false
}

func TestMetricsCountTheTrafficSent(t *testing.T) {
	s := stStart(t, func(c *config.Config) {
		c.APIs = map[string]config.API{"clients-v0": {RateLimit: stLimit(3, 15*time.Minute)}}
	})
	// Known traffic: 5 clients-v0 lists with one token (3 allowed, 2
	// refused by the rate limit), 2 clients-v2 gets under server-error, one
	// unknown clients-v2 id.
	for range 5 {
		s.do(t, stReq{path: "/v0/clients", token: stAdmin})
	}
	for range 2 {
		s.do(t, stReq{path: "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", token: stAdmin, header: map[string]string{"X-Standin-Scenario": "server-error"}})
	}
	s.do(t, stReq{path: "/v2/clients/00000000-0000-4000-8000-000000000000", token: stAdmin})

	fams := stScrape(t, s)
	counts := []struct {
		labels map[string]string
		want   float64
	}{
		{map[string]string{"api": "clients-v0", "operation": "listClients", "status": "200", "scenario": ""}, 3},
		{map[string]string{"api": "clients-v0", "operation": "listClients", "status": "429", "scenario": ""}, 2},
		{map[string]string{"api": "clients-v2", "operation": "getClient", "status": "500", "scenario": "server-error"}, 2},
		{map[string]string{"api": "clients-v2", "operation": "getClient", "status": "404", "scenario": ""}, 1},
	}
	for _, c := range counts {
		m, ok := stSample(fams, "standin_requests_total", c.labels)
		if !ok || m.GetCounter().GetValue() != c.want {
			t.Errorf("standin_requests_total%v = %v, want %v", c.labels, m.GetCounter().GetValue(), c.want)
		}
	}
	if m, ok := stSample(fams, "standin_rate_limit_rejections_total", map[string]string{"api": "clients-v0"}); !ok || m.GetCounter().GetValue() != 2 {
		t.Errorf("rate limit rejections = %v, want 2", m.GetCounter().GetValue())
	}
	if m, ok := stSample(fams, "standin_request_duration_seconds", map[string]string{"api": "clients-v0", "operation": "listClients"}); !ok || m.GetHistogram().GetSampleCount() != 5 {
		t.Errorf("latency histogram count = %v, want 5", m.GetHistogram().GetSampleCount())
	}
	if m, ok := stSample(fams, "standin_journal_entries", nil); !ok || m.GetGauge().GetValue() != 8 {
		t.Errorf("journal entries = %v, want 8", m.GetGauge().GetValue())
	}
	if m, ok := stSample(fams, "standin_ready", nil); !ok || m.GetGauge().GetValue() != 1 {
		t.Errorf("ready = %v, want 1", m.GetGauge().GetValue())
	}
	if m, ok := stSample(fams, "standin_startup_seconds", nil); !ok || m.GetGauge().GetValue() <= 0 {
		t.Errorf("startup seconds = %v, want > 0", m.GetGauge().GetValue())
	}
	// Records per collection are the store's own counts.
	n, err := s.mock.Store().Len("clients-v0.clients")
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := stSample(fams, "standin_records", map[string]string{"api": "clients-v0", "collection": "clients"}); !ok || m.GetGauge().GetValue() != float64(n) {
		t.Errorf("clients-v0 clients records = %v, want %d", m.GetGauge().GetValue(), n)
	}
}

func TestRequestIDInHeaderJournalAndLog(t *testing.T) {
	tests := []struct {
		name, sent string
		echoed     bool
	}{
		{"none sent", "", false},
		{"sane one kept", "trace-42.a:b/c", true},
		{"too long replaced", string(bytes.Repeat([]byte("a"), MaxRequestIDLen+1)), false},
		{"unsafe replaced", "a b\"c", false},
	}
	s := stStart(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.sent != "" {
				h[RequestIDHeader] = tc.sent
			}
			r := s.do(t, stReq{path: "/v0/clients?__scenario=not-found", token: stAdmin, header: h})
			id := r.header.Get(RequestIDHeader)
			if tc.echoed && id != tc.sent {
				t.Fatalf("id %q, want the one sent %q", id, tc.sent)
			}
			if !tc.echoed && (id == tc.sent || len(id) != 24) {
				t.Fatalf("id %q: want a new 24-digit id", id)
			}
			j := s.do(t, stReq{path: "/__standin/requests?limit=1"})
			var got struct{ Requests []journal.Entry }
			if err := json.Unmarshal(j.body, &got); err != nil || len(got.Requests) != 1 {
				t.Fatalf("journal: %v %s", err, j.body)
			}
			if got.Requests[0].RequestID != id {
				t.Fatalf("journal id %q, header %q", got.Requests[0].RequestID, id)
			}
		})
	}
}

func TestStartingAnswersInEachAPIsShape(t *testing.T) {
	un, err := Starting(config.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		matched bool
		want    string // a JSON fragment of the body
	}{
		{"/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", true, `"code":"service_unavailable"`},
		{"/v0/clients", true, `"success":false`},
		{"/api/account/v2/companies/externalID:c333333", true, StartingMessage},
		{"/graphql", true, `"errors":[`},
		{"/api/graphql", true, `"errors":[`},
		{"/v2/clients", false, ""},
		{"/nowhere", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			ok := un(rec, httptest.NewRequest("GET", tc.path, nil), 3)
			if ok != tc.matched {
				t.Fatalf("matched %v, want %v", ok, tc.matched)
			}
			if !ok {
				return
			}
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "3" || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("%d %v %s, want 503, Retry-After 3 and %s", rec.Code, rec.Header(), rec.Body, tc.want)
			}
		})
	}
}

func TestDashboardNeedsTheControlToken(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.AdminToken = "s3cret" })
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, cookie *http.Cookie) *http.Response {
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("/__standin/ui/", nil); r.StatusCode != 401 {
		t.Errorf("no token: %d", r.StatusCode)
	}
	if r := get("/__standin/ui/?token=wrong", nil); r.StatusCode != 401 {
		t.Errorf("wrong token: %d", r.StatusCode)
	}
	if r := get("/__standin/ui/", &http.Cookie{Name: "standin_admin_token", Value: "wrong"}); r.StatusCode != 401 {
		t.Errorf("wrong cookie: %d", r.StatusCode)
	}
	login := get("/__standin/ui/?token=s3cret", nil)
	if login.StatusCode != http.StatusSeeOther || login.Header.Get("Location") != "/__standin/ui/" {
		t.Fatalf("login: %d %v", login.StatusCode, login.Header)
	}
	var cookie *http.Cookie
	for _, c := range login.Cookies() {
		if c.Name == "standin_admin_token" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/__standin" {
		t.Fatalf("cookie %+v", cookie)
	}
	for _, p := range []string{"/__standin/ui/", "/__standin/ui/app.js", "/__standin/apis"} {
		if r := get(p, cookie); r.StatusCode != 200 {
			t.Errorf("%s with the cookie: %d", p, r.StatusCode)
		}
	}
	// Another origin's page cannot use the cookie (CORS would let it).
	req, _ := http.NewRequest("POST", s.URL+"/__standin/reset", nil)
	req.AddCookie(cookie)
	req.Header.Set("Origin", "http://localhost:3000")
	if r, err := noRedirect.Do(req); err != nil || r.StatusCode != 401 {
		t.Errorf("cookie from another origin: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	req.Header.Set("Origin", s.URL)
	if r, err := noRedirect.Do(req); err != nil || r.StatusCode != 200 {
		t.Errorf("cookie from the dashboard's origin: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	// The cookie is not a credential of the APIs themselves.
	if r := get("/v0/clients", cookie); r.StatusCode != 401 {
		t.Errorf("API with only the cookie: %d", r.StatusCode)
	}
}

func TestRequestStreamSendsCompletedRequests(t *testing.T) {
	s := stStart(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/__standin/requests/stream?status=4xx", nil)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	rd := bufio.NewReader(resp.Body)
	if line, _ := rd.ReadString('\n'); !strings.HasPrefix(line, ":") {
		t.Fatalf("first line %q", line)
	}
	s.do(t, stReq{path: "/v0/clients", token: stAdmin})                                                                  // 200: filtered out
	s.do(t, stReq{path: "/v0/clients", token: stAdmin, header: map[string]string{"X-Standin-Scenario": "rate-limited"}}) // 429
	var event, data string
	for data == "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimSpace(line[7:])
		case strings.HasPrefix(line, "data: "):
			data = line[6:]
		}
	}
	var e journal.Entry
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		t.Fatal(err)
	}
	if event != "request" || e.Status != 429 || e.Scenario != "rate-limited" || e.Token == stAdmin || e.RequestID == "" {
		t.Errorf("event %q entry %+v", event, e)
	}
	if r := s.do(t, stReq{path: "/__standin/requests/stream?status=nope"}); r.status != 400 {
		t.Errorf("bad filter: %s", r)
	}
}

func TestAPIsListOperations(t *testing.T) {
	s := stStart(t, nil)
	var got struct {
		APIs []struct {
			Name       string
			Operations []string
		}
	}
	if err := json.Unmarshal(s.do(t, stReq{path: "/__standin/apis"}).body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"clients-v0":  "GET /v0/clients listClients",
		"clients-v2":  "GET /v2/clients/{client_id} getClient",
		"admin":       "POST /graphql graphql",
		"marketplace": "GET /api/account/v2/companies/externalID:{externalId} getCompanyByExternalId",
	}
	for _, a := range got.APIs {
		if w, ok := want[a.Name]; ok && !slices.Contains(a.Operations, w) {
			t.Errorf("%s operations %v lack %q", a.Name, a.Operations, w)
		}
	}
}
