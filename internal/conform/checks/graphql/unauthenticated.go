package graphql

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// Unauthenticated is graphql-unauthenticated: without a token, or with an
// unknown one, the endpoint answers HTTP 401 with {"errors": [...]} whose
// extensions.code is the API's documented 401 code (UNAUTHENTICATED).
func (Catalog) Unauthenticated() kit.Check {
	return kit.Check{
		Name:  "graphql-unauthenticated",
		Class: kit.ClassAuth,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "no or unknown token: HTTP 401 with a GraphQL error UNAUTHENTICATED",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			code := a.GraphQLErrorCode(http.StatusUnauthorized)
			var out []*kit.Case
			for _, c := range []struct {
				how   string
				creds kit.Credentials
			}{{"without a token", nil}, {"with an unknown token", a.CredentialsOf(kit.UnknownToken)}} {
				title := fmt.Sprintf("POST %s %s answers 401 with an %s error", a.GraphQLPath(), c.how, code)
				out = append(out, kit.Single(ch, a, "POST "+a.GraphQLPath(), title, func(t *kit.T) {
					q, _ := kit.FullSelectionQuery(a.Schema, a.Conf.FirstIDs())
					r := kit.GQL(t, c.creds, q, nil)
					kit.ExpectStatus(t, r.HTTP, http.StatusUnauthorized)
					if r.HasData() {
						t.Errorf(kit.GQLPath("data"), "an unauthenticated request must not return data")
					}
					kit.CheckErrorShape(t, r, code, nil)
				}))
			}
			return out
		},
	}
}
