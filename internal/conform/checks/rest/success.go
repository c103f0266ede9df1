package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// Success is rest-success: every operation, called with the valid
// credentials its contract's security names (none for an operation that
// declares no security; ids from the configuration or read from a list
// operation), answers its documented success status with a documented
// content type, the documented headers and a body valid against the
// response schema (openapi3filter.ValidateResponse). An operation that
// declares no security yet answers 401 or 403 demands credentials its
// contract does not.
func (Catalog) Success() kit.Check {
	return kit.Check{
		Name:  "rest-success",
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "success status, content type, documented headers and body schema with the credentials the contract names",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				want := o.SuccessStatus()
				if want == 0 || o.Method != http.MethodGet {
					continue
				}
				title := fmt.Sprintf("%s %s answers %d with a valid body", o.Method, o.Path, want)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					creds := kit.OpCredentials(t, o)
					values := kit.PathValues(t, o, nil)
					resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: creds})
					t.KeepLastExchange() // discovery requests are not this check's
					if sec := a.Security(o); creds == nil && (resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden) {
						why := "declares no security"
						if sec.Optional() {
							why = "makes credentials optional (security: {})"
						}
						t.Fatalf(kit.Status(), "answered %d to a request without credentials, but the contract %s for %s %s: it demands credentials its contract does not", resp.Status, why, o.Method, o.Path)
					}
					kit.ExpectStatus(t, resp, want)
					kit.CheckContentType(t, o, resp)
					kit.ValidateResponse(t, o, values, resp)
				}))
			}
			return out
		},
	}
}
