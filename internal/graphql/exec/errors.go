package exec

import (
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes put in extensions.code by the executor and the HTTP handler.
const (
	CodeParseFailed       = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed  = "GRAPHQL_VALIDATION_FAILED"
	CodeBadUserInput      = "BAD_USER_INPUT"
	CodeBadRequest        = "BAD_REQUEST"
	CodeOperationNotFound = "OPERATION_RESOLUTION_FAILURE"
	CodeInternal          = "INTERNAL_SERVER_ERROR"
	CodeTimeout           = "TIMEOUT"
	CodeTooDeep           = "QUERY_TOO_DEEP"
	CodeTooComplex        = "QUERY_TOO_COMPLEX"
	CodeTooManyAliases    = "QUERY_TOO_MANY_ALIASES"
	CodeTooLarge          = "QUERY_TOO_LARGE"
)

// Error is an error a Resolver can return to control the GraphQL error it
// becomes: Message is the error message, Code goes to extensions.code
// (INTERNAL_SERVER_ERROR when empty) and Extensions are merged into
// extensions. The executor adds path and locations.
type Error struct {
	Message    string
	Code       string
	Extensions map[string]any
	// Err is an optional cause, reachable with errors.Unwrap.
	Err error
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// newGQLError builds a gqlerror.Error with a code.
func newGQLError(code, msg string, pos *ast.Position, path ast.Path) *gqlerror.Error {
	e := &gqlerror.Error{Message: msg, Path: path, Extensions: map[string]any{"code": code}}
	if pos != nil && pos.Line > 0 {
		e.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	return e
}

// ToGQLError converts any error into a *gqlerror.Error with an
// extensions.code: *Error keeps its code and extensions, a *gqlerror.Error is
// copied (code INTERNAL_SERVER_ERROR added when missing), anything else
// becomes INTERNAL_SERVER_ERROR with the error's message. pos and path are
// used when the error carries none.
func ToGQLError(err error, pos *ast.Position, path ast.Path) *gqlerror.Error {
	var ee *Error
	if errors.As(err, &ee) {
		code := ee.Code
		if code == "" {
			code = CodeInternal
		}
		g := newGQLError(code, ee.Message, pos, path)
		for k, v := range ee.Extensions {
			if k != "code" {
				g.Extensions[k] = v
			}
		}
		return g
	}
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		c := *ge
		ext := make(map[string]any, len(ge.Extensions)+1)
		for k, v := range ge.Extensions {
			ext[k] = v
		}
		if _, ok := ext["code"]; !ok {
			ext["code"] = CodeInternal
		}
		c.Extensions = ext
		if c.Path == nil {
			c.Path = path
		}
		if c.Locations == nil && pos != nil && pos.Line > 0 {
			c.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
		}
		return &c
	}
	return newGQLError(CodeInternal, err.Error(), pos, path)
}

// WithCode returns errs with extensions.code set to code on every error that
// has none. It modifies the errors in place and returns errs.
func WithCode(errs gqlerror.List, code string) gqlerror.List {
	for _, e := range errs {
		if e.Extensions == nil {
			e.Extensions = map[string]any{}
		}
		if _, ok := e.Extensions["code"]; !ok {
			e.Extensions["code"] = code
		}
	}
	return errs
}
