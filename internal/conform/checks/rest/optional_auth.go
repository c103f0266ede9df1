package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// OptionalAuth is rest-optional-auth: a GET operation whose security
// makes credentials optional (an empty requirement, security: [{}] or
// beside others) answers its documented success with a valid body to a
// request without any.
func (Catalog) OptionalAuth() kit.Check {
	return kit.Check{
		Name:  "rest-optional-auth",
		Proto: kit.REST,
		Phase: kit.PhaseAccess,
		Doc:   "operations whose credentials are optional answer without any",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				want := o.SuccessStatus()
				if o.Method != http.MethodGet || want == 0 || !a.Security(o).Optional() {
					continue
				}
				title := fmt.Sprintf("%s %s answers %d without credentials (its security makes them optional)", o.Method, o.Path, want)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					values := kit.PathValues(t, o, nil)
					resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values)})
					t.KeepLastExchange()
					if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
						t.Fatalf(kit.Status(), "answered %d without credentials, but the contract makes them optional for %s %s (security: {} is one of its alternatives)", resp.Status, o.Method, o.Path)
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
