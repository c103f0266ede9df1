package model

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Scheme types (OpenAPI securityScheme type).
const (
	SchemeHTTP          = "http"
	SchemeAPIKey        = "apiKey"
	SchemeOAuth2        = "oauth2"
	SchemeOpenIDConnect = "openIdConnect"
)

// Where an apiKey scheme's value goes.
const (
	InHeader = "header"
	InQuery  = "query"
	InCookie = "cookie"
)

// Scheme is one way an API takes a credential: an OpenAPI security
// scheme, or for a GraphQL endpoint one its hints name.
type Scheme struct {
	// Name is the contract's name for the scheme
	// (components.securitySchemes); "" for one the contract does not
	// name.
	Name string
	// Type is http, apiKey, oauth2 or openIdConnect.
	Type string
	// HTTP is the http scheme's authorization scheme, lower case (bearer,
	// basic).
	HTTP string
	// In and Param say where an apiKey goes: the header, query parameter
	// or cookie of that name.
	In, Param string
}

// BearerScheme is Authorization: Bearer.
func BearerScheme() Scheme { return Scheme{Type: SchemeHTTP, HTTP: "bearer"} }

// IsBearer reports whether the scheme sends a bearer token
// (Authorization: Bearer).
func (s Scheme) IsBearer() bool { return s.Type == SchemeHTTP && s.HTTP == "bearer" }

// IsBasic reports whether the scheme is HTTP basic.
func (s Scheme) IsBasic() bool { return s.Type == SchemeHTTP && s.HTTP == "basic" }

// Describe says how the scheme carries a credential, for titles and
// messages: "Authorization: Bearer", "X-API-Key header", "query
// parameter key", "cookie session" (oauth2 and openIdConnect tokens go as
// Authorization: Bearer); "" for a scheme the suite cannot send.
func (s Scheme) Describe() string {
	switch {
	case s.BearerLike():
		return "Authorization: Bearer"
	case s.IsBasic():
		return "Authorization: Basic"
	case s.Type == SchemeAPIKey && s.In == InHeader:
		return s.Param + " header"
	case s.Type == SchemeAPIKey && s.In == InQuery:
		return "query parameter " + s.Param
	case s.Type == SchemeAPIKey && s.In == InCookie:
		return "cookie " + s.Param
	}
	return ""
}

// OpenAPISchemes lists the security schemes the OpenAPI document declares
// (components.securitySchemes), sorted by name.
func (a *API) OpenAPISchemes() []Scheme {
	if a.OpenAPI == nil || a.OpenAPI.Components == nil {
		return nil
	}
	var out []Scheme
	for _, name := range slices.Sorted(maps.Keys(a.OpenAPI.Components.SecuritySchemes)) {
		ref := a.OpenAPI.Components.SecuritySchemes[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		out = append(out, schemeOf(name, ref.Value))
	}
	return out
}

func schemeOf(name string, s *openapi3.SecurityScheme) Scheme {
	out := Scheme{Name: name, Type: s.Type, In: s.In, Param: s.Name}
	if s.Type == SchemeHTTP {
		out.HTTP = strings.ToLower(s.Scheme)
	}
	return out
}

// GraphQLSchemes lists the ways the GraphQL endpoint takes a token: the
// hints', else Authorization: Bearer.
func (a *API) GraphQLSchemes() []Scheme {
	if a.Hints.GraphQLSchemes != nil {
		return slices.Clone(a.Hints.GraphQLSchemes)
	}
	return []Scheme{BearerScheme()}
}

// Requirement is one way of satisfying an operation's security: a
// credential for every scheme in it (OpenAPI's security requirement
// object). An empty requirement ({}) is satisfied by no credential at
// all.
type Requirement []Scheme

// Names lists the requirement's scheme names, joined by " and ".
func (r Requirement) Names() string {
	names := make([]string, len(r))
	for i, s := range r {
		names[i] = s.Name
	}
	return strings.Join(names, " and ")
}

// Security is what an operation's contract says about credentials: its
// alternatives, any one of which is enough.
type Security struct {
	// Alternatives are the requirements, in the contract's order.
	Alternatives []Requirement
}

// Open reports whether the operation takes no credential at all: no
// security declared (neither on the operation nor on the document), or an
// explicit empty list (security: []).
func (s Security) Open() bool { return len(s.Alternatives) == 0 }

// Optional reports whether credentials are optional: one alternative is
// the empty requirement ({}), beside others.
func (s Security) Optional() bool {
	return slices.ContainsFunc(s.Alternatives, func(r Requirement) bool { return len(r) == 0 })
}

// Required reports whether the operation demands a credential: it is
// neither open nor optional.
func (s Security) Required() bool { return !s.Open() && !s.Optional() }

// Schemes lists the alternatives that need credentials (every one but
// the empty requirement).
func (s Security) Schemes() []Requirement {
	var out []Requirement
	for _, r := range s.Alternatives {
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Security is the operation's security: its own security requirements
// when it has them (security: [] makes it open), else the document's.
// A requirement naming a scheme the document does not declare keeps the
// name with an empty type, which no credential satisfies.
func (a *API) Security(o Operation) Security {
	if a.OpenAPI == nil {
		return Security{}
	}
	reqs := a.OpenAPI.Security
	if o.Op != nil && o.Op.Security != nil {
		reqs = *o.Op.Security
	}
	declared := map[string]Scheme{}
	for _, s := range a.OpenAPISchemes() {
		declared[s.Name] = s
	}
	var out Security
	for _, req := range reqs {
		r := Requirement{}
		for _, name := range slices.Sorted(maps.Keys(req)) {
			s, ok := declared[name]
			if !ok {
				s = Scheme{Name: name}
			}
			r = append(r, s)
		}
		out.Alternatives = append(out.Alternatives, r)
	}
	return out
}

// BearerLike reports whether the scheme's credential is a bearer token:
// http bearer, oauth2 and openIdConnect (whose access tokens go as
// Authorization: Bearer).
func (s Scheme) BearerLike() bool {
	return s.IsBearer() || s.Type == SchemeOAuth2 || s.Type == SchemeOpenIDConnect
}

// Sendable reports whether the suite can send a credential of the
// scheme: http bearer or basic, oauth2 and openIdConnect as bearer, an
// apiKey in a header, query parameter or cookie.
func (s Scheme) Sendable() bool {
	switch {
	case s.BearerLike(), s.IsBasic():
		return true
	case s.Type == SchemeAPIKey:
		return s.Param != "" && (s.In == InHeader || s.In == InQuery || s.In == InCookie)
	}
	return false
}
