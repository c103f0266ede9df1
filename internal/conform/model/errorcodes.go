package model

import (
	"regexp"

	"github.com/vektah/gqlparser/v2/ast"
)

// What a GraphQL contract promises about its errors' extensions.code. The
// GraphQL specification asks for none (§7.1.2: extensions is the
// implementer's); a code is required only where the SDL's own text
// promises one.

var (
	// everyErrorCoded finds a promise about every error, in the schema's
	// description: "Errors carry `extensions.code`: ...".
	everyErrorCoded = regexp.MustCompile("(?i)\\berrors\\b[^.]*\\bextensions\\.code")
	// namedCode finds a coded error in a field's description: "is a
	// BAD_USER_INPUT error", "an error whose `extensions.code` is
	// FORBIDDEN".
	namedCode = regexp.MustCompile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\s+error\\b|extensions\\.code`?\\s+is\\b")
)

// ErrorsCarryCodes reports whether the API's SDL promises an
// extensions.code on every error (its schema description says so).
func (a *API) ErrorsCarryCodes() bool {
	return a.Schema != nil && everyErrorCoded.MatchString(a.Schema.Description)
}

// FieldNamesErrorCode reports whether a field's description names the
// extensions.code of its errors ("a value out of range is a
// BAD_USER_INPUT error"): its argument errors must then carry one.
func FieldNamesErrorCode(f *ast.FieldDefinition) bool {
	return f != nil && namedCode.MatchString(f.Description)
}
