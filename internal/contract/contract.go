// Package contract is the one layer that reads the contracts the project
// serves and checks: OpenAPI 3.0 and 3.1 documents, Swagger 2.0 documents
// (converted) and GraphQL SDLs. Its sub-packages:
//
//   - source reads a contract file as every user file is read (a regular
//     file of at most 64 MiB) and tells the kinds apart (Detect), reading
//     the whole document;
//   - openapi loads OpenAPI documents with kin-openapi (origins kept,
//     $refs confined to the spec's folder, every problem a diagnostic,
//     bad examples warnings), flattens kin-openapi's validation errors by
//     type, and reads media types and key fields by the conventions;
//   - sdl loads GraphQL SDLs with gqlparser;
//   - diag is what is said about a file (Diagnostic, Violation);
//   - jsonptr writes and reads RFC 6901 pointers;
//   - conventions holds the names contracts are read by.
//
// Load here detects the kind of a file and loads it with the right one.
// No other package calls kin-openapi's loader or gqlparser's schema
// loading (internal/archtest holds the rule).
package contract

import (
	"io/fs"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/contract/sdl"
	"github.com/standin/standin/internal/contract/source"
)

// Options say how a contract's files are read and named in diagnostics.
type Options = source.Options

// Document is a loaded contract: an OpenAPI document (Swagger 2.0
// converted) or a GraphQL SDL.
type Document struct {
	// Kind is the kind of the file as read (KindSwagger for a converted
	// one).
	Kind source.Kind
	// OpenAPI is set for OpenAPI and Swagger documents.
	OpenAPI *openapi3.T
	// SDL is set for GraphQL SDLs.
	SDL *ast.Schema
	// Warnings are the diagnostics of what is served but not as written.
	Warnings diag.List
}

// Load reads the contract file of fsys, detects its kind and loads it.
// Errors are *diag.ErrorList.
func Load(fsys fs.FS, file string, opts Options) (*Document, error) {
	data, err := source.ReadFS(fsys, file, opts.Display(file), opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	d := &Document{Kind: source.Detect(file, data)}
	switch d.Kind {
	case source.KindOpenAPI, source.KindSwagger:
		d.OpenAPI, d.Warnings, err = openapi.Load(fsys, file, opts)
	case source.KindGraphQL:
		d.SDL, d.Warnings, err = sdl.Load(fsys, file, opts)
	default:
		return nil, diag.Errorf(diag.CodeNotContract, opts.Display(file),
			`neither an OpenAPI document (no "openapi: 3.x" or "swagger: \"2.0\"" key) nor a GraphQL SDL`)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// LoadFile is Load of a file of the operating system.
func LoadFile(file string, opts Options) (*Document, error) {
	fsys, base, opts := opts.Split(file)
	return Load(fsys, base, opts)
}
