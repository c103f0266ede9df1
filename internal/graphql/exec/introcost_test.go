package exec_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/introspect"
)

// bigSchema is a schema of n object types of a dozen fields each, the
// size of GitHub's (1,636 types).
func bigSchema(tb testing.TB, n int) *ast.Schema {
	tb.Helper()
	var b strings.Builder
	b.WriteString("type Query {\n")
	for i := range n {
		fmt.Fprintf(&b, "  t%d(id: ID!, first: Int = 10): T%d\n", i, i)
	}
	b.WriteString("}\n")
	for i := range n {
		fmt.Fprintf(&b, "\"Type %d\"\ntype T%d {\n", i, i)
		for j := range 12 {
			fmt.Fprintf(&b, "  f%d(arg: String = \"x\"): [String!]!\n", j)
		}
		fmt.Fprintf(&b, "  next: T%d\n}\n", (i+1)%n)
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "big.graphql", Input: b.String()})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestIntrospectionPricedApart: graphql-js's introspection queries (the
// default options, GraphiQL's, and every option) run against a schema of
// 1,700 types under the default limits, whose MaxCost they exceed many
// times; their cost is introspection's, bounded by the schema's size,
// and 99 aliased __schema fields still exceed that bound.
func TestIntrospectionPricedApart(t *testing.T) {
	schema := bigSchema(t, 1700)
	lim := exec.DefaultLimits()
	ex := exec.New(schema, exec.Options{Limits: lim})
	unit := exec.IntrospectionCost(schema)
	if unit <= lim.MaxCost {
		t.Fatalf("the full introspection query costs %d, not more than MaxCost %d: the test proves nothing", unit, lim.MaxCost)
	}
	for name, q := range map[string]string{"default options": introspect.Query, "every option": introspect.FullQuery} {
		doc, errs := parseAndValidate(schema, q)
		if errs != nil {
			t.Fatalf("%s: %v", name, errs)
		}
		an := exec.Analyze(schema, doc, doc.Operations[0], nil, lim)
		if an.Cost != 0 || an.IntrospectionCost == 0 || an.IntrospectionCost > unit {
			t.Errorf("%s: cost %d, introspection cost %d (unit %d)", name, an.Cost, an.IntrospectionCost, unit)
		}
		resp := ex.Execute(context.Background(), exec.Request{Document: doc})
		if len(resp.Errors) > 0 || !strings.Contains(string(resp.Data), `"name":"T1699"`) {
			t.Errorf("%s: refused or incomplete: %v", name, resp.Errors)
		}
	}
	// ordinary fields beside introspection still count as cost
	doc, errs := parseAndValidate(schema, `{ __schema { types { name } } t1(id: "1") { f1 } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	if an := exec.Analyze(schema, doc, doc.Operations[0], nil, lim); an.Cost != 2 {
		t.Errorf("cost of t1 { f1 } beside __schema = %d, want 2", an.Cost)
	}
	var many strings.Builder
	many.WriteString("{ ")
	for i := range 99 {
		fmt.Fprintf(&many, "s%d: __schema { types { name kind description fields { name description type { name kind } } } } ", i)
	}
	many.WriteString("}")
	doc, errs = parseAndValidate(schema, many.String())
	if errs != nil {
		t.Fatal(errs)
	}
	// each aliased __schema is one alias (99, within the default 100)
	if an := exec.Analyze(schema, doc, doc.Operations[0], nil, lim); an.Aliases != 99 {
		t.Errorf("99 aliased __schema count %d aliases, want 99", an.Aliases)
	}
	got := exec.CheckLimits(schema, doc, doc.Operations[0], nil, lim)
	if len(got) != 1 || got[0].Extensions["code"] != exec.CodeTooComplex || !strings.Contains(got[0].Message, "maximum introspection cost") {
		t.Errorf("99 aliased __schema: %v", got)
	}
	lim.IntrospectionQueries = 0
	if got := exec.CheckLimits(schema, doc, doc.Operations[0], nil, lim); len(got) != 0 {
		t.Errorf("with IntrospectionQueries 0 (no bound): %v", got)
	}
}
