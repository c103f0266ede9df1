package kit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestSeenFiller: required arguments are filled from configured ids
// first, then from values the target answered: user(id:) from User.id,
// node(id:) through the interface's types, authorId from Author.id, an
// enum from its first value; a value of the wrong type is never used.
func TestSeenFiller(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		interface Node { id: ID! }
		enum Kind { A B }
		type Author implements Node { id: ID! name: String! age: Int }
		type Post implements Node { id: ID! title: String! }
		type Query {
			authors: [Author!]!
			posts: [Post!]!
			author(id: ID!): Author
			node(id: ID!): Node
			postsBy(authorId: ID!): [Post!]!
			postsOf(kind: Kind!): [Post!]!
			byAge(age: Int!): [Author!]!
			byTitle(title: String!): [Post!]!
			byCode(code: String!): [Post!]!
		}`})
	doc, err := ParseQuery(schema, "{ authors { id name age } posts { id title } }")
	if err != nil {
		t.Fatal(err)
	}
	var data any
	dec := json.NewDecoder(strings.NewReader(`{"authors":[{"id":"a1","name":"Ann","age":41}],"posts":[{"id":7,"title":"T"}]}`))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil {
		t.Fatal(err)
	}
	s := newSeen()
	s.Harvest(schema, doc, data)
	fill := s.Filler(schema, map[string]string{"title": "configured"})
	for _, c := range []struct {
		field string
		want  string // JSON of the value, "" for none
	}{
		{"author", `"a1"`},
		{"node", `"a1"`},
		{"postsBy", `"a1"`},
		{"postsOf", `"A"`},
		{"byAge", `41`},
		{"byTitle", `"configured"`},
		{"byCode", ``},
	} {
		f := schema.Query.Fields.ForName(c.field)
		v, ok := fill(f, f.Arguments[0])
		got := ""
		if ok {
			got = Canonical(v)
			if e, isEnum := v.(enumValue); isEnum {
				got = Canonical(string(e))
			}
		}
		if got != c.want {
			t.Errorf("%s(%s:) filled with %s, want %s", c.field, f.Arguments[0].Name, got, c.want)
		}
	}
}
