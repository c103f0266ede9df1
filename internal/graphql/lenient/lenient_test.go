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

// FuzzRepair runs Repair on arbitrary parsed documents: it never panics,
// and a document that validates as sent is left alone (no notes).
func FuzzRepair(f *testing.F) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	f.Add(`mutation { deleteAccount(input: {accountId: $x}) }`)
	f.Add(`query Q { ...F } fragment F on Query { accounts(first: $n) { nodes { ...F2 } } } fragment F2 on Account { tags(first: $t) }`)
	f.Add(`query ($id: ID!) { account(id: $id) { name } }`)
	f.Fuzz(func(t *testing.T, q string) {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			return
		}
		valid := len(validator.ValidateWithRules(schema, doc, nil)) == 0
		doc, _ = parser.ParseQuery(&ast.Source{Input: q})
		notes := Repair(schema, doc)
		if valid && len(notes) > 0 {
			t.Fatalf("repaired a document that validates as sent: %q", notes)
		}
		_ = validator.ValidateWithRules(schema, doc, nil)
	})
}

func TestRepairSource(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	tests := []struct {
		name, query string
		notes       []string // nil: no repair possible
	}{
		{"page's account query without its opening brace",
			"query { \naccount(id: $id)\nname\nid\n}\n}",
			[]string{`a missing "{" was inserted after "account(id: $id)" on line 2`, "variable $id was used without being declared; it was declared as ID!"}},
		{"a field without arguments",
			"{ accounts\nnodes { id } } }",
			[]string{`a missing "{" was inserted after "accounts" on line 1`}},
		{"undeclared variable only",
			`{ account(id: $id) { name } }`,
			[]string{"variable $id was used without being declared; it was declared as ID!"}},
		{"valid document: nothing to repair", `{ account(id: "1") { name } }`, nil},
		{"two braces missing", "{ accounts\nnodes\nid } } } }", nil},
		{"a brace too many is not guessed", "{ account(id: \"1\") { name } } {", nil},
		{"no candidate validates", "{ account(id: \"1\")\nnoSuchField\n}\n}", nil},
		{"other syntax errors", `{ account(id: ) { name } }`, nil},
		{"unknown field is not repaired", `{ account(id: $id) { nope } }`, nil},
	}
	for _, tt := range tests {
		doc, notes := RepairSource(schema, tt.query)
		if strings.Join(notes, "\n") != strings.Join(tt.notes, "\n") {
			t.Errorf("%s: notes = %q, want %q", tt.name, notes, tt.notes)
			continue
		}
		if (doc == nil) != (tt.notes == nil) {
			t.Errorf("%s: document %v with notes %q", tt.name, doc, notes)
			continue
		}
		if doc != nil {
			if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
				t.Errorf("%s: repaired document invalid: %v", tt.name, errs)
			}
		}
	}
}

// FuzzRepairSource runs RepairSource on arbitrary text: notes come only with
// a document, a document only with notes, and that document validates.
func FuzzRepairSource(f *testing.F) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: sdl})
	f.Add("query { \naccount(id: $id)\nname\nid\n}\n}")
	f.Add(`{ accounts nodes { id "x" } } }`)
	f.Add("{ account(id: \"é\") # c {\nname } }")
	f.Fuzz(func(t *testing.T, q string) {
		doc, notes := RepairSource(schema, q)
		if doc == nil {
			if notes != nil {
				t.Fatalf("notes without a document: %q", notes)
			}
			return
		}
		if len(notes) == 0 {
			t.Fatal("a document without notes")
		}
		if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
			t.Fatalf("RepairSource returned an invalid document: %v", errs)
		}
	})
}
