package exec_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/respcheck"
)

// fuzzInputTimeout bounds the time of one fuzz input.
const fuzzInputTimeout = 10 * time.Second

// fuzzResolver is testResolver without the blocking field.
type fuzzResolver struct{ *testResolver }

func (r fuzzResolver) Resolve(ctx context.Context, f exec.FieldContext) (any, error) {
	if f.Name == "slow" {
		return "fast", nil
	}
	return r.testResolver.Resolve(ctx, f)
}

// FuzzExecute executes arbitrary documents and variables against the test
// schema. Invariants: no panic escapes, no internal executor failure, the
// output is valid JSON, and every response with data validates with the
// response validator.
func FuzzExecute(f *testing.F) {
	for _, tc := range execCases {
		f.Add(tc.query, tc.vars)
	}
	schema := loadSchema(f)
	ex := exec.New(schema, exec.Options{Limits: exec.DefaultLimits()})
	f.Fuzz(func(t *testing.T, query, vars string) {
		if len(query) > 4096 {
			return
		}
		defer watchdog(query)()
		doc, errs := parseAndValidate(schema, query)
		if errs != nil {
			return
		}
		var v map[string]any
		if vars != "" {
			_ = json.Unmarshal([]byte(vars), &v)
		}
		plans := exec.NewPlanCache(doc)
		for _, op := range append([]string{""}, opNames(doc.Operations)...) {
			resp := ex.Execute(context.Background(), exec.Request{Document: doc, OperationName: op, Variables: v, Resolver: fuzzResolver{newTestResolver()}})
			out, err := resp.AppendJSON(nil)
			cached := ex.Execute(context.Background(), exec.Request{Document: doc, OperationName: op, Variables: v, Resolver: fuzzResolver{newTestResolver()}, Plans: plans})
			if out2, _ := cached.AppendJSON(nil); !bytes.Equal(out, out2) {
				t.Fatalf("plan cache changes the result of %q:\n%s\n%s", query, out, out2)
			}
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !json.Valid(out) {
				t.Fatalf("invalid JSON output: %s", out)
			}
			for _, e := range resp.Errors {
				if e.Message == "internal error during execution" {
					t.Fatalf("executor failed internally on %q", query)
				}
			}
			if resp.HasData() {
				if viol := respcheck.ValidateJSON(schema, doc, op, v, resp.Data); len(viol) > 0 {
					t.Fatalf("output violates the schema: %v\nquery: %s\noutput: %s", viol, query, out)
				}
			}
		}
	})
}

func opNames(ops []*ast.OperationDefinition) []string {
	var out []string
	for _, o := range ops {
		if o.Name != "" {
			out = append(out, o.Name)
		}
	}
	return out
}

// FuzzValidateResponse runs the response validator on arbitrary data for
// arbitrary valid documents. Invariants: no panic, every violation has a
// non-nil path, a kind and a message.
func FuzzValidateResponse(f *testing.F) {
	f.Add(`{ user(id: "u1") { id name tags } }`, `{"user":{"id":"u1","name":"x","tags":["a"]}}`)
	f.Add(`{ search(term: "x") { ... on User { id } ... on Post { title } } }`, `{"search":[{"id":"1"},{"title":"t"},{"x":1}]}`)
	f.Add(`{ users { totalCount nodes { role age score active } } }`, `{"users":{"totalCount":1.5,"nodes":[{"role":"GOD","age":"1","score":true,"active":null}]}}`)
	f.Add(`{ named { __typename name } }`, `{"named":[{"__typename":"Nope","name":"n"}],"extra":1}`)
	schema := loadSchema(f)
	f.Fuzz(func(t *testing.T, query, data string) {
		if len(query) > 4096 {
			return
		}
		defer watchdog(query)()
		doc, errs := parseAndValidate(schema, query)
		if errs != nil {
			return
		}
		for _, v := range respcheck.ValidateJSON(schema, doc, "", nil, []byte(data)) {
			if v.Path == nil || v.Kind == "" || v.Message == "" {
				t.Fatalf("malformed violation %+v", v)
			}
		}
	})
}

// watchdog crashes the process (so the fuzzer records the input) when one
// input takes longer than fuzzInputTimeout.
func watchdog(query string) func() {
	timer := time.AfterFunc(fuzzInputTimeout, func() {
		panic(fmt.Sprintf("input took longer than %v: %q", fuzzInputTimeout, query))
	})
	return func() { timer.Stop() }
}
