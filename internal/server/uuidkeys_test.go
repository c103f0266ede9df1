package server

import (
	"strconv"
	"strings"
	"testing"
)

// TestUUIDKeysAgree: REST, GraphQL lookups and mutations by id and the
// data API agree that an upper-case UUID is the record of its lower-case
// form (one UUID, one record), and that the stored id is lower case.
func TestUUIDKeysAgree(t *testing.T) {
	srv := stStart(t, nil)
	const company = "7480a312-916e-4739-b53a-7345bf3c6929"
	const deletable = "0438bc88-bd79-40be-bc89-93d27b5773eb"
	up := strings.ToUpper
	gql := func(q string) stReq {
		return stReq{method: "POST", path: "/api/graphql", token: stAdmin, body: `{"query":` + strconv.Quote(q) + `}`}
	}
	steps := []struct {
		name   string
		req    stReq
		status int
		has    []string
	}{
		{"REST get by upper case", stReq{path: "/api/account/v2/companies/" + up(company), token: stAdmin}, 200, []string{`"id":"` + company + `"`}},
		{"GraphQL lookup by upper case", gql(`{ account(id: "` + up(company) + `") { id } }`), 200, []string{`{"data":{"account":{"id":"` + company + `"}}}`}},
		{"data API get by upper case", stReq{path: "/__standin/apis/marketplace/collections/accounts/records/" + up(company)}, 200, []string{`"id":"` + company + `"`}},
		{"data API: the upper-case twin is 409", stReq{method: "POST", path: stRecords, body: stClientJSON(up(stAcme), "Twin")}, 409,
			[]string{`"pointer":"/id"`, `"value":"` + stAcme + `"`}},
		{"data API: insert in upper case", stReq{method: "POST", path: stRecords, body: stClientJSON(up(stNewClient), "Initech")}, 201,
			[]string{`"id":"` + stNewClient + `"`}},
		{"REST sees it by either case", stReq{path: "/v2/clients/" + up(stNewClient), token: stAdmin}, 200, []string{`"id":"` + stNewClient + `"`, "Initech"}},
		{"data API patch by upper case", stReq{method: "PATCH", path: stRecords + "/" + up(stNewClient), body: `{"name":"Initrode"}`}, 200, []string{"Initrode"}},
		{"data API delete by upper case", stReq{method: "DELETE", path: stRecords + "/" + up(stNewClient)}, 204, nil},
		{"gone for REST", stReq{path: "/v2/clients/" + stNewClient, token: stAdmin}, 404, nil},
		{"GraphQL delete by upper case", gql(`mutation { deleteAccount(input: {accountId: "` + up(deletable) + `"}) { success } }`), 200,
			[]string{`{"data":{"deleteAccount":{"success":true}}}`}},
		{"deleted for REST", stReq{path: "/api/account/v2/companies/" + deletable, token: stAdmin}, 404, nil},
	}
	for _, st := range steps {
		r := srv.do(t, st.req)
		if r.status != st.status {
			t.Errorf("%s: %s", st.name, r)
			continue
		}
		for _, h := range st.has {
			if !strings.Contains(string(r.body), h) {
				t.Errorf("%s: %s lacks %s", st.name, r.body, h)
			}
		}
	}
}

// TestDataAPIImpossibleDates: the data API refuses a date the calendar
// does not have, naming its pointer, in the control API's error shape.
func TestDataAPIImpossibleDates(t *testing.T) {
	srv := stStart(t, nil)
	body := strings.Replace(stClientJSON(stNewClient, "Initech"), `"created_at":"2026-03-01T00:00:00.000Z"`, `"created_at":"2023-02-29T00:00:00.000Z"`, 1)
	r := srv.do(t, stReq{method: "POST", path: stRecords, body: body})
	if r.status != 400 || !strings.Contains(string(r.body), `"pointer":"/created_at"`) || !strings.Contains(string(r.body), "February 2023 has 28 days, not 29") {
		t.Errorf("POST: %s", r)
	}
	leap := strings.Replace(stClientJSON(stNewClient, "Initech"), `"created_at":"2026-03-01T00:00:00.000Z"`, `"created_at":"2024-02-29T00:00:00.000Z"`, 1)
	if r := srv.do(t, stReq{method: "POST", path: stRecords, body: leap}); r.status != 201 {
		t.Errorf("leap day: %s", r)
	}
	if r := srv.do(t, stReq{method: "PATCH", path: stRecords + "/" + stNewClient, body: `{"updated_at":"2024-04-31T10:00:00Z"}`}); r.status != 400 ||
		!strings.Contains(string(r.body), `"pointer":"/updated_at"`) {
		t.Errorf("PATCH: %s", r)
	}
}
