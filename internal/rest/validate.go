package rest

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/standin/standin/internal/contract/openapi"
	"github.com/standin/standin/internal/rest/route"
	"github.com/standin/standin/specs"
)

// queryCheck is the fast check of one query parameter.
type queryCheck struct {
	scalarCheck
	required bool
}

// fastAccept reports whether the request's parameters are certainly valid,
// without openapi3filter.
func (op *operation) fastAccept(r *http.Request, res *route.Result) bool {
	if op.fullAlways {
		return false
	}
	for i := range op.pathChecks {
		if i >= res.N || !op.pathChecks[i].accept(res.Values[i]) {
			return false
		}
	}
	if len(op.queryChecks) == 0 {
		return true
	}
	if r.URL.RawQuery == "" {
		for i := range op.queryChecks {
			if op.queryChecks[i].required {
				return false
			}
		}
		return true
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return false
	}
	for i := range op.queryChecks {
		c := &op.queryChecks[i]
		vals := q[c.name]
		switch {
		case len(vals) == 0:
			if c.required {
				return false
			}
		case len(vals) > 1 || vals[0] == "" || !c.accept(vals[0]):
			return false
		}
	}
	return true
}

// scalarCheck accepts a path or query parameter value without openapi3filter
// when its schema is simple enough to check here (type, length, pattern,
// enum, bounds). A value it does not accept goes to openapi3filter, which
// decides and words the violation; so this check may only be stricter than
// openapi3filter's, never more lenient.
type scalarCheck struct {
	name string
	kind byte // 0 no schema, 's' string, 'i' integer, 'n' number, 'b' boolean
	s    *openapi3.Schema
	re   *regexp.Regexp
	enum []string
	// fast: accept covers the whole schema.
	fast bool
}

func compileScalarCheck(p *openapi3.Parameter) (scalarCheck, bool) {
	c := scalarCheck{name: p.Name}
	if p.Content != nil {
		return c, false
	}
	if p.Style != "" && p.Style != openapi3.SerializationSimple && p.Style != openapi3.SerializationForm {
		return c, false
	}
	if p.Schema == nil || p.Schema.Value == nil {
		c.fast = true
		return c, true
	}
	s := p.Schema.Value
	c.s = s
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil {
		return c, false
	}
	switch {
	case s.Type.IsEmpty() || s.Type.Is("string"):
		c.kind = 's'
		// date and date-time are checked here as openapi3filter checks
		// them (specs.DateFormatValidators); other formats go there.
		c.fast = s.Format == "" || s.Format == "date" || s.Format == "date-time"
		if s.Pattern != "" {
			re, err := regexp.Compile(s.Pattern)
			if err != nil {
				c.fast = false
			}
			c.re = re
		}
		for _, e := range s.Enum {
			str, ok := e.(string)
			if !ok {
				c.fast = false
			}
			c.enum = append(c.enum, str)
		}
	case s.Type.Is("integer"), s.Type.Is("number"):
		c.kind = 'n'
		if s.Type.Is("integer") {
			c.kind = 'i'
		}
		c.fast = len(s.Enum) == 0 && s.MultipleOf == nil && s.ExclusiveMin.Value == nil && s.ExclusiveMax.Value == nil
	case s.Type.Is("boolean"):
		c.kind = 'b'
		c.fast = len(s.Enum) == 0
	default:
		return c, false
	}
	return c, true
}

// accept reports whether v is certainly valid.
func (c *scalarCheck) accept(v string) bool {
	if !c.fast {
		return false
	}
	s := c.s
	switch c.kind {
	case 0:
		return true
	case 's':
		if s.MinLength > 1 || s.MaxLength != nil {
			n := uint64(utf8.RuneCountInString(v))
			if n < s.MinLength || s.MaxLength != nil && n > *s.MaxLength {
				return false
			}
		} else if s.MinLength == 1 && v == "" {
			return false
		}
		if c.re != nil && !c.re.MatchString(v) {
			return false
		}
		if len(c.enum) > 0 && !slices.Contains(c.enum, v) {
			return false
		}
		switch s.Format {
		case "date":
			return specs.CheckDate(v) == nil
		case "date-time":
			return specs.CheckDateTime(v) == nil
		}
		return true
	case 'i', 'n':
		var f float64
		if c.kind == 'i' {
			n, err := strconv.ParseInt(v, 10, 53)
			if err != nil {
				return false
			}
			f = float64(n)
		} else {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
			f = x
		}
		if s.Min != nil && (f < *s.Min || s.ExclusiveMin.IsTrue() && f == *s.Min) {
			return false
		}
		if s.Max != nil && (f > *s.Max || s.ExclusiveMax.IsTrue() && f == *s.Max) {
			return false
		}
		return true
	case 'b':
		return v == "true" || v == "false"
	}
	return false
}

// fullValidate runs openapi3filter.ValidateRequest (security excluded: the
// server authenticates).
//
// It returns one message per violation and the kind of problem:
// http.StatusBadRequest for a request that cannot be read (a body that
// does not parse as its media type), statusInvalidPath when only path
// parameters break their schemas, statusInvalid otherwise.
func (op *operation) fullValidate(ctx context.Context, r *http.Request, res *route.Result) ([]string, int) {
	params := make(map[string]string, res.N)
	for i, n := range op.names {
		if i < res.N {
			params[n] = res.Values[i]
		}
	}
	formats := op.write != nil || op.allFormats
	opts := filterOptions
	if formats {
		opts = writeFilterOptions
	}
	own := ownBody(op, r)
	if own {
		opts = filterOptionsParamsOnly
		if formats {
			opts = writeFilterOptionsParamsOnly
		}
	}
	input := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: op.route, Options: opts}
	err := openapi3filter.ValidateRequest(ctx, input)
	if err != nil && len(violations(err)) == 0 {
		err = nil // only a body that matches several oneOf branches: accepted
	}
	if own {
		var msgs []string
		if err != nil {
			msgs = violations(err)
		}
		bodyMsgs, unreadable := checkOwnBody(op, r, bodyOptions(op, opts))
		msgs = append(msgs, bodyMsgs...)
		switch {
		case len(msgs) == 0:
			return nil, 0
		case unreadable:
			return msgs, http.StatusBadRequest
		case len(bodyMsgs) == 0 && onlyPath(err):
			return msgs, statusInvalidPath
		}
		return msgs, statusInvalid
	}
	if err == nil {
		return nil, 0
	}
	switch {
	case unreadableBody(err):
		return violations(err), http.StatusBadRequest
	case onlyPath(err):
		return violations(err), statusInvalidPath
	}
	return violations(err), statusInvalid
}

// unreadableBody reports whether a validation error is a request body
// that does not parse as its media type (a parameter that does not parse
// as its type breaks its schema, as any other value).
func unreadableBody(err error) bool {
	errs := []error{err}
	if me, ok := err.(openapi3.MultiError); ok {
		errs = me
	}
	for _, e := range errs {
		var re *openapi3filter.RequestError
		var pe *openapi3filter.ParseError
		if errors.As(e, &re) && re.RequestBody != nil && errors.As(re.Err, &pe) {
			return true
		}
	}
	return false
}

// onlyPath reports whether every violation of a validation error is about
// a path parameter.
func onlyPath(err error) bool {
	errs := []error{err}
	if me, ok := err.(openapi3.MultiError); ok {
		errs = me
	}
	for _, e := range errs {
		var re *openapi3filter.RequestError
		if !errors.As(e, &re) || re.Parameter == nil || re.Parameter.In != openapi3.ParameterInPath {
			return false
		}
	}
	return len(errs) > 0
}

// violations flattens a validation error into one message per violation,
// each naming the parameter (or the request body) and the reason, with
// its JSON pointer (the contract layer's flattener); a body matching
// several oneOf branches is none (FlattenOptions.AmbiguousOneOf).
func violations(err error) []string {
	return openapi.Reasons(err, openapi.FlattenOptions{AmbiguousOneOf: true, Validate: ambiguityOptions})
}

// ambiguityOptions validate a oneOf's branches alone, as a request's
// (readOnly properties not required, formats checked).
var ambiguityOptions = []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.MultiErrors(),
	openapi3.WithStringFormatValidators(specs.FormatValidators()), openapi3.EnableFormatValidation()}

// bodyOptions are the schema options a body the engine checks itself is
// validated with: openapi3filter's (formats for a write), JSON Schema
// 2020-12 for an OpenAPI 3.1 document.
func bodyOptions(op *operation, opts *openapi3filter.Options) []openapi3.SchemaValidationOption {
	out := slices.Clone(opts.SchemaValidationOptions)
	if op.route.Spec != nil && op.route.Spec.IsOpenAPI31OrLater() {
		out = append(out, openapi3.EnableJSONSchema2020())
	}
	return out
}
