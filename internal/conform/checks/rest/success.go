package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// Success is rest-success: every operation, called with the valid token
// (ids from the configuration or read from a list operation), answers its
// documented success status with a documented content type, the documented
// headers and a body valid against the response schema
// (openapi3filter.ValidateResponse).
func (Catalog) Success() kit.Check {
	return kit.Check{
		Name:  "rest-success",
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "success status, content type, documented headers and body schema with the valid token",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				want := o.SuccessStatus()
				if want == 0 || o.Method != http.MethodGet {
					continue
				}
				title := fmt.Sprintf("%s %s answers %d with a valid body", o.Method, o.Path, want)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					values := map[string]string{}
					for _, p := range o.PathParams() {
						v, why := kit.ParamID(t, p)
						if v == "" {
							t.Skip("%s", why)
						}
						values[p] = v
					}
					resp := t.Do(kit.Request{Method: o.Method, Path: o.Fill(values), Credentials: a.Credentials()})
					t.KeepLastExchange() // discovery requests are not this check's
					kit.ExpectStatus(t, resp, want)
					kit.CheckContentType(t, o, resp)
					kit.ValidateResponse(t, o, values, resp)
				}))
			}
			return out
		},
	}
}
