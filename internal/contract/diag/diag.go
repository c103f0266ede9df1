// Package diag is what the project says about a user's file: a
// Diagnostic (code, severity, file:line:col, JSON pointer, message and the
// fix) and a Violation (a pointer into a value and why the value breaks a
// schema). Start-up, --watch, the data API and conformance reports all
// speak in these types; a list of diagnostics with errors in it is an
// error (*ErrorList) that keeps every one of them.
//
//	d := diag.Diagnostic{Code: diag.CodeDanglingRef, Severity: diag.Error,
//		File: "api/openapi.yaml", Line: 12, Col: 17, Pointer: "/paths/~1pets/get",
//		Message: `$ref "#/components/schemas/Thing": no schema "Thing"`,
//		Fix: "define it under components.schemas, or correct the name"}
//	d.String() // api/openapi.yaml:12:17: $ref "#/components/schemas/Thing": no schema "Thing" (at /paths/~1pets/get); define it under components.schemas, or correct the name
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Severity says whether a diagnostic stops the file from being used.
type Severity int

// Severities, most severe first.
const (
	// Error: the file cannot be used as it is.
	Error Severity = iota
	// Warning: the file is used, but not all of it as written.
	Warning
	// Info: worth knowing, nothing lost.
	Info
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText writes the severity's name, for JSON reports.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Code names the kind of a diagnostic, stable for tools and tests
// ("dangling-ref", "invalid-example", ...); the codes the contract layer
// gives are listed in codes.go.
type Code string

// Diagnostic is one thing said about a file.
type Diagnostic struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// File is the file as the user names it ("" when the diagnostic is
	// about no file in particular).
	File string `json:"file,omitempty"`
	// Line and Col are 1-based; 0 when unknown.
	Line int `json:"line,omitempty"`
	Col  int `json:"col,omitempty"`
	// Pointer is an RFC 6901 JSON pointer to the place inside the
	// document ("" for the whole document or when unknown).
	Pointer string `json:"pointer,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Fix says what to do about it ("" when the message says it).
	Fix string `json:"fix,omitempty"`
}

// Place is "file:line:col" (or as much of it as is known).
func (d Diagnostic) Place() string {
	if d.File == "" {
		return ""
	}
	switch {
	case d.Line > 0 && d.Col > 0:
		return d.File + ":" + strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Col)
	case d.Line > 0:
		return d.File + ":" + strconv.Itoa(d.Line)
	}
	return d.File
}

// String is the diagnostic on one line: place, message, pointer and fix.
func (d Diagnostic) String() string {
	var b strings.Builder
	if p := d.Place(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	if d.Pointer != "" {
		b.WriteString(" (at ")
		b.WriteString(d.Pointer)
		b.WriteByte(')')
	}
	if d.Fix != "" {
		b.WriteString("; ")
		b.WriteString(d.Fix)
	}
	return b.String()
}

// List is the diagnostics of one or more files.
type List []Diagnostic

// Errors are the diagnostics of severity Error.
func (l List) Errors() List { return l.of(Error) }

// Warnings are the diagnostics of severity Warning.
func (l List) Warnings() List { return l.of(Warning) }

func (l List) of(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Err is the list as an error when it holds errors (an *ErrorList with the
// whole list), else nil.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &ErrorList{List: l}
}

// Sort orders the list by file, line, column, code and message, so that
// what is reported does not depend on map order.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Pointer, b.Pointer), cmp.Compare(a.Message, b.Message))
	})
}

// Strings renders each diagnostic with String.
func (l List) Strings() []string {
	out := make([]string, len(l))
	for i, d := range l {
		out[i] = d.String()
	}
	return out
}

// Counts is how many diagnostics of each code the list holds.
func (l List) Counts() map[Code]int {
	out := map[Code]int{}
	for _, d := range l {
		out[d.Code]++
	}
	return out
}

// ErrorList is a list of diagnostics with at least one error: what a file
// that cannot be used fails with. Its message is the errors, one per line
// (warnings are kept in List but not printed).
type ErrorList struct {
	List List
}

func (e *ErrorList) Error() string {
	errs := e.List.Errors()
	if len(errs) == 0 {
		errs = e.List
	}
	return strings.Join(errs.Strings(), "\n")
}

// Errorf is an *ErrorList of one error diagnostic about file.
func Errorf(code Code, file string, format string, args ...any) *ErrorList {
	return &ErrorList{List: List{{Code: code, Severity: Error, File: file, Message: fmt.Sprintf(format, args...)}}}
}

// Violation is one reason a value breaks a schema: an RFC 6901 pointer
// into the value ("" for the value itself) and what is wrong. The data
// API answers them as {"pointer", "reason"}.
type Violation struct {
	Pointer string `json:"pointer"`
	Reason  string `json:"reason"`
	// Fix says what to do, where that is not "make the value match the
	// schema" (a repeated unique value of a fixtures file).
	Fix string `json:"fix,omitempty"`
}

// String is "pointer: reason" ("(value): reason" at the top).
func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "(value)"
	}
	return p + ": " + v.Reason
}
