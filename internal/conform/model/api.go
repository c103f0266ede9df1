package model

import (
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"
)

// API is one API's contract.
type API struct {
	// Name identifies the API (the bundled folder's, or the one a --spec
	// run gives it).
	Name string
	// OpenAPI is the REST contract (nil when the API has no REST part).
	OpenAPI *openapi3.T
	// Schema is the GraphQL contract (nil when the API has no GraphQL
	// part).
	Schema *ast.Schema
	// SchemaFile is the base name of the SDL file, for titles.
	SchemaFile string
	// Hints are what the contract documents cannot say; the zero value
	// is none.
	Hints Hints
	// Warnings are what loading the contract has to say without refusing
	// it (a Swagger 2.0 document checked as its conversion).
	Warnings []string
}

// GraphQLPath is where the GraphQL endpoint is asked: the hints', else
// DefaultGraphQLPath.
func (a *API) GraphQLPath() string {
	if a.Hints.GraphQLPath != "" {
		return a.Hints.GraphQLPath
	}
	return DefaultGraphQLPath
}
