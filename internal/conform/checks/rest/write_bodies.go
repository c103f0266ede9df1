package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// WriteBodies is rest-write-bodies: every operation that takes a request
// body is sent each valid body the suite makes from its contract (per
// media type it writes, JSON, a form or a multipart form: the documented
// examples, a body with every field, one with the required fields only):
// each answers a documented success with a valid body (or a 409 the
// operation documents: the data already holds what a unique field says;
// or any refusal of a creation whose body names a key the server holds,
// keyTaken).
// An operation on one record works on a known one (configured, read from
// a list, or made by the contract's own creation).
func (Catalog) WriteBodies() kit.Check {
	return kit.Check{
		Name:        "rest-write-bodies",
		Proto:       kit.REST,
		Phase:       kit.PhaseBehaviour,
		Destructive: true,
		Doc:         "every valid request body (examples and generated; JSON, forms, multipart) answers a documented success",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				if !kit.HasBody(o) || o.SuccessStatus() == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s answers a documented success to each valid request body", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					if why := kit.WritableBody(o); why != "" {
						t.Skip("%s", why)
					}
					bodies := kit.ValidBodies(o, 0)
					if len(bodies) == 0 {
						t.Skip("no valid request body of %s %s can be generated from its schema", o.Method, o.Path)
					}
					creds := kit.OpCredentials(t, o)
					values := recordValues(t, a, o)
					t.DropExchanges()
					for _, b := range bodies {
						before := t.ViolationCount()
						resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: creds, Body: b.Payload})
						if resp.Status == http.StatusConflict && o.Documents(http.StatusConflict) {
							kit.ValidateResponse(t, o, values, resp)
						} else if _, taken := keyTaken(t, a, o, values, resp, b.Value); !taken {
							kit.CheckAccepted(t, o, values, resp, b.What)
						}
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

// recordValues fills the path parameters of an operation on one record:
// from the configuration or a list operation (kit.ParamID), else by
// making a record with the contract's creation for that path; a
// parameter without a value skips the step.
func recordValues(t *kit.T, a *kit.API, o model.Operation) map[string]string {
	values := map[string]string{}
	var missing []string
	for _, p := range o.PathParams() {
		if v, _ := kit.ParamValue(t, o, p); v != "" {
			values[p] = v
		} else {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return values
	}
	for _, c := range a.CRUDChains() {
		if c.Read.Path == o.Path && c.Create.Path != o.Path {
			made, _, _, _ := createRecord(t, c)
			return made
		}
	}
	_, why := kit.ParamID(t, missing[0])
	t.Skip("%s, and no operation of the contract creates one", why)
	return nil
}
