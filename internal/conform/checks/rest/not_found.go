package rest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
)

// NotFound is rest-not-found: a GET with path parameters that documents
// 404 (or that reads one record of a collection and documents a default
// answer) answers 404 with the documented body for an id no record has. The unknown id is typed by the parameter's schema (a
// large integer for an integer id, a fresh uuid for a uuid, a slug
// matching the pattern for a string), so the request is valid and only
// the record is missing; a 5xx is a server error for a missing record.
// Where the contract documents no 404 of its own, 410 Gone is taken too.
func (Catalog) NotFound() kit.Check {
	return kit.Check{
		Name:  "rest-not-found",
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "unknown id (typed by its schema): 404 with the documented error body",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				params := o.PathParams()
				if o.Method != http.MethodGet || len(params) == 0 ||
					!o.Documents(http.StatusNotFound) && !(o.Answers(http.StatusNotFound) && a.IsItemRead(o)) {
					continue
				}
				title := fmt.Sprintf("%s %s with an unknown id answers 404 with the documented body", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					creds := kit.OpCredentials(t, o)
					values := map[string]string{}
					var shown []string
					for _, p := range params {
						v, ok := kit.UnknownID(t, o, p)
						if !ok {
							t.Skip("no value of path parameter %s is known to name no record: its schema is an enum, bounds that leave few integers, or a pattern the generator cannot match", p)
						}
						values[p] = v
						shown = append(shown, fmt.Sprintf("%s %q", p, v))
					}
					what := "unknown " + strings.Join(shown, ", ")
					resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: creds})
					switch {
					case kit.CheckServerError(t, resp, what):
						t.Reword(t.ViolationCount()-1, func(v kit.Violation) string { return v.Message + "; want HTTP 404 for a missing record" })
					case resp.Status >= 200 && resp.Status < 300:
						t.Errorf(kit.Status(), "want HTTP 404 for %s, got %d: the server found a record for an id no record has", what, resp.Status)
					case resp.Status == http.StatusGone && !o.Documents(http.StatusNotFound):
					default:
						if !kit.ExpectStatus(t, resp, http.StatusNotFound) {
							t.Reword(t.ViolationCount()-1, func(v kit.Violation) string { return v.Message + " for " + what })
						}
					}
					kit.CheckContentType(t, o, resp)
					kit.ValidateResponse(t, o, values, resp)
				}))
			}
			return out
		},
	}
}
