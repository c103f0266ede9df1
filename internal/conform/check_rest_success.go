package conform

import (
	"fmt"
	"net/http"
)

// RESTSuccess: every operation, called with the valid token (ids from the
// configuration or read from a list operation), answers its documented
// success status with a documented content type, the documented headers and
// a body valid against the response schema (openapi3filter.ValidateResponse).
var RESTSuccess = &Check{
	Name:  "rest-success",
	Proto: "rest",
	Doc:   "success status, content type, documented headers and body schema with the valid token",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, o := range restOps(a) {
			want := o.successStatus()
			if want == 0 || o.Method != http.MethodGet {
				continue
			}
			title := fmt.Sprintf("%s %s answers %d with a valid body", o.Method, o.Path, want)
			out = append(out, single(ch, a, o.ID(), title, func(t *T) {
				values := map[string]string{}
				for _, p := range o.pathParams() {
					v, why := paramID(t, p)
					if v == "" {
						t.Skip("%s", why)
					}
					values[p] = v
				}
				resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: a.Conf.Token})
				t.exchanges = t.exchanges[len(t.exchanges)-1:] // discovery requests are not this check's
				expectStatus(t, resp, want)
				checkContentType(t, o, resp)
				validateResponse(t, o, values, resp)
			}))
		}
		return out
	},
}
