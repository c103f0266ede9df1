package conform

import (
	"fmt"
	"net/http"
)

// RESTNoToken: a request without credentials gets 401 with the documented
// body.
var RESTNoToken = &Check{
	Name:  "rest-no-token",
	Proto: "rest",
	Doc:   "no credentials: 401 with the documented error body",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		return authCases(ch, a, "", "without a token")
	},
}

// authCases builds the 401 cases of every operation documenting 401.
func authCases(ch *Check, a *API, token, how string) []*Case {
	var out []*Case
	for _, o := range restOps(a) {
		if !o.documents(http.StatusUnauthorized) {
			continue
		}
		title := fmt.Sprintf("%s %s %s answers 401 with the documented body", o.Method, o.Path, how)
		out = append(out, single(ch, a, o.ID(), title, func(t *T) {
			values := map[string]string{}
			for _, p := range o.pathParams() {
				v := a.ID(p)
				if v == "" {
					v = unknownValue("")
				}
				values[p] = v
			}
			resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: token})
			expectStatus(t, resp, http.StatusUnauthorized)
			checkContentType(t, o, resp)
			validateResponse(t, o, values, resp)
		}))
	}
	return out
}
