package introspect_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/introspect"
	"github.com/standin/standin/internal/graphql/respcheck"
)

func load(t *testing.T, name, sdl string) *ast.Schema {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: sdl})
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return s
}

func introspectionResult(t *testing.T, schema *ast.Schema, query string) []byte {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
		t.Fatalf("introspection query does not validate: %v", errs)
	}
	resp := exec.New(schema, exec.Options{Limits: exec.DefaultLimits()}).Execute(context.Background(), exec.Request{Document: doc})
	if len(resp.Errors) > 0 {
		t.Fatalf("introspection errors: %v", resp.Errors)
	}
	if v := respcheck.ValidateJSON(schema, doc, "", nil, resp.Data); len(v) > 0 {
		t.Fatalf("introspection response violates the schema: %v", v)
	}
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	src, err := os.ReadFile("../exec/testdata/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	verbatim, err := os.ReadFile("../exec/testdata/introspection_query_full.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if string(verbatim) != introspect.FullQuery {
		t.Fatal("FullQuery differs from testdata/introspection_query_full.graphql")
	}
	want := load(t, "schema.graphql", string(src))
	body := introspectionResult(t, want, introspect.FullQuery)
	is, err := introspect.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	sdl, err := is.SDL()
	if err != nil {
		t.Fatal(err)
	}
	got, err := introspect.LoadSchema(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, sdl)
	}
	if diffs := introspect.Compare(want, got, introspect.CompareOptions{}); len(diffs) > 0 {
		t.Errorf("round trip differs:\n%v\nSDL:\n%s", diffs, sdl)
	}

	// The default graphql-js query does not ask for specifiedByURL,
	// isOneOf, isRepeatable, the schema description or deprecated
	// arguments: only those may differ.
	body = introspectionResult(t, want, introspect.Query)
	got, err = introspect.LoadSchema(body)
	if err != nil {
		t.Fatal(err)
	}
	var other []string
	for _, d := range introspect.Compare(want, got, introspect.CompareOptions{}) {
		switch {
		case strings.Contains(d.Message, "specifiedBy"), strings.Contains(d.Message, "@oneOf"),
			strings.Contains(d.Message, "repeatable"), d.Path == "schema", d.Path == "Query.echo(old:)":
		default:
			other = append(other, d.String())
		}
	}
	if len(other) > 0 {
		t.Errorf("default query round trip differs: %v", other)
	}
}

func TestCompareFindsDifferences(t *testing.T) {
	a := load(t, "a", `type Query { a(x: Int = 1): String b: [Int!] } enum E { X Y } input I { f: Int = 2 } directive @d(a: Int) on FIELD_DEFINITION`)
	b := load(t, "b", `type Query { a(x: Int = 2): String! c: Int } enum E { X } input I { f: Int = 3 } directive @d(a: String) repeatable on FIELD_DEFINITION`)
	diffs := introspect.Compare(a, b, introspect.CompareOptions{})
	var got []string
	for _, d := range diffs {
		got = append(got, d.String())
	}
	want := []string{
		`@d: repeatable differs: want false, got true`,
		`@d(a:): type differs: want "Int", got "String"`,
		`E.Y: enum value is missing`,
		`I.f: default value differs: want "2", got "3"`,
		`Query.a: type differs: want "String", got "String!"`,
		`Query.a(x:): default value differs: want "1", got "2"`,
		`Query.b: field is missing`,
		`Query.c: unexpected field`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
