package control_test

import (
	"fmt"
	"net/http"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/standin/standin/internal/control"
	"github.com/standin/standin/internal/journal"
)

// curlBackend holds the entries of the curl tests, by their seq.
func curlBackend(t *testing.T) (*fakeBackend, map[string]uint64) {
	t.Helper()
	b := newBackend(t)
	b.j = journal.New(10)
	seqs := map[string]uint64{}
	add := func(name string, e journal.Entry) { seqs[name] = b.j.Begin(e) }
	add("get", journal.Entry{Method: "GET", Path: "/v0/clients", Query: "limit=2", RequestID: "r-get",
		Heads: journal.HeadsOf(http.Header{"Authorization": {"Bearer standin-admin"}, "Accept": {"application/json"}, "Accept-Encoding": {"gzip"}, "Content-Length": {"0"}}, nil)})
	add("unknown token", journal.Entry{Method: "GET", Path: "/v0/clients", RequestID: "r-unknown",
		Heads: journal.HeadsOf(http.Header{"Authorization": {"Bearer my-real-secret"}}, nil)})
	add("post without body", journal.Entry{Method: "POST", Path: "/graphql", RequestID: "r-post",
		Heads: journal.HeadsOf(http.Header{"Content-Type": {"application/json"}, "Content-Length": {"17"}}, nil)})
	body := `{"query":"{ it's }"}`
	add("post with body", journal.Entry{Method: "POST", Path: "/graphql", Query: "access_token=abcdefghijkl",
		Request: &journal.Message{Headers: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)},
		Heads:   journal.HeadsOf(http.Header{"Content-Type": {"application/json"}, "X-Api-Key": {"standin-admin"}}, nil)})
	add("head", journal.Entry{Method: "HEAD", Path: "/v2/clients/a b"})
	return b, seqs
}

func TestCurl(t *testing.T) {
	known := func(tok string) bool { return tok == "standin-admin" }
	tests := []struct {
		name   string
		entry  string // the seq of this entry; or path as is
		path   string
		opts   control.Options
		status int
		curl   string
		notes  []string
	}{
		{name: "a GET with a mock token", entry: "get", opts: control.Options{KnownToken: known}, status: 200,
			curl: `curl 'http://mock.test/v0/clients?limit=2' -H 'Accept: application/json' -H 'Authorization: Bearer standin-admin'`, notes: []string{}},
		{name: "the request id checked", entry: "get", path: "?requestId=r-get", opts: control.Options{KnownToken: known}, status: 200,
			curl: `curl 'http://mock.test/v0/clients?limit=2' -H 'Accept: application/json' -H 'Authorization: Bearer standin-admin'`, notes: []string{}},
		{name: "without KnownToken every secret is cut", entry: "get", status: 200,
			curl:  `curl 'http://mock.test/v0/clients?limit=2' -H 'Accept: application/json' -H 'Authorization: Bearer stan…'`,
			notes: []string{"Authorization is not one of the mock's tokens: cut as in the journal"}},
		{name: "a token the mock does not know", entry: "unknown token", opts: control.Options{KnownToken: known}, status: 200,
			curl:  `curl http://mock.test/v0/clients -H 'Authorization: Bearer my-r…'`,
			notes: []string{"Authorization is not one of the mock's tokens: cut as in the journal"}},
		{name: "a body not kept", entry: "post without body", status: 200,
			curl:  `curl -X POST http://mock.test/graphql -H 'Content-Type: application/json'`,
			notes: []string{"the request's body was not kept: start the mock with journalBodies: true in its configuration file to replay bodies"}},
		{name: "a kept body, a key header, a secret query", entry: "post with body", opts: control.Options{KnownToken: known}, status: 200,
			curl:  `curl -X POST 'http://mock.test/graphql?access_token=abcd%E2%80%A6' -H 'Content-Type: application/json' -H 'X-Api-Key: standin-admin' --data-raw '{"query":"{ it'\''s }"}'`,
			notes: []string{"query values that look like secrets are cut as in the journal"}},
		{name: "HEAD, a path to escape", entry: "head", status: 200,
			curl: `curl --head http://mock.test/v2/clients/a%20b`, notes: []string{"the journal kept no headers of this request"}},
		{name: "another request id", entry: "get", path: "?requestId=r-other", status: 404},
		{name: "dropped or never given", path: "/__standin/requests/99/curl", status: 404},
		{name: "not a number", path: "/__standin/requests/x/curl", status: 400},
		{name: "zero", path: "/__standin/requests/0/curl", status: 400},
		{name: "unknown parameter", entry: "get", path: "?id=1", status: 400},
		{name: "token required, missing", entry: "get", opts: control.Options{AdminToken: "s3cret", RequireToken: true}, status: 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, seqs := curlBackend(t)
			path := tc.path
			if tc.entry != "" {
				path = fmt.Sprintf("/__standin/requests/%d/curl%s", seqs[tc.entry], tc.path)
			}
			req := call{method: "GET", path: path}
			h := control.New(b, tc.opts)
			resp, body := doHost(t, h, req, "mock.test")
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, body)
			}
			if tc.status != 200 {
				if _, ok := body["error"].(string); !ok {
					t.Errorf("error body %v", body)
				}
				return
			}
			if body["curl"] != tc.curl {
				t.Errorf("curl\n got %s\nwant %s", body["curl"], tc.curl)
			}
			var notes []string
			for _, n := range body["notes"].([]any) {
				notes = append(notes, n.(string))
			}
			if notes == nil {
				notes = []string{}
			}
			if !reflect.DeepEqual(notes, tc.notes) {
				t.Errorf("notes %q, want %q", notes, tc.notes)
			}
		})
	}
}

// TestCurlLineIsOneShellCommand: the line's words reach curl as meant
// (quotes inside a body included), run by sh with curl replaced by a
// function that prints its arguments.
func TestCurlLineIsOneShellCommand(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine to run the line")
	}
	b, seqs := curlBackend(t)
	h := control.New(b, control.Options{KnownToken: func(s string) bool { return s == "standin-admin" }})
	_, body := doHost(t, h, call{method: "GET", path: fmt.Sprintf("/__standin/requests/%d/curl", seqs["post with body"])}, "mock.test")
	out, err := exec.Command(sh, "-c", `curl() { for a in "$@"; do printf '%s\n' "$a"; done; }; `+body["curl"].(string)).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-X", "POST", "http://mock.test/graphql?access_token=abcd%E2%80%A6", "-H", "Content-Type: application/json",
		"-H", "X-Api-Key: standin-admin", "--data-raw", `{"query":"{ it's }"}`}
	if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !reflect.DeepEqual(got, want) {
		t.Fatalf("arguments\n got %q\nwant %q", got, want)
	}
}

func doHost(t *testing.T, h http.Handler, c call, host string) (*http.Response, map[string]any) {
	t.Helper()
	return do(t, hostHandler{h, host}, c)
}

// hostHandler serves h with the request's Host set.
type hostHandler struct {
	h    http.Handler
	host string
}

func (x hostHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Host = x.host
	x.h.ServeHTTP(w, r)
}
