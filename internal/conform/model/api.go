package model

import (
	"mime"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/conventions"
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

	acceptOnce sync.Once
	accept     string
}

// Accept is the Accept header the API's requests carry: the JSON media
// types the REST contract's answers document (application/json and +json
// types such as a vendor's), application/json after them at q=0.9 when
// the contract documents only others, and */* at q=0.1 last when some
// answer is documented in no JSON type. A server that offers only its own
// type is asked for one it has, first.
func (a *API) Accept() string {
	a.acceptOnce.Do(func() {
		a.accept = "application/json"
		if a.OpenAPI == nil || a.OpenAPI.Paths == nil {
			return
		}
		seen := map[string]bool{}
		others := false // an answer documented only in a type not JSON
		for _, item := range a.OpenAPI.Paths.Map() {
			for _, op := range item.Operations() {
				if op == nil || op.Responses == nil {
					continue
				}
				for _, r := range op.Responses.Map() {
					if r == nil || r.Value == nil {
						continue
					}
					json := false
					for mt := range r.Value.Content {
						if base, _, err := mime.ParseMediaType(mt); err == nil && conventions.IsJSON(base) {
							seen[base], json = true, true
						}
					}
					others = others || len(r.Value.Content) > 0 && !json
				}
			}
		}
		if others {
			// Directus' GET /assets/{id} answers text/plain alone: asked
			// for JSON only, a server rightly answers 406
			defer func() { a.accept += ", */*;q=0.1" }()
		}
		if len(seen) == 0 || len(seen) == 1 && seen["application/json"] {
			return
		}
		types := make([]string, 0, len(seen)+1)
		for mt := range seen {
			types = append(types, mt)
		}
		sort.Slice(types, func(i, j int) bool { // application/json first
			if (types[i] == "application/json") != (types[j] == "application/json") {
				return types[i] == "application/json"
			}
			return types[i] < types[j]
		})
		if !seen["application/json"] {
			types = append(types, "application/json;q=0.9")
		}
		a.accept = strings.Join(types, ", ")
	})
	return a.accept
}

// GraphQLPath is where the GraphQL endpoint is asked: the hints', else
// DefaultGraphQLPath.
func (a *API) GraphQLPath() string {
	if a.Hints.GraphQLPath != "" {
		return a.Hints.GraphQLPath
	}
	return DefaultGraphQLPath
}
