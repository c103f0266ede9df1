package conform

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// GraphQLSecuritySchemes: every way the API's manifest says it takes a
// token (auth.bearer, auth.apiKeyHeader, e.g. the admin API's X-API-Key) is
// tried: the valid token sent that way answers data without errors, an
// unknown one HTTP 401 with the documented error code.
var GraphQLSecuritySchemes = &Check{
	Name:  "graphql-security-schemes",
	Proto: "graphql",
	Doc:   "each way of sending a token: the valid token is accepted, an unknown one gets 401",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.Schema == nil || a.Manifest == nil {
			return nil
		}
		type scheme struct{ how, header string }
		var schemes []scheme
		if a.Manifest.Auth.Bearer || a.Manifest.Auth.APIKeyHeader == "" {
			schemes = append(schemes, scheme{how: "Authorization: Bearer"})
		}
		if h := a.Manifest.Auth.APIKeyHeader; h != "" {
			schemes = append(schemes, scheme{how: h + " header", header: h})
		}
		code := a.Manifest.Error(http.StatusUnauthorized).GraphQLCode
		if code == "" {
			code = a.Manifest.Error(http.StatusUnauthorized).Code
		}
		var out []*Case
		for _, s := range schemes {
			title := fmt.Sprintf("POST %s accepts the valid token as %s, refuses an unknown one with 401 %s", a.GraphQLPath, s.how, code)
			out = append(out, single(ch, a, "POST "+a.GraphQLPath, title, func(t *T) {
				q, _ := FullSelectionQuery(a.Schema, a.Conf.FirstIDs())
				if q == "" {
					t.Skip("no root field can be selected without ids")
				}
				send := func(token string) gqlResult {
					if s.header == "" {
						return gql(t, token, q, nil)
					}
					return gqlHeader(t, s.header, token, q)
				}
				r := send(a.Conf.Token)
				if !requireOK(t, r) {
					t.Errorf("status", "the valid token sent as %s was not accepted", s.how)
				}
				r = send(badToken)
				expectStatus(t, r.HTTP, http.StatusUnauthorized)
				if r.hasData() {
					t.Errorf("data", "an unknown token sent as %s must not return data", s.how)
				}
				checkErrorShape(t, r, code, nil)
			}))
		}
		return out
	},
}

// gqlHeader is gql with the token in header instead of Authorization.
func gqlHeader(t *T, header, token, query string) gqlResult {
	body, _ := json.Marshal(map[string]any{"query": query})
	resp := t.Do(Request{Method: http.MethodPost, Path: t.api.GraphQLPath, Header: map[string]string{header: token}, Body: body})
	res := gqlResult{HTTP: resp}
	if err := json.Unmarshal(resp.Body, &res); err != nil {
		t.Fatalf("", "HTTP %d: the body is not a GraphQL JSON response: %v", resp.Status, err)
	}
	return res
}
