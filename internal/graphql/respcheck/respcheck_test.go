package respcheck_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/standin/standin/internal/graphql/respcheck"
)

func TestValidate(t *testing.T) {
	src, err := os.ReadFile("../exec/testdata/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Input: string(src)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	cases := []struct {
		name, query, vars, data string
		want                    []string // "path kind"
	}{
		{name: "valid", query: `{ user(id: "1") { id name age score active role tags meta } }`,
			data: `{"user":{"id":"1","name":"n","age":3,"score":1,"active":true,"role":"ADMIN","tags":[],"meta":{"x":[1]}}}`},
		{name: "wrong scalar types", query: `{ user(id: "1") { id name age score active } }`,
			data: `{"user":{"id":1,"name":false,"age":1.5,"score":"x","active":"true"}}`,
			want: []string{"user.id wrong_type", "user.name wrong_type", "user.age wrong_type", "user.score wrong_type", "user.active wrong_type"}},
		{name: "int range", query: `{ user(id: "1") { age } }`, data: `{"user":{"age":2147483648}}`, want: []string{"user.age wrong_type"}},
		{name: "null in non-null", query: `{ user(id: "1") { id tags } }`, data: `{"user":{"id":null,"tags":["a",null]}}`,
			want: []string{"user.id null_in_non_null", "user.tags[1] null_in_non_null"}},
		{name: "enum", query: `{ user(id: "1") { role } }`, data: `{"user":{"role":"GOD"}}`, want: []string{"user.role unknown_enum_value"}},
		{name: "missing and extra", query: `{ user(id: "1") { id n: name } }`, data: `{"user":{"id":"1","name":"x"},"other":1}`,
			want: []string{"user.n missing_field", "user.name extra_field", "other extra_field"}},
		{name: "list shape", query: `{ nonNullList user(id: "1") { tags } }`, data: `{"nonNullList":"x","user":{"tags":{}}}`,
			want: []string{"nonNullList wrong_type", "user.tags wrong_type"}},
		{name: "skip include with variables", query: `query($s: Boolean!) { user(id: "1") { id @skip(if: $s) name @include(if: $s) } }`, vars: `{"s": true}`,
			data: `{"user":{"name":"x"}}`},
		{name: "skip include violation", query: `query($s: Boolean!) { user(id: "1") { id @skip(if: $s) name } }`, vars: `{"s": true}`,
			data: `{"user":{"id":"1","name":"x"}}`, want: []string{"user.id extra_field"}},
		{name: "union with typename", query: `{ search(term: "x") { __typename ... on User { name } ... on Post { title } } }`,
			data: `{"search":[{"__typename":"User","name":"n"},{"__typename":"Post","title":"t"},{"__typename":"Group"},{"__typename":"User","title":"t"}]}`,
			want: []string{"search[3].name missing_field", "search[3].title extra_field"}},
		{name: "union without typename", query: `{ search(term: "x") { ... on User { name } ... on Post { title } } }`,
			data: `{"search":[{"name":"n"},{"title":"t"},{},{"name":1}]}`,
			want: []string{"search[3].name wrong_type"}},
		{name: "bad typename", query: `{ node(id: "1") { __typename id } }`, data: `{"node":{"__typename":"PageInfo","id":"1"}}`,
			want: []string{"node unresolved_type"}},
		{name: "fragments on interface", query: `{ named { ...N } } fragment N on Named { name ... on User { role } }`,
			data: `{"named":[{"name":"a","role":"ADMIN"},{"name":"g"}]}`},
		{name: "null data", query: `{ requiredString }`, data: `null`},
		{name: "data not object", query: `{ requiredString }`, data: `[1]`, want: []string{"data wrong_type"}},
		{name: "invalid json", query: `{ requiredString }`, data: `{`, want: []string{"data bad_request"}},
		{name: "bad variables", query: `query($n: Int!) { echo(int: $n) }`, vars: `{}`, data: `{}`, want: []string{"data bad_request"}},
		{name: "typename wrong", query: `{ user(id: "1") { __typename } }`, data: `{"user":{"__typename":"Post"}}`, want: []string{"user.__typename wrong_type"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
				t.Fatal(errs)
			}
			var vars map[string]any
			if tc.vars != "" {
				vars = mustJSON(t, tc.vars)
			}
			var got []string
			for _, v := range respcheck.ValidateJSON(schema, doc, "", vars, []byte(tc.data)) {
				got = append(got, respcheck.PathString(v.Path)+" "+string(v.Kind))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
