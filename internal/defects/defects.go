// Package defects plants faults in a correct server, as HTTP middleware,
// for the conformance suite's mutation test (suite/mutation_test.go): each
// Defect names the checks that must catch it and a word their failure
// report must contain. It is test equipment and holds no checks; the
// checks are in internal/conform/checks.
package defects

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/standin/standin/internal/conform/kit"
)

// Defect is one fault the mutation test plants in a correct server, to
// show that the suite notices it. Checks names the checks expected to
// catch it (the subset the test runs), Expect a word the failure report
// must contain so that a reader can find the defect from the report.
type Defect struct {
	Name   string
	APIs   []string
	Checks []string
	Expect string
	Wrap   func(http.Handler) http.Handler
	// Class, when set, is the check class that alone catches the defect:
	// the whole suite fails on it, and passes without that class's
	// checks (suite/classes_test.go).
	Class kit.Class
}

// Tokens of the bundled credentials the role defects trade.
const (
	adminToken    = "standin-admin"
	readonlyToken = "standin-readonly"
)

// Defects lists the planted defects of the mutation test.
func Defects() []Defect {
	return append([]Defect{
		{Name: "required field missing (clients-v2 Client.name)", APIs: []string{"clients-v2"}, Checks: []string{"rest-success"}, Expect: "name",
			Wrap: editJSON(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v2/clients/") }, func(v any) bool {
				m, ok := v.(map[string]any)
				if ok && m["partner"] != nil {
					delete(m, "name")
					return true
				}
				return false
			})},
		{Name: "wrong type (clients-v0 client_id as a string)", APIs: []string{"clients-v0"}, Checks: []string{"rest-success"}, Expect: "client_id",
			Wrap: editJSON(restPath("/v0/clients"), firstKey("client_id", func(any) any { return "1" }))},
		{Name: "null in a non-null field (GraphQL Account.countryCode)", APIs: []string{"marketplace"}, Checks: []string{"graphql-documented-query", "graphql-full-selection"}, Expect: "countryCode",
			Wrap: editJSON(restPath("/api/graphql"), firstKey("countryCode", func(any) any { return nil }))},
		{Name: "undeclared enum value (GraphQL Account.status ARCHIVED)", APIs: []string{"marketplace"}, Checks: []string{"graphql-documented-query", "graphql-full-selection"}, Expect: "ARCHIVED",
			Wrap: editJSON(restPath("/api/graphql"), firstKey("status", func(v any) any {
				if v == "PENDING_ACTIVATION" || v == "ACTIVE" || v == "SUSPENDED" {
					return "ARCHIVED"
				}
				return v
			}))},
		{Name: "200 instead of 401 without a token", APIs: []string{"clients-v2", "marketplace"}, Checks: []string{"rest-no-token", "graphql-unauthenticated"}, Expect: "401",
			Wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Header.Get("Authorization") == "" {
						r.Header.Set("Authorization", "Bearer standin-admin")
					}
					h.ServeHTTP(w, r)
				})
			}},
		{Name: "a found record for an unknown id", APIs: []string{"clients-v2"}, Checks: []string{"rest-not-found"}, Expect: "404",
			Wrap: func(h http.Handler) http.Handler {
				// Any client the mock does not have is answered with
				// the page's client.
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, r)
					if rec.Code == http.StatusNotFound && strings.HasPrefix(r.URL.Path, "/v2/clients/") {
						r.URL.Path = "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50"
						r.URL.RawPath = ""
						h.ServeHTTP(w, r)
						return
					}
					copyHeader(w.Header(), rec.Header())
					w.WriteHeader(rec.Code)
					w.Write(rec.Body.Bytes())
				})
			}},
		{Name: "wrong content type (text/plain)", APIs: []string{"clients-v0"}, Checks: []string{"rest-success"}, Expect: "content type",
			Wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, r)
					copyHeader(w.Header(), rec.Header())
					w.Header().Set("Content-Type", "text/plain; charset=utf-8")
					w.WriteHeader(rec.Code)
					w.Write(rec.Body.Bytes())
				})
			}},
		{Name: "an item skipped across pages (first edge after a cursor dropped)", APIs: []string{"marketplace"}, Checks: []string{"graphql-pagination"}, Expect: "visited",
			Wrap: editGraphQL(func(q gqlRequest) bool { _, ok := q.Variables["after"]; return ok }, func(v any) bool {
				return dropFirstEdge(v)
			})},
		{Name: "totalCount off by one", APIs: []string{"admin"}, Checks: []string{"graphql-pagination"}, Expect: "totalCount",
			Wrap: editJSON(restPath("/graphql"), firstKey("totalCount", func(v any) any {
				n, _ := v.(json.Number).Int64()
				return n + 1
			}))},
		{Name: "a field missing from introspection (Account.externalId)", APIs: []string{"marketplace"}, Checks: []string{"graphql-schema"}, Expect: "externalId",
			Wrap: editGraphQL(isIntrospection, func(v any) bool { return editIntroType(v, "Account", dropField("externalId")) })},
		{Name: "an argument's type changed in introspection (Query.account(id:) ID! -> String!)", APIs: []string{"marketplace"}, Checks: []string{"graphql-schema"}, Expect: "account(id:)",
			Wrap: editGraphQL(isIntrospection, func(v any) bool { return editIntroType(v, "Query", retypeArg("account", "id", "String")) })},
		{Name: "an extra undeclared field (GraphQL Account.internalNote)", APIs: []string{"marketplace"}, Checks: []string{"graphql-documented-query", "graphql-full-selection"}, Expect: "internalNote",
			Wrap: editJSON(restPath("/api/graphql"), func(v any) bool {
				m, ok := v.(map[string]any)
				if ok && m["countryCode"] != nil {
					m["internalNote"] = "planted"
					return true
				}
				return false
			})},
		{Name: "a role reading what it must not (readonly reads every clients-v2 client)", APIs: []string{"clients-v2"}, Checks: []string{"rest-role"}, Expect: "role readonly read",
			Wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, "/v2/clients/") && r.Header.Get("Authorization") == "Bearer "+readonlyToken {
						r.Header.Set("Authorization", "Bearer "+adminToken)
					}
					h.ServeHTTP(w, r)
				})
			}},
		{Name: "an auth scheme rejected (X-API-Key refused on admin)", APIs: []string{"admin"}, Checks: []string{"graphql-security-schemes"}, Expect: "X-API-Key",
			Wrap: func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					r.Header.Del("X-API-Key")
					h.ServeHTTP(w, r)
				})
			}},
		{Name: "aliases ignored (an aliased field answered under its own name), found by a property check", APIs: []string{"marketplace"}, Checks: []string{"graphql-property-selection"}, Expect: "reproduce with:\n    curl -s -X POST",
			Wrap: ignoreAliases},
		{Name: "a backward page one short (last/before drops its last node), found by a property walk", APIs: []string{"admin"}, Checks: []string{"graphql-property-pagination"}, Expect: "of the walk (",
			Wrap: editGraphQL(func(q gqlRequest) bool {
				_, last := q.Variables["last"]
				_, before := q.Variables["before"]
				return last && before
			}, dropLastEdge)},
	}, append(behaviour(), classDefects()...)...)
}

var aliasText = regexp.MustCompile(`([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)`)

// ignoreAliases answers every aliased field under its field name, as a
// server that drops aliases would.
func ignoreAliases(h http.Handler) http.Handler {
	var renames map[string]string
	match := func(q gqlRequest) bool {
		renames = map[string]string{}
		for _, m := range aliasText.FindAllStringSubmatch(q.Query, -1) {
			renames[m[1]] = m[2]
		}
		return len(renames) > 0
	}
	var rename func(v any)
	rename = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				rename(x[k])
				if to, ok := renames[k]; ok && to != k {
					x[to] = x[k]
					delete(x, k)
				}
			}
		case []any:
			for _, e := range x {
				rename(e)
			}
		}
	}
	return editGraphQL(match, func(v any) bool {
		if d := at(v, "data"); d != nil {
			rename(d)
		}
		return true
	})(h)
}

func restPath(p string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.URL.Path == p }
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		if k != "Content-Length" {
			dst[k] = v
		}
	}
}

// editJSON applies edit to the first JSON value (depth first) it accepts,
// in responses to requests match selects.
func editJSON(match func(*http.Request) bool, edit func(any) bool) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber() // numbers pass through unchanged
			var v any
			if dec.Decode(&v) == nil && walkEdit(v, edit) {
				body, _ = json.Marshal(v)
			}
			copyHeader(w.Header(), rec.Header())
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

// editGraphQL is editJSON for GraphQL POSTs whose request match accepts.
func editGraphQL(match func(gqlRequest) bool, edit func(any) bool) func(http.Handler) http.Handler {
	var last gqlRequest
	inner := func(r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "graphql") {
			return false
		}
		data, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(data))
		var q gqlRequest
		if json.Unmarshal(data, &q) != nil {
			return false
		}
		last = q
		return match(last)
	}
	return editJSON(inner, edit)
}

func isIntrospection(q gqlRequest) bool { return strings.Contains(q.Query, "__schema") }

// walkEdit visits v depth first until edit accepts a value.
func walkEdit(v any, edit func(any) bool) bool {
	if edit(v) {
		return true
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if walkEdit(x[k], edit) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if walkEdit(e, edit) {
				return true
			}
		}
	}
	return false
}

// firstKey replaces the value of the first object key named key.
func firstKey(key string, f func(any) any) func(any) bool {
	return func(v any) bool {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		old, ok := m[key]
		if !ok {
			return false
		}
		nv := f(old)
		if canonical(nv) == canonical(old) {
			return false
		}
		m[key] = nv
		return true
	}
}

// dropLastEdge drops the last edge (and node) of the first connection
// with two or more edges, and points endCursor at the new last edge.
func dropLastEdge(v any) bool { return dropEdge(v, false) }

// dropFirstEdge drops the first edge (and node) of the first connection
// with two or more edges, and points startCursor at the new first edge.
func dropFirstEdge(v any) bool { return dropEdge(v, true) }

func dropEdge(v any, first bool) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	edges, ok := m["edges"].([]any)
	if !ok || len(edges) < 2 {
		return false
	}
	cut := func(s []any) []any {
		if first {
			return s[1:]
		}
		return s[:len(s)-1]
	}
	m["edges"] = cut(edges)
	if nodes, ok := m["nodes"].([]any); ok && len(nodes) > 1 {
		m["nodes"] = cut(nodes)
	}
	pi, ok := m["pageInfo"].(map[string]any)
	if !ok {
		return true
	}
	key, kept := "endCursor", edges[len(edges)-2]
	if first {
		key, kept = "startCursor", edges[1]
	}
	if c, ok := at(kept, "cursor").(string); ok {
		pi[key] = c
	}
	return true
}

func editIntroType(v any, typeName string, edit func(map[string]any) bool) bool {
	types, ok := at(v, "data", "__schema", "types").([]any)
	if !ok {
		return false
	}
	for _, t := range types {
		if m, ok := t.(map[string]any); ok && m["name"] == typeName {
			return edit(m)
		}
	}
	return false
}

func dropField(name string) func(map[string]any) bool {
	return func(t map[string]any) bool {
		fields, _ := t["fields"].([]any)
		for i, f := range fields {
			if at(f, "name") == name {
				t["fields"] = append(fields[:i:i], fields[i+1:]...)
				return true
			}
		}
		return false
	}
}

func retypeArg(field, arg, named string) func(map[string]any) bool {
	return func(t map[string]any) bool {
		fields, _ := t["fields"].([]any)
		for _, f := range fields {
			if at(f, "name") != field {
				continue
			}
			args, _ := at(f, "args").([]any)
			for _, a := range args {
				am, _ := a.(map[string]any)
				if am["name"] == arg {
					am["type"] = map[string]any{"kind": "NON_NULL", "name": nil, "ofType": map[string]any{"kind": "SCALAR", "name": named, "ofType": nil}}
					return true
				}
			}
		}
		return false
	}
}

// at returns the value under the object keys path, or nil.
func at(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// canonical is v's JSON text, for comparing values.
func canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func looksLikeUUID(s string) bool {
	return len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-'
}
