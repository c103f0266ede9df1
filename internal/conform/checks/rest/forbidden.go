package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// Forbidden is rest-forbidden: where an operation documents 403, the
// limited token gets 403 with the documented body (for operations with an
// id: the id in ids."forbidden.<param>", or any known id).
func (Catalog) Forbidden() kit.Check {
	return kit.Check{
		Name:  "rest-forbidden",
		Class: kit.ClassAuth,
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "limited token: 403 with the documented error body where documented",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				if !o.Documents(http.StatusForbidden) {
					continue
				}
				title := fmt.Sprintf("%s %s with the limited token answers 403 with the documented body", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					if a.Conf.LimitedToken == "" {
						t.Skip("no limited token configured for %s (limitedToken in conform.yaml or --limited-token)", a.Name)
					}
					values := map[string]string{}
					for _, p := range o.PathParams() {
						v := a.ID("forbidden." + p)
						if v == "" {
							var why string
							if v, why = kit.ParamID(t, p); v == "" {
								t.Skip("%s", why)
							}
						}
						values[p] = v
					}
					resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: a.CredentialsAs(o, a.Conf.LimitedToken)})
					t.KeepLastExchange()
					if resp.Status >= 200 && resp.Status < 300 {
						t.Fatalf(kit.Status(), "want HTTP 403, got %d: the limited token was allowed %s; "+
							"if it is meant to be limited only on other APIs, give %s its own limitedToken in conform.yaml "+
							"instead of --limited-token", resp.Status, o.ID(), a.Name)
					}
					kit.ExpectStatus(t, resp, http.StatusForbidden)
					kit.CheckContentType(t, o, resp)
					kit.ValidateResponse(t, o, values, resp)
				}))
			}
			return out
		},
	}
}
