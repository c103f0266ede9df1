package model

import "regexp"

// documentedGet finds "GET /path" in a schema's description: "(and GET
// /graphql?query=... for queries)".
var documentedGet = regexp.MustCompile(`\bGET\s+/\S*`)

// GraphQLGetDocumented reports whether the API's contract documents
// GraphQL over GET (its SDL's schema description names a GET request).
func (a *API) GraphQLGetDocumented() bool {
	return a.Schema != nil && documentedGet.MatchString(a.Schema.Description)
}
