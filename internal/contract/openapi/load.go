// Package openapi is the contract layer's OpenAPI side: it loads OpenAPI
// 3.0 and 3.1 documents with kin-openapi (Swagger 2.0 converted with
// openapi2conv), keeps every problem as a diagnostic with its file, line,
// column and JSON pointer, flattens kin-openapi's validation errors into
// violations by their types, and holds the conventions the project reads
// contracts by (JSON media types, paging parameters, key fields).
//
// Loading is lenient where the document stays servable and exact about
// where: an invalid example, an example without a value, a request body
// schema that admits no value, a document converted from Swagger 2.0 are
// warnings; a syntax error, a dangling
// $ref, a $ref that leaves the spec's folder and a document that breaks
// the specification otherwise are errors. Every file is read as
// package source reads it (a regular file, at most 64 MiB).
//
// The loader's settings (see Load):
//
//   - IncludeOrigin: every element keeps its file, line and column, which
//     diagnostics report;
//   - $refs to other files are followed inside the spec's own folder only:
//     a sibling file or one below it; "../", absolute paths, file: and
//     http(s): URLs are refused (no file outside the folder is read, no
//     request is made);
//   - validation with EnableMultiError (every problem, not the first) and
//     DisableExamplesValidation: examples are checked apart, each one, and
//     a bad one is a warning (real documents carry hundreds).
package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/source"
)

// Options say how the document's files are read and named in
// diagnostics.
type Options = source.Options

// Load reads the OpenAPI document file of fsys (a Swagger 2.0 document is
// converted to OpenAPI 3.0), follows its $refs inside file's folder and
// validates it. It returns the document and the warnings about it; when
// the document cannot be served it returns a *diag.ErrorList (every
// error, and the warnings) and no document.
func Load(fsys fs.FS, file string, opts Options) (*openapi3.T, diag.List, error) {
	l := &loading{fsys: fsys, file: file, opts: opts, root: path.Dir(file)}
	doc, err := l.load()
	if err != nil {
		return nil, nil, err
	}
	l.validate(doc)
	l.examples(doc)
	l.unsatisfiable(doc)
	l.placeJSON()
	l.diags.Sort()
	if l.diags.HasErrors() {
		return nil, nil, l.diags.Err()
	}
	return doc, l.diags, nil
}

// LoadFile is Load of a file of the operating system: its folder is the
// spec's folder, and diagnostics name files as path does.
func LoadFile(file string, opts Options) (*openapi3.T, diag.List, error) {
	fsys, base, opts := opts.Split(file)
	return Load(fsys, base, opts)
}

// loading is one Load.
type loading struct {
	fsys  fs.FS
	file  string
	opts  Options
	root  string // the spec's folder in fsys: $refs stay inside it
	diags diag.List
	// swagger is set when the document was converted from Swagger 2.0.
	swagger bool
	// data is the document's text, for placing diagnostics of a JSON one.
	data []byte
}

func (l *loading) add(d diag.Diagnostic) {
	if d.File != "" {
		d.File = l.opts.Display(d.File)
	}
	l.diags = append(l.diags, d)
}

// load reads, parses and resolves the document.
func (l *loading) load() (*openapi3.T, error) {
	data, err := source.ReadFS(l.fsys, l.file, l.opts.Display(l.file), l.opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	l.data = data
	loader := l.loader()
	var doc *openapi3.T
	switch source.Detect(l.file, data) {
	case source.KindOpenAPI:
		split := false
		if splittable(data) {
			doc, split, err = loadSplit(loader, data, &url.URL{Path: l.file})
			if !split {
				loader = l.loader() // a fresh one: the failed try left its state
			}
		}
		if !split {
			doc, err = loader.LoadFromDataWithPath(data, &url.URL{Path: l.file})
		}
	case source.KindSwagger:
		l.swagger = true
		doc, err = l.convert(loader, data)
	default:
		if d, bad := syntaxError(l.file, data); bad {
			l.add(d)
			return nil, l.diags.Err()
		}
		l.add(diag.Diagnostic{Code: diag.CodeNotContract, Severity: diag.Error, File: l.file,
			Message: `not an OpenAPI document: no "openapi: 3.x" key (nor "swagger: \"2.0\"")`,
			Fix:     "give an OpenAPI 3.0 or 3.1 document (Swagger 2.0 is converted)"})
		return nil, l.diags.Err()
	}
	if err != nil {
		l.diagnose(data, err)
		return nil, l.diags.Err()
	}
	return doc, nil
}

// loader is kin-openapi's loader with the project's settings.
func (l *loading) loader() *openapi3.Loader {
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true
	loader.Context = context.Background()
	// ReadFromURIFunc owns the access policy (kin-openapi then ignores
	// IsExternalRefsAllowed): files of the spec's folder only.
	loader.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		name, err := l.confine(u)
		if err != nil {
			return nil, err
		}
		return source.ReadFS(l.fsys, name, l.opts.Display(name), l.opts.MaxBytes)
	}
	return loader
}

// placeJSON gives the diagnostics of a JSON document their lines:
// kin-openapi records origins only for YAML, so the diagnostics of the
// document's own file that have a pointer and no line are placed by their
// pointers (source.LocateJSON, one pass over the text).
func (l *loading) placeJSON() {
	if trimmed := bytes.TrimLeft(l.data, " \t\r\n\ufeff"); len(trimmed) == 0 || trimmed[0] != '{' {
		return
	}
	main := l.opts.Display(l.file)
	var ptrs []string
	for _, d := range l.diags {
		if d.File == main && d.Line == 0 && d.Pointer != "" {
			ptrs = append(ptrs, d.Pointer)
		}
	}
	if len(ptrs) == 0 {
		return
	}
	at := source.LocateJSON(l.data, ptrs)
	for i := range l.diags {
		d := &l.diags[i]
		if pos, ok := at[d.Pointer]; ok && d.File == main && d.Line == 0 && d.Pointer != "" {
			d.Line, d.Col = pos.Line, pos.Col
		}
	}
}

// RefError is a $ref refused by the folder confinement.
type RefError struct {
	// Target is the file the $ref resolved to (a URL, or a path of fsys).
	Target string
	// Code is diag.CodeRefNotFile (a URL, an absolute path) or
	// diag.CodeRefOutside (out of the spec's folder).
	Code diag.Code
}

func (e *RefError) Error() string {
	if e.Code == diag.CodeRefNotFile {
		return fmt.Sprintf("%s is not a file of the spec's folder: $refs to URLs and absolute paths are not followed", e.Target)
	}
	return fmt.Sprintf("%s is outside the spec's folder: $refs may name files of the folder and below only", e.Target)
}

// confine maps a $ref's resolved location to a file of fsys inside the
// spec's folder, or refuses it.
func (l *loading) confine(u *url.URL) (string, error) {
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", &RefError{Target: u.Redacted(), Code: diag.CodeRefNotFile}
	}
	if strings.HasPrefix(u.Path, "/") {
		return "", &RefError{Target: u.Path, Code: diag.CodeRefNotFile}
	}
	name := path.Clean(u.Path)
	if !within(l.root, name) || !fs.ValidPath(name) {
		return "", &RefError{Target: name, Code: diag.CodeRefOutside}
	}
	return name, nil
}

// within reports whether name is dir or below it (dir "." holds every
// relative path that does not climb out).
func within(dir, name string) bool {
	if name == ".." || strings.HasPrefix(name, "../") {
		return false
	}
	return dir == "." || name == dir || strings.HasPrefix(name, dir+"/")
}

// IsRefused reports whether err is a $ref the folder confinement refused.
func IsRefused(err error) bool {
	var re *RefError
	return errors.As(err, &re)
}
