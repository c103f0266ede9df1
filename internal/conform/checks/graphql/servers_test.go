package graphql_test

// The GraphQL checks against servers the suite knows nothing about, run as
// conform --spec runs them: small servers written here implement
// testdata/anyserver/schema.graphql (a Relay connection, a plain list,
// lookups by id, node(id:) through an interface, a nullable field that
// answers null with an error); one behaves like a graphql-js 14 server
// (it refuses the introspection fields added since and puts no code on
// its errors), one is open, one serves at its own path and takes a token.
// Each correct server passes with no failure; each planted defect is
// caught by the check that exists for it.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/conform"
	"github.com/standin/standin/internal/conform/checks"
	"github.com/standin/standin/internal/conform/engine"
	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/gqlhttp"
	"github.com/standin/standin/internal/manifest"
)

const anySchemaFile = "testdata/anyserver/schema.graphql"

// anyData is the servers' data: 23 people (every third without an
// avatar), 10 posts.
type anyData struct {
	people []map[string]any
	posts  []map[string]any
}

func newAnyData() *anyData {
	d := &anyData{}
	for i := 1; i <= 23; i++ {
		p := map[string]any{"id": fmt.Sprintf("p%d", i), "name": fmt.Sprintf("Person %d", i), "email": nil}
		if i%2 == 0 {
			p["email"] = fmt.Sprintf("person%d@example.com", i)
		}
		p["hasAvatar"] = i%3 != 0
		d.people = append(d.people, p)
	}
	for i := 1; i <= 10; i++ {
		kind := "NOTE"
		if i%2 == 0 {
			kind = "ARTICLE"
		}
		d.posts = append(d.posts, map[string]any{"id": strconv.Itoa(100 + i), "title": fmt.Sprintf("Post %d", i), "kind": kind,
			"views": 10 * i, "authorId": fmt.Sprintf("p%d", 1+i%5)})
	}
	return d
}

// anyResolver answers the schema from anyData; defect plants one fault.
type anyResolver struct {
	d      *anyData
	defect string
}

func find(list []map[string]any, id any) map[string]any {
	for _, r := range list {
		if r["id"] == id {
			return r
		}
	}
	return nil
}

func (r anyResolver) Resolve(_ context.Context, f exec.FieldContext) (any, error) {
	switch f.ParentType + "." + f.Name {
	case "Query.people":
		return r.people(f.Args)
	case "Query.person":
		p := find(r.d.people, f.Args["id"])
		if r.defect == "lookup" && p != nil && p["id"] == "p7" {
			p = find(r.d.people, "p8") // another record
		}
		return typed(p, "Person"), nil
	case "Query.posts":
		return typedAll(r.d.posts, "Post"), nil
	case "Query.post":
		id := f.Args["id"]
		if s, ok := id.(string); ok && r.defect == "loose" {
			id = strings.TrimSpace(s) // as JavaScript's == finds "1 " for 1
		}
		p := find(r.d.posts, id)
		if p == nil {
			return nil, &exec.Error{Code: "NOT_FOUND", Message: fmt.Sprintf("no post has id %v", f.Args["id"])}
		}
		return typed(p, "Post"), nil
	case "Query.node":
		if p := find(r.d.people, f.Args["id"]); p != nil {
			return typed(p, "Person"), nil
		}
		return typed(find(r.d.posts, f.Args["id"]), "Post"), nil
	case "Query.postsOf":
		var out []any
		for _, p := range r.d.posts {
			if p["kind"] == f.Args["kind"] {
				out = append(out, typed(p, "Post"))
			}
		}
		return out, nil
	case "Person.avatar":
		p := f.Parent.(map[string]any)
		if p["hasAvatar"] != true {
			return nil, &exec.Error{Code: "AVATAR_UNAVAILABLE", Message: "the avatar service did not answer"}
		}
		return "https://avatars.example.com/" + p["id"].(string), nil
	case "Person.posts":
		var out []any
		for _, p := range r.d.posts {
			if p["authorId"] == f.Parent.(map[string]any)["id"] {
				out = append(out, typed(p, "Post"))
			}
		}
		return out, nil
	case "Post.author":
		return typed(find(r.d.people, f.Parent.(map[string]any)["authorId"]), "Person"), nil
	}
	return exec.Default, nil
}

func typed(m map[string]any, typeName string) any {
	if m == nil {
		return nil
	}
	out := map[string]any{"__typename": typeName}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func typedAll(list []map[string]any, typeName string) []any {
	out := make([]any, len(list))
	for i, m := range list {
		out[i] = typed(m, typeName)
	}
	return out
}

// people slices the connection as Relay specifies; first and last are
// 0-50.
func (r anyResolver) people(args map[string]any) (any, error) {
	all := r.d.people
	start, end := 0, len(all)
	cursor := func(i int) string { return "cursor:" + all[i]["id"].(string) }
	index := func(c string) int {
		for i := range all {
			if cursor(i) == c {
				return i
			}
		}
		return -1
	}
	for _, n := range []string{"first", "last"} {
		if v, ok := args[n].(int); ok && (v < 0 || v > 50) {
			return nil, &exec.Error{Code: "BAD_USER_INPUT", Message: n + " must be between 0 and 50"}
		}
	}
	if a, ok := args["after"].(string); ok {
		i := index(a)
		if i < 0 {
			return nil, &exec.Error{Code: "BAD_USER_INPUT", Message: "unknown cursor"}
		}
		start = i + 1
		if r.defect == "skip" {
			start++ // the planted defect: a node lost between pages
		}
	}
	if b, ok := args["before"].(string); ok {
		i := index(b)
		if i < 0 {
			return nil, &exec.Error{Code: "BAD_USER_INPUT", Message: "unknown cursor"}
		}
		end = min(end, i)
	}
	start = min(start, end)
	if v, ok := args["first"].(int); ok {
		end = min(end, start+v)
	}
	if v, ok := args["last"].(int); ok {
		start = max(start, end-v)
	}
	var edges []any
	for i := start; i < end; i++ {
		edges = append(edges, map[string]any{"cursor": cursor(i), "node": typed(all[i], "Person")})
	}
	pi := map[string]any{"hasNextPage": end < len(all), "hasPreviousPage": start > 0, "startCursor": nil, "endCursor": nil}
	if start < end {
		pi["startCursor"], pi["endCursor"] = cursor(start), cursor(end-1)
	}
	return map[string]any{"totalCount": len(all), "edges": edges, "pageInfo": pi}, nil
}

// anyServer is one server of the test: the schema served by gqlhttp at
// path, with a token when token is set (refused with errors and no data,
// HTTP 200, no code), as graphql-js 14 when js14 is set, and one planted
// defect.
type anyServer struct {
	path, token, defect string
	js14                bool
	// introspections counts the introspection requests answered.
	introspections atomic.Int32
}

func (s *anyServer) start(t *testing.T) *httptest.Server {
	t.Helper()
	sdl, err := os.ReadFile(anySchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: anySchemaFile, Input: string(sdl)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	res := anyResolver{d: newAnyData(), defect: s.defect}
	h, err := gqlhttp.New(gqlhttp.Config{Schema: schema, Prepare: func(*http.Request, *gqlhttp.Params) (exec.Resolver, any, error) {
		return res, nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(s.path, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req struct {
			Query string `json:"query"`
		}
		_ = json.Unmarshal(body, &req)
		if strings.Contains(req.Query, "__schema") {
			s.introspections.Add(1)
		}
		if scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " "); s.token != "" && (!strings.EqualFold(scheme, "Bearer") || tok != s.token) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"errors":[{"message":"not authenticated"}]}`))
			return
		}
		if s.js14 {
			if refused := js14Refusals(schema, req.Query); len(refused) > 0 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_ = json.NewEncoder(w).Encode(map[string]any{"errors": refused})
				return
			}
		}
		rec := httptest.NewRecorder()
		r.Header.Set("Accept", "application/json")
		h.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		if s.js14 {
			out = withoutCodes(out)
		}
		out = plant(s.defect, out)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// js14Refusals is what graphql-js 14 says of a query asking for the
// introspection fields it does not have.
func js14Refusals(schema *ast.Schema, query string) []map[string]any {
	doc, errs := gqlparser.LoadQueryWithRules(schema, query, nil)
	if errs != nil {
		return nil
	}
	var out []map[string]any
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch f := sel.(type) {
			case *ast.Field:
				parent := ""
				if f.ObjectDefinition != nil {
					parent = f.ObjectDefinition.Name
				}
				loc := []map[string]int{{"line": f.Position.Line, "column": f.Position.Column}}
				switch parent + "." + f.Name {
				case "__Schema.description", "__Directive.isRepeatable", "__Type.specifiedByURL", "__Type.isOneOf",
					"__InputValue.isDeprecated", "__InputValue.deprecationReason":
					out = append(out, map[string]any{"message": fmt.Sprintf("Cannot query field %q on type %q.", f.Name, parent), "locations": loc})
				}
				if (f.Name == "args" || f.Name == "inputFields") && f.Arguments.ForName("includeDeprecated") != nil {
					out = append(out, map[string]any{"message": fmt.Sprintf("Unknown argument \"includeDeprecated\" on field %q of type %q.", f.Name, parent), "locations": loc})
				}
				walk(f.SelectionSet)
			case *ast.InlineFragment:
				walk(f.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		walk(op.SelectionSet)
	}
	for _, fr := range doc.Fragments {
		walk(fr.SelectionSet)
	}
	return out
}

// withoutCodes drops every error's extensions: graphql-js 14 puts none.
func withoutCodes(body []byte) []byte {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		if em, ok := e.(map[string]any); ok {
			delete(em, "extensions")
		}
	}
	out, _ := json.Marshal(m)
	return out
}

// plant rewrites an answer the way a faulty server would write it.
func plant(defect string, body []byte) []byte {
	switch defect {
	case "null":
		return bytes.ReplaceAll(body, []byte(`"name":"Person 5"`), []byte(`"name":null`))
	case "type":
		return bytes.ReplaceAll(body, []byte(`"views":30`), []byte(`"views":"30"`))
	}
	return body
}

// runConform runs every check against one API as conform --spec does.
func runConform(t *testing.T, api conform.APIConfig) []engine.Result {
	t.Helper()
	api.Spec = anySchemaFile
	cfg := conform.Config{APIs: map[string]conform.APIConfig{"anyserver": api}, Timeout: manifest.Duration(10 * time.Second), Examples: 10, Seed: 1}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	env, err := engine.NewEnv(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return engine.RunCases(env, engine.Plan(env, engine.MustRegistry(checks.All()...).Checks()))
}

func report(rs []engine.Result) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s %s [%s] %s", r.Status, r.Check, r.Operation, r.Name)
		if r.SkipReason != "" {
			fmt.Fprintf(&b, " (%s)", r.SkipReason)
		}
		b.WriteByte('\n')
		for _, v := range r.Violations {
			fmt.Fprintf(&b, "    %s: %s\n", v.Where, v.Message)
		}
	}
	return b.String()
}

func statusOf(rs []engine.Result, check string) []string {
	var out []string
	for _, r := range rs {
		if r.Check == check {
			out = append(out, r.Status)
		}
	}
	return out
}

// TestAnyGraphQLServerPasses: each correct server passes with no failure,
// and the checks that matter for it did run (not skipped).
func TestAnyGraphQLServerPasses(t *testing.T) {
	for _, c := range []struct {
		name   string
		server *anyServer
		api    func(url string) conform.APIConfig
		// ran must each pass at least once.
		ran []string
	}{
		{"open", &anyServer{path: "/graphql"},
			func(url string) conform.APIConfig { return conform.APIConfig{BaseURL: url} },
			[]string{"graphql-schema", "graphql-full-selection", "graphql-lookups-agree", "graphql-pagination", "graphql-records", "graphql-page-info",
				"graphql-error-shape", "graphql-invalid-input", "graphql-property-selection", "graphql-property-pagination",
				"graphql-near-miss"}},
		{"graphql-js 14", &anyServer{path: "/graphql", js14: true},
			func(url string) conform.APIConfig { return conform.APIConfig{BaseURL: url} },
			[]string{"graphql-schema", "graphql-full-selection", "graphql-lookups-agree", "graphql-error-shape", "graphql-invalid-input"}},
		{"own path, with a token", &anyServer{path: "/api/v2/gql", token: "s3cret"},
			func(url string) conform.APIConfig {
				return conform.APIConfig{BaseURL: url, Token: "s3cret", GraphQL: conform.GraphQLConfig{Path: "/api/v2/gql"}}
			},
			[]string{"graphql-schema", "graphql-full-selection", "graphql-unauthenticated", "graphql-security-schemes", "graphql-lookups-agree"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := c.server.start(t)
			rs := runConform(t, c.api(srv.URL))
			if failed := engine.Failed(rs); len(failed) > 0 {
				t.Errorf("%d of %d results failed against a correct server:\n%s", len(failed), len(rs), report(failed))
			}
			for _, check := range c.ran {
				if !slices.Contains(statusOf(rs, check), engine.Pass) {
					t.Errorf("%s did not pass once (%v):\n%s", check, statusOf(rs, check), report(rs))
				}
			}
			if c.server.js14 && c.server.introspections.Load() < 2 {
				t.Errorf("the graphql-js 14 server answered %d introspection requests: the newest form should have been refused first", c.server.introspections.Load())
			}
		})
	}
}

// TestAnyGraphQLServerDefects: each planted defect is caught by its check,
// with a message that names it.
func TestAnyGraphQLServerDefects(t *testing.T) {
	for _, c := range []struct {
		defect, check, word string
	}{
		{"null", "graphql-full-selection", "null"},
		{"null", "graphql-records", "null"},
		{"type", "graphql-full-selection", "Int"},
		{"skip", "graphql-pagination", "totalCount"},
		{"lookup", "graphql-lookups-agree", "another record"},
		// post(id:) over the plain list posts: [Post]
		{"loose", "graphql-near-miss", "with a trailing space"},
	} {
		t.Run(c.defect+" "+c.check, func(t *testing.T) {
			srv := (&anyServer{path: "/graphql", defect: c.defect, js14: true}).start(t)
			rs := runConform(t, conform.APIConfig{BaseURL: srv.URL})
			caught := false
			for _, r := range engine.Failed(rs) {
				if r.Check != c.check {
					continue
				}
				for _, v := range r.Violations {
					if strings.Contains(v.Message, c.word) {
						caught = true
					}
				}
			}
			if !caught {
				t.Errorf("defect %s: no failure of %s mentioning %q:\n%s", c.defect, c.check, c.word, report(engine.Failed(rs)))
			}
		})
	}
}

// TestAnyGraphQLServerPath: without its graphqlPath, a server at its own
// path is not found, so the setting is what makes the run pass.
func TestAnyGraphQLServerPath(t *testing.T) {
	srv := (&anyServer{path: "/api/v2/gql"}).start(t)
	rs := runConform(t, conform.APIConfig{BaseURL: srv.URL})
	if len(engine.Failed(rs)) == 0 {
		t.Fatalf("asked at /graphql, a server at /api/v2/gql passed:\n%s", report(rs))
	}
}
