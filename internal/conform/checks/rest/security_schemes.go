package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// SecuritySchemes is rest-security-schemes: every security scheme the
// OpenAPI document declares (components.securitySchemes: http bearer or
// basic, apiKey in a header or the query) is tried on each GET operation:
// the valid token sent that way answers the documented success, an unknown
// one 401.
func (Catalog) SecuritySchemes() kit.Check {
	return kit.Check{
		Name:  "rest-security-schemes",
		Proto: kit.REST,
		Phase: kit.PhaseAccess,
		Doc:   "each declared security scheme: the valid token is accepted, an unknown one gets 401",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, s := range a.OpenAPISchemes() {
				how, name := s.Describe(), s.Name
				if how == "" || s.In == model.InCookie {
					continue // oauth2 / openIdConnect: the token is a bearer token, tried by rest-success; a cookie is not tried
				}
				for _, o := range a.Operations() {
					if o.Method != http.MethodGet || o.SuccessStatus() == 0 {
						continue
					}
					title := fmt.Sprintf("%s %s accepts the valid token as %s (scheme %s), refuses an unknown one with 401", o.Method, o.Path, how, name)
					out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
						values := kit.PathValues(t, o, nil)
						resp := t.Do(kit.Request{Method: o.Method, Path: o.Fill(values), Credentials: kit.With(s, a.Conf.Token)})
						if kit.ExpectStatus(t, resp, o.SuccessStatus()) {
							kit.ValidateResponse(t, o, values, resp)
						} else {
							t.Errorf(kit.Status(), "the valid token sent as %s was not accepted", how)
						}
						if o.Documents(http.StatusUnauthorized) {
							resp = t.Do(kit.Request{Method: o.Method, Path: o.Fill(values), Credentials: kit.With(s, kit.UnknownToken)})
							if kit.ExpectStatus(t, resp, http.StatusUnauthorized) {
								kit.ValidateResponse(t, o, values, resp)
							}
						}
					}))
				}
			}
			return out
		},
	}
}
