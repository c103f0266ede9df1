package rest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// SecuritySchemes is rest-security-schemes: each way the contract's
// security lets a GET operation be called (each alternative of its
// security requirements: http bearer or basic, an apiKey in a header,
// query parameter or cookie, oauth2 and openIdConnect as bearer tokens,
// or several at once) is tried with the configured secrets of its
// schemes: the operation answers its documented success; where the
// credentials are required, unknown ones sent the same way get 401.
func (Catalog) SecuritySchemes() kit.Check {
	return kit.Check{
		Name:  "rest-security-schemes",
		Proto: kit.REST,
		Phase: kit.PhaseAccess,
		Doc:   "each way the contract takes credentials: the valid ones are accepted, unknown ones get 401",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				if o.Method != http.MethodGet || o.SuccessStatus() == 0 {
					continue
				}
				sec := a.Security(o)
				for _, req := range sec.Schemes() {
					how, sendable := describeRequirement(req)
					if !sendable {
						continue // a scheme the suite cannot send: its cases would only skip
					}
					refusal := kit.CredentialRefusal(o)
					title := fmt.Sprintf("%s %s accepts the valid token as %s (scheme %s)", o.Method, o.Path, how, req.Names())
					if sec.Required() {
						title += fmt.Sprintf(", refuses an unknown one with %d", refusal)
					}
					out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
						var valid, unknown kit.Credentials
						for _, s := range req {
							v := a.Secret(s)
							if v == "" {
								t.Skip("no credential for scheme %s (%s): --credential %s=VALUE, or credentials: in conform.yaml", s.Name, s.Describe(), s.Name)
							}
							valid = append(valid, kit.Credential{Scheme: s, Value: v})
							u := kit.UnknownToken
							if s.IsBasic() {
								u += ":" + kit.UnknownToken
							}
							unknown = append(unknown, kit.Credential{Scheme: s, Value: u})
						}
						values := kit.PathValues(t, o, nil)
						resp := t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: valid})
						if kit.ExpectStatus(t, resp, o.SuccessStatus()) {
							kit.ValidateResponse(t, o, values, resp)
						} else {
							t.Errorf(kit.Status(), "the valid token sent as %s was not accepted", how)
						}
						if sec.Required() {
							resp = t.Do(kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: unknown})
							if resp.Status >= 200 && resp.Status < 300 {
								t.Errorf(kit.Status(), "want HTTP %d, got %d: unknown credentials sent as %s were accepted", refusal, resp.Status, how)
							} else if kit.ExpectStatus(t, resp, refusal) && kit.CredentialRefusalDocumented(o) {
								kit.ValidateResponse(t, o, values, resp)
							}
						}
					}))
				}
			}
			return out
		},
	}
}

// describeRequirement says how a requirement's credentials go ("X-Key
// header and Authorization: Bearer") and whether the suite can send them
// all.
func describeRequirement(req model.Requirement) (string, bool) {
	var parts []string
	for _, s := range req {
		if !s.Sendable() {
			return "", false
		}
		parts = append(parts, s.Describe())
	}
	return strings.Join(parts, " and "), true
}
