package graphql

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/standin/standin/internal/conform/kit"
)

// AuthSchemeCase is graphql-auth-scheme-case: where the GraphQL endpoint
// takes a bearer token, the scheme name is matched case-insensitively
// (RFC 9110 §11.1): "bearer <token>" and "BEARER <token>" answer data
// without errors, like "Bearer".
func (Catalog) AuthSchemeCase() kit.Check {
	return kit.Check{
		Name:  "graphql-auth-scheme-case",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAccess,
		Class: kit.ClassHTTP,
		Doc:   "the auth scheme name is case-insensitive (RFC 9110 §11.1): bearer and BEARER work like Bearer",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			bearer := false
			for _, s := range a.GraphQLSchemes() {
				bearer = bearer || s.IsBearer()
			}
			if !bearer {
				return nil
			}
			title := fmt.Sprintf("POST %s answers data to the valid token sent as \"bearer\" and \"BEARER\" (RFC 9110 §11.1)", a.GraphQLPath())
			return []*kit.Case{kit.Single(ch, a, "POST "+a.GraphQLPath(), title, func(t *kit.T) {
				if a.Conf.Token == "" {
					t.Skip("no bearer token configured for %s (token in conform.yaml or --token)", a.Name)
				}
				q, vars := sampleQuery(a)
				for _, scheme := range []string{"bearer", "BEARER"} {
					n := t.ViolationCount()
					r := headerQuery(t, map[string]string{"Authorization": scheme + " " + a.Conf.Token}, q, vars)
					if !kit.RequireOK(t, r) {
						t.Reword(n, func(v kit.Violation) string {
							return fmt.Sprintf("the valid token sent as %q (the scheme name is case-insensitive, RFC 9110 §11.1): %s", scheme+" <token>", v.Message)
						})
					} else {
						t.DropLastExchange()
					}
				}
			})}
		},
	}
}

// headerQuery sends a GraphQL query with the given headers and no
// credentials of the kit.
func headerQuery(t *kit.T, header map[string]string, query string, vars map[string]any) kit.GQLResult {
	resp := t.Do(kit.Request{Method: http.MethodPost, Path: t.API().GraphQLPath(), Header: header, Body: kit.JSON([]byte(kit.Canonical(map[string]any{"query": query, "variables": vars})))})
	res := kit.GQLResult{HTTP: resp}
	if err := json.Unmarshal(resp.Body, &res); err != nil {
		t.Fatalf(kit.Body(""), "HTTP %d: the body is not a GraphQL JSON response: %v", resp.Status, err)
	}
	return res
}
