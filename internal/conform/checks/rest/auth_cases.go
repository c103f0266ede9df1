package rest

import (
	"fmt"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// authCases builds the refusal cases of every operation whose contract
// requires credentials (its security, or the document's, has no empty
// alternative), each sending what creds gives for it (rest-no-token:
// none; rest-bad-token: unknown credentials in the operation's schemes).
// The answer is 401 (403 when the operation documents 403 and no 401),
// with the documented body; a write sends a valid body, so that only the
// credentials are wrong. Where the operation documents neither (nor a
// range or default that holds them), 401 is still wanted, and nothing
// more: the contract gives it no body, and no server could answer a
// documented refusal.
func authCases(ch *kit.Check, a *kit.API, creds func(o model.Operation) kit.Credentials, how string) []*kit.Case {
	var out []*kit.Case
	for _, o := range a.Operations() {
		if !a.Security(o).Required() {
			continue
		}
		want := kit.CredentialRefusal(o)
		documented := kit.CredentialRefusalDocumented(o)
		title := fmt.Sprintf("%s %s %s answers %d with the documented body", o.Method, o.Path, how, want)
		if !documented {
			title = fmt.Sprintf("%s %s %s answers %d (no refusal documented)", o.Method, o.Path, how, want)
		}
		out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) {
			if !anySendable(a.Security(o)) {
				t.Skip("%s %s takes only %s, which no HTTP header, query or cookie carries (mutualTLS: a client certificate): what the server answers without it says nothing", o.Method, o.Path, requirementNames(a.Security(o)))
			}
			values := map[string]string{}
			for _, p := range o.PathParams() {
				v := a.ID(p)
				if v == "" {
					if v, _ = kit.UnknownID(t, o, p); v == "" {
						v = kit.UnknownValue("")
					}
				}
				values[p] = v
			}
			r := kit.Request{Method: o.Method, Path: kit.Target(o, values), Credentials: creds(o)}
			if !kit.Safe(o.Method) {
				if b, ok := kit.BodyFor(o, 0); ok {
					r.Body = b.Payload
				}
			}
			resp := t.Do(r)
			if resp.Status >= 200 && resp.Status < 300 {
				t.Fatalf(kit.Status(), "want HTTP %d, got %d: %s %s requires credentials (security: %s), yet it answered %s", want, resp.Status, o.Method, o.Path, requirementNames(a.Security(o)), how)
			}
			kit.ExpectStatus(t, resp, want)
			if !documented {
				return
			}
			kit.CheckContentType(t, o, resp)
			kit.ValidateResponse(t, o, values, resp)
		}))
	}
	return out
}

// anySendable reports whether one of the security's alternatives is made
// of schemes the suite can send.
func anySendable(s model.Security) bool {
	for _, r := range s.Schemes() {
		_, ok := describeRequirement(r)
		if ok {
			return true
		}
	}
	return false
}

// requirementNames renders an operation's security alternatives: "apiKey
// or bearerAuth and appId".
func requirementNames(s model.Security) string {
	out := ""
	for i, r := range s.Schemes() {
		if i > 0 {
			out += " or "
		}
		out += r.Names()
	}
	return out
}
