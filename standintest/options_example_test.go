package standintest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/standin/standin/standintest"
)

// status sends GET path with the Bearer token (none when "") and returns
// the answer's status code.
func status(srv *standintest.Server, path, token string) int {
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// In a test, Start starts the mock, fails the test if it cannot start and
// closes it when the test ends. (Start needs the test's *testing.T, so
// this example is compiled but not run: TestStartExample runs the same
// function.)
func ExampleStart() {
	testClient := func(t *testing.T) {
		srv := standintest.Start(t, standintest.WithSeed(7))
		if got := status(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", standintest.AdminToken); got != 200 {
			t.Errorf("GET the page's client: %d", got)
		}
	}
	_ = testClient // func TestClient(t *testing.T) { … } in your tests
}

// TestStartExample runs ExampleStart's test function.
func TestStartExample(t *testing.T) {
	srv := standintest.Start(t, standintest.WithSeed(7))
	if got := status(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", standintest.AdminToken); got != 200 {
		t.Errorf("GET the page's client: %d", got)
	}
}

// New returns an error where NewServer panics and Start fails the test:
// here an unknown scenario name.
func ExampleNew() {
	_, err := standintest.New(standintest.WithScenario("admin", "bogus"))
	fmt.Println(err != nil)

	srv, err := standintest.New()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	fmt.Println(status(srv, "/__standin/health", ""))
	// Output:
	// true
	// 200
}

// NewServer starts a mock outside a test (an example, a main function);
// Close stops it.
func ExampleNewServer() {
	srv := standintest.NewServer()
	defer srv.Close()

	fmt.Println(status(srv, "/v0/clients", standintest.AdminToken), status(srv, "/v0/clients", ""))
	// Output: 200 401
}

// Client is an HTTP client for the server's URL.
func ExampleServer_Client() {
	srv := standintest.NewServer()
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/__standin/health")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output: 200 application/json
}

// Close shuts the server down: later requests fail.
func ExampleServer_Close() {
	srv := standintest.NewServer()
	url := srv.URL
	srv.Close()

	_, err := http.Get(url + "/__standin/health")
	fmt.Println(err != nil)
	// Output: true
}

// Handler serves the mock in process, without a socket: here through
// httptest.NewRecorder.
func ExampleServer_Handler() {
	srv := standintest.NewServer()
	defer srv.Close()

	req := httptest.NewRequest("GET", "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", nil)
	req.Header.Set("Authorization", "Bearer "+standintest.AdminToken)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output: 200
}

// With an admin token the control API (/__standin/) requires it; the APIs
// keep their own tokens.
func ExampleWithAdminToken() {
	srv := standintest.NewServer(standintest.WithAdminToken("s3cret"))
	defer srv.Close()

	fmt.Println(status(srv, "/__standin/apis", ""), status(srv, "/__standin/apis", "s3cret"))
	// Output: 401 200
}

// A configuration file, as mockserver --config reads it: the example file
// mounts marketplace under /mp.
func ExampleWithConfigFile() {
	srv := standintest.NewServer(standintest.WithConfigFile("../docs/standin.example.yaml"))
	defer srv.Close()

	fmt.Println(status(srv, "/mp/api/account/v2/companies/7480a312-916e-4739-b53a-7345bf3c6929", standintest.AdminToken))
	// Output: 200
}

// Generate more (or fewer) records of a collection: clients-v0 with 3
// generated clients besides the page's first one.
func ExampleWithCount() {
	srv := standintest.NewServer(standintest.WithCount("clients-v0", "clients", 3))
	defer srv.Close()

	_, body := fetch(srv, "/v0/clients")
	fmt.Println(len(body["client"].([]any)))
	// Output: 4
}

// Bound how long the timeout scenario holds a request before its 504, so
// that a test of a client's timeout handling stays fast.
func ExampleWithHoldCap() {
	srv := standintest.NewServer(standintest.WithHoldCap(50*time.Millisecond), standintest.WithScenario("clients-v0", "timeout"))
	defer srv.Close()

	start := time.Now()
	code := status(srv, "/v0/clients", standintest.AdminToken)
	fmt.Println(code, time.Since(start) >= 50*time.Millisecond, time.Since(start) < 10*time.Second)
	// Output: 504 true true
}

// The journal keeps the last n requests.
func ExampleWithJournalSize() {
	srv := standintest.NewServer(standintest.WithJournalSize(2))
	defer srv.Close()

	for range 3 {
		status(srv, "/v0/clients", standintest.AdminToken)
	}
	fmt.Println(len(srv.Requests(standintest.RequestFilter{})))
	// Output: 2
}

// Give an API a rate limit per token (or change the documented one):
// here clients-v2 allows 2 requests a minute.
func ExampleWithRateLimit() {
	srv := standintest.NewServer(standintest.WithRateLimit("clients-v2", 2, time.Minute))
	defer srv.Close()

	for range 3 {
		fmt.Print(status(srv, "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", standintest.AdminToken), " ")
	}
	fmt.Println()
	// Output: 200 200 429
}
