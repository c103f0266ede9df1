package conform

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// RESTSecuritySchemes: every security scheme the OpenAPI document declares
// (components.securitySchemes: http bearer or basic, apiKey in a header or
// the query) is tried on each GET operation: the valid token sent that
// way answers the documented success, an unknown one 401.
var RESTSecuritySchemes = &Check{
	Name:  "rest-security-schemes",
	Proto: "rest",
	Doc:   "each declared security scheme: the valid token is accepted, an unknown one gets 401",
	Cases: func(ch *Check, e *Env, a *API) []*Case {
		if a.OpenAPI == nil || a.OpenAPI.Components == nil {
			return nil
		}
		var out []*Case
		for _, name := range sortedKeys(a.OpenAPI.Components.SecuritySchemes) {
			ref := a.OpenAPI.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			s := ref.Value
			how := schemeHow(s)
			if how == "" {
				continue // oauth2 / openIdConnect: the token is a bearer token, tried by rest-success
			}
			for _, o := range restOps(a) {
				if o.Method != http.MethodGet || o.successStatus() == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s accepts the valid token as %s (scheme %s), refuses an unknown one with 401", o.Method, o.Path, how, name)
				out = append(out, single(ch, a, o.ID(), title, func(t *T) {
					values := roleValues(t, o, nil)
					resp := t.Do(withScheme(Request{Method: o.Method, Path: o.fill(values)}, s, a.Conf.Token))
					if expectStatus(t, resp, o.successStatus()) {
						validateResponse(t, o, values, resp)
					} else {
						t.Errorf("status", "the valid token sent as %s was not accepted", how)
					}
					if o.documents(http.StatusUnauthorized) {
						resp = t.Do(withScheme(Request{Method: o.Method, Path: o.fill(values)}, s, badToken))
						if expectStatus(t, resp, http.StatusUnauthorized) {
							validateResponse(t, o, values, resp)
						}
					}
				}))
			}
		}
		return out
	},
}

// schemeHow says how a scheme carries the token ("" when the suite cannot
// send it).
func schemeHow(s *openapi3.SecurityScheme) string {
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		return "Authorization: Bearer"
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		return "Authorization: Basic"
	case s.Type == "apiKey" && s.In == "header":
		return s.Name + " header"
	case s.Type == "apiKey" && s.In == "query":
		return "query parameter " + s.Name
	}
	return ""
}

// withScheme puts token into r the way s says.
func withScheme(r Request, s *openapi3.SecurityScheme, token string) Request {
	if r.Header == nil {
		r.Header = map[string]string{}
	}
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		r.Token = token
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		r.Header["Authorization"] = "Basic " + token
	case s.Type == "apiKey" && s.In == "header":
		r.Header[s.Name] = token
	case s.Type == "apiKey" && s.In == "query":
		sep := "?"
		if strings.Contains(r.Path, "?") {
			sep = "&"
		}
		r.Path += sep + url.QueryEscape(s.Name) + "=" + url.QueryEscape(token)
	}
	return r
}
