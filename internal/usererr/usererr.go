// Package usererr is the error of a mistake in what the user gave the
// program: a file (a configuration, a scenario, a manifest, a fixture) or a
// flag. An *Error says where (file:line:col, as compilers and editors
// write it), what is wrong and what to do about it.
//
// Commands tell a bad file or a bad flag (exit status 2) from a failure at
// run time (exit status 1) with Find: any *Error in an error's tree makes
// it the user's mistake. Decoders build *Error values with DecodeYAML
// (strict YAML: syntax, unknown keys, wrong types, each with its line and
// column) and the JSON helpers (syntax errors and the place of an RFC 6901
// pointer); a package's own rules place theirs with YAMLPlace.
//
// Lines and columns count from 1; a column counts characters, not bytes.
package usererr

import (
	"errors"
	"fmt"
	"strings"
)

// Place is where a mistake is: a file as the user names it, a line and a
// column (0 when unknown).
type Place struct {
	File string
	Line int
	Col  int
}

// String is "file:line:col", "file:line" or "file" (empty for no file).
func (p Place) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one mistake in what the user gave the program.
type Error struct {
	// Place is the file and position; zero for a flag or an environment
	// variable.
	Place
	// Key is the configuration key the mistake is in (apis.admin.scenario),
	// when it is one: a caller that knows the file the key came from sets
	// Place from it (config.Flags.Locate).
	Key string
	// Problem says what is wrong.
	Problem string
	// Fix says what to do about it.
	Fix string
	// Err is the cause, for errors.Is and errors.As (a package's sentinel
	// such as scenario.ErrInvalid); it is not part of the message.
	Err error
}

// Error is "file:line:col: problem; fix".
func (e *Error) Error() string {
	var b strings.Builder
	if p := e.Place.String(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	if e.Fix != "" {
		b.WriteString("; ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Find returns the first *Error in err's tree: err is then the user's
// mistake (a bad file or flag), not a failure at run time.
func Find(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// All returns every *Error in err's tree, depth first, in order (through
// %w wrapping and errors.Join).
func All(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if e, ok := err.(*Error); ok {
			out = append(out, e)
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// InFile sets the File of every *Error in err's tree that has none, and
// returns err: decoding hooks know a line and column but not the file.
func InFile(err error, file string) error {
	for _, e := range All(err) {
		if e.File == "" {
			e.File = file
		}
	}
	return err
}
