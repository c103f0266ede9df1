package conform

import (
	"fmt"
	"net/http"
)

// GraphQLUnauthenticated: without a token, or with an unknown one, the
// endpoint answers HTTP 401 with {"errors": [...]} whose extensions.code is
// the API's documented 401 code (UNAUTHENTICATED).
var GraphQLUnauthenticated = &Check{
	Name:  "graphql-unauthenticated",
	Proto: "graphql",
	Doc:   "no or unknown token: HTTP 401 with a GraphQL error UNAUTHENTICATED",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil {
			return nil
		}
		shape := a.Manifest.Error(http.StatusUnauthorized)
		code := shape.GraphQLCode
		if code == "" {
			code = shape.Code
		}
		var out []*Case
		for _, c := range []struct{ how, token string }{{"without a token", ""}, {"with an unknown token", badToken}} {
			title := fmt.Sprintf("POST %s %s answers 401 with an %s error", a.GraphQLPath, c.how, code)
			out = append(out, single(ch, a, "POST "+a.GraphQLPath, title, func(t *T) {
				q, _ := FullSelectionQuery(a.Schema, a.Conf.FirstIDs())
				r := gql(t, c.token, q, nil)
				expectStatus(t, r.HTTP, http.StatusUnauthorized)
				if r.hasData() {
					t.Errorf("data", "an unauthenticated request must not return data")
				}
				checkErrorShape(t, r, code, nil)
			}))
		}
		return out
	},
}
