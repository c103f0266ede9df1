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
	query := "{ __typename }"
	if q, _ := kit.FullSelectionQuery(a.Schema, a.Conf.FirstIDs()); q != "" {
		query = q
	}
	post := func(body string, creds kit.Credentials) kit.Request {
		return kit.Request{Method: http.MethodPost, Path: path, Credentials: creds, Body: kit.JSON([]byte(body))}
	}
	answers := []gqlAnswer{
		{"a query selecting every field", post(kit.Canonical(map[string]any{"query": query}), a.Credentials())},
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
		answers = append(answers, gqlAnswer{"a GET", kit.Request{Method: http.MethodGet, Path: path + "?query=" + url.QueryEscape(query), Credentials: a.Credentials()}})
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
