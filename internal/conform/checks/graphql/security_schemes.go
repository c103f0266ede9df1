package graphql

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// SecuritySchemes is graphql-security-schemes: every way the API takes a
// token (model.GraphQLSchemes: from the hints, the manifest's auth.bearer
// and auth.apiKeyHeader, e.g. the admin API's X-API-Key) is tried: the
// valid token sent that way answers data without errors, an unknown one
// HTTP 401 with the documented error code.
func (Catalog) SecuritySchemes() kit.Check {
	return kit.Check{
		Name:  "graphql-security-schemes",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAccess,
		Doc:   "each way of sending a token: the valid token is accepted, an unknown one gets 401",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			code := a.FieldCode(http.StatusUnauthorized)
			var out []*kit.Case
			for _, s := range a.GraphQLSchemes() {
				how := s.Describe()
				title := fmt.Sprintf("POST %s accepts the valid token as %s, refuses an unknown one", a.GraphQLPath(), how)
				if code != "" {
					title = fmt.Sprintf("POST %s accepts the valid token as %s, refuses an unknown one with 401 %s", a.GraphQLPath(), how, code)
				}
				out = append(out, kit.Single(ch, a, "POST "+a.GraphQLPath(), title, func(t *kit.T) {
					if a.Open() {
						t.Skip("no credential is configured: the API is checked as an open one")
					}
					q, _ := kit.FullSelectionQuery(a.Schema, kit.Filler(t))
					if q == "" {
						t.Skip("no root field can be selected without ids")
					}
					send := func(secret string) kit.GQLResult {
						if s.IsBearer() {
							return kit.GQL(t, kit.With(s, secret), q, nil)
						}
						return queryOnly(t, kit.With(s, secret), q)
					}
					r := send(a.Conf.Token)
					if !kit.RequireData(t, r) {
						t.Errorf(kit.Status(), "the valid token sent as %s was not accepted", how)
					}
					if code == "" {
						expectRefused(t, kit.With(s, kit.UnknownToken), q, "with an unknown token sent as "+how)
						return
					}
					r = send(kit.UnknownToken)
					kit.ExpectStatus(t, r.HTTP, http.StatusUnauthorized)
					if r.HasData() {
						t.Errorf(kit.GQLPath("data"), "an unknown token sent as %s must not return data", how)
					}
					kit.CheckErrorShape(t, r, code, nil)
				}))
			}
			return out
		},
	}
}

// queryOnly sends a GraphQL request whose body holds the query alone (no
// variables member).
func queryOnly(t *kit.T, creds kit.Credentials, query string) kit.GQLResult {
	body, _ := json.Marshal(map[string]any{"query": query})
	resp := t.Do(kit.Request{Method: http.MethodPost, Path: t.API().GraphQLPath(), Credentials: creds, Body: kit.JSON(body)})
	res := kit.GQLResult{HTTP: resp}
	if err := json.Unmarshal(resp.Body, &res); err != nil {
		t.Fatalf(kit.Body(""), "HTTP %d: the body is not a GraphQL JSON response: %v", resp.Status, err)
	}
	return res
}
