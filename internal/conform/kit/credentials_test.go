package kit

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/model"
	"github.com/standin/standin/internal/manifest"
)

// TestCredentialsGoWhereTheirSchemesSay sends one request per kind of
// credential and reads where the target found it; the exchange the
// report shows redacts what goes in headers as before.
func TestCredentialsGoWhereTheirSchemesSay(t *testing.T) {
	type seen struct{ auth, key, query, cookie, path string }
	var got seen
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = seen{auth: r.Header.Get("Authorization"), key: r.Header.Get("X-API-Key"), query: r.URL.Query().Get("key"), path: r.URL.Path}
		if c, err := r.Cookie("session"); err == nil {
			got.cookie = c.Value
		}
	}))
	defer ts.Close()
	env := &Env{Config: conform.Config{Timeout: manifest.Duration(5 * time.Second)}, Client: ts.Client(), Coverage: NewCoverage()}
	a := &API{API: &model.API{Name: "x"}, Conf: conform.APIConfig{BaseURL: ts.URL}}
	apiKey := func(in string) model.Scheme {
		return model.Scheme{Type: model.SchemeAPIKey, In: in, Param: map[string]string{"header": "X-API-Key", "query": "key", "cookie": "session"}[in]}
	}
	for _, tc := range []struct {
		name    string
		creds   Credentials
		path    string
		want    seen
		wantURL string
		shown   map[string]string // request headers the exchange shows
	}{
		{"none", nil, "/p", seen{path: "/p"}, "/p", nil},
		{"bearer", Bearer("s3"), "/p", seen{auth: "Bearer s3", path: "/p"}, "/p", map[string]string{"Authorization": "Bearer <redacted>"}},
		{"an empty token is no credential", Bearer(""), "/p", seen{path: "/p"}, "/p", nil},
		{"basic, an encoded value as given", With(model.Scheme{Type: model.SchemeHTTP, HTTP: "basic"}, "dTpw"), "/p", seen{auth: "Basic dTpw", path: "/p"}, "/p", map[string]string{"Authorization": "Basic <redacted>"}},
		{"basic, user:password encoded", With(model.Scheme{Type: model.SchemeHTTP, HTTP: "basic"}, "u:p"), "/p", seen{auth: "Basic dTpw", path: "/p"}, "/p", map[string]string{"Authorization": "Basic <redacted>"}},
		{"an API key header of another name, redacted", With(model.Scheme{Type: model.SchemeAPIKey, In: model.InHeader, Param: "X-Partner"}, "s3"), "/p", seen{path: "/p"}, "/p", map[string]string{"X-Partner": "<redacted>"}},
		{"an API key header", With(apiKey(model.InHeader), "s3"), "/p", seen{key: "s3", path: "/p"}, "/p", map[string]string{"X-Api-Key": "<redacted>"}},
		{"an API key in the query, redacted in the report", With(apiKey(model.InQuery), "s 3"), "/p?a=1", seen{query: "s 3", path: "/p"}, "/p?a=1&key=<redacted>", nil},
		{"an API key in a cookie", With(apiKey(model.InCookie), "s3"), "/p", seen{cookie: "s3", path: "/p"}, "/p", map[string]string{"Cookie": "<redacted>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = seen{}
			tt := NewT(env, a)
			tt.Do(Request{Method: http.MethodGet, Path: tc.path, Credentials: tc.creds})
			if got != tc.want {
				t.Errorf("the target saw %+v, want %+v", got, tc.want)
			}
			ex := tt.Exchanges()[0]
			if ex.URL != ts.URL+tc.wantURL {
				t.Errorf("exchange URL %s, want %s", ex.URL, ts.URL+tc.wantURL)
			}
			for k, v := range tc.shown {
				if ex.RequestHeaders[k] != v {
					t.Errorf("the exchange shows %s: %q, want %q", k, ex.RequestHeaders[k], v)
				}
			}
		})
	}
}

// TestAPICredentials: today every secret of the configuration goes as
// Authorization: Bearer, and an unset one sends nothing.
func TestAPICredentials(t *testing.T) {
	a := &API{API: &model.API{Name: "x"}, Conf: conform.APIConfig{Token: "valid"}}
	if c := a.Credentials(); len(c) != 1 || !c[0].Scheme.IsBearer() || c[0].Value != "valid" {
		t.Errorf("Credentials() = %+v", c)
	}
	if c := a.LimitedCredentials(); c != nil {
		t.Errorf("no limited token, yet LimitedCredentials() = %+v", c)
	}
	if c := a.CredentialsOf(UnknownToken); len(c) != 1 || c[0].Value != UnknownToken {
		t.Errorf("CredentialsOf() = %+v", c)
	}
}

// TestFromSchemes: a credential per scheme that has a value, the
// contract's order kept; oauth2 and openIdConnect tokens go as bearer.
func TestFromSchemes(t *testing.T) {
	schemes := []model.Scheme{
		{Name: "apiKey", Type: model.SchemeAPIKey, In: model.InHeader, Param: "X-Key"},
		{Name: "oauth", Type: model.SchemeOAuth2},
		{Name: "unset", Type: model.SchemeHTTP, HTTP: "basic"},
	}
	creds := FromSchemes(schemes, map[string]string{"oauth": "tok", "apiKey": "key", "other": "x", "unset": ""})
	if len(creds) != 2 || creds[0].Scheme.Name != "apiKey" || creds[1].Value != "tok" {
		t.Fatalf("credentials %+v", creds)
	}
	h := http.Header{}
	creds.applyHeaders(h)
	if h.Get("X-Key") != "key" || h.Get("Authorization") != "Bearer tok" {
		t.Errorf("headers %v", h)
	}
}
