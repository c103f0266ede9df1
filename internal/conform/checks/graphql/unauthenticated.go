package graphql

import (
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// Unauthenticated is graphql-unauthenticated: without a token, or with an
// unknown one, the endpoint refuses: when the API's configuration requires
// codes of field errors (the bundled APIs), HTTP 401 with {"errors":
// [...]} whose extensions.code is the API's documented 401 code
// (UNAUTHENTICATED); otherwise HTTP 401 or 403, or errors without data
// (the GraphQL specification says nothing of authentication). An API
// checked without a credential is open: the check is skipped.
func (Catalog) Unauthenticated() kit.Check {
	return kit.Check{
		Name:  "graphql-unauthenticated",
		Class: kit.ClassAuth,
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Doc:   "no or unknown token: refused (HTTP 401 with the documented code where the API documents one)",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil {
				return nil
			}
			code := a.FieldCode(http.StatusUnauthorized)
			var out []*kit.Case
			for _, c := range []struct {
				how   string
				creds kit.Credentials
			}{{"without a token", nil}, {"with an unknown token", a.CredentialsOf(kit.UnknownToken)}} {
				title := fmt.Sprintf("POST %s %s is refused", a.GraphQLPath(), c.how)
				if code != "" {
					title = fmt.Sprintf("POST %s %s answers 401 with an %s error", a.GraphQLPath(), c.how, code)
				}
				out = append(out, kit.Single(ch, a, "POST "+a.GraphQLPath(), title, func(t *kit.T) {
					if a.Open() {
						t.Skip("no credential is configured: the API is checked as an open one, with nothing to refuse")
					}
					q, _ := kit.FullSelectionQuery(a.Schema, kit.Filler(t))
					if code == "" {
						expectRefused(t, c.creds, q, c.how)
						return
					}
					r := kit.GQL(t, c.creds, q, nil)
					kit.ExpectStatus(t, r.HTTP, http.StatusUnauthorized)
					if r.HasData() {
						t.Errorf(kit.GQLPath("data"), "an unauthenticated request must not return data")
					}
					kit.CheckErrorShape(t, r, code, nil)
				}))
			}
			return out
		},
	}
}

// expectRefused sends q with creds and records a violation unless it is
// refused: HTTP 401 or 403 (any body), or a GraphQL response with errors
// and no data.
func expectRefused(t *kit.T, creds kit.Credentials, q, how string) {
	resp := t.Do(kit.Request{Method: http.MethodPost, Path: t.API().GraphQLPath(), Credentials: creds, Body: kit.JSON(gqlBody(q, nil))})
	if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden {
		return
	}
	if resp.Status >= 500 {
		t.Errorf(kit.Status(), "a request %s answered HTTP %d, a server error", how, resp.Status)
		return
	}
	if v, err := kit.DecodeJSON(resp.Body); err == nil {
		if m, ok := v.(map[string]any); ok {
			if d, ok := m["data"]; ok && d != nil && !allNull(d) {
				t.Errorf(kit.GQLPath("data"), "a request %s answered HTTP %d with data %s: want it refused (401, 403, or errors without data)", how, resp.Status, kit.Excerpt([]byte(kit.Canonical(d))))
				return
			}
			errs, _ := m["errors"].([]any)
			if len(errs) > 0 {
				return
			}
		}
	}
	t.Errorf(kit.Status(), "a request %s answered HTTP %d without errors: want it refused (401, 403, or errors without data)", how, resp.Status)
}

// allNull reports whether data holds nothing but nulls (every root field
// refused).
func allNull(d any) bool {
	m, ok := d.(map[string]any)
	if !ok {
		return false
	}
	for _, v := range m {
		if v != nil {
			return false
		}
	}
	return true
}
