package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// NotFound is rest-not-found: an operation that documents 404 answers 404
// with the documented body for an id no record has.
func (Catalog) NotFound() kit.Check {
	return kit.Check{
		Name:  "rest-not-found",
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Doc:   "unknown id: 404 with the documented error body",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				params := o.PathParams()
				if !o.Documents(http.StatusNotFound) || len(params) == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s with an unknown id answers 404 with the documented body", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
					values := map[string]string{}
					for _, p := range params {
						values[p] = kit.UnknownValue(a.ID(p))
					}
					resp := t.Do(kit.Request{Method: o.Method, Path: o.Fill(values), Credentials: a.Credentials()})
					if resp.Status == http.StatusOK {
						t.Errorf(kit.Status(), "want HTTP 404 for unknown %v, got 200: the server found a record for an id no record has", values)
					} else {
						kit.ExpectStatus(t, resp, http.StatusNotFound)
					}
					kit.CheckContentType(t, o, resp)
					kit.ValidateResponse(t, o, values, resp)
				}))
			}
			return out
		},
	}
}
