package conform

import (
	"fmt"
	"net/http"
)

// RESTNotFound: an operation that documents 404 answers 404 with the
// documented body for an id no record has.
var RESTNotFound = &Check{
	Name:  "rest-not-found",
	Proto: "rest",
	Doc:   "unknown id: 404 with the documented error body",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, o := range restOps(a) {
			params := o.pathParams()
			if !o.documents(http.StatusNotFound) || len(params) == 0 {
				continue
			}
			title := fmt.Sprintf("%s %s with an unknown id answers 404 with the documented body", o.Method, o.Path)
			out = append(out, single(ch, a, o.ID(), title, func(t *T) {
				values := map[string]string{}
				for _, p := range params {
					values[p] = unknownValue(a.ID(p))
				}
				resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: a.Conf.Token})
				if resp.Status == http.StatusOK {
					t.Errorf("status", "want HTTP 404 for unknown %v, got 200: the server found a record for an id no record has", values)
				} else {
					expectStatus(t, resp, http.StatusNotFound)
				}
				checkContentType(t, o, resp)
				validateResponse(t, o, values, resp)
			}))
		}
		return out
	},
}
