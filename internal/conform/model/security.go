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
// parameter key", "cookie session"; "" for a scheme the suite cannot send
// (oauth2 and openIdConnect: their tokens are bearer tokens).
func (s Scheme) Describe() string {
	switch {
	case s.IsBearer():
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
