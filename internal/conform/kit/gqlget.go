package kit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
)

// GQLGet sends a GraphQL query over GET, as GraphQL over HTTP says: the
// query, the variables as JSON and the operation name in the query
// string. It decodes the answer like GQL; a body that is not a GraphQL
// response stops the step.
func GQLGet(t *T, creds Credentials, query string, vars map[string]any) GQLResult {
	q := url.Values{"query": {query}}
	if len(vars) > 0 {
		b, _ := json.Marshal(vars)
		q.Set("variables", string(b))
	}
	resp := t.Do(Request{Method: http.MethodGet, Path: t.api.GraphQLPath() + "?" + q.Encode(), Credentials: creds})
	res := GQLResult{HTTP: resp}
	if err := json.NewDecoder(bytes.NewReader(resp.Body)).Decode(&res); err != nil {
		t.Fatalf(Body(""), "HTTP %d: the body is not a GraphQL JSON response: %v", resp.Status, err)
	}
	return res
}
