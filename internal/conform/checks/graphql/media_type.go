package graphql

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"github.com/standin/standin/internal/conform/kit"
)

// MediaType is graphql-media-type: every kind of answer of the GraphQL
// endpoint (data, a field error, no token, an invalid query, a body that
// is not JSON, and a GET where the contract documents GET) comes as
// application/json, the media type GraphQL over HTTP gives a client that
// accepts application/json (the suite sends Accept: application/json), in
// UTF-8 with no other charset (RFC 8259 §8.1).
func (Catalog) MediaType() kit.Check {
	return kit.Check{
		Name:  "graphql-media-type",
		Proto: kit.GraphQL,
		Phase: kit.PhaseAnswers,
		Class: kit.ClassHTTP,
		Doc:   "every answer of the GraphQL endpoint is application/json in UTF-8, errors included",
		Cases: func(ch *kit.Check, e *kit.Env, a *kit.API) []*kit.Case {
			if a.Schema == nil || a.Schema.Query == nil {
				return nil
			}
			title := fmt.Sprintf("%s: every answer (data, errors, no token, invalid and malformed requests) is application/json in UTF-8", a.GraphQLPath())
			return []*kit.Case{kit.Single(ch, a, "POST "+a.GraphQLPath(), title, func(t *kit.T) { graphqlMediaTypes(t, a) })}
		},
	}
}

// gqlAnswer is one request of graphql-media-type and what it stands for.
type gqlAnswer struct {
	what string
	req  kit.Request
}

func graphqlMediaTypes(t *kit.T, a *kit.API) {
	path := a.GraphQLPath()
	query, vars := sampleQuery(a)
	post := func(body string, creds kit.Credentials) kit.Request {
		return kit.Request{Method: http.MethodPost, Path: path, Credentials: creds, Body: kit.JSON([]byte(body))}
	}
	answers := []gqlAnswer{
		{"a query of data", post(kit.Canonical(map[string]any{"query": query, "variables": vars}), a.Credentials())},
		{"no token", post(`{"query":"{ __typename }"}`, nil)},
		{"an unknown token", post(`{"query":"{ __typename }"}`, a.CredentialsOf(kit.UnknownToken))},
		{"a query that does not validate", post(`{"query":"{ standinConformNoSuchField }"}`, a.Credentials())},
		{"a body that is not JSON", post(`{"query":`, a.Credentials())},
	}
	for _, f := range a.LookupFields() {
		q := fmt.Sprintf("query($v: %s) { %s(%s: $v) { __typename } }", f.Arguments[0].Type, f.Name, f.Arguments[0].Name)
		answers = append(answers, gqlAnswer{"a field error (" + f.Name + " of an unknown value)", post(kit.Canonical(map[string]any{"query": q, "variables": map[string]any{"v": kit.UnknownValue(a.ID(f.Arguments[0].Name))}}), a.Credentials())})
		break
	}
	if a.GraphQLGetDocumented() {
		q := url.Values{"query": {query}}
		if len(vars) > 0 {
			q.Set("variables", kit.Canonical(vars))
		}
		answers = append(answers, gqlAnswer{"a GET", kit.Request{Method: http.MethodGet, Path: path + "?" + q.Encode(), Credentials: a.Credentials()}})
	}
	for _, an := range answers {
		n := t.ViolationCount()
		resp := t.Do(an.req)
		what := fmt.Sprintf("the answer to %s (HTTP %d)", an.what, resp.Status)
		ct := resp.Header.Get("Content-Type")
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			t.Errorf(kit.Header("Content-Type"), "%s: Content-Type %q, want application/json (GraphQL over HTTP, for a client that accepts application/json)", what, ct)
		}
		kit.CheckJSONEncoding(t, what, resp)
		if t.ViolationCount() == n {
			t.DropLastExchange()
		}
	}
}

// sampleQuery is a query that needs the API's credentials to answer data:
// the first page of its first root connection (one node, its leaves), or
// { __typename } when it has none.
func sampleQuery(a *kit.API) (string, map[string]any) {
	for _, c := range a.Connections() {
		return kit.ConnQuery(c, map[string]any{"first": 1}, kit.LeafSelection(a, c))
	}
	return "{ __typename }", nil
}
