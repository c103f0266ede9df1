package conform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/manifest"
)

// defaultGraphQLPath is where a --spec GraphQL API is asked.
const defaultGraphQLPath = "/graphql"

// specAPI loads an API that is not bundled from its contract file (--spec
// or spec: in conform.yaml): an OpenAPI 3.0/3.1 document (YAML or JSON) or
// a GraphQL SDL (.graphql, .graphqls, .gql, or a file that does not
// start like an OpenAPI document). Its manifest is minimal (Bearer auth,
// no bindings), so only the generic checks have cases.
func specAPI(name string, conf APIConfig) (*API, error) {
	data, err := os.ReadFile(conf.Spec)
	if err != nil {
		return nil, fmt.Errorf("%w: spec of %s: %v", ErrUsage, name, err)
	}
	m := &manifest.API{Name: name, Title: name + " (" + filepath.Base(conf.Spec) + ")", Auth: manifest.Auth{Bearer: true}}
	a := &API{Name: name, Manifest: m, Conf: conf}
	if isSDL(conf.Spec, data) {
		schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: conf.Spec, Input: string(data)})
		if gerr != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUsage, conf.Spec, gerr)
		}
		m.GraphQL = &manifest.GraphQL{Path: defaultGraphQLPath, Schema: filepath.Base(conf.Spec)}
		a.Schema, a.GraphQLPath = schema, defaultGraphQLPath
		return a, nil
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(conf.Spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUsage, conf.Spec, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUsage, conf.Spec, err)
	}
	m.REST = &manifest.REST{Spec: filepath.Base(conf.Spec)}
	a.OpenAPI = doc
	return a, nil
}

// isSDL tells a GraphQL SDL from an OpenAPI document.
func isSDL(file string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".graphql", ".graphqls", ".gql":
		return true
	case ".yaml", ".yml", ".json":
		return false
	}
	s := string(data)
	return !strings.Contains(s, "openapi:") && !strings.Contains(s, `"openapi"`)
}
