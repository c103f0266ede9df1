package auth

import (
	"errors"
	"net/http/httptest"
	"testing"
)

// TestAuthenticatePolicy decides requests against policies: each kind of
// scheme, alternatives, a requirement of two, optional and open ones,
// pinned credentials; known tokens keep their principal, others have every
// permission.
func TestAuthenticatePolicy(t *testing.T) {
	creds, err := Parse([]byte("tokens:\n  - {token: known, permissions: [READ]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	key := &Scheme{Name: "key", Kind: APIKey, In: "header", Param: "X-Key"}
	query := &Scheme{Name: "q", Kind: APIKey, In: "query", Param: "k"}
	cookie := &Scheme{Name: "c", Kind: APIKey, In: "cookie", Param: "sid"}
	basic := &Scheme{Name: "basic", Kind: Basic}
	bearer := &Scheme{Name: "bearer", Kind: Bearer}
	digest := &Scheme{Name: "digest", Kind: HTTP, HTTPScheme: "Digest"}
	pinned := &Scheme{Name: "pinned", Kind: APIKey, In: "header", Param: "X-Pin", Pinned: "s3cret"}
	one := func(s *Scheme) *Policy { return &Policy{Alternatives: []Requirement{{s}}} }
	tests := []struct {
		name    string
		p       *Policy
		target  string
		headers map[string]string
		err     error
		token   string // the principal's; "" none
		all     bool
	}{
		{"open", nil, "/", nil, nil, "", false},
		{"header key", one(key), "/", map[string]string{"X-Key": "abc"}, nil, "abc", true},
		{"header key missing", one(key), "/", nil, ErrNoCredentials, "", false},
		{"header key empty", one(key), "/", map[string]string{"X-Key": ""}, ErrBadCredentials, "", false},
		{"query key", one(query), "/?k=v", nil, nil, "v", true},
		{"cookie key", one(cookie), "/", map[string]string{"Cookie": "sid=42"}, nil, "42", true},
		{"basic", one(basic), "/", map[string]string{"Authorization": "Basic YW5uOnB3"}, nil, "ann:pw", true},
		{"basic, the password a known token", one(basic), "/", map[string]string{"Authorization": "Basic dTprbm93bg=="}, nil, "known", false},
		{"basic without a colon", one(basic), "/", map[string]string{"Authorization": "Basic YW5u"}, ErrBadCredentials, "", false},
		{"bearer, a known token", one(bearer), "/", map[string]string{"Authorization": "Bearer known"}, nil, "known", false},
		{"bearer, case of the scheme", one(bearer), "/", map[string]string{"Authorization": "bearer t"}, nil, "t", true},
		{"bearer given basic", one(bearer), "/", map[string]string{"Authorization": "Basic YW5uOnB3"}, ErrNoCredentials, "", false},
		{"another http scheme", one(digest), "/", map[string]string{"Authorization": "Digest username=x"}, nil, "username=x", true},
		{"pinned, right", one(pinned), "/", map[string]string{"X-Pin": "s3cret"}, nil, "s3cret", true},
		{"pinned, wrong", one(pinned), "/", map[string]string{"X-Pin": "guess"}, ErrBadCredentials, "", false},
		{"alternatives, the second met", &Policy{Alternatives: []Requirement{{basic}, {query}}}, "/?k=v", nil, nil, "v", true},
		{"two schemes, one given", &Policy{Alternatives: []Requirement{{key, query}}}, "/?k=v", nil, ErrNoCredentials, "", false},
		{"two schemes, both given", &Policy{Alternatives: []Requirement{{key, query}}}, "/?k=v", map[string]string{"X-Key": "a"}, nil, "a", true},
		{"optional, nothing given", &Policy{Alternatives: []Requirement{{}, {key}}}, "/", nil, nil, "", false},
		{"optional, a credential given", &Policy{Alternatives: []Requirement{{}, {key}}}, "/", map[string]string{"X-Key": "known"}, nil, "known", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.target, nil)
		for k, v := range tt.headers {
			r.Header.Set(k, v)
		}
		p, err := creds.AuthenticatePolicy(r, tt.p)
		if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.err)
			continue
		}
		switch {
		case tt.token == "" && p != nil:
			t.Errorf("%s: principal %+v, want none", tt.name, p)
		case tt.token != "" && (p == nil || p.Token != tt.token || p.All != tt.all):
			t.Errorf("%s: principal %+v, want token %q (all %v)", tt.name, p, tt.token, tt.all)
		}
	}
	all := &Principal{All: true}
	if !all.Has("WRITE") || all.Missing("READ", "WRITE") != nil {
		t.Error("a principal with every permission lacks one")
	}
	ch := (&Policy{Alternatives: []Requirement{{basic, key}, {bearer}, {basic}}}).Challenge("api")
	if want := `Basic realm="api", ApiKey realm="api", in="header", name="X-Key", Bearer realm="api"`; ch != want {
		t.Errorf("challenge %q, want %q", ch, want)
	}
}
