package external_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/standin/standin/clock"
	"github.com/standin/standin/standintest"
)

const clientID = "11111111-2222-4333-8444-555555555555"

// newClient is a clients-v2 client with every field the Client schema
// requires.
var newClient = map[string]any{
	"id":               clientID,
	"name":             "Initech",
	"status":           "active",
	"partner":          map[string]any{"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "name": "TechPartner Inc."},
	"enrollment_token": nil,
	"created_at":       "2026-03-01T00:00:00.000Z",
	"updated_at":       "2026-03-01T00:00:00.000Z",
}

func get(t *testing.T, srv *standintest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// Insert a client through standintest, read it through REST, and verify
// with the count API that exactly one request hit getClient.
func TestInsertReadAndVerify(t *testing.T) {
	srv := standintest.Start(t)
	if err := srv.Insert("clients-v2", "clients", newClient); err != nil {
		t.Fatalf("Insert: %v", err)
	}

	resp, body := get(t, srv, "/v2/clients/"+clientID)
	var got struct {
		ID, Name string
		Partner  struct{ Name string }
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("GET /v2/clients/%s: %v: %s", clientID, err, body)
	}
	if resp.StatusCode != 200 || got.ID != clientID || got.Name != "Initech" || got.Partner.Name != "TechPartner Inc." {
		t.Fatalf("GET /v2/clients/%s: %d %s", clientID, resp.StatusCode, body)
	}

	// The count API over HTTP, as any client would ask it…
	resp, body = get(t, srv, "/__standin/requests/count?operation=getClient")
	var count struct{ Count int }
	if err := json.Unmarshal(body, &count); err != nil || resp.StatusCode != 200 {
		t.Fatalf("count API: %d %s", resp.StatusCode, body)
	}
	if count.Count != 1 {
		t.Errorf("count API: %d requests hit getClient, want exactly 1", count.Count)
	}
	// …and the same filter through standintest.
	if n := srv.CountRequests(standintest.RequestFilter{Operation: "getClient", Path: "/v2/clients/" + clientID, Status: 200}); n != 1 {
		t.Errorf("CountRequests: %d, want 1", n)
	}

	// Reset removes the client again.
	srv.Reset()
	if resp, _ := get(t, srv, "/v2/clients/"+clientID); resp.StatusCode != 404 {
		t.Errorf("after Reset: %d, want 404", resp.StatusCode)
	}
}

// Cross clients-v0's limit of 100 requests per 15 minutes with the public
// fake clock, without sleeping.
func TestRateLimitWithFakeClock(t *testing.T) {
	clk := clock.NewFake(time.Time{})
	srv := standintest.Start(t, standintest.WithClock(clk))

	for i := 1; i <= 100; i++ {
		if resp, body := get(t, srv, "/v0/clients"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
	}
	resp, _ := get(t, srv, "/v0/clients")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "900" {
		t.Fatalf("request 101: %d Retry-After %q, want 429 and 900", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	clk.Advance(14*time.Minute + 59*time.Second)
	if resp, _ := get(t, srv, "/v0/clients"); resp.StatusCode != 429 {
		t.Fatalf("one second before the window ends: %d, want 429", resp.StatusCode)
	}
	clk.Advance(time.Second)
	resp, _ = get(t, srv, "/v0/clients")
	if resp.StatusCode != 200 || resp.Header.Get("RateLimit-Remaining") != "99" {
		t.Fatalf("after the window: %d RateLimit-Remaining %q, want 200 and 99", resp.StatusCode, resp.Header.Get("RateLimit-Remaining"))
	}
	if n := srv.CountRequests(standintest.RequestFilter{Operation: "listClients", Status: 429}); n != 2 {
		t.Errorf("%d requests were refused, want 2", n)
	}
}
