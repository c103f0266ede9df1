package rest

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/standin/standin/internal/conform/kit"
	"github.com/standin/standin/internal/conform/model"
)

// MediaType is rest-media-type: every kind of answer an operation
// documents, not only its success (the valid token; no token and an
// unknown one; the limited token where 403 is documented; an unknown id
// where 404 is; a parameter below its minimum where 400 is), comes with a
// Content-Type documented for its status (or the default response), and a
// JSON answer is UTF-8: no other charset declared, a valid UTF-8 body
// without a byte order mark (RFC 8259 §8.1).
func (Catalog) MediaType() kit.Check {
	return kit.Check{
		Name:  "rest-media-type",
		Proto: kit.REST,
		Phase: kit.PhaseAnswers,
		Class: kit.ClassHTTP,
		Doc:   "every documented answer (success and errors) has a documented media type; JSON is UTF-8, no other charset",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			var out []*kit.Case
			for _, o := range a.Operations() {
				if o.Method != http.MethodGet || o.SuccessStatus() == 0 {
					continue
				}
				title := fmt.Sprintf("%s %s: every documented answer has a documented media type, JSON in UTF-8 with no other charset", o.Method, o.Path)
				out = append(out, kit.Single(ch, a, o.ID(), title, func(t *kit.T) { mediaTypes(t, a, o) }))
			}
			return out
		},
	}
}

// answer is one request of rest-media-type and what it stands for.
type answer struct {
	what string
	req  kit.Request
}

func mediaTypes(t *kit.T, a *kit.API, o model.Operation) {
	values := kit.PathValues(t, o, nil)
	creds := kit.OpCredentials(t, o)
	t.DropExchanges()
	path := kit.Target(o, values)
	answers := []answer{
		{"the valid token", kit.Request{Method: o.Method, Path: path, Credentials: creds}},
	}
	if o.Documents(http.StatusUnauthorized) {
		answers = append(answers,
			answer{"no token", kit.Request{Method: o.Method, Path: path}},
			answer{"an unknown token", kit.Request{Method: o.Method, Path: path, Credentials: a.CredentialsOf(kit.UnknownToken)}})
	}
	if o.Documents(http.StatusForbidden) && a.Conf.LimitedToken != "" {
		limited := map[string]string{}
		for p, v := range values {
			limited[p] = v
			if f := a.ID("forbidden." + p); f != "" {
				limited[p] = f
			}
		}
		answers = append(answers, answer{"the limited token", kit.Request{Method: o.Method, Path: kit.Target(o, limited), Credentials: a.LimitedCredentials()}})
	}
	if o.Documents(http.StatusNotFound) && len(values) > 0 {
		unknown := map[string]string{}
		for p, v := range values {
			unknown[p] = kit.UnknownValue(v)
		}
		answers = append(answers, answer{"an unknown id", kit.Request{Method: o.Method, Path: kit.Target(o, unknown), Credentials: creds}})
	}
	if o.Documents(http.StatusBadRequest) {
		for _, p := range o.QueryParams() {
			s := p.Schema.Value
			if s.Type.Is("integer") && s.Min != nil {
				q := path + "?" + p.Name + "=" + strconv.FormatInt(int64(*s.Min)-1, 10)
				answers = append(answers, answer{fmt.Sprintf("%s below its minimum", p.Name), kit.Request{Method: o.Method, Path: q, Credentials: creds}})
				break
			}
		}
	}
	for _, an := range answers {
		n := t.ViolationCount()
		resp := t.Do(an.req)
		what := fmt.Sprintf("the answer to %s (HTTP %d)", an.what, resp.Status)
		kit.CheckContentType(t, o, resp)
		t.Reword(n, func(v kit.Violation) string { return what + ": " + v.Message })
		kit.CheckJSONEncoding(t, what, resp)
		if t.ViolationCount() == n {
			t.DropLastExchange()
		}
	}
}
