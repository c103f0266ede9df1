// Package auth reads the bundled credentials and decides who a request is.
//
// Credentials are a YAML file (fixtures/credentials.yaml): a list of tokens,
// each with permissions (checked against an operation's `requires`) and, per
// API, an optional scope that restricts which records the token may see. The
// same token is accepted as a Bearer token or, for APIs whose manifest names
// an API-key header, in that header.
package auth

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/manifest"
	"github.com/standin/standin/internal/store"
	"github.com/standin/standin/internal/usererr"
)

// Errors of Authenticate; match with errors.Is.
var (
	// ErrNoCredentials means the request carried no token.
	ErrNoCredentials = errors.New("no credentials")
	// ErrUnknownToken means the token is not one of the configured ones.
	ErrUnknownToken = errors.New("unknown token")
)

// Scope restricts the records of one API a token may see.
type Scope struct {
	// Deny hides every record.
	Deny bool `yaml:"deny"`
	// Match admits only records whose fields (dotted paths) equal these values.
	Match map[string]any `yaml:"match"`
}

// Principal is an authenticated caller.
type Principal struct {
	Token       string           `yaml:"token"`
	Description string           `yaml:"description"`
	Permissions []string         `yaml:"permissions"`
	Scopes      map[string]Scope `yaml:"scopes"`
	// All: the principal holds every permission (a credential that an
	// operation's security accepts without knowing it; see Policy).
	All bool `yaml:"-"`
}

// Has reports whether the principal holds every permission listed.
func (p *Principal) Has(perms ...string) bool {
	if p.All {
		return true
	}
	for _, want := range perms {
		if !slices.Contains(p.Permissions, want) {
			return false
		}
	}
	return true
}

// Missing returns the permissions of perms the principal lacks.
func (p *Principal) Missing(perms ...string) []string {
	if p.All {
		return nil
	}
	var out []string
	for _, want := range perms {
		if !slices.Contains(p.Permissions, want) {
			out = append(out, want)
		}
	}
	return out
}

// Allows reports whether the principal's scope for api admits the stored
// record; it reads only the scope's fields.
func (p *Principal) Allows(api string, it store.Item) bool {
	s, ok := p.Scopes[api]
	return !ok || s.admits(it.Lookup)
}

// admits reports whether the record whose fields lookup reads is in scope.
func (s Scope) admits(lookup func(path string) any) bool {
	if s.Deny {
		return false
	}
	for path, want := range s.Match {
		got, ok1 := store.KeyOf(lookup(path))
		exp, ok2 := store.KeyOf(want)
		if !ok1 || !ok2 || got != exp {
			return false
		}
	}
	return true
}

// Scoped reports whether the principal has any scope for api.
func (p *Principal) Scoped(api string) bool {
	_, ok := p.Scopes[api]
	return ok
}

// Credentials is the set of known tokens.
type Credentials struct {
	byToken map[string]*Principal
	list    []*Principal
}

type file struct {
	Tokens []*Principal `yaml:"tokens"`
}

// Parse reads a credentials file.
func Parse(data []byte) (*Credentials, error) { return ParseFile("", data) }

// ParseFile reads the credentials file named name (for messages):
// mistakes are *usererr.Error values with the line, column and fix.
func ParseFile(name string, data []byte) (*Credentials, error) {
	var f file
	root, err := usererr.DecodeYAML(name, data, &f)
	if err != nil {
		return nil, err
	}
	c := &Credentials{byToken: map[string]*Principal{}}
	for i, p := range f.Tokens {
		at := usererr.YAMLPlace(name, root, "tokens", strconv.Itoa(i), "token")
		if p == nil || strings.TrimSpace(p.Token) == "" {
			return nil, &usererr.Error{Place: at, Problem: fmt.Sprintf("credentials: tokens[%d]: empty token", i), Fix: "give each entry a token: value"}
		}
		if _, dup := c.byToken[p.Token]; dup {
			return nil, &usererr.Error{Place: at, Problem: fmt.Sprintf("credentials: tokens[%d]: token %q repeated", i, p.Token), Fix: "give each entry a token of its own"}
		}
		c.byToken[p.Token] = p
		c.list = append(c.list, p)
	}
	return c, nil
}

// List returns the principals in file order.
func (c *Credentials) List() []*Principal { return c.list }

// Lookup returns the principal with the given token.
func (c *Credentials) Lookup(token string) (*Principal, bool) {
	p, ok := c.byToken[token]
	return p, ok
}

// Token extracts the credential a request presents for an API, or "".
func Token(r *http.Request, a manifest.Auth) string {
	if a.Bearer {
		h := r.Header.Get("Authorization")
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			return strings.TrimSpace(h[7:])
		}
	}
	if a.APIKeyHeader != "" {
		if v := r.Header.Get(a.APIKeyHeader); v != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Authenticate finds the principal of a request for an API.
func (c *Credentials) Authenticate(r *http.Request, a manifest.Auth) (*Principal, error) {
	tok := Token(r, a)
	if tok == "" {
		return nil, ErrNoCredentials
	}
	p, ok := c.byToken[tok]
	if !ok {
		return nil, ErrUnknownToken
	}
	return p, nil
}
