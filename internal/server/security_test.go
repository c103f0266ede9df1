package server

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin/standin/internal/config"
)

var securitySpec = filepath.Join("testdata", "features", "security.yaml")

func basicAuth(userPass string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(userPass))}
}

// TestSecurityPerOperation: a --spec API is authenticated per operation
// as its document says: the document's default and an operation's own
// requirements (an empty list: open; {} among them: optional), API keys
// in a header, the query and a cookie, HTTP basic, bearer, oauth2 and
// openIdConnect as bearer, alternatives (any one met) and a requirement
// of two schemes (both); any well-formed credential is accepted; a 401
// challenges with the operation's schemes.
func TestSecurityPerOperation(t *testing.T) {
	s := stStart(t, func(c *config.Config) { c.Specs = config.List{securitySpec} })
	key := map[string]string{"X-API-Key": "any-key"}
	cookie := map[string]string{"Cookie": "session=abc123"}
	tests := []struct {
		name   string
		q      stReq
		status int
		auth   string // WWW-Authenticate of a 401
	}{
		{"document default: bearer", stReq{path: "/default", token: "some-token"}, 200, ""},
		{"document default: none given", stReq{path: "/default"}, 401, `Bearer realm="security"`},
		{"document default: an empty bearer", stReq{path: "/default", header: map[string]string{"Authorization": "Bearer "}}, 401, `Bearer realm="security"`},
		{"open: security []", stReq{path: "/open"}, 200, ""},
		{"optional: nothing", stReq{path: "/optional"}, 200, ""},
		{"optional: a key", stReq{path: "/optional", header: key}, 200, ""},
		{"optional: an empty key is refused", stReq{path: "/optional", header: map[string]string{"X-API-Key": ""}}, 401, `ApiKey realm="security", in="header", name="X-API-Key"`},
		{"key in a header", stReq{path: "/header-key", header: key}, 200, ""},
		{"key in a header: a bearer token is not it", stReq{path: "/header-key", token: "t"}, 401, `ApiKey realm="security", in="header", name="X-API-Key"`},
		{"key in the query", stReq{path: "/query-key?api_key=k1"}, 200, ""},
		{"key in the query: missing", stReq{path: "/query-key"}, 401, `ApiKey realm="security", in="query", name="api_key"`},
		{"key in a cookie", stReq{path: "/cookie-key", header: cookie}, 200, ""},
		{"key in a cookie: missing", stReq{path: "/cookie-key"}, 401, `ApiKey realm="security", in="cookie", name="session"`},
		{"basic", stReq{path: "/basic", header: basicAuth("ann:pw")}, 200, ""},
		{"basic: not user:password", stReq{path: "/basic", header: map[string]string{"Authorization": "Basic bm9jb2xvbg=="}}, 401, `Basic realm="security"`},
		{"basic: not base64", stReq{path: "/basic", header: map[string]string{"Authorization": "Basic ***"}}, 401, `Basic realm="security"`},
		{"basic: missing", stReq{path: "/basic"}, 401, `Basic realm="security"`},
		{"oauth2 as bearer", stReq{path: "/oauth", token: "oauth-token"}, 200, ""},
		{"openIdConnect as bearer", stReq{path: "/oidc", token: "id-token"}, 200, ""},
		{"alternatives: the first", stReq{path: "/either", header: basicAuth("u:p")}, 200, ""},
		{"alternatives: the second", stReq{path: "/either?api_key=k"}, 200, ""},
		{"alternatives: neither", stReq{path: "/either"}, 401, `Basic realm="security", ApiKey realm="security", in="query", name="api_key"`},
		{"both schemes", stReq{path: "/both?api_key=k", header: key}, 200, ""},
		{"both schemes: one only", stReq{path: "/both", header: key}, 401, `ApiKey realm="security", in="header", name="X-API-Key", ApiKey realm="security", in="query", name="api_key"`},
		{"an undefined scheme is not checked", stReq{path: "/ghost"}, 200, ""},
		{"a bundled token keeps its meaning", stReq{path: "/default", token: stReadonly}, 200, ""},
	}
	for _, tt := range tests {
		r := s.do(t, tt.q)
		if r.status != tt.status {
			t.Errorf("%s: %s = %s, want %d", tt.name, tt.q.path, r, tt.status)
			continue
		}
		if got := r.header.Get("WWW-Authenticate"); got != tt.auth {
			t.Errorf("%s: WWW-Authenticate %q, want %q", tt.name, got, tt.auth)
		}
	}
	warned := strings.Join(s.mock.Warnings(), "\n")
	if !strings.Contains(warned, `security scheme "undefined" is not defined`) {
		t.Errorf("the undefined scheme is not reported:\n%s", warned)
	}
}

// TestSecurityPinnedCredentials: apis.<api>.credentials in the config
// pins the one credential a scheme accepts (basic as user:password);
// schemes not named accept any well-formed credential still.
func TestSecurityPinnedCredentials(t *testing.T) {
	s := stStart(t, func(c *config.Config) {
		c.Specs = config.List{securitySpec}
		c.APIs = map[string]config.API{"security": {Credentials: map[string]string{"apiKeyHeader": "s3cret", "basic": "ann:pw", "bearer": "tok"}}}
	})
	for _, tt := range []struct {
		name   string
		q      stReq
		status int
	}{
		{"the pinned key", stReq{path: "/header-key", header: map[string]string{"X-API-Key": "s3cret"}}, 200},
		{"another key", stReq{path: "/header-key", header: map[string]string{"X-API-Key": "guess"}}, 401},
		{"the pinned user and password", stReq{path: "/basic", header: basicAuth("ann:pw")}, 200},
		{"another password", stReq{path: "/basic", header: basicAuth("ann:nope")}, 401},
		{"the pinned bearer token", stReq{path: "/default", token: "tok"}, 200},
		{"another bearer token", stReq{path: "/default", token: "other"}, 401},
		{"a scheme not pinned", stReq{path: "/query-key?api_key=anything"}, 200},
	} {
		if r := s.do(t, tt.q); r.status != tt.status {
			t.Errorf("%s: %s = %s, want %d", tt.name, tt.q.path, r, tt.status)
		}
	}
}
