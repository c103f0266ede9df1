package exec_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/standin/standin/internal/graphql/exec"
)

func loadSchema(tb testing.TB) *ast.Schema {
	tb.Helper()
	src, err := os.ReadFile("testdata/schema.graphql")
	if err != nil {
		tb.Fatal(err)
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(src)})
	if gerr != nil {
		tb.Fatal(gerr)
	}
	return s
}

// parseAndValidate returns the document or the parse/validation errors.
func parseAndValidate(schema *ast.Schema, query string) (*ast.QueryDocument, gqlerror.List) {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		var ge *gqlerror.Error
		if errors.As(err, &ge) {
			return nil, gqlerror.List{ge}
		}
		return nil, gqlerror.List{gqlerror.Wrap(err)}
	}
	// As gqlhttp does: the pre-validation limits, validation, literals.
	if perr := exec.Precheck(doc, exec.DefaultLimits()); perr != nil {
		return nil, gqlerror.List{perr}
	}
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
		return nil, errs
	}
	if errs := exec.ValidateLiterals(doc); len(errs) > 0 {
		return nil, errs
	}
	return doc, nil
}

// fixtures is the deterministic data set behind testResolver.
type fixtures struct {
	users  []map[string]any
	byID   map[string]map[string]any
	posts  []map[string]any
	groups []map[string]any
}

func newFixtures() *fixtures {
	fx := &fixtures{byID: map[string]map[string]any{}}
	roles := []string{"ADMIN", "EDITOR", "VIEWER"}
	for i := 1; i <= 25; i++ {
		u := map[string]any{
			"__typename": "User",
			"id":         fmt.Sprintf("u%d", i),
			"name":       fmt.Sprintf("User %d", i),
			"role":       roles[i%3],
			"active":     i%2 == 0,
			"score":      float64(i) / 4,
			"createdAt":  fmt.Sprintf("2024-01-%02dT00:00:00Z", i),
			"tags":       []string{"t" + fmt.Sprint(i%4), "common"},
			"meta":       map[string]any{"rank": i, "vip": i == 1},
			"legacyName": fmt.Sprintf("user_%d", i),
		}
		if i%2 == 1 {
			u["email"] = fmt.Sprintf("u%d@example.com", i)
		}
		if i%5 != 0 {
			u["age"] = 20 + i
		}
		fx.users = append(fx.users, u)
		fx.byID[u["id"].(string)] = u
	}
	// A broken user: its non-null name is missing.
	broken := map[string]any{"__typename": "User", "id": "broken", "role": "ADMIN", "active": true, "tags": []any{}}
	fx.byID["broken"] = broken
	// A user whose ID is a number: ID output coercion turns it into "42".
	fx.byID["num"] = map[string]any{"__typename": "User", "id": 42, "name": "Numeric", "role": "EDITOR", "active": false, "tags": []any{"n"}}
	for i := 1; i <= 5; i++ {
		p := map[string]any{
			"__typename": "Post",
			"id":         fmt.Sprintf("p%d", i),
			"title":      fmt.Sprintf("Post %d", i),
			"authorId":   fmt.Sprintf("u%d", i),
			"body":       "Hello <b>world</b>",
			"ratings":    []any{5, nil, i},
		}
		fx.posts = append(fx.posts, p)
		fx.byID[p["id"].(string)] = p
	}
	for i := 1; i <= 2; i++ {
		g := map[string]any{
			"__typename": "Group",
			"id":         fmt.Sprintf("g%d", i),
			"name":       fmt.Sprintf("Group %d", i),
			"members":    []map[string]any{fx.users[i-1], fx.users[i]},
		}
		fx.groups = append(fx.groups, g)
		fx.byID[g["id"].(string)] = g
	}
	return fx
}

// testResolver resolves the test schema over fixtures. Mutations are
// recorded in log.
type testResolver struct {
	fx      *fixtures
	mu      sync.Mutex
	log     []string
	counter int
}

func newTestResolver() *testResolver { return &testResolver{fx: newFixtures()} }

func intArg(args map[string]any, name string, def int) int {
	if v, ok := args[name].(int); ok {
		return v
	}
	return def
}

func (r *testResolver) connection(all []map[string]any, first int, after string) map[string]any {
	start := 0
	if after != "" {
		for i, u := range all {
			if u["id"] == after {
				start = i + 1
			}
		}
	}
	end := min(start+first, len(all))
	if first < 0 {
		end = start
	}
	edges := make([]any, 0, end-start)
	nodes := make([]map[string]any, 0, end-start)
	for _, u := range all[start:end] {
		edges = append(edges, map[string]any{"cursor": u["id"], "node": u})
		nodes = append(nodes, u)
	}
	pi := map[string]any{"hasNextPage": end < len(all), "hasPreviousPage": start > 0}
	if len(nodes) > 0 {
		pi["startCursor"] = nodes[0]["id"]
		pi["endCursor"] = nodes[len(nodes)-1]["id"]
	}
	return map[string]any{"edges": edges, "nodes": nodes, "pageInfo": pi, "totalCount": len(all)}
}

func (r *testResolver) Resolve(ctx context.Context, f exec.FieldContext) (any, error) {
	switch f.Name { // plain data fields: skip the key concatenation below
	case "id", "name", "email", "role", "age", "score", "active", "createdAt", "tags", "meta", "legacyName", "title", "ratings", "cursor", "edges", "nodes", "pageInfo", "totalCount", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "members":
		return exec.Default, nil
	}
	switch f.ParentType + "." + f.Name {
	case "Query.node":
		return r.fx.byID[f.Args["id"].(string)], nil
	case "Query.user":
		u := r.fx.byID[f.Args["id"].(string)]
		if u != nil && u["__typename"] != "User" {
			return nil, nil
		}
		return u, nil
	case "Query.users":
		all := r.fx.users
		if filter, ok := f.Args["filter"].(map[string]any); ok {
			var out []map[string]any
			for _, u := range all {
				if role, ok := filter["role"].(string); ok && u["role"] != role {
					continue
				}
				if s, ok := filter["nameContains"].(string); ok && !strings.Contains(u["name"].(string), s) {
					continue
				}
				out = append(out, u)
			}
			all = out
		}
		if f.Args["sort"] == "DESC" {
			rev := make([]map[string]any, len(all))
			for i, u := range all {
				rev[len(all)-1-i] = u
			}
			all = rev
		}
		after, _ := f.Args["after"].(string)
		return r.connection(all, intArg(f.Args, "first", len(all)), after), nil
	case "User.friends":
		after, _ := f.Args["after"].(string)
		return r.connection(r.fx.users, intArg(f.Args, "first", 10), after), nil
	case "User.posts":
		var out []any
		for _, p := range r.fx.posts {
			if p["authorId"] == f.Parent.(map[string]any)["id"] {
				out = append(out, p)
			}
		}
		return out, nil
	case "User.bestFriend":
		return r.fx.byID["u1"], nil
	case "Post.author":
		return r.fx.byID[f.Parent.(map[string]any)["authorId"].(string)], nil
	case "Post.body":
		if f.Args["format"] == "HTML" {
			return f.Parent.(map[string]any)["body"], nil
		}
		return "Hello world", nil
	case "Query.search":
		if f.Args["term"] == "broken" {
			return []any{r.fx.byID["u1"], r.fx.byID["broken"]}, nil
		}
		out := []any{r.fx.users[0], r.fx.posts[0], r.fx.groups[0]}
		return out[:min(intArg(f.Args, "limit", 5), len(out))], nil
	case "Query.echo":
		return f.Args, nil
	case "Query.post":
		by := f.Args["by"].(map[string]any)
		for _, p := range r.fx.posts {
			if p["id"] == by["id"] || p["title"] == by["title"] {
				return p, nil
			}
		}
		return nil, nil
	case "Query.named":
		return []any{r.fx.users[0], r.fx.groups[0]}, nil
	case "Query.requiredString":
		return "ok", nil
	case "Query.nullableList":
		return []any{"a", nil, "c"}, nil
	case "Query.nonNullList":
		return []string{"x", "y"}, nil
	case "Query.fail":
		code, _ := f.Args["code"].(string)
		msg, _ := f.Args["message"].(string)
		if msg == "" {
			msg = "failed on purpose"
		}
		return nil, &exec.Error{Code: code, Message: msg, Extensions: map[string]any{"reason": "test"}}
	case "Query.failNonNull":
		return nil, errors.New("boom")
	case "Query.badInt":
		return 1.5, nil
	case "Query.badEnum":
		return "SUPERUSER", nil
	case "Query.panic":
		panic("kaboom: secret detail")
	case "Query.slow":
		<-ctx.Done()
		return nil, ctx.Err()
	case "Mutation.createUser":
		in := f.Args["input"].(map[string]any)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.log = append(r.log, "createUser:"+in["name"].(string))
		u := map[string]any{"__typename": "User", "id": fmt.Sprintf("new%d", len(r.log)), "name": in["name"], "email": in["email"], "role": in["role"], "active": true, "tags": in["tags"]}
		return u, nil
	case "Mutation.increment":
		r.mu.Lock()
		defer r.mu.Unlock()
		r.counter += f.Args["by"].(int)
		r.log = append(r.log, fmt.Sprintf("increment:%d", r.counter))
		return r.counter, nil
	case "Mutation.failing":
		r.mu.Lock()
		r.log = append(r.log, "failing")
		r.mu.Unlock()
		return nil, &exec.Error{Code: "CONFLICT", Message: "cannot do that"}
	case "Mutation.failingNonNull":
		r.mu.Lock()
		r.log = append(r.log, "failingNonNull")
		r.mu.Unlock()
		return nil, nil
	}
	return exec.Default, nil
}
