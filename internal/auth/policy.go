package auth

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Security per operation, as an OpenAPI document declares it: an
// operation's Policy is a list of alternative Requirements, any one of
// which must be met; a Requirement is a set of Schemes, each of which must
// present a credential. A Scheme says where its credential is (an API key
// in a header, query parameter or cookie; an Authorization header of the
// Basic, Bearer or another HTTP scheme) and, when the configuration pins
// it, the one value accepted; otherwise any well-formed credential is.

// ErrBadCredentials means a credential was presented but is not well
// formed (an empty bearer token, Basic credentials that are not base64 of
// "user:password") or is not the value the configuration pins.
var ErrBadCredentials = errors.New("bad credentials")

// SchemeKind is how a scheme presents its credential.
type SchemeKind int

// The kinds of security schemes.
const (
	// APIKey: a value in a header, a query parameter or a cookie.
	APIKey SchemeKind = iota + 1
	// Basic: Authorization: Basic base64(user:password).
	Basic
	// Bearer: Authorization: Bearer token (http bearer, oauth2,
	// openIdConnect).
	Bearer
	// HTTP: Authorization: <Scheme> credentials, another HTTP scheme
	// (Digest, ...), taken as presented.
	HTTP
)

// Scheme is one security scheme of a document.
type Scheme struct {
	// Name is the scheme's key under components.securitySchemes.
	Name string
	Kind SchemeKind
	// In and Param place an API key: "header", "query" or "cookie", and
	// the header, parameter or cookie name.
	In, Param string
	// HTTPScheme is the scheme's name in the Authorization header for
	// HTTP ("Digest").
	HTTPScheme string
	// Pinned, when set, is the one credential accepted (the config's
	// apis.<api>.credentials); else any well-formed one is. For Basic it
	// is "user:password".
	Pinned string
}

// Requirement is a set of schemes that must all present a credential. An
// empty Requirement is met by any request (optional security: {} among
// an operation's requirements).
type Requirement []*Scheme

// Policy is an operation's security: Alternatives, any one of which must
// be met. A Policy without alternatives (nil included) is open.
type Policy struct {
	Alternatives []Requirement
}

// Open reports whether the policy asks no credential at all.
func (p *Policy) Open() bool { return p == nil || len(p.Alternatives) == 0 }

// Optional reports whether a request without credentials meets it.
func (p *Policy) Optional() bool {
	return p.Open() || slices.ContainsFunc(p.Alternatives, func(r Requirement) bool { return len(r) == 0 })
}

// read returns the credential a request presents for s: its value
// (Basic: "user:password") and whether one is presented at all; a
// presented value that is not well formed is returned as "" with present
// true.
func (s *Scheme) read(r *http.Request) (value string, present bool) {
	switch s.Kind {
	case APIKey:
		switch s.In {
		case "header":
			v, ok := r.Header[http.CanonicalHeaderKey(s.Param)]
			if !ok || len(v) == 0 {
				return "", false
			}
			return strings.TrimSpace(v[0]), true
		case "query":
			q := r.URL.Query()
			if !q.Has(s.Param) {
				return "", false
			}
			return q.Get(s.Param), true
		case "cookie":
			c, err := r.Cookie(s.Param)
			if err != nil {
				return "", false
			}
			return c.Value, true
		}
		return "", false
	case Basic, Bearer, HTTP:
		h := r.Header.Get("Authorization")
		if h == "" {
			return "", false
		}
		name, cred, _ := strings.Cut(h, " ")
		want := map[SchemeKind]string{Basic: "Basic", Bearer: "Bearer", HTTP: s.HTTPScheme}[s.Kind]
		if !strings.EqualFold(name, want) {
			return "", false // another scheme's credential
		}
		cred = strings.TrimSpace(cred)
		if s.Kind != Basic {
			return cred, true
		}
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil || !strings.Contains(string(raw), ":") {
			return "", true
		}
		return string(raw), true
	}
	return "", false
}

// Authenticate decides a request against an operation's policy. It
// returns the principal of the first alternative whose every scheme
// presents a well-formed credential (a bundled token is that token's
// principal; any other credential a principal with every permission), or
// nil and no error when the policy is open or optional and the request
// presents none. Errors: ErrNoCredentials when nothing is presented,
// ErrBadCredentials when a credential is malformed or not the pinned one.
func (c *Credentials) AuthenticatePolicy(r *http.Request, p *Policy) (*Principal, error) {
	if p.Open() {
		return nil, nil
	}
	bad := false
	for _, req := range p.Alternatives {
		if len(req) == 0 {
			continue
		}
		var values []string
		met := true
		for _, s := range req {
			v, ok := s.read(r)
			if !ok {
				met = false
				continue
			}
			if v == "" || s.Pinned != "" && v != s.Pinned {
				bad, met = true, false
				continue
			}
			values = append(values, v)
		}
		if met {
			return c.principalOf(values), nil
		}
	}
	switch {
	case bad:
		return nil, ErrBadCredentials
	case p.Optional():
		return nil, nil
	}
	// nothing presented, or part of a requirement only
	return nil, ErrNoCredentials
}

// principalOf is the principal of the credentials that met a requirement:
// the bundled token's when one of them is one (a Basic password counts),
// else a caller with every permission, known by its first credential.
func (c *Credentials) principalOf(values []string) *Principal {
	for _, v := range values {
		if p, ok := c.byToken[v]; ok {
			return p
		}
		if _, pw, ok := strings.Cut(v, ":"); ok {
			if p, ok := c.byToken[pw]; ok {
				return p
			}
		}
	}
	return &Principal{Token: values[0], Description: "a credential the document's security accepts", All: true}
}

// Challenge is the WWW-Authenticate value of a 401 for the policy: one
// challenge per scheme of its alternatives, in their order (an API key
// names where it goes), with realm.
func (p *Policy) Challenge(realm string) string {
	if p.Open() {
		return ""
	}
	var out []string
	seen := map[string]bool{}
	for _, req := range p.Alternatives {
		for _, s := range req {
			var ch string
			switch s.Kind {
			case Basic:
				ch = `Basic realm="` + realm + `"`
			case Bearer:
				ch = `Bearer realm="` + realm + `"`
			case HTTP:
				ch = s.HTTPScheme + ` realm="` + realm + `"`
			case APIKey:
				ch = `ApiKey realm="` + realm + `", in="` + s.In + `", name="` + s.Param + `"`
			}
			if ch != "" && !seen[ch] {
				seen[ch] = true
				out = append(out, ch)
			}
		}
	}
	return strings.Join(out, ", ")
}
