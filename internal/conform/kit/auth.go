package kit

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/standin/standin/internal/conform/model"
)

// The credentials of a REST operation come from its contract: the
// operation's security (or the document's) names the schemes, any one
// alternative being enough, and the configuration gives a secret per
// scheme name (credentials: in conform.yaml, --credential NAME=VALUE);
// the valid token (token:, --token) stands for a bearer-like scheme
// without one, and for the contract's only scheme.

// Secret is the configured secret of a scheme ("" when none): the
// credential of its name, else the valid token for a bearer-like scheme
// or for the contract's only scheme.
func (a *API) Secret(s model.Scheme) string {
	if v := a.Conf.Credentials[s.Name]; v != "" {
		return v
	}
	if a.Conf.Token == "" || s.Name == "" {
		return ""
	}
	if s.BearerLike() || len(a.OpenAPISchemes()) == 1 && s.Sendable() {
		return a.Conf.Token
	}
	return ""
}

// HasCredentials reports whether any credential is configured for the
// API (a token or a secret of a scheme).
func (a *API) HasCredentials() bool {
	if a.Conf.Token != "" {
		return true
	}
	for _, v := range a.Conf.Credentials {
		if v != "" {
			return true
		}
	}
	return false
}

// requirement picks the operation's requirement the run satisfies: the
// first alternative with a secret for each of its schemes, else the first
// that needs credentials (ok false: the run cannot satisfy it); nil for
// an operation that takes none.
func (a *API) requirement(o model.Operation) (model.Requirement, bool) {
	sec := a.Security(o)
	needing := sec.Schemes()
	for _, r := range needing {
		ok := true
		for _, s := range r {
			ok = ok && s.Sendable() && a.Secret(s) != ""
		}
		if ok {
			return r, true
		}
	}
	if len(needing) == 0 {
		return nil, true
	}
	return needing[0], false
}

// CredentialsFor are the valid credentials of an operation, as its
// contract's security says: none for an open operation; for an optional
// one the alternative the run has secrets for, or none. The string says
// why there are none when the operation requires credentials the run
// does not have ("" otherwise).
func (a *API) CredentialsFor(o model.Operation) (Credentials, string) {
	r, ok := a.requirement(o)
	if !ok {
		if a.Security(o).Optional() {
			return nil, ""
		}
		return nil, a.missing(o, r)
	}
	var out Credentials
	for _, s := range r {
		out = append(out, Credential{Scheme: s, Value: a.Secret(s)})
	}
	return out, ""
}

// missing says which credentials an operation needs that the run does
// not have, and how to give them.
func (a *API) missing(o model.Operation, r model.Requirement) string {
	var want []string
	for _, req := range a.Security(o).Schemes() {
		var parts []string
		for _, s := range req {
			switch {
			case s.Type == "":
				parts = append(parts, s.Name+" (not declared in components.securitySchemes)")
			case !s.Sendable():
				parts = append(parts, fmt.Sprintf("%s (%s: not a kind of credential the suite sends)", s.Name, s.Type))
			case a.Secret(s) == "":
				parts = append(parts, fmt.Sprintf("%s (%s): --credential %s=VALUE", s.Name, describeScheme(s), s.Name))
			}
		}
		want = append(want, strings.Join(parts, " and "))
	}
	if len(want) == 0 {
		want = []string{r.Names()}
	}
	return fmt.Sprintf("%s %s requires credentials the run has none for: %s (or credentials: in conform.yaml)", o.Method, o.Path, strings.Join(want, "; or "))
}

// describeScheme says what kind of secret a scheme takes.
func describeScheme(s model.Scheme) string {
	if s.IsBasic() {
		return "Authorization: Basic, the value user:password"
	}
	if d := s.Describe(); d != "" {
		return d
	}
	return s.Type
}

// CredentialsAs sends another secret (a role's token, the limited token,
// the rate-limit token) the way the operation's valid credentials go:
// in each scheme of the requirement CredentialsFor satisfies (or of the
// first one the operation has); none for an open operation.
func (a *API) CredentialsAs(o model.Operation, secret string) Credentials {
	if secret == "" {
		return nil
	}
	r, _ := a.requirement(o)
	var out Credentials
	for _, s := range r {
		out = append(out, Credential{Scheme: s, Value: secret})
	}
	return out
}

// UnknownCredentialsFor are well-formed credentials no server issued, in
// the schemes of the operation's requirement (basic: an unknown user and
// password); none for an open operation.
func (a *API) UnknownCredentialsFor(o model.Operation) Credentials {
	out := a.CredentialsAs(o, UnknownToken)
	for i, c := range out {
		if c.Scheme.IsBasic() {
			out[i].Value = UnknownToken + ":" + UnknownToken
		}
	}
	return out
}

// OpCredentials are the valid credentials of the operation
// (API.CredentialsFor); an operation that requires credentials the run
// does not have skips the step, saying which are missing.
func OpCredentials(t *T, o model.Operation) Credentials {
	c, why := t.api.CredentialsFor(o)
	if why != "" {
		t.Skip("%s", why)
	}
	return c
}

// basicValue is the Authorization value of HTTP basic: user:password
// encoded in base64, or a value without a colon as given (already
// encoded).
func basicValue(v string) string {
	if strings.Contains(v, ":") {
		return base64.StdEncoding.EncodeToString([]byte(v))
	}
	return v
}
