package server

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/journal"
)

const (
	stNewClient = "11111111-2222-4333-8444-555555555555"
	stAcme      = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
	stRecords   = "/__standin/apis/clients-v2/collections/clients/records"
)

func stClientJSON(id, name string) string {
	return fmt.Sprintf(`{"id":%q,"name":%q,"status":"active","partner":{"id":"b2c3d4e5-f6a7-8901-bcde-f12345678901","name":"TechPartner Inc."},`+
		`"enrollment_token":null,"created_at":"2026-03-01T00:00:00.000Z","updated_at":"2026-03-01T00:00:00.000Z"}`, id, name)
}

// The data API writes through the store: REST sees each change at once and
// reset undoes them all.
func TestDataAPIThroughREST(t *testing.T) {
	srv := stStart(t, nil)
	count := func() float64 {
		r := srv.do(t, stReq{path: "/__standin/apis/clients-v2/collections"})
		var body struct {
			Collections []struct {
				Name, Key string
				Count     float64
			}
		}
		if err := json.Unmarshal(r.body, &body); err != nil || len(body.Collections) != 1 || body.Collections[0].Key != "id" {
			t.Fatalf("collections: %s", r)
		}
		return body.Collections[0].Count
	}
	start := count()
	rest := "/v2/clients/" + stNewClient
	steps := []struct {
		name   string
		req    stReq
		status int
		// restStatus and restName: GET /v2/clients/{new} afterwards
		restStatus int
		restName   string
		check      func(t *testing.T, r stResp)
	}{
		{"unknown before", stReq{path: stRecords + "/" + stNewClient}, 404, 404, "", nil},
		{"insert", stReq{method: "POST", path: stRecords, body: stClientJSON(stNewClient, "Initech")}, 201, 200, "Initech", func(t *testing.T, r stResp) {
			if loc := r.header.Get("Location"); loc != stRecords+"/"+stNewClient {
				t.Errorf("Location %q", loc)
			}
		}},
		{"duplicate", stReq{method: "POST", path: stRecords, body: stClientJSON(stNewClient, "Again")}, 409, 200, "Initech", func(t *testing.T, r stResp) {
			if b := r.json(t).(map[string]any); b["pointer"] != "/id" || b["field"] != "id" {
				t.Errorf("409 body %s", r.body)
			}
		}},
		{"invalid", stReq{method: "POST", path: stRecords, body: `[` + stClientJSON("11111111-2222-4333-8444-555555555556", "") + `]`}, 400, 200, "Initech", func(t *testing.T, r stResp) {
			v := r.json(t).(map[string]any)["violations"].([]any)
			if len(v) != 1 || v[0].(map[string]any)["pointer"] != "/0/name" {
				t.Errorf("400 body %s", r.body)
			}
		}},
		{"not JSON", stReq{method: "POST", path: stRecords, body: `{`}, 400, 200, "Initech", nil},
		{"get", stReq{path: stRecords + "/" + stNewClient}, 200, 200, "Initech", nil},
		{"patch", stReq{method: "PATCH", path: stRecords + "/" + stNewClient, body: `{"name":"Initrode"}`}, 200, 200, "Initrode", nil},
		{"patch bad", stReq{method: "PATCH", path: stRecords + "/" + stNewClient, body: `{"status":"gone"}`}, 400, 200, "Initrode", nil},
		{"put", stReq{method: "PUT", path: stRecords + "/" + stNewClient, body: stClientJSON(stNewClient, "Put Inc.")}, 200, 200, "Put Inc.", nil},
		{"list page", stReq{path: stRecords + "?limit=2"}, 200, 200, "Put Inc.", func(t *testing.T, r stResp) {
			b := r.json(t).(map[string]any)
			if len(b["records"].([]any)) != 2 || b["next"] == nil || b["total"] != start+1 {
				t.Errorf("page %s", r)
			}
			next := srv.do(t, stReq{path: stRecords + "?limit=2&after=" + url.QueryEscape(b["next"].(string))})
			if recs := next.json(t).(map[string]any)["records"].([]any); next.status != 200 || len(recs) != 2 {
				t.Errorf("next page %s", next)
			}
		}},
		{"bad limit", stReq{path: stRecords + "?limit=0"}, 400, 200, "Put Inc.", nil},
		{"unknown collection", stReq{path: "/__standin/apis/clients-v2/collections/nope/records"}, 404, 200, "Put Inc.", nil},
		{"unknown API", stReq{path: "/__standin/apis/nope/collections"}, 404, 200, "Put Inc.", nil},
		{"wrong method", stReq{method: "DELETE", path: stRecords}, 405, 200, "Put Inc.", nil},
		{"delete", stReq{method: "DELETE", path: stRecords + "/" + stNewClient}, 204, 404, "", nil},
		{"delete again", stReq{method: "DELETE", path: stRecords + "/" + stNewClient}, 404, 404, "", nil},
		{"insert again", stReq{method: "POST", path: stRecords, body: stClientJSON(stNewClient, "Initech")}, 201, 200, "Initech", nil},
		{"reset", stReq{method: "POST", path: "/__standin/reset"}, 200, 404, "", nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r := srv.do(t, st.req)
			if r.status != st.status {
				t.Fatalf("%s %s: %s, want %d", st.req.method, st.req.path, r, st.status)
			}
			if st.check != nil {
				st.check(t, r)
			}
			got := srv.do(t, stReq{path: rest, token: stAdmin})
			if got.status != st.restStatus {
				t.Fatalf("GET %s: %s, want %d", rest, got, st.restStatus)
			}
			if st.restName != "" {
				if name := got.json(t).(map[string]any)["name"]; name != st.restName {
					t.Errorf("REST name %v, want %q", name, st.restName)
				}
			}
		})
	}
	if n := count(); n != start {
		t.Errorf("after reset %v records, want %v", n, start)
	}
}

// A company inserted through the data API is one record for marketplace
// REST and GraphQL.
func TestDataAPIThroughGraphQL(t *testing.T) {
	srv := stStart(t, nil)
	const id = "22222222-3333-4444-8555-666666666666"
	body := `{"id":"` + id + `","name":"Data API Ltd.","externalId":"d424242","countryCode":"DE","accessTypes":["CUSTOMER"],"defaultRole":"USER",` +
		`"status":"ACTIVE","website":null,"emailAddress":null,"phoneNumber":null,"createdOn":"2026-01-01T00:00:00Z"}`
	if r := srv.do(t, stReq{method: "POST", path: "/__standin/apis/marketplace/collections/accounts/records", body: body}); r.status != 201 {
		t.Fatalf("insert: %s", r)
	}
	r := srv.do(t, stReq{method: "POST", path: "/api/graphql", token: stAdmin, body: `{"query":"{ account(id: \"` + id + `\") { name externalId } }"}`})
	stSameJSON(t, r, stJSON(t, `{"data":{"account":{"name":"Data API Ltd.","externalId":"d424242"}}}`))
	if r := srv.do(t, stReq{path: "/api/account/v2/companies/externalID:d424242", token: stAdmin}); r.status != 200 || !strings.Contains(string(r.body), "Data API Ltd.") {
		t.Errorf("REST by external id: %s", r)
	}
}

// The data API is part of the control API: with an admin token, it needs it.
func TestDataAPINeedsControlToken(t *testing.T) {
	srv := stStart(t, func(c *config.Config) { c.AdminToken = "ctl" })
	if r := srv.do(t, stReq{path: "/__standin/apis/clients-v2/collections"}); r.status != 401 {
		t.Errorf("without token: %s", r)
	}
	if r := srv.do(t, stReq{method: "POST", path: stRecords, body: stClientJSON(stNewClient, "X")}); r.status != 401 {
		t.Errorf("insert without token: %s", r)
	}
	if r := srv.do(t, stReq{path: "/__standin/apis/clients-v2/collections", token: "ctl"}); r.status != 200 {
		t.Errorf("with token: %s", r)
	}
}

func TestRequestFilters(t *testing.T) {
	srv := stStart(t, nil)
	before := time.Now().Add(-time.Second).UTC().Format(time.RFC3339)
	srv.do(t, stReq{path: "/v2/clients/" + stAcme, token: stAdmin})
	srv.do(t, stReq{path: "/v2/clients/" + stNewClient, token: stAdmin})
	srv.do(t, stReq{path: "/v2/clients/" + stAcme + "?__scenario=server-error", token: stAdmin})
	srv.do(t, stReq{path: "/v0/clients", token: stAdmin})
	srv.do(t, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ admin { allClients { totalCount } } }"}`})
	tests := []struct {
		query  string
		status int
		count  float64
	}{
		{"", 200, 5},
		{"api=clients-v2", 200, 3},
		{"operation=getClient", 200, 3},
		{"operation=getClient&status=200", 200, 1},
		{"status=404", 200, 1},
		{"status=5xx", 200, 1},
		{"status=2XX", 200, 3},
		{"scenario=server-error", 200, 1},
		{"scenario=none", 200, 4},
		{"method=post", 200, 1},
		{"operation=graphql", 200, 1},
		{"path=/v2/clients/" + stAcme, 200, 2},
		{"path=/v2/clients/*", 200, 3},
		{"since=" + before, 200, 5},
		{"since=2999-01-01T00:00:00Z", 200, 0},
		{"limit=1", 200, 5}, // count ignores limit
		{"api=nope", 400, 0},
		{"status=abc", 400, 0},
		{"since=yesterday", 400, 0},
		{"operationId=getClient", 400, 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := srv.do(t, stReq{path: "/__standin/requests/count?" + tc.query})
			if r.status != tc.status {
				t.Fatalf("count: %s, want %d", r, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if n := r.json(t).(map[string]any)["count"]; n != tc.count {
				t.Errorf("count %v, want %v", n, tc.count)
			}
			list := srv.do(t, stReq{path: "/__standin/requests?" + tc.query})
			want := int(tc.count)
			if strings.Contains(tc.query, "limit=1") {
				want = 1
			}
			if got := len(list.json(t).(map[string]any)["requests"].([]any)); got != want {
				t.Errorf("list: %d entries, want %d", got, want)
			}
		})
	}
	// Newest first.
	list := srv.do(t, stReq{path: "/__standin/requests?api=clients-v2"}).json(t).(map[string]any)["requests"].([]any)
	if first := list[0].(map[string]any); first["scenario"] != "server-error" || first["status"] != 500.0 {
		t.Errorf("newest first: %v", first)
	}
	if r := srv.do(t, stReq{method: "DELETE", path: "/__standin/requests"}); r.status != 200 {
		t.Fatalf("clear: %s", r)
	}
	if n := srv.do(t, stReq{path: "/__standin/requests/count"}).json(t).(map[string]any)["count"]; n != 0.0 {
		t.Errorf("after clear: %v", n)
	}
}

func TestJournalBodies(t *testing.T) {
	tests := []struct {
		name   string
		bodies bool
		req    stReq
		// what the entry's JSON must (and must not) contain
		want, wantNot []string
	}{
		// Off, the headers are kept (redacted) and the bodies are not.
		{"off", false, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ admin { allClients { totalCount } } }"}`},
			[]string{`"Authorization":["Bearer stan…"]`, `"request":{"headers":`, `"response":{"headers":`, `"bodyNotKept":true`},
			[]string{`"body"`, "allClients", "standin-admin"}},
		{"graphql", true, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ admin { allClients { totalCount } } }"}`},
			[]string{`"Authorization":["Bearer stan…"]`, `allClients { totalCount }`, `{\"data\":{\"admin\":{\"allClients\":{\"totalCount\":`}, []string{"standin-admin"}},
		{"API key and cookie", true, stReq{method: "POST", path: "/graphql", header: map[string]string{"X-API-Key": "standin-admin", "Cookie": "session=abcdefghijkl"}, body: `{"query":"{ admin { allClients { totalCount } } }"}`},
			[]string{`"X-Api-Key":["stan…"]`, `"Cookie":["sessio…"]`}, []string{"standin-admin", "abcdefghijkl"}},
		{"secret in a JSON body", true, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ admin { allClients { totalCount } } }","variables":{"password":"hunter2hunter2","apiToken":"tok-123456789"}}`},
			[]string{`\"password\":\"hunt…\"`, `\"apiToken\":\"tok-…\"`}, []string{"hunter2hunter2", "tok-123456789"}},
		{"response headers", true, stReq{path: "/v0/clients", token: stAdmin},
			[]string{`"Ratelimit-Limit":["100"]`, `"response":{"headers":`, `\"client_id\":1,`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := stStart(t, func(c *config.Config) { c.JournalBodies = tc.bodies })
			srv.do(t, tc.req)
			r := srv.do(t, stReq{path: "/__standin/requests?limit=1"})
			for _, w := range tc.want {
				if !strings.Contains(string(r.body), w) {
					t.Errorf("journal lacks %s:\n%s", w, r.body)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(string(r.body), w) {
					t.Errorf("journal has %s:\n%s", w, r.body)
				}
			}
		})
	}
}

// A request is in the journal once its answer has started, even when the
// body is large enough to be sent before the handler returns (regression:
// the journal was written only when the handler ended, so a client could
// read the answer and not find the request).
func TestJournalBeforeAnswerEnds(t *testing.T) {
	srv := stStart(t, nil)
	for _, path := range []string{"/v0/clients", "/v2/clients/" + stAcme, "/v2/clients/" + stNewClient} {
		t.Run(path, func(t *testing.T) {
			srv.mock.Journal().Reset()
			w := &journalProbe{ResponseRecorder: httptest.NewRecorder(), count: func() int { return srv.mock.Journal().Count(journal.Filter{Path: path}) }}
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+stAdmin)
			srv.mock.ServeHTTP(w, req)
			if w.atHeader != 1 || w.atWrite != 1 {
				t.Errorf("journal entries when the header was written: %d, at the first body write: %d; want 1 and 1", w.atHeader, w.atWrite)
			}
			e := srv.mock.Journal().List(1)[0]
			if e.Status != w.Code || e.Duration <= 0 {
				t.Errorf("completed entry %+v, answer %d", e, w.Code)
			}
		})
	}
}

// journalProbe counts journal entries when the answer starts.
type journalProbe struct {
	*httptest.ResponseRecorder
	count             func() int
	atHeader, atWrite int
	header, wrote     bool
}

func (p *journalProbe) WriteHeader(code int) {
	if !p.header {
		p.header, p.atHeader = true, p.count()
	}
	p.ResponseRecorder.WriteHeader(code)
}

func (p *journalProbe) Write(b []byte) (int, error) {
	if !p.wrote {
		p.wrote, p.atWrite = true, p.count()
	}
	if !p.header {
		p.header, p.atHeader = true, p.atWrite
	}
	return p.ResponseRecorder.Write(b)
}

func TestDataAPIRoutes(t *testing.T) {
	srv := stStart(t, nil)
	const admin = "/__standin/apis/admin/collections/clients/records"
	tests := []struct {
		name   string
		req    stReq
		status int
		want   string // in the body
	}{
		{"collection without records", stReq{path: "/__standin/apis/admin/collections/clients"}, 404, "data API"},
		{"too deep", stReq{path: admin + "/client-code-1/more"}, 404, "data API"},
		{"empty segment", stReq{path: "/__standin/apis//collections"}, 404, ""},
		{"admin key", stReq{path: admin + "/client-code-1"}, 200, `"name":"client-name-1"`},
		{"escaped key", stReq{path: admin + "/client%2Dcode%2D1"}, 200, `"name":"client-name-1"`},
		{"unknown parameter", stReq{path: admin + "?first=2"}, 400, "limit, after"},
		{"unknown after", stReq{path: admin + "?after=nope"}, 400, "nope"},
		{"JSON Patch", stReq{method: "PATCH", path: admin + "/client-code-1", header: map[string]string{"Content-Type": "application/json-patch+json"}, body: `[]`}, 415, "merge patch"},
		{"not JSON", stReq{method: "POST", path: admin, header: map[string]string{"Content-Type": "text/plain"}, body: `{}`}, 415, "application/json"},
		{"two values", stReq{method: "POST", path: admin, body: `{} {}`}, 400, "after the JSON value"},
		{"PUT an array", stReq{method: "PUT", path: admin + "/client-code-1", body: `[]`}, 400, "JSON object"},
		{"PATCH to a scalar", stReq{method: "PATCH", path: admin + "/client-code-1", body: `3`}, 400, "JSON object"},
		{"admin record breaking its GraphQL type", stReq{method: "POST", path: admin, body: `{"code":"c-9","name":5}`}, 400, `"pointer":"/name"`},
		{"wrong method on one record", stReq{method: "POST", path: admin + "/client-code-1"}, 405, ""},
		{"marketplace memberships (no schema)", stReq{path: "/__standin/apis/marketplace/collections"}, 200, `"name":"memberships"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.do(t, tc.req)
			if r.status != tc.status || !strings.Contains(string(r.body), tc.want) {
				t.Errorf("%s %s: %s, want %d with %s", tc.req.method, tc.req.path, r, tc.status, tc.want)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	// An admin client inserted through the data API is in allClients.
	if r := srv.do(t, stReq{method: "POST", path: admin, body: `{"code":"client-code-99","name":"client-name-99","group":"g","clientData":{"id":"cd-99","status":"ACTIVE","permissions":["READ"],"createdAt":"2026-01-01T00:00:00Z"}}`}); r.status != 201 {
		t.Fatalf("insert an admin client: %s", r)
	}
	r := srv.do(t, stReq{method: "POST", path: "/graphql", token: stAdmin, body: `{"query":"{ admin { allClients { edges { node { name } } } } }"}`})
	if !strings.Contains(string(r.body), "client-name-99") {
		t.Errorf("allClients lacks the inserted client: %s", r)
	}
}
