package report

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/kit"
)

// TestCurlLineReproducesTheRequest runs each exchange's curl line with
// sh -c, TOKEN set, against a server that records what it got: the same
// method, path and query, body, headers, and the credential where the
// report redacted it.
func TestCurlLineReproducesTheRequest(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the curl lines cannot be run here")
	}
	type got struct {
		method, uri, body string
		header            http.Header
	}
	seen := make(chan got, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- got{r.Method, r.RequestURI, string(b), r.Header.Clone()}
		w.WriteHeader(http.StatusTeapot)
	}))
	defer ts.Close()
	const token = `s3 cr'"$et`
	for _, tc := range []struct {
		name    string
		ex      kit.Exchange
		headers map[string]string // headers the server must get
	}{
		{"GET with a bearer token", kit.Exchange{Method: "GET", URL: ts.URL + "/v2/clients/aa7c?x=1&y=%20z",
			RequestHeaders: map[string]string{"Accept": "application/json", "Authorization": "Bearer <redacted>"}},
			map[string]string{"Accept": "application/json", "Authorization": "Bearer " + token}},
		{"GraphQL POST, an API key, a body with quotes and dollars", kit.Exchange{Method: "POST", URL: ts.URL + "/graphql",
			RequestHeaders: map[string]string{"Content-Type": "application/json", "X-Api-Key": "<redacted>"},
			RequestBody:    `{"query":"{ a(b: \"it's $x and ` + "`cmd`" + `\") { c } }"}`},
			map[string]string{"Content-Type": "application/json", "X-Api-Key": token}},
		{"DELETE without a body, a cookie", kit.Exchange{Method: "DELETE", URL: ts.URL + "/things/1",
			RequestHeaders: map[string]string{"Cookie": "<redacted>", "X-Trace": "a$b"}},
			map[string]string{"Cookie": token, "X-Trace": "a$b"}},
		{"PUT with a form body", kit.Exchange{Method: "PUT", URL: ts.URL + "/form",
			RequestHeaders: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, RequestBody: "a=1&b=two+words"},
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := CurlLine(tc.ex)
			if strings.Contains(tc.ex.RequestHeaders["Authorization"]+tc.ex.RequestHeaders["X-Api-Key"]+tc.ex.RequestHeaders["Cookie"], redacted) != c.Token {
				t.Errorf("Token = %v for %s", c.Token, c.Line)
			}
			cmd := exec.Command("sh", "-c", c.Line)
			cmd.Env = append(os.Environ(), "TOKEN="+token)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", c.Line, err, out)
			}
			if !strings.HasPrefix(string(out), "HTTP/1.1 418") {
				t.Errorf("curl printed %q; the line shows the answer's status line first (-i)", out)
			}
			g := <-seen
			wantURI := strings.TrimPrefix(tc.ex.URL, ts.URL)
			if g.method != tc.ex.Method || g.uri != wantURI || g.body != tc.ex.RequestBody {
				t.Errorf("%s\nthe server got %s %s %q, want %s %s %q", c.Line, g.method, g.uri, g.body, tc.ex.Method, wantURI, tc.ex.RequestBody)
			}
			for k, v := range tc.headers {
				if g.header.Get(k) != v {
					t.Errorf("%s\nthe server got %s: %q, want %q", c.Line, k, g.header.Get(k), v)
				}
			}
		})
	}
}

// TestCurlLineNotes: what a line cannot reproduce is said.
func TestCurlLineNotes(t *testing.T) {
	cut := kit.Excerpt([]byte(`{"query":"` + strings.Repeat("a", 700) + `"}`))
	c := CurlLine(kit.Exchange{Method: "POST", URL: "http://h/graphql", RequestBody: cut})
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "the request body was 712 bytes and the report keeps the first 600") {
		t.Errorf("notes for a cut body: %q", c.Notes)
	}
	if strings.Contains(c.Line, "bytes in all") {
		t.Errorf("the line sends the report's note as the body: %s", c.Line)
	}
	c = CurlLine(kit.Exchange{Method: "POST", URL: "http://h/up", RequestBody: "\xff\xfe"})
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "binary") || strings.Contains(c.Line, "--data-raw") {
		t.Errorf("a binary body: %s %q", c.Line, c.Notes)
	}
	c = CurlLine(kit.Exchange{Method: "HEAD", URL: "http://h/"})
	if c.Line != "curl -sS -i --head http://h/" {
		t.Errorf("HEAD: %s", c.Line)
	}
}
