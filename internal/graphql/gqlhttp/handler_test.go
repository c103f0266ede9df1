package gqlhttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/gqlhttp"
)

const testSDL = `
type Query { hello(name: String = "world"): String! count(n: Int!): Int who: String }
type Mutation { bump: Int! }
`

type ctxKey struct{}

func newHandler(t testing.TB, mod func(*gqlhttp.Config)) *gqlhttp.Handler {
	t.Helper()
	schema, err := gqlparser.LoadSchema(&ast.Source{Input: testSDL})
	if err != nil {
		t.Fatal(err)
	}
	cfg := gqlhttp.Config{
		Schema: schema,
		Prepare: func(r *http.Request, p *gqlhttp.Params) (exec.Resolver, any, error) {
			if r.Header.Get("Authorization") == "deny" {
				return nil, nil, gqlhttp.StatusError(http.StatusUnauthorized, &exec.Error{Code: "UNAUTHENTICATED", Message: "login required"})
			}
			if r.Header.Get("Authorization") == "broken" {
				return nil, nil, errors.New("backend down")
			}
			who, _ := r.Context().Value(ctxKey{}).(string)
			return exec.ResolverFunc(func(ctx context.Context, f exec.FieldContext) (any, error) {
				switch f.Name {
				case "hello":
					return "hello " + f.Args["name"].(string), nil
				case "count":
					return f.Args["n"], nil
				case "who":
					return who, nil
				case "bump":
					return 1, nil
				}
				return exec.Default, nil
			}), nil, nil
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	h, err := gqlhttp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type result struct {
	status int
	ctype  string
	allow  string
	body   map[string]any
	raw    string
}

func do(t testing.TB, h http.Handler, req *http.Request) result {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	out := result{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), allow: res.Header.Get("Allow"), raw: string(b)}
	if err := json.Unmarshal(b, &out.body); err != nil {
		t.Fatalf("response body is not JSON: %q", b)
	}
	return out
}

func post(body, ctype, accept string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	return r
}

func get(params url.Values, accept string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	return r
}

const (
	gqlResp = "application/graphql-response+json"
	appJSON = "application/json"
)

func TestStatusAndMediaType(t *testing.T) {
	h := newHandler(t, nil)
	cases := []struct {
		name     string
		req      *http.Request
		status   int
		ctype    string
		allow    string
		hasData  bool
		code     string
		contains string
	}{
		{name: "post ok graphql-response", req: post(`{"query":"{ hello }"}`, appJSON, gqlResp), status: 200, ctype: gqlResp, hasData: true, contains: `"hello world"`},
		{name: "post ok json", req: post(`{"query":"{ hello }"}`, appJSON, appJSON), status: 200, ctype: appJSON, hasData: true},
		{name: "accept missing", req: post(`{"query":"{ hello }"}`, appJSON, ""), status: 200, ctype: gqlResp, hasData: true},
		{name: "accept wildcard", req: post(`{"query":"{ hello }"}`, appJSON, "*/*"), status: 200, ctype: appJSON, hasData: true},
		{name: "accept both, first preferred", req: post(`{"query":"{ hello }"}`, appJSON, gqlResp+", "+appJSON), status: 200, ctype: gqlResp, hasData: true},
		{name: "accept q values", req: post(`{"query":"{ hello }"}`, appJSON, gqlResp+";q=0.5, "+appJSON), status: 200, ctype: appJSON, hasData: true},
		{name: "accept unsupported", req: post(`{"query":"{ hello }"}`, appJSON, "text/html"), status: 406, ctype: appJSON},
		{name: "charset utf-8 ok", req: post(`{"query":"{ hello }"}`, appJSON+"; charset=UTF-8", gqlResp), status: 200, ctype: gqlResp, hasData: true},
		{name: "content type missing", req: post(`{"query":"{ hello }"}`, "", gqlResp), status: 415, ctype: appJSON},
		{name: "content type unsupported", req: post(`{ hello }`, "application/graphql", gqlResp), status: 415, ctype: appJSON},
		{name: "charset unsupported", req: post(`{"query":"{ hello }"}`, appJSON+"; charset=latin1", gqlResp), status: 415},
		{name: "body not json", req: post(`{"query":`, appJSON, gqlResp), status: 400, ctype: gqlResp, code: "BAD_REQUEST"},
		{name: "body not json (json media)", req: post(`nope`, appJSON, appJSON), status: 400, ctype: appJSON, code: "BAD_REQUEST"},
		{name: "missing query", req: post(`{"variables":{}}`, appJSON, appJSON), status: 400, code: "BAD_REQUEST"},
		{name: "query not a string", req: post(`{"query":1}`, appJSON, gqlResp), status: 400, code: "BAD_REQUEST"},
		{name: "variables not an object", req: post(`{"query":"{ hello }","variables":[1]}`, appJSON, gqlResp), status: 400, code: "BAD_REQUEST"},
		{name: "parse error graphql-response", req: post(`{"query":"{ hello"}`, appJSON, gqlResp), status: 400, ctype: gqlResp, code: "GRAPHQL_PARSE_FAILED"},
		{name: "parse error json", req: post(`{"query":"{ hello"}`, appJSON, appJSON), status: 200, ctype: appJSON, code: "GRAPHQL_PARSE_FAILED"},
		{name: "validation error graphql-response", req: post(`{"query":"{ nope }"}`, appJSON, gqlResp), status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "validation error json", req: post(`{"query":"{ nope }"}`, appJSON, appJSON), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "variable error graphql-response", req: post(`{"query":"query($n: Int!) { count(n: $n) }","variables":{"n":"x"}}`, appJSON, gqlResp), status: 400, code: "BAD_USER_INPUT"},
		{name: "variable error json", req: post(`{"query":"query($n: Int!) { count(n: $n) }","variables":{"n":"x"}}`, appJSON, appJSON), status: 200, code: "BAD_USER_INPUT"},
		{name: "unknown operation", req: post(`{"query":"query A { hello }","operationName":"B"}`, appJSON, gqlResp), status: 400, code: "OPERATION_RESOLUTION_FAILURE"},
		{name: "variables and operation name", req: post(`{"query":"query A($n: Int!) { count(n: $n) } query B { hello }","operationName":"A","variables":{"n":3},"extensions":{"x":1}}`, appJSON, gqlResp), status: 200, hasData: true, contains: `"count":3`},
		{name: "get query", req: get(url.Values{"query": {"query($n: Int!) { count(n: $n) }"}, "variables": {`{"n":4}`}}, gqlResp), status: 200, ctype: gqlResp, hasData: true, contains: `"count":4`},
		{name: "get bad variables", req: get(url.Values{"query": {"{ hello }"}, "variables": {`{`}}, gqlResp), status: 400, code: "BAD_REQUEST"},
		{name: "get missing query", req: get(url.Values{}, appJSON), status: 400, code: "BAD_REQUEST"},
		{name: "get mutation", req: get(url.Values{"query": {"mutation { bump }"}}, gqlResp), status: 405, allow: "POST"},
		{name: "post mutation", req: post(`{"query":"mutation { bump }"}`, appJSON, gqlResp), status: 200, hasData: true},
		{name: "put", req: httptest.NewRequest(http.MethodPut, "/graphql", nil), status: 405, allow: "GET, POST"},
		{name: "prepare status error", req: withHeader(post(`{"query":"{ hello }"}`, appJSON, gqlResp), "Authorization", "deny"), status: 401, code: "UNAUTHENTICATED"},
		{name: "prepare plain error", req: withHeader(post(`{"query":"{ hello }"}`, appJSON, gqlResp), "Authorization", "broken"), status: 500, code: "INTERNAL_SERVER_ERROR"},
		{name: "body too large", req: post(`{"query":"{ hello }","pad":"`+strings.Repeat("x", 2<<20)+`"}`, appJSON, gqlResp), status: 413},
		{name: "request context reaches resolvers", req: withCtx(post(`{"query":"{ who }"}`, appJSON, gqlResp), "alice"), status: 200, hasData: true, contains: `"who":"alice"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, h, tc.req)
			if res.status != tc.status {
				t.Errorf("status = %d, want %d (%s)", res.status, tc.status, res.raw)
			}
			if tc.ctype != "" && !strings.HasPrefix(res.ctype, tc.ctype) {
				t.Errorf("content-type = %q, want %q", res.ctype, tc.ctype)
			}
			if tc.allow != res.allow {
				t.Errorf("Allow = %q, want %q", res.allow, tc.allow)
			}
			if _, ok := res.body["data"]; ok != tc.hasData {
				t.Errorf("data present = %v, want %v (%s)", ok, tc.hasData, res.raw)
			}
			if tc.code != "" {
				errs, _ := res.body["errors"].([]any)
				if len(errs) == 0 {
					t.Fatalf("no errors in %s", res.raw)
				}
				code := errs[0].(map[string]any)["extensions"].(map[string]any)["code"]
				if code != tc.code {
					t.Errorf("code = %v, want %s", code, tc.code)
				}
			}
			if tc.contains != "" && !strings.Contains(res.raw, tc.contains) {
				t.Errorf("body %s does not contain %s", res.raw, tc.contains)
			}
		})
	}
}

func withHeader(r *http.Request, k, v string) *http.Request {
	r.Header.Set(k, v)
	return r
}

func withCtx(r *http.Request, who string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, who))
}

func TestStatusHook(t *testing.T) {
	h := newHandler(t, func(c *gqlhttp.Config) {
		c.Status = func(r *http.Request, resp *exec.Response, status int) int {
			for _, e := range resp.Errors {
				if e.Extensions["code"] == "GRAPHQL_VALIDATION_FAILED" {
					return http.StatusUnprocessableEntity
				}
			}
			return status
		}
	})
	if res := do(t, h, post(`{"query":"{ nope }"}`, appJSON, gqlResp)); res.status != 422 {
		t.Errorf("status = %d", res.status)
	}
	if res := do(t, h, post(`{"query":"{ hello }"}`, appJSON, gqlResp)); res.status != 200 {
		t.Errorf("status = %d", res.status)
	}
}

func TestLimits(t *testing.T) {
	h := newHandler(t, func(c *gqlhttp.Config) {
		c.Limits = &exec.Limits{MaxDocumentBytes: 30, MaxAliases: 1}
		c.MaxVariablesBytes = 20
	})
	res := do(t, h, post(`{"query":"{ a: hello b: hello }"}`, appJSON, gqlResp))
	if res.status != 400 || !strings.Contains(res.raw, "QUERY_TOO_MANY_ALIASES") {
		t.Errorf("aliases: %d %s", res.status, res.raw)
	}
	res = do(t, h, post(`{"query":"{ hello hello hello hello hello hello }"}`, appJSON, gqlResp))
	if res.status != 400 || !strings.Contains(res.raw, "QUERY_TOO_LARGE") {
		t.Errorf("size: %d %s", res.status, res.raw)
	}
	res = do(t, h, post(`{"query":"{ hello }","variables":{"a":"0123456789012345678901234"}}`, appJSON, gqlResp))
	if res.status != 413 {
		t.Errorf("variables size: %d %s", res.status, res.raw)
	}
}

func TestDocumentCache(t *testing.T) {
	h := newHandler(t, nil)
	for i := 0; i < 3; i++ {
		do(t, h, post(`{"query":"{ hello }"}`, appJSON, gqlResp))
		do(t, h, post(`{"query":"{ nope }"}`, appJSON, gqlResp))
	}
	// The failing document is validated each time and never kept.
	hits, misses, size := h.CacheStats()
	if hits != 2 || misses != 4 || size != 1 {
		t.Errorf("hits=%d misses=%d size=%d", hits, misses, size)
	}
}

func TestCacheBoundedAndConcurrent(t *testing.T) {
	h := newHandler(t, func(c *gqlhttp.Config) { c.CacheSize = 8 })
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func(g int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 50; i++ {
				q := `{"query":"query Q` + string(rune('a'+(g*50+i)%20)) + ` { hello }"}`
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, post(q, appJSON, gqlResp))
				if rec.Code != 200 {
					t.Errorf("status %d: %s", rec.Code, rec.Body.String())
				}
			}
		}(g)
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	if _, _, size := h.CacheStats(); size > 8 {
		t.Errorf("cache size %d exceeds 8", size)
	}
}

func BenchmarkCacheHit(b *testing.B) {
	h := newHandler(b, nil)
	body := `{"query":"query($n: Int!) { hello(name: \"bench\") count(n: $n) }","variables":{"n":3}}`
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post(body, appJSON, gqlResp))
		if rec.Code != 200 {
			b.Fatal(rec.Body.String())
		}
	}
}

// TestRepairHook: Config.Repair sees only documents that fail as sent; a
// repair that validates runs with its notes in extensions.warnings, once per
// query text (cached); one that does not validate leaves the original error.
func TestRepairHook(t *testing.T) {
	var seen []string
	h := newHandler(t, func(c *gqlhttp.Config) {
		c.Repair = func(schema *ast.Schema, query string) (*ast.QueryDocument, []string) {
			seen = append(seen, query)
			fixed := map[string]string{"{ hello ": "{ hello }", "{ nope }": "{ nope2 }"}[query]
			if fixed == "" {
				return nil, nil
			}
			doc, err := parser.ParseQuery(&ast.Source{Input: fixed})
			if err != nil {
				t.Fatal(err)
			}
			return doc, []string{"fixed " + fixed}
		}
	})
	tests := []struct {
		query, data, warning, code string
	}{
		{"{ hello }", "hello world", "", ""},
		{"{ hello ", "hello world", "fixed { hello }", ""},
		{"{ hello ", "hello world", "fixed { hello }", ""}, // cached: Repair not asked again
		{"{ nope }", "", "", "GRAPHQL_VALIDATION_FAILED"},  // the repair does not validate
		{"{ who(", "", "", "GRAPHQL_PARSE_FAILED"},         // no repair
	}
	for _, tc := range tests {
		body, _ := json.Marshal(map[string]string{"query": tc.query})
		r := do(t, h, post(string(body), appJSON, appJSON))
		data, _ := r.body["data"].(map[string]any)
		if got, _ := data["hello"].(string); got != tc.data {
			t.Errorf("%q: data %v, want hello %q (%s)", tc.query, r.body["data"], tc.data, r.raw)
		}
		ext, _ := r.body["extensions"].(map[string]any)
		warnings, _ := ext["warnings"].([]any)
		if got := fmt.Sprint(warnings); (tc.warning == "" && len(warnings) > 0) || (tc.warning != "" && got != "["+tc.warning+"]") {
			t.Errorf("%q: warnings %v, want %q", tc.query, warnings, tc.warning)
		}
		if tc.code != "" && !strings.Contains(r.raw, tc.code) {
			t.Errorf("%q: want error code %s: %s", tc.query, tc.code, r.raw)
		}
	}
	if want := []string{"{ hello ", "{ nope }", "{ who("}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("Repair was asked for %q, want %q", seen, want)
	}
}
