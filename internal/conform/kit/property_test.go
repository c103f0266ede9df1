package kit

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/standin/standin/internal/conform/model"
)

func TestCurlLine(t *testing.T) {
	for _, c := range []struct {
		name string
		ex   Exchange
		r    Request
		want string
	}{
		{"GET with a bearer token", Exchange{Method: "GET", URL: "http://h/v0/clients?a=1&b=2"}, Request{Credentials: Bearer("secret")},
			`curl -s -H "Authorization: Bearer $TOKEN" 'http://h/v0/clients?a=1&b=2'`},
		{"POST with a body holding a quote", Exchange{Method: "POST", URL: "http://h/graphql"}, Request{Credentials: Bearer("secret"), Body: JSON([]byte(`{"query":"{ a(name: \"O'Brien\") }"}`))},
			`curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"query":"{ a(name: \"O'\''Brien\") }"}' 'http://h/graphql'`},
		{"an API key header", Exchange{Method: "POST", URL: "http://h/graphql"}, Request{Header: map[string]string{"X-API-Key": "secret"}},
			`curl -s -X POST -H "X-API-Key: $TOKEN" 'http://h/graphql'`},
		{"an API key header credential", Exchange{Method: "GET", URL: "http://h/x"}, Request{Credentials: With(model.Scheme{Type: model.SchemeAPIKey, In: model.InHeader, Param: "X-Token"}, "secret")},
			`curl -s -H "X-Token: $TOKEN" 'http://h/x'`},
		{"basic", Exchange{Method: "GET", URL: "http://h/x"}, Request{Credentials: With(model.Scheme{Type: model.SchemeHTTP, HTTP: "basic"}, "secret")},
			`curl -s -H "Authorization: Basic $TOKEN" 'http://h/x'`},
		{"a cookie", Exchange{Method: "GET", URL: "http://h/x"}, Request{Credentials: With(model.Scheme{Type: model.SchemeAPIKey, In: model.InCookie, Param: "session"}, "secret")},
			`curl -s -H "Cookie: session=$TOKEN" 'http://h/x'`},
		{"no credentials", Exchange{Method: "GET", URL: "http://h/x"}, Request{}, `curl -s 'http://h/x'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CurlLine(c.ex, c.r)
			if got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
			if strings.Contains(got, "secret") {
				t.Fatalf("the credential leaked: %s", got)
			}
		})
	}
}

// TestShellQuoteRoundTrip: what shellQuote quotes, sh reads back as it was.
func TestShellQuoteRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this machine")
	}
	for _, s := range []string{`plain`, `it's`, `{"a":"b c"}`, `'''`, `back\slash`, `$HOME`} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("shellQuote(%q) reads back as %q (%v)", s, out, err)
		}
	}
}
