package exec_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/graphql/exec"
	"github.com/standin/standin/internal/graphql/introspect"
	"github.com/standin/standin/internal/graphql/respcheck"
)

var update = flag.Bool("update", false, "rewrite golden files")

type execCase struct {
	name      string
	query     string
	vars      string // JSON
	operation string
	limits    *exec.Limits
	// log is the expected mutation log, when set.
	log []string
}

var execCases = []execCase{
	{name: "fragments_named", query: `{ user(id: "u1") { ...UserFields } }
fragment UserFields on User { id name ...Contact }
fragment Contact on User { email role }`},
	{name: "fragments_inline_interface", query: `{ node(id: "p1") { id ... on Post { title author { name } } ... on User { email } } }`},
	{name: "fragments_union", query: `{ search(term: "x") { __typename ... on User { name } ... on Post { title body(format: HTML) } ... on Group { members { id } } ... on Node { id } } }`},
	{name: "fragments_nested_on_interface", query: `{ named { ...N } }
fragment N on Named { __typename name ... on Node { ...I } }
fragment I on Node { id ... on User { role tags } ... on Group { members { name } } }`},
	{name: "aliases", query: `{ a: user(id: "u1") { n: name } b: user(id: "u2") { n: name id } c: requiredString }`},
	{name: "field_merging", query: `{ user(id: "u3") { id } user(id: "u3") { name friends(first: 1) { totalCount } } ... on Query { user(id: "u3") { friends(first: 1) { edges { cursor } } } } }`},
	{name: "skip_include_variables", query: `query ($s: Boolean!, $i: Boolean = true, $no: Boolean = false) {
  user(id: "u1") { name @skip(if: $s) email @include(if: $i) id ... @include(if: $no) { role } ...F @skip(if: $no) age @skip(if: true) @include(if: true) }
}
fragment F on User { active }`, vars: `{"s": true}`},
	{name: "typename", query: `{ __typename user(id: "u1") { __typename t: __typename } }`},
	{name: "variables_defaults", query: `query ($first: Int = 3, $sort: Sort = DESC) { users(first: $first, sort: $sort) { nodes { id } pageInfo { hasNextPage endCursor } } }`},
	{name: "variables_coercion", query: `query ($i: Int, $f: Float, $s: String, $b: Boolean, $id: ID, $r: Role, $l: [Int!], $m: [[Int]], $filter: UserFilter) {
  echo(int: $i, float: $f, str: $s, bool: $b, id: $id, role: $r, list: $l, matrix: $m, filter: $filter)
}`, vars: `{"i": 3, "f": 2, "s": "x", "b": true, "id": 7, "r": "ADMIN", "l": 5, "m": [[1, null], [2]], "filter": {"role": "ADMIN", "tags": "a", "nested": {"minAge": 3}}}`},
	{name: "variables_null_values", query: `query ($s: String, $l: [Int!]) { echo(str: $s, list: $l) }`, vars: `{"s": null}`},
	{name: "variables_error_type", query: `query ($i: Int) { echo(int: $i) }`, vars: `{"i": 1.5}`},
	{name: "variables_error_missing_non_null", query: `query ($id: ID!) { user(id: $id) { id } }`, vars: `{}`},
	{name: "variables_error_null_non_null", query: `query ($id: ID!) { user(id: $id) { id } }`, vars: `{"id": null}`},
	{name: "variables_error_int_range", query: `query ($i: Int) { echo(int: $i) }`, vars: `{"i": 3000000000}`},
	{name: "variables_error_enum", query: `query ($r: Role) { echo(role: $r) }`, vars: `{"r": "GOD"}`},
	{name: "variables_error_input_object", query: `query ($f: UserFilter, $g: UserFilter) { a: echo(filter: $f) b: echo(filter: $g) }`, vars: `{"f": {"bogus": 1}, "g": {"nested": {"minAge": "x"}}}`},
	{name: "variables_error_list_item", query: `query ($l: [Int!]) { echo(list: $l) }`, vars: `{"l": [1, null]}`},
	{name: "variables_in_literals", query: `query ($n: String, $r: Role, $i: Int) { echo(filter: {nameContains: $n, role: $r, nested: {nameContains: $n}}, matrix: [[$i, 1]]) }`, vars: `{"n": "x"}`},
	{name: "argument_defaults", query: `{ user(id: "u1") { friends { totalCount edges { cursor } } } post(by: {title: "Post 2"}) { id body } }`},
	{name: "enum_literal_argument", query: `{ users(sort: DESC, first: 2, filter: {role: EDITOR}) { nodes { id role } totalCount } }`},
	{name: "custom_scalars", query: `{ user(id: "u1") { createdAt meta } echo(value: {a: [1, "x", true, null], b: 1.5}) }`},
	{name: "id_from_number", query: `{ user(id: "num") { id name } echo(id: 12) }`},
	{name: "error_custom_code", query: `{ fail(code: "FORBIDDEN", message: "nope") requiredString }`},
	{name: "error_default_code", query: `{ fail requiredString }`},
	{name: "error_non_null_root", query: `{ requiredString failNonNull }`},
	{name: "null_propagation_object", query: `{ user(id: "broken") { id name } requiredString }`},
	{name: "null_propagation_through_list_to_root", query: `{ requiredString search(term: "broken") { ... on User { id name } } }`},
	{name: "null_propagation_to_nullable_list_item", query: `{ user(id: "u2") { posts { id } } nullableList nonNullList }`},
	{name: "bad_leaf_values", query: `{ badInt badEnum requiredString }`},
	{name: "panic_in_resolver", query: `{ panic requiredString }`},
	{name: "mutation_serial", query: `mutation { a: increment(by: 2) b: increment c: createUser(input: {name: "Zed"}) { id name role tags } d: failing e: increment(by: 10) }`,
		log: []string{"increment:2", "increment:3", "createUser:Zed", "failing", "increment:13"}},
	{name: "mutation_non_null_stops", query: `mutation { a: increment failingNonNull b: increment }`, log: []string{"increment:1", "failingNonNull"}},
	{name: "operation_by_name", query: `query A { requiredString } query B { nonNullList }`, operation: "B"},
	{name: "operation_name_required", query: `query A { requiredString } query B { nonNullList }`},
	{name: "operation_name_unknown", query: `query A { requiredString }`, operation: "C"},
	{name: "introspection_type", query: `{
  user: __type(name: "User") { name kind description interfaces { name } fields(includeDeprecated: true) { name isDeprecated deprecationReason args { name defaultValue type { kind name } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
  role: __type(name: "Role") { kind enumValues { name description } all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } }
  node: __type(name: "Node") { kind possibleTypes { name } fields { name } }
  search: __type(name: "SearchResult") { kind possibleTypes { name } fields { name } }
  filter: __type(name: "UserFilter") { kind isOneOf inputFields { name defaultValue type { kind name } } }
  selector: __type(name: "PostSelector") { isOneOf }
  dt: __type(name: "DateTime") { kind specifiedByURL }
  missing: __type(name: "Nope") { name }
  __schema { queryType { name } mutationType { name } subscriptionType { name } directives { name isRepeatable locations args { name defaultValue } } }
}`},
	{name: "introspection_full", query: introspect.FullQuery},
	{name: "limit_depth", query: `{ user(id: "u1") { bestFriend { bestFriend { bestFriend { id } } } } }`, limits: &exec.Limits{MaxDepth: 3}},
	{name: "limit_cost", query: `{ users(first: 100) { edges { node { friends(first: 100) { nodes { id } } } } } }`, limits: ptr(exec.DefaultLimits())},
	{name: "limit_cost_variable_page_size", query: `query ($n: Int) { users(first: $n) { nodes { posts { id } } } }`, vars: `{"n": 5000}`, limits: ptr(exec.DefaultLimits())},
	{name: "limit_aliases", query: `{ ...A ...A2 }
fragment A on Query { a1: requiredString a2: requiredString a3: requiredString }
fragment A2 on Query { user(id: "u1") { ...B } u2: user(id: "u2") { ...B } }
fragment B on User { b1: id b2: id }`, limits: &exec.Limits{MaxAliases: 6}},
}

func ptr[T any](v T) *T { return &v }

func decodeVars(t testing.TB, s string) map[string]any {
	if s == "" {
		return nil
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad variables %s: %v", s, err)
	}
	return v
}

func TestExecuteGolden(t *testing.T) {
	schema := loadSchema(t)
	for _, tc := range execCases {
		t.Run(tc.name, func(t *testing.T) {
			doc, errs := parseAndValidate(schema, tc.query)
			if errs != nil {
				t.Fatalf("invalid test query: %v", errs)
			}
			lim := exec.DefaultLimits()
			if tc.limits != nil {
				lim = *tc.limits
			}
			res := newTestResolver()
			ex := exec.New(schema, exec.Options{Limits: lim})
			vars := decodeVars(t, tc.vars)
			resp := ex.Execute(context.Background(), exec.Request{Document: doc, OperationName: tc.operation, Variables: vars, Resolver: res})
			got, err := resp.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(got) {
				t.Fatalf("invalid JSON: %s", got)
			}
			if resp.HasData() {
				if v := respcheck.ValidateJSON(schema, doc, tc.operation, vars, resp.Data); len(v) > 0 {
					t.Errorf("executor output violates the schema: %v", v)
				}
			}
			for _, e := range resp.Errors {
				if strings.Contains(e.Message, "secret") {
					t.Errorf("panic value leaked: %s", e.Message)
				}
				if _, ok := e.Extensions["code"].(string); !ok {
					t.Errorf("error without extensions.code: %v", e)
				}
			}
			// A shared plan cache must not change the result, on first use
			// or on reuse.
			plans := exec.NewPlanCache(doc)
			for i := 0; i < 2; i++ {
				again := ex.Execute(context.Background(), exec.Request{Document: doc, OperationName: tc.operation, Variables: vars, Resolver: newTestResolver(), Plans: plans})
				if out, _ := again.AppendJSON(nil); !bytes.Equal(out, got) {
					t.Errorf("with plan cache (run %d):\n%s\nwithout:\n%s", i, out, got)
				}
			}
			if tc.log != nil && !reflect.DeepEqual(res.log, tc.log) {
				t.Errorf("mutation log = %q, want %q", res.log, tc.log)
			}
			compareGolden(t, filepath.Join("testdata", "golden", tc.name+".json"), got)
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("response differs from %s\n got: %s\nwant: %s", path, pretty.String(), want)
	}
}

func execute(t testing.TB, schema *ast.Schema, query, vars string, r exec.Resolver, ctx context.Context) *exec.Response {
	t.Helper()
	doc, errs := parseAndValidate(schema, query)
	if errs != nil {
		t.Fatalf("invalid test query: %v", errs)
	}
	return exec.New(schema, exec.Options{Limits: exec.DefaultLimits()}).Execute(ctx, exec.Request{Document: doc, Variables: decodeVars(t, vars), Resolver: r})
}

func TestKeyOrderFollowsSelection(t *testing.T) {
	schema := loadSchema(t)
	resp := execute(t, schema, `{ z: requiredString user(id: "u1") { name id a: email } a: requiredString }`, "", newTestResolver(), context.Background())
	want := `{"data":{"z":"ok","user":{"name":"User 1","id":"u1","a":"u1@example.com"},"a":"ok"}}`
	got, _ := json.Marshal(resp)
	if string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestErrorsCarryPathAndLocation(t *testing.T) {
	schema := loadSchema(t)
	resp := execute(t, schema, "{\n  user(id: \"broken\") {\n    id\n    name\n  }\n}", "", newTestResolver(), context.Background())
	if len(resp.Errors) != 1 {
		t.Fatalf("want 1 error, got %v", resp.Errors)
	}
	e := resp.Errors[0]
	if e.Path.String() != "user.name" {
		t.Errorf("path = %q", e.Path.String())
	}
	if len(e.Locations) != 1 || e.Locations[0].Line != 4 || e.Locations[0].Column != 5 {
		t.Errorf("locations = %v", e.Locations)
	}
	if string(resp.Data) != `{"user":null}` {
		t.Errorf("data = %s", resp.Data)
	}
}

func TestLookAheadAndFieldContext(t *testing.T) {
	schema := loadSchema(t)
	var sawTotal bool
	var path string
	r := exec.ResolverFunc(func(ctx context.Context, f exec.FieldContext) (any, error) {
		if f.Name == "users" {
			for _, sel := range f.Selection.SelectionSet {
				if fld, ok := sel.(*ast.Field); ok && fld.Name == "totalCount" {
					sawTotal = true
				}
			}
			path = ast.Path(append([]ast.PathElement(nil), f.Path...)).String()
			if f.Alias != "list" || f.Args["first"] != 2 || f.Args["sort"] != "ASC" {
				t.Errorf("field context: alias %q args %v", f.Alias, f.Args)
			}
			return map[string]any{"totalCount": 7, "nodes": []any{}, "edges": []any(nil)}, nil
		}
		return exec.Default, nil
	})
	resp := execute(t, schema, `{ list: users(first: 2) { totalCount nodes { id } edges { cursor } } }`, "", r, context.Background())
	if !sawTotal || path != "list" {
		t.Errorf("sawTotal=%v path=%q", sawTotal, path)
	}
	if string(resp.Data) != `{"list":{"totalCount":7,"nodes":[],"edges":[]}}` {
		t.Errorf("data = %s errors = %v", resp.Data, resp.Errors)
	}
}

func TestContextCancellation(t *testing.T) {
	schema := loadSchema(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	resp := execute(t, schema, `{ slow a: requiredString users { nodes { id } } }`, "", newTestResolver(), ctx)
	if time.Since(start) > 2*time.Second {
		t.Fatal("execution did not stop")
	}
	var codes []string
	for _, e := range resp.Errors {
		codes = append(codes, e.Extensions["code"].(string))
	}
	// The slow resolver's own error (if it started before the deadline)
	// and one TIMEOUT error for the field that found the context done.
	if len(codes) == 0 || len(codes) > 2 || codes[len(codes)-1] != exec.CodeTimeout {
		t.Errorf("codes = %v, errors = %v", codes, resp.Errors)
	}
	if string(resp.Data) != "null" { // users is non-null
		t.Errorf("data = %s", resp.Data)
	}
}

func TestAbstractTypeResolution(t *testing.T) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Input: `
interface Only { id: ID! }
type One implements Only { id: ID! }
union U = A | B
type A { a: Int }
type B { b: Int }
type Query { only: Only u: U typed: U wrong: U }`})
	if err != nil {
		t.Fatal(err)
	}
	r := exec.ResolverFunc(func(ctx context.Context, f exec.FieldContext) (any, error) {
		switch f.Name {
		case "only":
			return map[string]any{"id": "1"}, nil // single possible type
		case "u":
			return map[string]any{"a": 1}, nil // ambiguous
		case "typed":
			return map[string]any{"__typename": "B", "b": 2}, nil
		case "wrong":
			return map[string]any{"__typename": "One"}, nil
		}
		return exec.Default, nil
	})
	resp := execute(t, schema, `{ only { __typename id } u { ... on A { a } } typed { __typename ... on B { b } } wrong { __typename } }`, "", r, context.Background())
	got, _ := json.Marshal(resp)
	want := `{"errors":[{"message":"Abstract type \"U\" must resolve to an Object type at runtime for field Query.u: the value has no \"__typename\".","path":["u"],"locations":[{"line":1,"column":26}],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},{"message":"Runtime Object type \"One\" is not a possible type for \"U\".","path":["wrong"],"locations":[{"line":1,"column":83}],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"only":{"__typename":"One","id":"1"},"u":null,"typed":{"__typename":"B","b":2},"wrong":null}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestResolverValueShapes(t *testing.T) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Input: `
type Item { n: Int }
type Query { ints: [Int] strs: [String!] items: [Item] i64: Int f32: Float arr: [Int] nilList: [Int]! str: String enum: E }
enum E { X }`})
	if err != nil {
		t.Fatal(err)
	}
	type named string
	r := exec.ResolverFunc(func(ctx context.Context, f exec.FieldContext) (any, error) {
		switch f.Name {
		case "ints":
			return []int{1, 2}, nil
		case "strs":
			return []string{"a", "b\n\"c\""}, nil
		case "items":
			return []map[string]any{{"n": 1}, nil, {"n": int64(3)}}, nil
		case "i64":
			return int64(7), nil
		case "f32":
			return float32(0.5), nil
		case "arr":
			return [2]uint8{4, 5}, nil
		case "nilList":
			return []any(nil), nil
		case "str":
			return "\xff<ok>\u2028", nil
		case "enum":
			return named("X"), nil
		}
		return exec.Default, nil
	})
	resp := execute(t, schema, `{ ints strs items { n } i64 f32 arr nilList str enum }`, "", r, context.Background())
	got, _ := resp.AppendJSON(nil)
	want := `{"data":{"ints":[1,2],"strs":["a","b\n\"c\""],"items":[{"n":1},null,{"n":3}],"i64":7,"f32":0.5,"arr":[4,5],"nilList":[],"str":"\ufffd\u003cok\u003e\u2028","enum":"X"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
