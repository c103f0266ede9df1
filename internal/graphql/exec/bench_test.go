package exec_test

import (
	"context"
	"testing"

	"github.com/standin/standin/internal/graphql/exec"
)

const connectionQuery = `query Users($first: Int = 20) {
  users(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...UserCard } }
  }
}
fragment UserCard on User { __typename id name email role age active tags }`

// BenchmarkConnection executes a 20-item connection query with a fragment
// (document already parsed and validated, as with the HTTP cache).
func BenchmarkConnection(b *testing.B) {
	schema := loadSchema(b)
	doc, errs := parseAndValidate(schema, connectionQuery)
	if errs != nil {
		b.Fatal(errs)
	}
	ex := exec.New(schema, exec.Options{Limits: exec.DefaultLimits()})
	res := newTestResolver()
	ctx := context.Background()
	plans := exec.NewPlanCache(doc)
	b.ReportAllocs()
	for b.Loop() {
		resp := ex.Execute(ctx, exec.Request{Document: doc, Resolver: res, Plans: plans})
		if len(resp.Errors) > 0 {
			b.Fatal(resp.Errors)
		}
	}
}

// BenchmarkConnectionDefaultResolver is the same query with fixture data
// served by the default resolver only.
func BenchmarkConnectionDefaultResolver(b *testing.B) {
	schema := loadSchema(b)
	doc, errs := parseAndValidate(schema, connectionQuery)
	if errs != nil {
		b.Fatal(errs)
	}
	ex := exec.New(schema, exec.Options{Limits: exec.DefaultLimits()})
	res := newTestResolver()
	root := map[string]any{"users": res.connection(res.fx.users, 20, "")}
	ctx := context.Background()
	plans := exec.NewPlanCache(doc)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		resp := ex.Execute(ctx, exec.Request{Document: doc, Root: root, Plans: plans, Buffer: buf})
		buf = resp.Data
		if len(resp.Errors) > 0 {
			b.Fatal(resp.Errors)
		}
	}
}
