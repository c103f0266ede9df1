package lenient

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

const sdl = `
type Query { accounts(first: Int, filter: Filter): Conn!, account(id: ID!): Account }
type Mutation { deleteAccount(input: DeleteInput!): Payload }
input Filter { name: String }
input DeleteInput { accountId: ID! }
type Payload { success: Boolean!, account: Account }
type Conn { nodes: [Account!]! }
type Account { id: ID!, name: String!, tags(first: Int!): [String!] }
`

func TestRepair(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	tests := []struct {
		name, query string
		notes       []string
	}{
		{"page's deleteAccount without selection set",
			`mutation { deleteAccount(input: {accountId: "0438bc88"}) }`,
			[]string{"field deleteAccount had no selection set; its leaf fields were selected: [success]"}},
		{"page's accounts with undeclared variables",
			`query { accounts(first: $first, filter: {name: $name}) { nodes { id } } }`,
			[]string{"variable $first was used without being declared; it was declared as Int", "variable $name was used without being declared; it was declared as String"}},
		{"undeclared variable keeps the argument's type",
			`query { account(id: $id) { name } }`,
			[]string{"variable $id was used without being declared; it was declared as ID!"}},
		{"valid document untouched", `query { account(id: "1") { name } }`, nil},
	}
	for _, tt := range tests {
		doc, err := parser.ParseQuery(&ast.Source{Input: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		notes := Repair(schema, doc)
		if strings.Join(notes, "\n") != strings.Join(tt.notes, "\n") {
			t.Errorf("%s: notes = %q, want %q", tt.name, notes, tt.notes)
		}
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
			t.Errorf("%s: repaired document still invalid: %v", tt.name, errs)
		}
	}
}

func FuzzRepair(f *testing.F) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	f.Add(`mutation { deleteAccount(input: {accountId: $x}) }`)
	f.Add(`query Q { ...F } fragment F on Query { accounts(first: $n) { nodes { ...F2 } } } fragment F2 on Account { tags(first: $t) }`)
	f.Fuzz(func(t *testing.T, q string) {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			return
		}
		_ = Repair(schema, doc)
		_ = validator.ValidateWithRules(schema, doc, nil)
	})
}
