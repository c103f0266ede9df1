package sdlfix

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestDropRepeatedFields(t *testing.T) {
	src := `type Query {
  a: Int

  """
  the first b
  """
  b: String!

  "a short one"
  c(x: Int = 1): Int

  """
  b again
  """
  b: String!

  "c again"
  c(
    x: Int = 1
  ): Int
}

type Other { b: Int }
`
	if _, err := gqlparser.LoadSchema(&ast.Source{Input: src}); err == nil {
		t.Fatal("the document with repeated fields loads: the test proves nothing")
	}
	out, dropped, err := DropRepeatedFields(src)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(dropped, "; ") != "Query.b at line 15; Query.c at line 18" {
		t.Errorf("dropped %v", dropped)
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Input: out})
	if gerr != nil {
		t.Fatalf("still refused: %v\n%s", gerr, out)
	}
	q := s.Types["Query"]
	if q.Fields.ForName("a") == nil || q.Fields.ForName("c") == nil || q.Fields.ForName("b").Description != "the first b" || strings.Contains(out, "again") {
		t.Errorf("kept the wrong definitions:\n%s", out)
	}
	if same, d, _ := DropRepeatedFields(out); same != out || d != nil {
		t.Errorf("a clean document changed: %v", d)
	}
	if _, _, err := DropRepeatedFields("type {"); err == nil {
		t.Error("a document that does not parse: no error")
	}
}

// FuzzDropRepeatedFields: never a panic; a repaired text parses and
// defines no field twice.
func FuzzDropRepeatedFields(f *testing.F) {
	f.Add("type Query {\n  a: Int\n  a: Int\n}")
	f.Add("type Query { a: Int a: Int }")
	f.Add("type Q {\n  \"x\"\n  a: Int\n  \"\"\"\n  y\n  \"\"\"\n  a(b: Int = 1): Int\n}\nextend type Q { c: Int c: Int }")
	f.Add(`interface I { a: Int
  a: String }`)
	f.Fuzz(func(t *testing.T, src string) {
		out, dropped, err := DropRepeatedFields(src)
		if err != nil {
			return
		}
		if len(dropped) == 0 && out != src {
			t.Fatalf("nothing dropped, yet the text changed")
		}
		if again, d, err := DropRepeatedFields(out); err != nil || len(d) > 0 || again != out {
			t.Fatalf("the repaired text (dropped %v) does not parse or still repeats a field: %v %v\n%s", dropped, err, d, out)
		}
	})
}

// TestLineEnds: GraphQL ends a line at \r\n and at a lone \r too; the
// parser's line numbers count them, and the lines kept keep their own ends
// (a lone \r before a description was an index past the last line: a
// panic, found by FuzzDropRepeatedFields).
func TestLineEnds(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"type Q {\r\n  a: Int\r\n  a: Int\r\n}\r\n", "type Q {\r\n  a: Int\r\n}\r\n"},
		{"type Q {\r  \"x\"\r  a: Int\r  \"y\"\r  a: Int\r}", "type Q {\r  \"x\"\r  a: Int\r}"},
		{"type Q {\n  \r\r\"x\"\n  a: Int\n  \"y\"\n  a: Int\n}", "type Q {\n  \r\r\"x\"\n  a: Int\n}"},
	} {
		got, dropped, err := DropRepeatedFields(tc.src)
		if err != nil || len(dropped) != 1 || got != tc.want {
			t.Errorf("%q: %q %v %v, want %q", tc.src, got, dropped, err, tc.want)
		}
	}
}
