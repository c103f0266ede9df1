package exec

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/standin/standin/internal/graphql/introspect"
)

// IntrospectionCost is the cost (Analysis.IntrospectionCost) of the full
// introspection query, graphql-js's getIntrospectionQuery with every
// option (introspect.FullQuery), against schema: the unit of the default
// introspection bound (Limits.IntrospectionQueries). It depends on the
// schema's numbers of types and directives only.
func IntrospectionCost(schema *ast.Schema) int {
	doc, err := parser.ParseQuery(&ast.Source{Name: "introspection", Input: introspect.FullQuery})
	if err != nil || len(doc.Operations) == 0 {
		return 0 // the embedded query parses: a build fault
	}
	return Analyze(schema, doc, doc.Operations[0], nil, Limits{}).IntrospectionCost
}
