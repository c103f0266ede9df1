package conform

import (
	"net/http"
	"strings"
)

// behaviourDefects are the planted defects of behaviour classes the shape
// checks cannot see: a wrong record deep in a list, an argument ignored,
// a page repeated, invalid input answered 500 or accepted, a pageInfo flag
// wrong.
func behaviourDefects() []Defect {
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
