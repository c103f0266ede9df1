package kit

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/standin/standin/internal/conform/model"
)

// UnknownToken is a credential no server issues.
const UnknownToken = "standin-conform-invalid-token"

// Credential is one secret and the scheme that says where it goes: an
// Authorization header (bearer, and oauth2 and openIdConnect, whose
// tokens are bearer tokens: "Bearer <value>"; basic: "Basic <value>",
// user:password encoded in base64, a value without a colon sent as given),
// or an API key in a header, query parameter or cookie of the scheme's
// name.
type Credential struct {
	Scheme model.Scheme
	Value  string
}

// Credentials are what one request sends to prove who it is; none sends
// nothing.
type Credentials []Credential

// Bearer is token sent as Authorization: Bearer ("" sends nothing).
func Bearer(token string) Credentials {
	if token == "" {
		return nil
	}
	return Credentials{{Scheme: model.BearerScheme(), Value: token}}
}

// With is the secret sent the way scheme says ("" sends nothing).
func With(scheme model.Scheme, secret string) Credentials {
	if secret == "" {
		return nil
	}
	return Credentials{{Scheme: scheme, Value: secret}}
}

// FromSchemes builds the credentials of the schemes that have a value in
// values (keyed by the contract's scheme names, as --credential NAME=VALUE
// gives them), in the schemes' order.
func FromSchemes(schemes []model.Scheme, values map[string]string) Credentials {
	var out Credentials
	for _, s := range schemes {
		if v, ok := values[s.Name]; ok && v != "" {
			out = append(out, Credential{Scheme: s, Value: v})
		}
	}
	return out
}

// bearer reports whether the scheme's value goes as Authorization:
// Bearer.
func bearer(s model.Scheme) bool { return s.BearerLike() }

// applyHeaders puts the credentials that go in headers into h.
func (cs Credentials) applyHeaders(h http.Header) {
	for _, c := range cs {
		s := c.Scheme
		switch {
		case bearer(s):
			h.Set("Authorization", "Bearer "+c.Value)
		case s.IsBasic():
			h.Set("Authorization", "Basic "+basicValue(c.Value))
		case s.Type == model.SchemeAPIKey && s.In == model.InHeader:
			h.Set(s.Param, c.Value)
		case s.Type == model.SchemeAPIKey && s.In == model.InCookie:
			h.Add("Cookie", (&http.Cookie{Name: s.Param, Value: c.Value}).String())
		}
	}
}

// applyQuery appends the credentials that go in the query to a path and
// query.
func (cs Credentials) applyQuery(p string) string { return cs.query(p, false) }

// shownQuery is applyQuery with the values redacted, for reports.
func (cs Credentials) shownQuery(p string) string { return cs.query(p, true) }

// namesHeader reports whether a credential goes in the header name (an
// apiKey header).
func (cs Credentials) namesHeader(name string) bool {
	for _, c := range cs {
		if c.Scheme.Type == model.SchemeAPIKey && c.Scheme.In == model.InHeader && strings.EqualFold(c.Scheme.Param, name) {
			return true
		}
	}
	return false
}

func (cs Credentials) query(p string, redacted bool) string {
	for _, c := range cs {
		if c.Scheme.Type != model.SchemeAPIKey || c.Scheme.In != model.InQuery {
			continue
		}
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		v := url.QueryEscape(c.Value)
		if redacted {
			v = redactedValue
		}
		p += sep + url.QueryEscape(c.Scheme.Param) + "=" + v
	}
	return p
}

// redactedValue stands for a secret in what reports show.
const redactedValue = "<redacted>"

// curlArgs renders the credentials as curl header options, the secret as
// $TOKEN so that the line is safe to share (a query credential stays in
// the URL).
func (cs Credentials) curlArgs() []string {
	var out []string
	for _, c := range cs {
		s := c.Scheme
		switch {
		case bearer(s):
			out = append(out, `-H "Authorization: Bearer $TOKEN"`)
		case s.IsBasic():
			out = append(out, `-H "Authorization: Basic $TOKEN"`)
		case s.Type == model.SchemeAPIKey && s.In == model.InHeader:
			out = append(out, "-H "+shellQuote(s.Param+": $TOKEN"))
		case s.Type == model.SchemeAPIKey && s.In == model.InCookie:
			out = append(out, "-H "+shellQuote("Cookie: "+s.Param+"=$TOKEN"))
		}
	}
	return out
}
