package defects

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// behaviour returns the planted defects of behaviour classes the shape
// checks cannot see: a wrong record deep in a list, an argument ignored,
// a page repeated, invalid input answered 500 or accepted, a pageInfo flag
// wrong.
func behaviour() []Defect {
	return []Defect{
		{Name: "record 37 wrong (clients-v0 client_id of the 37th client a string)", APIs: []string{"clients-v0"}, Checks: []string{"rest-records"}, Expect: "record #37",
			Wrap: editJSON(restPath("/v0/clients"), editRecord("client", 36, func(m map[string]any) { m["client_id"] = "37" }))},
		{Name: "node 37 wrong (marketplace Account.countryCode of the 37th account a number)", APIs: []string{"marketplace"}, Checks: []string{"graphql-records"}, Expect: "node #37",
			Wrap: editGraphQL(func(q gqlRequest) bool {
				_, ok := q.Variables["after"]
				return !ok && strings.Contains(q.Query, "countryCode")
			},
				func(v any) bool {
					edges, ok := at(v, "data", "accounts", "edges").([]any)
					if !ok || len(edges) < 37 {
						return false
					}
					n, _ := at(edges[36], "node").(map[string]any)
					n["countryCode"] = 42
					return true
				})},
		{Name: "a nested node wrong (marketplace AccountMembership.roles a string)", APIs: []string{"marketplace"}, Checks: []string{"graphql-records"}, Expect: "Account.memberships of id",
			Wrap: editGraphQL(func(q gqlRequest) bool {
				return q.Variables["parent"] != nil && strings.Contains(q.Query, "memberships(")
			},
				firstKey("roles", func(any) any { return "USER" }))},
		{Name: "nested filter ignored (marketplace Account.subscriptions(status:))", APIs: []string{"marketplace"}, Checks: []string{"graphql-filter"}, Expect: "the filter is not applied",
			Wrap: rewriteGraphQL(func(q *gqlRequest) {
				if q.Variables["parent"] != nil {
					delete(q.Variables, "status")
				}
			})},
		{Name: "nullable key missing only in clients without a token (clients-v2 enrollment_token)", APIs: []string{"clients-v2"}, Checks: []string{"rest-lookups"}, Expect: "enrollment_token",
			Wrap: editJSON(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v2/clients/") }, func(v any) bool {
				m, ok := v.(map[string]any)
				if !ok {
					return false
				}
				if tok, has := m["enrollment_token"]; has && tok == nil {
					delete(m, "enrollment_token")
					return true
				}
				return false
			})},
		{Name: "GraphQL filter ignored (marketplace accounts(filter:))", APIs: []string{"marketplace"}, Checks: []string{"graphql-filter"}, Expect: "the filter is not applied",
			Wrap: rewriteGraphQL(func(q *gqlRequest) { delete(q.Variables, "filter") })},
		{Name: "REST filter ignored (marketplace companies ?name=)", APIs: []string{"marketplace"}, Checks: []string{"rest-filters"}, Expect: "the filter is not applied",
			Wrap: rewriteQuery(func(q url.Values) { q.Del("name") })},
		{Name: "order ignored (marketplace accounts(orderBy:))", APIs: []string{"marketplace"}, Checks: []string{"graphql-order"}, Expect: "the order is not applied",
			Wrap: rewriteGraphQL(func(q *gqlRequest) { delete(q.Variables, "orderBy") })},
		{Name: "REST page repeated (marketplace companies page 1 answers page 0)", APIs: []string{"marketplace"}, Checks: []string{"rest-paging"}, Expect: "page 1 repeats",
			Wrap: rewriteQuery(func(q url.Values) {
				if q.Get("page") == "1" {
					q.Set("page", "0")
				}
			})},
		{Name: "pageInfo flag wrong (admin allClients hasNextPage false after a cursor)", APIs: []string{"admin"}, Checks: []string{"graphql-page-info"}, Expect: "says hasNextPage false, but after its endCursor the target returned",
			Wrap: editGraphQL(func(q gqlRequest) bool { _, ok := q.Variables["after"]; return ok }, firstKey("hasNextPage", func(any) any { return false }))},
		{Name: "invalid input answered 500 (clients-v2 a client_id that is not a uuid)", APIs: []string{"clients-v2"}, Checks: []string{"rest-invalid-input"}, Expect: "a server error for a client's mistake",
			Wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					id, ok := strings.CutPrefix(r.URL.Path, "/v2/clients/")
					if ok && !looksLikeUUID(id) {
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusInternalServerError)
						io.WriteString(w, `{"error":{"code":"internal_error","message":"Server error"}}`)
						return
					}
					h.ServeHTTP(w, r)
				})
			}},
		{Name: "invalid argument accepted (admin allClients(first: -1) answered with data)", APIs: []string{"admin"}, Checks: []string{"graphql-invalid-input"}, Expect: "first: -1",
			Wrap: rewriteGraphQL(func(q *gqlRequest) {
				for k, v := range q.Variables {
					if n, ok := v.(float64); ok && n < 0 {
						delete(q.Variables, k)
					}
				}
			})},
		{Name: "nested invalid argument accepted (marketplace Account.memberships(first: -1) answered with data)", APIs: []string{"marketplace"}, Checks: []string{"graphql-invalid-input"}, Expect: "Account.memberships: invalid arguments",
			Wrap: rewriteGraphQL(func(q *gqlRequest) {
				if q.Variables["parent"] == nil {
					return
				}
				for k, v := range q.Variables {
					if n, ok := v.(float64); ok && n < 0 {
						delete(q.Variables, k)
					}
				}
			})},
	}
}

// rewriteGraphQL changes the GraphQL request (query and variables) before
// the server sees it.
func rewriteGraphQL(edit func(*gqlRequest)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "graphql") {
				data, _ := io.ReadAll(r.Body)
				var q gqlRequest
				if json.Unmarshal(data, &q) == nil && q.Variables != nil {
					edit(&q)
					data, _ = json.Marshal(q)
				}
				r.Body = io.NopCloser(bytes.NewReader(data))
				r.ContentLength = int64(len(data))
			}
			h.ServeHTTP(w, r)
		})
	}
}

// rewriteQuery changes the query parameters of REST requests before the
// server sees them.
func rewriteQuery(edit func(url.Values)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "graphql") {
				q := r.URL.Query()
				edit(q)
				r.URL.RawQuery = q.Encode()
			}
			h.ServeHTTP(w, r)
		})
	}
}

// editRecord edits record n of the array under key of a JSON body.
func editRecord(key string, n int, f func(map[string]any)) func(any) bool {
	return func(v any) bool {
		arr, ok := at(v, key).([]any)
		if !ok || len(arr) <= n {
			return false
		}
		m, ok := arr[n].(map[string]any)
		if !ok {
			return false
		}
		f(m)
		return true
	}
}
