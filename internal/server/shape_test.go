package server

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/config"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/source"
	"github.com/standin/standin/specs"
)

// surface is one protocol of one API: where its valid request goes and
// where a path inside it matches nothing.
type surface struct {
	api, spec  string // spec: the OpenAPI file for REST, "" for GraphQL
	method     string
	path       string // a served path
	body       string
	unmatched  []string // paths inside the API that no operation serves
	notAllowed string   // a method the served path does not take
}

var surfaces = []surface{
	{api: "admin", method: "POST", path: "/graphql", body: `{"query":"{ __typename }"}`, unmatched: []string{"/graphql/x", "/graphql//"}, notAllowed: "PUT"},
	{api: "marketplace", method: "POST", path: "/api/graphql", body: `{"query":"{ __typename }"}`, unmatched: []string{"/api/graphql/x"}, notAllowed: "DELETE"},
	{api: "marketplace", spec: "marketplace/openapi.yaml", method: "GET", path: "/api/account/v2/companies", unmatched: []string{"/api/account/v2/companies//", "/api/account/v2/nope", "/api/x"}, notAllowed: "POST"},
	{api: "clients-v0", spec: "clients-v0/openapi.yaml", method: "GET", path: "/v0/clients", unmatched: []string{"/v0//clients", "/v0/clients/1", "/v0/"}, notAllowed: "POST"},
	{api: "clients-v2", spec: "clients-v2/openapi.yaml", method: "GET", path: "/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50", unmatched: []string{"/v2/clients//x", "/v2/clients", "/v2/clients/a/b"}, notAllowed: "DELETE"},
}

// TestMockErrorsInTheAPIShape: every error the mock makes itself, on every
// API, is in that API's documented error shape: REST bodies validate
// against the spec's error response schema (kin-openapi), GraphQL bodies
// are {"errors":[…]} without data. Every answer has nosniff.
func TestMockErrorsInTheAPIShape(t *testing.T) {
	cfg := config.Default()
	srv, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	big := `{"query":"{ __typename }","pad":"` + strings.Repeat("x", int(cfg.MaxBodyBytes)) + `"}`
	for _, sf := range surfaces {
		kind := "graphql"
		var doc *openapi3.T
		if sf.spec != "" {
			kind = "rest"
			if doc, _, err = openapi.Load(specs.FS, sf.spec, source.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		type errCase struct {
			name, method, path, body, ctype string
			header                          map[string]string
			status                          int
		}
		cases := []errCase{
			{name: "unknown scenario", header: map[string]string{"X-Standin-Scenario": "bogus"}, status: 400},
			{name: "bad delay", header: map[string]string{"X-Standin-Scenario": "slow", "X-Standin-Delay": "soon"}, status: 400},
			{name: "method not allowed", method: sf.notAllowed, status: 405},
			{name: "body over the limit", body: big, ctype: "application/json", status: 413},
			{name: "body of another media type", body: "hello", ctype: "text/plain", status: 415},
		}
		for _, p := range sf.unmatched {
			cases = append(cases, errCase{name: "unmatched " + p, path: p, status: 404})
		}
		for _, c := range cases {
			t.Run(sf.api+"/"+kind+"/"+c.name, func(t *testing.T) {
				method, path, body, ctype := sf.method, sf.path, sf.body, "application/json"
				if c.method != "" {
					method = c.method
				}
				if c.path != "" {
					path = c.path
				}
				if c.body != "" {
					body, ctype = c.body, c.ctype
				}
				req := httptest.NewRequest(method, path, strings.NewReader(body))
				if body != "" {
					req.Header.Set("Content-Type", ctype)
				}
				req.Header.Set("Authorization", "Bearer standin-admin")
				for k, v := range c.header {
					req.Header.Set(k, v)
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != c.status {
					t.Fatalf("status %d, want %d: %.300s", rec.Code, c.status, rec.Body.String())
				}
				if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options %q, want nosniff", got)
				}
				t.Logf("%d %.200s", rec.Code, rec.Body.String())
				var v any
				if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
					t.Fatalf("body is not JSON: %v: %.300s", err, rec.Body.String())
				}
				if doc == nil {
					checkGraphQLErrors(t, v)
					if c.status == 413 && !strings.Contains(rec.Body.String(), `"code":"BAD_REQUEST"`) {
						t.Errorf("413 without BAD_REQUEST, unlike the GraphQL handler's own: %s", rec.Body.String())
					}
					return
				}
				schema := errorSchema(doc, c.status)
				if schema == nil {
					t.Fatalf("%s declares no error schema", sf.spec)
				}
				if err := schema.VisitJSON(v); err != nil {
					t.Errorf("body does not match %s's error schema: %v\n%s", sf.spec, err, rec.Body.String())
				}
			})
		}
	}
}

// checkGraphQLErrors checks a request error response: errors, each with a
// message and an extensions.code, and no data.
func checkGraphQLErrors(t *testing.T, v any) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %v", v)
	}
	if _, ok := m["data"]; ok {
		t.Errorf("a request error has data: %v", m)
	}
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no errors: %v", m)
	}
	for _, e := range errs {
		em, _ := e.(map[string]any)
		if msg, _ := em["message"].(string); msg == "" {
			t.Errorf("error without message: %v", e)
		}
		ext, _ := em["extensions"].(map[string]any)
		if code, _ := ext["code"].(string); code == "" {
			t.Errorf("error without extensions.code: %v", e)
		}
	}
	for k := range m {
		if k != "errors" && k != "extensions" {
			t.Errorf("unexpected member %q", k)
		}
	}
}

// errorSchema is the JSON schema the spec gives error answers of a status:
// the response some operation declares for it, else a default response,
// else the response of any 4xx status.
func errorSchema(doc *openapi3.T, status int) *openapi3.Schema {
	pick := func(match func(code string) bool) *openapi3.Schema {
		for _, p := range doc.Paths.InMatchingOrder() {
			for _, op := range doc.Paths.Value(p).Operations() {
				for code, ref := range op.Responses.Map() {
					if !match(code) || ref.Value == nil {
						continue
					}
					if mt := ref.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
						return mt.Schema.Value
					}
				}
			}
		}
		return nil
	}
	if s := pick(func(c string) bool { return c == strconv.Itoa(status) }); s != nil {
		return s
	}
	if s := pick(func(c string) bool { return c == "default" }); s != nil {
		return s
	}
	return pick(func(c string) bool { return strings.HasPrefix(c, "4") })
}
