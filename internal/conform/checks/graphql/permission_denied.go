package graphql

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
)

// PermissionDenied is graphql-permission-denied: a field that needs the
// ADMIN permission (hints from the manifest binding's requires: [ADMIN]),
// asked for with the limited token, answers null at its path with a
// FORBIDDEN error at that path, e.g. data.admin.allClients: null (page 000,
// "Permission denied error").
func (Catalog) PermissionDenied() kit.Check {
	return kit.Check{
		Name:  "graphql-permission-denied",
		Class: kit.ClassAuth,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "limited token: the ADMIN field is null with a FORBIDDEN error",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			var out []*kit.Case
			for _, coord := range a.FieldsRequiring("ADMIN") {
				typeName, fieldName := coord.Type, coord.Field
				path := a.RootPath(typeName, fieldName)
				if path == nil {
					continue
				}
				title := fmt.Sprintf("%s with the limited token is null with a FORBIDDEN error", strings.Join(path, "."))
				out = append(out, kit.Single(ch, a, typeName+"."+fieldName, title, func(t *kit.T) {
					if a.Conf.LimitedToken == "" {
						t.Skip("no limited token configured for %s (limitedToken in conform.yaml or --limited-token)", a.Name)
					}
					q := "{ " + strings.Join(path, " { ") + " { __typename }" + strings.Repeat(" }", len(path)-1) + " }"
					r := kit.GQL(t, a.LimitedCredentials(), q, nil)
					if r.HTTP.Status != http.StatusOK {
						t.Errorf(kit.Status(), "want HTTP 200 with a field error, got %d", r.HTTP.Status)
					}
					var p []any
					for _, s := range path {
						p = append(p, s)
					}
					if v := kit.At(r.Decoded(), p...); v != nil {
						t.Errorf(kit.GQLPath(kit.PathString("data", p...)), "want null for a caller without ADMIN, got %s", kit.Excerpt([]byte(kit.Canonical(v))))
					}
					kit.CheckErrorShape(t, r, "FORBIDDEN", p)
				}))
			}
			return out
		},
	}
}
