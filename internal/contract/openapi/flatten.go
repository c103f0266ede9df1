package openapi

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/standin/standin/internal/contract/diag"
	"github.com/standin/standin/internal/contract/jsonptr"
)

// Violation is one violation found by kin-openapi's validators: a pointer
// into the value validated and the reason (diag.Violation), and In, the
// part of a request or response the value is ("" for a value validated on
// its own, `parameter "limit" in query`, "request body", "response
// body").
type Violation struct {
	diag.Violation
	In string
}

// FlattenOptions tune Flatten.
type FlattenOptions struct {
	// Branches reports, for a value that fails an allOf, anyOf or oneOf of
	// an OpenAPI 3.0 schema, the violations inside the branches rather
	// than the combinator's own one. (The JSON Schema 2020-12 validator of
	// OpenAPI 3.1 documents always reports the violations inside.)
	Branches bool
	// Explain names the branches instead: a value failing an allOf, oneOf
	// or anyOf is validated against each branch alone (with Validate) and
	// the violations of a failing allOf branch, or of the closest oneOf or
	// anyOf branch when none matches, are placed at their fields, naming
	// the branch ("allOf branch 2 (Aged): value must be an integer"); a
	// value matching several oneOf branches is one violation naming them.
	// This is the wording of conform's reports, read by people.
	Explain bool
	// Validate are the options Explain validates the branches with.
	Validate []openapi3.SchemaValidationOption
	// Got appends a scalar value a schema refused to the reason
	// (` (got "old")`, ` (got null)`).
	Got bool
	// AmbiguousOneOf lets a value that matches more than one branch of a
	// oneOf pass (no violation): an OpenAPI oneOf is often a choice its
	// discriminator or its author's intent makes, and branches that are
	// not closed (no additionalProperties: false) overlap, so a client's
	// validator with discriminator semantics (Ajv with OpenAPI's
	// discriminator, Prism) accepts what plain JSON Schema refuses. The
	// branches are validated with Validate.
	AmbiguousOneOf bool
}

// The places Flatten gives a response's violations (Violation.In) beside
// "response body" and a header's `response header "Name"`.
const (
	// InResponseStatus: the status is not documented.
	InResponseStatus = "response status"
)

// Flatten lists the violations inside an error of kin-openapi's
// validators: openapi3.MultiError, *openapi3.SchemaError (its JSON
// pointer, its JSON Schema 2020-12 causes), *openapi3filter.RequestError
// and *openapi3filter.ResponseError (the parameter or body they name). It
// reads the errors by their types and fields, never by their wording;
// *openapi3filter.SecurityRequirementsError is left out (security is the
// server's to check). An error of another type is one violation with its
// message.
func Flatten(err error, opts FlattenOptions) []Violation {
	f := &flattener{opts: opts}
	f.walk(err, "")
	return f.out
}

// Reasons is Flatten with each violation as one line: "at /pointer:
// reason" (the pointer left out when empty), prefixed by where it is
// ("request body at /name: ..." or `parameter "x" in query: ...`).
func Reasons(err error, opts FlattenOptions) []string {
	vs := Flatten(err, opts)
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Line()
	}
	return out
}

// Line is the violation on one line, as Reasons words it.
func (v Violation) Line() string {
	msg := v.Reason
	if v.Pointer != "" {
		msg = "at " + v.Pointer + ": " + msg
	}
	switch {
	case v.In == "":
		return msg
	case v.Pointer != "":
		return v.In + " " + msg
	}
	return v.In + ": " + msg
}

type flattener struct {
	opts FlattenOptions
	out  []Violation
	// extras are, per object value (by its map's address), the names of
	// its properties the schema does not declare, in the order the 3.0
	// validator reports them; taken counts those reported so far.
	extras map[uintptr][]string
	taken  map[uintptr]int
}

func (f *flattener) add(in string, ptr []string, reason string) {
	f.out = append(f.out, Violation{Violation: diag.Violation{Pointer: jsonptr.Format(ptr...), Reason: reason}, In: in})
}

func (f *flattener) walk(err error, in string) {
	switch e := err.(type) {
	case nil:
		return
	case openapi3.MultiError:
		for _, x := range e {
			f.walk(x, in)
		}
		return
	case *openapi3filter.RequestError:
		where := in
		switch {
		case e.Parameter != nil:
			where = fmt.Sprintf("parameter %q in %s", e.Parameter.Name, e.Parameter.In)
		case e.RequestBody != nil:
			where = "request body"
		}
		if e.Err != nil {
			f.walk(e.Err, where)
		} else {
			f.add(where, nil, e.Reason)
		}
		return
	case *openapi3filter.ResponseError:
		where := responsePart(e.Reason)
		if e.Err != nil {
			f.walk(e.Err, where)
		} else {
			f.add(where, nil, e.Reason)
		}
		return
	case *openapi3filter.SecurityRequirementsError:
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		f.schema(se, in)
		return
	}
	f.add(in, nil, err.Error())
}

// english words the JSON Schema 2020-12 validator's reasons as its own
// Error does.
var english = message.NewPrinter(language.English)

func (f *flattener) schema(se *openapi3.SchemaError, in string) {
	if f.opts.AmbiguousOneOf && ambiguousOneOf(se, f.opts.Validate) {
		if err := besideOneOf(se, f.opts.Validate); err != nil {
			at := se.JSONPointer()
			for _, v := range Flatten(err, f.opts) {
				f.add(in, append(slices.Clone(at), jsonptr.Split(v.Pointer)...), v.Reason)
			}
		}
		return
	}
	var sub openapi3.MultiError
	inner := se.Origin != nil && errors.As(se.Origin, &sub) && len(sub) > 0
	var leaf *jsonschema.ValidationError
	if errors.As(se, &leaf) {
		// OpenAPI 3.1: the JSON Schema 2020-12 validator's error holds one
		// cause per violation; a leaf's reason is its error kind's.
		if inner {
			f.walk(sub, in)
			return
		}
		f.add(in, se.JSONPointer(), leaf.ErrorKind.LocalizedString(english))
		return
	}
	if f.opts.Explain {
		if vs := f.explain(se, in); len(vs) > 0 {
			f.out = append(f.out, vs...)
			return
		}
		if inner {
			f.walk(sub, in)
			return
		}
	}
	if inner && f.opts.Branches {
		n := len(f.out)
		f.walk(sub, in)
		if len(f.out) > n {
			return
		}
	}
	reason := se.Reason
	switch {
	case reason == "" && se.Origin != nil:
		reason = f.originReason(se.Origin)
	case reason == "":
		reason = se.Error()
	}
	reason = integerBounds(se, reason)
	if f.opts.Got {
		reason += got(se)
	}
	ptr := se.JSONPointer()
	if len(ptr) == 0 && se.SchemaField == "properties" {
		// an undeclared property, reported at the object holding it:
		// point at the property
		if name, ok := f.extra(se); ok {
			ptr = []string{name}
		}
	}
	f.add(in, ptr, reason)
}

// originReason words the cause of a schema error without a reason of its
// own. A cause that is itself a schema error (or a list of them) is
// flattened: kin-openapi's Error of a SchemaError writes out the whole
// schema as JSON, which cost GitHub's start-up a quarter of a gigabyte of
// garbage when inference checked its samples.
func (f *flattener) originReason(origin error) string {
	var se *openapi3.SchemaError
	var me openapi3.MultiError
	if !errors.As(origin, &se) && !errors.As(origin, &me) {
		return origin.Error()
	}
	sub := &flattener{opts: f.opts}
	sub.walk(origin, "")
	lines := make([]string, len(sub.out))
	for i, v := range sub.out {
		lines[i] = v.Line()
	}
	return strings.Join(lines, " | ")
}

// extra is the next undeclared property of the object se is about, in
// the order the 3.0 validator reports them (sorted names).
func (f *flattener) extra(se *openapi3.SchemaError) (string, bool) {
	obj, ok := se.Value.(map[string]any)
	if !ok || se.Schema == nil {
		return "", false
	}
	id := reflect.ValueOf(obj).Pointer()
	if f.extras == nil {
		f.extras, f.taken = map[uintptr][]string{}, map[uintptr]int{}
	}
	names, seen := f.extras[id]
	if !seen {
		for k := range obj {
			if _, declared := se.Schema.Properties[k]; !declared {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		f.extras[id] = names
	}
	i := f.taken[id]
	if i >= len(names) {
		return "", false
	}
	f.taken[id] = i + 1
	return names[i], true
}

// integerBounds writes the bounds of an integer schema, which kin-openapi
// words with %g ("number must be at most 2.147483647e+09"), as the
// integers they are.
func integerBounds(se *openapi3.SchemaError, reason string) string {
	s := se.Schema
	if s == nil || s.Type == nil || !s.Type.Is(openapi3.TypeInteger) {
		return reason
	}
	for _, b := range []*float64{s.Min, s.Max, s.MultipleOf, s.ExclusiveMin.Value, s.ExclusiveMax.Value} {
		if b == nil || *b != float64(int64(*b)) || *b > 1<<53 || *b < -(1<<53) {
			continue
		}
		if g := strconv.FormatFloat(*b, 'g', -1, 64); strings.ContainsAny(g, "e") {
			reason = strings.ReplaceAll(reason, g, strconv.FormatInt(int64(*b), 10))
		}
	}
	return reason
}
