package rest

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// authCases builds the 401 cases of every operation documenting 401,
// each sending creds (rest-no-token: none; rest-bad-token: an unknown
// token).
func authCases(ch *kit.Check, a *kit.API, creds kit.Credentials, how string) []*kit.Case {
	var out []*kit.Case
	for _, o := range a.Operations() {
		if !o.Documents(http.StatusUnauthorized) {
			continue
		}
		title := fmt.Sprintf("%s %s %s answers 401 with the documented body", o.Method, o.Path, how)
		out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
			values := map[string]string{}
			for _, p := range o.PathParams() {
				v := a.ID(p)
				if v == "" {
					v = kit.UnknownValue("")
				}
				values[p] = v
			}
			resp := t.Do(kit.Request{Method: o.Method, Path: o.Fill(values), Credentials: creds})
			kit.ExpectStatus(t, resp, http.StatusUnauthorized)
			kit.CheckContentType(t, o, resp)
			kit.ValidateResponse(t, o, values, resp)
		}))
	}
	return out
}
