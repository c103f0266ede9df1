package sdl

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/standin/standin/internal/contract/diag"
)

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"lib/schema.graphql": {Data: []byte("type Query {\n  books: [Book!]!\n}\ntype Book { id: ID! title: String }\n")},
		"lib/dup.graphql":    {Data: []byte("type Query {\n  a: Int\n  a: Int\n}\n")},
		"lib/syntax.graphql": {Data: []byte("type Query {\n  a: Int\n")},
	}
	s, _, err := Load(fsys, "lib/schema.graphql", Options{Dir: "specs"})
	if err != nil || s.Types["Book"] == nil || s.Types["String"] == nil {
		t.Fatalf("Load: %v (a schema with the prelude's types expected)", err)
	}
	for file, want := range map[string]string{
		"lib/dup.graphql":    "specs/lib/dup.graphql:3:3: Field Query.a can only be defined once.",
		"lib/syntax.graphql": "specs/lib/syntax.graphql:3:1: Expected Name, found <EOF>",
	} {
		_, _, err := Load(fsys, file, Options{Dir: "specs"})
		var el *diag.ErrorList
		if !errors.As(err, &el) || el.List[0].Code != diag.CodeInvalidSDL {
			t.Fatalf("%s: %v (%T), want a diagnostic", file, err, err)
		}
		if err.Error() != want {
			t.Errorf("%s: %q, want %q", file, err.Error(), want)
		}
	}
}
