package standintest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/standin/standin/clock"
	"github.com/standin/standin/standintest"
)

// Start a mock, read the page's example client with a bundled token.
func Example() {
	srv := standintest.NewServer(standintest.WithSeed(1))
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", nil)
	req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var client struct {
		Name    string
		Partner struct{ Name string }
	}
	_ = json.NewDecoder(resp.Body).Decode(&client)
	fmt.Println(resp.StatusCode, client.Name, "/", client.Partner.Name)
	// Output: 200 Acme Corporation / TechPartner Inc.
}

// A sticky scenario from the start: every clients-v0 request fails with the
// page's 429.
func ExampleWithScenario() {
	srv := standintest.NewServer(standintest.WithScenario("clients-v0", "rate-limited"))
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/v0/clients", nil)
	req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), body["error"])
	// Output: 429 900 Too many requests, please try again later
}

func get(t *testing.T, srv *standintest.Server, path, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestOptions(t *testing.T) {
	clk := clock.NewFake(time.Time{})
	srv := standintest.Start(t,
		standintest.WithClock(clk),
		standintest.WithRateLimit("clients-v2", 2, time.Minute),
		standintest.WithAdminToken("s3cret"),
		standintest.WithJournalSize(3),
		standintest.WithCount("clients-v0", "clients", 4),
	)
	const acme = "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"
	for i, want := range []int{200, 200, 429} {
		if resp := get(t, srv, acme, standintest.AdminToken); resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	clk.Advance(time.Minute)
	if resp := get(t, srv, acme, standintest.AdminToken); resp.StatusCode != 200 {
		t.Errorf("after the fake clock moved: %d", resp.StatusCode)
	}
	if resp := get(t, srv, "/__standin/apis", ""); resp.StatusCode != 401 {
		t.Errorf("control without token: %d", resp.StatusCode)
	}
	if resp := get(t, srv, "/__standin/apis", "s3cret"); resp.StatusCode != 200 {
		t.Errorf("control with token: %d", resp.StatusCode)
	}
	// Reset: rate limits back to the start.
	get(t, srv, acme, standintest.AdminToken)
	get(t, srv, acme, standintest.AdminToken)
	srv.Reset()
	if resp := get(t, srv, acme, standintest.AdminToken); resp.StatusCode != 200 {
		t.Errorf("after Reset: %d", resp.StatusCode)
	}
	// Handler serves in process.
	if srv.Handler() == nil {
		t.Error("no handler")
	}
}

func TestConfigFileAndErrors(t *testing.T) {
	if _, err := standintest.New(standintest.WithConfigFile("/nonexistent.yaml")); err == nil {
		t.Error("missing config file: no error")
	}
	if _, err := standintest.New(standintest.WithScenario("admin", "bogus")); err == nil {
		t.Error("unknown scenario: no error")
	}
	srv := standintest.Start(t, standintest.WithConfigFile("../docs/standin.example.yaml"), standintest.WithHoldCap(time.Millisecond))
	if resp := get(t, srv, "/mp/api/account/v2/companies/7480a312-916e-4739-b53a-7345bf3c6929", standintest.AdminToken); resp.StatusCode != 200 {
		t.Errorf("prefix from the file: %d", resp.StatusCode)
	}
}
