package conform

import (
	"fmt"
	"strings"
)

// DefaultGraphQLPath is where an API's GraphQL endpoint is asked when
// neither its configuration nor (for a bundled API) its manifest names
// another path.
const DefaultGraphQLPath = "/graphql"

// Error code policies of a GraphQL API (GraphQLConfig.ErrorCodes): what
// the checks require of extensions.code, which the GraphQL specification
// leaves optional.
const (
	// CodesOptional: no error needs extensions.code (the default of an
	// API checked against its own contract).
	CodesOptional = "optional"
	// CodesFields: the errors about a field or an argument (an unknown
	// id, a refused permission, an invalid argument, a missing
	// credential) carry the documented code; errors about a malformed
	// request body need none.
	CodesFields = "fields"
	// CodesRequired: every error carries extensions.code.
	CodesRequired = "required"
)

// GraphQLConfig is what conform.yaml says of an API's GraphQL endpoint.
type GraphQLConfig struct {
	// Path is where the endpoint is asked (graphqlPath; "" the
	// manifest's path for a bundled API, else DefaultGraphQLPath).
	Path string `yaml:"graphqlPath" json:"graphqlPath,omitempty"`
	// ErrorCodes is the error code policy (errorCodes: optional, fields
	// or required; "" is optional).
	ErrorCodes string `yaml:"errorCodes" json:"errorCodes,omitempty"`
}

// CodesRequired reports whether errors of this kind must carry
// extensions.code: field errors (request is false) under fields or
// required, request errors (a malformed body) under required only.
func (g GraphQLConfig) CodesRequired(request bool) bool {
	switch g.ErrorCodes {
	case CodesRequired:
		return true
	case CodesFields:
		return !request
	}
	return false
}

func (g GraphQLConfig) validate(api string) error {
	if g.Path != "" && !strings.HasPrefix(g.Path, "/") {
		return fmt.Errorf("%w: API %s: graphqlPath %q must start with /", ErrUsage, api, g.Path)
	}
	switch g.ErrorCodes {
	case "", CodesOptional, CodesFields, CodesRequired:
		return nil
	}
	return fmt.Errorf("%w: API %s: errorCodes %q: want %s, %s or %s", ErrUsage, api, g.ErrorCodes, CodesOptional, CodesFields, CodesRequired)
}
