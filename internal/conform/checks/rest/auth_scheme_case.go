package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// AuthSchemeCase is rest-auth-scheme-case: where the contract takes a
// bearer token (an http bearer security scheme), the scheme name is
// matched case-insensitively, as RFC 9110 §11.1 says of every
// authentication scheme: "Authorization: bearer <token>" and "BEARER
// <token>" get the documented success, like "Bearer".
func (Catalog) AuthSchemeCase() kit.Check {
	return kit.Check{
		Name:  "rest-auth-scheme-case",
		Proto: kit.REST,
		Phase: kit.PhaseAccess,
		Class: kit.ClassHTTP,
		Doc:   "the auth scheme name is case-insensitive (RFC 9110 §11.1): bearer and BEARER work like Bearer",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			bearer := false
			for _, s := range a.OpenAPISchemes() {
				bearer = bearer || s.IsBearer()
			}
			if !bearer {
				return nil
			}
			var out []*kit.Case
			for _, o := range a.Operations() {
				want := o.SuccessStatus()
				if o.Method != http.MethodGet || want == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s answers %d to the valid token sent as \"bearer\" and \"BEARER\" (RFC 9110 §11.1)", o.Method, o.Path, want)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					if a.Conf.Token == "" {
						t.Skip("no bearer token configured for %s (token in conform.yaml or --token)", a.Name)
					}
					values := kit.PathValues(t, o, nil)
					t.DropExchanges()
					for _, scheme := range []string{"bearer", "BEARER"} {
						resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Header: map[string]string{"Authorization": scheme + " " + a.Conf.Token}})
						if resp.Status != want {
							t.Errorf(kit.Status(), "the valid token sent as %q: want HTTP %d (the scheme name is case-insensitive, RFC 9110 §11.1), got %d", scheme+" <token>", want, resp.Status)
						} else {
							t.DropLastExchange()
						}
					}
				}))
			}
			return out
		},
	}
}
