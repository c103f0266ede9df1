package conform

import (
	"fmt"
	"net/http"
)

// RESTForbidden: where an operation documents 403, the limited token gets
// 403 with the documented body (for operations with an id: the id in
// ids."forbidden.<param>", or any known id).
var RESTForbidden = &Check{
	Name:  "rest-forbidden",
	Proto: "rest",
	Doc:   "limited token: 403 with the documented error body where documented",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		var out []*Case
		for _, o := range restOps(a) {
			if !o.documents(http.StatusForbidden) {
				continue
			}
			title := fmt.Sprintf("%s %s with the limited token answers 403 with the documented body", o.Method, o.Path)
			out = append(out, single(ch, a, o.ID(), title, func(t *T) {
				if a.Conf.LimitedToken == "" {
					t.Skip("no limited token configured for %s (limitedToken in conform.yaml or --limited-token)", a.Name)
				}
				values := map[string]string{}
				for _, p := range o.pathParams() {
					v := a.ID("forbidden." + p)
					if v == "" {
						var why string
						if v, why = paramID(t, p); v == "" {
							t.Skip("%s", why)
						}
					}
					values[p] = v
				}
				resp := t.Do(Request{Method: o.Method, Path: o.fill(values), Token: a.Conf.LimitedToken})
				t.exchanges = t.exchanges[len(t.exchanges)-1:]
				if resp.Status >= 200 && resp.Status < 300 {
					t.Fatalf("status", "want HTTP 403, got %d: the limited token was allowed %s; "+
						"if it is meant to be limited only on other APIs, give %s its own limitedToken in conform.yaml "+
						"instead of --limited-token", resp.Status, o.ID(), a.Name)
				}
				expectStatus(t, resp, http.StatusForbidden)
				checkContentType(t, o, resp)
				validateResponse(t, o, values, resp)
			}))
		}
		return out
	},
}
