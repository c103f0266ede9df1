package rest

import (
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
)

// InvalidBodies is rest-invalid-bodies, negative testing of request
// bodies: every operation that takes one is sent bodies its contract
// refuses (malformed JSON, the wrong type, each required field missing, a
// field of the wrong type, outside its enum, length or bounds, an
// undeclared field where additionalProperties is false, no body where
// one is required; for forms what a form can carry), each held invalid
// against the schema first. Each answer is a client error the operation
// documents (its code, its range or a default answer) with a valid body:
// never a 2xx (the invalid body was accepted), never a 5xx.
func (Catalog) InvalidBodies() kit.Check {
	return kit.Check{
		Name:        "rest-invalid-bodies",
		Proto:       kit.REST,
		Phase:       kit.PhaseNegative,
		Destructive: true,
		Doc:         "request bodies the schema refuses get a documented 4xx, never 2xx or 5xx",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				if !kit.HasBody(o) || o.SuccessStatus() == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s: invalid request bodies get a documented client error", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					if why := kit.WritableBody(o); why != "" {
						t.Skip("%s", why)
					}
					bodies := kit.InvalidBodies(o)
					if len(bodies) == 0 {
						t.Skip("the schema of %s %s refuses nothing the suite can send", o.Method, o.Path)
					}
					creds := kit.OpCredentials(t, o)
					values := recordValues(t, a, o)
					t.DropExchanges()
					for _, b := range bodies {
						before := t.ViolationCount()
						resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: creds, Body: b.Payload})
						kit.CheckRejected(t, o, values, resp, b.What)
						if t.ViolationCount() == before {
							t.DropLastExchange()
						}
					}
				}))
			}
			return out
		},
	}
}
