package conform

import (
	"os/exec"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestCurlLine(t *testing.T) {
	for _, c := range []struct {
		name string
		ex   Exchange
		r    Request
		want string
	}{
		{"GET with a bearer token", Exchange{Method: "GET", URL: "http://h/v0/clients?a=1&b=2"}, Request{Token: "secret"},
			`curl -s -H "Authorization: Bearer $TOKEN" 'http://h/v0/clients?a=1&b=2'`},
		{"POST with a body holding a quote", Exchange{Method: "POST", URL: "http://h/graphql"}, Request{Token: "secret", Body: []byte(`{"query":"{ a(name: \"O'Brien\") }"}`)},
			`curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"query":"{ a(name: \"O'\''Brien\") }"}' 'http://h/graphql'`},
		{"an API key header", Exchange{Method: "POST", URL: "http://h/graphql"}, Request{Header: map[string]string{"X-API-Key": "secret"}},
			`curl -s -X POST -H "X-API-Key: $TOKEN" 'http://h/graphql'`},
		{"no credentials", Exchange{Method: "GET", URL: "http://h/x"}, Request{}, `curl -s 'http://h/x'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := curlLine(c.ex, c.r)
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

func TestSpecName(t *testing.T) {
	for file, want := range map[string]string{
		"internal/rest/testdata/books/openapi.yaml": "books",
		"specs/admin/schema.graphql":                "admin",
		"petstore.yaml":                             "petstore",
		"openapi.yaml":                              "openapi",
		"/tmp/x/shop-api.json":                      "shop-api",
	} {
		if got := specName(file); got != want {
			t.Errorf("specName(%q) = %q, want %q", file, got, want)
		}
	}
}

func TestIsSDL(t *testing.T) {
	for _, c := range []struct {
		file, data string
		want       bool
	}{
		{"a.graphql", "type Query { a: Int }", true},
		{"a.gql", "", true},
		{"a.yaml", "openapi: 3.0.3", false},
		{"a.json", `{"openapi": "3.1.0"}`, false},
		{"contract", "type Query { a: Int }", true},
		{"contract", "openapi: 3.1.0\ninfo: {}", false},
	} {
		if got := isSDL(c.file, []byte(c.data)); got != c.want {
			t.Errorf("isSDL(%q, %q) = %v, want %v", c.file, c.data, got, c.want)
		}
	}
}

func TestTemplateRegexp(t *testing.T) {
	re := templateRegexp("/api/account/v2/companies/externalID:{externalId}")
	for path, want := range map[string]bool{
		"/api/account/v2/companies/externalID:c333333": true,
		"/api/account/v2/companies/externalID:":        false,
		"/api/account/v2/companies/7480a312":           false,
		"/api/account/v2/companies/externalID:a/b":     false,
	} {
		if got := re.MatchString(path); got != want {
			t.Errorf("%s: match %v, want %v", path, got, want)
		}
	}
}

// bundledEnv loads every bundled API's contracts (no target is asked).
func bundledEnv(t *testing.T) *Env {
	t.Helper()
	targets, err := BundledTargets("http://127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{APIs: targets}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env, err := NewEnv(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestGeneratedQueriesValidate: every query the selection generator draws
// over a bundled SDL is valid against it (a generator bug would otherwise
// show as a target's failure), and so is every page query of the walks.
func TestGeneratedQueriesValidate(t *testing.T) {
	for _, a := range bundledEnv(t).APIs {
		if a.Schema == nil {
			continue
		}
		t.Run(a.Name, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				q, vars := GenerateQuery(rt, a.Schema, a.Conf.FirstIDs())
				if _, err := parseQuery(a.Schema, q); err != nil {
					rt.Fatalf("invalid generated query: %v\n%s", err, q)
				}
				for name := range vars {
					if !strings.Contains(q, "$"+name+":") {
						rt.Fatalf("variable %s is not declared:\n%s", name, q)
					}
				}
			})
			for _, c := range rootConnections(a) {
				for _, args := range []map[string]any{nil, {"first": 2}, {"first": 2, "after": "x"}, {"last": 3, "before": "y"}} {
					q, _ := c.query(a, args)
					if _, err := parseQuery(a.Schema, q); err != nil {
						t.Errorf("%s %v: invalid page query: %v\n%s", c.coord, args, err, q)
					}
				}
			}
		})
	}
}
