package specinfer

import (
	"io/fs"
	"strings"

	"github.com/standin/standin/internal/contract/sdl"
)

// GraphQL infers the manifest of a GraphQL SDL given alone, served in
// graph mode (package gqlbind): every object type that holds records
// (package sdlmodel says which) is a collection, its object fields are
// links between records, resolved at query time, and root fields and
// mutations are served by the rules sdlmodel documents. Nothing is
// refused but a document that does not parse or validate: what cannot be
// served from records is a warning, grouped by reason, and answers
// generated values.
//
// Records are generated from the fields' names and types (date-times as
// dates, e-mails, URLs, enums from their values, links to generated
// records of the target type). The SDL declares no auth: the API is open.
// It is served at /<name>/graphql (bare /graphql is the bundled admin
// API's).
func GraphQL(name string, fsys fs.FS, file string, opts Options) (*Inferred, error) {
	schema, _, err := sdl.Load(fsys, file, opts.Files)
	if err != nil {
		return nil, err
	}
	return graphAPI(name, file, schema, opts)
}

func baseName(file string) string {
	if i := strings.LastIndexAny(file, `/\`); i >= 0 {
		return file[i+1:]
	}
	return file
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsAny(s[len(s)-2:len(s)-1], "aeiou"):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}
