package conform

import (
	"fmt"
	"net/http"
	"strings"
)

// GraphQLPermissionDenied: a field that needs the ADMIN permission
// (manifest binding requires: [ADMIN]), asked for with the limited token,
// answers null at its path with a FORBIDDEN error at that path, e.g.
// data.admin.allClients: null (page 000, "Permission denied error").
var GraphQLPermissionDenied = &Check{
	Name:  "graphql-permission-denied",
	Proto: "graphql",
	Doc:   "limited token: the ADMIN field is null with a FORBIDDEN error",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || a.Manifest.GraphQL == nil {
			return nil
		}
		var out []*Case
		for _, typeName := range sortedKeys(a.Manifest.GraphQL.Fields) {
			for _, fieldName := range sortedKeys(a.Manifest.GraphQL.Fields[typeName]) {
				b := a.Manifest.GraphQL.Fields[typeName][fieldName]
				if !contains(b.Requires, "ADMIN") {
					continue
				}
				path := rootPath(a, typeName, fieldName)
				if path == nil {
					continue
				}
				title := fmt.Sprintf("%s with the limited token is null with a FORBIDDEN error", strings.Join(path, "."))
				out = append(out, single(ch, a, typeName+"."+fieldName, title, func(t *T) {
					if a.Conf.LimitedToken == "" {
						t.Skip("no limited token configured for %s (limitedToken in conform.yaml or --limited-token)", a.Name)
					}
					q := "{ " + strings.Join(path, " { ") + " { __typename }" + strings.Repeat(" }", len(path)-1) + " }"
					r := gql(t, a.Conf.LimitedToken, q, nil)
					if r.HTTP.Status != http.StatusOK {
						t.Errorf("status", "want HTTP 200 with a field error, got %d", r.HTTP.Status)
					}
					var p []any
					for _, s := range path {
						p = append(p, s)
					}
					if v := at(r.decoded(), p...); v != nil {
						t.Errorf(pathString("data", p...), "want null for a caller without ADMIN, got %s", excerpt([]byte(canonical(v))))
					}
					checkErrorShape(t, r, "FORBIDDEN", p)
				}))
			}
		}
		return out
	},
}

// rootPath finds the field path from the query root to typeName.fieldName
// (directly, or through one namespace field such as Query.admin).
func rootPath(a *API, typeName, fieldName string) []string {
	q := a.Schema.Query
	if q == nil {
		return nil
	}
	if q.Name == typeName {
		return []string{fieldName}
	}
	for _, f := range q.Fields {
		if f.Type.Name() == typeName && !hasRequiredArgs(f) {
			return []string{f.Name, fieldName}
		}
	}
	return nil
}
