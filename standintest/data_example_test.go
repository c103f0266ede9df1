package standintest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin/standin/clock"
	"github.com/standin/standin/standintest"
)

// initech is a complete clients-v2 client (every field of the Client schema).
const initech = `{
  "id": "11111111-2222-4333-8444-555555555555",
  "name": "Initech",
  "status": "active",
  "partner": {"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "name": "TechPartner Inc."},
  "enrollment_token": null,
  "created_at": "2026-03-01T00:00:00.000Z",
  "updated_at": "2026-03-01T00:00:00.000Z"
}`

// fetch sends GET path with the admin token and decodes the JSON answer.
func fetch(srv *standintest.Server, path string) (int, map[string]any) {
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(body, &v)
	return resp.StatusCode, v
}

// Start with one more client; Reset keeps it, it is part of the start state.
func ExampleWithRecords() {
	srv := standintest.NewServer(standintest.WithRecords("clients-v2", "clients", initech))
	defer srv.Close()

	srv.Reset()
	status, client := fetch(srv, "/v2/clients/11111111-2222-4333-8444-555555555555")
	fmt.Println(status, client["name"])
	// Output: 200 Initech
}

// The same seed gives the same generated data.
func ExampleWithSeed() {
	first := func(seed uint64) string {
		srv := standintest.NewServer(standintest.WithSeed(seed))
		defer srv.Close()
		_, body := fetch(srv, "/v0/clients")
		c := body["client"].([]any)[1].(map[string]any) // client 1 is the page's
		return fmt.Sprint(c["last_name"], " ", c["first_name"])
	}
	again, a, b := first(7), first(7), first(8)
	fmt.Println(again == a, a == b)
	// Output: true false
}

// Cross clients-v0's limit of 100 requests per 15 minutes without sleeping.
func ExampleWithClock() {
	clk := clock.NewFake(time.Time{})
	srv := standintest.NewServer(standintest.WithClock(clk))
	defer srv.Close()

	var last int
	for range 101 {
		last, _ = fetch(srv, "/v0/clients")
	}
	fmt.Println("request 101:", last)
	clk.Advance(15 * time.Minute)
	status, _ := fetch(srv, "/v0/clients")
	fmt.Println("15 minutes later:", status)
	// Output:
	// request 101: 429
	// 15 minutes later: 200
}

// Keep headers and bodies in the journal, secrets redacted.
func ExampleWithJournalBodies() {
	srv := standintest.NewServer(standintest.WithJournalBodies())
	defer srv.Close()

	fetch(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50")
	r := srv.Requests(standintest.RequestFilter{Limit: 1})[0]
	fmt.Println(r.RequestHeader.Get("Authorization"))
	fmt.Println(strings.Contains(string(r.ResponseBody), "Acme Corporation"))
	// Output:
	// Bearer stan…
	// true
}

// Insert a client at run time: REST serves it at once; a record that breaks
// the schema is refused with a JSON pointer to the bad value.
func ExampleServer_Insert() {
	srv := standintest.NewServer()
	defer srv.Close()

	if err := srv.Insert("clients-v2", "clients", initech); err != nil {
		panic(err)
	}
	status, client := fetch(srv, "/v2/clients/11111111-2222-4333-8444-555555555555")
	fmt.Println(status, client["name"])

	err := srv.Insert("clients-v2", "clients", map[string]any{"id": "not-a-uuid"})
	fmt.Println(err != nil, strings.Contains(err.Error(), "/id"))
	// Output:
	// 200 Initech
	// true true
}

// Reset undoes every change: an inserted client is gone again.
func ExampleServer_Reset() {
	srv := standintest.NewServer()
	defer srv.Close()

	_ = srv.Insert("clients-v2", "clients", initech)
	srv.Reset()
	status, _ := fetch(srv, "/v2/clients/11111111-2222-4333-8444-555555555555")
	fmt.Println(status)
	// Output: 404
}

// Make a scenario sticky for one API.
func ExampleServer_SetScenario() {
	srv := standintest.NewServer()
	defer srv.Close()

	if err := srv.SetScenario("clients-v2", "server-error"); err != nil {
		panic(err)
	}
	status, _ := fetch(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50")
	fmt.Println(status)
	fmt.Println(srv.SetScenario("clients-v2", "bogus") != nil)
	// Output:
	// 500
	// true
}

// Clear the sticky scenario: the API answers normally again.
func ExampleServer_ClearScenario() {
	srv := standintest.NewServer(standintest.WithScenario("clients-v2", "not-found"))
	defer srv.Close()

	before, _ := fetch(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50")
	srv.ClearScenario("clients-v2")
	after, _ := fetch(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50")
	fmt.Println(before, after)
	// Output: 404 200
}

// List the requests that reached the mock, newest first.
func ExampleServer_Requests() {
	srv := standintest.NewServer()
	defer srv.Close()

	fetch(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50")
	fetch(srv, "/v2/clients/00000000-0000-4000-8000-000000000000")
	for _, r := range srv.Requests(standintest.RequestFilter{Operation: "getClient"}) {
		fmt.Println(r.Method, r.Path, r.Status, r.Token)
	}
	// Output:
	// GET /v2/clients/00000000-0000-4000-8000-000000000000 404 stan…
	// GET /v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50 200 stan…
}

// Verify how many requests hit an operation, like WireMock's verify.
func ExampleServer_CountRequests() {
	srv := standintest.NewServer()
	defer srv.Close()

	fetch(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50")
	fetch(srv, "/v0/clients")
	fmt.Println(srv.CountRequests(standintest.RequestFilter{Operation: "getClient"}))
	fmt.Println(srv.CountRequests(standintest.RequestFilter{API: "clients-v0", StatusClass: 2}))
	fmt.Println(srv.CountRequests(standintest.RequestFilter{Status: 500}))
	// Output:
	// 1
	// 1
	// 0
}

// Forget the requests so far.
func ExampleServer_ClearRequests() {
	srv := standintest.NewServer()
	defer srv.Close()

	fetch(srv, "/v0/clients")
	srv.ClearRequests()
	fmt.Println(srv.CountRequests(standintest.RequestFilter{}))
	// Output: 0
}

func TestInsertForms(t *testing.T) {
	type partner struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type client struct {
		ID              string  `json:"id"`
		Name            string  `json:"name"`
		Status          string  `json:"status"`
		Partner         partner `json:"partner"`
		EnrollmentToken *string `json:"enrollment_token"`
		CreatedAt       string  `json:"created_at"`
		UpdatedAt       string  `json:"updated_at"`
	}
	mk := func(id string) client {
		return client{ID: id, Name: "Struct Ltd.", Status: "active", Partner: partner{"b2c3d4e5-f6a7-8901-bcde-f12345678901", "TechPartner Inc."},
			CreatedAt: "2026-03-01T00:00:00.000Z", UpdatedAt: "2026-03-01T00:00:00.000Z"}
	}
	tests := []struct {
		name    string
		records []any
		ids     []string
		wantErr string
	}{
		{"struct", []any{mk("21111111-2222-4333-8444-555555555555")}, []string{"21111111-2222-4333-8444-555555555555"}, ""},
		{"bytes", []any{[]byte(initech)}, []string{"11111111-2222-4333-8444-555555555555"}, ""},
		{"array text and struct", []any{"[" + initech + "]", mk("31111111-2222-4333-8444-555555555555")},
			[]string{"11111111-2222-4333-8444-555555555555", "31111111-2222-4333-8444-555555555555"}, ""},
		{"all or none", []any{initech, initech}, nil, "exists already"},
		{"not JSON", []any{"{"}, nil, "not JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := standintest.Start(t)
			err := srv.Insert("clients-v2", "clients", tc.records...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if status, _ := fetch(srv, "/v2/clients/11111111-2222-4333-8444-555555555555"); status != 404 {
					t.Errorf("a refused insert left a record: %d", status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tc.ids {
				if status, _ := fetch(srv, "/v2/clients/"+id); status != 200 {
					t.Errorf("%s: %d", id, status)
				}
			}
		})
	}
	srv := standintest.Start(t)
	if err := srv.Insert("clients-v2", "nope", initech); err == nil {
		t.Error("unknown collection: no error")
	}
	if _, err := standintest.New(standintest.WithRecords("clients-v2", "clients", `{"id": 1}`)); err == nil || !strings.Contains(err.Error(), "WithRecords") {
		t.Errorf("bad WithRecords: %v", err)
	}
}
