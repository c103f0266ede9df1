package auth

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
)

const creds = `
tokens:
  - token: admin
    permissions: [ADMIN, READ]
  - token: partner
    permissions: [READ]
    scopes:
      v2: {match: {partner.name: "TechPartner Inc."}}
  - token: none
    permissions: [READ]
    scopes:
      v2: {deny: true}
`

func TestAuthenticate(t *testing.T) {
	c, err := Parse([]byte(creds))
	if err != nil {
		t.Fatal(err)
	}
	both := manifest.Auth{Bearer: true, APIKeyHeader: "X-API-Key"}
	tests := []struct {
		name, header, value string
		auth                manifest.Auth
		want                string
		err                 error
	}{
		{"bearer", "Authorization", "Bearer admin", both, "admin", nil},
		{"bearer any case", "Authorization", "bearer  partner ", both, "partner", nil},
		{"api key", "X-API-Key", "admin", both, "admin", nil},
		{"api key not accepted", "X-API-Key", "admin", manifest.Auth{Bearer: true}, "", ErrNoCredentials},
		{"basic is not bearer", "Authorization", "Basic YWRtaW4=", both, "", ErrNoCredentials},
		{"unknown", "Authorization", "Bearer nope", both, "", ErrUnknownToken},
		{"missing", "", "", both, "", ErrNoCredentials},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.header != "" {
			r.Header.Set(tt.header, tt.value)
		}
		p, err := c.Authenticate(r, tt.auth)
		if !errors.Is(err, tt.err) || (p != nil && p.Token != tt.want) {
			t.Errorf("%s: got %v, %v; want %q, %v", tt.name, p, err, tt.want, tt.err)
		}
	}
}

func TestScopesAndPermissions(t *testing.T) {
	c, _ := Parse([]byte(creds))
	acme := store.NewItem(1, store.Record{"partner": map[string]any{"name": "TechPartner Inc."}})
	other := store.NewItem(2, store.Record{"partner": map[string]any{"name": "Northwind MSP"}})
	admin, _ := c.Lookup("admin")
	partner, _ := c.Lookup("partner")
	none, _ := c.Lookup("none")
	tests := []struct {
		p    *Principal
		r    store.Item
		want bool
	}{
		{admin, other, true}, {partner, acme, true}, {partner, other, false}, {none, acme, false},
	}
	for _, tt := range tests {
		if got := tt.p.Allows("v2", tt.r); got != tt.want {
			t.Errorf("%s Allows(%v) = %v", tt.p.Token, tt.r, got)
		}
		if !tt.p.Allows("other-api", tt.r) {
			t.Errorf("%s: scopes must apply only to their API", tt.p.Token)
		}
	}
	if !admin.Has("ADMIN", "READ") || partner.Has("ADMIN") {
		t.Error("Has is wrong")
	}
	if m := partner.Missing("READ", "ADMIN", "WRITE"); len(m) != 2 || m[0] != "ADMIN" {
		t.Errorf("Missing = %v", m)
	}
}

func TestParseRejects(t *testing.T) {
	for _, bad := range []string{
		"tokens:\n  - token: ''\n",
		"tokens:\n  - token: a\n  - token: a\n",
		"tokens:\n  - token: a\n    perms: [X]\n",
		"tokens: 7\n",
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
