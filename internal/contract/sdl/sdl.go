// Package sdl is the contract layer's GraphQL side: it loads a GraphQL
// SDL with gqlparser (the built-in scalars and introspection types of the
// prelude added) from a file read as package source reads it, and turns
// gqlparser's errors into diagnostics at the SDL's line and column.
package sdl

import (
	"errors"
	"io/fs"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/source"
)

// Options say how the SDL file is read and named in diagnostics.
type Options = source.Options

// Load reads the SDL file of fsys and loads it. An SDL gqlparser refuses
// is a *diag.ErrorList at the place of the error. The list returned holds
// the warnings about the schema (none yet).
func Load(fsys fs.FS, file string, opts Options) (*ast.Schema, diag.List, error) {
	name := opts.Display(file)
	data, err := source.ReadFS(fsys, file, name, opts.MaxBytes)
	if err != nil {
		return nil, nil, err
	}
	s, err := Parse(name, string(data))
	return s, nil, err
}

// LoadFile is Load of a file of the operating system.
func LoadFile(file string, opts Options) (*ast.Schema, diag.List, error) {
	fsys, base, opts := opts.Split(file)
	return Load(fsys, base, opts)
}

// Parse loads an SDL held in memory; name names it in diagnostics.
func Parse(name, text string) (*ast.Schema, error) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: text})
	if err != nil {
		return nil, Diagnostics(name, err).Err()
	}
	return s, nil
}

// Diagnostics are the errors of gqlparser (a *gqlerror.Error or a
// gqlerror.List) about the SDL named name, at their line and column.
func Diagnostics(name string, err error) diag.List {
	var list gqlerror.List
	var one *gqlerror.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = gqlerror.List{one}
	default:
		return diag.List{{Code: diag.CodeInvalidSDL, Severity: diag.Error, File: name, Message: err.Error()}}
	}
	out := make(diag.List, 0, len(list))
	for _, e := range list {
		d := diag.Diagnostic{Code: diag.CodeInvalidSDL, Severity: diag.Error, File: name, Message: e.Message}
		if f, ok := e.Extensions["file"].(string); ok && f != "" {
			d.File = f
		}
		if len(e.Locations) > 0 {
			d.Line, d.Col = e.Locations[0].Line, e.Locations[0].Column
		}
		out = append(out, d)
	}
	return out
}
