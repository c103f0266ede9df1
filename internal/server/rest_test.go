package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/internal/config"
)

// The page examples, verbatim (seeds/003_27da06030687fc14.txt, 002_…).
const (
	stPageV2Acme = `{
"id": "aa7cf840-9ca9-46a3-9778-9015d6580d50",
"name": "Acme Corporation",
"status": "active",
"partner": {
"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901",
"name": "TechPartner Inc."
},
"enrollment_token": {
"id": "e1f2a3b4-c5d6-7890-abcd-ef1234567890",
"value": "enroll_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6",
"description": "Default enrollment token",
"site_id": null,
"status": "active",
"max_uses": null,
"remaining_uses": null,
"expires_at": null,
"created_at": "2026-01-15T10:00:00.000Z"
},
"created_at": "2025-06-01T00:00:00.000Z",
"updated_at": "2026-02-20T12:00:00.000Z"
}`
	stPageV2NoToken = `{
"id": "aa7cf840-9ca9-46a3-9778-9015d6580d50",
"name": "Acme Corporation",
"status": "active",
"partner": {
"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901",
"name": "TechPartner Inc."
},
"enrollment_token": null,
"created_at": "2025-06-01T00:00:00.000Z",
"updated_at": "2026-02-20T12:00:00.000Z"
}`
	stPageV0Client1 = `{
      "client_id": 1,
      "last_name": "Иванов",
      "created_at": "2024-10-10T18:36:47Z",
      "first_name": "Иван",
      "patronymic": "Иванович",
      "phone_number": "79174236278",
      "email_address": "Og0rB@example.com",
      "profile_picture_url": "https://example.com/profile_picture.jpg"
    }`
	stAcmeID      = "aa7cf840-9ca9-46a3-9778-9015d6580d50"
	stAcmeNoToken = "aa7cf840-9ca9-46a3-9778-9015d6580d51"
	stNorthwindID = "3f6d2c1e-8b4a-4c7e-9d2f-1a5b6c7d8e90"
	stCompanyOne  = "7480a312-916e-4739-b53a-7345bf3c6929"
)

func TestClientsV2PageExamples(t *testing.T) {
	srv := stStart(t, nil)
	noToken := stJSON(t, stPageV2NoToken).(map[string]any)
	noToken["id"] = stAcmeNoToken
	tests := []struct {
		name string
		id   string
		want any
	}{
		{"example response", stAcmeID, stJSON(t, stPageV2Acme)},
		{"client with no enrollment token", stAcmeNoToken, noToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.do(t, stReq{path: "/v2/clients/" + tc.id, token: stAdmin})
			if r.status != http.StatusOK {
				t.Fatalf("status %s", r)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			stSameJSON(t, r, tc.want)
			// enrollment_token must be present as an explicit null, not left out.
			if tc.id == stAcmeNoToken && !bytes.Contains(r.body, []byte(`"enrollment_token":null`)) {
				t.Errorf("enrollment_token is not an explicit null: %s", r.body)
			}
		})
	}
}

func TestClientsV0List(t *testing.T) {
	srv := stStart(t, nil)
	r := srv.do(t, stReq{path: "/v0/clients", token: stAdmin})
	if r.status != http.StatusOK {
		t.Fatalf("status %s", r)
	}
	var body struct {
		Success bool              `json:"success"`
		Client  []json.RawMessage `json:"client"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if !body.Success || len(body.Client) < 50 {
		t.Fatalf("success=%v, %d clients; want true and at least 50", body.Success, len(body.Client))
	}
	want := stJSON(t, stPageV0Client1)
	found := false
	for _, c := range body.Client {
		var v any
		_ = json.Unmarshal(c, &v)
		if m, _ := v.(map[string]any); m["client_id"] == float64(1) {
			found = true
			stSameJSON(t, stResp{body: c}, want)
		}
	}
	if !found {
		t.Error("client 1 of page 002 is missing")
	}

	for _, tc := range []struct {
		name, token string
	}{{"no token", ""}, {"unknown token", "nope"}} {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.do(t, stReq{path: "/v0/clients", token: tc.token})
			if r.status != http.StatusUnauthorized {
				t.Fatalf("status %s", r)
			}
			stSameJSON(t, r, stJSON(t, `{"success": false, "error": "Unauthorized"}`))
		})
	}
}

func TestMarketplaceCompanyByIDAndExternalID(t *testing.T) {
	srv := stStart(t, nil)
	byID := srv.do(t, stReq{path: "/api/account/v2/companies/" + stCompanyOne, token: stAdmin})
	byExt := srv.do(t, stReq{path: "/api/account/v2/companies/externalID:c333333", token: stAdmin})
	if byID.status != 200 || byExt.status != 200 {
		t.Fatalf("by id %s; by external id %s", byID, byExt)
	}
	if !bytes.Equal(byID.body, byExt.body) {
		t.Errorf("different companies:\n%s\n%s", byID.body, byExt.body)
	}
	if m := byID.json(t).(map[string]any); m["name"] != "Customer Company One" || m["externalId"] != "c333333" {
		t.Errorf("company %v", m)
	}
	for _, tc := range []struct{ name, path string }{
		{"unknown uuid", "/api/account/v2/companies/00000000-0000-4000-8000-000000000000"},
		{"not a uuid", "/api/account/v2/companies/zzz"},
		{"unknown external id", "/api/account/v2/companies/externalID:nope"},
		{"external id is case-sensitive", "/api/account/v2/companies/externalID:C333333"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.do(t, stReq{path: tc.path, token: stAdmin})
			if r.status != http.StatusNotFound {
				t.Fatalf("status %s", r)
			}
			m := r.json(t).(map[string]any)
			if m["code"] != "NOT_FOUND" || m["message"] == "" || len(m) != 2 {
				t.Errorf("404 body not in the marketplace shape {code, message}: %s", r.body)
			}
		})
	}
}

func TestClientsV2Permissions(t *testing.T) {
	srv := stStart(t, nil)
	forbidden := stJSON(t, `{"error": {"code": "forbidden", "message": "Insufficient permissions for this client"}}`)
	tests := []struct {
		name, token, id string
		status          int
	}{
		{"partner reads its own client", stPartner, stAcmeID, 200},
		{"partner reads its own client without token", stPartner, stAcmeNoToken, 200},
		{"partner reads another partner's client", stPartner, stNorthwindID, 403},
		{"readonly reads acme", stReadonly, stAcmeID, 403},
		{"readonly reads northwind", stReadonly, stNorthwindID, 403},
		{"admin reads northwind", stAdmin, stNorthwindID, 200},
		{"unknown id", stAdmin, "00000000-0000-4000-8000-000000000000", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.do(t, stReq{path: "/v2/clients/" + tc.id, token: tc.token})
			if r.status != tc.status {
				t.Fatalf("status %s, want %d", r, tc.status)
			}
			switch tc.status {
			case 200:
				if m := r.json(t).(map[string]any); m["id"] != tc.id {
					t.Errorf("got client %v", m["id"])
				}
			case 403:
				stSameJSON(t, r, forbidden)
			case 404:
				stSameJSON(t, r, stJSON(t, `{"error": {"code": "not_found", "message": "Client not found"}}`))
			}
		})
	}
}

// TestDeniedStatusFollowsContract: a valid token without the permission
// gets the status the operation's contract gives it: clients-v0 documents
// 401 for missing permissions and no 403 (its page), so 401 with the
// page's body; an operation documenting 403 keeps 403.
func TestDeniedStatusFollowsContract(t *testing.T) {
	srv := stStart(t, nil)
	ss := stLoadSpecs(t)
	for _, tc := range []struct {
		api, op, path string
		status        int
	}{
		{"clients-v0", "listClients", "/v0/clients", 401},
		{"marketplace", "listCompanies", "/api/account/v2/companies", 403},
	} {
		r := srv.do(t, stReq{path: tc.path, token: "standin-noaccess"})
		if r.status != tc.status {
			t.Errorf("%s: status %s, want %d", tc.path, r, tc.status)
			continue
		}
		if err := ss.validate(t, tc.api, tc.op, tc.path, nil, r); err != nil {
			t.Errorf("%s: the answer does not match %s's spec: %v\n%s", tc.path, tc.api, err, r.body)
		}
	}
}

// stReadPaths are requests whose whole bodies the determinism test compares.
var stReadPaths = []struct{ name, path string }{
	{"clients-v0-list", "/v0/clients"},
	{"clients-v2-acme", "/v2/clients/" + stAcmeID},
	{"marketplace-list", "/api/account/v2/companies"},
	{"marketplace-list-page1", "/api/account/v2/companies?page=1&size=7"},
	{"marketplace-company-one", "/api/account/v2/companies/" + stCompanyOne},
	{"marketplace-external-c333333", "/api/account/v2/companies/externalID:c333333"},
}

func TestDeterministicData(t *testing.T) {
	a := stStart(t, nil)
	b := stStart(t, nil)
	other := stStart(t, func(c *config.Config) { c.Seed = 42 })
	for _, p := range stReadPaths {
		t.Run(p.name, func(t *testing.T) {
			ra := a.do(t, stReq{path: p.path, token: stAdmin})
			rb := b.do(t, stReq{path: p.path, token: stAdmin})
			if ra.status != 200 {
				t.Fatalf("status %s", ra)
			}
			if !bytes.Equal(ra.body, rb.body) {
				t.Errorf("same seed, different bodies:\n%s\n%s", ra.body, rb.body)
			}
			stGolden(t, "seed1-"+p.name, ra.body)
		})
	}
	// A generated record comes out of another seed changed, and the
	// pages' own records stay exactly as they are.
	t.Run("other seed", func(t *testing.T) {
		for _, p := range []string{"/v0/clients", "/api/account/v2/companies?size=100"} {
			ra := a.do(t, stReq{path: p, token: stAdmin})
			ro := other.do(t, stReq{path: p, token: stAdmin})
			if bytes.Equal(ra.body, ro.body) {
				t.Errorf("%s: seed 42 gives the same body as seed 1", p)
			}
		}
		for _, p := range []string{"/v2/clients/" + stAcmeID, "/v2/clients/" + stAcmeNoToken, "/v2/clients/" + stNorthwindID,
			"/api/account/v2/companies/" + stCompanyOne, "/api/account/v2/companies/externalID:c333333"} {
			ra := a.do(t, stReq{path: p, token: stAdmin})
			ro := other.do(t, stReq{path: p, token: stAdmin})
			if ro.status != 200 || !bytes.Equal(ra.body, ro.body) {
				t.Errorf("%s: fixture record changed with the seed:\n%s\n%s", p, ra, ro)
			}
		}
		// Client 1 of page 002 is in the list under every seed.
		ro := other.do(t, stReq{path: "/v0/clients", token: stAdmin})
		var body struct{ Client []map[string]any }
		_ = json.Unmarshal(ro.body, &body)
		if len(body.Client) == 0 || body.Client[0]["client_id"] != float64(1) || body.Client[0]["email_address"] != "Og0rB@example.com" {
			t.Errorf("seed 42: page 002's client 1 is not first and intact: %v", body.Client[:min(1, len(body.Client))])
		}
	})
}

// TestRESTResponsesMatchSpecs renders every REST operation's documented
// responses and validates each against the API's OpenAPI document.
func TestRESTResponsesMatchSpecs(t *testing.T) {
	ss := stLoadSpecs(t)
	type op struct {
		api, id, path string
		params        map[string]string
		unknown       string // a path with an id that names nothing; "" if none
		badParams     string // a path with bad query parameters; "" if none
		forbidden     string // a token that gets a real 403; "" if none
		forbiddenPath string
	}
	ops := []op{
		{api: "clients-v0", id: "listClients", path: "/v0/clients"},
		{api: "clients-v2", id: "getClient", path: "/v2/clients/" + stAcmeID, params: map[string]string{"client_id": stAcmeID},
			unknown: "/v2/clients/00000000-0000-4000-8000-000000000000", forbidden: stPartner, forbiddenPath: "/v2/clients/" + stNorthwindID},
		{api: "marketplace", id: "listCompanies", path: "/api/account/v2/companies", badParams: "/api/account/v2/companies?size=0"},
		{api: "marketplace", id: "getCompany", path: "/api/account/v2/companies/" + stCompanyOne, params: map[string]string{"companyUuid": stCompanyOne},
			unknown: "/api/account/v2/companies/00000000-0000-4000-8000-000000000000"},
		{api: "marketplace", id: "getCompanyByExternalId", path: "/api/account/v2/companies/externalID:c333333", params: map[string]string{"externalId": "c333333"},
			unknown: "/api/account/v2/companies/externalID:nope"},
	}
	srv := stStart(t, func(c *config.Config) { c.HoldCap = 1 }) // 1ns: the timeout scenario answers 504 at once
	for _, o := range ops {
		type tc struct {
			name, path, token string
			header            map[string]string
			status            int
		}
		cases := []tc{
			{"success", o.path, stAdmin, nil, 200},
			{"no token", o.path, "", nil, 401},
			{"bad token", o.path, "wrong", nil, 401},
			{"scenario forbidden", o.path, stAdmin, map[string]string{"X-Standin-Scenario": "forbidden"}, 403},
			{"scenario not-found", o.path, stAdmin, map[string]string{"X-Standin-Scenario": "not-found"}, 404},
			{"scenario rate-limited", o.path, stAdmin, map[string]string{"X-Standin-Scenario": "rate-limited"}, 429},
			{"scenario server-error", o.path, stAdmin, map[string]string{"X-Standin-Scenario": "server-error"}, 500},
			{"scenario timeout", o.path, stAdmin, map[string]string{"X-Standin-Scenario": "timeout"}, 504},
			{"scenario unauthorized", o.path, stAdmin, map[string]string{"X-Standin-Scenario": "unauthorized"}, 401},
		}
		if o.id == "listCompanies" {
			// marketplace's not-found scenario names only the lookups.
			cases[4].status = 200
		}
		if o.unknown != "" {
			cases = append(cases, tc{"unknown id", o.unknown, stAdmin, nil, 404})
		}
		if o.badParams != "" {
			cases = append(cases, tc{"bad params", o.badParams, stAdmin, nil, 400},
				tc{"bad params negative page", "/api/account/v2/companies?page=-1", stAdmin, nil, 400},
				tc{"bad params size too big", "/api/account/v2/companies?size=101", stAdmin, nil, 400})
		}
		if o.forbidden != "" {
			cases = append(cases, tc{"real forbidden", o.forbiddenPath, o.forbidden, nil, 403})
		}
		for _, c := range cases {
			t.Run(o.id+"/"+c.name, func(t *testing.T) {
				r := srv.do(t, stReq{path: c.path, token: c.token, header: c.header})
				if r.status != c.status {
					t.Fatalf("status %s, want %d", r, c.status)
				}
				if err := ss.validate(t, o.api, o.id, c.path, o.params, r); err != nil {
					t.Errorf("response does not match %s's spec: %v\n%s\nheaders %v", o.api, err, r.body, r.header)
				}
				if c.status == 429 && r.header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				if c.status == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
	}
	// The real rate limit of clients-v0 renders in the spec's 429 too.
	t.Run("listClients/real rate limit", func(t *testing.T) {
		srv := stStart(t, func(c *config.Config) {
			c.APIs = map[string]config.API{"clients-v0": {RateLimit: stLimit(1, 15*time.Minute)}}
		})
		srv.do(t, stReq{path: "/v0/clients", token: stAdmin})
		r := srv.do(t, stReq{path: "/v0/clients", token: stAdmin})
		if r.status != 429 {
			t.Fatalf("status %s", r)
		}
		if err := ss.validate(t, "clients-v0", "listClients", "/v0/clients", nil, r); err != nil {
			t.Errorf("429 does not match the spec: %v", err)
		}
	})
}

func TestUnknownPathAndWrongMethod(t *testing.T) {
	srv := stStart(t, nil)
	tests := []struct {
		name, method, path string
		status             int
		allow              string
	}{
		{"unknown path", "GET", "/nope", 404, ""},
		{"unknown path under an API", "GET", "/v0/clients/1", 404, ""},
		{"post on clients-v0", "POST", "/v0/clients", 405, "GET"},
		{"delete on clients-v2", "DELETE", "/v2/clients/" + stAcmeID, 405, "GET"},
		{"put on companies", "PUT", "/api/account/v2/companies", 405, "GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.do(t, stReq{method: tc.method, path: tc.path, token: stAdmin})
			if r.status != tc.status {
				t.Fatalf("status %s, want %d", r, tc.status)
			}
			m, ok := r.json(t).(map[string]any)
			switch {
			case !ok:
				t.Errorf("body is not an object: %s", r.body)
			case tc.status == 405:
				// In the API's own error shape, naming the problem.
				if !strings.Contains(string(r.body), "Method not allowed") || (m["error"] == nil && m["code"] == nil) {
					t.Errorf("405 body not in the API's shape: %s", r.body)
				}
			case m["error"] == nil:
				t.Errorf("body has no error: %s", r.body)
			}
			if tc.allow != "" && !strings.Contains(r.header.Get("Allow"), tc.allow) {
				t.Errorf("Allow %q, want it to contain %s", r.header.Get("Allow"), tc.allow)
			}
			// Outside every API the 404 lists the served paths; inside one
			// it is in that API's shape, its message naming the API's paths.
			if tc.status == 404 && !strings.Contains(fmt.Sprint(m["apis"]), "/v0/clients") && !strings.Contains(fmt.Sprint(m["error"]), "GET /v0/clients") {
				t.Errorf("404 does not list the served paths: %s", r.body)
			}
		})
	}
}
